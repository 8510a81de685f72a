"""Field bounds: the ``in``, ``size``, ``matches``, ``unique`` and ``message`` written
after a field's type.

:func:`limits_of` turns the written bounds of one field into :class:`imgrules._types.Limits`
and reports what makes no sense (an unknown word, a range on a type without order, a size
on a field that is not a list, an empty range, a pattern that is not a regular
expression) through the checker's ``report`` callback, which makes diagnostics.

:func:`~imgrules._field_limits.violations` checks values against them (the profile
loader's side, in a module that needs no AST).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import ast
from . import _types as T
from ._diagnostics import did_you_mean
from ._field_limits import show as _show
from ._field_limits import violations  # noqa: F401 - the data side, kept importable from here

WORDS = ("in", "size", "matches", "message", "unique")
TEXT_WORDS = ("matches", "message")
KEY_TYPES = (T.STR, T.INT, T.DATE)  # what `unique` can compare, besides enum values
ORDERED = (T.INT, T.FLOAT, T.DATE)
MAX_PATTERN = 200  # characters in a `matches` pattern

Report = Callable[..., None]  # report(code, message, span, *notes)


def limits_of(decl: ast.FieldDecl, typ: T.Type, kind: str,
              siblings: Mapping[str, ast.FieldDecl], report: Report) -> T.Limits:
    """The limits ``decl`` declares, for a field of type ``typ`` in a ``kind`` record
    (record, fact or profile) whose fields by name are ``siblings``."""
    if not decl.bounds:
        return T.NO_LIMITS
    name = decl.name.text
    if kind == "fact":
        report("E240", f"fact field '{name}' cannot have bounds", decl.bounds[0].span,
               "bounds check profile data; derived facts are what the rules make them")
        return T.NO_LIMITS
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for bound in decl.bounds:
        word = bound.word.text
        if word not in WORDS:
            hint = did_you_mean(word, WORDS)
            if not hint and bound.key is not None:
                hint = f"if '{word}' is a field, it needs a colon: `{word}: {bound.key.text}`"
            report("E240", f"unknown bound '{word}' after the type of '{name}'", bound.word.span,
                   hint or "a bound is `in lo..hi` (values), `size lo..hi` (a list's length), "
                   "`matches \"pattern\"` (text), `unique field` (a list's items) or "
                   "`message \"...\"` (what a profile breaking them is told)")
            continue
        if word in seen:
            report("E240", f"'{word}' is given twice for '{name}'", bound.word.span)
            continue
        seen.add(word)
        if (word in TEXT_WORDS) != (bound.text is not None) or (word == "unique") != (bound.key is not None):
            shape = {"matches": "a quoted regular expression", "message": "a quoted text",
                     "unique": "the name of a field of the list's items"}.get(word, "a range lo..hi")
            report("E240", f"'{word}' takes {shape}", bound.span)
            continue
        if word == "in":
            found.update(_value_range(decl, bound, typ, siblings, report))
        elif word == "size":
            found.update(_size_range(decl, bound, typ, report))
        elif word == "matches":
            found.update(_pattern(decl, bound, typ, report))
        elif word == "unique":
            found.update(_unique(decl, bound, typ, report))
        else:
            found["message"] = bound.text
    if seen == {"message"}:
        report("E240", f"'message' explains the bounds of '{name}', which has none", decl.bounds[0].span,
               "write it after `in`, `size` or `matches`")
        return T.NO_LIMITS
    return T.Limits(**found)


def _item_type(typ: T.Type) -> T.Type:
    return typ.item if isinstance(typ, T.ListType) else typ


def _value_range(decl, bound, typ, siblings, report) -> dict:
    name = decl.name.text
    item = _item_type(typ)
    if isinstance(item, T.Unknown):
        return {}
    if item not in ORDERED:
        report("E241", f"'{name}' is {typ.describe()}: 'in' needs values with an order "
               "(int, float or date)", bound.span,
               "enum and text values are limited by their type; a list's length by `size lo..hi`")
        return {}
    low = high = None
    after = None
    ok = True
    if isinstance(bound.low, ast.Name):
        other = bound.low.ident.text
        sibling = siblings.get(other)
        if sibling is None or other == name:
            report("E241", f"the low end of '{name}' names '{other}', which is not another field "
                   "of this record", bound.low.span, did_you_mean(other, [n for n in siblings if n != name])
                   or "a range's end is a number, a date, or (for the low end) a field of the same record")
            ok = False
        elif sibling.type.item is not None or sibling.type.name != item.describe():
            report("E241", f"'{name}' ({item.describe()}) cannot be bounded by '{other}' "
                   f"({_written(sibling.type)})", bound.low.span, "both fields must have the same type")
            ok = False
        else:
            after = other
    elif bound.low is not None:
        low = _end(bound.low, item, name, report)
        ok = low is not None
    if bound.high is not None:
        high = _end(bound.high, item, name, report)
        ok = ok and high is not None
    if not ok:
        return {}
    if low is not None and high is not None and low > high:
        report("E242", f"the range {_show(low)}..{_show(high)} of '{name}' is empty: its low end "
               "is above its high end", bound.span)
        return {}
    return {"low": low, "high": high, "after": after}


def _written(ref: ast.TypeRef) -> str:
    text = f"list[{_written(ref.item)}]" if ref.item is not None else ref.name
    return text + ("?" if ref.optional else "")


def _end(node, item: T.Type, name: str, report) -> Any:
    """The value of one end of a range, or None (reported) when it does not fit ``item``."""
    value = node.value
    if item == T.DATE:
        fits = isinstance(value, dt.date)
    elif item == T.INT:
        fits = isinstance(value, int) and not isinstance(value, bool)
    else:
        fits = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if fits else value
    if not fits:
        report("E241", f"the end {_show(value)} does not fit '{name}', which holds {item.describe()} "
               "values", node.span)
        return None
    return value


def _size_range(decl, bound, typ, report) -> dict:
    name = decl.name.text
    if isinstance(typ, T.Unknown):
        return {}
    if not isinstance(typ, T.ListType):
        report("E241", f"'{name}' is {typ.describe()}, not a list: 'size' bounds a list's length",
               bound.span, "limit a value with `in lo..hi`")
        return {}
    ends = []
    for node in (bound.low, bound.high):
        if node is None:
            ends.append(None)
            continue
        if isinstance(node, ast.Name) or not isinstance(node.value, int) or isinstance(node.value, bool):
            report("E241", f"a size is a whole number of items, not {_show_node(node)}", node.span)
            return {}
        if node.value < 0:
            report("E242", f"a size cannot be negative ({node.value})", node.span)
            return {}
        ends.append(node.value)
    low, high = ends
    if low is not None and high is not None and low > high:
        report("E242", f"the size {low}..{high} of '{name}' is empty: its low end is above its "
               "high end", bound.span)
        return {}
    return {"size_low": low, "size_high": high}


def _pattern(decl, bound, typ, report) -> dict:
    name = decl.name.text
    item = _item_type(typ)
    if isinstance(item, T.Unknown):
        return {}
    if item != T.STR:
        report("E241", f"'{name}' is {typ.describe()}: 'matches' applies to text (str)", bound.span)
        return {}
    try:
        re.compile(bound.text)
    except re.error as exc:
        report("E243", f"the pattern of '{name}' is not a regular expression: {exc}", bound.span,
               "write a backslash in a pattern as \\\\ (\"\\\\d{4}\")")
        return {}
    if len(bound.text) > MAX_PATTERN or _backtracks(bound.text):
        report("E243", f"the pattern of '{name}' could take very long to match", bound.span,
               f"a pattern is at most {MAX_PATTERN} characters, and a repeated part (`+`, `*`, "
               "`{2,}`) may not itself hold a repetition or an alternative `|`: write `[A-Z]{2}`, "
               "not `([A-Z]+)+`")
        return {}
    return {"pattern": bound.text}


def _backtracks(pattern: str) -> bool:
    """Whether a repetition holds another repetition or an alternation (``(a+)+``,
    ``(a|aa)*``): the shapes whose matching can take time exponential in the text."""
    try:
        from re import _constants as C
        from re import _parser
        tree = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - another Python's internals: keep the pattern
        return False
    repeats = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
    pending = [(list(tree), False)]
    while pending:
        items, inside = pending.pop()
        for op, av in items:
            if op in repeats:
                low, high, sub = av
                many = high is C.MAXREPEAT or high > 1
                if inside and (high is C.MAXREPEAT or high > low):  # a fixed count cannot backtrack
                    return True
                pending.append((list(sub), inside or many))
            elif op is C.BRANCH:
                if inside:
                    return True
                pending.extend((list(branch), inside) for branch in av[1])
            elif op is C.SUBPATTERN:
                pending.append((list(av[-1]), inside))
            elif op in (C.ASSERT, C.ASSERT_NOT):
                pending.append((list(av[1]), inside))
    return False


def _unique(decl, bound, typ, report) -> dict:
    name, key = decl.name.text, bound.key.text
    if isinstance(typ, T.Unknown) or isinstance(typ, T.ListType) and isinstance(typ.item, T.Unknown):
        return {}
    if not (isinstance(typ, T.ListType) and isinstance(typ.item, T.RecordType)):
        report("E241", f"'{name}' is {typ.describe()}: 'unique' applies to a list of records",
               bound.span, "it names the field no two items may share: `letters: list[Letter] unique id`")
        return {}
    field = typ.item.field(key)
    if field is None:
        report("E241", f"{typ.item.name} has no field '{key}' to be unique", bound.key.span,
               did_you_mean(key, typ.item.field_names) or f"fields of {typ.item.name}: "
               + ", ".join(typ.item.field_names))
        return {}
    if field.type not in KEY_TYPES and not isinstance(field.type, T.EnumType):
        report("E241", f"'{key}' is {field.type.describe()}: 'unique' compares text, whole numbers, "
               "dates or enum values", bound.key.span)
        return {}
    return {"unique": key}


def _show_node(node) -> str:
    if isinstance(node, ast.Name):
        return node.ident.text
    return _show(node.value)
