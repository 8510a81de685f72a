"""The tables pass: cell and output types, overlaps, hidden rows and gaps with witnesses."""

from __future__ import annotations

from .helpers import diags, PRELUDE, check_text, codes, messages


def table(hit: str, given: str, rows: str, derive: str = "derive tier(component: step2_ck)") -> str:
    return PRELUDE + f"""
table tt "T"
  hit {hit}
  given {given}
  {derive}
{rows}
"""


def test_unique_overlap_and_gap_have_witnesses(tmp_path):
    checked = check_text(tmp_path, table("unique", "exams.step2_ck.score", """
  row ..224 => concerning
  row 225..240 => borderline
  row 240.. => competitive
"""))
    assert codes(checked) == ["E401"]
    assert messages(checked) == ["score 240 matches rows 2 and 3"]
    diag = diags(checked)[0]
    assert checked.sources[diag.span.path].line(diag.span.line).strip() == "row 240.. => competitive"


def test_int_reasoning_has_no_gap_between_consecutive_ranges(tmp_path):
    checked = check_text(tmp_path, table("unique", "exams.step2_ck.score", """
  row ..224 => concerning
  row 225..239 => borderline
  row 240.. => competitive
"""))
    assert codes(checked) == []


def test_float_gap_between_ranges(tmp_path):
    checked = check_text(tmp_path, table("unique", "gpa", """
  row ..239 => concerning
  row 240.. => competitive
"""))
    assert messages(checked) == ["gpa 239.5 matches no row of table tt"]
    assert codes(checked) == ["W510"]


def test_int_gap_found(tmp_path):
    checked = check_text(tmp_path, table("collect", "exams.step2_ck.score", """
  row < 220 => concerning
  row 225.. => competitive
"""))
    assert codes(checked) == ["W510"]
    assert messages(checked)[0].startswith("score 22")  # 220..224 is uncovered
    value = int(messages(checked)[0].split()[1])
    assert 220 <= value <= 224


def test_first_hidden_row_and_enum_columns(tmp_path):
    checked = check_text(tmp_path, table("first", "exams.step2_ck.attempts, exams.step2_ck.score", """
  row 2.., any => concerning
  row any, ..224 => concerning
  row any, 240.. => competitive
  row any, 225..239 => borderline
  row 3.., 230 => borderline
"""))
    assert codes(checked) == ["W511"]
    assert messages(checked) == ["row 5 can never fire: rows 1 and 4 always match first"]


def test_enum_input_gap(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
fact note { component: Component  level: Level }
table tt "T"
  hit unique
  given letters[0].status
  derive note(component: yog)
  row {planned, requested} => concerning
""")
    assert messages(checked) == ["status received matches no row of table tt"]


def test_cell_and_output_types(tmp_path):
    checked = check_text(tmp_path, table("hoot", "exams.step2_ck.score", """
  row "high" => competitive
  row 1..2 => competitive, borderline
  row 3 => excellent
  row 1, 2 => borderline
"""))
    got = sorted(zip(codes(checked), messages(checked)))
    assert got[0] == ("E103", "'excellent' is not a value of Level")
    assert ("E201", "a cell must be an int, not a str") in got
    assert ("E402", "unknown hit policy 'hoot'") in got
    assert ("E403", "row 2 gives 2 outputs, but the derive leaves 1 field to fill (level)") in got
    assert ("E404", "row 4 has 2 cells, but the table has 1 inputs") in got


def test_missing_and_present_cells_are_reasoned_about_like_values(tmp_path):
    covered = check_text(tmp_path, table("unique", "exams.step2_ck.score", """
  row missing => concerning
  row present => competitive
"""))
    assert codes(covered) == []
    overlap = check_text(tmp_path, table("unique", "exams.step2_ck.score", """
  row missing => concerning
  row any => competitive
"""))
    assert messages(overlap) == ["score missing matches rows 1 and 2"]
    present_overlap = check_text(tmp_path, table("unique", "exams.step2_ck.score", """
  row present => concerning
  row 240.. => competitive
"""))
    assert sorted(codes(present_overlap)) == ["E401", "W510"]  # and: score missing, no row
    assert any(m.endswith("matches rows 1 and 2") for m in messages(present_overlap))


def test_a_missing_input_no_row_covers_is_a_gap_once_a_row_tests_presence(tmp_path):
    checked = check_text(tmp_path, table("first", "exams.step2_ck.score", """
  row present => competitive
  row 240.. => borderline
"""))
    assert messages(checked) == ["score missing matches no row of table tt",
                                 "row 2 can never fire: row 1 always matches first"]


def test_missing_row_before_value_rows_hides_none_of_them(tmp_path):
    checked = check_text(tmp_path, table("first", "exams.step2_ck.score", """
  row missing => concerning
  row ..239 => borderline
  row 240.. => competitive
"""))
    assert codes(checked) == []
