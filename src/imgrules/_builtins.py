"""Builtin functions and values of the language, with their types and meaning.

The checker reads the signatures; the engine calls the implementations. A builtin
receives plain Python values; the engine handles missing values before calling (any
missing argument makes the result missing), except for ``coalesce``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

from . import _types as T
from ._semantics.intervals import make_span
from ._semantics.render import message_text
from ._semantics.values import months_between
from ._values import MISSING


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    d = day.day
    if d > 28:  # only the days past the 28th may not exist in the month reached
        d = min(d, calendar.monthrange(year, month + 1)[1]) if 0 < year < 10000 else d
    return dt.date(year, month + 1, d)


def weeks_between(start: dt.date, end: dt.date) -> int:
    """Whole weeks from ``start`` to ``end``, counted toward zero in both directions (as
    :func:`months_between`): -52 days is -7 weeks, not -8."""
    days = (end - start).days
    return days // 7 if days >= 0 else -(-days // 7)


def add_duration(day: dt.date, amount: int, unit: str) -> dt.date:
    if unit == "day" or unit == "week":
        days = amount if unit == "day" else 7 * amount
        step = _DAY_STEPS.get(days)
        if step is None:
            step = _day_step(days)
        return day + step
    if unit == "month":
        return add_months(day, amount)
    return add_months(day, 12 * amount)


# Steps of a few days, made once: ``timedelta(days=n)`` costs ten times the addition
# (rules add durations to dates in their inner loops: "b.start == a.end + d").
_DAY_STEPS: dict[int, dt.timedelta] = {}


def _day_step(days: int) -> dt.timedelta:
    step = dt.timedelta(days=days)
    if len(_DAY_STEPS) < 1024:
        _DAY_STEPS[days] = step
    return step


@attrs.frozen
class Builtin:
    """A builtin function: name, parameter types (None = any), result type rule, meaning."""

    name: str
    params: tuple[T.Type | None, ...]
    result: T.Type | Callable[[list[T.Type]], T.Type]
    impl: Callable
    doc: str
    handles_missing: bool = False

    def result_type(self, args: list[T.Type]) -> T.Type:
        return self.result(args) if callable(self.result) else self.result


def _first_type(args: list[T.Type]) -> T.Type:
    return args[0] if args else T.UNKNOWN


# days in a week, months in a year: durations of one family compare by these
_DAYS = {"day": 1, "week": 7}
_MONTHS = {"month": 1, "year": 12}


def _order_key(value):
    """What ``min``/``max`` compare: the value itself, or a duration in days or months.
    Day-based and month-based durations have no order between them (a month is not a
    fixed number of days): ValueError."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        amount, unit = value
        if unit in _DAYS:
            return ("days", amount * _DAYS[unit])
        return ("months", amount * _MONTHS[unit])
    return value


def _extreme(pick):
    def extreme(*values):
        keys = [_order_key(v) for v in values]
        if isinstance(keys[0], tuple) and len({k[0] for k in keys if isinstance(k, tuple)}) > 1:
            raise ValueError("durations in days and in months have no order")
        index = pick(range(len(values)), key=lambda i: keys[i][1] if isinstance(keys[i], tuple) else keys[i])
        return values[index]
    return extreme


def round_to(x, digits: int):
    """``x`` rounded to ``digits`` decimals (negative: to tens, hundreds, ...), halves away
    from zero as people round (``round(2.5, 0)`` is 3, ``round(2.675, 2)`` is 2.68); an
    int stays an int."""
    if isinstance(x, bool) or isinstance(digits, bool) or not isinstance(digits, int) or abs(digits) > 15:
        raise ValueError("round() takes up to 15 digits")
    try:
        rounded = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError("cannot round this number") from None
    return int(rounded) if isinstance(x, int) else float(rounded)


# the years a date may have: those of profile dates, so that date arithmetic stays inside
# the calendar (see E231)
DATE_YEARS = (1800, 2999)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def make_date(*parts) -> dt.date:
    """``date(2027, 9, 15)`` or ``date("2027-09-15")``: the date, or ValueError when there
    is no such day (``date(2027, 2, 30)``), the text is not YYYY-MM-DD, or the year is
    outside 1800-2999."""
    if len(parts) == 1 and isinstance(parts[0], str):
        match = _ISO_DATE.fullmatch(parts[0])
        if match is None:
            raise ValueError(f"'{parts[0]}' is not a date written YYYY-MM-DD")
        parts = tuple(int(p) for p in match.groups())
    if len(parts) != 3 or not all(type(p) is int for p in parts):
        raise ValueError("date() takes a year, a month and a day, or text YYYY-MM-DD")
    year, month, day = parts
    if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
        raise ValueError(f"the year {year} is outside {DATE_YEARS[0]}-{DATE_YEARS[1]}")
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"{calendar.month_name[month]} {year} has no day {day}")
    return dt.date(year, month, day)


def as_text(value) -> str:
    """A value as text, exactly as it reads inside a message hole."""
    return message_text(value)


def _number_type(args: list[T.Type]) -> T.Type:
    """The first argument's type when it is a number (int stays int), else unknown."""
    return args[0] if args and T.is_numeric(args[0]) else T.UNKNOWN


def _coalesce(*values):
    for value in values:
        if value is not MISSING and value is not None:
            return value
    return MISSING


FUNCTIONS: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin("year", (T.DATE,), T.INT, lambda d: d.year, "the year of a date"),
        Builtin("month", (T.DATE,), T.INT, lambda d: d.month, "the month (1-12) of a date"),
        Builtin("day", (T.DATE,), T.INT, lambda d: d.day, "the day of the month of a date"),
        Builtin("months_between", (T.DATE, T.DATE), T.INT, months_between,
                "whole months from the first date to the second"),
        Builtin("days_between", (T.DATE, T.DATE), T.INT, lambda a, b: (b - a).days,
                "days from the first date to the second"),
        Builtin("weeks_between", (T.DATE, T.DATE), T.INT, weeks_between,
                "whole weeks from the first date to the second"),
        Builtin("len", (None,), T.INT, len, "the number of items in a list (or characters in text)"),
        Builtin("abs", (None,), _first_type, abs, "the absolute value of a number"),
        Builtin("ceil", (T.FLOAT,), T.INT, math.ceil, "the smallest whole number not below a number"),
        Builtin("floor", (T.FLOAT,), T.INT, math.floor, "the largest whole number not above a number"),
        Builtin("lower", (T.STR,), T.STR, str.lower, "text in lower case"),
        Builtin("coalesce", (None, None), _first_type, _coalesce,
                "the first of its arguments that is present", handles_missing=True),
        Builtin("min", (None, None), _first_type, _extreme(min),
                "the least of two or more numbers, dates or durations"),
        Builtin("max", (None, None), _first_type, _extreme(max),
                "the greatest of two or more numbers, dates or durations"),
        Builtin("round", (T.FLOAT, T.INT), _number_type, round_to,
                "a number rounded to a number of decimals (halves away from zero)"),
        Builtin("str", (None,), T.STR, as_text, "a value as text, as it reads in a message"),
        Builtin("span", (T.DATE, T.DATE), T.SPAN, make_span,
                "the days from the first date to the second, both included (for union_months "
                "and longest_gap_months)"),
        Builtin("date", (T.INT, T.INT, T.INT), T.DATE, make_date,
                "the date of a year, month and day, or of text YYYY-MM-DD (missing when there is "
                "no such day)"),
    )
}

# Names that denote a value computed from the evaluation itself.
VALUES: dict[str, tuple[T.Type, str]] = {
    "months_to_go": (T.INT, "whole months from as_of to application_date (the T-number)"),
}
