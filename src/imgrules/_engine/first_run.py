"""A session's first run: every unit once, firings recorded as compact tuples.

Most sessions are evaluated once (:meth:`Session.evaluate`), so the first run keeps only
what results are read from: the log of firings ``(rule idx, key, elements, outputs)``
and the derived facts. The firing tables and supports that incremental runs need are
built from the log when the profile first changes (:meth:`FirstRun._materialise`).
"""

from __future__ import annotations

import datetime as dt
import time

from .build import milestone_status
from .runtime import HOLDS, MILESTONE, RULE, TABLE, Firing, derived_record, log_supports


# the types of gated values whose equality is exact (no 1 == 1.0 == True): plans are kept
# by values of these types only
_EXACT = frozenset({int, str, dt.date})
_GATE_PLANS = 256  # gate plans kept per network (months to go span a few dozen values)


class FirstRun:
    """The first-run half of :class:`~.session.Session` (its state lives in the
    session's slots)."""

    __slots__ = ()

    def _first_run(self) -> None:
        """Every unit once, in order, recording firings in ``log`` (compact tuples): the
        per-rule firing tables and supports that incremental runs need are built from it
        only if the profile changes later (:meth:`_materialise`)."""
        net, calls = self.net, self.calls
        self.deadline = time.monotonic() + self.limits.max_seconds
        self._phase()
        steps = self._gated_steps() if net.gate_groups else calls.ungated_plan
        self.log = []
        R, rules, status = calls.R, net.rules, self.status
        held, limit = calls.held_outputs, self.limits.max_firings
        with self._evaluating():
            for kind, i, _, unit, derives in steps:
                self.unit = unit
                if kind == MILESTONE:  # the most common step; nothing had a status before
                    st = status[i] = milestone_status(self, i, rules[i])
                    if st is not None:
                        self.changes += 1
                elif kind == HOLDS and i in held and self.log is not None:
                    # its gates decided that it holds, and it says the same for every
                    # profile: the outputs its function gave the first time
                    log = self.log
                    log.append((i, (), (), held[i]))
                    if len(log) > limit or not len(log) & 255:
                        self._check_firings(len(log))
                elif kind == RULE or kind == HOLDS:
                    out: list = []
                    # HOLDS: its gates decided that its condition holds (outputs only)
                    R[i](self, -1 if kind == RULE else -2, None, out)
                    if kind == HOLDS and calls.fixed[i] and not derives:
                        held[i] = out[0][3]
                    if out:
                        if self.log is None:
                            self._first_matches(i, out)
                        else:
                            self._log_matches(i, out, derives)
                elif kind == TABLE:
                    if self.log is None:
                        self._table(i, rules[i])
                    else:
                        self._log_table(i, rules[i])
                else:
                    if self.log is not None:  # recursive units keep the incremental state
                        self._materialise()
                    self._recursive(unit)
        self.first = False

    def _gated_steps(self):
        """The first run's steps: the units always visited and those the gate groups name
        for this profile, in unit order. Each group's candidates are kept in
        ``gate_cands``. When no group nests another, both depend on the values of the
        groups' paths alone, so for whole numbers, text and dates (months to go, a track,
        an exam's status) they are made once per network and values (``Calls.gate_plans``)."""
        calls = self.calls
        G, groups = calls.G, self.net.gate_groups
        values = tuple([G[g](self) for g in range(len(groups))])
        plans = calls.gate_plans
        if plans is not None and set(map(type, values)) <= _EXACT:
            plan = plans.get(values)
            if plan is None:
                if len(plans) >= _GATE_PLANS:
                    plans.clear()
                plan = plans[values] = self._gate_lookup(values)
        else:
            plan = self._gate_lookup(values)
        self.gate_cands = list(plan[1])
        return plan[0]

    def _gate_lookup(self, values: tuple) -> tuple:
        """``(steps, candidates per group)`` for the values of the groups' paths."""
        calls = self.calls
        G, cands = calls.G, []
        visit: list = []
        for group, value in zip(self.net.gate_groups, values):
            # maybe: their match functions decide; held: their gates decided them
            maybe, held = group.lookup(value, self, G)
            # the candidates, as a set once the incremental state is built (_materialise)
            if held:
                cands.append(maybe + held)
                visit.extend(map(calls.held_at.__getitem__, held))
            else:
                cands.append(maybe)
            visit.extend(map(calls.may_at.__getitem__, maybe))
        if not visit:
            return calls.ungated_plan, tuple(cands)
        visit.extend(calls.ungated_at)
        visit.sort()
        return tuple(map(calls.gate_steps.__getitem__, visit)), tuple(cands)

    def _log_matches(self, i: int, out: list, derives: bool) -> None:
        """A rule's matches on the first run: each binding that holds fires once (a
        binding over a list with repeated values matches once per value)."""
        log = self.log
        seen = None
        for key, elems, st, outputs in out:
            if st is True:
                if len(out) > 1:
                    if seen is None:
                        seen = set()
                    elif key in seen:
                        continue
                    seen.add(key)
                log.append((i, key, elems, outputs))
                n = len(log)
                if n > self.limits.max_firings or not n & 255:
                    self._check_firings(n)
                if derives:
                    for o in outputs:
                        if o[0] == "derive":
                            self._derive_new(o[1], o[2], -1 if elems else n - 1)
            else:
                und = self.undecided[i]
                und[key] = (elems, st)

    def _derive_new(self, type_: str, values: tuple, j: int) -> None:
        """A fact derived by the first run's log entry ``j`` (-1 for a firing with
        bindings): made the first time, found after that. The fact's record keeps ``j``,
        or -1 once another firing derives it too (see ``build._Builder.derived``)."""
        facts = self.facts[type_]
        fk = (type_, values)
        rec = facts.get(fk)
        if rec is None:
            facts[fk] = derived_record(self.net.fact_fields[type_], fk, j)
            self.nfacts += 1
            if self.nfacts > self.limits.max_facts:
                self._too_many_facts()
            coll = "f:" + type_
            if self.idx or coll in self.let_inv:  # all that a first-run change touches
                self._change(coll)
        else:
            rec.j = -1

    def _materialise(self) -> None:
        """The incremental state (firings per rule, the supports of each derived fact)
        from the first run's log."""
        log, self.log = self.log, None
        self.gate_cands = [None if c is None else frozenset(c) for c in self.gate_cands]
        firings, per_rule = self.firings, self.per_rule
        made = []
        for seq, (i, key, elems, outputs) in enumerate(log, 1):
            f = Firing(i, key, elems, outputs, seq)
            firings[i][key] = f
            per_rule[i] = per_rule.get(i, 0) + 1
            made.append(f)
        self.supports.update(log_supports(log, made.__getitem__))
        self.seq = self.count = len(log)
        self.changes += 1
        self.fepoch += 1

    def _log_table(self, i: int, info) -> None:
        new, und = self._table_firings(i, info)
        log = self.log
        for key, outputs in new.items():
            log.append((i, key, (), outputs))
            o = outputs[0]
            self._derive_new(o[1], o[2], len(log) - 1)
        if len(log) > self.limits.max_firings:
            self._check_firings(len(log))
        if und:
            self.undecided[i] = und
