"""A deliberately naive reference evaluator of the imgrules language.

It shares no run-time code with ``src/imgrules``: it reads the checked AST (names
resolved through ``CheckedPack.refs``, the checker's output) and gives it meaning with
its own small interpreter written straight from docs/language.md and
docs/language-reference.md. No indexing, no code generation, no incremental anything:
every stratum loops over all of its rules until nothing new is derived, then one last
pass collects what fired and what was undecided. Slow and obviously right; the engine,
the conformance corpus (tests/cases) and the differential tests are checked against it.

Missing data is an :class:`Unknown` carrying the ``$.paths`` it depends on. A ``count``
with unknown elements is a :class:`CountRange` (the counts it could be), so that a
comparison decides when every possible count agrees (Kleene: ``count(C where P) >= 1``
is true as soon as one known element satisfies ``P``).

``reference_json(checked, profile)`` returns the conformance corpus's canonical
projection (see tests/cases/README.md).
"""

from __future__ import annotations

import datetime as dt
import json
import math

from imgrules import ast
from imgrules._check.model import node_key

from reference_values import (BUILTINS, COMPARE, CountRange, Dur, Record, Unknown, add_duration, duration_arith,
                              longest_gap_months, union_months,
                              add_months, const, is_unknown, kleene_and, kleene_or,
                              months_to_go, render, unknown_of)

# ---------------------------------------------------------------- the evaluator


