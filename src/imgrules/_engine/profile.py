"""Profile data -> the engine's records (:class:`~.runtime.Rec`), shaped by the schema.

A *shape* is a compact, picklable description of the profile type:
``("rec", ((field, shape), ...), flat)``, ``("list", item_shape)`` (``("list", item_shape,
True)`` for an optional list field) or ``("val",)``, where ``flat`` is the set of field
names of a record of plain values only (else None). Absent fields stay absent (missing);
an absent list reads as :func:`~imgrules._semantics.collections.absent_list` says (``[]``,
or missing when the list is optional). Each record knows its parent and key, so its
``$.path`` is computed only when a result needs it.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from .. import _types as T
from .._semantics.collections import absent_list
from .runtime import Rec

VAL = ("val",)

# The parent of the profile's own fields: it stands for the root (its path is ``$``). A
# reference to the root itself would make every record part of a reference cycle
# (root -> list -> record -> root), freed only by the garbage collector.
TOP = Rec()
TOP.k, TOP.parent, TOP.pkey = 0, None, None


def shape_of(t: T.Type, depth: int = 0):
    if depth > 32:
        return VAL
    if isinstance(t, T.RecordType):
        fields = tuple((f.name, _field_shape(f, depth + 1)) for f in t.fields)
        flat = frozenset(n for n, _ in fields) if all(f == VAL for _, f in fields) else None
        return ("rec", fields, flat)
    if isinstance(t, T.ListType):
        return ("list", shape_of(t.item, depth + 1))
    return VAL


def _field_shape(field: T.Field, depth: int):
    shape = shape_of(field.type, depth)
    return ("list", shape[1], True) if field.optional and shape[0] == "list" else shape


def list_field(value, fshape, owner: Rec, field: str, ids) -> list | None:
    """The list field ``field`` of ``owner`` from its data; None when the data leaves it
    out and the list is optional (missing)."""
    if value is None:
        value = absent_list(len(fshape) > 2)
        if value is None:
            return None
    return to_list(value, fshape[1], owner, field, ids)


def ids(start: int = 1):
    """A source of session-unique record identities (refraction keys): a callable giving
    ``start``, ``start + 1``, ... (a C-level counter: one is called per record)."""
    return itertools.count(start).__next__


def to_rec(data: Mapping, shape, parent, pkey, ids) -> Rec:
    rec = Rec()
    rec.k = ids()
    rec.parent = parent
    rec.pkey = pkey
    fields = shape[1] if shape[0] == "rec" else ()
    get = data.get if type(data) is dict or isinstance(data, Mapping) else _none
    for name, fshape in fields:
        value = get(name)
        if fshape[0] == "list":
            items = list_field(value, fshape, rec, name, ids)
            if items is not None:
                rec[name] = items
        elif value is not None:
            rec[name] = value if fshape[0] == "val" else to_value(value, fshape, rec, name, ids)
    return rec


def _none(name):
    return None


def to_list(values, item_shape, owner: Rec, field: str, ids) -> list:
    if item_shape[0] == "rec":
        names = item_shape[2]
        if names is None:
            return [to_rec(v, item_shape, owner, (field, i), ids) for i, v in enumerate(values)]
        out = []
        for i, v in enumerate(values):
            # a record of plain values given exactly (no other keys, no nulls) is copied
            # whole; anything else field by field
            if type(v) is dict and v.keys() <= names and None not in v.values():
                rec = Rec(v)
                rec.k = ids()
                rec.parent = owner
                rec.pkey = (field, i)
            else:
                rec = to_rec(v, item_shape, owner, (field, i), ids)
            out.append(rec)
        return out
    if item_shape[0] == "list":
        return [to_list(v or [], item_shape[1], owner, field, ids) for v in values]
    return list(values)


def to_value(value, shape, parent, key, ids):
    if shape[0] == "rec":
        return to_rec(value, shape, parent, key, ids)
    if shape[0] == "list":
        return to_list(value, shape[1], parent, key, ids)
    return value


def field_shape(shape, name: str):
    for fname, fshape in shape[1]:
        if fname == name:
            return fshape
    return None
