"""The applicant's month-by-month plan, T-12 to T-0: what is due, open and to remember when.

:func:`build_plan` joins two things: the pack's *static* calendar (every ``deadline``'s
``by T-k``, every ``window``'s ``during T-a..T-b``, every reminder rule timed ``at T-k`` or
``during``) and one evaluation's *dynamic* state (each deadline's status for this profile,
each window's status, the flags active now). The months' calendar dates follow the
contract's phase: month T-k is the run of days on which ``months_to_go == k``, from the day
after ``application_date - (k+1) months`` to ``application_date - k months`` (the due date
of ``by T-k``). T-0 ends on the application date.

A deadline or window anchored on dates (``by exams.step3.date - 3 weeks``) is listed in
the month its (last) date falls in, once the evaluation knows the date; a deadline whose
date is unknown is listed with the deadlines outside T-12..T-0, a window whose dates are
unknown is left out of the calendar (its finding says what to record).

Deadlines and windows whose ``when`` does not hold for this profile have no finding, so
they are not in the plan; one whose requirement needs a missing fact has status
``needs_info``. Given the profile's data, month T-k lists the reminders that fire for
this profile on that month's first day (the current month: those of this evaluation),
with their messages as the evaluation words them, so the plan never reminds the
applicant of something the profile shows is done ("You have no Narrative Tracker yet"
beside a tracker that is started). Without it, reminders are the pack's static calendar,
listed whatever the profile; ``fired`` says whether one fired in this evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from . import _api as api, ast
from ._builtins import add_months
from ._render._common import phase_name, month_label
from ._semantics import months_to_go
from ._source import text_as_written
from ._syntax.printexpr import expr as print_expr

FIRST_MONTH = 12  # the countdown starts at T-12


def _tuple(items) -> tuple:
    return tuple(items)


@attrs.frozen
class PlanDeadline:
    rule: str
    title: str
    k: int | None  # by T-k; a date-anchored deadline: the month its date falls in (None: unknown)
    due_date: str  # '' when a date-anchored deadline's date is unknown
    status: str  # done | upcoming | due | overdue | needs_info
    message: str
    cite: str
    severity: str | None = None  # the deadline's declared severity (``severity high``)
    dated: bool = False  # anchored on a date (``by exams.step3.date - 3 weeks``), not on T-k
    anchor: str = ""  # a dated deadline's ``by`` as written, when the pack text is at hand

    def to_json(self) -> dict:
        by = (self.due_date or None) if self.dated else month_label(self.k)
        out = {"rule": self.rule, "title": self.title, "by": by,
               "k": self.k, "due_date": self.due_date or None, "status": self.status,
               "message": self.message, "cite": self.cite}
        if self.dated:
            out["dated"] = True
        if self.anchor:
            out["anchor"] = self.anchor
        if self.severity is not None:
            out["severity"] = self.severity
        return out


@attrs.frozen
class PlanWindow:
    rule: str
    title: str
    start_k: int  # during T-start_k .. T-end_k (start_k >= end_k)
    end_k: int
    start: str  # first calendar day of T-start_k ('' for a date-anchored window)
    end: str  # last calendar day of T-end_k (a date-anchored window: its later date)
    status: str  # upcoming | active | past | needs_info
    message: str
    cite: str
    dated: bool = False  # anchored on dates (``during eras_opens .. eras_opens + 2 weeks``)
    anchor: str = ""  # a dated window's ``during`` as written, when the pack text is at hand

    def to_json(self) -> dict:
        during = f"until {self.end}" if self.dated else \
            f"{month_label(self.start_k)}..{month_label(self.end_k)}"
        out = {"rule": self.rule, "title": self.title, "during": during,
               "start_k": self.start_k, "end_k": self.end_k, "start": self.start or None,
               "end": self.end, "status": self.status, "message": self.message,
               "cite": self.cite}
        if self.dated:
            out["dated"] = True
        if self.anchor:
            out["anchor"] = self.anchor
        return out


@attrs.frozen
class PlanReminder:
    rule: str
    title: str
    timing: str  # "at T-9" or "during T-8..T-7"
    message: str
    cite: str
    fired: bool  # a reminder of this rule is among this evaluation's findings

    def to_json(self) -> dict:
        return {"rule": self.rule, "title": self.title, "timing": self.timing,
                "message": self.message, "cite": self.cite, "fired": self.fired}


@attrs.frozen
class PlanFlag:
    rule: str
    severity: str
    message: str
    cite: str

    def to_json(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "cite": self.cite}


@attrs.frozen
class PlanMonth:
    k: int
    phase: str
    start: dt.date
    end: dt.date  # inclusive
    current: bool
    deadlines: tuple[PlanDeadline, ...] = attrs.field(converter=_tuple)
    windows: tuple[PlanWindow, ...] = attrs.field(converter=_tuple)
    reminders: tuple[PlanReminder, ...] = attrs.field(converter=_tuple)
    flags: tuple[PlanFlag, ...] = attrs.field(converter=_tuple)

    @property
    def label(self) -> str:
        return month_label(self.k)

    def to_json(self) -> dict:
        return {"k": self.k, "label": self.label, "phase": self.phase,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "current": self.current,
                "deadlines": [d.to_json() for d in self.deadlines],
                "windows": [{"rule": w.rule, "title": w.title, "status": w.status}
                            for w in self.windows],
                "reminders": [r.to_json() for r in self.reminders],
                "flags": [f.to_json() for f in self.flags]}


@attrs.frozen
class Plan:
    """The months T-12..T-0 in order, the windows as bars, and what is flagged now."""

    as_of: str
    application_date: str
    months_to_go: int | None
    packs: tuple[Mapping, ...] = attrs.field(converter=_tuple)
    months: tuple[PlanMonth, ...] = attrs.field(converter=_tuple)
    windows: tuple[PlanWindow, ...] = attrs.field(converter=_tuple)
    flags: tuple[PlanFlag, ...] = attrs.field(converter=_tuple)
    # deadlines whose T-k lies outside T-12..T-0
    other_deadlines: tuple[PlanDeadline, ...] = attrs.field(converter=_tuple, default=())

    @property
    def phase(self) -> str:
        return phase_name(self.months_to_go)

    @property
    def current(self) -> PlanMonth | None:
        return next((m for m in self.months if m.current), None)

    def to_json(self) -> dict:
        return {"as_of": self.as_of, "application_date": self.application_date,
                "months_to_go": self.months_to_go, "phase": self.phase,
                "packs": [dict(p) for p in self.packs],
                "months": [m.to_json() for m in self.months],
                "windows": [w.to_json() for w in self.windows],
                "flags": [f.to_json() for f in self.flags],
                "other_deadlines": [d.to_json() for d in self.other_deadlines]}


def month_dates(application_date: dt.date, k: int) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) on which ``months_to_go == k``; T-0 ends on the
    application date."""
    start = add_months(application_date, -(k + 1)) + dt.timedelta(days=1)
    end = add_months(application_date, -k)
    return start, end


