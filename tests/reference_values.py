"""The values of the reference evaluator (tests/reference.py), and dates by the book.

Missing data is an :class:`Unknown` carrying the ``$.paths`` it depends on; a ``count``
with unknown elements is a :class:`CountRange`. Dates are computed from the contract's
formulas (docs/language-reference.md), not with imgrules' own helpers.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from imgrules import ast
from imgrules import _types as T

# ---------------------------------------------------------------- values


class Unknown:
    """A missing value or an unknown truth value, with the input paths it depends on."""

    __slots__ = ("paths",)

    def __init__(self, paths=()):
        self.paths = frozenset(paths)

    def __repr__(self):
        return f"Unknown({sorted(self.paths)})"


def unknown_of(*values) -> Unknown:
    paths: set = set()
    for v in values:
        if isinstance(v, (Unknown, CountRange)):
            paths |= v.paths
    return Unknown(paths)


class CountRange:
    """The result of ``count`` when some elements are unknown: any count in lo..hi (hi
    None: no upper bound, as ``union_months`` of unknown spans without a window)."""

    __slots__ = ("lo", "hi", "paths")

    def __init__(self, lo: int, hi: int | None, paths):
        self.lo, self.hi, self.paths = lo, hi, frozenset(paths)

    def candidates(self, *against) -> range:
        """The whole numbers the value could be; without an upper bound, those up to one
        past every number it is tested against (larger ones answer the same tests)."""
        if self.hi is not None:
            return range(self.lo, self.hi + 1)
        numbers = [math.floor(c) for c in against if isinstance(c, (int, float)) and not isinstance(c, bool)]
        return range(self.lo, max([self.lo, *numbers]) + 2)


def is_unknown(v) -> bool:
    return isinstance(v, (Unknown, CountRange))


class Dur:
    """A duration: amount and singular unit (day, week, month, year)."""

    __slots__ = ("amount", "unit")

    def __init__(self, amount: int, unit: str):
        self.amount, self.unit = amount, unit


_DAY_UNITS = {"day": 1, "week": 7}
_MONTH_UNITS = {"month": 1, "year": 12}


def duration_arith(op: str, a, b):
    """Arithmetic with a duration that moves no date: durations of one family (days and
    weeks, or months and years) add and subtract in the smaller unit, scale by whole
    numbers, and divide when no fraction of a day or month is left; anything else is
    unknown (docs/language-reference.md)."""
    if isinstance(a, Dur) and isinstance(b, Dur):
        if op not in ("+", "-"):
            return Unknown()
        sign = 1 if op == "+" else -1
        if a.unit == b.unit:
            return Dur(a.amount + sign * b.amount, a.unit)
        for table, base in ((_DAY_UNITS, "day"), (_MONTH_UNITS, "month")):
            if a.unit in table and b.unit in table:
                return Dur(a.amount * table[a.unit] + sign * b.amount * table[b.unit], base)
        return Unknown()
    if op == "*":
        d, n = (a, b) if isinstance(a, Dur) else (b, a)
        return Dur(d.amount * n, d.unit)
    if op == "/" and isinstance(a, Dur) and isinstance(b, int) and b != 0:
        for amount, unit in ((a.amount, a.unit), (a.amount * {**_DAY_UNITS, **_MONTH_UNITS}[a.unit],
                                                  "day" if a.unit in _DAY_UNITS else "month")):
            q = Fraction(amount, b)
            if q.denominator == 1:
                return Dur(int(q), unit)
    return Unknown()


class Record:
    """A profile record (with its ``$.path``) or a derived fact (``path`` None)."""

    __slots__ = ("data", "path", "rtype", "fact_key")

    def __init__(self, data: dict, path, rtype, fact_key=None):
        self.data, self.path, self.rtype, self.fact_key = data, path, rtype, fact_key

    def get(self, name: str):
        field = self.rtype.field(name) if self.rtype is not None else None
        ftype = field.type if field is not None else None
        sub = f"{self.path}.{name}" if self.path else None
        value = self.data.get(name)
        if value is None:
            if isinstance(ftype, T.ListType) and not field.optional:
                return PathList([], sub)  # a required list left out: none
            # an optional list left out is missing, like any optional field
            return Unknown([sub] if sub else [])
        return wrap(value, sub, ftype)

    def identity(self):
        return self.fact_key if self.path is None else self.path


class PathList(list):
    """A list read from the profile, knowing its own path (for index paths)."""

    def __init__(self, items, path):
        super().__init__(items)
        self.path = path


def wrap(value, path, vtype):
    if isinstance(value, dict):
        return Record(value, path, vtype if isinstance(vtype, T.RecordType) else None)
    if isinstance(value, list):
        item = vtype.item if isinstance(vtype, T.ListType) else None
        return PathList([wrap(x, f"{path}[{i}]" if path else None, item) for i, x in enumerate(value)], path)
    return value


# ---------------------------------------------------------------- dates, by the book


def last_day(year: int, month: int) -> int:
    day = 31
    while True:
        try:
            dt.date(year, month, day)
            return day
        except ValueError:
            day -= 1


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = total // 12, total % 12 + 1
    return dt.date(year, month, min(day.day, last_day(year, month)))


def months_between(a: dt.date, b: dt.date) -> int:
    """The contract's whole months from a to b."""
    months = 12 * (b.year - a.year) + (b.month - a.month)
    if months > 0 and b.day < a.day:
        months -= 1
    elif months < 0 and b.day > a.day:
        months += 1
    return months


