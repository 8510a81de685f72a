"""Rules of one shape share their generated code; their constants are data.

Packs of thousands of rules are mostly a few rules written many times with other numbers,
words and messages (``when score > 240 and yog == 2019 then flag low "..."``). Two rules
have the same *shape* when their bindings, timing, condition and actions are the same
expression trees with the same names, operators and types, and differ only in their
*constants*: literal numbers, strings and dates, enum values, durations, sets of
constants and the plain text of messages. The generator writes one function per shape
(``shape_<s>_match``) that reads its constants from a tuple
``C``; each rule of the shape is that function's code bound to the rule's own tuple
(:mod:`.network`). There is still one generator and one meaning: the shared code is what
the generator writes for the first rule of the shape, with ``C[slot]`` where it would have
named a pooled constant.

:func:`shape_of` walks a rule once and returns both its shape key and its constants in
walk order (the slots), so the constants of every rule of a shape line up with the slots
of the shared code.
"""

from __future__ import annotations

import attrs

from .. import ast
from .._check.model import CheckedPack, node_key
from .._semantics.values import Dur
from .analysis import NotConst

# attribute names that locate a node or describe it for people, never for evaluation
_SKIP = frozenset({"span", "written", "comments", "doc"})
_FIELDS: dict = {}  # node class -> the names of its fields that _Walker.dump reads


@attrs.frozen
class Shape:
    """A rule's shape key and its constants: ``sites`` maps a constant site (a node key,
    or ``(text node key, part index)`` for a message's plain text) to its slot."""

    key: tuple
    values: tuple
    sites: dict


def shape_of(checked: CheckedPack, writer, decl: ast.Rule) -> Shape:
    """The shape of a rule: what its generated code depends on, constants aside
    (``writer``: the pack's :class:`~.emit.ExprWriter`, for what it takes as constant)."""
    walker = _Walker(checked, writer)
    key = ("rule", walker.dump(decl.timing), walker.dump(decl.bindings), walker.dump(decl.when),
           walker.dump(decl.actions))
    return Shape(key, tuple(walker.values), walker.sites)


class _Walker:
    def __init__(self, checked: CheckedPack, writer):
        self.writer = writer
        self.refs = checked.refs
        self.types = checked.types
        self.values: list = []
        self.sites: dict = {}

    def _type(self, key):
        """A node's checked type, as a hashable shape part (types are frozen attrs)."""
        return self.types.get(key)

    def _site(self, site, value, kind):
        self.sites[site] = len(self.values)
        self.values.append(value)
        return ("const", kind, type(value).__name__)

    def dump(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, tuple):
            return tuple(self.dump(n) for n in node)
        cls = type(node)
        if cls is ast.Ident:
            return node.text
        key = node_key(node)
        if cls is ast.Compare:
            return ("cmp", node.op, self.dump(node.left), self.dump(node.right), self._type(key))
        if cls is ast.BoolOp:
            return ("bool", node.op, tuple(self.dump(o) for o in node.operands))
        if isinstance(node, (ast.Literal, ast.NegLit)):
            value = node.value
            if value is None or isinstance(value, bool):
                return ("literal", value)
            return self._site(key, value, "literal")
        if isinstance(node, ast.Word):
            return self._site(key, node.text, "word")
        if isinstance(node, ast.Duration):
            return self._site(key, Dur(node.amount, node.unit), "duration")
        if isinstance(node, ast.Name):
            ref = self.refs.get(key)
            if ref is not None and ref.kind == "enum_value":
                return self._site(key, ref.name, ("enum", self._type(key)))
            return ("name", node.ident.text, None if ref is None else (ref.kind, ref.name),
                    self._type(key))
        if isinstance(node, ast.SetLit):
            try:  # the sets the writer makes one constant of (ExprWriter.const_value)
                value = self.writer.const_value(node)
            except NotConst:
                value = None
            if value is not None:
                return self._site(key, value, "set")
        if isinstance(node, ast.Text):
            parts = []
            for j, part in enumerate(node.parts):
                if isinstance(part, str):
                    parts.append(self._site((key, j), part, "text"))
                else:
                    parts.append(self.dump(part))
            return ("text", tuple(parts))
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(a.name for a in attrs.fields(cls) if a.name not in _SKIP)
        fields = tuple(self.dump(getattr(node, name)) for name in names)
        ref = self.refs.get(key) if key is not None else None
        return (cls.__name__, fields, None if ref is None else (ref.kind, ref.name),
                self._type(key) if key is not None else None)
