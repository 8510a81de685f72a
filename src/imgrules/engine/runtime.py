"""The values generated rule code works on, and the helpers it calls.

Present values are plain Python: ``int``, ``float``, ``str`` (enum values too), ``bool``,
``datetime.date``, :class:`Dur`, lists, and records as :class:`Rec` (profile data, with a
lazily computed ``$.path``) or :class:`FactRec` (derived facts, keyed by type and fields).

A missing value, and an unknown truth value, is an :class:`Unk`: it carries references to
the missing input fields, so a rule that cannot be decided reports *which* facts are
missing (``needs_info``) without a second, tracing evaluation. Generated code tests
``type(x) is Unk`` (the fast path when nothing is missing costs one identity test).
"""

from __future__ import annotations

import datetime as dt
import math

from ..builtins import add_duration, add_months
from ..values import MISSING


class Rec(dict):
    """A record of the profile: a dict of its present fields plus where it sits.

    ``k`` is the identity used for refraction (an integer unique in a session),
    ``parent``/``pkey`` locate it: ``pkey`` is a field name or ``(field, index)``.
    """

    __slots__ = ("k", "parent", "pkey")

    def path(self) -> str:
        parts = []
        rec = self
        while rec.parent is not None:
            key = rec.pkey
            parts.append(f".{key[0]}[{key[1]}]" if isinstance(key, tuple) else f".{key}")
            rec = rec.parent
        return "$" + "".join(reversed(parts))


class FactRec(dict):
    """A derived fact: its fields by name; ``k`` = ``(type, values in field order)``."""

    __slots__ = ("k",)

    @property
    def type(self) -> str:
        return self.k[0]


class Dur(tuple):
    """A duration constant: ``(amount, unit)`` with unit day/week/month/year."""

    __slots__ = ()

    def __new__(cls, amount: int, unit: str):
        return tuple.__new__(cls, (amount, unit))

    def __getnewargs__(self):
        return tuple(self)


class Unk:
    """Missing / unknown. ``refs`` are ``(Rec, field)`` pairs or ready ``$.path`` strings."""

    __slots__ = ("refs",)

    def __init__(self, refs=()):
        self.refs = refs

    def __repr__(self) -> str:
        return f"Unk({self.paths()})"

    def paths(self) -> tuple[str, ...]:
        out = []
        for ref in self.refs:
            if isinstance(ref, str):
                out.append(ref)
            else:
                rec, field = ref
                out.append(f"{rec.path()}.{field}" if isinstance(rec, Rec) else f"{field}")
        return tuple(sorted(set(out)))


UNKNOWN = Unk(())
SHORT = 8  # a collection this short is scanned, not indexed (Session.probe)


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


def derived_record(fields: tuple, fk: tuple) -> FactRec:
    """The record of a newly derived fact ``fk = (type, values)``: its fields by name,
    those with no value (None) left out, and ``k`` set to its key."""
    values = fk[1]
    if None in values:
        rec = FactRec([(n, v) for n, v in zip(fields, values) if v is not None])
    else:
        rec = FactRec(zip(fields, values))
    rec.k = fk
    return rec


def split_matches(out: list) -> tuple[dict, dict]:
    """A rule's match list ``[(key, elems, truth)]`` split into the matches that hold
    (``key -> elems``) and the undecided ones (``key -> (elems, truth)``)."""
    holds: dict = {}
    undecided: dict = {}
    for key, elems, st in out:
        if st is True:
            holds[key] = elems
        else:
            undecided[key] = (elems, st)
    return holds, undecided


def merge(a, b):
    """The unknown result of combining two values of which at least one is unknown."""
    if type(a) is Unk:
        if type(b) is Unk:
            return Unk(a.refs + b.refs) if b.refs else a
        return a
    return b


def miss(obj, field):
    """The unknown value of ``obj.field`` when the field is absent."""
    if type(obj) is Rec:
        return Unk(((obj, field),))
    return UNKNOWN


def member(obj, field):
    """``obj.field`` for the rare cases generated code cannot inline (non-records)."""
    if type(obj) is Unk:
        return obj
    if isinstance(obj, dict):
        value = obj.get(field)
        return miss(obj, field) if value is None else value
    return UNKNOWN


def index(obj, i):
    if type(obj) is Unk:
        return obj
    if type(i) is Unk:
        return i
    try:
        return obj[i]
    except (IndexError, TypeError, KeyError):
        if isinstance(obj, list) and obj and isinstance(obj[0], Rec) and obj[0].parent is not None:
            owner = obj[0].parent
            return Unk((f"{owner.path()}.{obj[0].pkey[0]}[{i}]",))
        return UNKNOWN


