"""``date(y, m, d)`` and ``date("YYYY-MM-DD")``: typed arguments, and a date written
with constants only that does not exist is an error where it is written."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._builtins import make_date

from .helpers import PRELUDE, check_text, codes, messages


def test_dates_of_parts_and_of_text_check(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let opens = date(2027, 9, 15)
let also = date("2027-09-15")
let mine = date(graduation_year, 6, 30)
rule r "R" when opens == also and mine < as_of then remind "x"
""")
    assert codes(checked) == []


def test_a_constant_date_that_does_not_exist_is_an_error_at_its_place(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = date(2027, 2, 29)
let b = date("2027-9-15")
let c = date(2027, 13, 1)
let d = date(3000, 1, 1)
rule r "R" when a < b and c < d then remind "x"
""")
    assert codes(checked) == ["E215"] * 4
    assert messages(checked) == [
        "date(2027, 2, 29) is not a date: February 2027 has no day 29",
        "date(\"2027-9-15\") is not a date: '2027-9-15' is not a date written YYYY-MM-DD",
        "date(2027, 13, 1) is not a date: there is no month 13",
        "date(3000, 1, 1) is not a date: the year 3000 is outside 1800-2999"]
    assert [(d.span.line, d.span.column) for d in checked.diagnostics if d.code == "E215"] == [
        (12, 9), (13, 9), (14, 9), (15, 9)]


def test_arguments_of_the_wrong_kind_or_number(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = date(2027, 9)
let b = date(2027, "9", 1)
let c = date(as_of)
rule r "R" when a < b and c < as_of then remind "x"
""")
    assert codes(checked) == ["E112", "E212", "E212"]
    assert messages(checked)[1:] == ["date() expects an int, but argument 2 is str",
                                     "date() expects text YYYY-MM-DD, but argument 1 is date"]


@pytest.mark.parametrize("parts, want", [
    ((2028, 2, 29), dt.date(2028, 2, 29)), (("1800-01-01",), dt.date(1800, 1, 1)),
    (("2999-12-31",), dt.date(2999, 12, 31))])
def test_make_date_gives_existing_days(parts, want):
    assert make_date(*parts) == want


@pytest.mark.parametrize("parts", [(2027, 2, 29), (2027, 0, 1), (2027, 4, 31), (1799, 12, 31),
                                   ("2027-02-30",), ("20270915",), ("2027-09-15T00:00",), ("",)])
def test_make_date_refuses_what_is_no_date(parts):
    with pytest.raises(ValueError):
        make_date(*parts)
