"""The profile as a JSON Schema (draft 2020-12), for editors and other tools.

Generated from the same :class:`imgrules._types.Schema` the profile loader validates
against (:mod:`imgrules._facts.validate`), so the two agree: a field the loader requires
is ``required``; an optional field also accepts ``null`` (which the loader reads as
absent); a list field may be left out or ``null`` (a required list reads as ``[]``, an
optional one as missing); unknown fields are refused; dates are ``YYYY-MM-DD`` text in the loader's years; numbers, text and lists keep the loader's
size limits and the bounds a field declares (``in lo..hi``, ``size lo..hi``,
``matches``). Each field's doc comment in the pack is its ``description``.

What JSON Schema cannot say is said in the description instead: a date range
(``in 2000-01-01..``) and a field that may not be below another (``in start..``).
``as_of`` is not required at the top: the loader fills in today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .. import ast
from .. import _types as T
from .._comments import DocComments
from .sizes import DATE_FIRST, DATE_LAST, FLOAT_LIMIT, INT_LIMIT, MAX_ITEMS, MAX_TEXT

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _date_pattern(first: dt.date, last: dt.date) -> str:
    """YYYY-MM-DD with the years the loader accepts, when they are whole centuries."""
    if (first.month, first.day, last.month, last.day) != (1, 1, 12, 31) \
            or first.year % 100 or last.year % 100 != 99:
        return r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    centuries = "|".join(f"{c:02d}" for c in range(first.year // 100, last.year // 100 + 1))
    return rf"^(?:{centuries})[0-9]{{2}}-[0-9]{{2}}-[0-9]{{2}}$"


DATE_PATTERN = _date_pattern(DATE_FIRST, DATE_LAST)

FieldDocs = Mapping[tuple[str, str], str]  # (record name or "profile", field) -> doc comment


def field_docs(packs: Iterable[ast.Pack], sources: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """The doc comment of every field and record of ``packs`` (``(record, "")`` for a record)."""
    docs: dict[tuple[str, str], str] = {}
    for pack in packs:
        source = sources.get(pack.path)
        if source is None:
            continue
        comments = DocComments(pack, source.text)
        for decl in pack.declarations:
            if isinstance(decl, (ast.RecordDecl, ast.EnumDecl)):
                owner = "profile" if getattr(decl, "kind", "") == "profile" else decl.name.text
                docs.setdefault((owner, ""), comments.doc_comment(decl))
                for field in getattr(decl, "fields", ()):
                    docs.setdefault((owner, field.name.text), comments.doc_comment(field))
    return docs


def profile_json_schema(schema: T.Schema, docs: FieldDocs | None = None, title: str = "",
                        schema_id: str | None = None) -> dict:
    """The JSON Schema of a profile; raises ValueError when the packs declare no profile."""
    if schema.profile is None:
        raise ValueError("the rule packs declare no profile { ... }")
    builder = _Builder(docs or {})
    root = builder.record(schema.profile, top=True)
    out: dict[str, Any] = {"$schema": DIALECT}
    if schema_id:
        out["$id"] = schema_id
    if title:
        out["title"] = title
    out.update(root)
    if builder.defs:
        out["$defs"] = dict(sorted(builder.defs.items()))
    return out


class _Builder:
    def __init__(self, docs: FieldDocs):
        self.docs = docs
        self.defs: dict[str, dict] = {}

    def record(self, record: T.RecordType, top: bool = False) -> dict:
        properties: dict[str, dict] = {}
        required: list[str] = []
        for field in record.fields:
            prop = self.field(record, field)
            properties[field.name] = prop
            if not field.optional and not _empty_ok(field) and not (top and field.name == "as_of"):
                required.append(field.name)
        out: dict[str, Any] = {"type": "object"}
        doc = self.docs.get((record.name, ""), "")
        if doc:
            out["description"] = doc
        out["properties"] = properties
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out

    def field(self, record: T.RecordType, field: T.Field) -> dict:
        limits = field.limits
        notes = []
        if isinstance(field.type, T.ListType):
            value = {"type": "array", "items": self.value(field.type.item, limits, notes),
                     "maxItems": MAX_ITEMS}
            if limits.size_low is not None:
                value["minItems"] = limits.size_low
            if limits.size_high is not None:
                value["maxItems"] = min(limits.size_high, MAX_ITEMS)
            nullable = _empty_ok(field)  # optional, or null and absent read as [] and that may be empty
        else:
            value = self.value(field.type, limits, notes)
            nullable = field.optional
        if limits.after is not None:
            notes.append(f"not before {limits.after}")
        if limits.unique is not None:
            notes.append(f"no two items have the same {limits.unique}")
        doc = self.docs.get((record.name, field.name), "")
        description = "; ".join(p for p in (doc, *notes) if p)
        if nullable:
            value = {"anyOf": [value, {"type": "null"}]}
        if description:
            value = {"description": description, **value}
        return value

    def value(self, typ: T.Type, limits: T.Limits, notes: list[str]) -> dict:
        if isinstance(typ, T.RecordType):
            if typ.name not in self.defs:
                self.defs[typ.name] = {}  # a placeholder: records may refer to each other
                self.defs[typ.name] = self.record(typ)
            return {"$ref": f"#/$defs/{typ.name}"}
        if isinstance(typ, T.EnumType):
            if typ.name not in self.defs:
                enum: dict[str, Any] = {"type": "string", "enum": list(typ.values)}
                doc = self.docs.get((typ.name, ""), "")
                self.defs[typ.name] = {"description": doc, **enum} if doc else enum
            return {"$ref": f"#/$defs/{typ.name}"}
        if typ == T.INT:
            return {"type": "integer", **self.bounds(limits, -INT_LIMIT, INT_LIMIT)}
        if typ == T.FLOAT:
            return {"type": "number", **self.bounds(limits, -FLOAT_LIMIT, FLOAT_LIMIT)}
        if typ == T.BOOL:
            return {"type": "boolean"}
        if typ == T.STR:
            out: dict[str, Any] = {"type": "string", "maxLength": MAX_TEXT}
            if limits.pattern is not None:
                out["pattern"] = f"^(?:{limits.pattern})$"
            return out
        if typ == T.DATE:
            if limits.low is not None:
                notes.append(f"on or after {_iso(limits.low)}")
            if limits.high is not None:
                notes.append(f"on or before {_iso(limits.high)}")
            return {"type": "string", "format": "date", "pattern": DATE_PATTERN}
        return {"not": {}}  # durations and the like cannot be given in a profile

    @staticmethod
    def bounds(limits: T.Limits, floor, ceiling) -> dict:
        low = floor if limits.low is None else max(limits.low, floor)
        high = ceiling if limits.high is None else min(limits.high, ceiling)
        return {"minimum": low, "maximum": high}


def _empty_ok(field: T.Field) -> bool:
    """Whether a field may be left out or null: optional, or a list that may be empty."""
    return field.optional or isinstance(field.type, T.ListType) and not field.limits.size_low


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
