"""The plan as a compact month list for a terminal: one block per month, T-12 first."""

from __future__ import annotations

from .._plan import Plan, PlanMonth
from ._common import date_words, month_label
from .text import Style, _clean, _wrap

_MARK = {"done": "x", "upcoming": " ", "due": "!", "overdue": "!", "needs_info": "?"}


def _month(month: PlanMonth, style: Style) -> list[str]:
    here = "  <- you are here" if month.current else ""
    span = f"{month.start.isoformat()} .. {month.end.isoformat()}"
    head = f"{month.label:>5}  {span}  {month.phase}{here}"
    out = [style.paint(head, "bold", "magenta") if month.current else style.paint(head, "bold")]
    pad = " " * 7
    for d in month.deadlines:
        box = f"[{_MARK.get(d.status, ' ')}]"
        shown = "needs info" if d.status == "needs_info" else d.status
        due = date_words(d.due_date) if d.dated else d.due_date
        state = f"due {due}" if d.status == "due" else f"{shown}, due {due}"
        text = f"{box} {_clean(d.title)} ({state})"
        lines = _wrap(text, style, pad, pad + "    ")
        lines[0] = lines[0].replace(box, style.tint(box, d.status), 1)
        out.extend(lines)
    # compact: a window where it starts (and, while it runs, in the current month); a
    # reminder of several months in its first month and the current one
    for w in month.windows:
        if w.start_k != month.k and not month.current:
            continue
        marker = "|" if w.start_k == month.k else ":"
        span = month_label(w.start_k) + (
            f"..{month_label(w.end_k)}" if w.end_k != w.start_k else "")
        if w.dated:
            span = f"until {date_words(w.end)}"
        shown = "needs info" if w.status == "needs_info" else w.status
        text = f"{marker}  {_clean(w.title)} (window {span}, {shown})"
        out.extend(style.tint(line, w.status) for line in _wrap(text, style, pad, pad + "   "))
    for r in month.reminders:
        first = r.timing.startswith("at ") or r.timing == f"during {month.label}" or \
            r.timing.startswith(f"during {month.label}..")
        if not first and not month.current:
            continue
        span = f" ({r.timing})" if r.timing.startswith("during") else ""
        text = f"-  {_clean(r.message or r.title)}{span}"
        out.extend(style.paint(line, "dim") if not r.fired else line
                   for line in _wrap(text, style, pad, pad + "   "))
    for f in month.flags:
        text = f"*  {f.severity}: {_clean(f.message)}"
        out.extend(style.tint(line, f.severity) for line in _wrap(text, style, pad, pad + "   "))
    return out


LEGEND = ("[x] done", "[ ] upcoming", "[!] due/overdue", "[?] needs info", "| window starts",
          ": window continues", "- reminder", "* flag now")


def _legend(width: int) -> list[str]:
    """The legend's items, as many to a line as fit; an item is never split."""
    lines = ["  "]
    for item in LEGEND:
        if len(lines[-1]) > 2 and len(lines[-1]) + 2 + len(item) > width:
            lines.append("  ")
        lines[-1] += ("  " if len(lines[-1]) > 2 else "") + item
    return lines


def render(plan: Plan, style: Style = Style()) -> str:
    k = plan.months_to_go
    where = f"T-{k} ({plan.phase})" if isinstance(k, int) and k >= 0 else plan.phase
    out = [style.paint(line, "bold") for line in _wrap(
        f"Plan to {plan.application_date}, as of {plan.as_of}: you are at {where}", style, "", "  ")]
    out.extend(style.paint(line, "dim") for line in _legend(style.width))
    for month in plan.months:
        out.append("")
        out.extend(_month(month, style))
    if plan.flags and plan.current is None:
        out += ["", style.paint("Flags now", "bold")]
        out.extend(f"       *  {f.severity}: {_clean(f.message)}" for f in plan.flags)
    outside = [d for d in plan.other_deadlines if d.k is not None]
    undated = [d for d in plan.other_deadlines if d.k is None]
    for head, items in (("Outside T-12..T-0", outside), ("Dates not known yet", undated)):
        if not items:
            continue
        out += ["", style.paint(head, "bold")]
        for d in items:
            if d.dated:
                shown = "needs info" if d.status == "needs_info" else d.status
                when = f"due {date_words(d.due_date)}" if d.due_date else "date not known yet"
                text = f"[{_MARK.get(d.status, ' ')}] {_clean(d.title)} ({shown}, {when})"
            else:
                text = (f"[{_MARK.get(d.status, ' ')}] {_clean(d.title)} "
                        f"({month_label(d.k)}, {d.status}, due {d.due_date})")
            out.extend(_wrap(text, style, "       ", "           "))
    return "\n".join(out) + "\n"
