"""What an evaluation returns: findings and derived facts, each with its provenance.

Frozen attrs classes; :meth:`Results.to_json` gives the output contract of
``shared/spec/applicant-profile.md`` ("Output contract"), as does :func:`converter`:
dates as ISO strings, keys in a stable order.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import attrs

from ._gcpause import paused_gc

SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
URGENT = ("overdue", "due")


@attrs.frozen
class FactRef:
    """A derived fact named by type and fields (how provenance points at facts)."""

    type: str
    fields: tuple[tuple[str, Any], ...]

    def text(self) -> str:
        inner = ", ".join(f"{k}: {_show(v)}" for k, v in self.fields)
        return f"{self.type}({inner})"


@attrs.frozen
class Provenance:
    """Why something holds: the rule (and where it is written), the input paths it matched,
    the derived facts it rests on (each a :class:`DerivedFact` with its own provenance, so
    this is a derivation tree), the variable bindings, and the guidance it cites."""

    rule: str
    pack: str
    file: str
    line: int
    matched: tuple[str, ...] = ()
    rests_on: tuple[DerivedFact, ...] = ()
    # a binding's value is JSON data (a fact is a dict): compared, not hashed
    bindings: tuple[tuple[str, Any], ...] = attrs.field(default=(), hash=False)
    cite: tuple[str, ...] = ()


@attrs.frozen
class DerivedFact:
    type: str
    fields: tuple[tuple[str, Any], ...]
    provenance: tuple[Provenance, ...] = ()

    def get(self, name: str, default=None):
        for k, v in self.fields:
            if k == name:
                return v
        return default

    @property
    def ref(self) -> FactRef:
        return FactRef(self.type, self.fields)


@attrs.frozen
class Finding:
    kind: str  # flag | recommendation | reminder | needs_info | milestone | window
    rule: str
    message: str
    severity: str | None = None
    status: str | None = None  # deadlines: done|upcoming|due|overdue; windows: upcoming|active|past
    due_date: dt.date | None = None
    cite: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    provenance: Provenance | None = None
    missing: tuple[str, ...] = ()
    title: str = ""
    priority: int | None = None
    # a rule's `with {name: value}`: (name, value) pairs as written; an unknown value is None
    data: tuple[tuple[str, Any], ...] = ()

    def sort_key(self) -> tuple:
        prov = self.provenance
        return (0 if self.status in URGENT else 1,
                SEVERITY_RANK.get(self.severity or "", 5),
                self.due_date or dt.date.max,
                self.rule,
                -(self.priority or 0),
                self.message,
                prov.matched if prov else (),
                tuple(repr(b) for b in prov.bindings) if prov else ())


class _AsPlain:
    """For a lazily built or shared result that stands for a plain one of the attrs class
    ``_PLAIN`` (``plain()``): it compares, hashes, prints, copies and pickles as that plain
    value, and constructing it (as ``attrs.evolve`` does) makes a plain one."""

    __slots__ = ()
    _PLAIN: type

    def __new__(cls, *args, **kwargs):
        return cls._PLAIN(*args, **kwargs)

    def plain(self):
        plain = self._PLAIN
        return plain(**{a.name: getattr(self, a.name) for a in attrs.fields(plain)})

    def __eq__(self, other):
        mine = self.plain()
        if not isinstance(other, type(mine)):
            return NotImplemented
        return mine == (other.plain() if isinstance(other, _AsPlain) else other)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self.plain())

    def __repr__(self) -> str:
        return repr(self.plain())

    def __reduce__(self):
        return self.plain().__reduce__()

    def __copy__(self):
        return self.plain()

    def __deepcopy__(self, memo):
        import copy

        return copy.deepcopy(self.plain(), memo)


_FINDING_SLOTS = {a.name: Finding.__dict__[a.name] for a in attrs.fields(Finding)}
_PROVENANCE_SLOT = _FINDING_SLOTS["provenance"]


def _item(i: int, of: str):
    def get(self):
        return object.__getattribute__(self, of)[i]
    return property(get)


class LazyFinding(_AsPlain, Finding):
    """The :class:`Finding` of a rule firing, read from what the firing recorded:
    ``output`` (kind, severity, message, data) and the rule's ``about`` (id, cites,
    covers, title, priority). What callers read most (kind, rule, severity, message) are
    plain attributes; the rest is read from those two tuples, and the provenance is built
    when first read (by ``builder.provenance(firing)``). It compares, hashes, prints
    and pickles as the plain :class:`Finding` it stands for."""

    __slots__ = ("_output", "_about", "_builder", "_firing", "_json")  # _json: see finding_json

    _PLAIN = Finding

    @classmethod
    def make(cls, output: tuple, about: tuple, builder, firing):
        self = object.__new__(cls)
        _SET_KIND(self, output[0])
        _SET_SEVERITY(self, output[1])
        _SET_MESSAGE(self, output[2])
        _SET_RULE(self, about[0])
        _SET_OUTPUT(self, output)
        _SET_ABOUT(self, about)
        _SET_BUILDER(self, builder)
        _SET_FIRING(self, firing)
        _SET_LAZY_JSON(self, None)
        return self

    data = _item(3, "_output")
    cite = _item(1, "_about")
    covers = _item(2, "_about")
    title = _item(3, "_about")
    priority = _item(4, "_about")
    status = property(lambda self: None)
    due_date = property(lambda self: None)
    missing = property(lambda self: ())

    @property
    def provenance(self):
        builder = _GET_BUILDER(self)
        if builder is None:  # built
            return _PROVENANCE_SLOT.__get__(self, Finding)
        value = builder.provenance(self._firing)
        _PROVENANCE_SLOT.__set__(self, value)
        _SET_BUILDER(self, None)
        return value


class MilestoneFinding(_AsPlain, Finding):
    """The :class:`Finding` of a deadline or window, read from its ``state`` (status, due
    date, missing paths, message) and the declaration's ``about`` (kind, id, severity,
    cites, covers, provenance, title, priority): the same for every profile but the
    state. Kind, rule, severity, status and message are plain attributes. Compares,
    hashes, prints and pickles as a plain Finding."""

    __slots__ = ("_state", "_about", "_json")  # _json: see finding_json

    _PLAIN = Finding

    @classmethod
    def make(cls, state: tuple, about: tuple):
        self = object.__new__(cls)
        _SET_KIND(self, about[0])
        _SET_RULE(self, about[1])
        _SET_SEVERITY(self, about[2])
        _SET_STATUS(self, state[0])
        _SET_MESSAGE(self, state[3])
        _SET_STATE(self, state)
        _SET_MILESTONE(self, about)
        _SET_MILESTONE_JSON(self, None)
        return self

    due_date = _item(1, "_state")
    missing = _item(2, "_state")
    cite = _item(3, "_about")
    covers = _item(4, "_about")
    provenance = _item(5, "_about")
    title = _item(6, "_about")
    priority = _item(7, "_about")
    data = property(lambda self: ())


_SET_STATE, _SET_MILESTONE, _SET_MILESTONE_JSON = (
    MilestoneFinding.__dict__[n].__set__ for n in ("_state", "_about", "_json"))

_SET_KIND, _SET_RULE, _SET_SEVERITY, _SET_MESSAGE, _SET_STATUS = (
    _FINDING_SLOTS[n].__set__ for n in ("kind", "rule", "severity", "message", "status"))

_SET_OUTPUT, _SET_ABOUT, _SET_BUILDER, _SET_FIRING, _SET_LAZY_JSON = (
    LazyFinding.__dict__[n].__set__ for n in ("_output", "_about", "_builder", "_firing", "_json"))
_GET_BUILDER = LazyFinding.__dict__["_builder"].__get__


_FACT_SLOTS = {a.name: DerivedFact.__dict__[a.name] for a in attrs.fields(DerivedFact)}


class LazyDerivedFact(_AsPlain, DerivedFact):
    """A :class:`DerivedFact` whose provenance (its derivation trees) is built when first
    read (by ``builder.fact_provenance(key)``); its type and fields are plain attributes.
    It compares, hashes, prints and pickles as the plain :class:`DerivedFact` it stands for."""

    __slots__ = ("_builder", "_key")

    _PLAIN = DerivedFact

    @classmethod
    def make(cls, builder, key, type_: str, fields: tuple):
        self = object.__new__(cls)
        _SET_TYPE(self, type_)
        _SET_FIELDS(self, fields)
        _SET_FACT_BUILDER(self, builder)
        _SET_FACT_KEY(self, key)
        return self

    @property
    def provenance(self):
        builder = _GET_FACT_BUILDER(self)
        if builder is None:  # built
            return _FACT_PROVENANCE.__get__(self, DerivedFact)
        value = builder.fact_provenance(self._key)
        _FACT_PROVENANCE.__set__(self, value)
        _SET_FACT_BUILDER(self, None)
        return value


class SharedDerivedFact(_AsPlain, DerivedFact):
    """A :class:`DerivedFact` that the engine shares between evaluations (one derivation,
    by a firing that binds nothing: the same for every profile), with what
    :func:`_derived` copies its JSON from kept on it. Its attributes are plain; it
    compares, hashes, prints and pickles as the plain :class:`DerivedFact` it stands for."""

    __slots__ = ("_json",)

    _PLAIN = DerivedFact

    @classmethod
    def make(cls, type_: str, fields: tuple, provenance: tuple):
        self = object.__new__(cls)
        _SET_TYPE(self, type_)
        _SET_FIELDS(self, fields)
        _FACT_PROVENANCE.__set__(self, provenance)
        _SET_SHARED_JSON(self, None)
        return self


_SET_TYPE, _SET_FIELDS = _FACT_SLOTS["type"].__set__, _FACT_SLOTS["fields"].__set__
_SET_SHARED_JSON = SharedDerivedFact.__dict__["_json"].__set__
_FACT_PROVENANCE = _FACT_SLOTS["provenance"]
_SET_FACT_BUILDER, _SET_FACT_KEY = (LazyDerivedFact.__dict__[n].__set__ for n in ("_builder", "_key"))
_GET_FACT_BUILDER = LazyDerivedFact.__dict__["_builder"].__get__


@attrs.frozen
class Undecided:
    """A rule whose condition needs facts the profile lacks."""

    rule: str
    missing: tuple[str, ...]
    bindings: tuple[tuple[str, Any], ...] = attrs.field(default=(), hash=False)  # as Provenance's
    file: str = ""
    line: int = 0


@attrs.frozen
class Results:
    as_of: dt.date | None
    application_date: dt.date | None
    months_to_go: int | None
    packs: tuple[tuple[str, str | None], ...]
    derived: tuple[DerivedFact, ...]
    findings: tuple[Finding, ...]
    undecided: tuple[Undecided, ...] = ()
    violations: tuple[str, ...] = ()  # invariants that do not hold

    def facts(self, type_: str) -> list[DerivedFact]:
        return [f for f in self.derived if f.type == type_]

    def fired(self, rule: str) -> bool:
        return any(f.rule == rule for f in self.findings) or any(
            p.rule == rule for d in self.derived for p in d.provenance)

    def finding(self, rule: str) -> Finding | None:
        for f in self.findings:
            if f.rule == rule:
                return f
        return None

    def to_json(self) -> dict:
        """The output contract (what ``converter().unstructure(self)`` gives, without
        importing cattrs on the evaluation path)."""
        with paused_gc():  # hundreds of dicts and lists, all kept by the caller
            return _results(self)


_LAZY = ("derived", "findings", "undecided")


class LazyResults(Results):
    """:class:`Results` whose derived facts, findings and undecided rules are built on first
    access (by ``build(name)``), so an evaluation whose caller reads only some of them does
    not pay for the rest. It behaves as a :class:`Results`: same attributes, equality,
    hash and repr, and it pickles (and evolves) as a plain :class:`Results`.
    """

    __slots__ = ("_build", "_derived", "_findings", "_undecided")

    def __init__(self, *args, _build=None, **eager):
        if _build is None:  # all values given, as for Results (attrs.evolve)
            plain = Results(*args, **eager)
            eager = {a.name: getattr(plain, a.name) for a in attrs.fields(Results)}
        object.__setattr__(self, "_build", _build)
        for name in _LAZY:
            object.__setattr__(self, "_" + name, eager.pop(name, None))
        for name, value in eager.items():
            Results.__dict__[name].__set__(self, value)  # the slot (a subclass may shadow it)

    @classmethod
    def make(cls, build, as_of, application_date, months_to_go, packs, violations) -> LazyResults:
        """The engine's constructor (no checks, nothing built yet). It sets the slots
        through their descriptors: twice as fast as ``object.__setattr__`` by name, and
        it runs once per evaluation."""
        self = object.__new__(cls)
        s = _SETTERS
        s[0](self, as_of)
        s[1](self, application_date)
        s[2](self, months_to_go)
        s[3](self, packs)
        s[4](self, violations)
        s[5](self, build)
        s[6](self, None)
        s[7](self, None)
        s[8](self, None)
        return self

    def _get(self, name: str):
        value = object.__getattribute__(self, "_" + name)
        if value is None:
            value = self._build(name)
            object.__setattr__(self, "_" + name, value)
        return value

    derived = property(lambda self: self._get("derived"))
    findings = property(lambda self: self._get("findings"))
    undecided = property(lambda self: self._get("undecided"))

    def materialise(self) -> None:
        """Build every lazy part now (before the state it is built from changes), the
        findings' provenance included."""
        for name in _LAZY:
            self._get(name)
        for finding in self._findings:
            finding.provenance  # noqa: B018 - builds a lazy finding's provenance
        for fact in self._derived:
            fact.provenance  # noqa: B018 - and a lazy fact's
        object.__setattr__(self, "_build", None)

    def plain(self) -> Results:
        return Results(**{a.name: getattr(self, a.name) for a in attrs.fields(Results)})

    def __repr__(self) -> str:
        return repr(self.plain())

    def __eq__(self, other):
        if not isinstance(other, Results):
            return NotImplemented
        return all(getattr(self, a.name) == getattr(other, a.name) for a in attrs.fields(Results))

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self.plain())

    def __reduce__(self):
        return (_plain_results, (tuple(getattr(self, a.name) for a in attrs.fields(Results)),))

    def __copy__(self):
        return self.plain()

    def __deepcopy__(self, memo):
        import copy

        return copy.deepcopy(self.plain(), memo)


