"""The compiled form of a pack: generated code plus what the engine needs to run it.

A :class:`Network` is immutable after construction and shared by every session (and
thread). It pickles compactly: the code object is marshalled (like a ``.pyc``) with the
constants and metadata, and rebuilt on load without the checker or Lark.
"""

from __future__ import annotations

import bisect
import datetime
import linecache
import marshal
import sys
import types

import attrs

from .._builtins import FUNCTIONS
from .._engine import runtime as rt
from .._results import SEVERITY_RANK, Provenance
from . import symbols as sym

# part of the compiled-pack cache key: entries of another format are recompiled
FORMAT_VERSION = 31


# the kinds of a one-sided range (GateGroup.sides): the value is >= / > the bound, <= / <
_LOW_INC, _LOW_EXC, _HIGH_INC, _HIGH_EXC = range(4)
# the types whose comparisons are a total order that bisect and dict lookups decide exactly
ORDERED = frozenset({int, float, str, datetime.date})


@attrs.frozen
class Gate:
    """A conjunct that must hold for a rule to match: a profile path against constants."""

    path: str  # profile path or "@mtg"
    node: object  # the path expression while compiling (then gate_<g>); None for timing
    values: frozenset | None  # equality / set membership
    low: object = None  # range bounds (None = open)
    low_strict: bool = False
    high: object = None
    high_strict: bool = False

    def bare(self) -> "Gate":
        """The gate without its expression (what the network keeps)."""
        if self.node is None:
            return self
        return Gate(self.path, None, self.values, self.low, self.low_strict, self.high, self.high_strict)


@attrs.frozen
class GateGroup:
    """Rules gated on one profile path: an equality index and indexes of ranges.

    An equality bucket is a tuple of rule idx, or a nested group when rules of the bucket
    also have a gate on another path (``yog == k and score > t``: the bucket of ``k`` is
    indexed on ``score``). Ranges open on one side are sorted by their bound, so the rules
    a value satisfies are a prefix (``score > t``) or a suffix (``score < t``) found with
    ``bisect``; ranges bounded on both sides go to a segment index (endpoints sorted, the
    rules of each elementary segment) or, when overlaps make that too big, a scan.

    :meth:`lookup` also says which candidates hold for sure: the rules whose condition is
    exactly the gates on the way to them (``exact``), when every value on the way is known
    and of a type whose comparisons are a total order (int, float, str, date)."""

    path: str
    fn: int  # the gate function (gate_<fn>) giving the path's value
    always: tuple  # rule idx let through for any known value (rules of a bucket with no gate here)
    eq: dict  # value -> tuple of rule idx, or a nested GateGroup
    sides: tuple  # (kind, sorted bounds, rule idx in the same order): _LOW_INC .. _HIGH_EXC
    points: tuple  # sorted distinct endpoints of the closed ranges
    segments: tuple | None  # per segment: tuple of rule idx (None: too big, use linear scan)
    ranges: tuple  # (idx, gate) of the closed ranges (both bounds)
    all: tuple  # every rule idx of the group (nested groups' included)
    exact: object = False  # True (all), or a frozenset: rules held when every value is known

    def candidates(self, value, S, fns) -> tuple:
        """Every rule that may match (held or not) for the path's value."""
        maybe, held = self.lookup(value, S, fns)
        return maybe + held if held else maybe

    def lookup(self, value, S, fns) -> tuple[tuple, tuple]:
        """``(maybe, held)``: the rules whose gates may hold for ``value`` (and the values
        of nested groups' paths, ``fns[group.fn](S)``), and of those the ones whose whole
        condition the gates decided holds."""
        if type(value) is rt.Unk:
            return self.all, ()
        out, nested = self.always, None  # out: the rules of this group's own index
        if self.eq:
            try:
                hit = self.eq.get(value)
            except TypeError:  # unhashable: equal to no constant
                hit = None
            if hit is not None:
                if type(hit) is GateGroup:
                    nested = hit.lookup(fns[hit.fn](S), S, fns)
                else:
                    out = out + hit
        if self.sides or self.ranges:
            try:
                for kind, bounds, idx in self.sides:
                    if kind == _LOW_INC:
                        out = out + idx[:bisect.bisect_right(bounds, value)]
                    elif kind == _LOW_EXC:
                        out = out + idx[:bisect.bisect_left(bounds, value)]
                    elif kind == _HIGH_INC:
                        out = out + idx[bisect.bisect_left(bounds, value):]
                    else:
                        out = out + idx[bisect.bisect_right(bounds, value):]
                if self.ranges:
                    if self.segments is not None:
                        i = bisect.bisect_left(self.points, value)
                        seg = 2 * i + 1 if i < len(self.points) and self.points[i] == value else 2 * i
                        out = out + self.segments[seg]
                    else:
                        out = out + tuple(idx for idx, g in self.ranges if _in_gate(g, value))
            except TypeError:  # not comparable with the bounds: the match functions decide
                return self.all, ()
        if type(value) not in ORDERED or value != value:  # (NaN): nothing is decided
            return (out + nested[0] + nested[1], ()) if nested else (out, ())
        exact = self.exact
        if exact is False or not out:
            maybe, held = out, ()
        elif exact is True:
            maybe, held = (), out
        else:
            maybe = tuple(i for i in out if i not in exact)
            held = tuple(i for i in out if i in exact)
        if nested:
            return maybe + nested[0], held + nested[1]
        return maybe, held

    def groups(self):
        """This group and its nested groups, depth first."""
        yield self
        for hit in self.eq.values():
            if type(hit) is GateGroup:
                yield from hit.groups()

    def paths(self) -> set:
        """This group's path and those of its nested groups."""
        return {g.path for g in self.groups()}

    def gate_fns(self) -> set:
        """The gate functions of this group and its nested groups."""
        return {g.fn for g in self.groups()}


