"""An evaluation as one self-contained HTML page: inline CSS, no scripts, no fetches.

The page is the template ``report.html.j2`` (each evaluation ``result.html.j2``, its
style sheet ``report.css``; see :mod:`imgrules._render.templating`): this module works out
what each finding shows in a view, the templates lay it out, escaping every value. The
page prints cleanly (print CSS drops colours' backgrounds to borders and avoids split
items).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from markupsafe import Markup

from . import _common as c
from . import report, words
from .templating import esc, macro, render_template

__all__ = ["badge", "esc", "page", "render", "render_result"]


def badge(word: Any, key: Any = None) -> Markup:
    """A status tag; ``key`` (default the word) picks its colour: the ``badge`` macro of
    ``macros.html.j2``."""
    return macro("macros.html.j2", "badge")(word, key)


def page(title: str, body: str, css: str | None = None) -> str:
    """A complete HTML document around ``body`` (already escaped markup); ``css`` replaces
    the report's style sheet."""
    context = {} if css is None else {"css": Markup(css)}
    return render_template("page.html.j2", title=title, body=Markup(body), **context)


@attrs.frozen
class _EntryView:
    """What the report template shows of one finding, worked out for a view."""

    tag: str
    key: str
    title: str
    when: str
    extras: tuple[tuple[str, Any], ...]  # ("message" | "because" | "cite" | "rule", value)


def _entry(entry: report.Entry, view: str, full: bool, profile: Mapping | None = None,
           top: bool = False) -> _EntryView:
    extras: list[tuple[str, Any]] = []
    message = entry.message(view)
    if full and message and message != entry.title(view):
        extras.append(("message", message))
    if view == "advisor":
        why = c.because(entry.finding, profile)
        if why:
            extras.append(("because", why))
    if (full or view == "advisor") and c.cite_text(entry.finding):
        extras.append(("cite", c.cite_text(entry.finding)))
    if view == "advisor":
        extras.append(("rule", (entry.rule, words.location(entry.finding.get("provenance")))))
    key = entry.status if entry.kind in ("milestone", "window") else entry.tag
    return _EntryView(tag=entry.tag, key=key, title=entry.title(view),
                      when=entry.when or ("now" if top and entry.kind == "flag" else ""),
                      extras=tuple(extras))


def _section(result: Mapping[str, Any], label: str = "", level: int = 1,
             profile: Mapping | None = None, view: str = "applicant",
             full: bool = False) -> dict[str, Any]:
    rep = report.build(result, profile, label=label, view=view, full=full)
    advisor = view == "advisor"
    return {
        "report": rep, "level": level, "subhead": min(level + 1, 6), "advisor": advisor,
        "top": [_entry(e, view, full, profile, top=True) for e in rep.top],
        "topics": [(t, [_entry(e, view, full, profile) for e in t.entries]) for t in rep.topics],
        "done": [_entry(e, view, False, profile) for e in rep.done] if full else [],
    }


def render_result(result: Mapping[str, Any], label: str = "", level: int = 1,
                  profile: Mapping | None = None, view: str = "applicant",
                  full: bool = False) -> str:
    """The body of one evaluation, a ``<section>``, in the order of
    :mod:`imgrules._render.report`."""
    section = _section(result, label, level, profile, view, full)
    return render_template("result.html.j2", s=section)


def render(results: Iterable[tuple[str, Mapping[str, Any]]], view: str = "applicant",
           full: bool = False) -> str:
    """One page for the evaluations: the template ``report.html.j2``."""
    items = c.labelled(results)
    if len(items) == 1:  # one evaluation: the page is its report, under no label
        sections = [_section(items[0][1], "", 1, items[0][2], view, full)]
    else:
        sections = [_section(result, label, 2, p, view, full) for label, result, p in items]
    title = ("imgrules evaluation" if len(items) == 1
             else f"imgrules evaluation of {len(items)} profiles")
    return render_template("report.html.j2", title=title, sections=sections)
