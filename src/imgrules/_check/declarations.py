"""Pass ``declarations``: index lets, maps, rule-likes, tests and examples by name.

Rules, deadlines, windows, tables and invariants share one id space across the pack
and its imports; lets and maps share another (both are called like functions); tests
and examples have their own. Also checks map entries against the map's types and that
``covers`` ids look like checklist ids (``FA-5-request-lors``).
"""

from __future__ import annotations

import re

from .. import ast
from .. import _types as T
from .._loader import pack_name_of
from .consts import check_const
from .context import KIND_WORD, RULE_LIKE, Context
from .schema import resolve_type_ref, where

CHECK_ID = re.compile(r"[A-Z]{2,}-[A-Za-z0-9]+(-[A-Za-z0-9_]+)+\Z")


def run(ctx: Context) -> None:
    functions: dict[str, object] = {}
    tests: dict[str, ast.Test] = {}
    for pack, decl in ctx.declarations():
        if isinstance(decl, (ast.LetDecl, ast.MapDecl)):
            name = decl.name.text
            if name in functions:
                first = functions[name]
                ctx.error("E104", f"duplicate definition '{name}'", decl.name.span,
                          f"first defined at {where(first)} ({_kind(first)})")
                continue
            functions[name] = decl
            if isinstance(decl, ast.LetDecl):
                _check_params(ctx, decl)
                ctx.lets[name] = decl
            else:
                ctx.maps[name] = decl
                _check_map(ctx, decl)
        elif isinstance(decl, RULE_LIKE):
            name = decl.name.text
            if name in ctx.rule_decls:
                first = ctx.rule_decls[name][0]
                ctx.error("E104", f"duplicate id '{name}': a {KIND_WORD[type(first)]} already has it",
                          decl.name.span,
                          f"first declared at {where(first)}; rules, deadlines, windows, tables and "
                          "invariants share one id space")
                continue
            ctx.rule_decls[name] = (decl, pack_name_of(pack), pack.path)
            _check_covers(ctx, decl)
        elif isinstance(decl, ast.Test):
            if decl.name.text in tests:
                ctx.error("E104", f"duplicate test '{decl.name.text}'", decl.name.span,
                          f"first declared at {where(tests[decl.name.text])}")
                continue
            tests[decl.name.text] = decl
            ctx.tests.append((pack.path, decl))
        elif isinstance(decl, ast.Example):
            if decl.name.text in ctx.examples:
                ctx.error("E104", f"duplicate example '{decl.name.text}'", decl.name.span,
                          f"first declared at {where(ctx.examples[decl.name.text])}")
                continue
            ctx.examples[decl.name.text] = decl


def _kind(decl) -> str:
    return "a let" if isinstance(decl, ast.LetDecl) else "a map"


def _check_params(ctx: Context, decl: ast.LetDecl) -> None:
    seen: set[str] = set()
    for param in decl.params or ():
        if param.text in seen:
            ctx.error("E104", f"parameter '{param.text}' is listed twice", param.span)
        seen.add(param.text)


def _check_map(ctx: Context, decl: ast.MapDecl) -> None:
    key_type = resolve_type_ref(ctx, decl.key_type)
    value_type = resolve_type_ref(ctx, decl.value_type)
    ctx.map_types[decl.name.text] = T.MapType(key_type, value_type)
    keys: dict[object, ast.MapEntry] = {}
    for entry in decl.entries:
        check_const(ctx, entry.key, key_type, f"a key of map {decl.name.text}", optional=False)
        check_const(ctx, entry.value, value_type, f"a value of map {decl.name.text}")
        key = _const_key(entry.key)
        if key is not None and key in keys:
            ctx.error("E104", f"map {decl.name.text} has the key {ctx.text_of(entry.key)} twice",
                      entry.key.span, f"first at {where(keys[key])}")
        elif key is not None:
            keys[key] = entry


def _const_key(const):
    if isinstance(const, ast.Word):
        return ("word", const.text)
    if isinstance(const, (ast.Literal, ast.NegLit)):
        return ("value", type(const.value).__name__, const.value)
    if isinstance(const, ast.Duration):
        return ("duration", const.amount, const.unit)
    return None


def _check_covers(ctx: Context, decl) -> None:
    for ident in decl.meta.covers:
        if not CHECK_ID.match(ident.text):
            ctx.warn("W501", f"'{ident.text}' does not look like a checklist id", ident.span,
                     "checklist ids look like FA-5-request-lors or RA-12-step2-tier-concerning")
