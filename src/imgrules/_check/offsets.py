"""Pass ``offsets``: constant date offsets too large for the calendar (E231).

``T-k`` and durations (``24 months``) move dates; Python's calendar stops at the years 1
and 9999. Profile dates are kept between 1800 and 2999 (``imgrules._facts.validate``), so
an offset of at most 1,000 years keeps date arithmetic inside the calendar. A larger
constant is refused here, at its position, rather than failing in an evaluation; so is a
chain of constant durations in one expression (``as_of + 900 years + 900 years``) that
moves a date further than that on the way (from ``T-k``, counting its own offset), at
the expression that goes too far.
"""

from __future__ import annotations

import attrs

from .. import ast
from .. import _types as T
from .context import Context

MAX_YEARS = 1000
# The largest amount of each unit that stays within MAX_YEARS.
MAX_AMOUNT = {"day": MAX_YEARS * 365, "week": MAX_YEARS * 52, "month": MAX_YEARS * 12, "year": MAX_YEARS}
HINT = f"a date may be moved by at most {MAX_YEARS:,} years"
# Years per unit, as MAX_AMOUNT counts them (365 days, 52 weeks, 12 months to a year).
YEARS_PER = {"day": 1 / 365, "week": 1 / 52, "month": 1 / 12, "year": 1}


def run(ctx: Context) -> None:
    for _pack, decl in ctx.declarations():
        for node in _offsets(decl):
            if isinstance(node, ast.TMonth) and _too_far(node):
                ctx.error("E231", f"T{'-' if node.months >= 0 else '+'}{abs(node.months):,} is too far from "
                          f"the application date (at most {MAX_AMOUNT['month']:,} months)", node.span, HINT)
            elif isinstance(node, ast.Duration) and _too_far(node):
                ctx.error("E231", f"{node.amount:,} {node.unit}s is too long a duration "
                          f"(at most {MAX_AMOUNT[node.unit]:,} {node.unit}s)", node.span, HINT)
        for node, years in _stacked(decl):
            if ctx.type_of(node) == T.DURATION:
                continue  # a duration plus durations: no date moves

            ctx.error("E231", f"these offsets move the date by {years:,} years in all "
                      f"(at most {MAX_YEARS:,} years)", node.span, HINT)


def _stacked(decl):
    """(expression, years) for each chain ``date +/- duration +/- duration ...`` (the
    date may be a ``T-k``, a duration a sum of durations) whose running total passes the
    bound while each offset in it is within it (one too long alone is already reported)."""
    for node in _nodes(decl, ast.Arith):
        steps = []
        chain = node
        while isinstance(chain, ast.Arith) and chain.op in "+-" and _years(chain.right) is not None:
            steps.append((chain, _years(chain.right) * (1 if chain.op == "+" else -1)))
            chain = chain.left
        if not steps or _years(chain) is not None or any(_too_far(o) for o in _offsets(node)):
            continue  # no step, a sum of durations (not a date), or reported alone
        total = -chain.months / 12 if isinstance(chain, ast.TMonth) else 0.0
        for step, years in reversed(steps):  # innermost first: the order of evaluation
            total += years
            if abs(total) > MAX_YEARS:
                if step is node:  # once per chain: at the link that first goes too far
                    yield node, round(abs(total))
                break


def _years(node) -> float | None:
    """The constant length in years of a duration or a sum of durations, else None."""
    if isinstance(node, ast.Duration):
        return node.amount * YEARS_PER[node.unit]
    if isinstance(node, ast.Arith) and node.op in "+-":
        left, right = _years(node.left), _years(node.right)
        if left is not None and right is not None:
            return left + right if node.op == "+" else left - right
    return None


def _too_far(node) -> bool:
    if isinstance(node, ast.TMonth):
        return abs(node.months) > MAX_AMOUNT["month"]
    return abs(node.amount) > MAX_AMOUNT[node.unit]


def _nodes(decl, kind):
    """Every node of type ``kind`` inside ``decl`` (any field, any depth; no recursion)."""
    stack = [decl]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            yield node
        if isinstance(node, (tuple, list)):
            stack.extend(node)
        elif attrs.has(type(node)) and not isinstance(node, (ast.Ident, ast.Comment)):
            stack.extend(getattr(node, f.name) for f in attrs.fields(type(node)) if f.name != "span")


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
