"""The smaller passes: schema, declarations, unsat, unused, tests/examples; the pass table."""

from __future__ import annotations

import pytest

from imgrules._check import PASSES, nesting, run_passes
from imgrules._compile import compile_pack
from imgrules._loader import load_packs

from .helpers import PRELUDE, check_text, codes, diags, messages


def test_pass_table_is_ordered_and_runs_alone(tmp_path):
    assert [name for name, _ in PASSES] == ["schema", "declarations", "names", "strata", "tables", "unsat",
                                           "offsets", "unused", "nesting", "tests"]
    path = tmp_path / "t.rules"
    path.write_text(PRELUDE + "enum Level { a }\n")
    ctx = run_passes(load_packs(path), only=["schema"])
    assert [d.code for d in ctx.diagnostics] == ["E104"]
    assert set(ctx.schema.enums) == {"Level", "Component", "Status"}


def test_schema_problems(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
record Loop { next: Loop }
record Bad { when: dat  x: int  x: str }
enum Twice { a, a }
""")
    got = sorted(zip(codes(checked), messages(checked)))
    assert ("E102", "record Loop contains itself (Loop -> Loop)") in got
    assert ("E102", "unknown type 'dat'") in got
    assert ("E104", "duplicate field 'x' in Bad") in got
    assert ("E104", "duplicate value 'a' in enum Twice") in got
    assert "did you mean 'date'?" in next(d for d in diags(checked) if "dat'" in d.message).notes


def test_duplicates_share_id_spaces(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let x = 1
map x: Level -> int { competitive: 1 }
rule r "A"
  then recommend "a"
window r "B"
  during T-5..T-3
example e { as_of: 2026-01-01 }
example e { as_of: 2026-01-02 }
""")
    assert sorted(codes(checked)) == ["E104", "E104", "E104"]


def test_covers_ids_and_severity(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "A"
  covers FA-5-request-lors, RA-core-story, whatever
  then flag hihg "x"
""")
    assert sorted(zip(codes(checked), messages(checked))) == [
        ("E209", "'hihg' is not a severity"),
        ("W501", "'whatever' does not look like a checklist id"),
    ]


def test_deadline_severity_is_a_flag_severity(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
deadline d "D" severity urgnet by T-5 require true
deadline e "E" severity high by T-5 require true
""")
    assert list(zip(codes(checked), messages(checked))) == [("E209", "'urgnet' is not a severity")]
    bad = diags(checked)[0]
    assert (bad.span.line, bad.span.column) == (PRELUDE.count("\n") + 2, 25)
    assert "severities: critical, high, medium, low, info" in bad.notes


def test_unsat_conjunctions(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule a "A"
  for l in letters
  when l.status == planned and l.status == received
  then recommend "a"
rule b "B"
  for l in letters
  when l.status in {planned} and l.status not in {planned}
  then recommend "b"
rule c "C"
  for l in letters
  when l.weeks_known > 2 and l.weeks_known < 4 and l.status != planned
  then recommend "c"
rule d "D"
  when graduation_year >= 2020 and graduation_year <= 2019
  then recommend "d"
""")
    found = [(d.code, d.message) for d in diags(checked)]
    assert [c for c, _ in found] == ["W503", "W503", "W503"]
    assert found[0][1] == "this condition can never be true: l.status == planned and l.status == received"


def test_unused_declarations(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
enum Lonely { a }
record Orphan { x: int }
fact never_derived { x: int }
let idle = 1
map idle_map: Level -> int { competitive: 1 }
example unused_example { as_of: 2026-01-01 }
rule r "R"
  when exists(tier)
  then recommend "x"
""")
    got = sorted((d.code, d.message) for d in diags(checked, unused=True))
    assert got == [
        ("W504", "enum Lonely is never used by a field or map"),
        ("W504", "let idle is never used"),
        ("W504", "map idle_map is never used"),
        ("W504", "record Orphan is never used by a field"),
        ("W505", "fact type never_derived is never derived"),
        ("W505", "fact type tier is never derived, but it is read"),
        ("W506", "example unused_example is never used by a test"),
    ]


def test_tests_and_examples(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  then derive tier(component: yog, level: borderline)
deadline d "D"
  by T-5
  require true
example base { as_of: 2026-01-01, graduaton_year: 2020, letters: [{id: "l", status: recieved}] }
test t1 "T"
  given base with { exams: { step2_ck: { score: "high" } } }
  expect tier(component: yog, level: borderlin)
  expect rule rr
  expect rule d
  expect deadline d late
  expect window d active
  expect teir(component: yog)
test t2 "T2"
  given bsae
  expect no rule r
""")
    got = sorted((d.code, d.message) for d in diags(checked))
    assert got == [
        ("E103", "'borderlin' is not a value of Level"),
        ("E103", "'recieved' is not a value of Status"),
        ("E110", "unknown field 'graduaton_year' in the profile"),
        ("E115", "d is a deadline, not a rule"),
        ("E115", "d is a deadline, not a window"),
        ("E115", "unknown example 'bsae'"),
        ("E115", "unknown fact type 'teir'"),
        ("E115", "unknown rule 'rr'"),
        ("E201", "exams.step2_ck.score must be an int, not a str"),
        ("E601", "'late' is not a deadline status"),
    ]


def test_is_missing_on_required_value_warns(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  for l in letters
  when l.us_based is missing or l.writer is missing or gpa is present or as_of is present
  then recommend "x"
""")
    assert messages(checked) == [
        "l.us_based is never missing, so 'is missing' is always false",
        "as_of is never missing, so 'is present' is always true",
    ]


def test_diagnostics_are_capped_and_sorted(tmp_path):
    body = "".join(f'rule r{i} "R"\n  when nope{i} > 1\n  then recommend "x"\n' for i in range(150))
    checked = check_text(tmp_path, PRELUDE + body)
    assert len(checked.diagnostics) == 100
    starts = [d.span.start for d in checked.diagnostics]
    assert starts == sorted(starts)


def test_more_nested_loops_than_python_compiles(tmp_path, monkeypatch):
    """The compiled form of a rule nests its bindings, and the and/or and where inside
    them, as loops; Python refuses a 21st. The pass reports it where compiling would fail
    (and only there: the limit is the compiler's, see tests/engine)."""
    def rule(n, cond):
        return PRELUDE + ('rule r "R" for ' + ", ".join(f"l{i} in letters" for i in range(n))
                          + f' when {cond} then recommend "r"\n')

    for n, cond, reported in ((20, "l0.us_based", False), (21, "l0.us_based", True),
                              (19, "l0.us_based and l1.us_based", False),
                              (19, "(l0.us_based or l1.us_based) and l2.us_based", True),
                              (19, "count(letters where us_based and weeks_known > l0.weeks_known) > 0", True),
                              (20, "count(letters) > 0", False)):
        checked = check_text(tmp_path, rule(n, cond))
        assert ("E010" in codes(checked)) == reported, (n, cond)
        if reported:
            d = next(d for d in diags(checked) if d.code == "E010")
            assert d.span.line == PRELUDE.count("\n") + 1 and "nests" in d.message
            with monkeypatch.context() as m:  # without the pass, compiling would fail
                m.setattr(nesting, "LIMIT", 10**6)
                with pytest.raises(SyntaxError, match="too many statically nested blocks"):
                    compile_pack(check_text(tmp_path, rule(n, cond)))
        else:
            compile_pack(checked)  # and it does compile
    deep = "exists(letters where " * 21 + "us_based" + ")" * 21
    assert "E010" in codes(check_text(tmp_path, PRELUDE + f'rule r "R" when {deep} then recommend "r"\n'))
