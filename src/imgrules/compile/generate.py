"""Generate the Python module of a checked pack: one function per let, rule, action, table,
deadline, window, invariant and gate, plus the metadata (:class:`RuleInfo`) the engine needs.

Generated function signatures (``S`` is the session):

- ``L<i>(S)``, ``LF<i>(S, *params)``: a let's value (cached per session by the caller).
- ``R<i>(S, pin, pe, out)``: match rule i; appends ``(key, elements, True | Unk)`` for each
  binding whose condition holds or is unknown. ``pin``/``pe`` fix binding ``pin`` to the
  element ``pe`` (incremental evaluation of one new element).
- ``A<i>(S, *elements)``: the rule's actions for one binding -> tuple of outputs
  ``('derive', type, values)`` or ``(kind, severity, message)``.
- ``T<i>(S, out)``: table rows: ``((row,), (), True | Unk)``; ``TA<i>(S)``: template fields.
- ``D<i>(S)`` -> ``(when, require)``, ``W<i>(S)`` -> when, ``I<i>(S)`` -> require,
  ``M<i>(S)`` -> message, ``G<g>(S)`` -> the value of gate path g.
"""

from __future__ import annotations

from .. import ast
from .. import types as T
from ..check.model import CheckedPack, node_key
from . import analysis as A
from .emit import ConstPool, Env, ExprWriter, FnWriter, derive_by_field
from .network import RuleInfo
from .simple import reads_and_paths, simple_rule

FINDING_KIND = {ast.Flag: "flag", ast.Recommend: "recommendation", ast.Remind: "reminder",
                ast.NeedsInfo: "needs_info"}


def _meta(decl):
    m = decl.meta
    return tuple(m.cites), tuple(c.text for c in m.covers), m.priority


def _timing_of(timing) -> tuple[str, int, int | None] | None:
    if timing is None:
        return None
    end = timing.end.months if timing.end is not None else None
    return (str(timing.kind), int(timing.start.months), None if end is None else int(end))


def timing_test(timing, m: str) -> str:
    """Python source testing a rule's timing (``at``/``from``/``until``/``during``) on the
    months to go held in ``m``."""
    k = int(timing.start.months)
    if timing.kind == "at":
        return f"{m} == {k}"
    if timing.kind == "from":
        return f"{m} <= {k}"
    if timing.kind == "until":
        return f"{m} >= {k}"
    e = int(timing.end.months)
    return f"{min(k, e)} <= {m} <= {max(k, e)}"


def tuple_code(items: list[str]) -> str:
    """Python source of a tuple of the given expressions."""
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


def written(text, sources) -> str:
    """A message as written in the pack: holes shown as ``{expression}`` from the source."""
    if text is None:
        return ""
    out = []
    for part in text.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        source = (sources or {}).get(part.span.path)
        found = getattr(source, "text", "")[part.span.start:part.span.end] if source else ""
        out.append("{" + (found.strip() or "\u2026") + "}")
    return "".join(out)


