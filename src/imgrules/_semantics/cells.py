"""Constants and table cells as the semantics sees them: ``(kind, constant)`` pairs for
:func:`imgrules._semantics.tables.cell_holds` and :func:`~imgrules._semantics.tables.cell_truth`.

A module of its own because it reads the AST: the code generator and the explanations
use it; evaluating a compiled pack (which imports :mod:`.tables`) never does.
"""

from __future__ import annotations

from .. import ast
from .ops import COMPARE
from .values import Dur


def constant(node):
    """The value of a constant written in rule text (a literal, a bare word, a duration):
    table cells, map entries and literal operands. TypeError for anything else."""
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, (ast.Literal, ast.NegLit)):
        return node.value
    if isinstance(node, ast.Duration):
        return Dur(node.amount, node.unit)
    raise TypeError(f"not a constant: {type(node).__name__}")


def cell_spec(cell, value_of) -> tuple[str, object] | None:
    """A table cell as ``(kind, constant)`` for :func:`.tables.cell_holds` (None for ``any``);
    ``value_of`` gives a constant node's value."""
    if isinstance(cell, ast.EqCell):
        return "eq", value_of(cell.value)
    if isinstance(cell, ast.RangeCell):
        return "range", (None if cell.low is None else value_of(cell.low),
                         None if cell.high is None else value_of(cell.high))
    if isinstance(cell, ast.CmpCell):
        op = str(cell.op)
        return "cmp", (op if op in COMPARE else "==", value_of(cell.value))
    if isinstance(cell, ast.SetCell):
        return ("not in" if cell.negated else "in"), frozenset(value_of(v) for v in cell.values)
    if isinstance(cell, ast.PresenceCell):
        return ("present" if cell.present else "missing"), None
    return None
