"""Rules simple enough to need no generated code: no ``for`` bindings, no timing, a
condition that is a conjunction of tests of a profile path against constants, and
actions with constant arguments and messages without holes.

Such a rule is kept as data (:class:`SimpleRule`) and run by one shared interpreter
(:func:`match` / :func:`actions` in :mod:`imgrules.engine.runtime` terms), with exactly
the three-valued semantics the generated code has. A pack of thousands of such rules
then costs no ``compile()`` time and no code object per rule.
"""

from __future__ import annotations

import datetime as dt

from .. import ast
from .. import types as T
from ..check.model import node_key
from .emit import CMP_OPS, NotConst, derive_by_field

_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
KINDS = {ast.Flag: "flag", ast.Recommend: "recommendation", ast.Remind: "reminder",
         ast.NeedsInfo: "needs_info"}


def _const(writer, node):
    """A constant usable in a test (int, float, str, date), else NotConst."""
    value = writer.const_value(node)
    if isinstance(value, bool) or not isinstance(value, (int, float, str, dt.date)):
        raise NotConst
    return value


def _path(checked, writer, node) -> tuple[str, ...] | None:
    """``exams.step1.score`` -> ``("exams", "step1", "score")`` when every step is a record
    field (so the generated code would read it inline), else None."""
    if isinstance(node, ast.Name):
        ref = checked.refs.get(node_key(node))
        return (ref.name,) if ref is not None and ref.kind == "profile" else None
    if isinstance(node, ast.Member):
        if not isinstance(writer.type_of(node.obj), (T.RecordType, T.Unknown)):
            return None
        inner = _path(checked, writer, node.obj)
        return None if inner is None else inner + (node.field.text,)
    return None


def _test(checked, writer, node):
    """One conjunct as ``(path, op, constant)``; op is a comparison, ``in``, ``not in``,
    ``range`` / ``not range`` (constant ``(low, high)``, None for an open end)."""
    if isinstance(node, ast.Compare) and node.op in CMP_OPS:
        path = _path(checked, writer, node.left)
        if path is not None:
            return path, node.op, _const(writer, node.right)
        path = _path(checked, writer, node.right)
        if path is not None:  # constant on the left: same comparison, flipped
            return path, _FLIP[node.op], _const(writer, node.left)
        return None
    if isinstance(node, ast.In):
        path = _path(checked, writer, node.item)
        if path is None:
            return None
        if isinstance(node.target, ast.SetLit):
            values = frozenset(_const(writer, v) for v in node.target.items)
            return path, "not in" if node.negated else "in", values
        if isinstance(node.target, ast.Range):
            low = _const(writer, node.target.low) if node.target.low is not None else None
            high = _const(writer, node.target.high) if node.target.high is not None else None
            return path, "not range" if node.negated else "range", (low, high)
    return None


def _scalar_const(writer, node):
    value = writer.const_value(node)
    if isinstance(value, frozenset):
        raise NotConst  # a set is not a fact's field value
    return value


def simple_rule(checked, writer, fact_fields, decl: ast.Rule):
    """``(tests, outputs)`` for a rule that needs no generated code, else None."""
    if decl.bindings or decl.timing is not None:
        return None
    when = decl.when
    operands = () if when is None else (
        when.operands if isinstance(when, ast.BoolOp) and when.op == "and" else (when,))
    tests = []
    try:
        for c in operands:
            test = _test(checked, writer, c)
            if test is None:
                return None
            tests.append(test)
        outputs = []
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                fields = fact_fields.get(action.fact.text, ())
                by_name = derive_by_field(action, fields, lambda node: _scalar_const(writer, node))
                outputs.append(("derive", action.fact.text, tuple(by_name.get(f) for f in fields)))
            elif type(action) in KINDS:
                parts = action.message.parts
                if not all(isinstance(p, str) for p in parts):
                    return None
                sev = action.severity.text if isinstance(action, ast.Flag) else None
                outputs.append((KINDS[type(action)], sev, "".join(parts)))
            else:
                return None
    except NotConst:
        return None
    return tuple(tests), tuple(outputs)


def reads_and_paths(tests) -> tuple[frozenset, tuple[str, ...]]:
    """The collections a simple rule reads and the profile paths it matches (provenance)."""
    reads = frozenset("p:" + path[0] for path, _, _ in tests)
    paths = {"$." + ".".join(path[:n]) for path, _, _ in tests for n in range(1, len(path) + 1)}
    longest = {p for p in paths if not any(q != p and q.startswith(p + ".") for q in paths)}
    return reads, tuple(sorted(longest))
