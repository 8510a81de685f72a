"""The plan as one self-contained HTML page: a timeline chart and the month list.

The chart is HTML, one grid per row (so that a printed row is never cut at a page edge):
windows are bars across their months, deadlines are markers in the month they fall due,
both coloured by status and labelled with it (a black-and-white print still reads); the
current month is shaded. On a phone the chart scrolls sideways under a sticky label
column, its text as large as on a desktop; printed, it fits the page width (A4 or
Letter) on the first page and the month list starts on the next. No scripts and no
fetches; every pack or profile string is escaped.
"""

from __future__ import annotations

from ..plan import FIRST_MONTH, Plan, PlanMonth
from ._common import month_label
from .html import CSS, badge, esc, page

COLORS = {
    "done": "#067647", "upcoming": "#175cd3", "due": "#b54708", "overdue": "#b42318",
    "active": "#6941c6", "past": "#98a2b3", "needs_info": "#667085",
}
STATUS_WORDS = {"needs_info": "needs info"}

PLAN_CSS = CSS + """
body { max-width: 72rem; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .85rem; margin: .5rem 0 1rem; }
.legend svg { vertical-align: middle; }
.chart-wrap { overflow-x: auto; margin: 1rem 0; border: 1px solid var(--line); }
.chart { min-width: 46rem; font-size: 12px; line-height: 1.3; }
.chart .row { display: grid; grid-template-columns: 14rem repeat(13, minmax(0, 1fr));
  align-items: center; min-height: 22px; break-inside: avoid; }
.chart .row > * { grid-row: 1; min-width: 0; }
.chart .row + .row { border-top: 1px solid #f2f4f7; }
.chart .label { grid-column: 1; position: sticky; left: 0; z-index: 2; background: #fff;
  display: flex; justify-content: space-between; gap: .4rem; padding: 0 .4rem;
  white-space: nowrap; overflow: hidden; align-self: stretch; align-items: center; }
.chart .label .t { overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; }
.chart .label small { flex: none; white-space: nowrap; }
.chart { overflow-wrap: normal; }
.chart .label small, .chart .mhead small { color: var(--muted); font-size: 11px; }
.chart .head { position: relative; }
.chart .mhead { text-align: center; padding: .15rem 0; z-index: 1; }
.chart .mhead small { display: block; }
.chart .mhead.now { font-weight: 700; }
.chart .phase { text-align: center; color: var(--muted); border-left: 1px solid var(--line);
  font-size: 11px; }
.chart .cur { align-self: stretch; background: #fef0c7; z-index: 0; }
.chart .bar { height: 12px; border-radius: 4px; margin: 0 3px; z-index: 1;
  border: 2px solid currentColor; background: currentColor; }
.chart .bar.upcoming, .chart .bar.needs_info { background: none; border-style: dashed; }
.chart .bar.past { opacity: .5; }
.chart .mark { justify-self: center; z-index: 1; line-height: 0; }
.month { break-inside: avoid; border-left: 4px solid #d0d5dd; padding: .25rem .75rem; margin: .75rem 0; }
.month.current { border-left-color: #101828; background: #f9fafb; }
.month h3 { border: none; margin: 0 0 .25rem; }
.month ul { margin: 0; padding-left: 1.2rem; }
@media (max-width: 40rem) {
  .chart { min-width: 0; width: max-content; }
  .chart .row { grid-template-columns: 10.5rem repeat(13, 2.75rem); }
  .chart .label { white-space: normal; align-items: flex-start; padding: 2px .4rem; }
  .chart .label .t { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
}
@media print {
  @page { margin: 12mm; }
  h1 { margin: 0 0 .1rem; } .meta { margin: 0 0 .25rem; }
  .legend { font-size: 8pt; margin: .2rem 0 .4rem; }
  .chart-wrap { overflow: visible; border: none; margin: .25rem 0; }
  .chart { min-width: 0; width: auto; font-size: 7.5pt; line-height: 1.15; }
  .chart .row { grid-template-columns: 12rem repeat(13, minmax(0, 1fr)); min-height: 0; }
  .chart .label { position: static; }
  .chart .label small, .chart .mhead small, .chart .phase { font-size: 7.5pt; }
  .chart .bar { height: 8px; border-width: 1.5px; }
  .chart .mark svg { width: 11px; height: 11px; }
  .chart, .legend svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .months-title { break-before: page; }
  .month.current { background: none; }
}
"""