@attrs.frozen
class RuleInfo:
    """What the engine knows about one rule-like declaration (picklable, no code)."""

    idx: int
    id: str
    kind: str  # rule | deadline | window | table | invariant
    title: str
    pack: str
    file: str
    line: int
    cites: tuple[str, ...]
    covers: tuple[str, ...]
    priority: int | None
    stratum: int
    vars: tuple[str, ...] = ()
    pins: tuple[str | None, ...] = ()  # per binding: the plain collection it iterates, or None
    reads: frozenset = frozenset()
    whole: frozenset = frozenset()  # reads whose change re-runs the whole rule
    derives: frozenset = frozenset()  # "f:<type>" keys
    matched: tuple[str, ...] = ()  # profile paths the condition mentions
    k: int | None = None  # deadline: by T-k
    anchored: bool = False  # deadline or window anchored on dates (``by exams.step3.date``)
    severity: str | None = None  # deadline: its declared severity (``severity high``)
    start: int | None = None  # window: during T-start..T-end
    end: int | None = None
    hit: str | None = None  # table
    out_type: str | None = None
    row_lines: tuple[int, ...] = ()
    row_values: tuple[tuple, ...] = ()  # per row: values of the fields the template leaves out
    row_fields: tuple[str, ...] = ()
    gate: Gate | None = None
    unit: int = 0
    recursive: bool = False
    says: bool = True  # has actions other than derive (findings)
    # rule: its actions give the same outputs for every binding and profile (messages
    # without holes, constant values); table: its template is made of constants;
    # deadline, window: its message has no holes
    fixed: bool = False
    timing: tuple[str, int, int | None] | None = None  # rule: (at|from|until|during, start k, end k)
    reminders: tuple[str, ...] = ()  # rule: its remind messages as written ({holes} as text)


def _in_gate(g: Gate, v) -> bool:
    if g.low is not None and (v < g.low or (g.low_strict and v == g.low)):
        return False
    if g.high is not None and (v > g.high or (g.high_strict and v == g.high)):
        return False
    return True


