"""The engine's records and the helpers generated rule code calls.

Profile data lives in :class:`Rec` records (a dict of the present fields that knows its
``$.path``), derived facts in :class:`FactRec` (keyed by type and field values). Values
and their operations are the language's, from :mod:`imgrules._semantics`; this module
adds only what is about the session's records: where a missing field is (:func:`miss`),
``T-k`` dates cached per phase, refraction keys, firings.
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter

from .._builtins import add_months
from .._semantics import collections as agg
from .._semantics.ops import arith, call, choose, coalesce, compare, contains, in_range, make_set, map_get
from .._semantics.ops import index as _index
from .._semantics.render import json_value as jsonable
from .._semantics.tables import cell_truth
from .._semantics.render import message_text as render_value
from .._semantics.values import UNKNOWN, Dur, Unk, as_float, merge, months_to_go


class Rec(dict):
    """A record of the profile: a dict of its present fields plus where it sits.

    ``k`` is the identity used for refraction (an integer unique in a session); ``at``
    locates it (see :func:`path_at`) without referring to the record that holds it, so
    that records are freed by reference counting alone.
    """

    __slots__ = ("k", "at")

    def path(self) -> str:
        return path_at(self.at, self.k)


def path_at(at, k) -> str:
    """The ``$.path`` of the record ``k`` located by ``at``: None for the profile itself
    (``$``), a :class:`Place` for an item of a list, or ``(up, upk, name)`` for the record
    in the field ``name`` of the record ``upk`` located by ``up``."""
    if at is None:
        return "$"
    if type(at) is tuple:
        up, upk, name = at
        return f"{path_at(up, upk)}.{name}"
    return at.path_of(k)


class Place:
    """Where a profile list of records sits: the field ``name`` of the record ``upk``
    located by ``up`` (see :func:`path_at`), and where each of its records is in it.

    The records of a list share their list's place, and an item's index is ``k - base``,
    its identity less the first identity the list took, unless ``moved`` (identity ->
    index) says otherwise, after an insert, a retract or an update.
    """

    __slots__ = ("up", "upk", "name", "base", "moved")

    def __init__(self, up, upk, name: str, base: int):
        self.up = up
        self.upk = upk
        self.name = name
        self.base = base
        self.moved = None

    def path(self) -> str:
        """The ``$.path`` of the list itself."""
        return f"{path_at(self.up, self.upk)}.{self.name}"

    def path_of(self, k) -> str:
        """The ``$.path`` of its record ``k``."""
        moved = self.moved
        i = moved[k] if moved is not None and k in moved else k - self.base
        return f"{self.path()}[{i}]"

    def put(self, k, i: int) -> None:
        """The record ``k`` is now the item ``i`` of this list."""
        moved = self.moved
        if k - self.base != i:
            if moved is None:
                moved = self.moved = {}
            moved[k] = i
        elif moved is not None:
            moved.pop(k, None)

    def moved_up(self, items: list, start: int) -> None:
        """The records ``items[start:]`` of this list moved: each is now at its index."""
        moved = self.moved
        if moved is None:
            moved = self.moved = {}
        moved.update(zip(map(_K, items[start:]), range(start, len(items))))

    def drop(self, k) -> None:
        """The record ``k`` left this list."""
        if self.moved is not None:
            self.moved.pop(k, None)


_K = attrgetter("k")


class FactRec(dict):
    """A derived fact: its fields by name; ``k`` = ``(type, values in field order)``. On
    the first run, ``j`` is the log entry that derived it when that firing binds nothing
    and no other firing derives it too, else -1 (see ``build._Builder.derived``)."""

    __slots__ = ("k", "j")

    @property
    def type(self) -> str:
        return self.k[0]


RULE, TABLE, MILESTONE, RECURSIVE = range(4)  # the kinds of a first-run step (Calls.plan)
HOLDS = 4  # a rule whose gates decided that its condition holds (Calls.gate_steps)
# the kinds of a deadline or window (Calls.MS): in months, or anchored on dates
WINDOW_IN_MONTHS, DEADLINE_IN_MONTHS, DATED = range(3)

SHORT = 8  # a collection this short is scanned, not indexed (Session.join_index)


class Firing:
    """One rule firing: rule idx, binding key, bound elements, action outputs. ``cache``
    holds its built findings (see :mod:`.build`) while they stay valid."""

    __slots__ = ("rule", "key", "elems", "outputs", "seq", "cache")

    def __init__(self, rule, key, elems, outputs, seq):
        self.rule = rule
        self.key = key
        self.elems = elems
        self.outputs = outputs
        self.seq = seq
        self.cache = None


def derived_record(fields: tuple, fk: tuple, j: int = -1) -> FactRec:
    """The record of a newly derived fact ``fk = (type, values)``: its fields by name,
    those with no value (None) left out, ``k`` set to its key and ``j`` to the first-run
    log entry that derived it (see :class:`FactRec`; -1: none to share it by)."""
    values = fk[1]
    if None in values:
        rec = FactRec([(n, v) for n, v in zip(fields, values) if v is not None])
    else:
        rec = FactRec(zip(fields, values))
    rec.k = fk
    rec.j = j
    return rec


def log_supports(log: list, firing_at) -> dict:
    """Derived fact key -> ``{(rule idx, key): firing_at(j)}``: what supports each fact
    derived by the first run's log (entries ``(rule idx, key, elements, outputs)``)."""
    supports: dict = {}
    for j, (i, key, _, outputs) in enumerate(log):
        for o in outputs:
            if o[0] == "derive":
                fk = (o[1], o[2])
                by = supports.get(fk)
                if by is None:
                    by = supports[fk] = {}
                by[(i, key)] = firing_at(j)
    return supports