def _cite(cites) -> str:
    return "; ".join(str(c) for c in cites)


def _as_json(results: Any) -> Mapping[str, Any]:
    return results.to_json() if hasattr(results, "to_json") else results


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@attrs.frozen
class _Timed:
    """One dated item of a pack's static calendar, wherever it was read from."""

    kind: str  # deadline | window | reminder
    rule: str
    title: str
    cite: str
    first: int  # T-first .. T-last (first >= last); a deadline has first == last == k
    last: int
    timing: str = ""
    message: str = ""  # as written in the pack (holes shown as {expression})
    dated: bool = False  # a deadline or window anchored on dates (first, last: 0)
    anchor: str = ""  # its dates as written, when read from the pack text


def _from_declarations(decls, sources) -> list[_Timed]:
    out = []
    for decl in decls:
        rule, cite = decl.name.text, _cite(decl.meta.cites)
        if isinstance(decl, (ast.Deadline, ast.Window)) and ast.anchored(decl):
            out.append(_Timed("deadline" if isinstance(decl, ast.Deadline) else "window", rule,
                              decl.title, cite, 0, 0, message=text_as_written(decl.message, sources),
                              dated=True, anchor=_anchor_text(decl)))
        elif isinstance(decl, ast.Deadline):
            k = decl.by.months
            out.append(_Timed("deadline", rule, decl.title, cite, k, k,
                              message=text_as_written(decl.message, sources)))
        elif isinstance(decl, ast.Window):
            a, b = sorted((decl.start.months, decl.end.months), reverse=True)
            out.append(_Timed("window", rule, decl.title, cite, a, b,
                              message=text_as_written(decl.message, sources)))
        elif isinstance(decl, ast.Rule) and decl.timing is not None:
            timing = decl.timing
            if timing.kind == "at":
                a = b = timing.start.months
                when = f"at {month_label(a)}"
            elif timing.kind == "during" and timing.end is not None:
                a, b = sorted((timing.start.months, timing.end.months), reverse=True)
                when = f"during {month_label(a)}..{month_label(b)}"
            else:
                continue
            out.extend(_Timed("reminder", rule, decl.title, cite, a, b, when,
                              text_as_written(action.message, sources))
                       for action in decl.actions if isinstance(action, ast.Remind))
    return out