def build_group(path: str, fn: int, members: list, fn_of: dict,
                chain: frozenset = frozenset()) -> GateGroup:
    """The index of ``members``, each ``(rule idx, its gate on path or None, its other
    gates, left)``: ``left`` counts the conjuncts of its condition that are not gates on
    the way here (this one included), None if its condition is more than conjuncts
    (bindings, timing) or has constants that are not ordered (``ORDERED``); a rule
    with ``left == 0`` is exact. An equality bucket whose rules have gates on another
    path becomes a group on that path (the one most of them have); ``fn_of`` (path ->
    gate function) gains the paths of such groups."""
    chain = chain | {path}
    always, exact, ranges = [], [], []
    eq: dict = {}
    for m in members:
        idx, g, rest, left = m
        if left == 0:
            exact.append(idx)
        if g is None:
            always.append(idx)
        elif g.values is not None:
            for v in g.values:
                eq.setdefault(v, []).append(m)
        else:
            ranges.append((idx, g))
    for v, bucket in eq.items():
        eq[v] = _bucket(bucket, fn_of, chain)
    sides: list = []
    closed = [(idx, g) for idx, g in ranges if g.low is not None and g.high is not None]
    try:
        for kind in range(4):
            side = sorted((g.low if kind < 2 else g.high, idx) for idx, g in ranges
                          if _side(g) == kind)
            if side:
                sides.append((kind, tuple(b for b, _ in side), tuple(i for _, i in side)))
    except TypeError:  # bounds of several types: scan them all
        sides, closed = [], ranges
    points, segments = _segments(closed)
    direct = set(always) | {i for i, _ in ranges}
    every = set(direct)
    for hit in eq.values():
        if type(hit) is GateGroup:
            every.update(hit.all)
        else:
            direct.update(hit)
    every |= direct
    held = frozenset(exact) & direct
    return GateGroup(path, fn, tuple(sorted(always)), eq, tuple(sides), points, segments,
                     tuple((i, g.bare()) for i, g in closed), tuple(sorted(every)),
                     False if not held or path == "@mtg" else True if held == direct else held)


def _side(g: Gate) -> int:
    """The kind of a range gate: one of the ``sides`` kinds, or -1 for a closed range."""
    if g.high is None:
        return _LOW_EXC if g.low_strict else _LOW_INC
    if g.low is None:
        return _HIGH_EXC if g.high_strict else _HIGH_INC
    return -1


def _bucket(members: list, fn_of: dict, chain: frozenset):
    """An equality bucket: its rules' idx, or a group on the path most of them have
    another gate on (ties: the one with fewer closed ranges, then the first in order)."""
    count: dict = {}
    closed: dict = {}  # path -> its closed ranges (a segment index may overflow to a scan)
    for _, _, rest, _ in members:
        for p in {g.path for g in rest if g.path not in chain and g.path != "@mtg"}:
            count[p] = count.get(p, 0) + 1
        for g in rest:
            if g.low is not None and g.high is not None:
                closed[g.path] = closed.get(g.path, 0) + 1
    if not count:
        return tuple(sorted(idx for idx, *_ in members))
    path = min(count, key=lambda p: (-count[p], closed.get(p, 0), p))
    nested = []
    for idx, _, rest, left in members:
        mine = next((g for g in rest if g.path == path), None)
        if mine is None:
            nested.append((idx, None, rest, left))
        else:
            nested.append((idx, mine, tuple(g for g in rest if g is not mine),
                           None if left is None else left - 1))
    return build_group(path, fn_of.setdefault(path, len(fn_of)), nested, fn_of, chain)


def _segments(closed: list) -> tuple:
    """The segment index of closed ranges: (sorted endpoints, the rules of each
    elementary segment), or segments None when overlaps make it too big (or the bounds
    cannot be ordered): then they are scanned."""
    if not closed:
        return (), None
    try:
        points = tuple(sorted({p for _, g in closed for p in (g.low, g.high)}))
    except TypeError:
        return (), None
    n = len(points)
    where = {p: i for i, p in enumerate(points)}
    starts: list[list[int]] = [[] for _ in range(2 * n + 2)]
    ends: list[list[int]] = [[] for _ in range(2 * n + 2)]
    for idx, g in closed:
        s = 2 * where[g.low] + (2 if g.low_strict else 1)
        e = 2 * where[g.high] + (0 if g.high_strict else 1)
        if s <= e:
            starts[s].append(idx)
            ends[e].append(idx)
    active: set[int] = set()
    segs = []
    total = 0
    for seg in range(2 * n + 1):
        active.update(starts[seg])
        segs.append(tuple(sorted(active)))
        total += len(active)
        active.difference_update(ends[seg])
        if total > 64 * (len(closed) + 16):
            return points, None
    return points, tuple(segs)




