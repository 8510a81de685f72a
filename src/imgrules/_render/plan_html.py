"""The plan as one self-contained HTML page: a timeline chart and the month list.

The chart is HTML, one grid per row (so that a printed row is never cut at a page edge):
windows are bars across their months, deadlines are markers in the month they fall due,
both coloured by status and labelled with it (a black-and-white print still reads); the
current month is shaded. On a phone the chart scrolls sideways under a sticky label
column, its text as large as on a desktop; printed, it fits the page width (A4 or
Letter) on the first page and the month list starts on the next. No scripts and no
fetches. The page is the template ``plan.html.j2`` (style sheet ``plan.css``); the chart
is drawn here as markup built from escaped parts (:func:`~imgrules._render.templating.markup`).
"""

from __future__ import annotations

from markupsafe import Markup

from .._plan import FIRST_MONTH, Plan
from ._common import date_words, month_label
from .templating import markup, render_template

COLORS = {
    "done": "#067647", "upcoming": "#175cd3", "due": "#b54708", "overdue": "#b42318",
    "active": "#6941c6", "past": "#98a2b3", "needs_info": "#667085",
}
STATUS_WORDS = {"needs_info": "needs info"}



def _status(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _col(k: int) -> int:
    """The grid column of month T-k (column 1 holds the labels)."""
    return 2 + FIRST_MONTH - k


def _n(x: float) -> str:
    return f"{x:.1f}"


def _marker(cx: float, cy: float, status: str, r: float = 7) -> Markup:
    """A deadline marker: a filled circle when done, a diamond otherwise (hollow while
    upcoming), so the shape also tells the status."""
    color = COLORS.get(status, COLORS["needs_info"])
    if status == "done":
        return markup('<circle cx="{}" cy="{}" r="{}" fill="{}"/><path d="M{} {} l2.5 2.5 l4 -5" '
                      'stroke="#fff" stroke-width="1.6" fill="none"/>',
                      _n(cx), _n(cy), _n(r - 1), color, _n(cx - 3), _n(cy))
    fill = "#fff" if status in ("upcoming", "needs_info") else color
    points = (f"{_n(cx)},{_n(cy - r)} {_n(cx + r)},{_n(cy)} {_n(cx)},{_n(cy + r)} "
              f"{_n(cx - r)},{_n(cy)}")
    return markup('<polygon points="{}" fill="{}" stroke="{}" stroke-width="2"/>',
                  points, fill, color)


def _label(title: str, status: str) -> Markup:
    return markup('<span class="label" title="{}"><span class="t">{}</span>'
                  "<small>{}</small></span>", title, title, _status(status))


def timeline(plan: Plan) -> Markup:
    """The chart: phases and month heads, one row per window, then one per deadline."""
    current = plan.current
    cur = (markup('<span class="cur" style="grid-column: {}"></span>', _col(current.k))
           if current is not None else Markup())
    phases = [Markup('<div class="row phases" aria-hidden="true"><span class="label"></span>')]
    for name in dict.fromkeys(m.phase for m in plan.months):
        ks = [m.k for m in plan.months if m.phase == name]
        phases.append(markup('<span class="phase" style="grid-column: {} / {}">{}</span>',
                             _col(max(ks)), _col(min(ks)) + 1, name))
    rows = [Markup("").join(phases) + Markup("</div>")]
    head = [Markup('<div class="row head"><span class="label"><span class="t">Month ends</span>'
                   "</span>"), cur]
    for month in plan.months:
        # the day the month ends (its deadlines fall due then), the whole run on hover
        span = f"{month.start.isoformat()} .. {month.end.isoformat()}"
        head.append(markup('<span class="mhead{}" style="grid-column: {}" title="{}">{}'
                           "<small>{}</small></span>", " now" if month.current else "",
                           _col(month.k), span, month.label, f"{month.end:%b} {month.end.day}"))
    rows.append(Markup("").join(head) + Markup("</div>"))
    for w in plan.windows:
        a, b = min(w.start_k, FIRST_MONTH), max(w.end_k, 0)
        tip = (f"{w.title} ({month_label(w.start_k)}..{month_label(w.end_k)}, {w.start} .. "
               f"{w.end}): {_status(w.status)}")
        if w.dated:
            tip = f"{w.title} (until {date_words(w.end)}): {_status(w.status)}"
        bar = Markup()
        if a >= b:
            bar = markup('<span class="bar {}" style="grid-column: {} / {}; color: {}" '
                         'title="{}"></span>', w.status, _col(a), _col(b) + 1,
                         COLORS.get(w.status, COLORS["needs_info"]), tip)
        rows.append(markup('<div class="row window">{}{}{}</div>',
                           _label(w.title, w.status), cur, bar))
    for d in (d for m in plan.months for d in m.deadlines):
        tip = f"{d.title} (by {month_label(d.k)}, due {d.due_date}): {_status(d.status)}"
        if d.dated:
            tip = f"{d.title} (due {date_words(d.due_date)}): {_status(d.status)}"
        rows.append(markup('<div class="row deadline">{}{}<span class="mark" '
                           'style="grid-column: {}" title="{}"><svg width="16" height="16" '
                           'viewBox="0 0 18 18" aria-hidden="true">{}</svg></span></div>',
                           _label(d.title, d.status), cur, _col(d.k), tip,
                           _marker(9, 9, d.status)))
    return markup('<div class="chart-wrap"><div class="chart" role="group" aria-label="{}">'
                  "{}</div></div>", f"Timeline T-{FIRST_MONTH} to T-0", Markup("\n").join(rows))


def legend() -> Markup:
    items = [markup('<span><svg width="18" height="18" viewBox="0 0 18 18">{}</svg> '
                    "deadline {}</span>", _marker(9, 9, status), status)
             for status in ("done", "upcoming", "due", "overdue")]
    items.append(markup('<span><svg width="28" height="14" viewBox="0 0 28 14"><rect x="1" '
                        'y="2" width="26" height="10" rx="3" fill="none" stroke="{}" '
                        'stroke-width="2" stroke-dasharray="4 2"/></svg> window upcoming</span>',
                        COLORS["upcoming"]))
    for status in ("active", "past"):
        items.append(markup('<span><svg width="28" height="14" viewBox="0 0 28 14"><rect x="1" '
                            'y="2" width="26" height="10" rx="3" fill="{}" stroke="{}"/></svg> '
                            "window {}</span>", COLORS[status], COLORS[status], status))
    items.append(Markup('<span><svg width="18" height="14" viewBox="0 0 18 14"><rect x="1" '
                        'y="1" width="16" height="12" fill="#fef0c7" stroke="#101828" '
                        'stroke-width="2"/></svg> current month</span>'))
    return Markup('<div class="legend">') + Markup("").join(items) + Markup("</div>")


def render(plan: Plan) -> str:
    k = plan.months_to_go
    where = f"T-{k} ({plan.phase})" if isinstance(k, int) and k >= 0 else plan.phase
    packs = ", ".join(str(p.get("name")) for p in plan.packs)
    return render_template("plan.html.j2", title=f"imgrules plan to {plan.application_date}",
                           plan=plan, where=where, packs=packs, legend=legend(),
                           timeline=timeline(plan), status=_status, month_label=month_label,
                           date_words=date_words)