def _anchor_text(decl) -> str:
    if isinstance(decl, ast.Deadline):
        return print_expr(decl.by)
    return f"{print_expr(decl.start)} .. {print_expr(decl.end)}"


def static_calendar(compiled: Any) -> list[_Timed]:
    """Every deadline, window and timed reminder of a pack.

    From a ``CheckedPack`` (or ``compiled.checked``) when there is one; from an
    ``api.CompiledPack`` otherwise: deadlines and windows from its network's rule
    metadata, reminders by re-reading its pack files.
    """
    checked = getattr(compiled, "checked", None)
    if checked is None and hasattr(compiled, "rules") and not hasattr(compiled, "network"):
        checked = compiled
    if checked is not None:
        return _from_declarations([e.decl for e in checked.rules],
                                  getattr(checked, "sources", None))
    network = compiled.network
    out = []
    timed = []
    for info in network.rules:
        cite = _cite(info.cites)
        if info.kind in ("deadline", "window") and getattr(info, "anchored", False):
            out.append(_Timed(info.kind, info.id, info.title, cite, 0, 0, dated=True))
        elif info.kind == "deadline" and info.k is not None:
            out.append(_Timed("deadline", info.id, info.title, cite, info.k, info.k))
        elif info.kind == "window" and info.start is not None and info.end is not None:
            a, b = sorted((info.start, info.end), reverse=True)
            out.append(_Timed("window", info.id, info.title, cite, a, b))
        elif info.kind == "rule" and getattr(info, "timing", None) and info.reminders:
            kind, start, end = info.timing
            if kind == "at":
                a = b = start
                when = f"at {month_label(a)}"
            elif kind == "during" and end is not None:
                a, b = sorted((start, end), reverse=True)
                when = f"during {month_label(a)}..{month_label(b)}"
            else:
                continue
            timed.append(((info.pack, info.line, info.idx), [
                _Timed("reminder", info.id, info.title, cite, a, b, when, message)
                for message in info.reminders]))
    # reminders in declaration order (pack by pack), as the packs list them
    order = {name: i for i, (name, _) in enumerate(network.packs)}
    timed.sort(key=lambda t: (order.get(t[0][0], len(order)), t[0][1], t[0][2]))
    for _, items in timed:
        out.extend(items)
    return out


def reminders_by_month(compiled: Any, profile: Any, application_date: dt.date,
                       current: int | None, findings: list[Mapping]) -> dict[int, dict]:
    """``{k: {rule: [message, ...]}}``: the reminders that fire for ``profile`` in month
    T-k, evaluated as of the month's first day (the current month from ``findings``)."""
    out: dict[int, dict[str, list[str]]] = {}
    for k in range(FIRST_MONTH, -1, -1):
        fired: dict[str, list[str]] = {}
        if k == current:
            items = [(str(f.get("rule")), str(f.get("message") or "")) for f in findings
                     if f.get("kind") == "reminder"]
        else:
            day = month_dates(application_date, k)[0]
            items = [(f.rule, f.message) for f in
                     api.evaluate(compiled, profile, as_of=day).findings if f.kind == "reminder"]
        for rule, message in items:
            messages = fired.setdefault(rule, [])
            if message not in messages:
                messages.append(message)
        out[k] = fired
    return out