@attrs.frozen
class Network:
    """An executable pack: rule metadata, evaluation units and the generated functions."""

    name: str
    version: str | None
    packs: tuple[tuple[str, str | None], ...]  # (name, version) of every pack used
    rules: tuple  # RuleInfo by idx
    units: tuple[tuple[int, ...], ...]  # evaluation order: strongly connected components
    ungated: tuple[int, ...]  # units (by index) always visited
    gate_groups: tuple[GateGroup, ...]
    rule_group: dict  # rule idx -> gate group index
    unit_of: tuple[int, ...]  # rule idx -> unit index
    fact_fields: dict  # fact type -> field names in order
    profile_shape: object  # see imgrules._engine.profile
    let_reads: dict  # let idx -> collection keys it reads
    schema: object  # the pack's types.Schema (to validate profiles)
    files: tuple[str, ...]  # every pack file it was compiled from
    invariants: tuple[int, ...]  # rule idx of the invariants
    source: str = attrs.field(repr=False)
    filename: str = attrs.field(repr=False)
    line_map: tuple = attrs.field(repr=False)  # generated line -> (file, line) or None
    code: object = attrs.field(repr=False, eq=False)
    consts: tuple = attrs.field(repr=False)
    maps: tuple = attrs.field(repr=False)  # map idx -> dict
    # rule idx -> (shape index, the rule's constants): rules whose code their shape shares
    shared: dict = attrs.field(repr=False)
    ns: dict = attrs.field(repr=False, eq=False)  # the generated functions
    calls: object = attrs.field(repr=False, eq=False, default=None)  # Calls, rebuilt on load

    def fn(self, name: str):
        return self.ns[name]

    def rule_by_id(self, rule_id: str):
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def origin(self, lineno: int):
        """The rule-text (file, line) a generated line came from."""
        if 1 <= lineno <= len(self.line_map):
            return self.line_map[lineno - 1]
        return None

    def __reduce__(self):
        state = {f.name: getattr(self, f.name) for f in attrs.fields(Network)
                 if f.name not in ("code", "ns", "calls")}
        return (_rebuild, (FORMAT_VERSION, marshal.dumps(self.code), state))


def _rebuild(version: int, code_bytes: bytes, state: dict) -> Network:
    if version != FORMAT_VERSION:
        raise ValueError("compiled pack from another imgrules version")
    code = marshal.loads(code_bytes)
    return make_network(state, code)


def namespace(consts, maps) -> dict:
    ns = {name: rt.HELPERS[name] for name in sym.RUNTIME}
    ns.update({
        "__builtins__": {"len": len, "enumerate": enumerate, "list": list, "dict": dict, "map": map,
                         "str": str, "min": min, "max": max, "type": type, "tuple": tuple,
                         "None": None, "True": True, "False": False},
    })
    for name, builtin in FUNCTIONS.items():
        ns[sym.builtin(name)] = builtin.impl
    for i, value in enumerate(consts):
        ns[sym.const(i)] = value
    for i, m in enumerate(maps):
        ns[sym.map_table(i)] = m
    return ns


def make_network(state: dict, code) -> Network:
    ns = namespace(state["consts"], state["maps"])
    register_source(state["filename"], state["source"])
    exec(code, ns)  # noqa: S102 - our generated code, built from the checked AST only
    for i, (s, values) in state.get("shared", {}).items():
        # the shape's code with the rule's constants as the default of its last parameter
        name = sym.rule_match(i)
        ns[name] = types.FunctionType(ns[sym.shape_match(s)].__code__, ns, name, (values,))
    return Network(**state, code=code, ns=ns, calls=Calls(state, ns))


