"""A Pygments lexer for imgrules rule packs (``pygmentize -l imgrules``, Sphinx fences).

Pygments comes with the ``highlight`` extra (``pip install 'imgrules[highlight]'``), not
with imgrules itself: this module is imported through the ``pygments.lexers`` entry point,
which only Pygments reads, or by the docs.

The token classes follow the grammar (``grammar/imgrules.lark``): declaration keywords,
clause keywords, field types, ``T-k`` months, ISO dates, durations, checklist ids after
``covers``, strings whose ``{holes}`` are lexed as expressions, comments and operators.
Like the grammar's contextual lexer, a word after ``.`` is always a field name, so
profile fields such as ``status`` or ``date`` are not taken for keywords.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, default, include, words
from pygments.token import (Comment, Error, Keyword, Literal, Name, Number, Operator, Punctuation, String,
                            Whitespace)

__all__ = ["ImgrulesLexer"]

DECLARATIONS = ("pack", "import", "enum", "record", "fact", "profile", "let", "map", "rule",
                "deadline", "window", "table", "invariant", "example", "test")
CLAUSES = ("version", "title", "source", "cite", "covers", "priority", "severity", "at", "from", "until",
           "during", "for", "when", "then", "by", "require", "message", "hit", "given", "row",
           "expect", "no", "with", "where", "as", "derive", "flag", "recommend", "remind",
           "needs_info", "any", "if", "else")
LOGIC = ("and", "or", "not", "in", "is")
CONSTANTS = ("true", "false", "null", "missing", "present")
TYPES = ("int", "float", "bool", "str", "date", "duration", "list")
BUILTINS = ("count", "exists", "all", "sum", "min", "max", "union_months", "longest_gap_months", "span",
            "year", "month", "day", "months_between", "days_between", "weeks_between", "len", "abs", "ceil", "floor",
            "lower", "coalesce", "months_to_go", "round", "str")

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


class ImgrulesLexer(RegexLexer):
    """Lexer for the imgrules rule-pack language."""

    name = "imgrules"
    aliases = ["imgrules"]
    filenames = ["*.rules"]
    mimetypes = ["text/x-imgrules"]
    url = "https://github.com/imgrules/imgrules"

    tokens = {
        "root": [
            include("space"),
            # A declaration keyword and the name it declares.
            (r"\b(pack|import)(\s+)(%s(?:\.%s)*)" % (_IDENT, _IDENT),
             bygroups(Keyword.Namespace, Whitespace, Name.Namespace)),
            (r"\b(enum|record|fact)(\s+)(%s)" % _IDENT,
             bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"\b(let|map)(\s+)(%s)" % _IDENT,
             bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (r"\b(rule|deadline|window|table|invariant|example|test)(\s+)(%s)" % _IDENT,
             bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (words(DECLARATIONS, prefix=r"\b", suffix=r"\b"), Keyword.Declaration),
            (r"\b(covers)\b", Keyword, "checkids"),
            (r"\b(flag)(\s+)(%s)" % _IDENT, bygroups(Keyword, Whitespace, Name.Constant)),
            (r'"', String.Double, "string"),
            include("expr"),
        ],
        "space": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
        ],
        "expr": [
            (r"\.\.", Operator),
            (r"(\.)(\s*)(%s)" % _IDENT, bygroups(Punctuation, Whitespace, Name.Attribute)),
            (r"\bT[-+]\d+\b", Name.Constant),                  # T-5: a month of the countdown
            (r"\b\d{4}-\d{2}-\d{2}\b", Literal.Date),
            (r"\b(\d+)(\s+)(days?|weeks?|months?|years?)\b",
             bygroups(Number.Integer, Whitespace, Keyword.Pseudo)),
            (r"\b\d+\.\d+\b", Number.Float),
            (r"\b\d+\b", Number.Integer),
            # field bounds: `size 1..2`, `matches "[A-Z]{2}"` (plain names anywhere else)
            (r"\b(size)(\s+)(?=-?\d|\.\.)", bygroups(Keyword, Whitespace)),
            (r'\b(matches)(\s+)(?=")', bygroups(Keyword, Whitespace)),
            (words(CLAUSES, prefix=r"\b", suffix=r"\b"), Keyword),
            (words(LOGIC, prefix=r"\b", suffix=r"\b"), Operator.Word),
            (words(CONSTANTS, prefix=r"\b", suffix=r"\b"), Keyword.Constant),
            (words(TYPES, prefix=r"\b", suffix=r"\b"), Keyword.Type),
            (words(BUILTINS, prefix=r"\b", suffix=r"\b"), Name.Builtin),
            (r"[A-Z][A-Za-z0-9_]*", Name.Class),
            (r"[a-z_][A-Za-z0-9_]*", Name),
            (r"==|!=|<=|>=|=>|->|[<>=+\-*/?]", Operator),
            (r"[{}()\[\],:.]", Punctuation),
        ],
        "checkids": [
            include("space"),
            (r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*", Name.Label, ("#pop", "checkids-more")),
            default("#pop"),
        ],
        "checkids-more": [
            include("space"),
            (r",", Punctuation, ("#pop", "checkids")),
            default("#pop"),
        ],
        "string": [
            (r"\{\{|\}\}", String.Escape),
            (r"\\.", String.Escape),
            (r'\{(?=[^{}"\n]*\})', String.Interpol, "hole"),
            (r'[^"\\{}\n]+', String.Double),
            (r"[{}]", String.Double),
            (r'"', String.Double, "#pop"),
            (r"\n", Error, "#pop"),                           # strings end on their line
        ],
        "hole": [
            (r"\}", String.Interpol, "#pop"),
            (r"[ \t]+", Whitespace),
            include("expr"),
            (r'[^}"\n]', String.Interpol),                    # what is not an expression
        ],
    }
