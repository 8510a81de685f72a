"""Values and the one representation of "missing/unknown".

Present values are plain Python: ``int``, ``float``, ``str`` (enum values too), ``bool``,
``datetime.date``, :class:`Dur`, lists, sets, and records (mappings of their present
fields). A missing input, and an unknown truth value or result, is an :class:`Unk`. It
is never ``False``: a condition that needs it is undecided, and the ``Unk`` says which
facts the profile would have to give (``needs_info``).

An ``Unk`` carries *references* to the absent inputs rather than their ``$.paths``:
``(record, field)`` pairs, where a record that knows its place has a ``path()`` method,
or ready ``$.path`` strings. Paths are computed only when a result needs them. An unknown
number may also carry bounds (``lo``/``hi``): a count whose elements are partly undecided
is known to lie between the elements that hold and those that may, and a comparison that
the whole range decides is decided (Kleene: what is known decides when it can).

Evaluators test ``type(x) is Unk``: on the fast path, when nothing is missing, that one
identity test is the whole cost of three-valued logic.
"""

from __future__ import annotations

import datetime as dt


class Unk:
    """Missing / unknown: ``refs`` to the absent inputs; ``lo``/``hi`` bounds, or None."""

    __slots__ = ("refs", "lo", "hi")

    def __init__(self, refs=(), lo=None, hi=None):
        self.refs = refs
        self.lo = lo
        self.hi = hi

    def __repr__(self) -> str:
        bounds = "" if self.lo is None else f", {self.lo}..{self.hi}"
        return f"Unk({self.paths()}{bounds})"

    def paths(self) -> tuple[str, ...]:
        """The ``$.paths`` of the absent inputs, sorted, without repeats."""
        refs = self.refs
        if len(refs) == 1:  # the usual case: one missing field
            ref = refs[0]
            if type(ref) is str:
                return refs
            if type(ref) is tuple:
                record, field = ref
                where = getattr(record, "path", None)
                return (f"{where()}.{field}" if callable(where) else f"{field}",)
        out = set()
        pending = [self.refs]
        while pending:
            for ref in pending.pop():
                if type(ref) is _Joined:
                    pending.append(ref.first)
                    pending.append(ref.second)
                elif isinstance(ref, str):
                    out.add(ref)
                else:
                    record, field = ref
                    where = getattr(record, "path", None)
                    out.add(f"{where()}.{field}" if callable(where) else f"{field}")
        return tuple(sorted(out))


class _Joined:
    """Two tuples of references joined without copying them. A fold merges the unknown of
    each undecided element into what it has (``merge``), so copying the references each
    time would make a list with many unknown elements cost the square of its length."""

    __slots__ = ("first", "second")

    def __init__(self, first: tuple, second: tuple):
        self.first = first
        self.second = second


_COPY_AT_MOST = 8  # references merged by copying; more are joined (_Joined)


UNKNOWN = Unk(())


def merge(a, b):
    """The unknown result of combining two values of which at least one is unknown (the
    references of both; bounds do not survive a combination)."""
    if type(a) is Unk:
        if type(b) is Unk:
            if not b.refs:
                return a if a.lo is None else Unk(a.refs)
            if len(a.refs) + len(b.refs) > _COPY_AT_MOST:
                return Unk((_Joined(a.refs, b.refs),))
            return Unk(a.refs + b.refs)
        return a if a.lo is None else Unk(a.refs)
    return b if b.lo is None else Unk(b.refs)


def merge_all(values) -> Unk:
    """The unknown combining every unknown among ``values``."""
    return Unk(tuple([r for v in values if type(v) is Unk for r in v.refs]))


def as_float(value):
    """A value where the pack says a float: an int (not a bool) as the float it equals,
    anything else as it is. An expression of type float may give an int (``if c then 1
    else 1.5``, ``derive f(x: score)`` into a float field), and ``1 == 1.0``, so without
    this the same fact or finding would be written ``1`` or ``1.0`` depending on which
    derivation came first. Profile data is read the same way."""
    return float(value) if type(value) is int else value


def truth(value) -> str:
    """A truth value in words: true, false or unknown."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "unknown"


class OutOfCalendar(ArithmeticError):
    """Date arithmetic that leaves the calendar (before year 1 or after 9999). No fact of
    the profile could decide such a result, so it is not an unknown value: the session
    stops with an error naming the rule (``engine.DateOutOfRange``)."""


class Dur(tuple):
    """A duration: ``(amount, unit)`` with a singular unit (day, week, month, year)."""

    __slots__ = ()

    def __new__(cls, amount: int, unit: str):
        return tuple.__new__(cls, (amount, unit))

    def __getnewargs__(self):
        return tuple(self)


def months_to_go(as_of: dt.date, app: dt.date) -> int:
    """The contract's T-number: ``12*(app.year-as_of.year) + (app.month-as_of.month)``,
    minus 1 when ``app.day < as_of.day`` (shared/spec/applicant-profile.md)."""
    months = 12 * (app.year - as_of.year) + (app.month - as_of.month)
    if app.day < as_of.day:
        months -= 1
    return months


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier).

    The contract's reading: ``12*(end.year-start.year) + (end.month-start.month)``,
    minus 1 when ``end.day < start.day`` (for a positive span).
    """
    months = 12 * (end.year - start.year) + (end.month - start.month)
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months
