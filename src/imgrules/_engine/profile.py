"""Profile data -> the engine's records (:class:`~.runtime.Rec`), shaped by the schema.

A *shape* is a compact, picklable description of the profile type:
``("rec", ((field, shape), ...), flat)``, ``("list", item_shape)`` (``("list", item_shape,
True)`` for an optional list field) or ``("val",)``, where ``flat`` is the set of field
names of a record of plain values only (else None). Absent fields stay absent (missing);
an absent list reads as :func:`~imgrules._semantics.collections.absent_list` says (``[]``,
or missing when the list is optional). Each record knows where it sits (its ``at``, see
:func:`~.runtime.path_at`; the records of a list share their list's place), so its
``$.path`` is computed only when a result needs it, and no record refers to the record
that holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain, filterfalse

from .. import _types as T
from .._semantics.collections import absent_list
from .runtime import Place, Rec

VAL = ("val",)
_DICT = frozenset((dict,))
_SHORT = 8  # a list this short is checked item by item (cheaper than _given_exactly)


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


def list_field(value, fshape, up, upk, field: str, ids) -> list | None:
    """The list field ``field`` of the record ``upk`` located by ``up`` (None, None: of the
    profile) from its data; None when the data leaves it out and the list is optional."""
    if value is None:
        value = absent_list(len(fshape) > 2)
        if value is None:
            return None
    return to_list(value, fshape[1], up, upk, field, ids)


class Ids:
    """A source of session-unique record identities (refraction keys): ``next`` is the
    next unused one. A list's records take a block of consecutive identities, so that an
    item's index follows from its identity (see :class:`~.runtime.Place`).

    ``handed_over``: the data is the session's to keep (see :func:`to_rec`)."""

    __slots__ = ("next", "handed_over")

    def __init__(self, start: int = 1, handed_over: bool = False):
        self.next = start
        self.handed_over = handed_over

    def take(self, n: int = 1) -> int:
        """The first of ``n`` identities, taken."""
        k = self.next
        self.next = k + n
        return k


def to_rec(data: Mapping, shape, at, k: int, ids, copy=False) -> Rec:
    """The record ``k`` located by ``at`` from its data: copied whole when it is given
    exactly (see :func:`_copyable`, which ``copy`` is when the caller knows it), else
    field by field.

    Data handed over to the session (``ids.handed_over``: checked by the profile check
    for this evaluation alone, which made its records as :class:`Rec`, of their own fields,
    with no null and with lists of their own) is taken as it is, not copied again."""
    if copy is False:
        copy = _copyable(shape)
    if copy is not None and type(data) is Rec and ids.handed_over:
        data.k = k
        data.at = at
        return data
    if copy is not None and type(data) is dict and copy[0].issuperset(data) and None not in data.values():
        rec = Rec(data)
        rec.k = k
        rec.at = at
        if copy[1]:
            _own_lists(rec, copy[1])
        return rec
    rec = Rec()
    rec.k = k
    rec.at = at
    fields = shape[1] if shape[0] == "rec" else ()
    get = data.get if type(data) is dict or isinstance(data, Mapping) else _none
    for name, fshape in fields:
        value = get(name)
        if fshape[0] == "list":
            items = list_field(value, fshape, at, k, name, ids)
            if items is not None:
                rec[name] = items
        elif value is not None:
            rec[name] = value if fshape[0] == "val" else to_value(value, fshape, at, k, name, ids)
    return rec


_COPYABLE: dict = {}  # id(shape) -> (shape, what _copyable says of it)


def _copyable(shape):
    """``(names, lists)`` when a record of ``shape`` holds plain values and lists of plain
    values only, so that a dict giving it exactly (of its own fields ``names``, no null)
    is copied whole, its list fields ``lists`` (``(name, optional)``) then made its own;
    None when it holds a record or a list of records (made field by field)."""
    if shape[0] != "rec":
        return None
    if shape[2] is not None:  # plain values only
        return shape[2], ()
    found = _COPYABLE.get(id(shape))
    if found is not None and found[0] is shape:
        return found[1]
    fields = shape[1]
    plain = all(f == VAL or (f[0] == "list" and f[1] == VAL) for _, f in fields)
    copy = None
    if plain:
        copy = (frozenset(n for n, _ in fields), tuple((n, len(f) > 2) for n, f in fields if f != VAL))
    if len(_COPYABLE) >= 1024:  # a process that compiles many packs
        _COPYABLE.clear()
    _COPYABLE[id(shape)] = (shape, copy)  # the shape kept: its id is not reused meanwhile
    return copy


def _own_lists(rec: Rec, lists: tuple) -> None:
    """The list fields of a copied record as :func:`to_list` makes them: a list of its
    own, or what :func:`absent_list` says for one left out."""
    for name, optional in lists:
        value = rec.get(name)
        if value is not None:
            rec[name] = list(value)
        elif not optional:
            rec[name] = []


def _none(name):
    return None


def _given_exactly(values: list, names: frozenset) -> bool:
    """Whether every item is a dict of plain values given exactly: only the record's own
    fields, and no null (a null value is not taken as a present field). One pass of each
    test over the whole list, each in C."""
    if not set(map(type, values)) <= _DICT or not names.issuperset(set().union(*values)):
        return False
    # only a falsy value can be None: the others are not compared
    return None not in filterfalse(None, chain.from_iterable(map(dict.values, values)))


def to_list(values, item_shape, up, upk, field: str, ids) -> list:
    """The list ``field`` of the record ``upk`` located by ``up`` from its data."""
    if item_shape[0] == "rec":
        if type(values) is not list:
            values = list(values)
        if not values:
            return []
        base = ids.take(len(values))
        place = Place(up, upk, field, base)
        copy = _copyable(item_shape)
        k = base
        if copy is not None and len(values) > _SHORT and _given_exactly(values, copy[0]):
            # records of plain values given exactly are copied whole
            out = list(map(Rec, values))
            for rec in out:
                rec.k = k
                rec.at = place
                k += 1
            if copy[1]:
                for rec in out:
                    _own_lists(rec, copy[1])
            return out
        out = []
        for v in values:
            out.append(to_rec(v, item_shape, place, k, ids, copy))
            k += 1
        return out
    if item_shape[0] == "list":
        return [to_list(v or [], item_shape[1], up, upk, field, ids) for v in values]
    return list(values)


def to_value(value, shape, up, upk, field: str, ids):
    """The field ``field`` of the record ``upk`` located by ``up`` from its data."""
    if shape[0] == "rec":
        return to_rec(value, shape, (up, upk, field), ids.take(), ids)
    if shape[0] == "list":
        return to_list(value, shape[1], up, upk, field, ids)
    return value


def to_item(value, item_shape, lst: list, field: str, i: int, ids):
    """The item ``i`` of the profile's list ``field`` (now ``lst``) from its data, for an
    insert or an update: a record takes the list's place."""
    if item_shape[0] == "rec":
        k = ids.take()
        first = lst[0] if lst else None
        place = first.at if type(first) is Rec else Place(None, None, field, k - i)
        place.put(k, i)
        return to_rec(value, item_shape, place, k, ids)
    if item_shape[0] == "list":
        return to_list(value or [], item_shape[1], None, None, field, ids)
    return value


def field_shape(shape, name: str):
    for fname, fshape in shape[1]:
        if fname == name:
            return fshape
    return None
