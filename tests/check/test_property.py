"""Property: any program the grammar can generate is checked without raising.

Programs come from ``hypothesis.extra.lark.from_lark`` on the real grammar, with explicit
strategies for every terminal so that tokens are separated and names are plausible
(fields, enum values, fact types and lets of a small prelude appended to each program),
which makes most generated programs parse and reach the deeper passes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from imgrules._resources import grammar_text
from imgrules._check import check_pack
from imgrules._loader import PackSet
from imgrules._source import Source
from imgrules._syntax import parse

from .helpers import PRELUDE

NAMES = ["as_of", "letters", "exams", "step2_ck", "score", "attempts", "status", "writer", "us_based",
         "tier", "component", "level", "yog", "usce", "concerning", "borderline", "competitive", "planned",
         "requested", "l", "t", "x", "year", "count_it", "months_between", "coalesce", "Level", "Letter",
         "Component", "high", "info", "unique", "first", "collect", "upcoming", "overdue", "int", "date",
         "gpa", "graduation_year", "months_to_go", "application_date", "lonely", "span", "start", "end"]


def _spaced(strategy):
    return strategy.map(lambda s: f" {s} ")


def _terminals() -> dict:
    lark = Lark(grammar_text(), parser="lalr", start="start")
    explicit = {t.name: st.just(f" {t.pattern.value} ") for t in lark.terminals if t.pattern.type == "str"}
    explicit.update({
        "NAME": _spaced(st.sampled_from(NAMES)),
        "INT": _spaced(st.integers(0, 300).map(str)),
        "FLOAT": _spaced(st.sampled_from(["0.5", "2.5", "239.5", "3.0"])),
        "STRING": _spaced(st.sampled_from(['"x"', '"US"', '"Letter {l.writer}"', '"{count(letters)} left"',
                                           '"{{braces}}"', '"{nope}"'])),
        "DATE": _spaced(st.sampled_from(["2026-11-22", "2027-09-15", "2020-02-29"])),
        "TMONTH": _spaced(st.sampled_from(["T-5", "T-12", "T-0", "T+1"])),
        "UNIT": _spaced(st.sampled_from(["days", "weeks", "months", "year"])),
        "AGG": _spaced(st.sampled_from(["count", "exists", "all", "sum", "min", "max"])),
        "SPANS": _spaced(st.sampled_from(["union_months", "longest_gap_months"])),
        "CHECK_ID": _spaced(st.sampled_from(["FA-5-request-lors", "RA-core-story", "x-y"])),
        "COMPARE": _spaced(st.sampled_from(["==", "!=", "<", "<=", ">", ">="])),
        "ADD_OP": _spaced(st.sampled_from(["+", "-"])),
        "MUL_OP": _spaced(st.sampled_from(["*", "/"])),
        "COMMENT": st.just(" # c\n"),
        "WS": st.just(" "),
    })
    return explicit


def programs():
    lark = Lark(grammar_text(), parser="lalr", start="start")
    return from_lark(lark, start="start", explicit=_terminals())


def _check_generated(program: str) -> None:
    text = program + "\n" + PRELUDE.replace("pack t", "")
    pack, diagnostics = parse(text, "gen.rules")
    packset = PackSet((pack,) if pack is not None else (), {"gen.rules": Source("gen.rules", text)},
                      tuple(diagnostics), "gen.rules")
    checked = check_pack(packset)
    assert len(checked.diagnostics) <= 100
    for diag in checked.diagnostics:
        assert diag.span.path == "gen.rules" and diag.message


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_generated_programs_never_make_the_checker_raise(program):
    _check_generated(program)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_generated_programs_never_make_the_checker_raise_long(program):
    _check_generated(program)
