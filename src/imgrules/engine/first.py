"""The first evaluation of a session, with as little bookkeeping as the result needs.

A first run has nothing to diff: no previous firings, no deltas, no dirty collections.
:func:`first_run` therefore visits the evaluation units through a plan resolved once per
network (:func:`plan_of`: each unit's functions and metadata in one tuple) and records
firings directly, instead of going through the general propagation of
:mod:`.session` (which serves incremental runs). It leaves the session in exactly the
state the general path leaves (the same firings, supports, facts, undecided bindings and
statuses, in the same insertion order), so incremental runs, results and explanations
that follow do not know which path ran. Recursive units, deadlines and windows use the
session's own methods; a session with a tracer always takes the general path.
"""

from __future__ import annotations

import time

from .build import table_outputs
from .runtime import Firing, derived_record, simple_truth, split_matches

FUSED, RULE, SIMPLE, TABLE, OTHER = 0, 1, 2, 3, 4


def plan_of(net) -> tuple:
    """Per unit: ``(FUSED, i, F)`` (a rule's or table's generated first-run function:
    matching and actions in one), ``(RULE, i, R, A)`` (the same from its matching and action
    functions), ``(SIMPLE, i, tests, outputs)`` (a rule kept as data), ``(TABLE, i, T, TA,
    info)`` or ``(OTHER, unit)`` (a recursive unit, a deadline or window, an invariant:
    the session's general code)."""
    calls = net.calls
    steps = []
    for unit in net.units:
        i = unit[0]
        info = net.rules[i]
        if len(unit) == 1 and not info.recursive and info.kind == "rule":
            simple = net.simple.get(i)  # a rule kept as data: tests and constant outputs
            if simple is not None:
                steps.append((SIMPLE, i, simple[0], simple[1]))
            elif calls.F[i] is not None:
                steps.append((FUSED, i, calls.F[i]))
            else:
                steps.append((RULE, i, calls.R[i], calls.A[i]))
        elif len(unit) == 1 and not info.recursive and info.kind == "table":
            if calls.F[i] is not None:
                steps.append((FUSED, i, calls.F[i]))
            else:
                steps.append((TABLE, i, calls.T[i], calls.TA[i], info))
        else:
            steps.append((OTHER, unit))
    return tuple(steps)


def first_run(S) -> None:
    """Evaluate every unit once, in dependency order (the session's first run)."""
    net = S.net
    plan = net.calls.plan
    S.deadline = time.monotonic() + S.limits.max_seconds
    S._phase()
    groups = net.gate_groups
    cands = S.gate_cands
    if groups:
        G = S.calls.G
        work = set(net.ungated)
        unit_of = net.unit_of
        for g, group in enumerate(groups):
            cands[g] = new = group.candidates(G[g](S))
            for i in new:
                work.add(unit_of[i])
        steps = [plan[u] for u in sorted(work)]
    else:
        steps = plan
    firings, undecided = S.firings, S.undecided
    for step in steps:
        kind = step[0]
        if kind == FUSED:
            und = {}
            step[2](S, fire, und)
            if und:
                undecided[step[1]] = und
        elif kind == RULE:
            # a gated rule is here only if its gate let it through (work above)
            _, i, R, A = step
            out: list = []
            R(S, -1, None, out)
            if not out:
                continue
            if len(out) == 1:  # the usual case: no dictionaries
                key, elems, st = out[0]
                if st is True:
                    fire(S, i, key, elems, A(S, *elems))
                else:
                    undecided[i] = {key: (elems, st)}
                continue
            new, und = split_matches(out)
            if und:
                undecided[i] = und
            for key, elems in new.items():
                fire(S, i, key, elems, A(S, *elems))
        elif kind == SIMPLE:
            _, i, tests, outputs = step
            t = simple_truth(tests, S)
            if t is True:
                fire(S, i, (), (), outputs)
            elif t is not False:
                undecided[i] = {(): ((), t)}
        elif kind == TABLE:
            _, i, T, TA, info = step
            out = []
            T(S, out)
            rows, und = table_outputs(info, out)
            if und:
                undecided[i] = und
            if rows:
                template = TA(S)
                fields = net.fact_fields[info.out_type]
                for row in rows:
                    values = dict(template)
                    values.update(zip(info.row_fields, info.row_values[row]))
                    fire(S, i, (row,), (), (("derive", info.out_type,
                                              tuple([values.get(f) for f in fields])),))
        else:
            unit = step[1]
            info = net.rules[unit[0]]
            if len(unit) == 1 and not info.recursive:
                if info.kind in ("deadline", "window"):
                    S._milestone(unit[0], info)
            else:
                S._recursive(unit)
    S.count = S.seq
    if firings:
        S.changes += 1


def fire(S, i: int, key, elems, outputs) -> None:
    """Record one firing of a first run (what ``Session._fire`` does, minus the change
    tracking and tracing a first run does not need)."""
    S.seq = count = S.seq + 1
    f = Firing(i, key, elems, outputs, count)
    S.firings[i][key] = f
    per_rule = S.per_rule
    per_rule[i] = per_rule.get(i, 0) + 1
    if count > S.limits.max_firings or not count & 255:
        S._check_firings(count)
    for out in outputs:
        if out[0] == "derive":
            _derive(S, i, key, f, out[1], out[2])


def _derive(S, i: int, key, f, ftype: str, values: tuple) -> None:
    fk = (ftype, values)
    supports = S.supports
    sup = supports.get(fk)
    if sup is None:
        sup = supports[fk] = {}
        rec = derived_record(S.net.fact_fields[ftype], fk)
        S.facts[ftype][fk] = rec
        if len(supports) > S.limits.max_facts:
            S._too_many_facts()
        if S.idx or S.let_inv:  # an index or a let that read this type is now stale
            S._change("f:" + ftype, added=rec)
    sup[(i, key)] = f
    S.fepoch += 1
