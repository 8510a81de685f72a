"""Walking expressions and declarations: the sub-expressions each node holds.

Shared by the passes that look at every expression (strata, unused, unsat) so none of
them has its own idea of which fields of a node are expressions.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import ast


def children(expr) -> Iterator:
    """The direct sub-expressions of an expression node."""
    if isinstance(expr, ast.Member):
        yield expr.obj
    elif isinstance(expr, ast.Index):
        yield expr.obj
        yield expr.index
    elif isinstance(expr, ast.Call):
        yield from expr.args
    elif isinstance(expr, (ast.Neg, ast.Not)):
        yield expr.operand
    elif isinstance(expr, (ast.Arith, ast.Compare)):
        yield expr.left
        yield expr.right
    elif isinstance(expr, ast.BoolOp):
        yield from expr.operands
    elif isinstance(expr, ast.Range):
        yield from (b for b in (expr.low, expr.high) if b is not None)
    elif isinstance(expr, ast.In):
        yield expr.item
        yield expr.target
    elif isinstance(expr, ast.IsMissing):
        yield expr.operand
    elif isinstance(expr, ast.SetLit):
        yield from expr.items
    elif isinstance(expr, ast.Filter):
        yield expr.source
        if expr.predicate is not None:
            yield expr.predicate
    elif isinstance(expr, ast.IfExpr):
        yield expr.cond
        yield expr.then
        yield expr.orelse
    elif isinstance(expr, ast.Aggregate):
        yield expr.source
        if expr.predicate is not None:
            yield expr.predicate
        if expr.value is not None:
            yield expr.value
        if expr.within is not None:
            yield expr.within


def walk(expr) -> Iterator:
    """``expr`` and every expression below it, depth first."""
    yield expr
    for child in children(expr):
        yield from walk(child)


def text_exprs(text: ast.Text | None) -> Iterator:
    if text is not None:
        yield from (p for p in text.parts if not isinstance(p, str))


def decl_exprs(decl) -> Iterator:
    """The top-level expressions of a declaration (binding sources, conditions, holes, args)."""
    if isinstance(decl, ast.LetDecl):
        yield decl.body
    elif isinstance(decl, ast.Rule):
        for binding in decl.bindings:
            yield binding.source
        if decl.when is not None:
            yield decl.when
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                yield from (a.value for a in action.args)
            else:
                yield from text_exprs(action.message)
                yield from (d.value for d in action.data)
    elif isinstance(decl, ast.Deadline):
        if ast.anchored(decl):
            yield decl.by
        if decl.when is not None:
            yield decl.when
        yield decl.require
        yield from text_exprs(decl.message)
    elif isinstance(decl, ast.Window):
        if ast.anchored(decl):
            yield decl.start
            yield decl.end
        if decl.when is not None:
            yield decl.when
        yield from text_exprs(decl.message)
    elif isinstance(decl, ast.Invariant):
        yield decl.require
    elif isinstance(decl, ast.Table):
        yield from decl.inputs
        if decl.when is not None:
            yield decl.when
        if decl.output is not None:
            yield from (a.value for a in decl.output.args)
    elif isinstance(decl, ast.Test):
        for expect in decl.expectations:
            if isinstance(expect.target, ast.ExpectFact):
                yield from (a.value for a in expect.target.args)
