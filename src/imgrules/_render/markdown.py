"""An evaluation as Markdown, for pasting into notes and tickets.

Every string from a profile or a pack goes through :func:`escape`, so a writer named
``*Dr. <b>X</b>*`` or a message with a ``|`` renders as written and cannot break a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .._safetext import escape_controls
from . import _common as c
from . import report, words

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape(text: Any) -> str:
    """Markdown-safe inline text: entities for ``& < >``, backslashes for punctuation that
    Markdown reads (CommonMark lets any ASCII punctuation be escaped), one line; control
    characters shown escaped (``\\x1b``)."""
    s = escape_controls(" ".join(str(text).split()))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    # at the start of a line these would open a list or a heading
    s = re.sub(r"^([#+-])", r"\\\1", s)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", s)


def _entry(entry: report.Entry, view: str, full: bool, profile: Mapping | None = None,
           number: str = "- ") -> list[str]:
    line = f"{number}**{escape(entry.tag)}** {escape(entry.title(view))}"
    when = entry.when or ("now" if number != "- " and entry.kind == "flag" else "")
    if when:
        line += f" ({escape(when)})"
    out = [line]
    message = entry.message(view)
    if full and message and message != entry.title(view):
        out.append(f"  {escape(message)}")
    if view == "advisor":
        why = c.because(entry.finding, profile)
        extras = [f"because {escape(why)}"] if why else []
        if c.cite_text(entry.finding):
            extras.append(f"see *{escape(c.cite_text(entry.finding))}*")
        where = words.location(entry.finding.get("provenance"))
        extras.append(f"rule `{_code(entry.rule)}`" + (f" at `{_code(where)}`" if where else ""))
        out.append("  " + "; ".join(extras))
    elif full and c.cite_text(entry.finding):
        out.append(f"  see *{escape(c.cite_text(entry.finding))}*")
    return out


def _code(text: Any) -> str:
    """Text for a code span: backticks cannot be escaped inside one, so they are dropped."""
    return " ".join(str(text).replace("`", "'").split())


def render_result(result: Mapping[str, Any], label: str = "", level: int = 2,
                  profile: Mapping | None = None, view: str = "applicant",
                  full: bool = False) -> str:
    """One evaluation in the order of :mod:`imgrules._render.report`."""
    rep = report.build(result, profile, label=label, view=view, full=full)
    h = "#" * level
    title = f"{escape(label)}: " if label else ""
    meta = escape(f"{rep.left} (as of {rep.as_of})")
    if view == "advisor":
        meta += f"; packs: {escape(rep.packs)}"
    out = [f"{h} {title}You are at {escape(rep.where)}", "", meta, ""]
    if rep.empty:
        return "\n".join(out + ["Nothing to report.", ""])
    if rep.top:
        out += [f"{h}# This month: the few things to do", ""]
        for i, entry in enumerate(rep.top, 1):
            out += _entry(entry, view, full, profile, f"{i}. ")
        out.append("")
    if rep.tiers or rep.diagnoses or rep.progress or rep.derived:
        out += [f"{h}# Where you stand", ""]
    if rep.tiers:
        out += ["| Part of your file | Level |", "|---|---|"]
        out += [f"| {escape(name)} | {escape(lvl)} |" for name, lvl in rep.tiers]
        out.append("")
    if rep.diagnoses:
        out += [f"Diagnosis: {escape(', '.join(rep.diagnoses))}", ""]
    if rep.progress:
        out += [escape(f"{rep.phase}; {rep.progress}" if rep.phase else rep.progress), ""]
    if rep.derived:
        out += [f"- {escape(fact)}" for fact in rep.derived] + [""]
    for topic in rep.topics:
        out += [f"{h}# {escape(topic.name)}", ""]
        for entry in topic.entries:
            out += _entry(entry, view, full, profile)
        if topic.hidden:
            out.append(f"- \u2026 and {topic.hidden} more")
        out.append("")
    if full and rep.done:
        out += [f"{h}# Done", ""]
        if view == "advisor":
            for entry in rep.done:
                out += _entry(entry, view, False, profile)
            out.append("")
        else:
            out += ["; ".join(escape(e.title(view)) for e in rep.done), ""]
    if rep.asks:
        out += [f"{h}# Tell us: facts to record", ""]
        for ask in rep.asks:
            out.append(f"- {escape(ask.text)}")
            if full:
                out += [f"  - for: {escape(t)}" for t in ask.checks]
            if view == "advisor":
                out.append("  " + ", ".join(f"`{_code(p)}`" for p in ask.paths)
                           + " (" + ", ".join(f"`{_code(r)}`" for r in ask.rules) + ")")
        if rep.asks_hidden:
            out.append(f"- \u2026 and {rep.asks_hidden} more")
        out.append("")
    if rep.shortened:
        out += ["*Shortened: run with `--all` to see everything.*", ""]
    return "\n".join(out)


def render(results: Iterable[tuple[str, Mapping[str, Any]]], view: str = "applicant",
           full: bool = False) -> str:
    items = c.labelled(results)
    if len(items) == 1:
        return render_result(items[0][1], level=1, profile=items[0][2], view=view, full=full)
    body = [f"# Evaluation of {len(items)} profiles", ""]
    body += [render_result(result, label, profile=p, view=view, full=full)
             for label, result, p in items]
    return "\n".join(body)
