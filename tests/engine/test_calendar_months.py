"""Moving a date by calendar months (``T-k``, ``date + 3 months``): the same day of the
month reached, or its last day when the month is shorter; leaving the calendar is an
error, not a wrong date."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgrules._builtins import add_duration, add_months


def _by_definition(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@pytest.mark.parametrize(("day", "months", "want"), [
    (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
    (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
    (dt.date(2027, 5, 31), -1, dt.date(2027, 4, 30)),
    (dt.date(2027, 9, 15), -7, dt.date(2027, 2, 15)),
    (dt.date(2027, 12, 30), 2, dt.date(2028, 2, 29)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2027, 8, 29), 6, dt.date(2028, 2, 29)),
])
def test_month_ends_clamp(day, months, want):
    assert add_months(day, months) == want
    assert add_duration(day, months, "month") == want


@given(st.dates(), st.integers(-150_000, 150_000))
def test_months_as_defined_or_out_of_the_calendar(day, months):
    try:
        want = _by_definition(day, months)
    except ValueError:
        with pytest.raises(ValueError):
            add_months(day, months)
    else:
        assert add_months(day, months) == want


@given(st.dates(), st.integers(-4_000_000, 4_000_000), st.sampled_from(["day", "week"]))
def test_days_and_weeks_as_defined_or_out_of_the_calendar(day, amount, unit):
    """Steps of days are kept once made (a bounded table): the same answer every time,
    for small and huge amounts alike, and leaving the calendar is still an error."""
    days = amount if unit == "day" else 7 * amount
    try:
        want = day + dt.timedelta(days=days)
    except OverflowError:
        for _ in range(2):
            with pytest.raises(OverflowError):
                add_duration(day, amount, unit)
    else:
        assert add_duration(day, amount, unit) == want
        assert add_duration(day, amount, unit) == want  # the kept step
        assert add_duration(want, -amount, unit) == day
