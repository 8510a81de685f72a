"""Pass ``offsets``: constant date offsets too large for the calendar (E231).

``T-k`` and durations (``24 months``) move dates; Python's calendar stops at the years 1
and 9999. Profile dates are kept between 1800 and 2999 (``imgrules.facts.validate``), so
an offset of at most 1,000 years keeps one step of date arithmetic inside the calendar.
A larger constant is refused here, at its position, rather than failing in an evaluation.
"""

from __future__ import annotations

import attrs

from .. import ast
from .context import Context

MAX_YEARS = 1000
# The largest amount of each unit that stays within MAX_YEARS.
MAX_AMOUNT = {"day": MAX_YEARS * 365, "week": MAX_YEARS * 52, "month": MAX_YEARS * 12, "year": MAX_YEARS}
HINT = f"a date may be moved by at most {MAX_YEARS:,} years"


def run(ctx: Context) -> None:
    for _pack, decl in ctx.declarations():
        for node in _offsets(decl):
            if isinstance(node, ast.TMonth) and abs(node.months) > MAX_AMOUNT["month"]:
                ctx.error("E231", f"T{'-' if node.months >= 0 else '+'}{abs(node.months):,} is too far from "
                          f"the application date (at most {MAX_AMOUNT['month']:,} months)", node.span, HINT)
            elif isinstance(node, ast.Duration) and abs(node.amount) > MAX_AMOUNT[node.unit]:
                ctx.error("E231", f"{node.amount:,} {node.unit}s is too long a duration "
                          f"(at most {MAX_AMOUNT[node.unit]:,} {node.unit}s)", node.span, HINT)


def _offsets(decl):
    """Every TMonth and Duration node inside ``decl`` (any field, any depth; no recursion)."""
    stack = [decl]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.TMonth, ast.Duration)):
            yield node
        elif isinstance(node, (tuple, list)):
            stack.extend(node)
        elif attrs.has(type(node)) and not isinstance(node, (ast.Ident, ast.Comment)):
            stack.extend(getattr(node, f.name) for f in attrs.fields(type(node)) if f.name != "span")
