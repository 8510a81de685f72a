"""Per-evaluation state: working memory, firings with their supports, and propagation.

One algorithm serves both a first evaluation and incremental updates. Changes are
recorded per *collection* (``p:letters`` for a profile list or field, ``f:tier`` for a
derived fact type) as a delta of added and removed elements. A propagation pass visits
the evaluation units in dependency order (see :mod:`imgrules._compile.analysis`):

- a rule whose non-binding reads changed (``whole``) is re-matched completely and its
  firings diffed against the previous ones;
- otherwise only the bindings of added elements are matched (``pin``), and firings that
  bound a removed element are retracted;
- a recursive unit (rules deriving what they read) is recomputed from scratch when any
  of its inputs changed.

A derived fact exists while at least one firing supports it (truth maintenance), so
retracting a base fact withdraws everything derived from it. Rules gated on a profile
value are visited only when the gate index says they can match.
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections import defaultdict


from .._builtins import add_months
from .._gcpause import paused_gc
from .._semantics import phase
from .._semantics.values import OutOfCalendar
from .changes import _CLEAN, ProfileChanges
from .first_run import FirstRun
from .errors import DateOutOfRange, EvaluationLimitError, Limits, _located
from .build import build_results, milestone_status, table_outputs
from .runtime import (SHORT, UNKNOWN, Firing, Rec, Unk, derived_record,
                      phase_caches, split_matches)
from .trace import Event


_LIMITS = Limits()
CLOCK_EVERY = 2048  # loop steps between two reads of the clock (a read costs ~50 ns)


class Session(FirstRun, ProfileChanges):
    """Evaluate one profile against a :class:`~imgrules._compile.Network`.

    ``set_profile(data)`` loads (or replaces) the profile; ``insert(field, item)``,
    ``retract(path)`` and ``update(path, value)`` change it; ``run()`` brings the results up
    to date and returns :class:`~imgrules._results.Results`. The first run is propagation
    with everything new; later runs propagate only what changed.
    """

    __slots__ = ("net", "calls", "limits", "tracer", "ids", "root", "facts", "supports", "firings",
                 "undecided", "status", "lets", "tm", "mstates", "idx", "mtg", "dirty", "delta", "first",
                 "seq", "count", "per_rule", "gate_cands", "live", "deadline", "budget", "unit",
                 "epoch", "fepoch",
                 "changes", "fcache", "dcache", "pending", "let_inv", "log", "nfacts", "__weakref__")

    def __init__(self, network, *, limits: Limits | None = None, tracer=None):
        self.net = network
        self.calls = network.calls
        self.limits = limits or _LIMITS
        self.tracer = tracer
        self._init_state()

    @classmethod
    def evaluate(cls, network, data, as_of: dt.date | None = None, *,
                 limits: Limits | None = None, tracer=None):
        """One profile's results: ``Session(network, ...).set_profile(data, as_of).run()``,
        the way to evaluate many profiles one by one."""
        return cls(network, limits=limits, tracer=tracer).set_profile(data, as_of).run()

    @classmethod
    def _evaluate_handed_over(cls, network, data, as_of: dt.date | None = None, *,
                              limits: Limits | None = None, tracer=None):
        """:meth:`evaluate` of data made for this evaluation alone (``imgrules.evaluate``'s
        checked profile, whose records the profile check made as :class:`Rec`): the
        session keeps its records rather than copying them (see ``profile.to_rec``)."""
        session = cls(network, limits=limits, tracer=tracer)
        with paused_gc():
            session._load(data, network.profile_shape or ("rec", ()), as_of, True)
        return session.run()

    def _init_state(self) -> None:
        """The working memory."""
        network = self.net
        self.ids = 1  # the next record identity (see _ids)
        self.root = root = Rec()
        root.k, root.at = 0, None
        self.facts: dict[str, dict] = {t: {} for t in network.fact_fields}
        self.supports: dict = {}
        # per rule idx, created on first use so a session costs nothing per idle rule
        self.firings: dict[int, dict] = defaultdict(dict)
        self.undecided: dict[int, dict] = defaultdict(dict)
        self.status: dict[int, tuple | None] = {}
        self.lets: dict = {}
        self.tm: dict = {}  # T-k dates (runtime.tmonth)
        self.mstates: dict | None = None  # milestone states of the phase (build.milestone_status)
        self.idx: dict = {}
        self.mtg = UNKNOWN  # set by _phase before any rule runs
        self.dirty: set[str] = _CLEAN  # replaced by a set when something changes
        self.delta: dict[str, tuple[list, list]] = {}
        self.first = True
        self.seq = self.count = 0
        self.per_rule: dict[int, int] = {}  # firings per rule (ints only: not GC-tracked)
        self.gate_cands: list = [None] * len(network.gate_groups)
        self.live: dict[int, Rec] | None = None  # see _live
        self.deadline = 0.0
        self.budget = CLOCK_EVERY  # loop steps until the clock is read again (see tick)
        self.unit: tuple = ()  # the evaluation unit being run (named by a time limit)
        # what built results depend on: record paths (epoch), derived-fact supports (fepoch),
        # firings and statuses (changes); the last lazy results, built before a change
        self.epoch = self.fepoch = self.changes = 0
        self.fcache = self.dcache = self.pending = None
        self.let_inv = self.calls.let_inv
        # the first run's firings as (rule idx, key, elements, outputs), in firing order;
        # None once the incremental state (firings per rule, supports) is built from it
        self.log: list | None = None
        self.nfacts = 0  # derived facts made by the first run (the max_facts limit)

    # ------------------------------------------------------------------ used by generated code
    def scan(self, coll: str):
        if coll[0] == "f":
            return self.facts[coll[2:]].values()
        return self.root.get(coll[2:]) or ()

    def join_index(self, coll: str, field: str):
        """The lookup of a hash join on ``coll``'s ``field``: a function of ``(value,
        default)`` giving the elements whose ``field`` may equal a plain ``value`` (str,
        int, float, bool or date; generated code fetches it once per match and calls it
        per outer element). Elements whose ``field`` is missing (or unhashable) are in
        every answer: their test decides, or stays unknown. A short collection is
        returned whole: the join's own test rejects the others, and building an index
        would cost more than it saves."""
        index = self.idx.get((coll, field))
        if index is None:
            items = self.scan(coll)
            if len(items) <= SHORT:
                return _Whole(items)
            buckets: dict = {}
            missing: list = []
            for e in items:
                v = e.get(field)
                if v is None:
                    missing.append(e)
                else:
                    try:
                        buckets.setdefault(v, []).append(e)
                    except TypeError:
                        missing.append(e)
            index = self.idx[(coll, field)] = buckets.get if not missing else _WithMissing(buckets, missing)
        return index

    def probe(self, coll: str, field: str, value):
        """The elements of ``coll`` whose ``field`` may equal ``value`` (any value:
        an unhashable one is equal to no key, so every element is returned)."""
        try:
            return self.join_index(coll, field)(value, ())
        except TypeError:
            return self.scan(coll)

    # ------------------------------------------------------------------ propagation
    def run(self):
        """Bring every firing up to date and return the results."""
        with paused_gc():
            self.propagate()
        pending = self.pending() if self.pending is not None else None
        if pending is not None:
            return pending
        try:
            results = build_results(self)
        except OutOfCalendar as exc:  # an invariant's date arithmetic
            self.unit = ()
            raise self._out_of_calendar(exc) from None
        # weakly held (no cycle through the results' builder): results nobody holds any
        # more need not be built before the state changes
        self.pending = weakref.ref(results)
        return results

    def propagate(self) -> None:
        if self.first:
            if self.tracer is None:
                return self._first_run()
        elif not self.dirty:
            return
        if self.pending is not None:
            self._settle()
        if self.log is not None:
            self._materialise()
        net = self.net
        self.deadline = time.monotonic() + self.limits.max_seconds
        dirty = self.dirty
        if self.first or "p:as_of" in dirty or "p:application_date" in dirty:
            self._phase()
        work = set(net.ungated)
        calls = self.calls
        for g, group in enumerate(net.gate_groups):
            old = self.gate_cands[g]
            if old is None or self.first or calls.gate_colls[g] & dirty:
                value = calls.G[g](self)
                # a set: _unit asks each visited rule whether it is a candidate
                new = frozenset(group.candidates(value, self, calls.G))
                self.gate_cands[g] = new
                for i in new:
                    work.add(net.unit_of[i])
                if old:
                    for i in old:
                        work.add(net.unit_of[i])
            else:
                for i in old:
                    work.add(net.unit_of[i])
        with self._evaluating():
            for u in sorted(work):
                self._unit(net.units[u])
        self.dirty = _CLEAN
        self.delta = {}
        self.first = False

    def _evaluating(self) -> _Evaluating:
        """Errors raised while units run, as the caller should see them: the limits as
        they are, a date out of the calendar and a failure of generated code located at
        the rule being evaluated (``with self._evaluating(): ...``)."""
        return _Evaluating(self)

    def _phase(self) -> None:
        root = self.root
        app = root.get("application_date")
        self.mtg = mtg = phase(root.get("as_of"), app, lambda field: (root, field))
        self.tm, self.mstates = phase_caches(self.calls, None if type(mtg) is Unk else mtg, app)

    def _unit(self, unit: tuple) -> None:
        net = self.net
        self.unit = unit
        if len(unit) == 1 and not net.rules[unit[0]].recursive:
            i = unit[0]
            info = net.rules[i]
            g = net.rule_group.get(i)
            if g is not None and i not in self.gate_cands[g]:
                if self.firings.get(i) or self.undecided.get(i):
                    self._clear(i)
                return
            if info.kind == "rule":
                if self.first or info.whole & self.dirty:
                    self._full(i)
                else:
                    self._pinned(i, info)
            elif self.first or info.whole & self.dirty:
                if info.kind == "table":
                    self._table(i, info)
                elif info.kind in ("deadline", "window"):
                    self._milestone(i, info)
            return
        if self.first or any(net.rules[i].reads & self.dirty for i in unit):
            self._recursive(unit)

    def _clear(self, i: int) -> None:
        for f in list(self.firings[i].values()):
            self._retract(f)
        self.undecided[i] = {}

    def _full(self, i: int) -> None:
        out: list = []
        self.calls.R[i](self, -1, None, out)
        if self.first:  # nothing fired before: no diff to make
            if out:
                self._first_matches(i, out)
            return
        old = self.firings[i]
        new, und = split_matches(out)
        for key in [k for k in old if k not in new]:
            self._retract(old[key])
        for key, (elems, outputs) in new.items():
            f = old.get(key)
            if f is None:
                self._fire(i, key, elems, outputs)
            elif outputs != f.outputs:
                self._retract(f)
                self._fire(i, key, elems, outputs)
        self.undecided[i] = und
        if self.tracer is not None:
            for key, (elems, st) in und.items():
                self.tracer(Event("undecided", self.net.rules[i].id, key, st.paths()))

    def _first_matches(self, i: int, out: list) -> None:
        """A rule's matches on the first run: fire each binding that holds (once per key),
        keep the undecided ones."""
        fired = self.firings[i]
        und = None
        for key, elems, st, outputs in out:
            if st is True:
                if key not in fired:
                    self._fire(i, key, elems, outputs)
            else:
                if und is None:
                    und = self.undecided[i] = {}
                und[key] = (elems, st)
                if self.tracer is not None:
                    self.tracer(Event("undecided", self.net.rules[i].id, key, st.paths()))

    def _pinned(self, i: int, info) -> None:
        fired = self.firings[i]
        und = self.undecided[i]
        rfn = None
        for pos, coll in enumerate(info.pins):
            d = self.delta.get(coll) if coll is not None else None
            if d is None:
                continue
            added, removed = d
            if removed:
                gone = set(removed)
                # a pinned binding's key part is the element's identity (``v.k``)
                for key in [k for k in fired if k[pos] in gone]:
                    self._retract(fired[key])
                for key in [k for k in und if len(k) > pos and k[pos] in gone]:
                    del und[key]
            if added:
                rfn = rfn or self.calls.R[i]
                out: list = []
                for e in added:
                    if self._alive(coll, e):
                        rfn(self, pos, e, out)
                for key, elems, st, outputs in out:
                    if st is True:
                        if key not in fired:
                            und.pop(key, None)
                            self._fire(i, key, elems, outputs)
                    elif key not in fired:
                        und[key] = (elems, st)

    def _alive(self, coll: str, e) -> bool:
        if coll[0] == "f":
            return self.facts[coll[2:]].get(e.k) is e
        return self._live().get(e.k) is e

    def _recursive(self, unit: tuple) -> None:
        for i in unit:
            self._clear(i)
        changed = True
        while changed:
            changed = False
            for i in unit:
                info = self.net.rules[i]
                if info.kind == "table":
                    before = len(self.firings[i])
                    self._table(i, info)
                    changed |= len(self.firings[i]) != before
                    continue
                out: list = []
                self.calls.R[i](self, -1, None, out)
                fired = self.firings[i]
                und = {}
                for key, elems, st, outputs in out:
                    if st is True:
                        if key not in fired:
                            self._fire(i, key, elems, outputs)
                            changed = True
                    else:
                        und[key] = (elems, st)
                self.undecided[i] = und

    def _table_firings(self, i: int, info) -> tuple[dict, dict]:
        """A table's firing rows (``(row,) -> outputs``) and undecided rows."""
        out: list = []
        self.calls.T[i](self, out)
        firing_rows, und = table_outputs(info, out)
        new = {}
        if firing_rows:
            if info.fixed:  # every row's outputs are constants: made once per network
                memo = self.calls.memo
                for row in firing_rows:
                    outputs = memo.get((i, row))
                    if outputs is None:
                        outputs = memo[(i, row)] = self._row_outputs(i, info, row, self.calls.TA[i](self))
                    new[(row,)] = outputs
                return new, und
            template = self.calls.TA[i](self)
            for row in firing_rows:
                new[(row,)] = self._row_outputs(i, info, row, template)
        return new, und

    def _row_outputs(self, i: int, info, row: int, template: dict) -> tuple:
        """The outputs of a table's firing row: the fact its template and the row make."""
        values = dict(template)
        values.update(zip(info.row_fields, info.row_values[row]))
        fields = self.net.fact_fields[info.out_type]
        return (("derive", info.out_type, tuple(values.get(f) for f in fields)),)

    def _table(self, i: int, info) -> None:
        new, und = self._table_firings(i, info)
        old = self.firings[i]
        for key in [k for k, f in old.items() if new.get(k) != f.outputs]:
            self._retract(old[key])
        for key, outputs in new.items():
            if key not in old:
                self._fire(i, key, (), outputs)
        self.undecided[i] = und

    def _milestone(self, i: int, info) -> None:
        self.undecided.pop(i, None)  # decided anew
        status = milestone_status(self, i, info)
        if status != self.status.get(i):
            self.changes += 1
        self.status[i] = status

    # ------------------------------------------------------------------ firings and supports
    def _fire(self, i: int, key, elems, outputs) -> None:
        self.seq = count = self.seq + 1
        self.count = count
        self.changes += 1
        f = Firing(i, key, elems, outputs, count)
        self.firings[i][key] = f
        self.per_rule[i] = self.per_rule.get(i, 0) + 1
        if count > self.limits.max_firings or not count & 255:
            self._check_firings(count)
        for out in outputs:
            if out[0] == "derive":
                fk = (out[1], out[2])
                sup = self.supports.get(fk)
                if sup is None:
                    sup = self.supports[fk] = {}
                    rec = derived_record(self.net.fact_fields[out[1]], fk)
                    self.facts[out[1]][fk] = rec
                    if len(self.supports) > self.limits.max_facts:
                        self._too_many_facts()
                    self._change("f:" + out[1], added=rec)
                sup[(i, key)] = f
                self.fepoch += 1
        if self.tracer is not None:
            self.tracer(Event("fired", self.net.rules[i].id, key, ()))

    def _retract(self, f: Firing) -> None:
        i = f.rule
        self.changes += 1
        fired = self.firings[i]
        if fired.get(f.key) is f:
            del fired[f.key]
        for out in f.outputs:
            if out[0] == "derive":
                fk = (out[1], out[2])
                sup = self.supports.get(fk)
                if sup is None:
                    continue
                if sup.get((i, f.key)) is f:
                    del sup[(i, f.key)]
                    self.fepoch += 1
                if not sup:
                    del self.supports[fk]
                    del self.facts[out[1]][fk]
                    self._change("f:" + out[1], removed=fk)
                elif not self.first and "f:" + out[1] in self.calls.recursive_reads:
                    # still supported, perhaps only by a recursive unit deriving it from
                    # itself: that unit must recompute to find out
                    if self.dirty is _CLEAN:
                        self.dirty = set()
                    self.dirty.add("f:" + out[1])
        if self.tracer is not None:
            self.tracer(Event("retracted", self.net.rules[i].id, f.key, ()))

    def _check_firings(self, count: int) -> None:
        """The firing and time limits, checked by both firing paths: the count on every
        firing past the limit, the clock every 256 firings (a clock read costs more)."""
        if count > self.limits.max_firings:
            self._limit(f"more than {self.limits.max_firings} firings (max_firings)")
        if not count & 255 and time.monotonic() > self.deadline:
            self._limit(f"more than {self.limits.max_seconds} s (max_seconds)")

    def _out_of_calendar(self, exc: OutOfCalendar) -> DateOutOfRange:
        info = self.net.rules[self.unit[0]] if self.unit else None
        if info is None:
            return DateOutOfRange(f"evaluation stopped: {exc}")
        return DateOutOfRange(f"{info.file}:{info.line}: evaluation stopped: {exc} "
                              f"in '{info.id}'", info.id)

    def tick(self) -> None:
        """Called by generated code every ``CLOCK_EVERY`` loop steps (binding loops,
        calls of lets with parameters, loops over collections with nested work), so the
        time limit holds inside one long rule too, not only between firings."""
        self.budget = CLOCK_EVERY
        if time.monotonic() > self.deadline:
            info = self.net.rules[self.unit[0]] if self.unit else None
            where = f" while evaluating '{info.id}' ({info.file}:{info.line})" if info else ""
            raise EvaluationLimitError(
                f"evaluation stopped: more than {self.limits.max_seconds} s (max_seconds){where}",
                info.id if info else None)

    def _too_many_facts(self) -> None:
        self._limit(f"more than {self.limits.max_facts} derived facts (max_facts)")

    def _limit(self, what: str) -> None:
        per_rule = self.per_rule
        if self.log is not None:
            per_rule = {}
            for entry in self.log:
                per_rule[entry[0]] = per_rule.get(entry[0], 0) + 1
        worst = max(per_rule, key=lambda j: (per_rule[j], -j))
        rule = self.net.rules[worst].id
        raise EvaluationLimitError(
            f"evaluation stopped: {what}; rule '{rule}' kept firing "
            f"({per_rule[worst]} firings, {self.net.rules[worst].file}:"
            f"{self.net.rules[worst].line})", rule)


class _Whole:
    """The lookup of a short collection: all of it, whatever the value."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items

    def __call__(self, value, default):
        return self.items


class _WithMissing:
    """The lookup of an index some of whose elements miss the key: they are added to
    every answer."""

    __slots__ = ("buckets", "missing")

    def __init__(self, buckets: dict, missing: list):
        self.buckets = buckets
        self.missing = missing

    def __call__(self, value, default):
        bucket = self.buckets.get(value)
        return self.missing if bucket is None else bucket + self.missing


def tm_date(app: dt.date, k: int) -> dt.date:
    return add_months(app, -k)


class _Evaluating:
    """The context manager of :meth:`Session._evaluating` (a class: entered on every run,
    it costs a third of a generator-based one)."""

    __slots__ = ("S",)

    def __init__(self, session: Session):
        self.S = session

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or not isinstance(exc, Exception) or isinstance(exc, EvaluationLimitError):
            return False  # nothing raised, or raised as it is (limits, KeyboardInterrupt)
        if isinstance(exc, OutOfCalendar):
            raise self.S._out_of_calendar(exc) from None
        raise _located(self.S.net, exc, self.S.unit) from exc  # generated code failed