class Calls:
    """What a session looks up on every evaluation, resolved once per network: the
    functions of each rule and gate by index, gate collections, lets by what they read."""

    __slots__ = ("R", "T", "TA", "MS", "M", "I", "G", "gate_colls",
                 "let_inv", "recursive_reads", "milestones", "plan", "ungated_plan", "abouts",
                 "fixed", "held_outputs", "memo", "provenances", "static", "milestone_findings", "phases", "places", "fact_shown", "gate_steps", "may_at", "held_at",
                 "ungated_at", "gate_plans")

    def __init__(self, state: dict, ns: dict):
        n = len(state["rules"])
        self.R = tuple(ns.get(sym.rule_match(i)) for i in range(n))
        self.T = tuple(ns.get(sym.table_rows(i)) for i in range(n))
        self.TA = tuple(ns.get(sym.table_template(i)) for i in range(n))
        # deadlines and windows (None for other rules): (kind, when, fn, fixed) where kind
        # is rt.WINDOW_IN_MONTHS, rt.DEADLINE_IN_MONTHS or rt.DATED, when its when_<i>
        # (None: it has none), fn its deadline_<i> or window_<i> (None for a window in
        # months), fixed its message has no holes (build.milestone_status)
        self.MS = tuple(
            None if r.kind not in ("deadline", "window") else
            (rt.DATED if r.anchored else rt.DEADLINE_IN_MONTHS if r.kind == "deadline"
             else rt.WINDOW_IN_MONTHS, ns.get(sym.when(i)),
             ns.get(sym.deadline(i) if r.kind == "deadline" else sym.window(i)), r.fixed)
            for i, r in enumerate(state["rules"]))
        self.M = tuple(ns.get(sym.message(i)) for i in range(n))
        self.I = tuple(ns.get(sym.invariant(i)) for i in range(n))
        # what is the same for every profile, kept by the first evaluation that needs it
        # for every later one: the outputs of a table row whose outputs are constants (by
        # (table idx, row)), a deadline's or window's message without holes (by idx)
        self.memo: dict = {}
        # rules whose outputs are constants (RuleInfo.fixed), and of those the ones a first
        # run fired because their gates decided them (a HOLDS step): their outputs, by idx,
        # so that later runs log them without calling the rule's function
        self.fixed = tuple(r.fixed for r in state["rules"])
        self.held_outputs: dict = {}
        # the provenance of a firing that binds nothing (a rule without bindings, a table
        # row), by (rule idx, key): it names the rule, its line and static paths only
        self.provenances: dict = {}
        # rules whose findings are the same for every profile: outputs fixed, no bindings
        # (so the provenance names the rule and its static paths only): None until the
        # first evaluation that needs them makes them (build.py), False for other rules
        self.static = [None if r.kind == "rule" and r.fixed and r.says and not r.vars else False
                       for r in state["rules"]]
        groups = state["gate_groups"]
        fns = max((max(g.gate_fns()) + 1 for g in groups), default=0)
        self.G = tuple(ns[sym.gate(k)] for k in range(fns))  # by gate function (GateGroup.fn)
        self.gate_colls = tuple(
            frozenset(c for p in g.paths() for c in (
                ("p:as_of", "p:application_date") if p == "@mtg" else ("p:" + p[2:].split(".")[0],)))
            for g in groups)
        let_inv: dict[str, tuple[int, ...]] = {}
        for i, reads in state["let_reads"].items():
            for c in reads:
                let_inv[c] = let_inv.get(c, ()) + (i,)
        self.let_inv = let_inv
        # collections read by recursive units (a support lost there must re-run them)
        self.recursive_reads = frozenset(c for r in state["rules"] if r.recursive for c in r.reads)
        self.plan = first_run_plan(state)
        # the steps of the units always visited, in order; gated units join them when
        # their gate group names them
        self.ungated_plan = tuple(self.plan[u] for u in state["ungated"] if self.plan[u] is not None)
        # the first run's gate block merges units by a sort key: 2u for the unit's step,
        # 2u + 1 for a single rule its gates decided (a HOLDS step); by rule idx and for
        # the units always visited
        unit_of = state["unit_of"]
        steps: list = []
        for step in self.plan:
            steps.append(step)
            steps.append(None if step is None or step[0] != rt.RULE else (rt.HOLDS,) + step[1:])
        self.gate_steps = tuple(steps)
        self.may_at = tuple(2 * u for u in unit_of)
        self.held_at = tuple(2 * u + 1 for u in unit_of)
        self.ungated_at = tuple(2 * u for u in state["ungated"] if self.plan[u] is not None)
        # the first run's steps and gate candidates by the values of the groups' paths
        # (first_run._gated_steps), or None when a group nests another: then they also
        # depend on the values of the nested groups' paths
        self.gate_plans: dict | None = None if any(
            type(hit) is GateGroup for g in groups for hit in g.eq.values()) else {}
        # what a rule's findings say about it (LazyFinding): id, cites, covers, title,
        # priority, and its sort key's priority part; None for rules that only derive
        # a finding's sort key orders by (rule id, -priority) after urgency, severity and
        # due date: each declaration's place in that order (ties share one), which the
        # session packs with the other parts into one int (build.sort_prefix)
        says = [r for r in state["rules"] if r.kind in ("deadline", "window") or r.says]
        order = sorted({(r.id, -(r.priority or 0)) for r in says})
        place = {pair: n for n, pair in enumerate(order)}
        self.places = max(len(order), 1)
        # what a rule's findings say about it (LazyFinding): id, cites, covers, title,
        # priority, and its place; None for rules that only derive
        self.abouts = tuple((r.id, r.cites, r.covers, r.title, r.priority, place[(r.id, -(r.priority or 0))])
                            if r.says and r.kind == "rule" else None for r in state["rules"])
        # deadlines and windows: what their findings say but the status (MilestoneFinding)
        # is the same for every profile, their provenance included; and two sort key parts
        self.milestone_findings: dict = {}  # (idx, state) -> (sort key, finding): build.py
        self.phases: dict = {}  # T-k dates and milestone states by phase: runtime.phase_caches
        # (fact key, value types) -> (fields, sort key, {(rule idx, firing key): the fact
        # when that firing alone derived it and binds nothing}): build.py
        self.fact_shown: dict = {}
        self.milestones = {
            i: ("milestone" if r.kind == "deadline" else "window", r.id, r.severity, r.cites,
                r.covers, Provenance(r.id, r.pack, r.file, r.line, r.matched, (), (), r.cites),
                r.title, r.priority, place[(r.id, -(r.priority or 0))],
                SEVERITY_RANK.get(r.severity or "", 5))
            for i, r in enumerate(state["rules"]) if r.kind in ("deadline", "window")}


def first_run_plan(state: dict) -> tuple:
    """The first run's steps by unit: ``(kind, rule idx, gate group or -1, unit,
    derives)``, or None for a unit the first run skips (invariants are checked with the
    results instead)."""
    rules, group_of = state["rules"], state["rule_group"]
    plan = []
    for unit in state["units"]:
        info = rules[unit[0]]
        if len(unit) > 1 or info.recursive:
            plan.append((rt.RECURSIVE, unit[0], -1, unit, True))
            continue
        kind = {"rule": rt.RULE, "table": rt.TABLE, "deadline": rt.MILESTONE,
                "window": rt.MILESTONE}.get(info.kind)
        plan.append(None if kind is None else
                    (kind, unit[0], group_of.get(unit[0], -1), unit, bool(info.derives)))
    return tuple(plan)


def register_source(filename: str, source: str) -> None:
    """Put generated source in linecache so tracebacks show it (attrs/Jinja do the same)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def compile_source(source: str, filename: str):
    return compile(source, filename, "exec")


__all__ = ["Network", "GateGroup", "build_group", "make_network", "compile_source", "sys"]
