"""The state one checker run shares between its passes.

A :class:`Context` is created per :func:`imgrules._check.check_pack` call and filled pass
by pass (schema, declarations, names and types, ...); nothing here is module-level. At
the end it is frozen into a :class:`~imgrules._check.model.CheckedPack`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import ast
from .. import _types as T
from .._diagnostics import Diagnostic, error, warning
from .._loader import PackSet, pack_name_of
from .._source import Source, Span
from .model import NameRef, PackInfo, node_key

RULE_LIKE = (ast.Rule, ast.Deadline, ast.Window, ast.Table, ast.Invariant)
KIND_WORD = {ast.Rule: "rule", ast.Deadline: "deadline", ast.Window: "window", ast.Table: "table",
             ast.Invariant: "invariant"}


class Context:
    """Everything the passes learn about one pack set, and the diagnostics they add."""

    def __init__(self, packset: PackSet):
        self.packset = packset
        self.packs: tuple[ast.Pack, ...] = packset.packs
        self.sources: Mapping[str, Source] = packset.sources
        self.diagnostics: list[Diagnostic] = list(packset.diagnostics)
        self.infos = tuple(_info(p) for p in self.packs)
        self.root_path = packset.root_path
        # filled by the schema pass
        self.schema = T.Schema({}, {}, None)
        self.type_decls: dict[str, ast.EnumDecl | ast.RecordDecl] = {}
        # filled by the declarations pass
        self.lets: dict[str, ast.LetDecl] = {}
        self.maps: dict[str, ast.MapDecl] = {}
        self.map_types: dict[str, T.MapType] = {}
        self.rule_decls: dict[str, tuple[object, str, str]] = {}  # id -> (decl, pack, path)
        self.tests: list[tuple[str, ast.Test]] = []
        self.examples: dict[str, ast.Example] = {}
        self.decl_path: dict[tuple, str] = {}  # node_key(decl) -> file path
        # filled by the names-and-types pass
        self.refs: dict[tuple, NameRef] = {}
        self.types: dict[tuple, T.Type] = {}
        self.let_types: dict[str, T.Type] = {}
        self.let_param_types: dict[str, tuple[T.Type, ...]] = {}
        self.exprs = None  # the ExprChecker the names pass made, reused by later passes
        # filled by the strata pass
        self.strata: dict[str, int] = {}

    # -- diagnostics
    def error(self, code: str, message: str, span: Span, *notes: str) -> None:
        self.diagnostics.append(error(code, message, span, *notes))

    def warn(self, code: str, message: str, span: Span, *notes: str) -> None:
        self.diagnostics.append(warning(code, message, span, *notes))

    # -- helpers
    def text_of(self, node) -> str:
        """The source text a node was written as (for messages about it)."""
        span = node.span
        source = self.sources.get(span.path)
        if source is None:
            return "?"
        return " ".join(source.text[span.start:span.end].split())

    def declarations(self):
        """Every declaration of every pack, with its file, in load order."""
        for pack in self.packs:
            for decl in pack.declarations:
                yield pack, decl

    def root_declarations(self):
        """The declarations of the root pack (the one being checked) only."""
        for pack in self.packs:
            if pack.path == self.root_path:
                yield from pack.declarations

    def type_of(self, node) -> T.Type:
        return self.types.get(node_key(node), T.UNKNOWN)

    def ref_of(self, node) -> NameRef | None:
        return self.refs.get(node_key(node))

    def fact_type(self, name: str) -> T.RecordType | None:
        record = self.schema.records.get(name)
        return record if record is not None and record.kind == "fact" else None


def _info(pack: ast.Pack) -> PackInfo:
    header = pack.header
    return PackInfo(pack_name_of(pack), header.version if header else None,
                    header.title if header else None, header.source if header else None, pack.path)
