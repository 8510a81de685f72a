"""An instrumented interpreter over the checked AST: every test of a condition can emit a
trace event (:mod:`.events`) with the values it saw.

It evaluates one expression at a time, calling the language's operations in
:mod:`imgrules._semantics` (the same the generated code calls), names resolved through
``CheckedPack.refs``; what it adds is only the walk over the AST and the events. It is slow and
simple on purpose: it runs only when asked (explanations, coverage, tests), never on the
evaluation hot path. Derived facts are given to it (``facts``: type -> list of records),
so a replay needs no fixpoint: it reads the facts the engine derived.
"""

from __future__ import annotations

import datetime as dt

from .. import ast
from .. import _types as T
from .._builtins import FUNCTIONS, add_months
from .._check.model import CheckedPack, node_key
from .._semantics import collections as agg
from .._semantics import ops
from .._semantics.cells import constant as const_value
from .._semantics import phase
from .._semantics.values import UNKNOWN, Unk, merge
from .conditions import ConditionIndex, index_conditions, node_text
from .events import BranchEvent, ConditionEvent, call_place
from .values import Obj, outcome, render, wrap


class Interpreter:
    """Evaluate expressions of ``checked`` against one profile and a set of derived facts.

    ``tracer`` (a callable, or None for no events) receives the events; ``owner`` and
    ``binding`` are set by the caller to say which rule and binding they concern.
    """

    def __init__(self, checked: CheckedPack, data: dict, *, facts: dict | None = None,
                 tracer=None, index: ConditionIndex | None = None):
        self.c = checked
        self.schema = checked.schema
        self.data = data
        self.root = Obj(dict(data), "$", checked.schema.profile)
        self.facts: dict[str, list] = facts if facts is not None else {}
        self.tracer = tracer
        self.index = index if index is not None else (index_conditions(checked) if tracer else None)
        self.owner = ""
        self.binding: tuple = ()
        self.via: tuple = ()  # the places of the let calls being evaluated (events' via)
        self._texts: dict = {}
        self._const_sets: dict = {}
        as_of, app = data.get("as_of"), data.get("application_date")
        self.app = app if isinstance(app, dt.date) else None
        self.mtg = phase(as_of, app, "$.{}".format)

    # ---------------------------------------------------------------- helpers
    def text(self, node) -> str:
        if self.index is not None:
            return self.index.text_of(node)
        key = node_key(node)
        out = self._texts.get(key)
        if out is None:
            out = self._texts[key] = node_text(node)
        return out

    def cond_id(self, node) -> str:
        return self.index.id_of(node) if self.index is not None else ""

    def type_of(self, node):
        return self.c.types.get(node_key(node))

    def tmonth(self, months: int):
        if self.app is None:
            return Unk(("$.application_date",))
        try:
            return add_months(self.app, -months)
        except (OverflowError, ValueError):
            return UNKNOWN

    def _emit_cond(self, node, kind: str, result, operands) -> None:
        self.tracer(ConditionEvent(
            self.owner, self.cond_id(node), str(node.span), kind, self.text(node), outcome(result),
            tuple((self.text(n), render(v)) for n, v in operands),
            result.paths() if type(result) is Unk else (), self.binding, self.via))

    # ---------------------------------------------------------------- expressions
    def ev(self, n, env: dict):
        return getattr(self, "x_" + type(n).__name__)(n, env)

    def x_Literal(self, n, env):
        return UNKNOWN if n.value is None else n.value

    def x_Duration(self, n, env):
        return const_value(n)

    def x_TMonth(self, n, env):
        return self.tmonth(n.months)

    def x_Name(self, n, env):
        r = self.c.refs[node_key(n)]
        kind = r.kind
        if kind in ("var", "param"):
            return env[(r.scope, r.name)]
        if kind == "field":
            return self.member(env[r.scope], r.name)
        if kind == "let":
            return self._let(n, self.c.lets[r.name].body, {})
        if kind == "profile":
            return self.root.get(r.name)
        if kind == "facts":
            return list(self.facts.get(r.name, ()))
        if kind == "enum_value":
            return r.name
        if kind == "builtin" and r.name == "months_to_go":
            return self.mtg
        raise ValueError(f"{n.span}: cannot evaluate a {kind} as a value")

    @staticmethod
    def member(obj, name: str):
        if type(obj) is Unk:
            return obj
        if isinstance(obj, Obj):
            return obj.get(name)
        return UNKNOWN

    def x_Member(self, n, env):
        return self.member(self.ev(n.obj, env), n.field.text)

    def x_Index(self, n, env):
        obj, i = self.ev(n.obj, env), self.ev(n.index, env)
        first = obj[0] if isinstance(obj, list) and obj else None
        missing = None
        if isinstance(first, Obj) and first.path and first.path.endswith("]"):
            missing = f"{first.path.rsplit('[', 1)[0]}[{i}]"
        return ops.index(obj, i, missing)

    def x_Neg(self, n, env):
        return ops.negate(self.ev(n.operand, env))

    def x_Not(self, n, env):
        v = self.ev(n.operand, env)
        result = ops.logical_not(v)
        if self.tracer is not None:
            self._emit_cond(n, "not", result, [(n.operand, v)])
        return result

    def x_Arith(self, n, env):
        return ops.arith(n.op, self.ev(n.left, env), self.ev(n.right, env))

    def x_Compare(self, n, env):
        a, b = self.ev(n.left, env), self.ev(n.right, env)
        result = ops.compare(n.op, a, b)
        if self.tracer is not None:
            self._emit_cond(n, "compare", result, [(n.left, a), (n.right, b)])
        return result

    def x_BoolOp(self, n, env):
        unit, zero = (True, False) if n.op == "and" else (False, True)
        result = unit
        seen = []
        for i, operand in enumerate(n.operands):
            v = self.ev(operand, env)
            seen.append((i, operand, v))
            if v is zero:
                result = zero
                break
            if v is not unit:
                result = merge(result, v) if type(result) is Unk else v
        if self.tracer is not None:
            self.tracer(BranchEvent(
                self.owner, self.cond_id(n), str(n.span), n.op, self.text(n), outcome(result),
                tuple((i, self.text(o), outcome(v)) for i, o, v in seen), len(n.operands), self.binding,
                self.via))
        return result

    def x_IfExpr(self, n, env):
        c = self.ev(n.cond, env)
        if c is True:
            return self.ev(n.then, env)
        if c is False:
            return self.ev(n.orelse, env)
        return ops.choose(c, self.ev(n.then, env), self.ev(n.orelse, env))

    def x_IsMissing(self, n, env):
        v = self.ev(n.operand, env)
        result = (type(v) is not Unk) if n.negated else (type(v) is Unk)
        if self.tracer is not None:
            self._emit_cond(n, "missing", result, [(n.operand, v)])
        return result

    def x_In(self, n, env):
        a = self.ev(n.item, env)
        t = n.target
        if isinstance(t, ast.Range):
            lo = self.ev(t.low, env) if t.low is not None else None
            hi = self.ev(t.high, env) if t.high is not None else None
            result = ops.in_range(a, lo, hi)
            shown = [(n.item, a)] + [(x, v) for x, v in ((t.low, lo), (t.high, hi)) if x is not None]
        else:
            coll = self.ev(t, env)
            result = ops.contains(a, coll)
            shown = [(n.item, a), (t, coll)]
        if n.negated and type(result) is not Unk:
            result = not result
        if self.tracer is not None:
            self._emit_cond(n, "in", result, shown)
        return result

    def x_SetLit(self, n, env):
        return ops.make_set(*[self.ev(i, env) for i in n.items])

    def x_Range(self, n, env):
        raise ValueError(f"{n.span}: a range is only allowed after 'in'")

    def x_Call(self, n, env):
        r = self.c.refs[node_key(n)]
        args = [self.ev(a, env) for a in n.args]
        if r.kind == "let":
            d = self.c.lets[r.name]
            return self._let(n, d.body, {(node_key(d), p.text): a for p, a in zip(d.params or (), args)})
        if r.kind == "map":
            return ops.map_get(self._map(r.name), args[0])
        if r.name == "coalesce":
            return ops.coalesce(*args)
        return ops.call(FUNCTIONS[r.name].impl, *args)

    def _let(self, call, body, env):
        """A let's body, reached through ``call``: its events say so (``via``), so that two
        calls of one let in a condition are told apart."""
        via = self.via
        self.via = (*via, call_place(call))
        try:
            return self.ev(body, env)
        finally:
            self.via = via

    def _map(self, name: str) -> dict:
        table = self._const_sets.get(("map", name))
        if table is None:
            table = {const_value(e.key): const_value(e.value) for e in self.c.maps[name].entries}
            self._const_sets[("map", name)] = table
        return table

    # ---------------------------------------------------------------- collections
    def _elements(self, n, env):
        """(source, [(element, inner env)]) of a filter or aggregate."""
        src = self.ev(n.source, env)
        if type(src) is Unk:
            return src, []
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
        if n.predicate is None:
            return self.ev(n.source, env)
        src, elements = self._elements(n, env)
        if type(src) is Unk:
            return src
        kept, unknown = [], None
        for e, inner in elements:
            p = self.ev(n.predicate, inner)
            if p is True:
                kept.append(e)
            elif p is not False:
                unknown = merge(unknown, p) if unknown is not None else p
        return agg.kept(kept, unknown)

    def x_Aggregate(self, n, env):
        f = n.func
        src, elements = self._elements(n, env)
        if type(src) is Unk:
            return src
        if n.predicate is None and f in ("count", "exists"):
            return len(src) if f == "count" else len(src) > 0
        unknown = None
        holds = undecided = 0
        values = []
        for e, inner in elements:
            p = self.ev(n.predicate, inner) if n.predicate is not None else (e if f == "all" else True)
            if f == "exists" and p is True:
                return True
            if f == "all" and p is False:
                return False
            if p is True:
                holds += 1
                if f not in ("count", "exists", "all"):
                    v = self.ev(n.value, inner) if n.value is not None else e
                    if type(v) is Unk:
                        unknown = merge(unknown, v) if unknown is not None else v
                    else:
                        values.append(v)
            elif p is not False:
                undecided += 1
                unknown = merge(unknown, p) if unknown is not None else p
        if f == "count":
            return agg.count(holds, undecided, unknown)
        if f == "exists":
            return agg.exists(unknown)
        if f == "all":
            return agg.every(unknown)
        if f == "sum":
            return agg.total(values, unknown)
        if f in ("union_months", "longest_gap_months"):
            window = self.ev(n.within, env) if n.within is not None else None
            return getattr(agg, f)(values, unknown, window)
        return agg.extreme(f, values, unknown)


def profile_root(checked: CheckedPack, data: dict) -> Obj:
    """The profile as an interpreter record (for callers that only need field access)."""
    return Obj(dict(data), "$", checked.schema.profile)


__all__ = ["Interpreter", "const_value", "node_text", "profile_root", "wrap", "T"]
