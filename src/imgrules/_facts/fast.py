"""The validator's fast path: a profile whose every value is already exactly right.

Most profiles an evaluation sees are valid, and most of their values already have the
exact Python type their field wants (``str``, ``int``, ``datetime.date``, a ``dict`` per
record, a ``list`` per list). For those, :func:`accept` returns the same plain data the
full checker (:mod:`imgrules._facts.validate`) would, from closures built once per
record type: no ``$.path`` strings, no messages, no type tests beyond one ``type(v) is``.

It never reports a problem. At the first value that is not plainly right (a wrong or
unusual type, a null it does not expect, a bound broken, an unknown field, a missing
required field) it gives up, and the full checker, which alone words problems, checks the
whole profile again. So it may only ever accept what the full checker accepts, giving
the very same data (same values, same key order); tests compare the two on mutated
profiles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .. import _types as T
from .._field_limits import violations
from .sizes import DATE_FIRST, DATE_LAST, FLOAT_LIMIT, INT_LIMIT, ISO_DATE, MAX_ITEMS, MAX_TEXT


class Unsure(Exception):
    """The fast path gives up: the full checker decides."""


def _give_up(value: Any = None) -> Any:
    raise Unsure


def accept(data: Any, rtype: T.RecordType, partial: bool) -> dict:
    """``data`` checked against the profile record ``rtype`` as the full checker would
    (``as_of`` may be left out unless ``partial``), or :class:`Unsure`."""
    key = (id(rtype), partial)
    entry = _COMPILED.get(key)
    if entry is None or entry[0] is not rtype:
        if len(_COMPILED) > 64:  # schemas come and go (packs loaded from text): stay small
            _COMPILED.clear()
        entry = _COMPILED[key] = (rtype, _Compiler(partial).record(rtype, default_as_of=not partial))
    return entry[1](data)


_COMPILED: dict[tuple, tuple[T.RecordType, Callable]] = {}


class _Compiler:
    def __init__(self, partial: bool):
        self.partial = partial
        self.records: dict[tuple, Callable] = {}

    # ------------------------------------------------------------------ records
    def record(self, rtype: T.RecordType, default_as_of: bool = False) -> Callable:
        known = self.records.get((id(rtype), default_as_of))
        if known is not None:
            return known
        convs: dict[str, Callable] = {}
        on_null: dict[str, bool] = {}  # field -> True: becomes []; False: left absent
        required_lists: list[tuple[str, bool]] = []  # (field, whether [] keeps its bounds)
        required: list[str] = []
        ordered: list[tuple[str, str]] = []
        for field in rtype.fields:
            name = field.name
            convs[name] = self.field(field)
            is_list = isinstance(field.type, T.ListType)
            empty_ok = self.partial or not any(True for _ in violations([], field.limits, "$"))
            if field.optional:
                on_null[name] = False
            elif is_list and empty_ok:
                on_null[name] = True
            if not field.optional:
                if is_list:
                    required_lists.append((name, empty_ok))
                elif not self.partial and not (default_as_of and name == "as_of"):
                    required.append(name)
            if field.limits.declared and field.limits.after is not None:
                ordered.append((name, field.limits.after))
        count = len(rtype.fields)
        get_conv = convs.get

        def check_record(data: Any) -> dict:
            if type(data) is not dict:
                raise Unsure
            result = {}
            for key, value in data.items():
                if value is None:
                    becomes = on_null.get(key)
                    if becomes is None:  # unknown, or required and not a list
                        raise Unsure
                    if becomes:
                        result[key] = []
                    continue
                conv = get_conv(key)
                if conv is None:
                    raise Unsure
                result[key] = conv(value)
            if len(result) != count:
                for name, empty_ok in required_lists:
                    if name not in result:
                        if not empty_ok:
                            raise Unsure
                        result[name] = []
                for name in required:
                    if name not in result:
                        raise Unsure
            for name, other in ordered:
                if name in result and other in result:
                    value, low = result[name], result[other]
                    if isinstance(value, type(low)) and value < low:
                        raise Unsure
            return result

        self.records[id(rtype), default_as_of] = check_record
        return check_record

    # ------------------------------------------------------------------ fields
    def field(self, field: T.Field) -> Callable:
        """The value of ``field`` (its type, then its declared bounds)."""
        conv = self.value(field.type)
        if not field.limits.declared:
            return conv
        ranged = self.ranged(field.type, field.limits)
        if ranged is not None:
            return ranged
        ok = self.bounds(field.type, field.limits)
        if ok is None:
            return conv

        def bounded(value: Any) -> Any:
            value = conv(value)
            if ok(value):
                return value
            raise Unsure

        return bounded

    def ranged(self, typ: T.Type, limits: T.Limits) -> Callable | None:
        """For the most common bounded fields, a date or an integer, one test of the
        declared range and the validator's together (the other bounds do not apply to
        dates and integers, but ``after``, which the record tests)."""
        if typ == T.DATE:
            kind, low, high = dt.date, DATE_FIRST, DATE_LAST
        elif typ == T.INT:
            kind, low, high = int, -INT_LIMIT, INT_LIMIT
        else:
            return None
        if self.orderable(typ, limits.low):
            low = max(low, limits.low)
        if self.orderable(typ, limits.high):
            high = min(high, limits.high)
        return self.integer(low, high) if kind is int else self.date(low, high)

    def value(self, typ: T.Type) -> Callable:
        if isinstance(typ, T.RecordType):
            return self.record(typ)
        if isinstance(typ, T.ListType):
            return self.list(typ)
        if isinstance(typ, T.EnumType):
            allowed = frozenset(typ.values)

            def enum(value: Any) -> Any:
                if type(value) is str and value in allowed:
                    return value
                raise Unsure

            return enum
        prim = typ.name if type(typ) is T.Prim else None
        if prim == "str":
            max_text = MAX_TEXT

            def text(value: Any) -> Any:
                if type(value) is str and len(value) <= max_text:
                    return value
                raise Unsure

            return text
        if prim == "int":
            return self.integer(-INT_LIMIT, INT_LIMIT)
        if prim == "float":
            flow, fhigh = -FLOAT_LIMIT, FLOAT_LIMIT

            def number(value: Any) -> Any:
                kind = type(value)
                if kind is float and flow <= value <= fhigh:  # NaN fails both
                    return value
                if kind is int and flow <= value <= fhigh:
                    return float(value)
                raise Unsure

            return number
        if prim == "bool":
            def boolean(value: Any) -> Any:
                if type(value) is bool:
                    return value
                raise Unsure

            return boolean
        if prim == "date":
            return self.date(DATE_FIRST, DATE_LAST)
        return _give_up

    @staticmethod
    def integer(low: int, high: int) -> Callable:
        """An integer (never a boolean) from ``low`` to ``high``."""
        def integer(value: Any) -> Any:
            if type(value) is int and low <= value <= high:
                return value
            raise Unsure

        return integer

    def date(self, first: dt.date, last: dt.date) -> Callable:
        """A date (or its ISO text) from ``first`` to ``last``."""
        iso, date = ISO_DATE.match, dt.date
        parse = dt.date.fromisoformat

        def day(value: Any) -> Any:
            kind = type(value)
            if kind is date:
                if first <= value <= last:
                    return value
                raise Unsure
            if kind is str and iso(value):
                try:
                    value = parse(value)
                except ValueError:
                    raise Unsure from None
                if first <= value <= last:
                    return value
            raise Unsure

        return day

    def list(self, typ: T.ListType) -> Callable:
        item = self.value(typ.item)
        max_items = MAX_ITEMS

        def items(value: Any) -> Any:
            if type(value) is list and len(value) <= max_items:
                return [item(x) for x in value]
            raise Unsure

        return items

    # ------------------------------------------------------------------ bounds
    def bounds(self, typ: T.Type, limits: T.Limits) -> Callable | None:
        """A test that a value of ``typ`` (as the converters above return it) keeps
        ``limits`` as :func:`imgrules._field_limits.violations` sees them; None when
        nothing is to test (``after`` is tested by the record)."""
        if isinstance(typ, T.ListType):
            each = self.scalar_bounds(typ.item, limits)
            unique, size_low, size_high = limits.unique, limits.size_low, limits.size_high
            if each is None and unique is None and size_low is None and size_high is None:
                return None

            def list_ok(value: list) -> bool:
                count = len(value)
                if size_low is not None and count < size_low:
                    return False
                if size_high is not None and count > size_high:
                    return False
                if unique is not None:
                    seen = [v for v in (item.get(unique) if type(item) is dict else None for item in value)
                            if v is not None]
                    try:
                        if len(set(seen)) != len(seen):
                            return False
                    except TypeError:  # unhashable: the full checker says what it says
                        return False
                return each is None or all(each(v) for v in value)

            return list_ok
        return self.scalar_bounds(typ, limits)

    def scalar_bounds(self, typ: T.Type, limits: T.Limits) -> Callable | None:
        """What ``_field_limits._scalar`` tests, for values of ``typ``."""
        low = limits.low if self.orderable(typ, limits.low) else None
        high = limits.high if self.orderable(typ, limits.high) else None
        textual = typ == T.STR or isinstance(typ, T.EnumType)
        match = re.compile(limits.pattern).fullmatch if limits.pattern is not None and textual else None
        if low is None and high is None and match is None:
            return None

        def ok(value: Any) -> bool:
            if low is not None and value < low:
                return False
            if high is not None and value > high:
                return False
            return match is None or match(value) is not None

        return ok

    @staticmethod
    def orderable(typ: T.Type, end: Any) -> bool:
        """Whether ``_field_limits._orderable`` holds for the values of ``typ`` against ``end``."""
        if end is None:
            return False
        if isinstance(end, dt.date):
            return typ == T.DATE
        return typ in (T.INT, T.FLOAT)
