"""What the checker hands to the compiler: a :class:`CheckedPack`.

This is the contract between ``_check/`` and ``_compile/``. The checker resolves every
name and types every expression of the root pack and its imports; the compiler trusts
a CheckedPack with no errors and never resolves names itself.

Nodes compare by value (spans are ignored), so per-node tables are keyed by
:func:`node_key`, which includes the node's position.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .. import ast
from .._diagnostics import Diagnostic
from .._source import Source
from .._types import Schema, Type


def node_key(node) -> tuple[str, str, int, int]:
    """A key unique to one node of one file: its class and exact position."""
    span = node.span
    return (type(node).__name__, span.path, span.start, span.end)


@attrs.frozen
class NameRef:
    """What a :class:`ast.Name` (or a call's function name) denotes.

    ``kind`` is one of:

    - ``var``: a variable bound by ``for x in``, ``C as x`` or ``sum(... for x in ...)``;
      ``name`` is the variable and ``scope`` the node_key of the node that binds it.
    - ``field``: a field of the element of an enclosing filter or aggregate written
      without its variable (``count(letters where status == planned)``); ``name`` is the
      field, ``scope`` the node_key of that Filter/Aggregate.
    - ``param``: a parameter of a parameterised ``let``; ``scope`` is the LetDecl's key.
    - ``let``: a ``let`` definition; ``name`` is its name.
    - ``profile``: a top-level field of the profile (``as_of``, ``letters``, ``applicant``).
    - ``facts``: all derived facts of a ``fact`` type (``for t in tier``); ``name`` the type.
    - ``enum_value``: ``name`` is the value, ``scope`` is ``(enum type name,)``.
    - ``builtin``: a builtin value (``months_to_go``) or function (``year``).
    - ``map``: a ``map`` declaration, called like a function.
    """

    kind: str
    name: str
    scope: tuple = ()


@attrs.frozen
class RuleEntry:
    """One rule-like declaration (rule, deadline, window, table, invariant) and where it lives."""

    decl: ast.Rule | ast.Deadline | ast.Window | ast.Table | ast.Invariant
    pack: str  # the pack's name (header), e.g. "img.core"
    path: str  # the file it was read from
    stratum: int  # 0 = first; negation and aggregates only see lower strata

    @property
    def id(self) -> str:
        return self.decl.name.text


@attrs.frozen
class PackInfo:
    name: str
    version: str | None
    title: str | None
    source: str | None
    path: str


@attrs.frozen
class CheckedPack:
    """A pack and its imports, resolved and typed."""

    root: PackInfo
    packs: tuple[ast.Pack, ...]  # dependencies first, the root last
    infos: tuple[PackInfo, ...]  # in the same order as packs
    sources: Mapping[str, Source]
    schema: Schema
    lets: Mapping[str, ast.LetDecl]
    maps: Mapping[str, ast.MapDecl]
    rules: tuple[RuleEntry, ...]  # in stratum order, then by id
    tests: tuple[tuple[str, ast.Test], ...]  # (path, test)
    examples: Mapping[str, ast.Example]
    refs: Mapping[tuple, NameRef]  # node_key(Name or Call) -> what it denotes
    types: Mapping[tuple, Type]  # node_key(expression) -> its type
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def rule(self, rule_id: str) -> RuleEntry | None:
        for entry in self.rules:
            if entry.id == rule_id:
                return entry
        return None

    def names_a_field(self, node) -> bool:
        """Whether ``node`` reads a field (``mentors``, ``documents.ps_themes``,
        ``c.programs``): a ``for`` over such a source binds nothing when the list is missing
        (:mod:`imgrules._semantics.collections`), where any other unknown source leaves the
        binding undecided."""
        if isinstance(node, ast.Member):
            return True
        ref = self.refs.get(node_key(node)) if isinstance(node, ast.Name) else None
        return ref is not None and ref.kind in ("profile", "field")
