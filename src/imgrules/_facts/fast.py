"""The validator's fast path: a profile whose every value is already exactly right.

Most profiles an evaluation sees are valid, and most of their values already have the
exact Python type their field wants (``str``, ``int``, ``datetime.date``, a ``dict`` per
record, a ``list`` per list). For those, :func:`accept` returns the same plain data the
full checker (:mod:`imgrules._facts.validate`) would: no ``$.path`` strings, no messages,
no type tests beyond one ``type(v) is``.

It never reports a problem. At the first value that is not plainly right (a wrong or
unusual type, a null it does not expect, a bound broken, an unknown field, a missing
required field) it gives up, and the full checker, which alone words problems, checks the
whole profile again. So it may only ever accept what the full checker accepts, giving
the very same data (same values, same key order); tests compare the two on mutated
profiles.

The checks are Python functions generated once per profile record type, one per record
type it holds: each looks its record's declared fields up in the data in one straight
run of tests, so a valid value costs a dict lookup and a type test or two, with no call
per field. The code is built from the checked schema only: field names, enum values,
bounds and patterns are constants the code names (``const_3``), never text in the code.
A record's result is a copy of its data (the data's key order) with the values that
change replaced (nulls dropped, dates read from text, integers made floats, records and
lists checked anew), which is what the full checker builds key by key.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from typing import Any

from .. import _types as T
from .._field_limits import violations
from .sizes import DATE_FIRST, DATE_LAST, FLOAT_LIMIT, INT_LIMIT, ISO_DATE, MAX_ITEMS, MAX_TEXT


class Unsure(Exception):
    """The fast path gives up: the full checker decides."""


# Profiles of one record type checked in full before its fast path is built: building it
# costs some milliseconds, as much as some tens of full checks (``imgrules eval`` of one
# profile never needs it).
COMPILE_AFTER = 32


def checker(rtype: T.RecordType, partial: bool, record: type | None = None) -> Callable | None:
    """The fast check of profiles of ``rtype`` (``data`` -> the checked data, or
    :class:`Unsure`), or None while too few were checked to make building it worthwhile.
    ``record`` is the dict subclass its records are made as (None: plain dicts)."""
    key = (id(rtype), partial, record)
    entry = _CHECKERS.get(key)
    if entry is not None and entry[0] is rtype:
        if entry[1] is not None:
            return entry[1]
        seen = entry[2] + 1
    else:
        seen = 1
    if seen <= COMPILE_AFTER:
        _remember(key, (rtype, None, seen))
        return None
    return compiled(rtype, partial, record)


def compiled(rtype: T.RecordType, partial: bool, record: type | None = None) -> Callable:
    """The fast check of profiles of ``rtype``, built now if it is not yet."""
    key = (id(rtype), partial, record)
    entry = _CHECKERS.get(key)
    if entry is None or entry[0] is not rtype or entry[1] is None:
        entry = (rtype, _Generator(partial, record).build(rtype), 0)
        _remember(key, entry)
    return entry[1]


def accept(data: Any, rtype: T.RecordType, partial: bool) -> dict:
    """``data`` checked against the profile record ``rtype`` as the full checker would
    (``as_of`` may be left out unless ``partial``), or :class:`Unsure`."""
    return compiled(rtype, partial)(data)


def _remember(key: tuple, entry: tuple) -> None:
    if key not in _CHECKERS and len(_CHECKERS) > 64:  # schemas come and go (packs loaded from text)
        _CHECKERS.clear()
    _CHECKERS[key] = entry


# (id of the record type, partial, record class) -> (the record type, its check or None,
# profiles seen)
_CHECKERS: dict[tuple, tuple[T.RecordType, Callable | None, int]] = {}


def _day(value: Any, first: dt.date, last: dt.date) -> dt.date:
    """A date (or its ISO text) from ``first`` to ``last``, or :class:`Unsure`."""
    if type(value) is dt.date:
        if first <= value <= last:
            return value
        raise Unsure
    if type(value) is str and ISO_DATE.match(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise Unsure from None
        if first <= value <= last:
            return value
    raise Unsure


def _distinct(keys: list) -> None:
    """:class:`Unsure` unless the values of ``keys`` that are not None are all different
    (items without the key are not compared)."""
    present = [k for k in keys if k is not None]
    if len(set(present)) != len(present):
        raise Unsure


def _define(name: str, lines: list[str], namespace: dict) -> None:
    """Compile the function ``name`` from ``lines`` into ``namespace``."""
    code = compile("\n".join(lines) + "\n", f"<profile check {name}>", "exec")
    exec(code, namespace)  # noqa: S102 - generated from the checked schema only


def _compiled_on_first_call(name: str, lines: list[str], namespace: dict) -> Callable:
    """Stands for the function ``name`` until its first call, which compiles it."""
    def first_call(value: Any) -> Any:
        _define(name, lines, namespace)
        return namespace[name](value)

    return first_call


_HELPERS = {"Unsure": Unsure, "date": dt.date, "day": _day, "distinct": _distinct}
_SCALARS = (T.STR, T.INT, T.FLOAT, T.BOOL, T.DATE)
_RAISE = ["raise Unsure"]


def _indent(lines: list[str], depth: int = 1) -> list[str]:
    pad = "    " * depth
    return [pad + line for line in lines]


class _Generator:
    """The source of the check functions of one profile record type (and every record
    type it holds), and the constants they name."""

    def __init__(self, partial: bool, record: type | None = None):
        self.partial = partial
        self.record_class = record
        self.pool: dict[str, Any] = {}
        self.pooled: dict[tuple, str] = {}
        self.records: dict[tuple, str] = {}
        self.functions: list[tuple[str, list[str]]] = []  # (name, lines)

    def build(self, rtype: T.RecordType) -> Callable:
        """The check of the profile record ``rtype``. The functions of the records it
        holds are compiled when first called: a profile gives a few of the record types
        a pack declares, and compiling one costs more than checking many profiles."""
        top = self.record(rtype, default_as_of=not self.partial)
        namespace = {**_HELPERS, **self.pool}
        for name, lines in self.functions:
            namespace[name] = _compiled_on_first_call(name, lines, namespace)
        lines = self.functions[0][1]
        _define(top, [lines[0], "    try:", *_indent(lines[1:]),
                      "    except KeyError:",  # a field the data must hold is missing
                      "        raise Unsure from None"], namespace)
        return namespace[top]

    def const(self, value: Any) -> str:
        """The global name of ``value`` in the generated code."""
        try:
            key = (type(value), value)
            hash(key)
        except TypeError:
            key = (type(value), id(value))
        name = self.pooled.get(key)
        if name is None:
            name = self.pooled[key] = f"const_{len(self.pooled)}"
            self.pool[name] = value
        return name

    # ------------------------------------------------------------------ records
    def record(self, rtype: T.RecordType, default_as_of: bool = False) -> str:
        """The name of ``record_<i>(data)``: the checked copy of a record's data.

        Fields the data must hold are read straight (a missing one raises KeyError,
        which the profile's check turns into Unsure); the others are looked for, counted, and
        no longer looked for once every key of the data is found (data gives the first
        declared fields more often than the last). The count then tells whether the data
        holds a key that is no field."""
        known = self.records.get((id(rtype), default_as_of))
        if known is not None:
            return known
        name = self.records[id(rtype), default_as_of] = f"record_{len(self.records)}"
        lines = [f"def {name}(data):",
                 "    if type(data) is not dict:",
                 "        raise Unsure",
                 "    r = data.copy()" if self.record_class is None
                 else f"    r = {self.const(self.record_class)}(data)"]
        self.functions.append((name, lines))  # the profile's first
        present = [f for f in rtype.fields if self.always(f, default_as_of)]
        lists = [f for f in rtype.fields if not f.optional and isinstance(f.type, T.ListType)]
        others = [f for f in rtype.fields if f not in present and f not in lists]
        lines.append(f"    n = {len(present)}")
        for field in present:
            key = self.const(field.name)
            lines += [f"    v = data[{key}]", *_indent(self.check(field.type, field.limits, f"r[{key}] = v", None))]
        for field in lists:
            lines.extend(_indent(self.field(field)))
        if others:
            lines.append("    size = len(data)")
            step = max(4, -(-len(others) // 12))
            for depth, at in enumerate(range(0, len(others), step), start=1):
                lines.append(_indent(["if n < size:"], depth)[0])
                for field in others[at:at + step]:
                    lines.extend(_indent(self.field(field), depth + 1))
        lines += ["    if n != len(data):",  # a key that is no field
                  "        raise Unsure"]
        for field in rtype.fields:
            if field.limits.declared and field.limits.after is not None:
                lines.extend(_indent(self.after(rtype, field)))
        lines.append("    return r")
        return name

    def always(self, field: T.Field, default_as_of: bool) -> bool:
        """Whether the data must hold ``field`` (when it does not, the full checker
        refuses it or, for a list, makes it empty)."""
        return (not field.optional and not self.partial and not isinstance(field.type, T.ListType)
                and not (default_as_of and field.name == "as_of"))

    def field(self, field: T.Field) -> list[str]:
        """The lines that look for one field in ``data`` and check it into ``r``."""
        key = self.const(field.name)
        is_list = isinstance(field.type, T.ListType)
        empty_ok = self.partial or not any(True for _ in violations([], field.limits, "$"))
        if field.optional:
            null = [f"del r[{key}]"]
        elif is_list and empty_ok:
            null = [f"r[{key}] = []"]
        else:
            null = None
        lines = [f"if {key} in data:",
                 f"    v = data[{key}]",
                 "    n += 1",
                 *_indent(self.check(field.type, field.limits, f"r[{key}] = v", null))]
        if not field.optional and is_list:
            lines += ["else:", *_indent([f"r[{key}] = []"] if empty_ok else _RAISE)]
        return lines

    def after(self, rtype: T.RecordType, field: T.Field) -> list[str]:
        """Lines that test ``field`` against the field it may not be below (``in start..``)."""
        a, b = self.const(field.name), self.const(field.limits.after)
        other = rtype.field(field.limits.after)
        if other is not None and other.type == field.type and field.type in (T.DATE, T.INT, T.FLOAT):
            test = f"r[{a}] < r[{b}]"  # both checked values of that very type
        else:
            test = f"isinstance(r[{a}], type(r[{b}])) and r[{a}] < r[{b}]"
        return [f"if {a} in r and {b} in r and {test}:", "    raise Unsure"]

    # ------------------------------------------------------------------ values
    def check(self, typ: T.Type, limits: T.Limits, store: str, null: list[str] | None) -> list[str]:
        """Lines that check the value ``v`` of type ``typ`` against ``limits`` (as
        :func:`imgrules._field_limits.violations` sees them): they raise Unsure, or leave
        ``v`` its checked value and run ``store`` when that is a new value. ``null`` is
        what a null does (None: give up)."""
        other = _RAISE if null is None else ["if v is not None:", "    raise Unsure", *null]
        stored = [store] if store else []
        if isinstance(typ, T.RecordType):
            checked = [f"v = {self.record(typ)}(v)", *stored]
            return checked if null is None else ["if v is None:", *_indent(null), "else:", *_indent(checked)]
        if isinstance(typ, T.ListType):
            return [f"if type(v) is list and len(v) <= {MAX_ITEMS}:",
                    *_indent(self.items(typ, limits)), *_indent(stored),
                    "else:", *_indent(other)]
        test = self.test(typ, limits, "v")
        if test is not None:
            return [f"if {test}:", *_indent(other)]
        if typ == T.FLOAT:
            low, high = self.ends(typ, limits)
            window = f"not {self.const(-FLOAT_LIMIT)} <= v <= {self.const(FLOAT_LIMIT)}"
            bounds = [f"v < {low}"] * (low is not None) + [f"v > {high}"] * (high is not None)
            declared = [f"    if {' or '.join(bounds)}:", "        raise Unsure"] if bounds else []
            return ["if type(v) is float:",
                    f"    if {' or '.join([window, *bounds])}:",  # NaN fails the window
                    "        raise Unsure",
                    "elif type(v) is int:",
                    f"    if {window}:",
                    "        raise Unsure",
                    "    v = float(v)",  # the declared bounds hold the value as a float
                    *declared,
                    *_indent(stored),
                    "else:", *_indent(other)]
        if typ == T.DATE:
            first, last = self.date_range(limits)
            return ["if type(v) is date:",
                    f"    if not {first} <= v <= {last}:",
                    "        raise Unsure",
                    "elif type(v) is str:",
                    f"    v = day(v, {first}, {last})",
                    *_indent(stored),
                    "else:", *_indent(other)]
        return other  # a type no profile can give (the full checker says so)

    def test(self, typ: T.Type, limits: T.Limits, var: str) -> str | None:
        """An expression true when ``var`` is not a right value of ``typ`` that needs no
        conversion (text, an enum value, a boolean, an integer), or None for other types."""
        match = self.match(typ, limits)
        pattern = f" or {match}({var}) is None" if match else ""
        if isinstance(typ, T.EnumType):
            return f"type({var}) is not str or {var} not in {self.const(frozenset(typ.values))}{pattern}"
        if typ == T.STR:
            return f"type({var}) is not str or len({var}) > {MAX_TEXT}{pattern}"
        if typ == T.BOOL:
            return f"type({var}) is not bool"
        if typ == T.INT:
            low, high = -INT_LIMIT, INT_LIMIT
            if self.orderable(typ, limits.low):
                low = max(low, limits.low)
            if self.orderable(typ, limits.high):
                high = min(high, limits.high)
            return f"type({var}) is not int or not {self.const(low)} <= {var} <= {self.const(high)}"
        return None

    def items(self, typ: T.ListType, limits: T.Limits) -> list[str]:
        """Lines that check the list ``v`` item by item and bind ``v`` to a new list, then
        test the list's declared size, uniqueness and (for each item) bounds."""
        item = typ.item
        test = self.test(item, limits, "x")
        if test is not None:
            lines = ["for x in v:", f"    if {test}:", "        raise Unsure", "v = v.copy()"]
        else:
            convert = (self.record(item) if isinstance(item, T.RecordType)
                       else self.item(item, T.NO_LIMITS if isinstance(item, T.ListType) else limits))
            lines = ["w = []", "for x in v:", f"    w.append({convert}(x))", "v = w"]  # small lists: no comprehension
        if limits.size_low is not None:
            lines += [f"if len(v) < {self.const(limits.size_low)}:", "    raise Unsure"]
        if limits.size_high is not None:
            lines += [f"if len(v) > {self.const(limits.size_high)}:", "    raise Unsure"]
        key = item.field(limits.unique) if limits.unique is not None and isinstance(item, T.RecordType) else None
        if key is not None:  # (a list of other items cannot repeat the key: they have none)
            if key.type in _SCALARS or isinstance(key.type, T.EnumType):
                # every item holds the key (a field it must hold) or maybe not (get: None)
                held = not key.optional and not self.partial
                keys = self.const(operator.itemgetter(key.name) if held else operator.methodcaller("get", key.name))
                lines += [f"if len(v) > 1 and len(set(map({keys}, v))) != len(v):",
                          f"    distinct(list(map({keys}, v)))"]
            else:  # values that may not be hashable: the full checker says what it says
                lines += ["if len(v) > 1:", "    raise Unsure"]
        return lines

    def item(self, typ: T.Type, limits: T.Limits) -> str:
        """The name of ``item_<i>(v)``: one checked item of a list."""
        name = f"item_{len(self.functions)}"
        lines = [f"def {name}(v):", *_indent(self.check(typ, limits, "", None)), "    return v"]
        self.functions.append((name, lines))
        return name

    # ------------------------------------------------------------------ bounds
    def match(self, typ: T.Type, limits: T.Limits) -> str | None:
        """The pattern's ``fullmatch`` a text or enum value must pass, or None."""
        textual = typ == T.STR or isinstance(typ, T.EnumType)
        if limits.pattern is None or not textual:
            return None
        return self.const(re.compile(limits.pattern).fullmatch)

    def ends(self, typ: T.Type, limits: T.Limits) -> tuple[str | None, str | None]:
        """The declared ``low`` and ``high`` that apply to values of ``typ``, as constants."""
        low = self.const(limits.low) if self.orderable(typ, limits.low) else None
        high = self.const(limits.high) if self.orderable(typ, limits.high) else None
        return low, high

    def date_range(self, limits: T.Limits) -> tuple[str, str]:
        """The first and last date a date field allows: its declared range within the
        validator's window."""
        first, last = DATE_FIRST, DATE_LAST
        if self.orderable(T.DATE, limits.low):
            first = max(first, limits.low)
        if self.orderable(T.DATE, limits.high):
            last = min(last, limits.high)
        return self.const(first), self.const(last)

    @staticmethod
    def orderable(typ: T.Type, end: Any) -> bool:
        """Whether ``_field_limits._orderable`` holds for the values of ``typ`` against ``end``."""
        if end is None:
            return False
        if isinstance(end, dt.date):
            return typ == T.DATE
        return typ in (T.INT, T.FLOAT)