def _status(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _col(k: int) -> int:
    """The grid column of month T-k (column 1 holds the labels)."""
    return 2 + FIRST_MONTH - k


def _marker(cx: float, cy: float, status: str, r: float = 7) -> str:
    """A deadline marker: a filled circle when done, a diamond otherwise (hollow while
    upcoming), so the shape also tells the status."""
    color = COLORS.get(status, COLORS["needs_info"])
    if status == "done":
        return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r - 1:.1f}" fill="{color}"/>'
                f'<path d="M{cx - 3:.1f} {cy:.1f} l2.5 2.5 l4 -5" stroke="#fff" '
                'stroke-width="1.6" fill="none"/>')
    fill = "#fff" if status in ("upcoming", "needs_info") else color
    points = f"{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} {cx - r:.1f},{cy:.1f}"
    return f'<polygon points="{points}" fill="{fill}" stroke="{color}" stroke-width="2"/>'


def _label(title: str, status: str) -> str:
    return (f'<span class="label" title="{esc(title)}"><span class="t">{esc(title)}</span>'
            f"<small>{esc(_status(status))}</small></span>")


def timeline(plan: Plan) -> str:
    """The chart: phases and month heads, one row per window, then one per deadline."""
    current = plan.current
    cur = (f'<span class="cur" style="grid-column: {_col(current.k)}"></span>'
           if current is not None else "")
    phases = ['<div class="row phases" aria-hidden="true"><span class="label"></span>']
    for name in dict.fromkeys(m.phase for m in plan.months):
        ks = [m.k for m in plan.months if m.phase == name]
        phases.append(f'<span class="phase" style="grid-column: {_col(max(ks))} / '
                      f'{_col(min(ks)) + 1}">{esc(name)}</span>')
    rows = ["".join(phases) + "</div>"]
    head = ['<div class="row head"><span class="label"><span class="t">Month ends</span>'
            "</span>", cur]
    for month in plan.months:
        # the day the month ends (its deadlines fall due then), the whole run on hover
        span = f"{month.start.isoformat()} .. {month.end.isoformat()}"
        now = " now" if month.current else ""
        head.append(f'<span class="mhead{now}" style="grid-column: {_col(month.k)}" '
                    f'title="{esc(span)}">{esc(month.label)}'
                    f"<small>{esc(f'{month.end:%b} {month.end.day}')}</small></span>")
    rows.append("".join(head) + "</div>")
    for w in plan.windows:
        a, b = min(w.start_k, FIRST_MONTH), max(w.end_k, 0)
        tip = (f"{w.title} ({month_label(w.start_k)}..{month_label(w.end_k)}, {w.start} .. "
               f"{w.end}): {_status(w.status)}")
        bar = ""
        if a >= b:
            color = COLORS.get(w.status, COLORS["needs_info"])
            bar = (f'<span class="bar {esc(w.status)}" style="grid-column: {_col(a)} / '
                   f'{_col(b) + 1}; color: {color}" title="{esc(tip)}"></span>')
        rows.append(f'<div class="row window">{_label(w.title, w.status)}{cur}{bar}</div>')
    for d in (d for m in plan.months for d in m.deadlines):
        tip = f"{d.title} (by {month_label(d.k)}, due {d.due_date}): {_status(d.status)}"
        rows.append(f'<div class="row deadline">{_label(d.title, d.status)}{cur}'
                    f'<span class="mark" style="grid-column: {_col(d.k)}" title="{esc(tip)}">'
                    f'<svg width="16" height="16" viewBox="0 0 18 18" aria-hidden="true">'
                    f"{_marker(9, 9, d.status)}</svg></span></div>")
    title = f"Timeline T-{FIRST_MONTH} to T-0"
    return (f'<div class="chart-wrap"><div class="chart" role="group" aria-label="{esc(title)}">'
            + "\n".join(rows) + "</div></div>")


