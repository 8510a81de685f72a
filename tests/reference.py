"""A deliberately naive reference evaluator, used to test the engine differentially.

It interprets the checked AST directly (names through ``CheckedPack.refs``), loops over
all rules of each stratum until nothing changes, and returns plain comparable sets. No
indexing, no code generation, no incremental anything: slow and obviously right.
"""

from __future__ import annotations

import datetime as dt

from imgrules import ast
from imgrules.builtins import FUNCTIONS, add_duration, add_months
from imgrules.check.model import node_key


class Miss:
    def __init__(self, paths=frozenset()):
        self.paths = frozenset(paths)


def _m(*vals):
    out = frozenset()
    for v in vals:
        if isinstance(v, Miss):
            out |= v.paths
    return Miss(out)


class Obj:
    """A record with its input path (None for derived facts)."""

    def __init__(self, data, path, key=None):
        self.data, self.path, self.key = data, path, key

    def get(self, f):
        v = self.data.get(f)
        if v is None:
            return Miss({f"{self.path}.{f}"} if self.path else set())
        return wrap(v, f"{self.path}.{f}" if self.path else None)


def wrap(v, path):
    if isinstance(v, dict):
        return Obj(v, path)
    if isinstance(v, list):
        return [wrap(x, f"{path}[{i}]" if path else None) for i, x in enumerate(v)]
    return v


def phase(as_of, app):
    m = 12 * (app.year - as_of.year) + (app.month - as_of.month)
    return m - 1 if app.day < as_of.day else m


