"""A :class:`imgrules._types.Schema` straight from parsed packs, without the full checker.

The checker (``imgrules._check``) builds the same schema and reports every problem in the
declarations; this helper is for tools and tests that only need the profile's shape
(validating example profiles, loading data before checking rules). Unknown type names
become ``UNKNOWN``, a record that contains itself is cut at the cycle and a bound
that makes no sense is dropped; none is reported here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import ast
from .. import _types as T
from .._bounds import limits_of


def schema_from_packs(packs: Iterable[ast.Pack]) -> T.Schema:
    """The enums, records, facts and profile declared across ``packs`` (first declaration wins)."""
    enums: dict[str, T.EnumType] = {}
    decls: dict[str, ast.RecordDecl] = {}
    profile_decl: ast.RecordDecl | None = None
    for pack in packs:
        for decl in pack.declarations:
            if isinstance(decl, ast.EnumDecl):
                values = tuple(dict.fromkeys(m.text for m in decl.members))
                enums.setdefault(decl.name.text, T.EnumType(decl.name.text, values))
            elif isinstance(decl, ast.RecordDecl) and decl.kind == "profile":
                profile_decl = profile_decl or decl
            elif isinstance(decl, ast.RecordDecl):
                decls.setdefault(decl.name.text, decl)
    records: dict[str, T.RecordType] = {}

    def resolve(ref: ast.TypeRef, building: tuple[str, ...]) -> T.Type:
        if ref.item is not None:
            return T.ListType(resolve(ref.item, building))
        if ref.name in T.PRIMITIVES:
            return T.PRIMITIVES[ref.name]
        if ref.name in enums:
            return enums[ref.name]
        if ref.name in decls and ref.name not in building:
            return build(decls[ref.name], building)
        return T.UNKNOWN

    def fields(decl: ast.RecordDecl, building: tuple[str, ...]) -> tuple[T.Field, ...]:
        seen: dict[str, T.Field] = {}
        written = {f.name.text: f for f in reversed(decl.fields)}
        for f in decl.fields:
            if f.name.text not in seen:
                typ = resolve(f.type, building)
                seen[f.name.text] = T.Field(f.name.text, typ, f.type.optional,
                                            limits_of(f, typ, decl.kind, written))
        return tuple(seen.values())

    def build(decl: ast.RecordDecl, building: tuple[str, ...] = ()) -> T.RecordType:
        name = decl.name.text
        if name not in records:
            records[name] = T.RecordType(name, decl.kind, fields(decl, (*building, name)))
        return records[name]

    for decl in decls.values():
        build(decl)
    profile = None
    if profile_decl is not None:
        profile = T.RecordType("profile", "profile", fields(profile_decl, ()))
    return T.Schema(enums, dict(sorted(records.items())), profile)
