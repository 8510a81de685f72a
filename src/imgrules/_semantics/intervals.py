"""Spans of days and what a set of them covers, under three-valued logic.

``span(start, end)`` is the days from ``start`` to ``end``, both included (a rotation
listed Mon 5 Oct - Sun 1 Nov covers 28 days). A span whose end is before its start covers
no day: an ongoing experience written ``span(e.start, coalesce(e.end, as_of))`` that has not
started yet covers nothing so far.

Two folds read a set of spans, clipped to a window (``within: span(a, b)``), in one sort
and sweep (n log n for n spans):

- ``union_months``: whole months covered by the union of the spans, a month being 4 weeks
  (28 days), the checklists' notation ("4 weeks = 1 month": rotations are booked in 4-week
  blocks). Overlapping spans count once; days outside the window do not count.
- ``longest_gap_months``: the longest stretch of the window that no span covers, in whole
  calendar months (``months_between``) from the day one covered stretch ends (or the
  window starts) to the day the next begins (or the window ends); 0 when there is none.

Unknowns (an element whose span or condition is unknown) decide what they can: more spans
can only add covered days and shorten gaps, so ``union_months`` is an unknown number
between the months of the known spans and the months of the window (decided when the
known spans already cover the window), and ``longest_gap_months`` is between 0 and the
known spans' longest gap (decided when that is 0). Without a window, ``union_months`` has
no upper bound. An unknown window makes the result unknown.
"""

from __future__ import annotations

import datetime as dt

from .values import Unk, months_between

DAYS_PER_MONTH = 28  # "4 weeks = 1 month"


class Span(tuple):
    """The days from ``start`` to ``end``, both included: ``(start, end)``."""

    __slots__ = ()

    def __new__(cls, start: dt.date, end: dt.date):
        return tuple.__new__(cls, (start, end))

    def __getnewargs__(self):
        return tuple(self)

    @property
    def start(self) -> dt.date:
        return self[0]

    @property
    def end(self) -> dt.date:
        return self[1]


def make_span(start, end) -> Span:
    """``span(start, end)`` of two dates (TypeError for anything else)."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise TypeError("span() takes two dates")
    return Span(start, end)


def _stretches(spans, window) -> list[tuple[int, int]]:
    """The union of ``spans`` clipped to ``window`` as sorted, disjoint ordinal-day
    stretches ``(first, last)``; days next to each other join one stretch."""
    lo = hi = None
    if window is not None:
        lo, hi = window[0].toordinal(), window[1].toordinal()
    days = []
    for s in spans:
        a, b = s[0].toordinal(), s[1].toordinal()
        if lo is not None:
            a, b = max(a, lo), min(b, hi)
        if a <= b:
            days.append((a, b))
    days.sort()
    out: list[list[int]] = []
    for a, b in days:
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def covered_days(spans, window=None) -> int:
    """Days covered by the union of ``spans`` (inside ``window`` when given)."""
    return sum(b - a + 1 for a, b in _stretches(spans, window))


def _months(days: int) -> int:
    return days // DAYS_PER_MONTH


def _months_between(a: int, b: int) -> int:
    return months_between(dt.date.fromordinal(a), dt.date.fromordinal(b))


def longest_gap(spans, window) -> int:
    """The longest uncovered stretch of ``window`` in whole calendar months (0: none)."""
    lo, hi = window[0].toordinal(), window[1].toordinal()
    if hi < lo:
        return 0
    best = 0
    at = lo  # the day the current uncovered stretch is measured from
    for a, b in _stretches(spans, window):
        if a > at:
            best = max(best, _months_between(at, a))
        at = max(at, b)
    if hi > at:
        best = max(best, _months_between(at, hi))
    return best


def union_months(spans: list, unknown, window=None):
    """``union_months(S for x in C where P, within: W)`` from the spans of the elements
    that hold, the unknown of those undecided (None when none was), and the window
    (None when not given)."""
    if type(window) is Unk:
        return Unk(window.refs + (unknown.refs if unknown is not None else ()))
    known = _months(covered_days(spans, window))
    if unknown is None:
        return known
    most = float("inf") if window is None else _months(covered_days([window]))
    if known >= most:
        return known
    return Unk(unknown.refs, known, most)


def longest_gap_months(spans: list, unknown, window):
    """``longest_gap_months(S for x in C where P, within: W)``: see :func:`union_months`."""
    if type(window) is Unk:
        return Unk(window.refs + (unknown.refs if unknown is not None else ()))
    known = longest_gap(spans, window)
    if unknown is None or known == 0:
        return known
    return Unk(unknown.refs, 0, known)
