"""The exact text users see for the common syntax mistakes.

Each message says what went wrong in words (never Lark's terminal names such as RPAR or
__ANON_1), points at the right place, and says what was expected or what to write.
"""

from __future__ import annotations

import re

import pytest

from imgrules._diagnostics import render_all
from imgrules._source import Source
from imgrules._syntax import parse


def rendered(text: str) -> str:
    pack, diagnostics = parse(text, "x.rules")
    assert pack is None and diagnostics
    return render_all(diagnostics, {"x.rules": Source("x.rules", text)})


CASES = {
    "missing then": (
        'rule r "t"\n  when x == 1\n  recommend "hi"\n',
        """\
x.rules:3:3: error[E002]: missing 'then' before 'recommend'
   3 |   recommend "hi"
     |   ^^^^^^^^^
     = note: a rule reads: rule NAME "title" ... when CONDITION then ACTION"""),
    "missing then and action before the next declaration": (
        'rule r "t"\n  when x == 1\n\nrule s "u" then remind "x"\n',
        """\
x.rules:2:14: error[E004]: missing 'then' and an action at the end of rule 'r'
   2 |   when x == 1
     |              ^
     = note: expected 'then'
     = note: add 'then' followed by derive, flag, recommend, remind or needs_info"""),
    "= instead of ==": (
        'rule r "t"\n  when x = 1\n  then recommend "hi"\n',
        """\
x.rules:2:10: error[E002]: '=' is not a comparison; write '==' to compare
   2 |   when x = 1
     |          ^"""),
    "== in a let": (
        "let a == 1\n",
        """\
x.rules:1:7: error[E002]: write a single '=' to define a let
   1 | let a == 1
     |       ^^
     = note: let NAME = EXPRESSION"""),
    "unclosed string": (
        'rule r "t"\n  then recommend "hi\n',
        """\
x.rules:2:18: error[E003]: unterminated string: a string must end with '"' on the same line
   2 |   then recommend "hi
     |                  ^
     = note: strings cannot span lines; close it before the end of the line"""),
    "misspelt keyword": (
        'rule r "t"\n  wehn x == 1\n  then recommend "hi"\n',
        """\
x.rules:2:3: error[E002]: unexpected name 'wehn'
   2 |   wehn x == 1
     |   ^^^^
     = note: expected 'at', 'cite', 'covers', 'during', 'for', 'from', 'priority', 'then', 'until' or 'when'
     = help: did you mean 'when'?"""),
    "misspelt declaration keyword": (
        'rlue r "t"\n  then recommend "hi"\n',
        """\
x.rules:1:1: error[E002]: unexpected name 'rlue'
   1 | rlue r "t"
     | ^^^^
     = note: expected the next declaration
     = help: did you mean 'rule'?"""),
    "misspelt action": (
        'rule r "t"\n  when x\n  then recomend "hi"\n',
        """\
x.rules:3:8: error[E002]: unexpected name 'recomend'
   3 |   then recomend "hi"
     |        ^^^^^^^^
     = note: expected 'derive', 'flag', 'needs_info', 'recommend' or 'remind'
     = help: did you mean 'recommend'?"""),
    "unexpected end of file": (
        'rule r "t"\n  when x ==\n',
        """\
x.rules:2:12: error[E004]: unexpected end of file: the rule 'r' is not finished
   2 |   when x ==
     |            ^
     = note: expected a value"""),
    "unexpected end of file in an enum": (
        "enum E { a, b\n",
        """\
x.rules:1:14: error[E004]: unexpected end of file: the enum 'E' is not finished
   1 | enum E { a, b
     |              ^
     = note: expected ',', '}', a name or a string"""),
    "stray character": (
        'rule r "t"\n  when x == 1 $\n  then recommend "hi"\n',
        """\
x.rules:2:15: error[E002]: unexpected character '$'
   2 |   when x == 1 $
     |               ^
     = note: expected a value, an operator, ')', ',', ':', '=>', ']', '}' or a unit (days, weeks, months, years)"""),
    "bad date": (
        "let d = 2026-02-30\n",
        """\
x.rules:1:9: error[E006]: '2026-02-30' is not a real date (YYYY-MM-DD)
   1 | let d = 2026-02-30
     |         ^^^^^^^^^^"""),
    "bad date inside a message": (
        'rule r "t" then remind "on {2026-02-30}"\n',
        """\
x.rules:1:29: error[E006]: '2026-02-30' is not a real date (YYYY-MM-DD)
   1 | rule r "t" then remind "on {2026-02-30}"
     |                             ^^^^^^^^^^"""),
    "unclosed { in a message": (
        'rule r "t"\n  then recommend "Hello {name"\n',
        """\
x.rules:2:25: error[E005]: '{' in a message opens a value that is never closed
   2 |   then recommend "Hello {name"
     |                         ^
     = note: write '{{' for a literal brace"""),
    "incomplete value in a message": (
        'rule r "t"\n  then recommend "Hello {name +}"\n',
        """\
x.rules:2:32: error[E005]: the value in '{...}' is incomplete
   2 |   then recommend "Hello {name +}"
     |                                ^
     = note: expected a value
     = note: write '{{' for a literal brace"""),
    "missing title": (
        'rule r then remind "x"\n',
        """\
x.rules:1:8: error[E002]: the rule needs a title in quotes after its name
   1 | rule r then remind "x"
     |        ^^^^
     = note: write: rule NAME "A title in plain words\""""),
    "quoted name": (
        'rule "r" "t" then remind "x"\n',
        """\
x.rules:1:6: error[E002]: unexpected string "r"
   1 | rule "r" "t" then remind "x"
     |      ^^^
     = note: names are written without quotes"""),
    "month without T": (
        'rule r "t" from 5 then remind "x"\n',
        """\
x.rules:1:17: error[E002]: unexpected number '5': months are written T-k
   1 | rule r "t" from 5 then remind "x"
     |                 ^
     = note: for example: from T-5, during T-8..T-7"""),
    "&& for and": (
        'rule r "t" when (a) && b then remind "x"\n',
        """\
x.rules:1:21: error[E002]: '&&' is not an imgrules operator; did you mean 'and'?
   1 | rule r "t" when (a) && b then remind "x"
     |                     ^^
     = note: for example: when a and b"""),
    "|| for or": (
        'rule r "t" when a || b then remind "x"\n',
        """\
x.rules:1:19: error[E002]: '||' is not an imgrules operator; did you mean 'or'?
   1 | rule r "t" when a || b then remind "x"
     |                   ^^
     = note: for example: when a or b"""),
    "! for not": (
        'rule r "t" when !a then remind "x"\n',
        """\
x.rules:1:17: error[E002]: '!' is not an imgrules operator; did you mean 'not'?
   1 | rule r "t" when !a then remind "x"
     |                 ^
     = note: for example: when not a"""),
    "a line of == between declarations": (
        'let a = 1\n==\nlet b = 2\n',
        """\
x.rules:2:1: error[E002]: a line of only '==' is read as a comparison; did you mean a comment, '# =='?
   2 | ==
     | ^^
     = note: comments start with '#'; '==' compares the values either side of it"""),
    "a heading underline of = inside a rule": (
        'rule r "t"\n  when x\n=====\n  then remind "x"\n',
        """\
x.rules:3:1: error[E002]: a line of only '=====' is read as a comparison; did you mean a comment, '# ====='?
   3 | =====
     | ^^^^^
     = note: comments start with '#'; '==' compares the values either side of it"""),
    "elif": (
        'let y = 1 elif b\n',
        """\
x.rules:1:11: error[E002]: 'elif' is not imgrules; did you mean 'else if'?
   1 | let y = 1 elif b
     |           ^^^^
     = note: for example: if a then 1 else if b then 2 else 3"""),
    "if without else at the end of a let": (
        'let y = if a then 1\n',
        """\
x.rules:1:20: error[E004]: the 'if' in the let 'y' has no 'else' branch
   1 | let y = if a then 1
     |                    ^
     = note: expected 'else'
     = note: write: if CONDITION then A else B (or else if ... for more cases)"""),
    "if without else in a rule": (
        'rule r "t" when if a then b > 2 then remind "x"\n',
        """\
x.rules:1:33: error[E002]: unexpected 'then': an 'if' needs an 'else' branch
   1 | rule r "t" when if a then b > 2 then remind "x"
     |                                 ^^^^
     = note: write: if CONDITION then A else B (or else if ... for more cases)"""),
    "elif after an if": (
        'let y = if a then 1 elif b then 2 else 3\n',
        """\
x.rules:1:21: error[E002]: 'elif' is not imgrules; did you mean 'else if'?
   1 | let y = if a then 1 elif b then 2 else 3
     |                     ^^^^
     = note: for example: if a then 1 else if b then 2 else 3"""),
    "Python's conditional expression": (
        'let y = 1 if a else 2\n',
        """\
x.rules:1:11: error[E002]: imgrules has no 'A if CONDITION else B'; did you mean 'if CONDITION then A else B'?
   1 | let y = 1 if a else 2
     |           ^^"""),
    "a span fold's window under another name": (
        'let a = union_months(span(x.start, x.end) for x in xs, window: w)\n',
        """\
x.rules:1:56: error[E002]: unexpected 'window'
   1 | let a = union_months(span(x.start, x.end) for x in xs, window: w)
     |                                                        ^^^^^^
     = note: expected 'within'"""),
}


