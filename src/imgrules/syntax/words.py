"""Grammar terminals in words, and hints for the common syntax mistakes."""

from __future__ import annotations

from lark import Lark, Token

# terminal -> (with an article, bare)
_REGEX_WORDS = {
    "NAME": ("a name", "name"),
    "STRING": ("a string", "string"),
    "INT": ("a whole number", "number"),
    "FLOAT": ("a number", "number"),
    "DATE": ("a date (YYYY-MM-DD)", "date"),
    "TMONTH": ("a month such as T-5", "month"),
    "CHECK_ID": ("a checklist id such as FA-5-request-lors", "checklist id"),
    "COMPARE": ("a comparison (==, !=, <, <=, >, >=)", "comparison"),
    "ADD_OP": ("'+' or '-'", "operator"),
    "MUL_OP": ("'*' or '/'", "operator"),
    "UNIT": ("a unit (days, weeks, months, years)", "unit"),
    "AGG": ("an aggregate (count, exists, all, sum, min, max)", "aggregate"),
    "OPTIONAL": ("'?'", "'?'"),
    "$END": ("the end of the file", "end of the file"),
}

ACTION_WORDS = ("derive", "flag", "recommend", "remind", "needs_info")


def describe_terminal(name: str, value: str | None, parser: Lark) -> str:
    """``'then'`` for a keyword, ``a name`` for NAME; with ``value``, the token as written."""
    if name in _REGEX_WORDS:
        article, bare = _REGEX_WORDS[name]
        if value is None or name == "$END":
            return article
        return f"{bare} {value}" if name == "STRING" else f"{bare} '{value}'"
    for terminal in parser.terminals:
        if terminal.name == name and terminal.pattern.type == "str":
            return f"'{terminal.pattern.value}'"
    return f"'{value}'" if value is not None else name.lower()


def hint_for(token: Token, expected: set[str], shown: str, declaration: str | None
             ) -> tuple[str | None, list[str]]:
    """A tailored message for a mistake people often make, or (None, [])."""
    value = str(token)
    if "THEN" in expected and value in ACTION_WORDS:
        return (f"missing 'then' before '{value}'",
                ['a rule reads: rule NAME "title" ... when CONDITION then ACTION'])
    if "THEN" in expected and declaration == "rule" and token.type in ("$END",) + tuple(
            w.upper() for w in ("rule", "deadline", "window", "table", "test", "let", "enum")):
        return ("this rule has no 'then' and no action",
                ["add 'then' followed by derive, flag, recommend, remind or needs_info"])
    if value == "=" and declaration not in ("let",):
        return ("'=' is not a comparison; write '==' to compare", [])
    if declaration == "deadline" and "REQUIRE" in expected:
        return (f"unexpected {shown}: a deadline needs 'require' and a condition",
                ['write: deadline NAME "title" by T-5 require CONDITION'])
    if token.type == "STRING" and "NAME" in expected and "STRING" not in expected:
        return (f"unexpected {shown}", ["names are written without quotes"])
    return None, []