_SETTERS = tuple(cls.__dict__[name].__set__ for cls, name in (
    (Results, "as_of"), (Results, "application_date"), (Results, "months_to_go"),
    (Results, "packs"), (Results, "violations"), (LazyResults, "_build"),
    (LazyResults, "_derived"), (LazyResults, "_findings"), (LazyResults, "_undecided")))


def _plain_results(values: tuple) -> Results:
    return Results(*values)


def _show(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _value(v):
    """``v`` as JSON data of its own: a binding's value is a fact's dict or a list (shared
    with the provenance it came from), copied so that a caller may change what it gets."""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (tuple, list)):
        return [x if type(x) in _AS_IS else _value(x) for x in v]
    if isinstance(v, dict):
        return {k: x if type(x) in _AS_IS else _value(x) for k, x in v.items()}
    return v


_AS_IS = frozenset({str, int, float, bool, type(None)})  # what _value gives back unchanged


def _pairs_json(pairs, out: dict) -> dict:
    """``(name, value)`` pairs added to ``out`` as JSON values."""
    for k, v in pairs:
        out[k] = v if type(v) in _AS_IS else _value(v)
    return out


def provenance_json(p: Provenance | None, deep: bool = True) -> dict | None:
    """A provenance as the JSON output contract writes it."""
    if p is None:
        return None
    rests, bindings = p.rests_on, p.bindings
    return {
        "rule": p.rule, "pack": p.pack, "file": p.file, "line": p.line,
        "matched": [*p.matched],
        "rests_on": [_pairs_json(f.fields, {"type": f.type}) for f in rests] if rests else [],
        "bindings": _pairs_json(bindings, {}) if bindings else {},
        "cite": [*p.cite],
    }