class Reference:
    def __init__(self, checked, profile: dict):
        self.c = checked
        self.profile = profile
        self.root = Obj(profile, "$")
        self.facts: dict[tuple, dict] = {}  # (type, values) -> fields
        as_of, app = profile.get("as_of"), profile.get("application_date")
        self.mtg = phase(as_of, app) if as_of and app else Miss({"$.as_of"})

    # ---------------------------------------------------------------- expressions
    def ev(self, n, env):
        c = self.c
        if isinstance(n, ast.Literal):
            return Miss() if n.value is None else n.value
        if isinstance(n, ast.Duration):
            return ("dur", n.amount, n.unit)
        if isinstance(n, ast.TMonth):
            return add_months(self.profile["application_date"], -n.months)
        if isinstance(n, ast.Name):
            r = c.refs[node_key(n)]
            if r.kind in ("var", "param"):
                return env[(r.scope, r.name)]
            if r.kind == "field":
                return self.get(env[r.scope], r.name)
            if r.kind == "let":
                return self.ev(c.lets[r.name].body, {})
            if r.kind == "profile":
                return self.get(self.root, r.name)
            if r.kind == "facts":
                return [Obj({k: v for k, v in zip(self.fields(t), vals) if v is not None}, None,
                            (t, vals)) for (t, vals) in sorted(self.facts, key=repr) if t == r.name]
            if r.kind == "enum_value":
                return r.name
            return self.mtg
        if isinstance(n, ast.Member):
            return self.get(self.ev(n.obj, env), n.field.text)
        if isinstance(n, ast.Index):
            o, i = self.ev(n.obj, env), self.ev(n.index, env)
            if isinstance(o, Miss) or isinstance(i, Miss):
                return _m(o, i)
            return o[i] if -len(o) <= i < len(o) else Miss()
        if isinstance(n, ast.Neg):
            v = self.ev(n.operand, env)
            return v if isinstance(v, Miss) else -v
        if isinstance(n, ast.Not):
            v = self.ev(n.operand, env)
            return v if isinstance(v, Miss) else not v
        if isinstance(n, ast.Arith):
            a, b = self.ev(n.left, env), self.ev(n.right, env)
            if isinstance(a, Miss) or isinstance(b, Miss):
                return _m(a, b)
            if isinstance(a, dt.date) and isinstance(b, tuple):
                return add_duration(a, b[1] if n.op == "+" else -b[1], b[2])
            if isinstance(a, dt.date):
                return (a - b).days
            if n.op == "/":
                return Miss() if b == 0 else a / b
            return {"+": a + b, "-": a - b, "*": a * b}[n.op] if n.op != "*" else a * b
        if isinstance(n, ast.Compare):
            a, b = self.ev(n.left, env), self.ev(n.right, env)
            if isinstance(a, Miss) or isinstance(b, Miss):
                return _m(a, b)
            return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b,
                    ">=": a >= b}[n.op] if n.op in ("==", "!=") else \
                {"<": lambda: a < b, "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b}[n.op]()
        if isinstance(n, ast.BoolOp):
            vals = [self.ev(o, env) for o in n.operands]  # no short circuit: Kleene by tables
            dec = False if n.op == "and" else True
            if any(v is dec for v in vals):
                return dec
            if any(isinstance(v, Miss) for v in vals):
                return _m(*vals)
            return not dec
        if isinstance(n, ast.IsMissing):
            v = self.ev(n.operand, env)
            return (not isinstance(v, Miss)) if n.negated else isinstance(v, Miss)
        if isinstance(n, ast.In):
            a = self.ev(n.item, env)
            t = n.target
            if isinstance(t, ast.Range):
                lo = self.ev(t.low, env) if t.low is not None else None
                hi = self.ev(t.high, env) if t.high is not None else None
                if any(isinstance(x, Miss) for x in (a, lo, hi)):
                    return _m(a, lo, hi)
                r = (lo is None or lo <= a) and (hi is None or a <= hi)
            else:
                coll = self.ev(t, env)
                if isinstance(a, Miss) or isinstance(coll, Miss):
                    return _m(a, coll)
                r = a in coll
            return (not r) if n.negated else r
        if isinstance(n, ast.SetLit):
            vals = [self.ev(i, env) for i in n.items]
            return _m(*vals) if any(isinstance(v, Miss) for v in vals) else set(vals)
        if isinstance(n, ast.Call):
            r = c.refs[node_key(n)]
            args = [self.ev(a, env) for a in n.args]
            if r.kind == "let":
                d = c.lets[r.name]
                return self.ev(d.body, {(node_key(d), p.text): a for p, a in zip(d.params, args)})
            if r.kind == "map":
                if isinstance(args[0], Miss):
                    return args[0]
                for e in c.maps[r.name].entries:
                    if _const(c, e.key) == args[0]:
                        return _const(c, e.value)
                return Miss()
            if r.name == "coalesce":
                for a in args:
                    if not isinstance(a, Miss):
                        return a
                return _m(*args)
            if any(isinstance(a, Miss) for a in args):
                return _m(*args)
            return FUNCTIONS[r.name].impl(*args)
        if isinstance(n, (ast.Filter, ast.Aggregate)):
            return self.collection(n, env)
        raise NotImplementedError(type(n).__name__)

    def get(self, o, f):
        if isinstance(o, Miss):
            return o
        return o.get(f)

    def collection(self, n, env):
        src = self.ev(n.source, env)
        if isinstance(src, Miss):
            return src
        key = node_key(n)
        rows = []
        for e in src:
            inner = dict(env)
            inner[key] = e
            if n.var is not None:
                inner[(key, n.var.text)] = e
            p = self.ev(n.predicate, inner) if n.predicate is not None else (
                e if getattr(n, "func", None) == "all" else True)
            v = self.ev(n.value, inner) if getattr(n, "value", None) is not None and p is True else e
            rows.append((e, p, v))
        unknown = _m(*[p for _, p, _ in rows])
        if isinstance(n, ast.Filter):
            return unknown if unknown.paths or any(isinstance(p, Miss) for _, p, _ in rows) \
                else [e for e, p, _ in rows if p is True]
        f = n.func
        has_unknown = any(isinstance(p, Miss) for _, p, _ in rows)
        if f == "exists":
            return True if any(p is True for _, p, _ in rows) else (unknown if has_unknown else False)
        if f == "all":
            return False if any(p is False for _, p, _ in rows) else (unknown if has_unknown else True)
        if has_unknown:
            return unknown
        if f == "count":
            return sum(1 for _, p, _ in rows if p is True)
        vals = [v for _, p, v in rows if p is True]
        if any(isinstance(v, Miss) for v in vals):
            return _m(*vals)
        if f == "sum":
            return sum(vals)
        return (min if f == "min" else max)(vals) if vals else Miss()

    def fields(self, t):
        return self.c.schema.records[t].field_names

    # ---------------------------------------------------------------- rules
    def run(self):
        findings, undecided, status = set(), set(), {}
        strata = sorted({e.stratum for e in self.c.rules})
        for s in strata:
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
        return True

    def table(self, e, d, undecided):
        if d.when is not None and self.ev(d.when, {}) is not True:
            return False
        ins = [self.ev(x, {}) for x in d.inputs]
        rows = []
        for i, row in enumerate(d.rows):
            res = [self.cell(self.c, cell, x) for cell, x in zip(row.cells, ins)]
            if any(r is False for r in res):
                continue
            rows.append((i, row, True if all(r is True for r in res) else _m(*res)))
        if d.hit.text == "first":
            rows = rows[:1]
        fired = [(i, r) for i, r, st in rows if st is True]
        if d.hit.text == "unique" and fired:
            rows = []
        for i, r, st in rows:
            if st is not True:
                undecided.add((e.id, tuple(sorted(st.paths))))
        changed = False
        names = self.fields(d.output.fact.text)
        given = {a.name.text for a in d.output.args if a.name}
        rest = [n for n in names if n not in given]
        for i, row in fired:
            changed |= self.derive(d.output, {}, zip(rest, [_const(self.c, o) for o in row.outputs]))
        return changed

    @staticmethod
    def cell(c, cell, x):
        if isinstance(cell, ast.AnyCell):
            return True
        if isinstance(x, Miss):
            return x
        if isinstance(cell, ast.EqCell):
            return x == _const(c, cell.value)
        if isinstance(cell, ast.RangeCell):
            return (cell.low is None or _const(c, cell.low) <= x) and (
                cell.high is None or x <= _const(c, cell.high))
        if isinstance(cell, ast.CmpCell):
            v = _const(c, cell.value)
            return {"==": x == v, "!=": x != v, "<": x < v, "<=": x <= v, ">": x > v, ">=": x >= v}[cell.op]
        vals = {_const(c, v) for v in cell.values}
        return (x not in vals) if cell.negated else (x in vals)

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
        out = []
        for p in t.parts:
            if isinstance(p, str):
                out.append(p)
            else:
                v = self.ev(p, env)
                out.append(_render(v))
        return "".join(out)


def _render(v):
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


def _const(c, node):
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, (ast.Literal, ast.NegLit)):
        return node.value
    raise NotImplementedError(type(node).__name__)


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
