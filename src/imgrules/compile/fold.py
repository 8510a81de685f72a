"""Rules over constant derived facts, decided while ``X`` is compiled (see :mod:`.direct`).

A pack's tables derive facts whose values are constants of the pack (a row's outputs and
the table's literal ``derive`` arguments), and so do rules whose ``derive`` arguments are
literals. A rule whose only binding is over such a fact type, and whose condition and
actions read only that fact's fields and constants, fires (or not) with the same outputs
for a given fact on every profile. :func:`plan` decides it here, once per fact the pack
can derive; ``X`` then writes the rule's firing, a constant, where the fact is derived,
and the rule gets no loop of its own. The log keeps one entry per firing as before; its
entries are put back in unit order when it is replayed (:func:`imgrules.engine.direct.replay`).

The static evaluation covers comparisons, ``in`` over a constant set or range, ``and``,
``or``, ``not``, the bound fact's fields, constants and messages, with the operations
the generated code performs. Anything else, a missing field, or a result that is not a
boolean leaves the rule to its loop (``NotConst``).
"""

from __future__ import annotations

from .. import ast
from ..check.model import node_key
from ..engine.runtime import render_value
from .emit import NotConst, derive_by_field
from .generate import FINDING_KIND

_CMP = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def constant_facts(checked, infos, units, fact_fields: dict, writer) -> dict[str, list[tuple]]:
    """Per fact type whose every derivation has constant values: the value tuples
    (one per field, None for none) it can be derived with, in the pack's order."""
    facts: dict[str, list[tuple]] = {}
    varying: set[str] = set()

    def add(fact: str, by_name: dict) -> None:
        values = tuple(by_name.get(f) for f in fact_fields.get(fact, ()))
        if values not in facts.setdefault(fact, []):
            facts[fact].append(values)

    for unit in units:
        for i in unit:
            decl = checked.rules[i].decl
            info = infos[i]
            if info.kind == "table":
                fact = decl.output.fact.text
                given = _literal_args(decl.output, fact_fields, writer)
                if given is None:
                    varying.add(fact)
                    continue
                for row in info.row_values:
                    add(fact, {**given, **dict(zip(info.row_fields, row))})
            elif info.kind == "rule":
                for action in decl.actions:
                    if isinstance(action, ast.Derive):
                        given = _literal_args(action, fact_fields, writer)
                        if given is None:
                            varying.add(action.fact.text)
                        else:
                            add(action.fact.text, given)
            else:
                varying.update(d[2:] for d in info.derives)
    return {f: v for f, v in facts.items() if f not in varying}


def _literal_args(derive: ast.Derive, fact_fields: dict, writer) -> dict | None:
    """A ``derive``'s arguments by field name when every one is a constant, else None."""
    try:
        return derive_by_field(derive, fact_fields.get(derive.fact.text, ()), writer.const_value)
    except NotConst:
        return None


def plan(checked, infos, units, fact_fields: dict, writer, facts: dict, skip) -> dict[str, list[tuple[int, dict]]]:
    """Per fact type of ``facts`` (see :func:`constant_facts`): the rules decided for each
    of its facts, in unit order, each with ``{values: outputs or None}`` (None: it does
    not fire for that fact). ``skip(i)`` keeps a rule out (gated rules)."""
    out: dict[str, list] = {}
    for unit in units:
        i = unit[0]
        info = infos[i]
        decl = checked.rules[i].decl
        if info.kind != "rule" or len(decl.bindings) != 1 or decl.timing is not None or skip(i):
            continue
        pin = info.pins[0] if info.pins else None
        if pin is None or not pin.startswith("f:") or pin[2:] not in facts or info.reads != {pin}:
            continue
        fact = pin[2:]
        binding = decl.bindings[0]
        scope = (node_key(binding), binding.var.text)
        decided = {}
        try:
            for values in facts[fact]:
                record = {f: v for f, v in zip(fact_fields[fact], values) if v is not None}
                decided[values] = _Folder(writer, scope, record, fact_fields).rule(decl)
        except NotConst:
            continue
        out.setdefault(fact, []).append((i, decided))
    return out


class _Folder:
    """The static evaluation of one rule for one constant fact bound to its variable."""

    def __init__(self, writer, scope, record: dict, fact_fields: dict):
        self.w = writer
        self.scope = scope
        self.record = record
        self.fact_fields = fact_fields

    def rule(self, decl: ast.Rule) -> list | None:
        """The rule's outputs, ``("derive", type, by_name)`` or ``(kind, severity,
        message)``, or None when its condition is false."""
        if decl.when is not None and not self.truth(decl.when):
            return None
        outputs = []
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                fields = self.fact_fields.get(action.fact.text, ())
                outputs.append(("derive", action.fact.text, derive_by_field(action, fields, self.value)))
            elif type(action) in FINDING_KIND:
                severity = action.severity.text if isinstance(action, ast.Flag) else None
                outputs.append((FINDING_KIND[type(action)], severity, self.text(action.message)))
            else:
                raise NotConst
        return outputs

    def truth(self, node) -> bool:
        value = self.value(node)
        if value is not True and value is not False:
            raise NotConst  # the generated code would leave this to the general path
        return value

    def value(self, node):
        if isinstance(node, ast.BoolOp):
            stop = node.op == "or"
            for operand in node.operands:
                if self.truth(operand) is stop:
                    return stop
            return not stop
        if isinstance(node, ast.Not):
            return not self.truth(node.operand)
        if isinstance(node, ast.Compare):
            op = _CMP.get(node.op)
            if op is None:
                raise NotConst
            return self._apply(op, self.value(node.left), self.value(node.right))
        if isinstance(node, ast.In):
            return self._in(node)
        if isinstance(node, ast.Member) and isinstance(node.obj, ast.Name):
            ref = self.w.refs.get(node_key(node.obj))
            if ref is None or ref.kind != "var" or (ref.scope, ref.name) != self.scope:
                raise NotConst
            value = self.record.get(node.field.text)
            if value is None:
                raise NotConst  # a missing field: the generated code gives up
            return value
        value = self.w.const_value(node)  # NotConst for anything else
        if value is None:
            raise NotConst
        return value

    def _in(self, node: ast.In):
        item = self.value(node.item)
        target = node.target
        if isinstance(target, ast.SetLit):
            result = self._apply(lambda a, b: a in b, item, self.w.const_value(target))
        elif isinstance(target, ast.Range):
            result = True
            if target.low is not None:
                result = self._apply(_CMP["<="], self.value(target.low), item)
            if result is True and target.high is not None:
                result = self._apply(_CMP["<="], item, self.value(target.high))
        else:
            raise NotConst
        if result is not True and result is not False:
            raise NotConst
        return not result if node.negated else result

    @staticmethod
    def _apply(op, a, b):
        try:
            return op(a, b)
        except Exception:  # what the generated code would fail on: the general path's
            raise NotConst from None

    def text(self, node: ast.Text) -> str:
        parts = []
        for part in node.parts:
            if isinstance(part, str):
                parts.append(part)
            else:
                value = self.value(part)
                parts.append(value if type(value) is str else render_value(value))
        return "".join(parts)