def months_to_go(as_of: dt.date, app: dt.date) -> int:
    months = 12 * (app.year - as_of.year) + (app.month - as_of.month)
    return months - 1 if app.day < as_of.day else months


def add_duration(day: dt.date, d: Dur, sign: int) -> dt.date:
    n = sign * d.amount
    if d.unit == "day":
        return day + dt.timedelta(days=n)
    if d.unit == "week":
        return day + dt.timedelta(days=7 * n)
    return add_months(day, n if d.unit == "month" else 12 * n)


def _size(v):
    """What min/max order by: a duration's length in days or in months (the two have no
    order between them), anything else itself."""
    if isinstance(v, Dur):
        if v.unit in ("day", "week"):
            return ("days", v.amount * (7 if v.unit == "week" else 1))
        return ("months", v.amount * (12 if v.unit == "year" else 1))
    return (None, v)


def _least_or_greatest(greatest: bool):
    def pick(*values):
        sizes = [_size(v) for v in values]
        if len({kind for kind, _ in sizes}) > 1:
            raise ValueError("no order between these durations")
        best = 0
        for i in range(1, len(values)):
            if (sizes[i][1] > sizes[best][1]) if greatest else (sizes[i][1] < sizes[best][1]):
                best = i
        return values[best]
    return pick


def _round(x, n):
    """Half away from zero, on the decimal digits as written."""
    if abs(n) > 15:
        raise ValueError("too many digits")
    scale = Fraction(10) ** n
    exact = Fraction(repr(x)) * scale
    whole = math.floor(abs(exact) + Fraction(1, 2))
    value = Fraction(whole if exact >= 0 else -whole) / scale
    return int(value) if isinstance(x, int) else float(value)


def _date(*parts):
    """date(y, m, d) or date("YYYY-MM-DD"): a day that exists, in the years 1800-2999."""
    if len(parts) == 1:
        text = parts[0]
        pieces = text.split("-")
        if len(text) != 10 or [len(p) for p in pieces] != [4, 2, 2] or not all(p.isdigit() and p.isascii() for p in pieces):
            raise ValueError("not YYYY-MM-DD")
        parts = tuple(int(p) for p in pieces)
    year, month, day = parts
    if not (1800 <= year <= 2999 and 1 <= month <= 12 and 1 <= day <= last_day(year, month)):
        raise ValueError("no such day")
    return dt.date(year, month, day)


class Span(tuple):
    """span(start, end): the days from start to end, both included."""


def covered_set(spans, window) -> set[int]:
    """The days (ordinals) the spans cover, inside the window when there is one."""
    days = set()
    for start, end in spans:
        days.update(range(start.toordinal(), end.toordinal() + 1))
    if window is not None:
        days = {d for d in days if window[0].toordinal() <= d <= window[1].toordinal()}
    return days


def union_months(spans, window) -> int:
    """Whole months of 4 weeks the spans cover together (docs/language-reference.md)."""
    return len(covered_set(spans, window)) // 28


def longest_gap_months(spans, window) -> int:
    """Walk the window day by day: a gap runs from the last covered day (or the window's
    first day) to the next covered day (or the window's last day), in calendar months."""
    days = covered_set(spans, window)
    first, last = window[0].toordinal(), window[1].toordinal()
    longest, mark, open_gap = 0, first, False
    for d in range(first, last + 1):
        if d in days:
            if open_gap:
                longest = max(longest, months_between(dt.date.fromordinal(mark), dt.date.fromordinal(d)))
            mark, open_gap = d, False
        else:
            open_gap = True
    if open_gap:
        longest = max(longest, months_between(dt.date.fromordinal(mark), dt.date.fromordinal(last)))
    return longest


def _span(start, end):
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise TypeError("span of dates")
    return Span((start, end))


BUILTINS = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "months_between": months_between,
    "days_between": lambda a, b: (b - a).days,
    "weeks_between": lambda a, b: int((b - a).days / 7),  # whole weeks, toward zero
    "len": len,
    "abs": abs,
    "ceil": math.ceil,
    "floor": math.floor,
    "lower": str.lower,
    "min": _least_or_greatest(False),
    "max": _least_or_greatest(True),
    "round": _round,
    "str": lambda v: render(v),
    "date": _date,
    "span": _span,
}

COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def const(node):
    """A constant of rule text (table cells and outputs, map entries)."""
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, (ast.Literal, ast.NegLit)):
        return node.value
    if isinstance(node, ast.Duration):
        return Dur(node.amount, node.unit)
    raise TypeError(f"not a constant: {type(node).__name__}")


def kleene_and(values):
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return unknown_of(*values)


def kleene_or(values):
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return unknown_of(*values)


def render(v) -> str:
    """A value in a message."""
    if is_unknown(v):
        return "unknown"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, Record):
        return v.path or "?"
    if isinstance(v, Dur):
        return f"{v.amount} {v.unit}" + ("" if v.amount == 1 else "s")
    if isinstance(v, Span):
        return f"{render(v[0])} to {render(v[1])}"
    return str(v)
