"""The terminal view of an evaluation: where the applicant stands and what to do next.

Colour only when asked (the CLI asks when stdout is a tty and ``NO_COLOR`` is unset);
lines wrap to the given width with a hanging indent so that each finding reads as one item.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Mapping
from typing import IO, Any

import attrs

from . import _common as c

_CODES = {
    "bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
    "magenta": "35", "cyan": "36",
}

# status, severity or kind -> colour
_TINT = {
    "overdue": "red", "due": "yellow", "done": "green", "upcoming": "cyan",
    "active": "magenta", "past": "dim",
    "critical": "red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim",
    "competitive": "green", "borderline": "yellow", "concerning": "red",
}


@attrs.frozen
class Style:
    """How to draw text: ANSI colour on or off, and the line width."""

    color: bool = False
    width: int = 80

    def paint(self, text: str, *styles: str) -> str:
        codes = [_CODES[s] for s in styles if s in _CODES]
        if not self.color or not codes or not text:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"

    def tint(self, text: str, key: str) -> str:
        return self.paint(text, _TINT.get(key, ""))


def terminal_style(stream: IO[str] | None, width: int | None = None,
                   environ: Mapping[str, str] | None = None) -> Style:
    """Colour when ``stream`` is a terminal and ``NO_COLOR`` is unset (https://no-color.org);
    the width from ``COLUMNS`` or the terminal, kept between 40 and 100."""
    env = os.environ if environ is None else environ
    is_tty = bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())
    color = is_tty and not env.get("NO_COLOR")
    if width is None:
        width = 80
        columns = env.get("COLUMNS", "")
        if columns.isdigit():
            width = int(columns)
        elif is_tty:
            try:
                width = os.get_terminal_size(stream.fileno()).columns
            except (OSError, AttributeError, ValueError):
                width = 80
    return Style(color=color, width=max(40, min(width, 100)))


def _clean(text: Any) -> str:
    """One line of untrusted text: no control characters (no escape sequences from data)."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text).replace("\n", " "))


def _wrap(text: str, style: Style, indent: str, hang: str) -> list[str]:
    return textwrap.wrap(text, width=style.width, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False, break_long_words=True) or [indent.rstrip()]


def _item(finding: Mapping[str, Any], style: Style, extra: str = "",
          profile: Mapping | None = None) -> list[str]:
    """One finding: ``[tag] message (due ...)`` then ``because ...; see <cite>`` indented."""
    tag = c.status_label(finding)
    key = str(finding.get("status") or finding.get("severity") or "")
    head = f"{_clean(c.finding_title(finding))}{extra}"
    label = f"[{tag}]"
    lines = _wrap(f"{label} {head}", style, "  ", "  " + " " * (len(label) + 1))
    lines[0] = lines[0].replace(label, style.tint(label, key), 1)
    detail = []
    why = c.because(finding, profile)
    if why:
        detail.append(f"because {_clean(why)}")
    cite = c.cite_text(finding)
    if cite:
        detail.append(f"see \u201c{_clean(cite)}\u201d")
    rule = finding.get("rule")
    if detail or rule:
        text = "; ".join(detail) + (f" [{_clean(rule)}]" if rule else "")
        hang = "  " + " " * (len(label) + 1)
        lines.extend(style.paint(line, "dim") for line in _wrap(text.strip(), style, hang, hang))
    return lines


def _due(finding: Mapping[str, Any]) -> str:
    return _clean(c.when_text(finding))


def _section(title: str, items: Iterable[Mapping], style: Style, extra=lambda f: "",
             profile: Mapping | None = None) -> list[str]:
    items = list(items)
    if not items:
        return []
    out = ["", style.paint(title, "bold")]
    for finding in items:
        out.extend(_item(finding, style, extra(finding), profile))
    return out


def render_result(result: Mapping[str, Any], style: Style = Style(), label: str = "",
                  profile: Mapping | None = None) -> str:
    """One evaluation as text, in reading order; ``profile`` (its data) lets reasons show
    the values they rest on."""
    k = result.get("months_to_go")
    heading = f"{label}: " if label else ""
    where = (f"{c.month_label(k)} ({c.phase_name(k)})" if isinstance(k, int) else "unknown")
    out = [style.paint(f"{_clean(heading)}You are at {where}", "bold")]
    if isinstance(k, int):
        left = (f"{k} month{'s' if k != 1 else ''} to the application date" if k >= 0
                else f"{-k} month{'s' if k != -1 else ''} past the application date")
    else:
        left = "months to go unknown"
    out.extend(_wrap(f"{left} {_clean(result.get('application_date', '?'))}, as of "
                     f"{_clean(result.get('as_of', '?'))}; packs: {_clean(c.pack_names(result))}",
                     style, "  ", "  "))

    rows = c.tiers(result)
    if rows:
        out += ["", style.paint("Tiers", "bold")]
        width = max(len(comp) for comp, _ in rows)
        for comp, level in rows:
            out.append(f"  {_clean(comp).ljust(width)}  {style.tint(_clean(level), level)}")
    for fact in c.other_derived(result):
        out.append(f"  {_clean(c.derived_label(fact))}")

    sec = c.sections(result)
    out += _section("Overdue and due this month", sec.overdue, style, _due, profile=profile)
    out += _section("Red flags", sec.flags, style, profile=profile)
    out += _section("This month", sec.now, style, profile=profile)
    out += _section("What comes next", sec.upcoming, style, _due, profile=profile)
    out += _section("Recommendations", sec.recommendations, style, profile=profile)
    out += _section("Needs information", sec.needs_info, style, profile=profile)
    out += _section("Other findings", sec.other, style, profile=profile)
    if sec.done or sec.past:
        out += ["", style.paint("Done", "bold")]
        names = [_clean(c.finding_title(f)) for f in sec.done]
        summary = f"{len(sec.done)} milestone{'s' if len(sec.done) != 1 else ''} done"
        if names:
            summary += ": " + "; ".join(names)
        if sec.past:
            summary += f"; {len(sec.past)} window{'s' if len(sec.past) != 1 else ''} past"
        out.extend(style.paint(line, "green") for line in _wrap(summary, style, "  ", "  "))
    if not result.get("findings"):
        out += ["", "  Nothing to report."]
    return "\n".join(out) + "\n"


def render(results: Iterable[tuple[str, Mapping[str, Any]]], style: Style = Style()) -> str:
    """Several evaluations: one section each, separated by a rule; a lone one unlabelled."""
    items = c.labelled(results)
    if len(items) == 1:
        return render_result(items[0][1], style, profile=items[0][2])
    rule = style.paint("-" * min(style.width, 72), "dim")
    return ("\n" + rule + "\n\n").join(render_result(r, style, label, p) for label, r, p in items)
