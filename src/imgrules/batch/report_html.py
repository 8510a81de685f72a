"""The cohort summary as one self-contained HTML page with inline SVG charts.

No scripts, no fonts or images fetched: the page is the evaluation report's page
(:func:`imgrules.render.html_page` and its CSS) with charts drawn as inline SVG. Every
string from a profile or a pack goes through :func:`imgrules.render.html_escape`, in
element content, attributes and SVG ``<text>`` alike.
"""

from __future__ import annotations

from ..render import HTML_CSS as CSS
from ..render import html_badge as badge
from ..render import html_escape as esc
from ..render import html_page as page
from .summary import CohortSummary, share, who

LEVEL_COLOURS = {"competitive": "#067647", "borderline": "#b54708", "concerning": "#b42318",
                 "none": "#d0d5dd"}
OTHER_COLOUR = "#6941c6"
BAR_COLOUR = "#175cd3"

EXTRA_CSS = """
svg.chart { display: block; margin: .5rem 0 1rem; max-width: 100%; height: auto; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #101828; }
.legend > span { display: inline-block; margin-right: 1rem; font-size: .85em; }
.legend .sw { display: inline-block; width: .8em; height: .8em; margin-right: .3em; vertical-align: -.05em; }
.counts { display: flex; gap: 2rem; } .counts div { font-size: 1.6rem; font-weight: 600; }
.counts small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
"""


def _stacked(summary: CohortSummary) -> str:
    """One horizontal bar per tier component, split by level."""
    components = summary.components()
    label_w, bar_w, row_h = 90, 460, 26
    height = row_h * len(components) + 8
    total = max(summary.evaluated, 1)
    parts = [f'<svg class="chart" role="img" aria-label="tier levels per component" '
             f'viewBox="0 0 {label_w + bar_w + 10} {height}" width="{label_w + bar_w + 10}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, component in enumerate(components):
        y = 4 + i * row_h
        parts.append(f'<text x="0" y="{y + 15}">{esc(component)}</text>')
        x = float(label_w)
        for level, count in summary.tier_row(component).items():
            if count <= 0:
                continue
            w = bar_w * count / total
            colour = LEVEL_COLOURS.get(level, OTHER_COLOUR)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                         f'fill="{colour}"><title>{esc(component)}: {esc(level)} {count}'
                         f'</title></rect>')
            x += w
    parts.append("</svg>")
    return "".join(parts)


def _bars(rows: list[tuple[str, int]], label: str) -> str:
    """A horizontal bar chart of (label, count)."""
    if not rows:
        return ""
    label_w, bar_w, row_h = 220, 340, 22
    top = max(count for _, count in rows) or 1
    height = row_h * len(rows) + 8
    parts = [f'<svg class="chart" role="img" aria-label="{esc(label)}" '
             f'viewBox="0 0 {label_w + bar_w + 60} {height}" width="{label_w + bar_w + 60}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (name, count) in enumerate(rows):
        y = 4 + i * row_h
        w = bar_w * count / top
        short = name if len(name) <= 32 else name[:31] + "\u2026"
        parts.append(f'<text x="0" y="{y + 13}"><title>{esc(name)}</title>{esc(short)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                     f'fill="{BAR_COLOUR}"></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 13}">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(levels: list[str]) -> str:
    return '<p class="legend">' + "".join(
        f'<span><span class="sw" style="background:{LEVEL_COLOURS.get(lvl, OTHER_COLOUR)}">'
        f'</span>{esc(lvl)}</span>'
        for lvl in levels) + "</p>"


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """Cells are already escaped markup."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(
        f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
        for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(summary: CohortSummary, title: str = "Cohort summary") -> str:
    s = summary
    out = [f"<h1>{esc(title)}</h1>",
           '<div class="counts">'
           f"<div>{s.total}<small>profiles</small></div>"
           f"<div>{s.evaluated}<small>evaluated</small></div>"
           f"<div>{s.failed}<small>failed</small></div></div>"]
    if s.tiers:
        levels = [*s.levels(), "none"]
        out += ["<h2>Tiers</h2>", _stacked(s), _legend(levels),
                _table(["component", *(esc(x) for x in levels)],
                       [[esc(c), *(str(v) for v in s.tier_row(c).values())]
                        for c in s.components()], numeric=set(range(1, len(levels) + 1)))]
    if s.diagnoses:
        rows = s.diagnosis_rows()
        out += ["<h2>Diagnoses</h2>", _bars(rows, "diagnoses"),
                _table(["diagnosis", "applicants", "share"],
                       [[esc(code), str(n), share(n, s.evaluated)] for code, n in rows],
                       numeric={1, 2})]
    overdue = s.top_overdue()
    if overdue:
        out += ["<h2>Most common overdue deadlines</h2>",
                _bars([(r.rule, r.count) for r in overdue], "overdue deadlines"),
                _table(["deadline", "applicants", "example"],
                       [[f"<code>{esc(r.rule)}</code>", str(r.count), esc(r.message)]
                        for r in overdue], numeric={1})]
    flags = s.top_flags()
    if flags:
        out += ["<h2>Most common flags</h2>",
                _table(["flag", "severity", "applicants", "example"],
                       [[f"<code>{esc(r.rule)}</code>", badge(r.severity), str(r.count),
                         esc(r.message)] for r in flags], numeric={2})]
    people = s.attention()
    if people:
        items = "".join(
            f"<li><strong>{esc(who(p.id, p.source))}</strong>: {p.overdue} overdue, "
            f"{p.critical} critical, {p.high} high"
            + ("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in p.reasons) + "</ul>"
               if p.reasons else "") + "</li>" for p in people)
        out += ["<h2>Applicants needing attention first</h2>", f"<ol>{items}</ol>"]
    if s.errors:
        items = "".join(f"<li>{esc(who(ident, source))}: {esc(issue)}</li>"
                        for _, ident, source, issue in s.errors)
        more = (f"<li>... and {s.failed - len(s.errors)} more</li>"
                if s.failed > len(s.errors) else "")
        out += [f"<h2>Profiles that failed ({s.failed})</h2>", f"<ul>{items}{more}</ul>"]
    return page(title, "\n".join(out), CSS + EXTRA_CSS)