_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=4096)
def path_order(path: str) -> tuple:
    """Sort key for ``$.path`` strings: indexes by number (``[2]`` before ``[10]``)."""
    parts = _DIGITS.split(path)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def sorted_paths(paths) -> list[str]:
    """``paths`` once each, in :func:`path_order`: the JSON ``missing`` and ``needs_info``
    arrays are the same whatever the order of the profile's lists."""
    if type(paths) is tuple:  # the same few tuples come back evaluation after evaluation
        return list(_sorted_paths(paths))
    return sorted(set(paths), key=path_order)


@functools.lru_cache(maxsize=4096)
def _sorted_paths(paths: tuple) -> tuple:
    return tuple(sorted(set(paths), key=path_order))


def _undecided_order(entry: dict) -> tuple:
    return (entry["rule"], [path_order(p) for p in entry["needs_info"]],
            sorted((k, path_order(str(v))) for k, v in entry["bindings"].items()))


def finding_json(f: Finding) -> dict:
    """A finding as the JSON output contract writes it (a new dict each call)."""
    if type(f) in _RECIPE_SLOTS:
        return _findings_json((f,))[0]
    return _write_finding(f)


def _write_finding(f: Finding) -> dict:
    if type(f) is LazyFinding:
        kind, severity, message, data = f._output
        rule, cite, covers, title = f._about[:4]
        status = due = None
        missing = ()
        prov = f.provenance
    else:
        kind, rule, title, message, severity, status, due, data, cite, covers, missing, prov = (
            f.kind, f.rule, f.title, f.message, f.severity, f.status, f.due_date, f.data, f.cite,
            f.covers, f.missing, f.provenance)
    out = {"kind": kind, "rule": rule, "title": title, "message": message}
    if severity is not None:
        out["severity"] = severity
    if status is not None:
        out["status"] = status
    if due is not None:
        out["due_date"] = due.isoformat()
    if data:
        out["data"] = _pairs_json(data, {})
    out["cite"] = [*cite]
    out["covers"] = [*covers]
    if missing:
        out["missing"] = sorted_paths(missing)
    out["provenance"] = provenance_json(prov)
    return out


