"""Operations on values under three-valued logic: comparisons, arithmetic on numbers, dates
and durations, membership, ranges, sets, indexing, builtin calls, ``coalesce`` and maps.

Each operation's result is unknown when an operand it needs is unknown, combining the
operands' references, except where the known part decides: a comparison of a bounded
unknown number (a partly decided count) with a number its whole range answers the same
way is decided. Evaluators may compute the known-operand case inline (it is Python's
own operator); every case involving an unknown comes here.
"""

from __future__ import annotations

import datetime as dt
import operator

from .._builtins import add_duration
from .values import UNKNOWN, Dur, OutOfCalendar, Unk, merge

COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
           ">": operator.gt, ">=": operator.ge}
# a comparison with the operands swapped: ``c < x`` is ``x > c``
_MIRROR = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def compare(op: str, a, b):
    """``a op b``; unknown if an operand is, unless the bounds of an unknown number decide."""
    if type(a) is not Unk and type(b) is not Unk:
        return COMPARE[op](a, b)
    if type(a) is Unk and a.lo is not None and type(b) is not Unk:
        decided = _bounded(op, a.lo, a.hi, b)
        if decided is not None:
            return decided
    elif type(b) is Unk and b.lo is not None and type(a) is not Unk:
        decided = _bounded(_MIRROR[op], b.lo, b.hi, a)
        if decided is not None:
            return decided
    return merge(a, b)


def _bounded(op: str, lo, hi, c):
    """``x op c`` for every x in lo..hi, if they all agree (else None)."""
    if isinstance(c, bool) or not isinstance(c, (int, float)):
        return None
    if op == "<":
        return True if hi < c else False if lo >= c else None
    if op == "<=":
        return True if hi <= c else False if lo > c else None
    if op == ">":
        return True if lo > c else False if hi <= c else None
    if op == ">=":
        return True if lo >= c else False if hi < c else None
    outside = c < lo or c > hi
    if op == "==":
        return False if outside else None
    return True if outside else None  # !=


