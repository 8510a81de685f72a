"""The records the instrumented interpreter works on.

Values and their meaning are the language's (:mod:`imgrules._semantics`): present values
are plain Python, a missing value or unknown truth value is a
:class:`~imgrules._semantics.values.Unk` carrying the ``$.paths`` of the absent inputs.
This module adds only :class:`Obj`, a record of profile data or a derived fact as the
interpreter sees it (profile records know their ``$.path``; derived facts have none).
"""

from __future__ import annotations

from typing import Any

from .. import _types as T
from .._semantics.collections import absent_list
from .._semantics.render import explain_text
from .._semantics.values import UNKNOWN, Unk, truth


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
            if isinstance(ftype, T.ListType) and absent_list(field.optional) is not None:
                return []  # a list the contract requires: left out, it is empty
            return Unk((sub,)) if sub else UNKNOWN
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


outcome = truth  # a truth value in words: true, false or unknown
render = explain_text  # a value as explanations and events show it
