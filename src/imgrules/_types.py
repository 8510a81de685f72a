"""The types of the language: what fact fields and expressions hold.

Declared in packs (``enum``, ``record``, ``fact``, ``profile``) and built into a
:class:`Schema` by the checker. The profile loader validates input data against the
schema, the checker types every expression with it, and the engine uses it to turn input
data into facts.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

import attrs


class Type:
    """Base of all types. Types are frozen values; compare them with ``==``."""

    def describe(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe()


@attrs.frozen
class Prim(Type):
    """``int``, ``float``, ``bool``, ``str``, ``date`` or ``duration``."""

    name: str

    def describe(self) -> str:
        return self.name


INT = Prim("int")
FLOAT = Prim("float")
BOOL = Prim("bool")
STR = Prim("str")
DATE = Prim("date")
DURATION = Prim("duration")
PRIMITIVES = {p.name: p for p in (INT, FLOAT, BOOL, STR, DATE, DURATION)}
# A span of days, made by span(start, end) in expressions; no profile field has this type.
SPAN = Prim("span")


@attrs.frozen
class Unknown(Type):
    """The type of an expression the checker could not type (an error was already given)."""

    def describe(self) -> str:
        return "unknown"


UNKNOWN = Unknown()


@attrs.frozen
class Null(Type):
    """The type of ``null``: compatible with every optional field."""

    def describe(self) -> str:
        return "null"


NULL = Null()


@attrs.frozen
class EnumType(Type):
    name: str
    values: tuple[str, ...]
    # the declared display labels (``internal_medicine "Internal Medicine"``), by value
    labels: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)

    def label(self, value: str) -> str:
        """The display label of ``value``, or the value itself when it has none."""
        return dict(self.labels).get(value, value)

    def describe(self) -> str:
        return self.name


@attrs.frozen
class Limits:
    """The bounds a field declares (``in 0..``, ``size 1..2``, ``matches "..."``), which
    profile data must keep; None where nothing is declared.

    ``low``/``high`` are the inclusive ends of the value (of each item, for a list);
    ``after`` names a field of the same record the value may not be below (``end: date?
    in start..``); ``size_low``/``size_high`` bound a list's length; ``pattern`` is a
    regular expression the whole text must match; ``unique`` names a field of a list's
    items that no two items share; ``message`` is what a profile that
    breaks them is told, after the plain statement of the problem.
    """

    low: int | float | dt.date | None = None
    high: int | float | dt.date | None = None
    after: str | None = None
    size_low: int | None = None
    size_high: int | None = None
    pattern: str | None = None
    unique: str | None = None
    message: str | None = None

    @functools.cached_property
    def declared(self) -> bool:
        """Whether any bound is declared (checked for every profile value: cached)."""
        return self != NO_LIMITS


NO_LIMITS = Limits()


@attrs.frozen
class Field:
    name: str
    type: Type
    optional: bool
    limits: Limits = NO_LIMITS


@attrs.frozen
class RecordType(Type):
    """A record: ``kind`` is ``record`` (nested data), ``fact`` (derivable) or ``profile``."""

    name: str
    kind: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return self.by_name.get(name)

    @functools.cached_property
    def by_name(self) -> dict[str, Field]:
        """The fields by name (the profile loader looks up every key it reads)."""
        return {f.name: f for f in self.fields}

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def describe(self) -> str:
        return self.name


@attrs.frozen
class ListType(Type):
    item: Type

    def describe(self) -> str:
        return f"list[{self.item.describe()}]"


@attrs.frozen
class SetType(Type):
    item: Type

    def describe(self) -> str:
        return f"set of {self.item.describe()}"


@attrs.frozen
class RangeType(Type):
    item: Type

    def describe(self) -> str:
        return f"range of {self.item.describe()}"


@attrs.frozen
class MapType(Type):
    key: Type
    value: Type

    def describe(self) -> str:
        return f"map {self.key.describe()} -> {self.value.describe()}"


NUMERIC = (INT, FLOAT)


def domain(t: Type) -> str | None:
    """The value domain reasoning about conditions and table cells works in:
    ``int`` (ints and dates, which are discrete), ``float``, ``enum``, ``bool``, ``str``."""
    if t in (INT, DATE):
        return "int"
    if t == FLOAT:
        return "float"
    if isinstance(t, EnumType):
        return "enum"
    if t == BOOL:
        return "bool"
    if t == STR:
        return "str"
    return None


def is_numeric(t: Type) -> bool:
    return t in NUMERIC


def comparable(a: Type, b: Type) -> bool:
    """Whether ``a == b`` (and ordering, where it applies) makes sense."""
    if isinstance(a, (Unknown, Null)) or isinstance(b, (Unknown, Null)):
        return True
    if is_numeric(a) and is_numeric(b):
        return True
    if isinstance(a, EnumType) and b == STR or isinstance(b, EnumType) and a == STR:
        return True
    return a == b


@attrs.frozen
class Schema:
    """Every declared type of a pack and its imports, by name."""

    enums: Mapping[str, EnumType]
    records: Mapping[str, RecordType]  # record and fact types
    profile: RecordType | None

    @property
    def facts(self) -> dict[str, RecordType]:
        return {n: r for n, r in self.records.items() if r.kind == "fact"}

    def lookup(self, name: str) -> Type | None:
        if name in PRIMITIVES:
            return PRIMITIVES[name]
        return self.enums.get(name) or self.records.get(name)

    def type_names(self) -> list[str]:
        return sorted([*PRIMITIVES, *self.enums, *self.records])
