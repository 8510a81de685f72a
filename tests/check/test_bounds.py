"""Field bounds (`in lo..hi`, `size lo..hi`, `matches "re"`): what the checker accepts and
what it refuses, with the code and the position of the bound."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules import _types as T

from .helpers import check_text, diags


def _field(checked, record: str, name: str) -> T.Field:
    rtype = checked.schema.profile if record == "profile" else checked.schema.records[record]
    return rtype.field(name)


def test_bounds_become_the_fields_limits(tmp_path):
    checked = check_text(tmp_path, """
enum Specialty { im, fm }
record Cycle { year: int in 1950..2100, interviews: int in 0.., share: float? in 0..100.5 }
record Experience { country: str matches "[A-Z]{2}", start: date in 1950-01-01.., end: date? in start.. }
profile {
  cycles: list[Cycle] size ..50
  experiences: list[Experience]
  targets: list[Specialty] size 1..2
  scores: list[int]? size 2..2 in 1..300
}
""")
    assert diags(checked) == []
    assert _field(checked, "Cycle", "year").limits == T.Limits(low=1950, high=2100)
    assert _field(checked, "Cycle", "interviews").limits == T.Limits(low=0)
    share = _field(checked, "Cycle", "share").limits
    assert share == T.Limits(low=0.0, high=100.5) and isinstance(share.low, float)
    assert _field(checked, "Experience", "country").limits == T.Limits(pattern="[A-Z]{2}")
    assert _field(checked, "Experience", "start").limits == T.Limits(low=dt.date(1950, 1, 1))
    assert _field(checked, "Experience", "end").limits == T.Limits(after="start")
    assert _field(checked, "profile", "cycles").limits == T.Limits(size_high=50)
    assert _field(checked, "profile", "targets").limits == T.Limits(size_low=1, size_high=2)
    assert _field(checked, "profile", "scores").limits == T.Limits(low=1, high=300, size_low=2, size_high=2)
    assert not _field(checked, "profile", "experiences").limits.declared


def test_a_field_may_still_be_called_size_or_in(tmp_path):
    checked = check_text(tmp_path, "profile { a: int\n size: int\n in: list[int] size 0..3 }")
    assert diags(checked) == []
    assert checked.schema.profile.field_names == ("a", "size", "in")


@pytest.mark.parametrize("fields, code, message, at", [
    ("x: int in 5..1", "E242", "the range 5..1 of 'x' is empty: its low end is above its high end", "in 5..1"),
    ("x: date in 2100-01-01..1950-01-01", "E242", "the range 2100-01-01..1950-01-01 of 'x' is empty", "in 2100"),
    ("x: list[int] size 3..1", "E242", "the size 3..1 of 'x' is empty", "size 3"),
    ("x: list[int] size -1..", "E242", "a size cannot be negative (-1)", "-1.."),
    ("x: list[int] size 1.5..", "E241", "a size is a whole number of items, not 1.5", "1.5"),
    ("x: Level in 0..3", "E241", "'x' is Level: 'in' needs values with an order (int, float or date)", "in 0"),
    ("x: bool in 0..1", "E241", "'x' is bool: 'in' needs values with an order", "in 0"),
    ("x: list[str] in 0..1", "E241", "'x' is list[str]: 'in' needs values with an order", "in 0"),
    ("x: int size 1..2", "E241", "'x' is int, not a list: 'size' bounds a list's length", "size"),
    ("x: int matches \"a\"", "E241", "'x' is int: 'matches' applies to text (str)", "matches"),
    ("x: date in 0..", "E241", "the end 0 does not fit 'x', which holds date values", "0.."),
    ("x: int in 1.5..", "E241", "the end 1.5 does not fit 'x', which holds int values", "1.5"),
    ("x: int in y..", "E241", "the low end of 'x' names 'y', which is not another field of this record", "y.."),
    ("x: int, y: date? in x..", "E241", "'y' (date) cannot be bounded by 'x' (int)", "x.."),
    ("x: str matches \"[\"", "E243", "the pattern of 'x' is not a regular expression", "matches"),
    ("x: int sise 1..2", "E240", "unknown bound 'sise' after the type of 'x'", "sise"),
    ("x: int in 0.. in 1..", "E240", "'in' is given twice for 'x'", "in 1.."),
    ("x: int in \"a\"", "E240", "'in' takes a range lo..hi", "in"),
    ("x: str matches 1..2", "E240", "'matches' takes a quoted regular expression", "matches"),
])
def test_nonsense_bounds_are_refused_where_written(tmp_path, fields, code, message, at):
    line = "profile { " + fields + " }"
    checked = check_text(tmp_path, "enum Level { a, b }\n" + line + "\n")
    found = diags(checked)
    assert [d.code for d in found] == [code]
    assert found[0].message.startswith(message)
    assert (found[0].span.line, found[0].span.column) == (2, line.rindex(at) + 1)


def test_a_fact_field_cannot_have_bounds(tmp_path):
    checked = check_text(tmp_path, "fact note { n: int in 0.. }\n")
    assert [(d.code, d.message) for d in diags(checked)] == [("E240", "fact field 'n' cannot have bounds")]


def test_a_bound_before_any_field_is_a_syntax_error(tmp_path):
    checked = check_text(tmp_path, "profile { in 0.. }\n")
    assert [(d.code, d.message) for d in checked.diagnostics] == [("E002", "'in' comes before any field")]


NEVER = """
enum Sp { a, b, c }
record Cycle { year: int in 1950..2100, interviews: int in 0.., share: float? in 0.0..100.0, on: date? in 2000-01-01.. }
profile { as_of: date, cycles: list[Cycle], targets: list[Sp] size ..2, n: int in 1..5 }
fact f { x: int }
"""


@pytest.mark.parametrize("condition, note", [
    ("for c in cycles when c.interviews < 0", "interviews is declared in 0.."),
    ("when count(cycles where interviews < 0) > 0", "interviews is declared in 0.."),
    ("when exists(cycles as c where -1 >= c.interviews)", "interviews is declared in 0.."),
    ("when len(targets) > 2", "targets is declared size ..2"),
    ("when count(targets) >= 3", "targets is declared size ..2"),
    ("when n in 6..9", "n is declared in 1..5"),
    ("when n not in 1..5", "n is declared in 1..5"),
    ("when n in {0, 7}", "n is declared in 1..5"),
    ("when n == 0", "n is declared in 1..5"),
    ("for c in cycles when c.share > 100.0", "share is declared in 0.0..100.0"),
    ("for c in cycles when c.year < 1950", "year is declared in 1950..2100"),
    ("for c in cycles when c.on < 1999-12-31", "on is declared in 2000-01-01.."),
])
def test_a_condition_the_bounds_rule_out_is_a_warning(tmp_path, condition, note):
    line = f'rule r "R" {condition} then derive f(x: 1)'
    found = diags(check_text(tmp_path, NEVER + line + "\n"))
    assert [d.code for d in found] == ["W512"]
    assert found[0].span.line == NEVER.count("\n") + 1
    assert found[0].message.startswith("this condition can never be true: ")
    assert line[found[0].span.column - 1:].startswith(found[0].message.split(": ", 1)[1])
    assert note in found[0].notes[0]


@pytest.mark.parametrize("condition", [
    "for c in cycles when c.interviews >= 0",
    "for c in cycles when c.interviews == 0",
    "for c in cycles when c.share > 99.5",
    "for c in cycles when c.share < 0.5",
    "for c in cycles when c.on < 2000-01-02",
    "for c in cycles when c.year in 2100..3000",
    "when len(targets) >= 2",
    "when len(targets) == 0",
    "when n < 1.5",
    "when n in {0, 5}",
    "when n not in 2..5",
    "for c in cycles when c.interviews < c.year",
])
def test_a_condition_the_bounds_allow_is_not_warned_about(tmp_path, condition):
    found = diags(check_text(tmp_path, NEVER + f'rule r "R" {condition} then derive f(x: 1)\n'))
    assert found == []


@pytest.mark.parametrize("pattern", ["(a+)+", "(a|aa)*", "([0-9]+-)*x", "x" * 201])
def test_a_pattern_that_could_take_very_long_is_refused(tmp_path, pattern):
    checked = check_text(tmp_path, f'profile {{ code: str matches "{pattern}" }}\n')
    assert [(d.code, d.message) for d in diags(checked)] == [
        ("E243", "the pattern of 'code' could take very long to match")]


@pytest.mark.parametrize("pattern", ["[A-Z]{2}", "[A-Z]{2}(-[0-9]+)?", "(ab){2}(cd)*", "a*b*c?", "(?:[A-Z][0-9])+"])
def test_a_plain_pattern_is_accepted(tmp_path, pattern):
    assert diags(check_text(tmp_path, f'profile {{ code: str matches "{pattern}" }}\n')) == []


def test_test_and_example_data_must_keep_the_bounds(tmp_path):
    checked = check_text(tmp_path, NEVER + """