def test_foreign_operators_keep_their_hint_where_the_imgrules_form_is_valid():
    """`!=` is imgrules: the '!' hint is only for a '!' that is not part of it; a lone
    `==` continuing a comparison on the next line is valid."""
    for text in ('rule r "t" when x != 1 then remind "x"\n',
                 'rule r "t"\n  when x\n  ==\n  1 then remind "x"\n'):
        pack, diagnostics = parse(text, "x.rules")
        assert pack is not None and not diagnostics


@pytest.mark.parametrize("name", list(CASES))
def test_error_message(name):
    text, expected = CASES[name]
    assert rendered(text) == expected


def test_several_errors_are_all_reported_in_order():
    text = ('rule r "t"\n  when x = 1\n  then recommend "hi"\n\nlet y = \n\n'
            'rule s "u"\n  wehn y\n  then remind "x"\n')
    pack, diagnostics = parse(text, "x.rules")
    assert pack is None
    assert [(d.span.line, d.span.column, d.code) for d in diagnostics] == [
        (2, 10, "E002"), (5, 8, "E004"), (8, 3, "E002")]
    assert diagnostics[1].message == "the let 'y' is not finished before the next declaration"


@pytest.mark.parametrize("text", [v[0] for v in CASES.values()] + [
    "let x = f(a))\n", "let x = a and and b\n", "table t \"t\" hit first given a derive f() row\n",
    "test t \"t\" given { a: } expect rule r\n", "map m: a -> b { 1: }\n"])
def test_no_lark_names_leak(text):
    out = rendered(text)
    assert not re.search(r"__ANON|\b(RPAR|LPAR|RBRACE|LBRACE|LSQB|RSQB|COMMA|COLON|STRING|"
                         r"INT|FLOAT|TMONTH|\$END)\b", out), out


def test_arithmetic_after_a_number_parses():
    """`3 - 4`: the lexer's sign/minus mix-up after a number is repaired by the parser."""
    pack, diagnostics = parse("let x = a * 3 - 4 - 2.5\nmap m: int -> int { 1: 2 -3: -4 }\n", "x.rules")
    assert diagnostics == []
    body = pack.declarations[0].body
    assert (body.op, body.left.op, body.left.left.op) == ("-", "-", "*")
    entries = pack.declarations[1].entries
    assert [(e.key.value, e.value.value) for e in entries] == [(1, 2), (-3, -4)]
