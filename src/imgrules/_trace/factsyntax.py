"""Facts and constants in the language's own syntax, as explanations print them:
``tier(component: step2_ck, level: borderline)``, ``band(level: "mid")``, ``2026-11-22``.

A fact's ``str`` fields are quoted and its enum values bare, as a rule would write them;
without the record type (``schema`` or ``rtype`` absent) nothing is quoted.
"""

from __future__ import annotations

import datetime as dt
import json

from .. import _types as T
from .._semantics.render import explain_text
from .._semantics.values import Dur


def literal_text(value, quoted: bool = False) -> str:
    """A value as a constant of the language: ``true``, ``2026-11-22``, ``"text"`` when
    ``quoted`` (a ``str`` field), an enum value bare, lists in brackets."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Dur):
        return explain_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if quoted else value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [literal_text(v, quoted) for v in value]
        if isinstance(value, (set, frozenset)):
            return "{" + ", ".join(sorted(items)) + "}"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return fact_text(str(value.get("type", "record")), [(k, v) for k, v in value.items() if k != "type"])
    return str(value)


def _is_str_field(record, field: str) -> bool:
    spec = record.field(field) if record is not None else None
    return spec is not None and spec.type == T.STR


def fact_text(type_name: str, fields, schema=None, *, rtype=None) -> str:
    """A fact as the language writes it: ``type(field: value, ...)``. With the pack's
    ``schema`` (or the fact's record type ``rtype``), values of ``str`` fields are quoted
    (enum values never are); absent fields are left out."""
    record = rtype if rtype is not None else (schema.records.get(type_name) if schema is not None else None)
    inner = ", ".join(f"{k}: {literal_text(v, _is_str_field(record, k))}" for k, v in fields if v is not None)
    return f"{type_name}({inner})"
