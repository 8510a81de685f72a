"""Grammar terminals in words, and hints for the common syntax mistakes.

Users never see Lark's terminal names (``RPAR``, ``__ANON_1``): every terminal is shown
as the text it stands for (``')'``, ``'..'``) or a description (``a name``), and long
lists of possibilities are summarised (``a value``, ``an operator``, ``the next
declaration``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lark import Lark, Token

DECLARATION_KEYWORDS = ("enum", "record", "fact", "profile", "let", "map", "rule", "deadline",
                        "window", "table", "invariant", "example", "test", "import", "pack")

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
    "SPANS": ("union_months or longest_gap_months", "aggregate"),
    "OPTIONAL": ("'?'", "'?'"),
    "$END": ("the end of the file", "end of the file"),
}

IF_FORM = "write: if CONDITION then A else B (or else if ... for more cases)"
ACTION_WORDS = ("derive", "flag", "recommend", "remind", "needs_info")
TITLED = ("rule", "deadline", "window", "table", "invariant", "test")

# Groups of terminals summarised in one phrase when most of them are possible.
_VALUE_STARTS = frozenset({"NAME", "INT", "FLOAT", "STRING", "DATE", "TMONTH", "AGG", "SPANS", "(", "{", "-",
                           "true", "false", "null", "not"})
_OPERATORS = frozenset({"ADD_OP", "MUL_OP", "COMPARE", ".", "[", "..", "and", "or", "in", "is", "as",
                        "where", "not"})
_DECLARATIONS = frozenset(DECLARATION_KEYWORDS)
_GROUPS = ((_VALUE_STARTS, 5, "a value"), (_OPERATORS, 4, "an operator"),
           (_DECLARATIONS, 3, "the next declaration"))


def _literal_of(name: str, parser: Lark) -> str | None:
    for terminal in parser.terminals:
        if terminal.name == name and terminal.pattern.type == "str":
            return terminal.pattern.value
    return None


def describe_terminal(name: str, value: str | None, parser: Lark) -> str:
    """``'then'`` for a keyword, ``a name`` for NAME; with ``value``, the token as written."""
    if name in _REGEX_WORDS:
        article, bare = _REGEX_WORDS[name]
        if value is None or name == "$END":
            return article
        return f"{bare} {value}" if name == "STRING" else f"{bare} '{value}'"
    literal = _literal_of(name, parser)
    if literal is not None:
        return f"'{literal}'"
    return f"'{value}'" if value is not None else "something else"


def expected_words(terminals, parser: Lark, limit: int = 10) -> str:
    """What the parser would have accepted, in words: ``'then' or 'when'``, ``a value``."""
    keys = {(_literal_of(t, parser) or t) for t in terminals}
    phrases = []
    for group, threshold, phrase in _GROUPS:
        if len(keys & group) >= threshold:
            phrases.append(phrase)
            keys -= group
    by_key = {(_literal_of(t, parser) or t): t for t in terminals}
    words = phrases + sorted({describe_terminal(by_key[k], None, parser) for k in keys})
    if not words:
        return ""
    if len(words) > limit:
        words = words[:limit - 1] + ["something else"]
    return ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]


def hint_for(token: Token, expected: set[str], shown: str, declaration: str | None
             ) -> tuple[str | None, list[str]]:
    """A tailored message for a mistake people often make, or (None, [])."""
    value = str(token)
    if expected == {"ELSE"}:
        return (f"unexpected {shown}: an 'if' needs an 'else' branch", [IF_FORM])
    if "THEN" in expected and value in ACTION_WORDS:
        return (f"missing 'then' before '{value}'",
                ['a rule reads: rule NAME "title" ... when CONDITION then ACTION'])
    if value == "=" and "COMPARE" in expected:
        return ("'=' is not a comparison; write '==' to compare", [])
    if declaration == "deadline" and "REQUIRE" in expected:
        return (f"unexpected {shown}: a deadline needs 'require' and a condition",
                ['write: deadline NAME "title" by T-5 require CONDITION'])
    if expected == {"STRING"} and declaration in TITLED and token.type != "STRING":
        return (f"the {declaration} needs a title in quotes after its name",
                [f'write: {declaration} NAME "A title in plain words"'])
    if token.type == "STRING" and "NAME" in expected and "STRING" not in expected:
        return (f"unexpected {shown}", ["names are written without quotes"])
    if token.type in ("INT", "NAME") and expected == {"TMONTH"}:
        return (f"unexpected {shown}: months are written T-k", ["for example: from T-5, during T-8..T-7"])
    return None, []


def unfinished(declaration: str | None, name: str | None, expected: set[str], at_file_end: bool
               ) -> tuple[str, list[str]]:
    """The message for a declaration cut short (at the end of the file or of its piece)."""
    what = f"{declaration} '{name}'" if declaration and name else (declaration or "declaration")
    if expected == {"ELSE"}:
        return f"the 'if' in the {what} has no 'else' branch", [IF_FORM]
    if declaration == "rule" and "THEN" in expected:
        return (f"missing 'then' and an action at the end of {what}",
                ["add 'then' followed by derive, flag, recommend, remind or needs_info"])
    if at_file_end:
        return f"unexpected end of file: the {what} is not finished", []
    return f"the {what} is not finished before the next declaration", []