def build_plan(compiled: Any, results: Any, profile: Any = None) -> Plan:
    """The plan of one evaluation.

    ``compiled`` is an :class:`~imgrules._api.CompiledPack`, a ``CheckedPack``, or anything
    with ``.checked`` or ``.rules`` of :class:`~imgrules._check.model.RuleEntry`;
    ``results`` is the evaluation's ``Results`` or its ``to_json()`` dict. With the
    ``profile`` (what was evaluated; ``compiled`` must then be an ``api.CompiledPack``)
    each month lists only the reminders that apply to it (see the module docstring).
    """
    data = _as_json(results)
    app = _date(data["application_date"])
    mtg = data.get("months_to_go")
    findings = [f for f in data.get("findings") or () if isinstance(f, Mapping)]
    applying = (reminders_by_month(compiled, profile, app, mtg, findings)
                if profile is not None else None)

    def first(kind: str, rule: str) -> Mapping | None:
        return next((f for f in findings if f.get("kind") == kind and f.get("rule") == rule),
                    None)

    def undecided(rule: str) -> bool:
        return first("needs_info", rule) is not None or any(
            isinstance(u, Mapping) and u.get("rule") == rule for u in data.get("undecided") or ())

    deadlines: list[PlanDeadline] = []
    windows: list[PlanWindow] = []
    reminders: dict[int, list[PlanReminder]] = {}
    listed: set[tuple[int, str]] = set()
    for item in static_calendar(compiled):
        if item.kind == "reminder":
            fired = first("reminder", item.rule) is not None
            for k in range(item.first, item.last - 1, -1):
                if applying is None:
                    messages = [item.message]
                elif (k, item.rule) in listed:
                    continue  # a rule with several reminders: all listed at its first
                else:
                    messages = applying.get(k, {}).get(item.rule, [])
                    listed.add((k, item.rule))
                reminders.setdefault(k, []).extend(PlanReminder(
                    rule=item.rule, title=item.title, timing=item.timing, message=message,
                    cite=item.cite, fired=fired and k == mtg) for message in messages)
            continue
        found = first("milestone" if item.kind == "deadline" else "window", item.rule)
        if found is None and not undecided(item.rule):
            continue  # its `when` does not hold for this profile
        status = str(found.get("status")) if found else "needs_info"
        message = str(found.get("message") or "") if found else item.message
        if item.dated:  # the month of its (last) date, when the evaluation knows it
            due = (found or {}).get("due_date")
            k = months_to_go(_date(due), app) if due else None
            if item.kind == "deadline":
                deadlines.append(PlanDeadline(rule=item.rule, title=item.title, k=k,
                                              due_date=str(due or ""), status=status,
                                              message=message, cite=item.cite,
                                              severity=(found or {}).get("severity"),
                                              dated=True, anchor=item.anchor))
            elif k is not None:  # a window whose dates are unknown has no place on the calendar
                windows.append(PlanWindow(rule=item.rule, title=item.title, start_k=k, end_k=k,
                                          start="", end=str(due), status=status, message=message,
                                          cite=item.cite, dated=True, anchor=item.anchor))
            continue
        if item.kind == "deadline":
            due = (found or {}).get("due_date") or add_months(app, -item.first).isoformat()
            deadlines.append(PlanDeadline(rule=item.rule, title=item.title, k=item.first,
                                          due_date=str(due), status=status, message=message,
                                          cite=item.cite,
                                          severity=(found or {}).get("severity")))
        else:
            windows.append(PlanWindow(
                rule=item.rule, title=item.title, start_k=item.first, end_k=item.last,
                start=month_dates(app, item.first)[0].isoformat(),
                end=month_dates(app, item.last)[1].isoformat(), status=status,
                message=message, cite=item.cite))

    flags = tuple(PlanFlag(rule=str(f.get("rule", "")), severity=str(f.get("severity") or ""),
                           message=str(f.get("message") or ""), cite=_cite_of(f))
                  for f in findings if f.get("kind") == "flag")
    deadlines.sort(key=lambda d: (d.k is None, -(d.k or 0), d.due_date, d.rule))
    windows.sort(key=lambda w: (-w.start_k, -w.end_k, w.rule))
    months = []
    for k in range(FIRST_MONTH, -1, -1):
        start, end = month_dates(app, k)
        current = mtg == k
        months.append(PlanMonth(
            k=k, phase=phase_name(k), start=start, end=end, current=current,
            deadlines=[d for d in deadlines if d.k == k],
            windows=[w for w in windows if w.end_k <= k <= w.start_k],
            reminders=sorted(reminders.get(k, ()), key=lambda r: r.rule),
            flags=flags if current else ()))
    packs = tuple(p if isinstance(p, Mapping) else {"name": str(p)} for p in data.get("packs") or ())
    return Plan(as_of=str(data.get("as_of", "")), application_date=app.isoformat(),
                months_to_go=mtg if isinstance(mtg, int) else None, packs=packs,
                months=months, windows=windows, flags=flags,
                other_deadlines=[d for d in deadlines if d.k is None or not 0 <= d.k <= FIRST_MONTH])


def _cite_of(finding: Mapping[str, Any]) -> str:
    cite = finding.get("cite")
    if isinstance(cite, (list, tuple)):
        return "; ".join(str(c) for c in cite)
    return str(cite or "")