def legend() -> str:
    items = []
    for status in ("done", "upcoming", "due", "overdue"):
        items.append(f'<span><svg width="18" height="18" viewBox="0 0 18 18">'
                     f"{_marker(9, 9, status)}</svg> deadline {esc(status)}</span>")
    for status in ("upcoming", "active", "past"):
        color = COLORS[status]
        if status == "upcoming":
            items.append(f'<span><svg width="28" height="14" viewBox="0 0 28 14"><rect x="1" '
                         f'y="2" width="26" height="10" rx="3" fill="none" stroke="{color}" '
                         f'stroke-width="2" stroke-dasharray="4 2"/></svg> window upcoming</span>')
            continue
        items.append(f'<span><svg width="28" height="14" viewBox="0 0 28 14"><rect x="1" y="2" '
                     f'width="26" height="10" rx="3" fill="{color}" stroke="{color}"/></svg> '
                     f"window {esc(status)}</span>")
    items.append('<span><svg width="18" height="14" viewBox="0 0 18 14"><rect x="1" y="1" '
                 'width="16" height="12" fill="#fef0c7" stroke="#101828" stroke-width="2"/></svg>'
                 " current month</span>")
    return '<div class="legend">' + "".join(items) + "</div>"


def _month(month: PlanMonth) -> str:
    cls = "month current" if month.current else "month"
    here = " \u2014 you are here" if month.current else ""
    out = [f'<div class="{cls}"><h3>{esc(month.label)} \u00b7 {esc(month.phase)}{here} '
           f"<small>{esc(month.start.isoformat())} .. {esc(month.end.isoformat())}</small></h3>"]
    items = []
    for d in month.deadlines:
        message = _DASH + esc(d.message) if d.message else ""
        items.append(f"<li>{badge(_status(d.status), d.status)}<strong>{esc(d.title)}</strong> (due "
                     f"{esc(d.due_date)}){message}{_cite(d.cite)}</li>")
    for w in month.windows:
        items.append(f"<li>{badge(_status(w.status), w.status)}window: {esc(w.title)}</li>")
    for r in month.reminders:
        items.append(f"<li>{badge('remind')}{esc(r.message or r.title)}{_cite(r.cite)}</li>")
    for f in month.flags:
        items.append(f"<li>{badge(f.severity or 'flag')}{esc(f.message)}{_cite(f.cite)}</li>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    out.append("</div>")
    return "".join(out)


_DASH = " \u2014 "


def _cite(cite: str) -> str:
    return f' <small>see <cite>{esc(cite)}</cite></small>' if cite else ""


def render(plan: Plan) -> str:
    k = plan.months_to_go
    where = f"T-{k} ({plan.phase})" if isinstance(k, int) and k >= 0 else plan.phase
    packs = ", ".join(str(p.get("name")) for p in plan.packs)
    body = [f"<h1>Plan to {esc(plan.application_date)}</h1>",
            f'<p class="meta">As of {esc(plan.as_of)}: you are at {esc(where)} \u00b7 packs '
            f"{esc(packs)}</p>", legend(), timeline(plan)]
    if plan.flags and plan.current is None:
        body.append("<h2>Flags now</h2><ul>" + "".join(
            f"<li>{badge(f.severity or 'flag')}{esc(f.message)}</li>" for f in plan.flags)
            + "</ul>")
    body.append('<h2 class="months-title">Month by month</h2>')
    body.extend(_month(m) for m in plan.months)
    if plan.other_deadlines:
        body.append("<h2>Outside T-12..T-0</h2><ul>" + "".join(
            f"<li>{badge(_status(d.status), d.status)}{esc(d.title)} ({esc(month_label(d.k))}, "
            f"due {esc(d.due_date)})</li>"
            for d in plan.other_deadlines) + "</ul>")
    return page(f"imgrules plan to {plan.application_date}", "\n".join(body), PLAN_CSS)