class Generator:
    def __init__(self, checked: CheckedPack):
        self.checked = checked
        self.pool = ConstPool()
        self.let_ids = {name: i for i, name in enumerate(sorted(checked.lets))}
        self.map_ids = {name: i for i, name in enumerate(sorted(checked.maps))}
        self.writer = ExprWriter(checked, self.pool, self.let_ids, self.map_ids)
        self.reads = A.Reads(checked)
        self.fns: list[FnWriter] = []
        self.simple: dict[int, tuple] = {}  # rule idx -> (tests, outputs), see .simple
        self.gate_options: dict[int, tuple] = {}  # rule idx -> usable gates, when several
        self.fact_fields = {name: rec.field_names for name, rec in checked.schema.facts.items()}

    # ------------------------------------------------------------------ lets
    def lets(self) -> None:
        for name, i in self.let_ids.items():
            decl = self.checked.lets[name]
            env = Env()
            if decl.params is None:
                fn = FnWriter(f"def L{i}(S):", decl.span)
            else:
                params = [f"p{j}" for j in range(len(decl.params))]
                fn = FnWriter(f"def LF{i}(S, {', '.join(params)}):", decl.span)
                for j, p in enumerate(decl.params):
                    env = env.bind(node_key(decl), p.text, params[j])
            self._prologue(fn)
            v = self.writer.expr(decl.body, fn, env)
            fn.emit(f"return {v}", decl.body.span)
            self.fns.append(fn)

    def _prologue(self, fn: FnWriter) -> None:
        fn.emit("ROOT = S.root; LETS = S.lets")

    # ------------------------------------------------------------------ rules
    def rule(self, i: int, entry) -> RuleInfo:
        decl = entry.decl
        cites, covers, priority = _meta(decl)
        base = dict(idx=i, id=entry.id, title=decl.title, pack=entry.pack, file=entry.path,
                    line=decl.span.line, cites=cites, covers=covers, priority=priority,
                    stratum=entry.stratum)
        if isinstance(decl, ast.Rule):
            return self._rule(i, decl, base)
        if isinstance(decl, ast.Table):
            return self._table(i, decl, base)
        if isinstance(decl, ast.Deadline):
            fn = FnWriter(f"def D{i}(S):", decl.span)
            self._prologue(fn)
            w = self.writer.expr(decl.when, fn, Env()) if decl.when is not None else "True"
            r = self.writer.expr(decl.require, fn, Env())
            fn.emit(f"return ({w}, {r})")
            self.fns.append(fn)
            self._message(i, decl.message)
            reads = self._reads([decl.when, decl.require, decl.message]) | A.PHASE_READS
            return RuleInfo(**base, kind="deadline", reads=reads, whole=reads, k=decl.by.months,
                            matched=A.static_paths(self.checked, [decl.when, decl.require]))
        if isinstance(decl, ast.Window):
            fn = FnWriter(f"def W{i}(S):", decl.span)
            self._prologue(fn)
            w = self.writer.expr(decl.when, fn, Env()) if decl.when is not None else "True"
            fn.emit(f"return {w}")
            self.fns.append(fn)
            self._message(i, decl.message)
            reads = self._reads([decl.when, decl.message]) | A.PHASE_READS
            return RuleInfo(**base, kind="window", reads=reads, whole=reads,
                            start=decl.start.months, end=decl.end.months,
                            matched=A.static_paths(self.checked, [decl.when]))
        # invariant
        fn = FnWriter(f"def I{i}(S):", decl.span)
        self._prologue(fn)
        r = self.writer.expr(decl.require, fn, Env())
        fn.emit(f"return {r}")
        self.fns.append(fn)
        reads = self._reads([decl.require])
        return RuleInfo(**base, kind="invariant", reads=reads, whole=reads)

    def _reads(self, nodes) -> frozenset:
        out = frozenset()
        for n in nodes:
            if n is not None:
                out |= self.reads.of(n)
        return out

    def _message(self, i: int, text) -> None:
        fn = FnWriter(f"def M{i}(S):", text.span if text is not None else None)
        self._prologue(fn)
        if text is None:
            fn.emit("return None")
        else:
            fn.emit(f"return {self.writer.text(text, fn, Env())}")
        self.fns.append(fn)

    def _rule(self, i: int, decl: ast.Rule, base: dict) -> RuleInfo:
        checked, w = self.checked, self.writer
        simple = simple_rule(checked, w, self.fact_fields, decl)
        if simple is not None:  # kept as data, run by the shared interpreter
            self.simple[i] = simple
            reads, matched = reads_and_paths(simple[0])
            return RuleInfo(**base, kind="rule", reads=reads, whole=reads,
                            derives=frozenset("f:" + o[1] for o in simple[1] if o[0] == "derive"),
                            gate=self._gate(i, decl.when),
                            says=any(o[0] != "derive" for o in simple[1]),
                            reminders=tuple(o[2] for o in simple[1] if o[0] == "reminder"),
                            matched=matched)
        fn = FnWriter(f"def R{i}(S, pin, pe, out):", decl.span)
        env, elems, pins, whole, gate = self._match(i, decl, fn, first=False)
        self.fns.append(fn)
        # actions
        act = FnWriter(f"def A{i}(S{''.join(', ' + e for e in elems)}):", decl.span)
        self._prologue(act)
        derives = self._actions(decl, act, env)
        act.emit("return tuple(res)")
        self.fns.append(act)
        # the first run's function: matching and actions in one (imgrules.engine.first)
        ff = FnWriter(f"def F{i}(S, fire, und):", decl.span)
        self._match(i, decl, ff, first=True)
        self.fns.append(ff)
        for action in decl.actions:
            whole |= self._reads([action])
        for a in decl.actions:
            for arg in getattr(a, "args", ()):
                whole |= self.reads.of(arg.value)
            if hasattr(a, "message"):
                whole |= self.reads.of(a.message)
        reads = set(whole) | {p for p in pins if p is not None}
        return RuleInfo(**base, kind="rule", vars=tuple(b.var.text for b in decl.bindings),
                        pins=tuple(pins), reads=frozenset(reads), whole=frozenset(whole),
                        derives=frozenset(derives), gate=gate,
                        says=any(not isinstance(a, ast.Derive) for a in decl.actions),
                        timing=_timing_of(decl.timing),
                        reminders=tuple(written(a.message, self.checked.sources)
                                        for a in decl.actions if isinstance(a, ast.Remind)),
                        matched=A.static_paths(checked, [decl.when]))

    def _match(self, i: int, decl: ast.Rule, fn: FnWriter, first: bool):
        """Emit the matching of a rule: its binding loops and condition.

        ``R<i>(S, pin, pe, out)`` (``first`` False) appends ``(key, elements, truth)`` to
        ``out`` for each binding whose condition holds or is unknown; a binding can be
        pinned to one element. ``F<i>(S, fire, und)`` (``first`` True) runs the actions of
        each binding whose condition holds and calls ``fire(S, i, key, elements,
        outputs)``, and puts the undecided ones in ``und``: what the session does with the
        output of ``R`` and ``A``, without the intermediate list. Returns the environment
        inside the loops, the element locals, the pins, the whole-reads and the gate."""
        checked, w = self.checked, self.writer
        self._prologue(fn)
        gate = A.timing_gate(decl.timing)
        if decl.timing is not None:
            self._timing(fn, decl.timing, first)
        env = Env()
        keys: list[str] = []
        elems: list[str] = []
        pins: list[str | None] = []
        whole = set(A.PHASE_READS) if decl.timing is not None else set()
        earlier: set = set()
        repeats = False  # a key may repeat (scalar bindings): fire once per key
        for j, b in enumerate(decl.bindings):
            local = f"v{j}"
            coll = A.plain_collection(checked, b.source)
            pins.append(coll)
            src = f"s{j}"
            key_p, elem_p = tuple_code(keys), tuple_code(elems)
            if coll is not None:
                join = A.join_key(checked, decl.when, node_key(b), b.var.text, earlier) if j > 0 else None
                if not first:
                    fn.emit(f"if pin == {j}: {src} = (pe,)", b.span)
                    fn.emit("else:")
                    fn.indent()
                if join is not None:
                    jv = w.expr(join[1], fn, env)  # evaluated only to pick the bucket
                    fn.emit(f"{src} = S.scan({w.const(coll)}) if type({jv}) is Unk "
                            f"else S.probe({w.const(coll)}, {w.const(join[0])}, {jv})", b.span)
                    whole |= self.reads.of(join[1])
                else:
                    fn.emit(f"{src} = S.scan({w.const(coll)})", b.span)
                if not first:
                    fn.dedent()
                key = f"{local}.k"
            else:
                whole |= self.reads.of(b.source)
                if not first:
                    fn.emit(f"if pin == {j}: {src} = (pe,)", b.span)
                    fn.emit("else:")
                    fn.indent()
                x = w.expr(b.source, fn, env)
                if first:
                    fn.emit(f"if type({x}) is Unk: und[{key_p}] = ({elem_p}, {x}); {src} = ()", b.span)
                else:
                    fn.emit(f"if type({x}) is Unk: out.append(({key_p}, {elem_p}, {x})); {src} = ()",
                            b.span)
                fn.emit(f"else: {src} = {x}")
                if not first:
                    fn.dedent()
                item = checked.types.get(node_key(b.source))
                is_rec = isinstance(item, T.ListType) and isinstance(item.item, T.RecordType)
                key = f"{local}.k" if is_rec else f"key_of({local})"
                repeats |= not is_rec
            fn.emit(f"for {local} in {src}:", b.span)
            fn.indent()
            env = env.bind(node_key(b), b.var.text, local)
            earlier.add(node_key(b))
            keys.append(key)
            elems.append(local)
        key_t, elem_t = tuple_code(keys), tuple_code(elems)
        span = decl.when.span if decl.when is not None else decl.span
        c = "True"
        if decl.when is not None:
            c = w.expr(decl.when, fn, env)
            whole |= self.reads.of(decl.when)
            if gate is None:
                gate = self._gate(i, decl.when)
        if not first:
            if c == "True":
                fn.emit(f"out.append(({key_t}, {elem_t}, True))", span)
            else:
                fn.emit(f"if {c} is True: out.append(({key_t}, {elem_t}, True))", span)
                fn.emit(f"elif {c} is not False: out.append(({key_t}, {elem_t}, {c}))", span)
            return env, elems, pins, whole, gate
        if c != "True":
            fn.emit(f"if {c} is not True:", span)
            fn.emit(f"    if {c} is not False: und[{key_t}] = ({elem_t}, {c})", span)
            fn.emit("    continue" if decl.bindings else "    return", span)
        if repeats:
            fn.emit(f"if {key_t} not in S.firings[{i}]:", span)
            fn.indent()
        self._actions(decl, fn, env)
        fn.emit(f"fire(S, {i}, {key_t}, {elem_t}, tuple(res))", span)
        return env, elems, pins, whole, gate

    def _actions(self, decl: ast.Rule, fn: FnWriter, env) -> set:
        """Emit a rule's actions for one binding, into the list ``res``; returns the fact
        types (``f:<type>``) it derives."""
        w = self.writer
        fn.emit("res = []")
        derives = set()
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                derives.add("f:" + action.fact.text)
                values = self._derive_args(action, fn, env)
                fn.emit(f"res.append(('derive', {w.const(action.fact.text)}, {values}))", action.span)
            else:
                s = w.text(action.message, fn, env)
                sev = w.const(action.severity.text) if isinstance(action, ast.Flag) else "None"
                fn.emit(f"res.append(({w.const(FINDING_KIND[type(action)])}, {sev}, {s}))", action.span)
        return derives

    def _gate(self, i: int, when):
        """The first usable gate; the pack-wide choice is made later (choose_gates)."""
        if when is None:
            return None
        gates = A.find_gates(self.checked, self.writer, when)
        if len(gates) > 1:
            self.gate_options[i] = tuple(gates)
        return gates[0] if gates else None

    def _timing(self, fn: FnWriter, timing: ast.Timing, first: bool = False) -> None:
        fn.emit("m = S.mtg", timing.span)
        if first:
            fn.emit("if type(m) is Unk: und[()] = ((), m); return", timing.span)
        else:
            fn.emit("if type(m) is Unk: out.append(((), (), m)); return", timing.span)
        fn.emit(f"if not ({timing_test(timing, 'm')}): return", timing.span)

    def _derive_args(self, derive: ast.Derive, fn: FnWriter, env: Env, given_only=False, writer=None):
        fields = self.fact_fields.get(derive.fact.text, ())
        w = writer or self.writer
        by_name: dict[str, str] = derive_by_field(derive, fields, lambda node: w.expr(node, fn, env))
        if given_only:
            return by_name
        parts = [f"(None if type({by_name[f]}) is Unk else {by_name[f]})" if f in by_name else "None"
                 for f in fields]
        return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"

    # ------------------------------------------------------------------ tables
    def _table(self, i: int, decl: ast.Table, base: dict) -> RuleInfo:
        w = self.writer
        fn = FnWriter(f"def T{i}(S, out):", decl.span)
        self._table_rows(decl, fn, None)
        self.fns.append(fn)
        env = Env()
        # template
        ta = FnWriter(f"def TA{i}(S):", decl.output.span)
        self._prologue(ta)
        given = self._derive_args(decl.output, ta, env, given_only=True)
        ta.emit("return {" + ", ".join(f"{w.const(k)}: (None if type({v}) is Unk else {v})"
                                        for k, v in given.items()) + "}")
        self.fns.append(ta)
        out_type = decl.output.fact.text
        fields = self.fact_fields.get(out_type, ())
        given_names = set(given)
        row_fields = tuple(f for f in fields if f not in given_names)
        row_values = tuple(tuple(w.const_value(c) for c in row.outputs) for row in decl.rows)
        # the first run's function: rows, hit policy and firing in one (imgrules.engine.first)
        ff = FnWriter(f"def F{i}(S, fire, und):", decl.span)
        self._table_rows(decl, ff, (i, out_type, fields, row_fields, row_values))
        self.fns.append(ff)
        reads = self._reads([decl.when, *decl.inputs, *(a.value for a in decl.output.args)])
        return RuleInfo(**base, kind="table", reads=reads, whole=reads, hit=decl.hit.text, says=False,
                        out_type=out_type, derives=frozenset({"f:" + out_type}),
                        row_lines=tuple(r.span.line for r in decl.rows), row_values=row_values,
                        row_fields=row_fields,
                        matched=A.static_paths(self.checked, [decl.when, *decl.inputs]))

    def _table_rows(self, decl: ast.Table, fn: FnWriter, fused) -> None:
        """Emit a table's rows. ``T<i>(S, out)`` (``fused`` None) appends ``((row,), (),
        truth)`` for rows that hold or are unknown, as the session's ``table_outputs``
        expects. ``F<i>(S, fire, und)`` (``fused`` = ``(i, fact type, fields, row fields,
        row values)``) applies the hit policy itself: it fires the derived fact of each
        row that applies and puts the undecided rows in ``und``, as ``table_outputs`` and
        ``Session._table`` would."""
        w = self.writer
        self._prologue(fn)
        env = Env()
        out = "out.append" if fused is None else None
        if decl.when is not None:
            c = w.expr(decl.when, fn, env)
            fn.emit(f"if {c} is False: return", decl.when.span)
            if fused is None:
                fn.emit(f"if {c} is not True: out.append((('when',), (), {c})); return", decl.when.span)
            else:
                fn.emit(f"if {c} is not True: und[('when',)] = ((), {c}); return", decl.when.span)
        inputs = [w.expr(x, fn, env) for x in decl.inputs]
        hit = decl.hit.text
        if fused is not None and hit == "unique":
            fn.emit("unknown = []")
        for r, row in enumerate(decl.rows):
            t = f"r{r}"
            fn.emit(f"{t} = True", row.span)
            for j, cell in enumerate(row.cells):
                if isinstance(cell, ast.AnyCell) or j >= len(inputs):
                    continue
                x = inputs[j]
                test = self._cell(cell, x)
                fn.emit(f"if {t} is not False:", cell.span)
                fn.emit(f"    c = {x} if type({x}) is Unk else ({test})", cell.span)
                fn.emit(f"    if c is False: {t} = False", cell.span)
                fn.emit(f"    elif c is not True: {t} = merge({t}, c) if type({t}) is Unk else c",
                        cell.span)
            if out is not None:
                fn.emit(f"if {t} is True: {out}((({r},), (), True)){'; return' if hit == 'first' else ''}",
                        row.span)
                fn.emit(f"elif {t} is not False: {out}((({r},), (), {t}))", row.span)
                continue
            fn.emit(f"if {t} is True:", row.span)
            fn.indent()
            self._table_fire(decl, fn, env, fused, r, row.span)
            if hit in ("first", "unique"):
                fn.emit("return")
            fn.dedent()
            if hit == "unique":
                fn.emit(f"elif {t} is not False: unknown.append(({r}, {t}))", row.span)
            else:
                fn.emit(f"elif {t} is not False:", row.span)
                fn.emit(f"    und[({r},)] = ((), {t}){'; return' if hit == 'first' else ''}", row.span)
        if fused is not None and hit == "unique":
            fn.emit("for r, t in unknown: und[(r,)] = ((), t)")

    def _table_fire(self, decl: ast.Table, fn: FnWriter, env, fused, r: int, span) -> None:
        """Fire row ``r``: the template's given fields, the row's outputs for the rest."""
        i, out_type, fields, row_fields, row_values = fused
        given = self._derive_args(decl.output, fn, env, given_only=True)
        from_row = dict(zip(row_fields, row_values[r]))
        parts = [f"(None if type({given[f]}) is Unk else {given[f]})" if f in given
                 else self.pool.name(from_row[f]) if f in from_row else "None" for f in fields]
        fn.emit(f"fire(S, {i}, ({r},), (), (('derive', {self.pool.name(out_type)}, "
                f"{tuple_code(parts)}),))", span)

    def _cell(self, cell, x: str) -> str:
        w = self.writer
        if isinstance(cell, ast.EqCell):
            return f"{x} == {w.const(w.const_value(cell.value))}"
        if isinstance(cell, ast.RangeCell):
            parts = []
            if cell.low is not None:
                parts.append(f"{w.const(w.const_value(cell.low))} <= {x}")
            if cell.high is not None:
                parts.append(f"{x} <= {w.const(w.const_value(cell.high))}")
            return " and ".join(parts) or "True"
        if isinstance(cell, ast.CmpCell):
            op = str(cell.op)
            if op not in ("==", "!=", "<", "<=", ">", ">="):
                op = "=="
            return f"{x} {op} {w.const(w.const_value(cell.value))}"
        if isinstance(cell, ast.SetCell):
            values = frozenset(w.const_value(v) for v in cell.values)
            return f"{x} {'not ' if cell.negated else ''}in {w.const(values)}"
        return "True"

    # ------------------------------------------------------------------ gates
    def gate_fn(self, g: int, gate: A.Gate) -> None:
        fn = FnWriter(f"def G{g}(S):", gate.node.span if gate.node is not None else None)
        self._prologue(fn)
        if gate.node is None:
            fn.emit("return S.mtg")
        else:
            fn.emit(f"return {self.writer.expr(gate.node, fn, Env())}", gate.node.span)
        self.fns.append(fn)
