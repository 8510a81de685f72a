"""An evaluation as Markdown, for pasting into notes and tickets.

Every string from a profile or a pack goes through :func:`escape`, so a writer named
``*Dr. <b>X</b>*`` or a message with a ``|`` renders as written and cannot break a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import _common as c

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape(text: Any) -> str:
    """Markdown-safe inline text: entities for ``& < >``, backslashes for punctuation that
    Markdown reads (CommonMark lets any ASCII punctuation be escaped), one line."""
    s = " ".join(str(text).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    # at the start of a line these would open a list or a heading
    s = re.sub(r"^([#+-])", r"\\\1", s)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", s)


def _item(finding: Mapping[str, Any], profile: Mapping | None = None) -> str:
    tag = c.status_label(finding)
    line = f"- **{escape(tag)}** {escape(c.finding_title(finding))}"
    if c.when_text(finding):
        line += " " + escape(c.when_text(finding))
    extras = []
    why = c.because(finding, profile)
    if why:
        extras.append(f"because {escape(why)}")
    cite = c.cite_text(finding)
    if cite:
        extras.append(f"see *{escape(cite)}*")
    if finding.get("rule"):
        extras.append(f"rule `{_code(finding['rule'])}`")
    if extras:
        line += " \u2014 " + "; ".join(extras)
    return line


def _code(text: Any) -> str:
    """Text for a code span: backticks cannot be escaped inside one, so they are dropped."""
    return " ".join(str(text).replace("`", "'").split())


def render_result(result: Mapping[str, Any], label: str = "", level: int = 2,
                  profile: Mapping | None = None) -> str:
    h = "#" * level
    k = result.get("months_to_go")
    where = f"{c.month_label(k)} ({c.phase_name(k)})" if isinstance(k, int) else "unknown"
    title = f"{escape(label)}: " if label else ""
    out = [f"{h} {title}You are at {escape(where)}", ""]
    out += [f"- As of: {escape(result.get('as_of', '?'))}",
            f"- Application date: {escape(result.get('application_date', '?'))}",
            f"- Months to go: {escape(k)}",
            f"- Packs: {escape(c.pack_names(result))}", ""]
    rows = c.tiers(result)
    if rows:
        out += [f"{h}# Tiers", "", "| component | level |", "|---|---|"]
        out += [f"| {escape(comp)} | {escape(lvl)} |" for comp, lvl in rows]
        out.append("")
    others = c.other_derived(result)
    if others:
        out += [f"{h}# Derived", ""]
        out += [f"- {escape(c.derived_label(fact))}" for fact in others]
        out.append("")
    sec = c.sections(result)
    for heading, items in c.headed(sec):
        if items:
            out += [f"{h}# {heading}", ""]
            out += [_item(f, profile) for f in items]
            out.append("")
    if not result.get("findings"):
        out += ["Nothing to report.", ""]
    return "\n".join(out)


def render(results: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    items = c.labelled(results)
    if len(items) == 1:
        return render_result(items[0][1], level=1, profile=items[0][2])
    body = [f"# Evaluation of {len(items)} profiles", ""]
    body += [render_result(result, label, profile=p) for label, result, p in items]
    return "\n".join(body)
