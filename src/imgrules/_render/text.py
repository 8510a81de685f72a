"""The terminal view of an evaluation: where the applicant stands and what to do next.

Colour only when asked (the CLI asks when stdout is a tty and ``NO_COLOR`` is unset);
lines wrap to the given width with a hanging indent so that each finding reads as one item.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable, Mapping
from typing import IO, Any, NamedTuple

from .._safetext import escape_controls
from . import _common as c
from . import report, words

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


class Style(NamedTuple):
    """How to draw text: ANSI colour on or off, and the line width (a named tuple: cheaper
    to define than an attrs class on every start of the command line)."""

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
    """One line of untrusted text: control characters shown escaped (``\\x1b``), so that
    no escape sequence from data reaches the terminal; line breaks and tabs are spaces."""
    return escape_controls(str(text).replace("\n", " ").replace("\t", " "))


def _wrap(text: str, style: Style, indent: str, hang: str) -> list[str]:
    return textwrap.wrap(text, width=style.width, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False, break_long_words=True) or [indent.rstrip()]


def _entry(entry: report.Entry, style: Style, view: str, full: bool, number: str = "",
           profile: Mapping | None = None) -> list[str]:
    """``[tag] Title (when)``; in the full report its message below, in the advisor's view
    its reasons, guidance and rule (dimmed)."""
    tag = f"[{entry.tag}]"
    when = entry.when or ("now" if number and entry.kind == "flag" else "")
    when = f" ({when})" if when else ""
    head = f"{number}{tag} {_clean(entry.title(view))}{_clean(when)}"
    hang = "  " + " " * (len(number) + len(tag) + 1)
    lines = _wrap(head, style, "  ", hang)
    lines[0] = lines[0].replace(tag, style.tint(tag, entry.status or entry.severity), 1)
    message = entry.message(view)
    if full and message and message != entry.title(view):
        lines.extend(_wrap(_clean(message), style, hang, hang))
    if view == "advisor":
        lines.extend(style.paint(line, "dim") for line in _wrap(
            _clean(report.reasons(entry, profile)), style, hang, hang))
    elif full and c.cite_text(entry.finding):
        lines.extend(style.paint(line, "dim") for line in _wrap(
            f"see \u201c{_clean(c.cite_text(entry.finding))}\u201d", style, hang, hang))
    return lines


MAX_LINES = 80  # two screens: what the short report fits in


def _lay_out(rep: report.Report, style: Style, profile: Mapping | None) -> list[str]:
    view, full = rep.view, rep.full
    heading = f"{rep.label}: " if rep.label else ""
    out = [style.paint(f"{_clean(heading)}You are at {rep.where}", "bold")]
    meta = f"{rep.left} (as of {rep.as_of})"
    if view == "advisor":
        meta += f"; packs: {rep.packs}"
    out.extend(_wrap(_clean(meta), style, "  ", "  "))
    if rep.empty:
        return out + ["", "  Nothing to report."]
    if rep.top:
        out += ["", style.paint("This month: the few things to do", "bold")]
        for i, entry in enumerate(rep.top, 1):
            out.extend(_entry(entry, style, view, full, f"{i}. ", profile))
    if rep.tiers or rep.diagnoses or rep.progress or rep.derived:
        out += ["", style.paint("Where you stand", "bold")]
    if rep.tiers:
        line, shown = "", ""
        for name, level in rep.tiers:  # a pair is never split; colour takes no columns
            pair = f"{_clean(name)}: {_clean(level)}"
            painted = f"{_clean(name)}: {style.tint(_clean(level), level)}"
            if line and len(line) + 3 + len(pair) > style.width - 2:
                out.append("  " + shown)
                line, shown = "", ""
            line += (" \u00b7 " if line else "") + pair
            shown += (" \u00b7 " if shown else "") + painted
        out.append("  " + shown)
    if rep.diagnoses:
        out.extend(_wrap("Diagnosis: " + _clean(", ".join(rep.diagnoses)), style, "  ", "  "))
    if rep.progress:
        progress = f"{rep.phase}; {rep.progress}" if rep.phase else rep.progress
        out.extend(_wrap(_clean(progress), style, "  ", "  "))
    for fact in rep.derived:
        out.extend(style.paint(line, "dim") for line in _wrap(_clean(fact), style, "  ", "    "))
    for topic in rep.topics:
        out += ["", style.paint(_clean(topic.name), "bold")]
        for entry in topic.entries:
            out.extend(_entry(entry, style, view, full, profile=profile))
        if topic.hidden:
            out.append(style.paint(f"  ... and {topic.hidden} more", "dim"))
    if rep.more_topics:
        more = "; ".join(f"{_clean(name)} ({n})" for name, n in rep.more_topics)
        out += [""] + _wrap(f"Also: {more}", style, "", "  ")
    if full and rep.done:
        out += ["", style.paint("Done", "bold")]
        if view == "advisor":
            for entry in rep.done:
                out.extend(_entry(entry, style, view, False, profile=profile))
        else:
            names = "; ".join(_clean(e.title(view)) for e in rep.done)
            out.extend(style.paint(line, "green") for line in _wrap(names, style, "  ", "  "))
    if rep.asks:
        out += ["", style.paint("Tell us: facts to record", "bold")]
        for ask in rep.asks:
            extra = f" ({words.plural(len(ask.checks) + _unnamed(ask), 'check')})" if (
                not full and len(ask.checks) + _unnamed(ask) > 1) else ""
            out.extend(_wrap(f"- {_clean(ask.text)}{extra}", style, "  ", "    "))
            if full:
                for title in ask.checks:
                    out.extend(style.paint(line, "dim") for line in _wrap(
                        f"for: {_clean(title)}", style, "      ", "        "))
            if view == "advisor":
                out.extend(style.paint(line, "dim") for line in _wrap(
                    _clean(", ".join(ask.paths) + " [" + ", ".join(ask.rules) + "]"),
                    style, "      ", "      "))
        if rep.asks_hidden:
            out.append(style.paint(f"  ... and {rep.asks_hidden} more", "dim"))
    if rep.shortened:
        out += [""] + [style.paint(line, "dim") for line in _wrap(
            "Shortened to fit two screens: run with --all to see everything.", style, "", "")]
    return out


def _unnamed(ask: report.Ask) -> int:
    """Checks waiting on a fact that have no finding of their own (rules the engine could
    not decide)."""
    return max(0, len(ask.rules) - len(ask.checks))


def render_result(result: Mapping[str, Any], style: Style = Style(), label: str = "",
                  profile: Mapping | None = None, view: str = "applicant",
                  full: bool = False) -> str:
    """One evaluation as text (see :mod:`imgrules._render.report` for what it holds, in
    order). The short report keeps as much as fits in :data:`MAX_LINES` lines at the
    style's width; ``full`` shows everything."""
    if full:
        rep = report.build(result, profile, label=label, view=view, full=True)
        return "\n".join(_lay_out(rep, style, profile)) + "\n"
    lines: list[str] = []
    for per_topic, asks in ((3, 6), (2, 6), (2, 4), (1, 4), (1, 3)):
        rep = report.build(result, profile, label=label, view=view, per_topic=per_topic,
                           asks=asks)
        lines = _lay_out(rep, style, profile)
        if len(lines) <= MAX_LINES:
            return "\n".join(lines) + "\n"
    for keep in range(len(rep.topics) - 1, -1, -1):
        lines = _lay_out(report.trimmed(rep, keep), style, profile)
        if len(lines) <= MAX_LINES:
            break
    return "\n".join(lines) + "\n"


def render(results: Iterable[tuple[str, Mapping[str, Any]]], style: Style = Style(),
           view: str = "applicant", full: bool = False) -> str:
    """Several evaluations: one section each, separated by a rule; a lone one unlabelled."""
    items = c.labelled(results)
    if len(items) == 1:
        return render_result(items[0][1], style, profile=items[0][2], view=view, full=full)
    rule = style.paint("-" * min(style.width, 72), "dim")
    return ("\n" + rule + "\n\n").join(render_result(r, style, label, p, view, full)
                                        for label, r, p in items)