def _recipe(f: Finding) -> tuple:
    """What :func:`_findings_json` copies a lazy finding's JSON from, kept on the finding
    (its ``_json`` slot): the dict as written for the plain finding, as a template, and
    the parts each copy gets new (its lists, its ``data``, the provenance dict). Only for
    findings that outlive an evaluation: the engine shares deadlines and windows between
    evaluations by state (~50 of a shipped evaluation's ~60 findings) and a rule's
    findings that are the same for every profile. A provenance with facts or bindings is
    written anew each time."""
    out = _write_finding(f)
    prov = f.provenance
    static = prov is not None and not prov.rests_on and not prov.bindings
    recipe = (out, (*out["cite"],), (*out["covers"],),
              (*out["missing"],) if "missing" in out else None, f.data or None,
              out["provenance"] if static else None, prov,
              prov.matched if static else (), prov.cite if static else ())
    _RECIPE_SLOTS[type(f)].__set__(f, recipe)
    return recipe


_RECIPE_SLOTS = {t: t.__dict__["_json"] for t in (MilestoneFinding, LazyFinding)}


def _findings_json(findings) -> list:
    """``[finding_json(f) for f in findings]``, a shared finding's copied from its recipe
    (about half the time of writing it: no date, path sorting or provenance to read)."""
    out = []
    append = out.append
    for f in findings:
        recipe = getattr(f, "_json", None)  # one call: a third of the time of type, get, get
        if recipe is None:
            t = type(f)
            if t not in _RECIPE_SLOTS or t is LazyFinding and _GET_BUILDER(f) is not None:
                append(_write_finding(f))  # plain, or one evaluation's (or not read yet)
                continue
            recipe = _recipe(f)
        template, cite, covers, missing, data, prov_template, prov, matched, prov_cite = recipe
        item = template.copy()  # keys in their order; the values copied are strings and numbers
        if data is not None:
            item["data"] = _pairs_json(data, {})
        item["cite"] = [*cite]
        item["covers"] = [*covers]
        if missing is not None:
            item["missing"] = [*missing]
        if prov_template is not None:
            p = prov_template.copy()
            p["matched"] = [*matched]
            p["rests_on"] = []
            p["bindings"] = {}
            p["cite"] = [*prov_cite]
            item["provenance"] = p
        elif prov is not None:
            item["provenance"] = provenance_json(prov)
        append(item)
    return out


