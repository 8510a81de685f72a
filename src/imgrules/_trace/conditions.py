"""Stable ids for the conditions of a checked pack.

Every expression node that a replay evaluates gets the id ``<owner>.<n>``: ``owner`` is
the rule, deadline, window, table or invariant (its name) or ``let:<name>``, and ``n``
the node's position in a preorder walk of what is evaluated (a rule's binding sources,
then its ``when``; a deadline's ``when`` then ``require``; a table's ``when`` then its
inputs; a let's body). Table rows are ``<table>.row<k>`` (1-based) and a rule's timing is
``<rule>.timing``. Ids depend on the rule text only, not on positions or layout.
"""

from __future__ import annotations

import attrs

from .. import ast
from .._check.model import CheckedPack, node_key
from .._syntax.printexpr import expr as print_expr

EXPR_TYPES = (ast.Literal, ast.Duration, ast.Name, ast.Member, ast.Index, ast.Call, ast.Neg, ast.Not,
              ast.Arith, ast.Compare, ast.BoolOp, ast.Range, ast.In, ast.IsMissing, ast.SetLit,
              ast.TMonth, ast.Filter, ast.Aggregate, ast.IfExpr)


@attrs.frozen
class Condition:
    """One numbered node: its id, owner, the node itself and the file it is written in."""

    id: str
    owner: str
    node: object
    path: str


def evaluated_parts(decl) -> list:
    """The expressions of a declaration that evaluation reads, in a fixed order."""
    if isinstance(decl, ast.Rule):
        return [b.source for b in decl.bindings] + ([decl.when] if decl.when is not None else [])
    if isinstance(decl, ast.Deadline):
        anchor = [decl.by] if ast.anchored(decl) else []
        return ([decl.when] if decl.when is not None else []) + [decl.require] + anchor
    if isinstance(decl, ast.Window):
        anchor = [decl.start, decl.end] if ast.anchored(decl) else []
        return ([decl.when] if decl.when is not None else []) + anchor
    if isinstance(decl, ast.Table):
        return ([decl.when] if decl.when is not None else []) + list(decl.inputs)
    if isinstance(decl, ast.Invariant):
        return [decl.require]
    if isinstance(decl, ast.LetDecl):
        return [decl.body]
    return []


def _children(node):
    for field in attrs.fields(type(node)):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, EXPR_TYPES):
                yield item


def walk(node):
    """``node`` and every expression below it, in preorder."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(_children(current))))


@attrs.frozen
class ConditionIndex:
    """Condition ids of a whole checked pack (root and imports)."""

    ids: dict  # node_key -> id
    conditions: dict  # id -> Condition
    texts: dict = attrs.field(factory=dict, eq=False, repr=False)  # a cache: node_key -> text

    def id_of(self, node) -> str:
        return self.ids.get(node_key(node), "")

    def text_of(self, node) -> str:
        """The node as one line of rule text (computed once per index)."""
        key = node_key(node)
        out = self.texts.get(key)
        if out is None:
            out = self.texts[key] = node_text(node)
        return out


def node_text(node) -> str:
    """An expression as one line of rule text."""
    try:
        return print_expr(node)
    except TypeError:
        return type(node).__name__


def index_conditions(checked: CheckedPack) -> ConditionIndex:
    ids: dict = {}
    conditions: dict = {}
    owners = [(entry.id, entry.path, entry.decl) for entry in checked.rules]
    owners += [(f"let:{name}", decl.span.path, decl) for name, decl in sorted(checked.lets.items())]
    for owner, path, decl in owners:
        n = 0
        for part in evaluated_parts(decl):
            for node in walk(part):
                key = node_key(node)
                if key in ids:
                    continue
                n += 1
                cid = f"{owner}.{n}"
                ids[key] = cid
                conditions[cid] = Condition(cid, owner, node, path)
    return ConditionIndex(ids, conditions)
