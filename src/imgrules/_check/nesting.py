"""Pass ``nesting``: declarations whose compiled form would nest more loops than Python allows.

A declaration compiles to Python functions (:mod:`imgrules._compile.generate`) in which a
rule's ``for`` bindings are nested loops and, inside them, each ``and``/``or`` and each
collection filtered or aggregated with a condition (``where``, ``count(... where ...)``)
is a loop too. Python compiles at most 20 nested blocks in one function; a pack that needs
more is reported here, at the declaration, instead of failing later as an internal error.
"""

from __future__ import annotations

from .. import ast
from .context import Context
from .walk import children, decl_exprs

LIMIT = 20  # CPython's statically nested blocks in one function


def run(ctx: Context) -> None:
    for _pack, decl in ctx.declarations():
        depth = loops(decl)
        if depth > LIMIT:
            kind = type(decl).__name__.lower().replace("decl", "")
            ctx.error("E010", f"this {kind} nests {depth} loops: more than the {LIMIT} Python can compile "
                      "(each for binding, and each and/or and where inside them, is one)", decl.span,
                      "split it: derive a fact from some of its bindings and match that fact instead")


def loops(decl) -> int:
    """How deeply the compiled form of ``decl`` nests loops."""
    if not isinstance(decl, ast.Rule):
        return max((_depth(e) for e in decl_exprs(decl)), default=0)
    n = len(decl.bindings)
    depth = max((j + _depth(b.source) for j, b in enumerate(decl.bindings)), default=0)
    inside = [decl.when] if decl.when is not None else []
    inside += [e for e in decl_exprs(decl) if e is not decl.when and
               all(e is not b.source for b in decl.bindings)]
    return max(depth, n + max((_depth(e) for e in inside), default=0))


def _depth(expr) -> int:
    if isinstance(expr, ast.BoolOp):  # a `while True` block around its operands
        return 1 + max((_depth(e) for e in expr.operands), default=0)
    if isinstance(expr, (ast.Filter, ast.Aggregate)):
        inner = [e for e in (expr.predicate, getattr(expr, "value", None)) if e is not None]
        looped = bool(inner) or isinstance(expr, ast.Aggregate) and expr.func not in ("count", "exists")
        body = (1 if looped else 0) + max((_depth(e) for e in inner), default=0)
        outer = [expr.source] + ([expr.within] if getattr(expr, "within", None) is not None else [])
        return max(max(_depth(e) for e in outer), body)
    return max((_depth(e) for e in children(expr)), default=0)
