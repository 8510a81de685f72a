"""A deliberately naive reference evaluator, used to test the engine differentially.

Expressions are evaluated by the instrumented interpreter of :mod:`imgrules.trace`
(the checked AST interpreted directly, names through ``CheckedPack.refs``); this module
adds only the naive fixpoint: loop over all rules of each stratum until nothing changes,
and return plain comparable sets. No indexing, no code generation, no incremental
anything: slow and obviously right.
"""

from __future__ import annotations

import datetime as dt

from imgrules import ast
from imgrules.builtins import add_months
from imgrules.check.model import node_key
from imgrules.trace.interp import Interpreter, const_value
from imgrules.trace.replay import cell_test
from imgrules.trace.values import Miss, Obj, fact_obj, merge


class Reference:
    def __init__(self, checked, profile: dict):
        self.c = checked
        self.profile = profile
        self.facts: dict[tuple, dict] = {}  # (type, values) -> fields
        self.i = Interpreter(checked, profile, facts={})
        self.mtg = self.i.mtg

    def ev(self, n, env):
        return self.i.ev(n, env)

    def fields(self, t):
        return self.c.schema.records[t].field_names

    # ---------------------------------------------------------------- rules
    def run(self):
        findings, undecided, status = set(), set(), {}
        for s in sorted({e.stratum for e in self.c.rules}):
            entries = [e for e in self.c.rules if e.stratum == s]
            changed = True
            while changed:
                changed = False
                for e in entries:
                    d = e.decl
                    if isinstance(d, ast.Rule):
                        for env, cond in self.matches(d):
                            if cond is True:
                                for a in d.actions:
                                    if isinstance(a, ast.Derive):
                                        changed |= self.derive(a, env)
                                    else:
                                        findings.add((type(a).__name__.lower(), e.id,
                                                      self.text(a.message, env),
                                                      a.severity.text if isinstance(a, ast.Flag) else None))
                            elif isinstance(cond, Miss):
                                undecided.add((e.id, tuple(sorted(cond.paths))))
                    elif isinstance(d, ast.Table):
                        changed |= self.table(e, d, undecided)
        for e in self.c.rules:
            d = e.decl
            if isinstance(d, (ast.Deadline, ast.Window)):
                w = self.ev(d.when, {}) if d.when is not None else True
                if w is True:
                    status[e.id] = self.milestone(d)
        return set(self.facts), findings, undecided, status

    def matches(self, d):
        if d.timing is not None:
            k, m = d.timing.start.months, self.mtg
            ok = {"at": lambda: m == k, "from": lambda: m <= k, "until": lambda: m >= k,
                  "during": lambda: min(k, d.timing.end.months) <= m <= max(k, d.timing.end.months)}
            if not ok[d.timing.kind]():
                return
        envs = [{}]
        for b in d.bindings:
            nxt = []
            for env in envs:
                src = self.ev(b.source, env)
                if isinstance(src, Miss):
                    continue
                for x in src:
                    e2 = dict(env)
                    e2[(node_key(b), b.var.text)] = x
                    nxt.append(e2)
            envs = nxt
        for env in envs:
            yield env, (self.ev(d.when, env) if d.when is not None else True)

    def derive(self, a, env, extra=()):
        names = self.fields(a.fact.text)
        vals = dict(extra)
        pos = 0
        for arg in a.args:
            v = self.ev(arg.value, env)
            name = arg.name.text if arg.name else names[pos]
            if arg.name is None:
                pos += 1
            vals[name] = None if isinstance(v, Miss) else v
        key = (a.fact.text, tuple(vals.get(n) for n in names))
        if key in self.facts:
            return False
        self.facts[key] = vals
        self.i.facts.setdefault(a.fact.text, []).append(
            fact_obj(a.fact.text, [(n, vals.get(n)) for n in names], self.c.schema.records.get(a.fact.text)))
        return True

    def table(self, e, d, undecided):
        if d.when is not None and self.ev(d.when, {}) is not True:
            return False
        ins = [self.ev(x, {}) for x in d.inputs]
        rows = []
        for i, row in enumerate(d.rows):
            res = [True if isinstance(cell, ast.AnyCell) else x if isinstance(x, Miss) else cell_test(cell, x)
                   for cell, x in zip(row.cells, ins)]
            if any(r is False for r in res):
                continue
            rows.append((i, row, True if all(r is True for r in res) else merge(*res)))
        if d.hit.text == "first":
            rows = rows[:1]
        fired = [(i, r) for i, r, st in rows if st is True]
        if d.hit.text == "unique" and fired:
            rows = []
            fired = fired[:1]
        for i, r, st in rows:
            if st is not True:
                undecided.add((e.id, tuple(sorted(st.paths))))
        changed = False
        names = self.fields(d.output.fact.text)
        given = {a.name.text for a in d.output.args if a.name}
        rest = [n for n in names if n not in given]
        for i, row in fired:
            changed |= self.derive(d.output, {}, zip(rest, [const_value(o) for o in row.outputs]))
        return changed

    def milestone(self, d):
        m = self.mtg
        if isinstance(d, ast.Deadline):
            if self.ev(d.require, {}) is True:
                return "done", add_months(self.profile["application_date"], -d.by.months)
            k = d.by.months
            return ("upcoming" if m > k else "due" if m == k else "overdue"), \
                add_months(self.profile["application_date"], -k)
        hi, lo = max(d.start.months, d.end.months), min(d.start.months, d.end.months)
        return ("upcoming" if m > hi else "past" if m < lo else "active"), None

    def text(self, t, env):
        return "".join(p if isinstance(p, str) else _render(self.ev(p, env)) for p in t.parts)


def _render(v):
    """How the engine renders a value in a message."""
    if isinstance(v, Miss):
        return "unknown"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, Obj):
        return v.path
    return str(v)


def reference_run(checked, profile: dict):
    """(derived fact keys, findings, undecided (rule, paths), statuses) of a naive evaluation."""
    return Reference(checked, profile).run()


def engine_view(results):
    """The same four sets from an engine Results, for comparison."""
    kinds = {"flag": "flag", "recommendation": "recommend", "reminder": "remind", "needs_info": "needsinfo"}
    derived = {(d.type, d.fields) for d in results.derived}
    findings = {(kinds[f.kind], f.rule, f.message, f.severity) for f in results.findings
                if f.kind in kinds}
    undecided = {(u.rule, u.missing) for u in results.undecided}
    status = {f.rule: (f.status, f.due_date if f.kind == "milestone" else None)
              for f in results.findings if f.kind in ("milestone", "window")}
    return derived, findings, undecided, status
