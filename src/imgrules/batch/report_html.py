"""The cohort summary as one self-contained HTML page with inline SVG charts.

No scripts, no fonts or images fetched: the page is the template ``cohort.html.j2``
(the evaluation report's page and style sheet, plus ``cohort.css``) with charts drawn
here as inline SVG, markup built from escaped parts
(:func:`imgrules._render.templating.markup`): every string from a profile or a pack is
escaped, in element content, attributes and SVG ``<text>`` alike.
"""

from __future__ import annotations

from markupsafe import Markup

from .._render.html import badge
from .._render.templating import markup, render_template
from .summary import CohortSummary, share, who

LEVEL_COLOURS = {"competitive": "#067647", "borderline": "#b54708", "concerning": "#b42318",
                 "none": "#d0d5dd"}
OTHER_COLOUR = "#6941c6"
BAR_COLOUR = "#175cd3"



def _stacked(summary: CohortSummary) -> Markup:
    """One horizontal bar per tier component, split by level."""
    components = summary.components()
    label_w, bar_w, row_h = 90, 460, 26
    height = row_h * len(components) + 8
    total = max(summary.evaluated, 1)
    parts = [markup('<svg class="chart" role="img" aria-label="tier levels per component" '
                    'viewBox="0 0 {} {}" width="{}" height="{}" '
                    'xmlns="http://www.w3.org/2000/svg">',
                    label_w + bar_w + 10, height, label_w + bar_w + 10, height)]
    for i, component in enumerate(components):
        y = 4 + i * row_h
        parts.append(markup('<text x="0" y="{}">{}</text>', y + 15, component))
        x = float(label_w)
        for level, count in summary.tier_row(component).items():
            if count <= 0:
                continue
            w = bar_w * count / total
            parts.append(markup('<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                                "<title>{}: {} {}</title></rect>", f"{x:.1f}", y, f"{w:.1f}",
                                row_h - 6, LEVEL_COLOURS.get(level, OTHER_COLOUR), component,
                                level, count))
            x += w
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _bars(rows: list[tuple[str, int]], label: str) -> Markup:
    """A horizontal bar chart of (label, count)."""
    if not rows:
        return Markup()
    label_w, bar_w, row_h = 220, 340, 22
    top = max(count for _, count in rows) or 1
    height = row_h * len(rows) + 8
    parts = [markup('<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
                    'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">', label,
                    label_w + bar_w + 60, height, label_w + bar_w + 60, height)]
    for i, (name, count) in enumerate(rows):
        y = 4 + i * row_h
        w = bar_w * count / top
        short = name if len(name) <= 32 else name[:31] + "\u2026"
        parts.append(markup('<text x="0" y="{}"><title>{}</title>{}</text>'
                            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                            '<text x="{}" y="{}">{}</text>', y + 13, name, short, label_w, y,
                            f"{w:.1f}", row_h - 6, BAR_COLOUR, f"{label_w + w + 6:.1f}",
                            y + 13, count))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _code(text: str) -> Markup:
    return markup("<code>{}</code>", text)


def render_html(summary: CohortSummary, title: str = "Cohort summary") -> str:
    s = summary
    overdue, flags = s.top_overdue(), s.top_flags()
    charts = {"tiers": _stacked(s) if s.tiers else Markup(),
              "diagnoses": _bars(s.diagnosis_rows(), "diagnoses"),
              "overdue": _bars([(r.rule, r.count) for r in overdue], "overdue deadlines")}
    return render_template(
        "cohort.html.j2", title=title, s=s, charts=charts, overdue=overdue, flags=flags,
        people=s.attention(), who=who,
        level_colour=lambda level: LEVEL_COLOURS.get(level, OTHER_COLOUR),
        tier_rows=[[c, *s.tier_row(c).values()] for c in s.components()] if s.tiers else [],
        diagnosis_rows=[[code, n, share(n, s.evaluated)] for code, n in s.diagnosis_rows()],
        overdue_rows=[[_code(r.rule), r.count, r.message] for r in overdue],
        flag_rows=[[_code(r.rule), badge(r.severity), r.count, r.message] for r in flags])
