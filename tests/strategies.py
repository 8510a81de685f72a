"""Shared Hypothesis strategies for rule-pack text.

``programs()`` draws text from the grammar itself (``hypothesis.extra.lark.from_lark`` on
grammar/imgrules.lark). Every token is followed by whitespace so that neighbours never
glue into a different token, names are never keywords, dates are real dates, and
strings sometimes carry ``{name}`` holes, so most drawn programs parse. Use it as::

    from strategies import programs      # tests/ is on sys.path for packages under tests/

    @given(programs())
    def test_something(text): ...
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from imgrules._resources import grammar_text

__all__ = ["programs", "names", "strings", "messages", "keywords", "RESERVED"]

_AGGREGATES = ("count", "exists", "all", "sum", "min", "max")
_SPAN_FOLDS = ("union_months", "longest_gap_months")
_UNITS = ("day", "days", "week", "weeks", "month", "months", "year", "years")


@functools.cache
def _grammar() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", start="start")


@functools.cache
def keywords() -> frozenset[str]:
    """The grammar's fixed words (``rule``, ``then``, ``in``...)."""
    return frozenset(t.pattern.value for t in _grammar().terminals
                     if t.pattern.type == "str" and t.pattern.value.isidentifier())


@functools.cache
def _reserved() -> frozenset[str]:
    return keywords() | set(_AGGREGATES) | set(_SPAN_FOLDS) | set(_UNITS)


RESERVED = _reserved


def names() -> st.SearchStrategy[str]:
    """Identifiers that are not keywords, aggregate or unit words."""
    return st.from_regex(r"[a-z_][a-z0-9_]{0,7}|[A-Z][A-Za-z0-9]{0,5}", fullmatch=True).filter(
        lambda n: n not in _reserved())


def _holes() -> st.SearchStrategy[str]:
    dotted = st.lists(names(), min_size=1, max_size=3).map(".".join)
    return dotted.map(lambda e: "{" + e + "}")


_PLAIN = st.text(st.characters(blacklist_characters='"\\{}\n', blacklist_categories=("Cc", "Cs")),
                 max_size=10)
_ESCAPES = st.sampled_from(['\\"', "\\\\", "\\n", "\\t"])


def strings() -> st.SearchStrategy[str]:
    """String literals as written (with quotes), without holes or braces."""
    return st.lists(st.one_of(_PLAIN, _ESCAPES), max_size=4).map(lambda ps: '"' + "".join(ps) + '"')


def messages() -> st.SearchStrategy[str]:
    """String literals that are valid messages: text, escapes, ``{{``/``}}`` and holes."""
    piece = st.one_of(_PLAIN, _ESCAPES, st.just("{{"), st.just("}}"), _holes())
    return st.lists(piece, max_size=5).map(lambda ps: '"' + "".join(ps) + '"')


def _comment() -> st.SearchStrategy[str]:
    text = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cc", "Cs")), max_size=15)
    return text.map(lambda t: "#" + t + "\n")


def _terminals() -> dict[str, st.SearchStrategy[str]]:
    def spaced(strategy):
        return strategy.map(lambda s: s + " ")

    explicit = {
        "NAME": spaced(names()),
        "STRING": spaced(st.one_of(strings(), messages())),
        "INT": spaced(st.from_regex(r"[0-9]{1,6}", fullmatch=True)),
        "FLOAT": spaced(st.from_regex(r"[0-9]{1,5}\.[0-9]{1,5}", fullmatch=True)),
        "DATE": spaced(st.dates().map(lambda d: d.isoformat())),
        "TMONTH": spaced(st.builds(lambda sign, n: f"T{sign}{n}", st.sampled_from("-+"),
                                   st.integers(0, 36))),
        "CHECK_ID": spaced(st.from_regex(r"[A-Z]{2}-[0-9]{1,2}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)),
        "COMPARE": spaced(st.sampled_from(["==", "!=", "<", "<=", ">", ">="])),
        "ADD_OP": spaced(st.sampled_from(["+", "-"])),
        "MUL_OP": spaced(st.sampled_from(["*", "/"])),
        "UNIT": spaced(st.sampled_from(_UNITS)),
        "AGG": spaced(st.sampled_from(_AGGREGATES)),
        "SPANS": spaced(st.sampled_from(_SPAN_FOLDS)),
        "OPTIONAL": st.just("? "),
        "COMMENT": _comment(),
        "WS": st.sampled_from([" ", "\n", "\n\n  ", "\t"]),
    }
    for terminal in _grammar().terminals:
        if terminal.name not in explicit and terminal.pattern.type == "str":
            explicit[terminal.name] = st.just(terminal.pattern.value + " ")
    return explicit


def programs() -> st.SearchStrategy[str]:
    """Pack text drawn from the grammar; most of it parses (holes and dates are valid)."""
    return from_lark(_grammar(), start="start", explicit=_terminals())
