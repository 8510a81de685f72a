"""Deadline and window statuses.

A deadline ``by T-k require C`` is ``done`` when C holds. When C cannot be decided because
a fact the profile does not give is missing, the deadline is ``needs_info``: nothing says
the applicant is late, only that the profile does not tell (the findings list what to
record). Otherwise the time decides: ``upcoming`` while more than k months are to go,
``due`` at exactly k, ``overdue`` after.

A window ``during T-a..T-b`` is ``upcoming`` before its months, ``active`` in them and
``past`` after, whatever the order a and b are written in.

``requirement`` is ``True``, ``False`` or anything else for "unknown" (only
``True``/``False`` decide).

When the phase is unknown (a pack may declare ``as_of`` or ``application_date``
optional, and a profile leave it out), a deadline in months is still ``done`` when its
requirement holds; otherwise it is ``needs_info``, as a window then is.

What a milestone that cannot be decided names as missing is decided here too
(:func:`month_state`, :func:`dated_state`): the inputs whose absence leaves it undecided,
and only those. A deadline in months names its requirement's missing facts and, when the
phase is unknown, ``as_of`` and ``application_date`` as far as they are missing; a window
in months, the latter. A milestone anchored on dates does not depend on the application
date: it names its requirement's and its dates' missing facts, and ``as_of`` when that
is missing.

A deadline anchored on a date (``by exams.step3.date - 3 weeks require C``) is the same
as ``by T-0`` counted to that date instead of the application date: ``done`` when C
holds, else ``upcoming`` while more than a month is to go (``months_to_go(as_of, due) >
0``), ``due`` in the month up to and including the date, ``overdue`` after it. When the
date cannot be computed (its fact is missing) the deadline is ``needs_info``, never
overdue: nothing says the applicant is late. Its due date is the anchor.

A window anchored on dates (``during eras_opens .. eras_opens + 2 weeks``) is
``upcoming`` before the earlier date, ``active`` from it to the later one (both days
included) and ``past`` after; ``needs_info`` when either date is unknown. Its due date
is the later date, as a month window's is the end of its last month.
"""

from __future__ import annotations

import datetime as dt

from .values import Unk, merge_all, months_to_go

NEEDS_INFO = "needs_info"
DEADLINE_STATUSES = ("done", "upcoming", "due", "overdue", NEEDS_INFO)
WINDOW_STATUSES = ("upcoming", "active", "past", NEEDS_INFO)


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


def _is_date(value) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def dated_deadline_status(as_of, due, requirement) -> str:
    """The status of a deadline due on the date ``due`` (anything but a date: unknown),
    on ``as_of``, whose requirement evaluated to ``requirement``."""
    if requirement is True:
        return "done"
    if requirement is not False or not (_is_date(due) and _is_date(as_of)):
        return NEEDS_INFO
    return deadline_status(months_to_go(as_of, due), 0, False)


def dated_window_status(as_of, start, end) -> str:
    """The status of a window between the dates ``start`` and ``end`` (either order; both
    days included) on ``as_of``; anything but a date is unknown."""
    if not (_is_date(start) and _is_date(end) and _is_date(as_of)):
        return NEEDS_INFO
    if as_of < min(start, end):
        return "upcoming"
    return "past" if as_of > max(start, end) else "active"


def dated_due(*dates) -> dt.date | None:
    """A date-anchored milestone's due date: a deadline's date, a window's later date;
    None when one of them is unknown."""
    if not all(_is_date(d) for d in dates):
        return None
    return max(dates)


def phase(as_of, application_date, ref):
    """The months to go from ``as_of`` to ``application_date``, or, when one of them is
    not a date, the unknown naming each that is missing (``ref(field)``: the evaluator's
    reference to the profile field, see :class:`~.values.Unk`)."""
    if _is_date(as_of) and _is_date(application_date):
        return months_to_go(as_of, application_date)
    return Unk(tuple(ref(field) for field, value in (("as_of", as_of), ("application_date", application_date))
                     if value is None))


def month_state(deadline: bool, months_to_go, k: int, start: int, end: int, requirement) -> tuple:
    """``(status, missing $.paths)`` of a deadline due at T-``k`` whose requirement is
    ``requirement``, or of a window between T-``start`` and T-``end``, in the phase
    ``months_to_go`` (:func:`phase`, an unknown when it cannot be computed)."""
    if not deadline:
        if type(months_to_go) is Unk:
            return NEEDS_INFO, months_to_go.paths()
        return window_status(months_to_go, start, end), ()
    if requirement is True:
        return "done", ()
    if type(months_to_go) is Unk or type(requirement) is Unk:
        return NEEDS_INFO, merge_all((requirement, months_to_go)).paths()
    return deadline_status(months_to_go, k, requirement), ()


def dated_state(deadline: bool, as_of, dates: tuple, requirement, as_of_ref) -> tuple:
    """``(status, due date, missing $.paths)`` of a deadline due on ``dates[0]`` whose
    requirement is ``requirement``, or of a window between ``dates[0]`` and ``dates[1]``
    (``requirement`` None), on ``as_of``. A ``needs_info`` state names the missing facts
    of its unknown requirement and dates, and ``as_of`` (``as_of_ref``, the evaluator's
    reference to it) when that is not a date."""
    if deadline:
        status = dated_deadline_status(as_of, dates[0], requirement)
    else:
        status = dated_window_status(as_of, *dates)
    missing: tuple = ()
    if status == NEEDS_INFO:
        as_of_missing = () if _is_date(as_of) else (Unk((as_of_ref,)),)
        missing = merge_all((requirement, *dates, *as_of_missing)).paths()
    return status, dated_due(*dates), missing