def arith(op: str, a, b):
    """``a op b`` for numbers, and dates with durations (``date - date`` is days); division
    by zero is unknown; date arithmetic that leaves the calendar raises OutOfCalendar."""
    if type(a) is Unk or type(b) is Unk:
        return merge(a, b)
    try:
        if isinstance(a, dt.date):
            if isinstance(b, Dur):
                return add_duration(a, b[0] if op == "+" else -b[0], b[1])
            if isinstance(b, dt.date) and op == "-":
                return (a - b).days
            return UNKNOWN
        if isinstance(b, dt.date) and isinstance(a, Dur) and op == "+":
            return add_duration(b, a[0], a[1])
    except (OverflowError, ValueError):
        raise OutOfCalendar(f"{_shown(a)} {op} {_shown(b)} leaves the calendar (years 1 to 9999)") from None
    if isinstance(a, Dur) or isinstance(b, Dur):
        return _duration_arith(op, a, b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return UNKNOWN
    return a / b


# a duration in its family's smallest unit: days (day, week) or months (month, year)
_BASE = {"day": ("day", 1), "week": ("day", 7), "month": ("month", 1), "year": ("month", 12)}


def _duration_arith(op: str, a, b):
    """``d * n``, ``n * d``, ``d / n``, ``d + d``, ``d - d`` of durations (the checker
    admits only these). Durations of one family add in its smallest unit (``1 week + 2
    days`` is 9 days; the same unit stays: ``2 weeks + 1 week`` is 3 weeks); days and
    months do not add (a month is not a fixed number of days): unknown. A division that
    leaves a fraction of a day or month is unknown."""
    if isinstance(a, Dur) and isinstance(b, Dur):
        if op not in "+-":
            return UNKNOWN
        if a[1] == b[1]:
            return Dur(a[0] + b[0] if op == "+" else a[0] - b[0], a[1])
        (ua, ka), (ub, kb) = _BASE[a[1]], _BASE[b[1]]
        if ua != ub:
            return UNKNOWN
        return Dur(a[0] * ka + (b[0] * kb if op == "+" else -b[0] * kb), ua)
    if op == "*":
        d, n = (a, b) if isinstance(a, Dur) else (b, a)
        return Dur(d[0] * n, d[1]) if type(n) is int else UNKNOWN
    if op == "/" and isinstance(a, Dur) and type(b) is int and b != 0:
        if a[0] % b == 0:
            return Dur(a[0] // b, a[1])
        unit, k = _BASE[a[1]]
        return Dur(a[0] * k // b, unit) if a[0] * k % b == 0 else UNKNOWN
    return UNKNOWN


def negate(a):
    """``-a``."""
    return a if type(a) is Unk else -a


def logical_not(a):
    """``not a`` (Kleene: not unknown is unknown)."""
    return a if type(a) is Unk else not a


def contains(item, target):
    """``item in target`` for a collection value (list, set)."""
    if type(item) is Unk or type(target) is Unk:
        return merge(item, target)
    return item in target


def in_range(item, low, high):
    """``item in low..high`` (None: an open end); a bound that is unknown makes the result
    unknown only if the other bound did not already exclude the item. A bounded unknown
    item is decided when its whole range is inside or outside."""
    if type(item) is Unk:
        if item.lo is not None and type(low) is not Unk and type(high) is not Unk:
            above = True if low is None else _bounded(">=", item.lo, item.hi, low)
            below = True if high is None else _bounded("<=", item.lo, item.hi, high)
            if above is False or below is False:
                return False
            if above is True and below is True:
                return True
        return item if item.lo is None else Unk(item.refs)
    result = True
    if low is not None:
        if type(low) is Unk:
            return low
        result = low <= item
    if result and high is not None:
        if type(high) is Unk:
            return high
        result = item <= high
    return result


def make_set(*items):
    """A set built from values: unknown if any item is unknown."""
    refs: tuple = ()
    for item in items:
        if type(item) is Unk:
            refs += item.refs
    if refs:
        return Unk(refs)
    return frozenset(items)


def call(fn, *args):
    """A builtin function call: unknown if any argument is unknown, or if the function
    cannot compute a value for these arguments."""
    for arg in args:
        if type(arg) is Unk:
            return Unk(tuple(r for a in args if type(a) is Unk for r in a.refs))
    try:
        return fn(*args)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN


def coalesce(*args):
    """The first argument that is present; unknown (naming every absent one) if none is."""
    refs: tuple = ()
    for arg in args:
        if type(arg) is not Unk and arg is not None:
            return arg
        if type(arg) is Unk:
            refs += arg.refs
    return Unk(refs)


def choose(cond, then, orelse):
    """``if cond then then else orelse``. An unknown condition gives an unknown result
    (naming what the condition and any unknown branch lack) unless both branches are the
    same known value, which is then the answer whatever the condition."""
    if cond is True:
        return then
    if cond is False:
        return orelse
    if type(then) is not Unk and type(orelse) is not Unk and type(then) is type(orelse) \
            and then == orelse:
        return then
    refs = cond.refs if type(cond) is Unk else ()
    for branch in (then, orelse):
        if type(branch) is Unk:
            refs += branch.refs
    return Unk(refs)


def map_get(table: dict, key):
    """A ``map``'s value for ``key``: unknown for an unknown key or one the map lacks."""
    if type(key) is Unk:
        return key
    try:
        return table.get(key, UNKNOWN)
    except TypeError:  # an unhashable value is in no map
        return UNKNOWN


def index(obj, i, missing_element=None):
    """``obj[i]``: unknown if either is; an index past the end is the missing element
    ``missing_element`` names (a ``$.path`` string), or plainly unknown."""
    if type(obj) is Unk:
        return obj
    if type(i) is Unk:
        return i
    try:
        return obj[i]
    except (IndexError, TypeError, KeyError):
        return Unk((missing_element,)) if missing_element else UNKNOWN


def _shown(value) -> str:
    if isinstance(value, Dur):
        amount, unit = value
        return f"{amount} {unit}{'' if amount == 1 else 's'}"
    return value.isoformat() if isinstance(value, dt.date) else str(value)