example base { n: 3, targets: [a, b, c] }
test t "T" given { n: 9, cycles: [{ year: 2000, interviews: -1, on: 1999-01-01 }] } expect no f(x: 1)
""")
    found = [(d.code, d.message, d.span.line) for d in diags(checked)]
    line = NEVER.count("\n") + 2
    assert found == [
        ("E244", "targets: 3 items, more than the maximum 2", line),
        ("E244", "n: 9 is above the maximum 5", line + 1),
        ("E244", "cycles[0].interviews: -1 is below the minimum 0", line + 1),
        ("E244", "cycles[0].on: 1999-01-01 is below the minimum 2000-01-01", line + 1),
    ]


def test_test_data_keeps_the_order_of_fields(tmp_path):
    checked = check_text(tmp_path, """
record Stay { start: date, end: date? in start.. }
profile { stays: list[Stay] }
fact f { x: int }
rule r "R" for s in stays when s.end is missing then derive f(x: 1)
test t "T" given { stays: [{ start: 2026-02-01, end: 2026-01-01 }] } expect f(x: 1)
""")
    assert [(d.code, d.message) for d in diags(checked)] == [
        ("E244", "stays[0].end: 2026-01-01 is before start (2026-02-01)")]


def test_a_message_needs_a_bound_to_explain(tmp_path):
    found = diags(check_text(tmp_path, 'profile { n: int message "why" }\n'))
    assert [(d.code, d.message) for d in found] == [("E240", "'message' explains the bounds of 'n', which has none")]
    found = diags(check_text(tmp_path, 'profile { n: int in 5..1 message "why" }\n'))
    assert [d.code for d in found] == ["E242"]  # the broken range, not a second error


@pytest.mark.parametrize("condition, warned", [
    ("s.end < s.start", True),
    ("s.start > s.end", True),
    ("s.end <= s.start", False),
    ("s.end > s.start", False),
    ("s.start < s.end", False),
])
def test_a_field_below_its_declared_sibling_is_a_condition_that_never_holds(tmp_path, condition, warned):
    checked = check_text(tmp_path, f"""