class Reference:
    def __init__(self, checked, profile: dict):
        self.c = checked
        self.schema = checked.schema
        self.profile = profile
        self.root = Record(dict(profile), "$", checked.schema.profile)
        self.facts: dict[str, dict[tuple, Record]] = {}  # type -> key -> record
        self.app = profile.get("application_date")
        as_of = profile.get("as_of")
        self.mtg = months_to_go(as_of, self.app) if as_of and self.app else None

    # ------------------------------------------------------------ expressions
    def ev(self, n, env):
        """The value of ``n``; a count with unknown elements becomes plain unknown."""
        v = self.raw(n, env)
        return unknown_of(v) if isinstance(v, CountRange) else v

    def raw(self, n, env):
        return getattr(self, "x_" + type(n).__name__)(n, env)

    def truth(self, n, env):
        """A condition: True, False or Unknown (an absent condition is true)."""
        if n is None:
            return True
        v = self.ev(n, env)
        return v if isinstance(v, (bool, Unknown)) else unknown_of()

    def x_Literal(self, n, env):
        return Unknown() if n.value is None else n.value

    def x_Duration(self, n, env):
        return Dur(n.amount, n.unit)

    def x_TMonth(self, n, env):
        return add_months(self.app, -n.months)

    def x_Name(self, n, env):
        r = self.c.refs[node_key(n)]
        if r.kind in ("var", "param"):
            return env[(r.scope, r.name)]
        if r.kind == "field":
            return self.member(env[r.scope], r.name)
        if r.kind == "let":
            return self.ev(self.c.lets[r.name].body, {})
        if r.kind == "profile":
            return self.root.get(r.name)
        if r.kind == "facts":
            return list(self.facts.get(r.name, {}).values())
        if r.kind == "enum_value":
            return r.name
        if r.kind == "builtin" and r.name == "months_to_go":
            return self.mtg
        raise ValueError(f"cannot evaluate the name {r}")

    @staticmethod
    def member(obj, name):
        if is_unknown(obj):
            return unknown_of(obj)
        return obj.get(name)

    def x_Member(self, n, env):
        return self.member(self.ev(n.obj, env), n.field.text)

    def x_Index(self, n, env):
        obj, i = self.ev(n.obj, env), self.ev(n.index, env)
        if is_unknown(obj) or is_unknown(i):
            return unknown_of(obj, i)
        if -len(obj) <= i < len(obj):
            return obj[i]
        path = getattr(obj, "path", None)
        return Unknown([f"{path}[{i}]"] if path else [])

    def x_Neg(self, n, env):
        v = self.ev(n.operand, env)
        return v if is_unknown(v) else -v

    def x_Not(self, n, env):
        v = self.truth(n.operand, env)
        return v if is_unknown(v) else not v

    def x_Arith(self, n, env):
        a, b = self.ev(n.left, env), self.ev(n.right, env)
        if is_unknown(a) or is_unknown(b):
            return unknown_of(a, b)
        op = n.op
        if isinstance(a, dt.date) and isinstance(b, Dur):
            return add_duration(a, b, 1 if op == "+" else -1)
        if isinstance(a, Dur) and isinstance(b, dt.date) and op == "+":
            return add_duration(b, a, 1)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and op == "-":
            return (a - b).days
        if isinstance(a, Dur) or isinstance(b, Dur):
            return duration_arith(op, a, b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return Unknown() if b == 0 else a / b

    def x_Compare(self, n, env):
        a, b = self.raw(n.left, env), self.raw(n.right, env)
        test = COMPARE[n.op]
        if isinstance(a, CountRange) and not is_unknown(b):
            return _decide([test(k, b) for k in a.candidates(b)], a)
        if isinstance(b, CountRange) and not is_unknown(a):
            return _decide([test(a, k) for k in b.candidates(a)], b)
        if is_unknown(a) or is_unknown(b):
            return unknown_of(a, b)
        return test(a, b)

    def x_BoolOp(self, n, env):
        values = [self.truth(o, env) for o in n.operands]
        return kleene_and(values) if n.op == "and" else kleene_or(values)

    def x_IfExpr(self, n, env):
        """The branch the condition picks; with the condition unknown, the branches' common
        value when they are the same known value, else unknown."""
        cond = self.truth(n.cond, env)
        if cond is True:
            return self.raw(n.then, env)
        if cond is False:
            return self.raw(n.orelse, env)
        a, b = self.ev(n.then, env), self.ev(n.orelse, env)
        if not is_unknown(a) and not is_unknown(b) and type(a) is type(b) and a == b:
            return a
        return unknown_of(cond, a, b)

    def x_IsMissing(self, n, env):
        present = not is_unknown(self.raw(n.operand, env))
        return present if n.negated else not present

    def x_In(self, n, env):
        t = n.target
        if isinstance(t, ast.Range):
            a = self.raw(n.item, env)
            lo = self.ev(t.low, env) if t.low is not None else None
            hi = self.ev(t.high, env) if t.high is not None else None

            def inside(x):
                parts = []
                if t.low is not None:
                    parts.append(lo if is_unknown(lo) else lo <= x)
                if t.high is not None:
                    parts.append(hi if is_unknown(hi) else x <= hi)
                return kleene_and(parts) if parts else True

            if isinstance(a, CountRange):
                result = _decide([inside(k) for k in range(a.lo, a.hi + 1)], a)
            elif is_unknown(a):
                result = unknown_of(a)
            else:
                result = inside(a)
        else:
            a, coll = self.ev(n.item, env), self.ev(t, env)
            result = unknown_of(a, coll) if is_unknown(a) or is_unknown(coll) else a in coll
        if n.negated and not is_unknown(result):
            return not result
        return result

    def x_SetLit(self, n, env):
        items = [self.ev(i, env) for i in n.items]
        if any(is_unknown(v) for v in items):
            return unknown_of(*items)
        return list(items)

    def x_Call(self, n, env):
        r = self.c.refs[node_key(n)]
        args = [self.ev(a, env) for a in n.args]
        if r.kind == "let":
            decl = self.c.lets[r.name]
            return self.ev(decl.body, {(node_key(decl), p.text): a for p, a in zip(decl.params or (), args)})
        if r.kind == "map":
            if is_unknown(args[0]):
                return args[0]
            for entry in self.c.maps[r.name].entries:
                if const(entry.key) == args[0]:
                    return const(entry.value)
            return Unknown()
        if r.name == "coalesce":
            for a in args:
                if not is_unknown(a):
                    return a
            return unknown_of(*args)
        if any(is_unknown(a) for a in args):
            return unknown_of(*args)
        try:
            return BUILTINS[r.name](*args)
        except (ValueError, TypeError, OverflowError, ZeroDivisionError):
            return Unknown()

    # ------------------------------------------------------------ collections
    def elements(self, n, env):
        """The source's elements with the environment each is seen in (None: unknown source)."""
        src = self.ev(n.source, env)
        if is_unknown(src):
            return src, None
        key = node_key(n)
        out = []
        for e in src:
            inner = dict(env)
            inner[key] = e
            if n.var is not None:
                inner[(key, n.var.text)] = e
            out.append((e, inner))
        return src, out

    def x_Filter(self, n, env):
        src, elements = self.elements(n, env)
        if elements is None or n.predicate is None:
            return src
        kept, unknown = [], []
        for e, inner in elements:
            p = self.truth(n.predicate, inner)
            if p is True:
                kept.append(e)
            elif p is not False:
                unknown.append(p)
        return unknown_of(*unknown) if unknown else kept

    def x_Aggregate(self, n, env):
        src, elements = self.elements(n, env)
        if elements is None:
            return src
        f = n.func
        verdicts = []
        for e, inner in elements:
            if n.predicate is not None:
                verdicts.append((self.truth(n.predicate, inner), inner, e))
            elif f == "all":
                verdicts.append((e if isinstance(e, (bool, Unknown)) else unknown_of(), inner, e))
            else:
                verdicts.append((True, inner, e))
        true = [(inner, e) for p, inner, e in verdicts if p is True]
        unknown = [p for p, _, _ in verdicts if p is not True and p is not False]
        if f == "exists":
            return True if true else (unknown_of(*unknown) if unknown else False)
        if f == "all":
            if any(p is False for p, _, _ in verdicts):
                return False
            return unknown_of(*unknown) if unknown else True
        if f == "count":
            return CountRange(len(true), len(true) + len(unknown), unknown_of(*unknown).paths) if unknown \
                else len(true)
        if f in ("union_months", "longest_gap_months"):
            return self.span_fold(n, env, true, unknown)
        if unknown:
            return unknown_of(*unknown)
        values = [self.ev(n.value, inner) if n.value is not None else e for inner, e in true]
        if any(is_unknown(v) for v in values):
            return unknown_of(*values)
        if f == "sum":
            return math.fsum(values) if any(isinstance(v, float) for v in values) else sum(values)
        if not values:
            return Unknown()
        return min(values) if f == "min" else max(values)

    def span_fold(self, n, env, true, unknown):
        """union_months / longest_gap_months, day by day (reference_values.covered_set):
        elements whose span or condition is unknown leave a range of results."""
        window = self.ev(n.within, env) if n.within is not None else None
        spans = [self.ev(n.value, inner) if n.value is not None else e for inner, e in true]
        unknown = unknown + [s for s in spans if is_unknown(s)]
        if is_unknown(window):
            return unknown_of(window, *unknown)
        spans = [s for s in spans if not is_unknown(s)]
        if n.func == "union_months":
            known = union_months(spans, window)
            if not unknown:
                return known
            most = None if window is None else union_months([window], window)
            return known if known == most else CountRange(known, most, unknown_of(*unknown).paths)
        known = longest_gap_months(spans, window)
        if not unknown or known == 0:
            return known
        return CountRange(0, known, unknown_of(*unknown).paths)

    # ------------------------------------------------------------ rules
    def bindings(self, rule, unknown: list):
        """Every environment of the rule's ``for`` bindings, with its identity key; a
        binding whose collection is unknown adds that unknown to ``unknown``."""
        envs = [({}, ())]
        for b in rule.bindings:
            nxt = []
            for env, key in envs:
                src = self.ev(b.source, env)
                if is_unknown(src) and self.reads_field(b.source):
                    continue  # a list the profile does not record: nothing to bind
                if is_unknown(src):
                    unknown.append(unknown_of(src))
                    continue
                seen = set()
                for x in src:
                    ident = x.identity() if isinstance(x, Record) else ("value", x)
                    if ident in seen:
                        continue
                    seen.add(ident)
                    e2 = dict(env)
                    e2[(node_key(b), b.var.text)] = x
                    nxt.append((e2, key + (ident,)))
            envs = nxt
        return envs

    def reads_field(self, n) -> bool:
        """``mentors``, ``documents.ps_themes``, ``c.programs``: a field read, missing only
        when the profile leaves the list out."""
        if isinstance(n, ast.Member):
            return True
        return isinstance(n, ast.Name) and self.c.refs[node_key(n)].kind in ("profile", "field")

    def in_time(self, timing) -> bool:
        if timing is None:
            return True
        k, m = timing.start.months, self.mtg
        if timing.kind == "at":
            return m == k
        if timing.kind == "from":
            return m <= k
        if timing.kind == "until":
            return m >= k
        lo, hi = sorted((k, timing.end.months))
        return lo <= m <= hi

    def derive(self, action, env, extra=()) -> bool:
        rtype = self.schema.records[action.fact.text]
        values = dict(extra)
        names = list(rtype.field_names)
        position = 0
        for arg in action.args:
            if arg.name is not None:
                name = arg.name.text
            else:
                name = names[position]
                position += 1
            v = self.ev(arg.value, env)
            values[name] = None if is_unknown(v) else v
        key = (action.fact.text, tuple(values.get(n) for n in names))
        table = self.facts.setdefault(action.fact.text, {})
        if key in table:
            return False
        table[key] = Record({n: v for n, v in values.items() if v is not None}, None, rtype, key)
        return True

    def text(self, message, env) -> str:
        return "".join(p if isinstance(p, str) else self.hole(p, env) for p in message.parts)

    def hole(self, expr, env) -> str:
        """A message hole; a value of an enum that declares labels reads as its label."""
        value = self.ev(expr, env)
        labels = dict(getattr(self.c.types.get(node_key(expr)), "labels", ()) or ())
        if isinstance(value, str) and value in labels:
            return labels[value]
        return render(value)

    def rule_pass(self, entry, out):
        """Fire the rule for every binding whose condition holds; when ``out`` is given,
        record findings and undecided bindings there. Returns whether a fact is new."""
        d = entry.decl
        changed = False
        if not self.in_time(d.timing):
            return False
        unknown_sources: list = []
        for env, _key in self.bindings(d, unknown_sources):
            cond = self.truth(d.when, env)
            if cond is True:
                for a in d.actions:
                    if isinstance(a, ast.Derive):
                        changed |= self.derive(a, env)
                    elif out is not None:
                        out["findings"].append(self.finding(entry, a, env))
            elif out is not None and is_unknown(cond):
                out["undecided"].append((entry.id, tuple(sorted(cond.paths))))
        if out is not None:
            out["undecided"].extend((entry.id, tuple(sorted(u.paths))) for u in unknown_sources)
        return changed

    def finding(self, entry, action, env) -> dict:
        kind = {ast.Flag: "flag", ast.Recommend: "recommendation", ast.Remind: "reminder",
                ast.NeedsInfo: "needs_info"}[type(action)]
        f = {"kind": kind, "rule": entry.id, "message": self.text(action.message, env)}
        if isinstance(action, ast.Flag):
            f["severity"] = action.severity.text
        if action.data:
            f["data"] = {d.name.text: _data_value(self.ev(d.value, env)) for d in action.data}
        f["_priority"] = entry.decl.meta.priority or 0
        return f

    def cell(self, cell, x):
        """A cell's test of an input: a comparison, so a count with unknown elements is
        decided when every count it could be gives the same answer."""
        if isinstance(cell, ast.AnyCell):
            return True
        if isinstance(cell, ast.PresenceCell):  # decided whether or not the input is known
            undecided = isinstance(x, CountRange) or is_unknown(x)
            return cell.present is not undecided
        if isinstance(x, CountRange):
            return _decide([self.cell(cell, k) for k in x.candidates(*_cell_consts(cell))], x)
        if is_unknown(x):
            return unknown_of(x)
        if isinstance(cell, ast.EqCell):
            return x == const(cell.value)
        if isinstance(cell, ast.RangeCell):
            return (cell.low is None or const(cell.low) <= x) and (cell.high is None or x <= const(cell.high))
        if isinstance(cell, ast.CmpCell):
            return COMPARE[cell.op](x, const(cell.value))
        inside = x in [const(v) for v in cell.values]
        return not inside if cell.negated else inside

    def table_pass(self, entry, out):
        d = entry.decl
        cond = self.truth(d.when, {})
        if cond is not True:
            if out is not None and is_unknown(cond):
                out["undecided"].append((entry.id, tuple(sorted(cond.paths))))
            return False
        inputs = [self.raw(x, {}) for x in d.inputs]
        verdicts = [kleene_and([self.cell(c, x) for c, x in zip(row.cells, inputs)]) for row in d.rows]
        hit = d.hit.text
        fire, undecided = [], []
        if hit == "first":
            for row, v in zip(d.rows, verdicts):
                if v is True:
                    fire.append(row)
                    break
                if v is not False:
                    undecided.append(v)
                    break
        elif hit == "unique":
            fire = [row for row, v in zip(d.rows, verdicts) if v is True][:1]
            if not fire:
                undecided = [v for v in verdicts if is_unknown(v)]
        else:
            fire = [row for row, v in zip(d.rows, verdicts) if v is True]
            undecided = [v for v in verdicts if is_unknown(v)]
        if out is not None:
            out["undecided"].extend((entry.id, tuple(sorted(v.paths))) for v in undecided)
        names = self.schema.records[d.output.fact.text].field_names
        given = {a.name.text for a in d.output.args if a.name is not None}
        rest = [n for n in names if n not in given]
        changed = False
        for row in fire:
            changed |= self.derive(d.output, {}, zip(rest, [const(o) for o in row.outputs]))
        return changed

    def milestone(self, entry) -> dict | None:
        d = entry.decl
        cond = self.truth(d.when, {})
        if cond is not True:
            return ("undecided", (entry.id, tuple(sorted(cond.paths)))) if is_unknown(cond) else None
        message = self.text(d.message, {}) if d.message is not None else d.title
        m = self.mtg
        if isinstance(d, ast.Deadline) and not isinstance(d.by, ast.TMonth):
            f = self.dated_deadline(d, entry.id, message)
        elif isinstance(d, ast.Window) and not (isinstance(d.start, ast.TMonth)
                                                and isinstance(d.end, ast.TMonth)):
            f = self.dated_window(d, entry.id, message)
        elif isinstance(d, ast.Deadline):
            k = d.by.months
            f = {"kind": "milestone", "rule": entry.id, "message": message}
            if self.app is not None:
                f["due_date"] = add_months(self.app, -k).isoformat()
            if d.severity is not None:
                f["severity"] = d.severity.text
            req = self.truth(d.require, {})
            if req is True:
                f["status"] = "done"
            elif is_unknown(req) or m is None:  # the requirement or the phase is unknown
                f["status"] = "needs_info"
                paths = set(req.paths) if is_unknown(req) else set()
                if m is None:
                    paths |= self.phase_missing()
                if paths:
                    f["missing"] = sorted(paths)
            else:
                f["status"] = "upcoming" if m > k else "due" if m == k else "overdue"
        elif m is None:  # a window in months, the phase unknown
            f = {"kind": "window", "rule": entry.id, "message": message, "status": "needs_info",
                 "missing": sorted(self.phase_missing())}
            if self.app is not None:
                f["due_date"] = add_months(self.app, -d.end.months).isoformat()
        else:
            hi, lo = max(d.start.months, d.end.months), min(d.start.months, d.end.months)
            f = {"kind": "window", "rule": entry.id, "message": message,
                 "status": "upcoming" if m > hi else "past" if m < lo else "active",
                 "due_date": add_months(self.app, -d.end.months).isoformat()}
        f["_priority"] = d.meta.priority or 0
        return ("finding", f)

    def phase_missing(self) -> set:
        """What leaves months_to_go unknown: the dates the profile does not give."""
        return {f"$.{name}" for name in ("as_of", "application_date") if self.profile.get(name) is None}

    def dated_deadline(self, d, rule: str, message: str) -> dict:
        """``by <date>``: done when the requirement holds; else, with the date known, due
        from the day after the date one month earlier up to the date itself, upcoming
        before, overdue after; with the date unknown, needs_info (docs/language.md)."""
        due = self.ev(d.by, {})
        as_of = self.profile.get("as_of")
        f = {"kind": "milestone", "rule": rule, "message": message}
        if d.severity is not None:
            f["severity"] = d.severity.text
        if isinstance(due, dt.date):
            f["due_date"] = due.isoformat()
        req = self.truth(d.require, {})
        if req is True:
            f["status"] = "done"
        elif is_unknown(req) or not isinstance(due, dt.date) or as_of is None:
            f["status"] = "needs_info"
            _missing_into(f, (req, due), as_of)
        elif as_of > due:
            f["status"] = "overdue"
        else:
            f["status"] = "due" if as_of > add_months(due, -1) else "upcoming"
        return f

    def dated_window(self, d, rule: str, message: str) -> dict:
        """``during <date> .. <date>``: active from the earlier date to the later one, both
        included; the due date is the later one; needs_info when a date is unknown."""
        a, b = self.ev(d.start, {}), self.ev(d.end, {})
        as_of = self.profile.get("as_of")
        f = {"kind": "window", "rule": rule, "message": message}
        if isinstance(a, dt.date) and isinstance(b, dt.date) and as_of is not None:
            lo, hi = sorted((a, b))
            f["status"] = "upcoming" if as_of < lo else "past" if as_of > hi else "active"
            f["due_date"] = hi.isoformat()
        else:
            f["status"] = "needs_info"
            _missing_into(f, (a, b), as_of)
            if isinstance(a, dt.date) and isinstance(b, dt.date):
                f["due_date"] = max(a, b).isoformat()
        return f

    def run(self) -> dict:
        out = {"findings": [], "undecided": []}
        for stratum in sorted({e.stratum for e in self.c.rules}):
            entries = [e for e in self.c.rules if e.stratum == stratum
                       and isinstance(e.decl, (ast.Rule, ast.Table))]
            changed = True
            while changed:  # to the fixpoint: derive only
                changed = False
                for e in entries:
                    step = self.rule_pass if isinstance(e.decl, ast.Rule) else self.table_pass
                    changed |= step(e, None)
            for e in entries:  # one last pass: what fired, what was undecided
                (self.rule_pass if isinstance(e.decl, ast.Rule) else self.table_pass)(e, out)
        violations = []
        for e in self.c.rules:
            if isinstance(e.decl, (ast.Deadline, ast.Window)):
                got = self.milestone(e)
                if got is not None:
                    out["findings" if got[0] == "finding" else "undecided"].append(got[1])
            elif isinstance(e.decl, ast.Invariant):
                if self.truth(e.decl.require, {}) is False:
                    violations.append(e.id)
        return {"months_to_go": self.mtg,
                "derived": self.derived_json(),
                "findings": [_public(f) for f in sorted(out["findings"], key=_finding_order)],
                "undecided": sorted(({"rule": r, "needs_info": list(p)} for r, p in out["undecided"]),
                                    key=_json_key),
                "violations": sorted(violations)}

    def derived_json(self) -> list[dict]:
        facts = []
        for type_name, table in self.facts.items():
            names = self.schema.records[type_name].field_names
            for (_, values) in table:
                fact = {"type": type_name}
                fact.update({n: _plain(v) for n, v in zip(names, values) if v is not None})
                facts.append(fact)
        return sorted(facts, key=_json_key)


def _cell_consts(cell) -> list:
    return [const(c) for c in (getattr(cell, "value", None), getattr(cell, "low", None),
                               getattr(cell, "high", None), *getattr(cell, "values", ())) if c is not None]


def _decide(results, count: CountRange):
    if all(r is True for r in results):
        return True
    if all(r is False for r in results):
        return False
    return Unknown(count.paths)


SEVERITY = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


def _finding_order(f: dict):
    """The documented order: overdue and due first, then severity, due date, rule id,
    priority (higher first), message."""
    return (0 if f.get("status") in ("overdue", "due") else 1, SEVERITY.get(f.get("severity"), 5),
            f.get("due_date") or "9999-12-31", f["rule"], -f["_priority"], f["message"])


def _public(f: dict) -> dict:
    return {k: v for k, v in f.items() if not k.startswith("_")}


def _data_value(v):
    """A finding's data value as JSON: unknown is null, a date ISO."""
    return None if is_unknown(v) else _plain(v)


def _plain(v):
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _json_key(d: dict) -> str:
    return json.dumps(d, sort_keys=True, default=str)


def reference_json(checked, profile: dict) -> dict:
    """The canonical projection (tests/cases/README.md) of a naive evaluation."""
    return Reference(checked, profile).run()


def _missing_into(finding: dict, values, as_of) -> None:
    """A date-anchored milestone's ``missing``: the paths of its unknown values, and
    ``$.as_of`` when that is not given."""
    paths = set()
    for v in values:
        if is_unknown(v):
            paths |= set(v.paths)
    if as_of is None:
        paths.add("$.as_of")
    if paths:
        finding["missing"] = sorted(paths)
