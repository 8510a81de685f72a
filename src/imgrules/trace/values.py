"""The values the instrumented interpreter works on: plain Python plus :class:`Miss`.

Present values are what profiles hold (``int``, ``float``, ``str`` for text and enum
values, ``bool``, ``datetime.date``), :class:`Dur` for durations, lists, and records as
:class:`Obj` (profile records know their ``$.path``; derived facts have none). A missing
value, and an unknown truth value, is a :class:`Miss` carrying the input paths it
depends on. The semantics follow the compiled engine (``engine/runtime.py``) exactly;
the agreement test in ``tests/explain`` holds the two together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import types as T


class Miss:
    """Missing / unknown, with the ``$.paths`` of the absent inputs it depends on."""

    __slots__ = ("paths",)

    def __init__(self, paths=frozenset()):
        self.paths = frozenset(paths)

    def __repr__(self) -> str:
        return f"Miss({sorted(self.paths)})"


def merge(*values) -> Miss:
    """The unknown result of combining values of which at least one is unknown."""
    out: frozenset = frozenset()
    for v in values:
        if type(v) is Miss:
            out |= v.paths
    return Miss(out)


class Dur(tuple):
    """A duration: ``(amount, unit)`` with a singular unit (day, week, month, year)."""

    __slots__ = ()

    def __new__(cls, amount: int, unit: str):
        return tuple.__new__(cls, (amount, unit))


class Obj:
    """A record: its present fields, its ``$.path`` (None for a derived fact), its type.

    ``key`` identifies a derived fact (its type and field values); ``fact`` is its type.
    """

    __slots__ = ("data", "path", "rtype", "fact")

    def __init__(self, data: dict, path: str | None, rtype: T.RecordType | None, fact: str | None = None):
        self.data, self.path, self.rtype, self.fact = data, path, rtype, fact

    def get(self, name: str):
        value = self.data.get(name)
        field = self.rtype.field(name) if self.rtype is not None else None
        ftype = field.type if field is not None else None
        sub = f"{self.path}.{name}" if self.path else None
        if value is None:
            if isinstance(ftype, T.ListType):
                return []  # an absent list is an empty list
            return Miss({sub} if sub else ())
        return wrap(value, sub, ftype)


def wrap(value: Any, path: str | None, vtype: T.Type | None):
    """Profile data as interpreter values (records become :class:`Obj`)."""
    if isinstance(value, dict):
        return Obj(value, path, vtype if isinstance(vtype, T.RecordType) else None)
    if isinstance(value, list):
        item = vtype.item if isinstance(vtype, T.ListType) else None
        return [wrap(x, f"{path}[{i}]" if path else None, item) for i, x in enumerate(value)]
    return value


def fact_obj(type_name: str, fields, rtype: T.RecordType | None) -> Obj:
    """A derived fact (``fields`` as ``(name, value)`` pairs) as a record without a path."""
    data = {k: v for k, v in fields if v is not None}
    return Obj(data, None, rtype, type_name)


def phase(as_of: dt.date, app: dt.date) -> int:
    """``months_to_go``: the contract's whole months from ``as_of`` to the application date."""
    months = 12 * (app.year - as_of.year) + (app.month - as_of.month)
    return months - 1 if app.day < as_of.day else months


def outcome(value) -> str:
    """A truth value in words: true, false or unknown."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "unknown"


def render(value) -> str:
    """A value as explanations and events show it."""
    if type(value) is Miss:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Dur):
        amount, unit = value
        return f"{amount} {unit}{'' if amount == 1 else 's'}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Obj):
        if value.path:
            return value.path
        inner = ", ".join(f"{k}: {render(v)}" for k, v in value.data.items())
        return f"{value.fact or 'record'}({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(render(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return str(value)