def split_matches(out: list) -> tuple[dict, dict]:
    """A rule's match list ``[(key, elems, truth, outputs)]`` split into the matches that
    hold (``key -> (elems, outputs)``) and the undecided ones (``key -> (elems, truth)``)."""
    holds: dict = {}
    undecided: dict = {}
    for key, elems, st, outputs in out:
        if st is True:
            holds[key] = (elems, outputs)
        else:
            undecided[key] = (elems, st)
    return holds, undecided


def miss(obj, field):
    """The unknown value of ``obj.field`` when the field is absent. A field of the profile
    itself (a record placed nowhere: ``$``), or of a record in a field of the profile
    (placed ``(None, None, name)``: ``$.name``), is missing at the same path whatever the
    profile, so its unknown, path made, is shared (values are immutable). A record in a
    list names itself, and its path is made only when a result needs it."""
    if type(obj) is Rec:
        at = obj.at
        if at is None:
            key = field
        elif type(at) is tuple and at[0] is None:
            key = (at[2], field)
        else:
            return Unk(((obj, field),))
        found = _FIXED_MISSING.get(key)
        if found is None:
            found = Unk((f"{path_at(at, None)}.{field}",))
            if len(_FIXED_MISSING) < 4096:  # a process that compiles many packs
                _FIXED_MISSING[key] = found
        return found
    return UNKNOWN


# the unknowns of missing fields at fixed paths (see miss), by field name or (field of the
# profile, field): names come from compiled packs' schemas, and the table stops growing at
# 4,096 of them
_FIXED_MISSING: dict = {}


def member(obj, field):
    """``obj.field`` for the rare cases generated code cannot inline (non-records)."""
    if type(obj) is Unk:
        return obj
    if isinstance(obj, dict):
        value = obj.get(field)
        return miss(obj, field) if value is None else value
    return UNKNOWN


def index(obj, i):
    """``obj[i]``; past the end of a profile list, the missing element's ``$.path`` (made
    only then)."""
    value = _index(obj, i)
    if value is UNKNOWN and type(i) is not Unk and isinstance(obj, list) and obj and type(obj[0]) is Rec:
        at = obj[0].at
        if type(at) is Place:
            return _index(obj, i, f"{at.path()}[{i}]")
    return value


def tmonth(S, k: int):
    """The date ``T-k``: ``k`` months before the application date (cached in ``S.tm``:
    see :func:`phase_caches`)."""
    cache = S.tm
    value = cache.get(k)
    if value is None:
        app = S.root.get("application_date")
        if app is None:
            value = Unk(((S.root, "application_date"),))
        else:
            value = add_months(app, -k)
        cache[k] = value
    return value


# the phases a network keeps caches for (see phase_caches); emptied when it holds more
_PHASES = 256


def phase_caches(calls, mtg, app) -> tuple[dict, dict | None]:
    """A session's ``T-k`` dates (``k -> date``, see :func:`tmonth`) and the states of its
    deadlines and windows that depend on the phase only (see ``build.milestone_status``),
    for the months to go ``mtg`` (None: unknown) and the application date ``app``.

    Both depend on nothing else, so when ``app`` is a date they are shared by the
    sessions of the network (``calls.phases``) that evaluate profiles of the same phase;
    otherwise the dates are the session's own (a missing date is an unknown naming the
    session's record) and no state is shared."""
    if type(app) is not dt.date:
        return {}, None
    phases = calls.phases
    key = (mtg, app)
    found = phases.get(key)
    if found is None:
        if len(phases) >= _PHASES:
            phases.clear()
        dates = phases.get(app)
        if dates is None:
            dates = phases[app] = {}
        found = phases[key] = (dates, None if mtg is None else {})
    return found


def key_of(value):
    """The refraction identity of a bound value."""
    k = getattr(value, "k", None) if isinstance(value, dict) else None
    return value if k is None else k


# the types of the values a hash join looks up in its index (Session.join_index): hashable,
# and equal only to values of these types (as ``==`` is in the language)
PLAIN_KEYS = frozenset({str, int, float, bool, dt.date})

# what generated code calls, by the names compile.symbols.RUNTIME reserves for them
HELPERS = {
    "Unk": Unk, "UNKNOWN": UNKNOWN, "merge": merge, "miss": miss, "member": member,
    "index": index, "arith": arith, "compare": compare, "contains": contains,
    "in_range": in_range, "call": call, "coalesce": coalesce, "map_get": map_get,
    "tmonth": tmonth, "render_value": render_value, "key_of": key_of, "make_set": make_set,
    "agg": agg, "cell_truth": cell_truth, "choose": choose, "PLAIN_KEYS": PLAIN_KEYS,
    "as_float": as_float,
}

__all__ = ["HELPERS", "SHORT", "Dur", "FactRec", "Firing", "Place", "Rec", "UNKNOWN", "Unk",
           "derived_record", "jsonable", "merge", "miss", "months_to_go",
           "render_value", "split_matches", "tmonth"]
