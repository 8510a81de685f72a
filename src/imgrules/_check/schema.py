"""Pass ``schema``: enum, record, fact and profile declarations -> a :class:`Schema`.

Reports duplicate type names (one name space across the pack and its imports),
duplicate enum values and fields, unknown field types (with "did you mean"), records
that contain themselves (which no finite profile could fill) and field bounds that make
no sense (:mod:`imgrules._bounds`).
"""

from __future__ import annotations

from .. import ast
from .. import _types as T
from .._bounds import limits_of
from .._diagnostics import did_you_mean
from .context import Context


def where(decl) -> str:
    return f"{decl.span.path}:{decl.span.line}"


def resolve_type_ref(ctx: Context, ref: ast.TypeRef, report: bool = True) -> T.Type:
    """The type a written type names, UNKNOWN (with a diagnostic) when it names none."""
    if ref.item is not None:
        return T.ListType(resolve_type_ref(ctx, ref.item, report))
    found = ctx.schema.lookup(ref.name)
    if found is not None:
        return found
    if report:
        hint = did_you_mean(ref.name, ctx.schema.type_names())
        ctx.error("E102", f"unknown type '{ref.name}'", ref.span,
                  hint or f"known types: {', '.join(ctx.schema.type_names())}")
    return T.UNKNOWN


def run(ctx: Context) -> None:
    enums: dict[str, T.EnumType] = {}
    decls: dict[str, ast.EnumDecl | ast.RecordDecl] = {}
    profile_decl: ast.RecordDecl | None = None
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.RecordDecl) and decl.kind == "profile":
            if profile_decl is not None:
                ctx.error("E104", "the profile is declared twice", decl.span,
                          f"first declared at {where(profile_decl)}; put every profile field in one block")
            else:
                profile_decl = decl
            continue
        if not isinstance(decl, (ast.EnumDecl, ast.RecordDecl)):
            continue
        name = decl.name.text
        if name in T.PRIMITIVES or name == "list":
            ctx.error("E104", f"'{name}' is a built-in type and cannot be declared", decl.name.span)
            continue
        if name in decls:
            ctx.error("E104", f"duplicate type '{name}'", decl.name.span,
                      f"first declared at {where(decls[name])}")
            continue
        decls[name] = decl
        if isinstance(decl, ast.EnumDecl):
            seen: dict[str, ast.Ident] = {}
            for member in decl.members:
                if member.text in seen:
                    ctx.error("E104", f"duplicate value '{member.text}' in enum {name}", member.span)
                seen.setdefault(member.text, member)
            enums[name] = T.EnumType(name, tuple(seen), tuple(
                (value, label) for value, label in dict(decl.labels).items() if label.strip()))
    ctx.type_decls = decls
    # Records refer to each other by name: build them depth-first, refusing cycles.
    records: dict[str, T.RecordType] = {}
    building: list[str] = []
    names_only = T.Schema(enums, {n: T.RecordType(n, d.kind, ()) for n, d in decls.items()
                                  if isinstance(d, ast.RecordDecl)}, None)

    def field_type(ref: ast.TypeRef, owner: str) -> T.Type:
        if ref.item is not None:
            return T.ListType(field_type(ref.item, owner))
        if ref.name in T.PRIMITIVES:
            return T.PRIMITIVES[ref.name]
        if ref.name in enums:
            return enums[ref.name]
        decl = decls.get(ref.name)
        if isinstance(decl, ast.RecordDecl):
            if ref.name in building:
                cycle = " -> ".join(building[building.index(ref.name):] + [ref.name])
                ctx.error("E102", f"record {owner} contains itself ({cycle})", ref.span,
                          "a profile could never be finite; use a list or an id field instead")
                return T.UNKNOWN
            return build(decl)
        hint = did_you_mean(ref.name, names_only.type_names())
        ctx.error("E102", f"unknown type '{ref.name}'", ref.span,
                  hint or f"known types: {', '.join(names_only.type_names())}")
        return T.UNKNOWN

    def fields_of(decl: ast.RecordDecl) -> tuple[T.Field, ...]:
        seen: dict[str, T.Field] = {}
        written = {f.name.text: f for f in reversed(decl.fields)}  # the first of duplicates
        for f in decl.fields:
            if f.name.text in seen:
                ctx.error("E104", f"duplicate field '{f.name.text}' in {decl.name.text}", f.name.span)
                continue
            typ = field_type(f.type, decl.name.text)
            limits = limits_of(f, typ, decl.kind, written, ctx.error)
            seen[f.name.text] = T.Field(f.name.text, typ, f.type.optional, limits)
        return tuple(seen.values())

    def build(decl: ast.RecordDecl) -> T.RecordType:
        name = decl.name.text
        if name in records:
            return records[name]
        building.append(name)
        record = T.RecordType(name, decl.kind, fields_of(decl))
        building.pop()
        records[name] = record
        return record

    for decl in decls.values():
        if isinstance(decl, ast.RecordDecl):
            build(decl)
    profile = None
    if profile_decl is not None:
        profile = T.RecordType("profile", "profile", fields_of(profile_decl))
    ctx.schema = T.Schema(enums, dict(sorted(records.items())), profile)
