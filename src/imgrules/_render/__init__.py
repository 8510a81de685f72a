"""Renderers of evaluations and plans: text (terminal), JSON, Markdown, HTML.

Each works on the JSON output contract (``Results.to_json()``) or a :class:`~imgrules._plan.Plan`,
never on engine internals, and returns a string; writing it is the caller's business.
"""

from __future__ import annotations

from ._common import TIER_ORDER, dumps, phase_name

# the HTML and Markdown helpers load with their renderer, on first use: `imgrules eval`
# in a terminal imports neither
_LAZY = {"html_badge": ("html", "badge"),
         "html_escape": ("html", "esc"), "html_page": ("html", "page"),
         "markdown_escape": ("markdown", "escape")}


def __getattr__(name: str):
    found = _LAZY.get(name)
    if found is None:
        raise AttributeError(f"module 'imgrules._render' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{found[0]}"), found[1])

# what other parts of imgrules (the cohort reports) build on: the tier order, the report
# page and its escaping; everything else in this package is its own business
__all__ = ["TIER_ORDER", "dumps", "html_badge", "html_escape", "html_page",
           "markdown_escape", "phase_name"]