record Stay {{ start: date, end: date? in start.. }}
profile {{ stays: list[Stay] }}
fact f {{ x: int }}
rule r "R" for s in stays when {condition} then derive f(x: 1)
""")
    assert [d.code for d in diags(checked)] == (["W512"] if warned else [])


@pytest.mark.parametrize("fields, code, message", [
    ("ls: list[L] unique nid", "E241", "L has no field 'nid' to be unique"),
    ("ls: list[L] unique tags", "E241", "'tags' is list[str]: 'unique' compares text, whole numbers, dates or enum values"),
    ("xs: list[int] unique id", "E241", "'xs' is list[int]: 'unique' applies to a list of records"),
    ("x: int unique id", "E241", "'x' is int: 'unique' applies to a list of records"),
    ("ls: list[L] unique 1..2", "E240", "'unique' takes the name of a field of the list's items"),
    ("a: int\n b int", "E240", "unknown bound 'b' after the type of 'a'"),
])
def test_unique_needs_a_list_of_records_and_a_plain_field(tmp_path, fields, code, message):
    checked = check_text(tmp_path, "record L { id: str, k: Level?, tags: list[str]? }\nenum Level { a, b }\n"
                         "profile { " + fields + " }\n")
    assert [(d.code, d.message) for d in diags(checked)] == [(code, message)]


def test_unique_on_a_key_of_each_kind_is_accepted(tmp_path):
    checked = check_text(tmp_path, "enum Level { a, b }\nrecord L { id: str, n: int, on: date, k: Level }\n"
                         "profile { a: list[L] unique id, b: list[L] unique n, c: list[L] unique on, "
                         "d: list[L] unique k }\n")
    assert diags(checked) == []
    assert checked.schema.profile.field("a").limits == T.Limits(unique="id")
