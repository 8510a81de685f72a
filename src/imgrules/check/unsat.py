"""Pass ``unsat``: conditions and timings that can never hold.

Within one ``and``, the comparisons of the same value (a variable or field path) with
constants are reasoned about together: ``x > 5 and x < 3``, ``x == a and x == b``,
``x in {a} and x not in {a}`` can never be true (a warning: the rule is dead, usually a
slip). As for tables, satisfiability is decided over witness values that hit every
region the constants cut the value's domain into. A timing that names an empty period
(``during T-3..T-5``) is an error.
"""

from __future__ import annotations

import datetime as dt
import operator

from .. import ast
from .. import types as T
from .context import Context
from .model import node_key
from .tables import witnesses
from .walk import decl_exprs, walk

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
        "!=": operator.ne}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def run(ctx: Context) -> None:
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.Rule) and decl.timing is not None and decl.timing.kind == "during":
            _period(ctx, decl.timing.start, decl.timing.end, decl.timing.span)
        if isinstance(decl, ast.Window):
            _period(ctx, decl.start, decl.end, decl.start.span.cover(decl.end.span))
        for expr in decl_exprs(decl):
            for node in walk(expr):
                if isinstance(node, ast.BoolOp) and node.op == "and":
                    _conjunction(ctx, node)


def _period(ctx: Context, start: ast.TMonth, end: ast.TMonth, span) -> None:
    if start.months < end.months:
        a, b = _tm(start.months), _tm(end.months)
        ctx.error("E230", f"during {a}..{b} can never happen: it ends before it starts", span,
                  f"write the earlier month first: during {b}..{a}")


def _tm(months: int) -> str:
    return f"T-{months}" if months >= 0 else f"T+{-months}"


def path_key(ctx: Context, expr):
    """A key for a variable or field path (``l.status``, ``years_out``), None otherwise."""
    if isinstance(expr, ast.Name):
        ref = ctx.ref_of(expr)
        if ref is None or ref.kind in ("enum_value", "facts", "map"):
            return None
        return (ref.kind, ref.name, ref.scope)
    if isinstance(expr, ast.Member):
        inner = path_key(ctx, expr.obj)
        return None if inner is None else (inner, expr.field.text)
    return None


def constant(ctx: Context, expr):
    """The value of a constant expression (dates as day numbers), or None."""
    if isinstance(expr, ast.Literal) and expr.value is not None:
        return expr.value.toordinal() if isinstance(expr.value, dt.date) else expr.value
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Literal) \
            and isinstance(expr.operand.value, (int, float)) and not isinstance(expr.operand.value, bool):
        return -expr.operand.value
    if isinstance(expr, ast.Name):
        ref = ctx.ref_of(expr)
        if ref is not None and ref.kind == "enum_value":
            return ref.name
    return None


def _constraint(ctx: Context, expr):
    """(path, test, constants, node) for a comparison of a path with constants, else None."""
    if isinstance(expr, ast.Compare):
        for path_side, const_side, op in ((expr.left, expr.right, expr.op), (expr.right, expr.left, _FLIP[expr.op])):
            key = path_key(ctx, path_side)
            value = constant(ctx, const_side)
            if key is not None and value is not None:
                test = _OPS[op]
                return key, lambda v, t=test, c=value: _safe(t, v, c), [value], path_side
        return None
    if isinstance(expr, ast.In):
        key = path_key(ctx, expr.item)
        if key is None:
            return None
        if isinstance(expr.target, ast.SetLit):
            values = [constant(ctx, i) for i in expr.target.items]
            if any(v is None for v in values):
                return None
            return key, lambda v, s=frozenset(values), n=expr.negated: (v in s) != n, values, expr.item
        if isinstance(expr.target, ast.Range):
            low = constant(ctx, expr.target.low) if expr.target.low is not None else None
            high = constant(ctx, expr.target.high) if expr.target.high is not None else None
            if (expr.target.low is not None and low is None) or (expr.target.high is not None and high is None):
                return None

            def inside(v, lo=low, hi=high, n=expr.negated):
                ok = (lo is None or _safe(operator.ge, v, lo)) and (hi is None or _safe(operator.le, v, hi))
                return ok != n
            return key, inside, [b for b in (low, high) if b is not None], expr.item
    return None


def _safe(test, a, b) -> bool:
    try:
        return bool(test(a, b))
    except TypeError:
        return False


# Conditions on one path in one `and` beyond this are not searched for a contradiction:
# the search tries every candidate value against every condition (quadratic), and a
# generated condition with thousands of operands must not stall the checker.
MAX_CONSTRAINTS = 64


def _conjunction(ctx: Context, node: ast.BoolOp) -> None:
    groups: dict = {}
    for operand in node.operands:
        found = _constraint(ctx, operand)
        if found is not None:
            key, test, values, path_expr = found
            groups.setdefault(key, []).append((operand, test, values, path_expr))
    for key, items in groups.items():
        if len(items) < 2 or len(items) > MAX_CONSTRAINTS:
            continue
        t = ctx.types.get(node_key(items[0][3]), T.UNKNOWN)
        domain = T.domain(t)
        if domain is None:
            continue
        cells = [ast.SetCell(tuple(_as_const(v) for v in values), False, operand.span)
                 for operand, _test, values, _p in items]
        candidates = witnesses(domain, t, cells)
        if any(all(test(v) for _o, test, _vals, _p in items) for v in candidates):
            continue
        shown = " and ".join(ctx.text_of(o) for o, *_ in items)
        ctx.warn("W503", f"this condition can never be true: {shown}", node.span,
                 f"no value of {ctx.text_of(items[0][3])} satisfies all of them")


def _as_const(value):
    """A plain value back as a constant node, so :func:`witnesses` can read its bounds."""
    return ast.Literal(value, None)
