"""Where every name of a checked pack set is defined and used.

The checker already resolves every name (``CheckedPack.refs``) and types every
expression (``CheckedPack.types``); this module turns that into a list of
:class:`Occurrence` s (a :class:`SymbolKey`, a span, definition or use) so that "go to
definition", "find references", hover and the generated profile reference all answer
from one table. It parses nothing: it only reads the checker's results.

Symbol keys are tuples whose first item is the kind:

- ``("type", name)``: an enum, record or fact type (``("type", "profile")`` is the profile)
- ``("field", record, field)``: a field of a record, fact type or the profile
- ``("enum_value", enum, value)``
- ``("let", name)``, ``("map", name)``, ``("rule", id)``, ``("example", name)``
- ``("pack", dotted name)``: a pack, defined by its header, used by ``import``
- ``("var", binding node key, name)`` and ``("param", let name, name)``: local names
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import attrs

from .. import ast
from .. import _types as T
from .._check.model import CheckedPack, node_key
from .._check.walk import decl_exprs, walk
from .._loader import pack_name_of
from .._source import Span

SymbolKey = tuple
RULE_LIKE = (ast.Rule, ast.Deadline, ast.Window, ast.Table, ast.Invariant)


@attrs.frozen
class Occurrence:
    key: SymbolKey
    span: Span
    is_definition: bool


def _name_span(span: Span, name: str) -> Span:
    """The first ``len(name)`` characters of a one-line span (a type written ``Letter?``)."""
    if span.end_line != span.line:
        return span
    return attrs.evolve(span, end=span.start + len(name), end_column=span.column + len(name))


class SymbolIndex:
    """Definitions and uses of every symbol in a :class:`CheckedPack`, with the nodes."""

    def __init__(self, checked: CheckedPack):
        self.checked = checked
        self.occurrences: list[Occurrence] = []
        self.definitions: dict[SymbolKey, tuple[Span, object]] = {}
        self._binders: dict[tuple, object] = {}  # node_key -> Binding/Filter/Aggregate
        self._let_keys: dict[tuple, str] = {}  # node_key(LetDecl) -> let name
        self._by_path: dict[str, list[Occurrence]] = defaultdict(list)
        # ("rule", id) or ("let", name) -> the keys its text uses
        self._uses_by_decl: dict[SymbolKey, set] = defaultdict(set)
        self._user: SymbolKey | None = None  # the rule or let being indexed
        for pack in checked.packs:
            self._pack(pack)
        for occurrence in self.occurrences:
            self._by_path[occurrence.span.path].append(occurrence)

    # ------------------------------------------------------------------ queries

    def at(self, path: str, offset: int) -> Occurrence | None:
        """The occurrence under ``offset`` (or just before it, at a word's end) in ``path``."""
        best = None
        for occ in self._by_path.get(path, ()):
            if occ.span.start <= offset <= occ.span.end:
                if best is None or occ.span.end - occ.span.start < best.span.end - best.span.start:
                    best = occ
        return best

    def definition(self, key: SymbolKey) -> tuple[Span, object] | None:
        return self.definitions.get(key)

    def references(self, key: SymbolKey, include_definition: bool = True) -> list[Span]:
        spans = [o.span for o in self.occurrences
                 if o.key == key and (include_definition or not o.is_definition)]
        return sorted(set(spans), key=lambda s: (s.path, s.start))

    def readers(self, key: SymbolKey) -> list[str]:
        """The ids of the rule-like declarations that use ``key``, directly or through
        lets (sorted)."""
        wanted, seen, rules = [key], {key}, set()
        while wanted:
            current = wanted.pop()
            for user, keys in self._uses_by_decl.items():
                if current not in keys:
                    continue
                if user[0] == "rule":
                    rules.add(user[1])
                elif user not in seen:
                    seen.add(user)
                    wanted.append(user)
        return sorted(rules)

    # ------------------------------------------------------------------ building

    def _define(self, key: SymbolKey, span: Span, node) -> None:
        self.definitions.setdefault(key, (span, node))
        self.occurrences.append(Occurrence(key, span, True))

    def _use(self, key: SymbolKey, span: Span) -> None:
        self.occurrences.append(Occurrence(key, span, False))
        if self._user is not None:
            self._uses_by_decl[self._user].add(key)

    def _pack(self, pack: ast.Pack) -> None:
        name = pack_name_of(pack)
        if pack.header is not None:
            self._define(("pack", name), pack.header.name.span, pack)
        for imp in pack.imports:
            self._use(("pack", imp.name.text), imp.name.span)
        for decl in pack.declarations:
            self._user = ("rule", decl.name.text) if isinstance(decl, RULE_LIKE) else \
                ("let", decl.name.text) if isinstance(decl, ast.LetDecl) else None
            self._declaration(decl)
            self._user = None

    def _declaration(self, decl) -> None:  # noqa: C901 - one branch per declaration kind
        if isinstance(decl, ast.EnumDecl):
            self._define(("type", decl.name.text), decl.name.span, decl)
            for member in decl.members:
                self._define(("enum_value", decl.name.text, member.text), member.span, decl)
        elif isinstance(decl, ast.RecordDecl):
            owner = "profile" if decl.kind == "profile" else decl.name.text
            self._define(("type", owner), decl.name.span, decl)
            for field in decl.fields:
                self._define(("field", owner, field.name.text), field.name.span, field)
                self._type_ref(field.type)
        elif isinstance(decl, ast.LetDecl):
            self._define(("let", decl.name.text), decl.name.span, decl)
            self._let_keys[node_key(decl)] = decl.name.text
            for param in decl.params or ():
                self._define(("param", decl.name.text, param.text), param.span, decl)
        elif isinstance(decl, ast.MapDecl):
            self._define(("map", decl.name.text), decl.name.span, decl)
            self._type_ref(decl.key_type)
            self._type_ref(decl.value_type)
            for entry in decl.entries:
                self._word(entry.key, self._type(decl.key_type))
                self._word(entry.value, self._type(decl.value_type))
        elif isinstance(decl, RULE_LIKE):
            self._define(("rule", decl.name.text), decl.name.span, decl)
            for binding in getattr(decl, "bindings", ()):
                self._binders[node_key(binding)] = binding
                self._define(("var", node_key(binding), binding.var.text), binding.var.span, binding)
            for action in getattr(decl, "actions", ()):
                if isinstance(action, ast.Derive):
                    self._derive(action.fact, action.args)
            if isinstance(decl, ast.Table):
                self._derive(decl.output.fact, decl.output.args)
                self._table_rows(decl)
        elif isinstance(decl, ast.Example):
            self._define(("example", decl.name.text), decl.name.span, decl)
        elif isinstance(decl, ast.Test):
            if decl.given.example is not None:
                self._use(("example", decl.given.example.text), decl.given.example.span)
            for expect in decl.expectations:
                target = expect.target
                if isinstance(target, ast.ExpectRule):
                    self._use(("rule", target.rule.text), target.rule.span)
                elif isinstance(target, ast.ExpectStatus):
                    self._use(("rule", target.name.text), target.name.span)
                elif isinstance(target, ast.ExpectFact):
                    self._derive(target.fact, target.args)
        for top in decl_exprs(decl):
            for expr in walk(top):
                self._expr(expr)

    def _type(self, ref: ast.TypeRef) -> T.Type | None:
        return None if ref.item is not None else self.checked.schema.lookup(ref.name)

    def _type_ref(self, ref: ast.TypeRef) -> None:
        if ref.item is not None:
            self._type_ref(ref.item)
        elif ref.name not in T.PRIMITIVES:
            self._use(("type", ref.name), _name_span(ref.span, ref.name))

    def _word(self, const, of_type: T.Type | None) -> None:
        """A bare word in a map, table cell or row: an enum value of ``of_type``."""
        if isinstance(const, ast.Word) and isinstance(of_type, T.EnumType) \
                and const.text in of_type.values:
            self._use(("enum_value", of_type.name, const.text), const.span)

    def _derive(self, fact: ast.Ident, args: tuple[ast.Arg, ...]) -> None:
        self._use(("type", fact.text), fact.span)
        for arg in args:
            if arg.name is not None:
                self._use(("field", fact.text, arg.name.text), arg.name.span)

    def _table_rows(self, table: ast.Table) -> None:
        input_types = [self.checked.types.get(node_key(e)) for e in table.inputs]
        record = self.checked.schema.records.get(table.output.fact.text)
        out_types = [f.type for f in record.fields] if record is not None else []
        for row in table.rows:
            for cell, t in zip(row.cells, input_types):
                if isinstance(cell, ast.EqCell):
                    self._word(cell.value, t)
                elif isinstance(cell, ast.SetCell):
                    for value in cell.values:
                        self._word(value, t)
            for value, t in zip(row.outputs, out_types):
                self._word(value, t)

    def _expr(self, expr) -> None:
        checked = self.checked
        if isinstance(expr, (ast.Filter, ast.Aggregate)) and expr.var is not None:
            self._binders[node_key(expr)] = expr
            self._define(("var", node_key(expr), expr.var.text), expr.var.span, expr)
        elif isinstance(expr, (ast.Filter, ast.Aggregate)):
            self._binders[node_key(expr)] = expr
        if isinstance(expr, ast.Member):
            owner = checked.types.get(node_key(expr.obj))
            if isinstance(owner, T.RecordType):
                self._use(("field", owner.name, expr.field.text), expr.field.span)
        elif isinstance(expr, ast.Name):
            key = self._ref_key(checked.refs.get(node_key(expr)))
            if key is not None:
                self._use(key, expr.ident.span)
        elif isinstance(expr, ast.Call):
            key = self._ref_key(checked.refs.get(node_key(expr)))
            if key is not None:
                self._use(key, expr.func.span)

    def _ref_key(self, ref) -> SymbolKey | None:
        if ref is None:
            return None
        if ref.kind in ("let", "map"):
            return (ref.kind, ref.name)
        if ref.kind == "profile":
            return ("field", "profile", ref.name)
        if ref.kind == "facts":
            return ("type", ref.name)
        if ref.kind == "enum_value":
            return ("enum_value", ref.scope[0], ref.name)
        if ref.kind == "var":
            return ("var", ref.scope, ref.name)
        if ref.kind == "param":
            return ("param", self._let_keys.get(ref.scope, ""), ref.name)
        if ref.kind == "field":
            binder = self._binders.get(ref.scope)
            source = self.checked.types.get(node_key(binder.source)) if binder is not None else None
            if isinstance(source, T.ListType) and isinstance(source.item, T.RecordType):
                return ("field", source.item.name, ref.name)
        return None

    def symbols_in(self, path: str) -> Iterator[Occurrence]:
        yield from self._by_path.get(path, ())
