"""Renderers of evaluations and plans: text (terminal), JSON, Markdown, HTML.

Each works on the JSON output contract (``Results.to_json()``) or a :class:`~imgrules.plan.Plan`,
never on engine internals, and returns a string; writing it is the caller's business.
"""

from __future__ import annotations

from ._common import TIER_ORDER, dumps, phase_name
from .html import CSS as HTML_CSS
from .html import badge as html_badge
from .html import esc as html_escape
from .html import page as html_page
from .markdown import escape as markdown_escape

# what other parts of imgrules (the cohort reports) build on: the tier order, the report
# page and its escaping; everything else in this package is its own business
__all__ = ["HTML_CSS", "TIER_ORDER", "dumps", "html_badge", "html_escape", "html_page",
           "markdown_escape", "phase_name"]