def arith(op: str, a, b):
    """``a op b`` for numbers, and dates with durations (``date - date`` is days)."""
    if type(a) is Unk or type(b) is Unk:
        return merge(a, b)
    if isinstance(a, dt.date):
        if isinstance(b, Dur):
            return add_duration(a, b[0] if op == "+" else -b[0], b[1])
        if isinstance(b, dt.date) and op == "-":
            return (a - b).days
        return UNKNOWN
    if isinstance(b, dt.date) and isinstance(a, Dur) and op == "+":
        return add_duration(b, a[0], a[1])
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return UNKNOWN
    return a / b


def neg(a):
    return a if type(a) is Unk else -a


def contains(item, target):
    """``item in target`` for a runtime collection (list, set or frozenset)."""
    if type(item) is Unk or type(target) is Unk:
        return merge(item, target)
    return item in target


def in_range(item, low, high):
    if type(item) is Unk:
        return item
    result = True
    if low is not None:
        if type(low) is Unk:
            return low
        result = low <= item
    if result and high is not None:
        if type(high) is Unk:
            return high
        result = item <= high
    return result


def call(fn, *args):
    """A builtin call: unknown if any argument is unknown."""
    for arg in args:
        if type(arg) is Unk:
            refs = tuple(r for a in args if type(a) is Unk for r in a.refs)
            return Unk(refs)
    try:
        return fn(*args)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN


def coalesce(*args):
    refs = ()
    for arg in args:
        if type(arg) is not Unk and arg is not None and arg is not MISSING:
            return arg
        if type(arg) is Unk:
            refs += arg.refs
    return Unk(refs)


def tmonth(S, k: int):
    """The date ``T-k``: ``k`` months before the application date."""
    cache = S.tm
    value = cache.get(k)
    if value is None:
        app = S.root.get("application_date")
        value = UNKNOWN if app is None else add_months(app, -k)
        if app is None:
            value = Unk(((S.root, "application_date"),))
        cache[k] = value
    return value


def fsum_or_sum(values: list):
    """``sum`` that does not depend on the order of floats (determinism)."""
    if any(type(v) is float for v in values):
        return math.fsum(values)
    return sum(values)


def months_to_go(as_of: dt.date, app: dt.date) -> int:
    """The contract's phase: ``12*(app.year-as_of.year) + (app.month-as_of.month)``, minus 1
    when ``app.day < as_of.day`` (shared/spec/applicant-profile.md)."""
    months = 12 * (app.year - as_of.year) + (app.month - as_of.month)
    if app.day < as_of.day:
        months -= 1
    return months


def months_to_go_of(as_of, app) -> int | None:
    """:func:`months_to_go` when both are dates (a profile may give anything), else None."""
    if isinstance(as_of, dt.date) and isinstance(app, dt.date):
        return months_to_go(as_of, app)
    return None


def render_value(value) -> str:
    """How a value reads inside a message."""
    if type(value) is str:  # the usual case (enum values, ids, names)
        return value
    if type(value) is Unk:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Dur):
        amount, unit = value
        return f"{amount} {unit}{'' if amount == 1 else 's'}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Rec):
        return value.path()
    if isinstance(value, FactRec):
        return fact_text(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [render_value(v) for v in value]
        if isinstance(value, (set, frozenset)):
            items.sort()
        return ", ".join(items)
    return str(value)


def fact_text(fact: FactRec) -> str:
    inner = ", ".join(f"{k}: {render_value(v)}" for k, v in fact.items())
    return f"{fact.k[0]}({inner})"


def jsonable(value):
    """A value as JSON data: dates ISO, records by path, facts as objects."""
    t = type(value)
    if t is str or t is int or t is bool or t is float or value is None:
        return value
    if t is Unk:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Dur):
        return render_value(value)
    if isinstance(value, Rec):
        return value.path()
    if isinstance(value, FactRec):
        return {"type": value.k[0], **{k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=repr)
    return value


def key_of(value):
    """The refraction identity of a bound value."""
    k = getattr(value, "k", None) if isinstance(value, dict) else None
    return value if k is None else k


def mkset(*items):
    """A set built at run time: unknown if any item is unknown."""
    refs = ()
    for item in items:
        if type(item) is Unk:
            refs += item.refs
    if refs:
        return Unk(refs)
    return frozenset(items)