def _derived(d: DerivedFact) -> dict:
    if type(d) is SharedDerivedFact:
        recipe = d._json
        if recipe is None:
            recipe = _fact_recipe(d)
        if recipe:
            template, prov_template, matched, cite = recipe
            out = template.copy()  # keys in their order; the values copied are scalars
            p = prov_template.copy()
            p["matched"] = [*matched]
            p["rests_on"] = []
            p["bindings"] = {}
            p["cite"] = [*cite]
            out["provenance"] = [p]
            return out
    out = _pairs_json(d.fields, {"type": d.type})
    out["provenance"] = [provenance_json(p) for p in d.provenance]
    return out


def _fact_recipe(d: SharedDerivedFact) -> tuple:
    """What :func:`_derived` copies a shared fact's JSON from (kept on it): its dict as
    written, as a template, and its one provenance's (no facts it rests on, no bindings);
    empty when a field's JSON value is not a scalar (a list would be shared)."""
    out = _derived(d.plain())
    provs = d.provenance
    scalars = all(type(v) in _AS_IS for k, v in out.items() if k != "provenance")
    static = len(provs) == 1 and not provs[0].rests_on and not provs[0].bindings
    recipe = (out, out["provenance"][0], provs[0].matched, provs[0].cite) if scalars and static else ()
    _SET_SHARED_JSON(d, recipe)
    return recipe


def _results(r: Results) -> dict:
    derived = [_derived(d) for d in r.derived]
    findings = _findings_json(r.findings)
    undecided = [{"rule": u.rule, "needs_info": sorted_paths(u.missing), "bindings": _pairs_json(u.bindings, {}),
                  "file": u.file, "line": u.line} for u in r.undecided]
    if len(undecided) > 1:
        undecided.sort(key=_undecided_order)
    return {
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "application_date": r.application_date.isoformat() if r.application_date else None,
        "months_to_go": r.months_to_go,
        "packs": [{"name": n, "version": v} for n, v in r.packs],
        "derived": derived,
        "findings": findings,
        "undecided": undecided,
        "violations": list(r.violations),
    }


def converter():
    """imgrules' cattrs converter for results (a new one each call: no module-level registry)."""
    import cattrs

    conv = cattrs.Converter()
    conv.register_unstructure_hook(Results, _results)
    conv.register_unstructure_hook(Finding, finding_json)
    conv.register_unstructure_hook(DerivedFact, _derived)
    conv.register_unstructure_hook(Provenance, provenance_json)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    return conv
