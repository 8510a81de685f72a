"""The plan as one self-contained HTML page: an inline-SVG timeline and the month list.

Windows are Gantt bars, deadlines are markers in the month they fall due, both coloured by
status (and labelled with it, so a black-and-white print still reads); the current month
is shaded. No scripts and no fetches; every pack or profile string is escaped.
"""

from __future__ import annotations

from ..plan import FIRST_MONTH, Plan, PlanMonth
from .html import CSS, badge, esc, page

COLORS = {
    "done": "#067647", "upcoming": "#175cd3", "due": "#b54708", "overdue": "#b42318",
    "active": "#6941c6", "past": "#98a2b3", "needs_info": "#667085",
}
PHASE_FILL = {"Foundation": "#f2f4f7", "Building": "#eaecf0", "Consolidation": "#f2f4f7",
              "Application": "#eaecf0"}

LABEL_W, COL_W, HEAD_H, ROW_H = 330, 50, 62, 24
LABEL_CHARS = 44

PLAN_CSS = CSS + """
.timeline { width: 100%; height: auto; display: block; margin: 1rem 0; }
.timeline text { font: 12px system-ui, sans-serif; fill: #101828; }
.timeline .small { font-size: 10px; fill: #475467; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .85rem; margin: .5rem 0 1rem; }
.legend svg { vertical-align: middle; }
.month { break-inside: avoid; border-left: 4px solid #d0d5dd; padding: .25rem .75rem; margin: .75rem 0; }
.month.current { border-left-color: #101828; background: #f9fafb; }
.month h3 { border: none; margin: 0 0 .25rem; }
.month ul { margin: 0; padding-left: 1.2rem; }
body { max-width: 72rem; }
@media print {
  .timeline, .legend svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .month.current { background: none; }
}
"""


def _x(k: int) -> float:
    """Left edge of month T-k's column."""
    return LABEL_W + (FIRST_MONTH - k) * COL_W


