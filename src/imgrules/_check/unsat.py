"""Pass ``unsat``: conditions and timings that can never hold.

Within one ``and``, the comparisons of the same value (a variable or field path) with
constants are reasoned about together: ``x > 5 and x < 3``, ``x == a and x == b``,
``x in {a} and x not in {a}`` can never be true (a warning: the rule is dead, usually a
slip). As for tables, satisfiability is decided over witness values that hit every
region the constants cut the value's domain into. A timing that names an empty period
(``during T-3..T-5``) is an error.

A comparison of a field with constants that no value inside the field's declared bounds
satisfies (``interviews < 0`` where ``interviews: int in 0..``; ``len(targets) > 2``
where ``targets: list[...] size ..2``) is a warning too: the profile loader refuses
every value that could make it true.
"""

from __future__ import annotations

import datetime as dt
import operator

from .. import ast
from .. import _types as T
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
        if isinstance(decl, ast.Window) and not ast.anchored(decl):
            _period(ctx, decl.start, decl.end, decl.start.span.cover(decl.end.span))
        for expr in decl_exprs(decl):
            elements: dict = {}
            for node in walk(expr):
                if isinstance(node, ast.BoolOp) and node.op == "and":
                    _conjunction(ctx, node)
                elif isinstance(node, (ast.Filter, ast.Aggregate)):
                    source = ctx.types.get(node_key(node.source), T.UNKNOWN)
                    if isinstance(source, T.ListType) and isinstance(source.item, T.RecordType):
                        elements[node_key(node)] = source.item
                elif isinstance(node, (ast.Compare, ast.In)):
                    _against_bounds(ctx, node, elements)


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


# ------------------------------------------------------------------ declared bounds


def _declared_field(ctx: Context, expr, elements: dict) -> T.Field | None:
    """The declared field an expression reads (``c.interviews``, a field in scope by name)."""
    if isinstance(expr, ast.Member):
        owner = ctx.types.get(node_key(expr.obj), T.UNKNOWN)
        return owner.field(expr.field.text) if isinstance(owner, T.RecordType) else None
    if isinstance(expr, ast.Name):
        ref = ctx.ref_of(expr)
        if ref is None:
            return None
        if ref.kind == "profile" and ctx.schema is not None and ctx.schema.profile is not None:
            return ctx.schema.profile.field(ref.name)
        if ref.kind == "field" and ref.scope in elements:
            return elements[ref.scope].field(ref.name)
    return None


def _bounded_range(ctx: Context, expr, elements: dict):
    """``(low, high, what)`` the declared bounds allow for ``expr``'s value (dates as day
    numbers), or None when it has none: a field's ``in`` range, or a list's ``size`` when
    ``expr`` is ``len(list)`` or ``count(list)``."""
    if isinstance(expr, ast.Call) and expr.func.text == "len" and len(expr.args) == 1:
        target = expr.args[0]
    elif isinstance(expr, ast.Aggregate) and expr.func == "count" and expr.predicate is None \
            and expr.value is None:
        target = expr.source
    else:
        target = None
    if target is not None:
        field = _declared_field(ctx, target, elements)
        if field is None or (field.limits.size_low is None and field.limits.size_high is None):
            return None
        low, high = field.limits.size_low, field.limits.size_high
        return (low if low is not None else 0), high, f"{field.name} is declared size {_span_text(low, high)}"
    field = _declared_field(ctx, expr, elements)
    if field is None or isinstance(field.type, T.ListType) or (field.limits.low is None and field.limits.high is None):
        return None
    low, high = (_number(v) for v in (field.limits.low, field.limits.high))
    return low, high, f"{field.name} is declared in {_span_text(field.limits.low, field.limits.high)}"


def _number(value):
    return value.toordinal() if isinstance(value, dt.date) else value


def _span_text(low, high) -> str:
    def show(v):
        return "" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)
    return f"{show(low)}..{show(high)}"


def _against_bounds(ctx: Context, node, elements: dict) -> None:
    """Warn (W512) when no value the bounds allow satisfies a comparison with constants,
    or a comparison of a field with the sibling it is declared not to be below."""
    if isinstance(node, ast.Compare) and _against_sibling(ctx, node, elements):
        return
    if isinstance(node, ast.Compare):
        sides = ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op]))
        for value_side, const_side, op in sides:
            allowed = _bounded_range(ctx, value_side, elements)
            value = constant(ctx, const_side)
            if allowed is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
                test = (lambda v, compare=_OPS[op], c=value: _safe(compare, v, c))
                break
        else:
            return
        points = [value]
    else:
        allowed = _bounded_range(ctx, node.item, elements)
        if allowed is None:
            return
        if isinstance(node.target, ast.SetLit):
            points = [constant(ctx, i) for i in node.target.items]
            if any(p is None for p in points):
                return
            test = (lambda v, s=frozenset(points), n=node.negated: (v in s) != n)
        elif isinstance(node.target, ast.Range):
            ends = [None if e is None else constant(ctx, e) for e in (node.target.low, node.target.high)]
            if any(e is None and given is not None for e, given in zip(ends, (node.target.low, node.target.high))):
                return
            lo, hi = ends
            points = [e for e in ends if e is not None]

            def test(v, lo=lo, hi=hi, n=node.negated):
                return ((lo is None or _safe(operator.ge, v, lo)) and (hi is None or _safe(operator.le, v, hi))) != n
        else:
            return
    low, high, what = allowed
    if any(not isinstance(p, (int, float)) or isinstance(p, bool) for p in points):
        return
    domain = "float" if any(isinstance(v, float) for v in (low, high, *points)) else "int"
    cells = [ast.SetCell(tuple(_as_const(v) for v in (*points, low, high) if v is not None), False, node.span)]
    candidates = [v for v in witnesses(domain, T.FLOAT if domain == "float" else T.INT, cells)
                  if (low is None or v >= low) and (high is None or v <= high)]
    if domain == "float":  # the ends themselves and a point between them are values too
        candidates += [v for v in (low, high) if v is not None]
    if not candidates or any(test(v) for v in candidates):
        return
    ctx.warn("W512", f"this condition can never be true: {ctx.text_of(node)}", node.span,
             f"{what}, and the profile loader refuses any other value")


def _against_sibling(ctx: Context, node: ast.Compare, elements: dict) -> bool:
    """``e.end < e.start`` where ``end`` is declared ``in start..``: never true (W512)."""
    for later, earlier, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
        if not (isinstance(later, ast.Member) and isinstance(earlier, ast.Member)) or op != "<":
            continue
        if path_key(ctx, later.obj) is None or path_key(ctx, later.obj) != path_key(ctx, earlier.obj):
            continue
        field = _declared_field(ctx, later, elements)
        if field is None or field.limits.after != earlier.field.text:
            continue
        ctx.warn("W512", f"this condition can never be true: {ctx.text_of(node)}", node.span,
                 f"{field.name} is declared in {earlier.field.text}.., and the profile loader refuses "
                 "data where it is below")
        return True
    return False
