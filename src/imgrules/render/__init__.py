"""Renderers of evaluations and plans: text (terminal), JSON, Markdown, HTML.

Each works on the JSON output contract (``Results.to_json()``) or a :class:`~imgrules.plan.Plan`,
never on engine internals, and returns a string; writing it is the caller's business.
"""

from __future__ import annotations

from ._common import dumps, phase_name

__all__ = ["dumps", "phase_name"]
