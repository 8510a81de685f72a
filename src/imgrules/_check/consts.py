"""Constants against types: map entries, table cells and outputs, example and test data.

A constant is written without context (``strong``, ``2026-11-22``, ``{id: "A"}``); the
type it must have comes from where it stands. :func:`check_const` reports what does not
fit and records the type of each bare word so the compiler knows which enum it names.
Example and test data must also keep the bounds their fields declare (E244).
"""

from __future__ import annotations

import datetime as dt

from .. import ast
from .. import _types as T
from .._field_limits import violations
from .._diagnostics import did_you_mean
from .context import Context
from .model import node_key


def const_type(const) -> T.Type:
    """The type a constant has on its own (a bare word's is UNKNOWN: it needs context)."""
    if isinstance(const, ast.Literal):
        return literal_type(const.value)
    if isinstance(const, ast.Duration):
        return T.DURATION
    if isinstance(const, ast.NegLit):
        return T.FLOAT if isinstance(const.value, float) else T.INT
    return T.UNKNOWN


def literal_type(value) -> T.Type:
    if value is None:
        return T.NULL
    if isinstance(value, bool):
        return T.BOOL
    if isinstance(value, int):
        return T.INT
    if isinstance(value, float):
        return T.FLOAT
    if isinstance(value, str):
        return T.STR
    if isinstance(value, dt.date):
        return T.DATE
    return T.UNKNOWN


def allowed(enum: T.EnumType) -> str:
    return f"allowed values of {enum.name}: {', '.join(enum.values)}"


def assignable(value: T.Type, target: T.Type, optional: bool = True) -> bool:
    """Whether a value of type ``value`` may be stored where ``target`` is expected."""
    if isinstance(value, T.Unknown) or isinstance(target, T.Unknown):
        return True
    if isinstance(value, T.Null):
        return optional
    if target == T.FLOAT and value == T.INT:
        return True
    if isinstance(target, T.ListType) and isinstance(value, (T.ListType, T.SetType)):
        return assignable(value.item, target.item, False)
    return value == target


def check_const(ctx: Context, const, expected: T.Type, what: str, optional: bool = True) -> None:
    """Report a constant that does not fit ``expected``; ``what`` names the slot in messages."""
    if isinstance(expected, T.Unknown):
        return
    if isinstance(const, ast.Word):
        if isinstance(expected, T.EnumType):
            ctx.types[node_key(const)] = expected
            if const.text not in expected.values:
                ctx.error("E103", f"'{const.text}' is not a value of {expected.name}", const.span,
                          did_you_mean(const.text, expected.values), allowed(expected))
            return
        ctx.error("E201", f"{what} must be {_a(expected)}, not the word '{const.text}'", const.span,
                  "write text in double quotes" if expected == T.STR else "")
        return
    if isinstance(const, ast.ObjectLit):
        if not isinstance(expected, T.RecordType):
            ctx.error("E201", f"{what} must be {_a(expected)}, not a record", const.span)
            return
        check_object(ctx, const, expected, what)
        return
    if isinstance(const, ast.ListLit):
        if not isinstance(expected, T.ListType):
            ctx.error("E201", f"{what} must be {_a(expected)}, not a list", const.span)
            return
        for i, item in enumerate(const.items):
            check_const(ctx, item, expected.item, f"{what}[{i}]", optional=False)
        return
    actual = const_type(const)
    ctx.types[node_key(const)] = actual
    if not assignable(actual, expected, optional):
        if isinstance(actual, T.Null):
            ctx.error("E201", f"{what} cannot be null: it is not optional", const.span)
        else:
            ctx.error("E201", f"{what} must be {_a(expected)}, not {_a(actual)}", const.span)


def check_object(ctx: Context, obj: ast.ObjectLit, record: T.RecordType, what: str) -> None:
    """Keys of ``obj`` must be fields of ``record``; each value must fit its field."""
    seen: set[str] = set()
    for key, value in obj.entries:
        path = f"{what}.{key.text}" if what else key.text
        if key.text in seen:
            ctx.error("E104", f"'{key.text}' is given twice", key.span)
            continue
        seen.add(key.text)
        field = record.field(key.text)
        if field is None:
            owner = "the profile" if record.kind == "profile" else record.name
            ctx.error("E110", f"unknown field '{key.text}' in {owner}", key.span,
                      did_you_mean(key.text, record.field_names),
                      f"fields of {owner}: {', '.join(record.field_names)}")
            continue
        check_const(ctx, value, field.type, path, field.optional)
        if field.limits.declared:
            _check_bounds(ctx, value, field.limits, path)
    _check_order(ctx, obj, record, what)


_NOT_PLAIN = object()


def _plain(const):
    """The Python value of constant data (a list of them too), or _NOT_PLAIN."""
    if isinstance(const, (ast.Literal, ast.NegLit)):
        return const.value
    if isinstance(const, ast.Word):
        return const.text
    if isinstance(const, ast.ListLit):
        items = [_plain(item) for item in const.items]
        return _NOT_PLAIN if any(i is _NOT_PLAIN or i is None for i in items) else items
    return _NOT_PLAIN


def _check_bounds(ctx: Context, const, limits: T.Limits, path: str) -> None:
    """Example and test data must keep the bounds their fields declare (E244)."""
    value = _plain(const)
    if value is _NOT_PLAIN or value is None or isinstance(value, bool):
        return
    for where, message in violations(value, limits, path):
        ctx.error("E244", f"{where}: {message}", const.span,
                  "the profile loader refuses such data, so the test could never run")


def _check_order(ctx: Context, obj: ast.ObjectLit, record: T.RecordType, what: str) -> None:
    """A field declared ``in other..`` may not be below ``other`` in the same data."""
    given = {key.text: value for key, value in obj.entries}
    for field in record.fields:
        other = field.limits.after
        if other is None or field.name not in given or other not in given:
            continue
        value, low = _plain(given[field.name]), _plain(given[other])
        if isinstance(value, type(low)) and not isinstance(value, (bool, str, list)) \
                and low is not None and value < low:
            path = f"{what}.{field.name}" if what else field.name
            word = "before" if isinstance(value, dt.date) else "less than"
            ctx.error("E244", f"{path}: {_show(value)} is {word} {other} ({_show(low)})", given[field.name].span,
                      "the profile loader refuses such data, so the test could never run")


def _show(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _a(t: T.Type) -> str:
    text = t.describe()
    if isinstance(t, (T.Prim, T.Null)):
        return ("an " if text[0] in "aeiou" else "a ") + text
    if isinstance(t, T.EnumType):
        return f"a {text} value"
    return text