def _clip(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


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


def timeline_svg(plan: Plan) -> str:
    """The Gantt chart: phase bands and month heads, one row per window, then per deadline."""
    rows: list[str] = []
    y = HEAD_H
    for w in plan.windows:
        a, b = min(w.start_k, FIRST_MONTH), max(w.end_k, 0)
        color = COLORS.get(w.status, COLORS["needs_info"])
        tip = esc(f"{w.title} (T-{w.start_k}..T-{w.end_k}, {w.start} .. {w.end}): {w.status}")
        label = esc(_clip(w.title))
        bar = ""
        if a >= b:
            dash = ' stroke-dasharray="4 2"' if w.status == "upcoming" else ""
            opacity = "0.45" if w.status == "past" else "0.85"
            bar = (f'<rect x="{_x(a) + 3}" y="{y + 5}" width="{(a - b + 1) * COL_W - 6}" '
                   f'height="{ROW_H - 10}" rx="4" fill="{color}" fill-opacity="{opacity}" '
                   f'stroke="{color}"{dash}/>')
        rows.append(f'<g><title>{tip}</title><text x="6" y="{y + 16}">{label}</text>'
                    f'<text class="small" x="{LABEL_W - 6}" y="{y + 16}" text-anchor="end">'
                    f'{esc(w.status)}</text>{bar}</g>')
        y += ROW_H
    deadlines = [d for m in plan.months for d in m.deadlines]
    if plan.windows and deadlines:
        rows.append(f'<line x1="0" x2="{_x(-1)}" y1="{y + 2}" y2="{y + 2}" stroke="#d0d5dd"/>')
        y += 6
    for d in deadlines:
        tip = esc(f"{d.title} (by T-{d.k}, due {d.due_date}): {d.status}")
        cx = _x(d.k) + COL_W / 2
        rows.append(f'<g><title>{tip}</title><text x="6" y="{y + 16}">{esc(_clip(d.title))}</text>'
                    f'<text class="small" x="{LABEL_W - 6}" y="{y + 16}" text-anchor="end">'
                    f'{esc(d.status)}</text>'
                    f'<line x1="{_x(FIRST_MONTH)}" x2="{cx:.1f}" y1="{y + ROW_H / 2}" '
                    f'y2="{y + ROW_H / 2}" stroke="#eaecf0"/>'
                    f'{_marker(cx, y + ROW_H / 2, d.status)}</g>')
        y += ROW_H
    height = y + 8
    width = _x(-1)
    head: list[str] = []
    for month in plan.months:
        x = _x(month.k)
        fill = PHASE_FILL.get(month.phase, "#fff")
        head.append(f'<rect x="{x}" y="0" width="{COL_W}" height="{height}" fill="{fill}"/>')
        if month.current:
            head.append(f'<rect x="{x}" y="0" width="{COL_W}" height="{height}" fill="#fef0c7" '
                        'stroke="#101828" stroke-width="2"/>')
        head.append(f'<text x="{x + COL_W / 2}" y="42" text-anchor="middle">{esc(month.label)}'
                    f"</text>")
        # the month ends on this day (its deadlines fall due then): "Dec 15", not "Dec 26",
        # which read as the calendar month to someone at T-9 on Nov 22
        span = f"{month.start.isoformat()} .. {month.end.isoformat()}"
        head.append(f'<text class="small" x="{x + COL_W / 2}" y="55" text-anchor="middle">'
                    f'<title>{esc(span)}</title>{esc(f"{month.end:%b} {month.end.day}")}</text>')
    for name in dict.fromkeys(m.phase for m in plan.months):
        ks = [m.k for m in plan.months if m.phase == name]
        x0, x1 = _x(max(ks)), _x(min(ks)) + COL_W
        head.append(f'<text class="small" x="{(x0 + x1) / 2}" y="14" text-anchor="middle">'
                    f"{esc(name)}</text>")
        head.append(f'<line x1="{x0}" x2="{x0}" y1="0" y2="{height}" stroke="#d0d5dd"/>')
    current = plan.current
    if current is not None:
        head.append(f'<text class="small" x="{_x(current.k) + COL_W / 2}" y="28" '
                    'text-anchor="middle" font-weight="bold">now</text>')
    title = f"Timeline T-{FIRST_MONTH} to T-0"
    return (f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-label="{esc(title)}"><title>{esc(title)}</title>'
            + "".join(head) + "".join(rows) + "</svg>")


def legend() -> str:
    items = []
    for status in ("done", "upcoming", "due", "overdue"):
        items.append(f'<span><svg width="18" height="18" viewBox="0 0 18 18">'
                     f"{_marker(9, 9, status)}</svg> deadline {esc(status)}</span>")
    for status in ("upcoming", "active", "past"):
        color = COLORS[status]
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
        items.append(f"<li>{badge(d.status)}<strong>{esc(d.title)}</strong> (due "
                     f"{esc(d.due_date)}){message}{_cite(d.cite)}</li>")
    for w in month.windows:
        items.append(f"<li>{badge(w.status)}window: {esc(w.title)}</li>")
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
            f"{esc(packs)}</p>", legend(), timeline_svg(plan)]
    if plan.flags and plan.current is None:
        body.append("<h2>Flags now</h2><ul>" + "".join(
            f"<li>{badge(f.severity or 'flag')}{esc(f.message)}</li>" for f in plan.flags)
            + "</ul>")
    body.append("<h2>Month by month</h2>")
    body.extend(_month(m) for m in plan.months)
    if plan.other_deadlines:
        body.append("<h2>Outside T-12..T-0</h2><ul>" + "".join(
            f"<li>{badge(d.status)}{esc(d.title)} (T-{d.k}, due {esc(d.due_date)})</li>"
            for d in plan.other_deadlines) + "</ul>")
    return page(f"imgrules plan to {plan.application_date}", "\n".join(body), PLAN_CSS)
