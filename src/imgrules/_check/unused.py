"""Pass ``unused``: declarations of the root pack that nothing uses (warnings).

Lets, maps, enums and records nobody refers to; fact types no rule or table derives
(a fact type derived but never read is fine: it is output); examples no test uses.
Only the root pack is reported on: an imported pack's declarations are there for its
importers, and it is checked on its own.
"""

from __future__ import annotations

from .. import ast
from .context import Context
from .strata import derives_of


def _type_names(ref: ast.TypeRef):
    yield ref.name
    if ref.item is not None:
        yield from _type_names(ref.item)


def run(ctx: Context) -> None:
    used_types: set[str] = set()
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.RecordDecl):
            for field in decl.fields:
                used_types.update(_type_names(field.type))
        elif isinstance(decl, ast.MapDecl):
            used_types.update(_type_names(decl.key_type))
            used_types.update(_type_names(decl.value_type))
    used = {(ref.kind, ref.name) for ref in ctx.refs.values()}
    derived: set[str] = set()
    for decl, _pack, _path in ctx.rule_decls.values():
        derived |= derives_of(decl)
    expected_facts = {e.target.fact.text for _p, t in ctx.tests for e in t.expectations
                      if isinstance(e.target, ast.ExpectFact)}
    used_examples = {t.given.example.text for _p, t in ctx.tests if t.given.example is not None}
    for decl in ctx.root_declarations():
        name = getattr(decl, "name", None)
        if name is None:
            continue
        text = name.text
        if isinstance(decl, ast.LetDecl) and ctx.lets.get(text) is decl and ("let", text) not in used:
            ctx.warn("W504", f"let {text} is never used", name.span, "remove it, or use it in a rule")
        elif isinstance(decl, ast.MapDecl) and ctx.maps.get(text) is decl and ("map", text) not in used:
            ctx.warn("W504", f"map {text} is never used", name.span)
        elif isinstance(decl, ast.EnumDecl) and text not in used_types:
            ctx.warn("W504", f"enum {text} is never used by a field or map", name.span)
        elif isinstance(decl, ast.RecordDecl) and decl.kind == "record" and text not in used_types:
            ctx.warn("W504", f"record {text} is never used by a field", name.span)
        elif isinstance(decl, ast.RecordDecl) and decl.kind == "fact" and text not in derived:
            read = ("facts", text) in used or text in expected_facts
            ctx.warn("W505", f"fact type {text} is never derived" + (", but it is read" if read else ""),
                     name.span, "no rule or table derives it, so it is always empty")
        elif isinstance(decl, ast.Example) and ctx.examples.get(text) is decl and text not in used_examples:
            ctx.warn("W506", f"example {text} is never used by a test", name.span)


def uses(checked) -> set[tuple[str, int]]:
    """Where the declarations a checked pack uses are (file, offset of the name).

    :func:`imgrules._check.check_paths` drops "unused" warnings on a declaration that
    another file it checks uses (a library pack's lets are used by its importers).
    """
    out: set[tuple[str, int]] = set()
    for ref in checked.refs.values():
        decl = checked.lets.get(ref.name) if ref.kind == "let" else \
            checked.maps.get(ref.name) if ref.kind == "map" else None
        if decl is not None:
            out.add((decl.name.span.path, decl.name.span.start))
    derived: set[str] = set()
    for entry in checked.rules:
        derived |= derives_of(entry.decl)
    for pack in checked.packs:
        for decl in pack.declarations:
            if isinstance(decl, ast.RecordDecl) and decl.kind == "fact" and decl.name.text in derived:
                out.add((decl.name.span.path, decl.name.span.start))
    for _path, test in checked.tests:
        example = checked.examples.get(test.given.example.text) if test.given.example is not None else None
        if example is not None:
            out.add((example.name.span.path, example.name.span.start))
    return out


UNUSED_CODES = ("W504", "W505", "W506")
