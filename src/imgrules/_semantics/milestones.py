"""Deadline and window statuses.

A deadline ``by T-k require C`` is ``done`` when C holds. When C cannot be decided because
a fact the profile does not give is missing, the deadline is ``needs_info``: nothing says
the applicant is late, only that the profile does not tell (the findings list what to
record). Otherwise the time decides: ``upcoming`` while more than k months are to go,
``due`` at exactly k, ``overdue`` after.

A window ``during T-a..T-b`` is ``upcoming`` before its months, ``active`` in them and
``past`` after, whatever the order a and b are written in.

``requirement`` is ``True``, ``False`` or anything else for "unknown" (each evaluator has
its own representation of an unknown truth value; only ``True``/``False`` decide).
"""

from __future__ import annotations

NEEDS_INFO = "needs_info"
DEADLINE_STATUSES = ("done", "upcoming", "due", "overdue", NEEDS_INFO)
WINDOW_STATUSES = ("upcoming", "active", "past")


def deadline_status(months_to_go: int, k: int, requirement) -> str:
    """The status of a deadline due at T-``k``, ``months_to_go`` months before the
    application date, whose requirement evaluated to ``requirement``."""
    if requirement is True:
        return "done"
    if requirement is not False:
        return NEEDS_INFO
    if months_to_go > k:
        return "upcoming"
    return "due" if months_to_go == k else "overdue"


def window_status(months_to_go: int, start: int, end: int) -> str:
    """The status of a window between T-``start`` and T-``end`` (either order)."""
    if months_to_go > max(start, end):
        return "upcoming"
    return "past" if months_to_go < min(start, end) else "active"


def timing_bounds(kind: str, start: int, end: int | None) -> tuple[int | None, int | None]:
    """The ``months_to_go`` a rule's timing allows, as (low, high) with None for an open
    end: ``at T-k`` is exactly k, ``from T-k`` k or fewer, ``until T-k`` k or more,
    ``during T-a..T-b`` between a and b (either order)."""
    if kind == "at":
        return start, start
    if kind == "from":
        return None, start
    if kind == "until":
        return start, None
    return min(start, end), max(start, end)


def month_text(k: int) -> str:
    """``T-k`` as written: ``T-3`` three months before the application date, ``T+2`` two
    months after it."""
    return f"T-{k}" if k >= 0 else f"T+{-k}"
