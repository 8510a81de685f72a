"""Generate the Python module of a checked pack: one function per let, rule, table,
deadline, window, invariant and gate, plus the metadata (:class:`RuleInfo`) the engine needs.

Generated function signatures (``S`` is the session; names from :mod:`.symbols`):

- ``let_<i>(S)``, ``let_fn_<i>(S, *params)``: a let's value (cached per session by the caller).
- ``rule_<i>_match(S, pin, pe, out)``: match rule i and run its actions; appends
  ``(key, elements, True, outputs)`` for each binding whose condition holds (outputs: a
  tuple of ``('derive', type, values)`` or ``(kind, severity, message, data)``) and
  ``(key, elements, Unk, None)`` for each one whose condition is unknown. ``pin``/``pe``
  fix binding ``pin`` to the element ``pe`` (incremental evaluation of one new element).
- ``table_<i>_rows(S, out)``: table rows ``((row,), (), True | Unk)``;
  ``table_<i>_template(S)``: the template's fields.
- ``when_<i>(S)`` -> a deadline's or window's ``when`` condition (none without one),
  ``deadline_<i>(S)`` -> require (date-anchored: ``(require, due)``), ``window_<i>(S)``
  -> ``(start, end)`` (date-anchored only: a window in months needs no code),
  ``invariant_<i>(S)`` -> require, ``message_<i>(S)`` -> message, ``gate_<g>(S)`` -> the
  value of gate path g.
"""

from __future__ import annotations

import attrs

from .. import ast
from .. import _types as T
from .._check.model import CheckedPack, node_key
from .._semantics import as_float, timing_bounds
from .._semantics.cells import cell_spec
from .._source import text_as_written
from . import analysis as A
from . import symbols as sym
from .emit import ExprWriter
from .writer import ConstPool, Env, FnWriter, derive_by_field
from .network import RuleInfo
from .shapes import shape_of

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
    months to go held in ``m``, from the bounds :func:`imgrules._semantics.timing_bounds`
    gives it."""
    end = int(timing.end.months) if timing.end is not None else None
    low, high = timing_bounds(str(timing.kind), int(timing.start.months), end)
    if low == high:
        return f"{m} == {low}"
    if low is None:
        return f"{m} <= {high}"
    if high is None:
        return f"{m} >= {low}"
    return f"{low} <= {m} <= {high}"


def tuple_code(items: list[str]) -> str:
    """Python source of a tuple of the given expressions."""
    return f"({', '.join(items)}{',' if len(items) == 1 else ''})"


class Generator:
    def __init__(self, checked: CheckedPack):
        self.checked = checked
        self.pool = ConstPool()
        self.let_ids = {name: i for i, name in enumerate(sorted(checked.lets))}
        self.map_ids = {name: i for i, name in enumerate(sorted(checked.maps))}
        self.writer = ExprWriter(checked, self.pool, self.let_ids, self.map_ids, self.hoist)
        self.hoisted: dict = {}  # node key -> (let index, node): see ExprWriter.expr
        # rules sharing a shape (.shapes): rule idx -> shape index and its Shape; the
        # RuleInfo of each shape's first rule; rule idx -> (shape index, constants)
        self.shape_ids: dict[int, int] = {}
        self.shape_of_rule: dict = {}
        self.shape_templates: dict[int, dict] = {}  # shape -> its first RuleInfo's fields
        self.shared: dict[int, tuple] = {}
        self.reads = A.Reads(checked)
        self.fns: list[FnWriter] = []
        self.gate_options: dict[int, tuple] = {}  # rule idx -> usable gates, when several
        self.fact_fields = {name: rec.field_names for name, rec in checked.schema.facts.items()}
        # per fact type, its fields of type float: the values derived into them are floats
        self.float_fields = {name: frozenset(f.name for f in rec.fields if f.type == T.FLOAT)
                             for name, rec in checked.schema.facts.items()}

    # ------------------------------------------------------------------ lets
    def lets(self) -> None:
        for name, i in self.let_ids.items():
            decl = self.checked.lets[name]
            env = Env()
            if decl.params is None:
                fn = FnWriter(f"def {sym.let(i)}(S):", decl.span)
            else:
                params = [f"p{j}" for j in range(len(decl.params))]
                fn = FnWriter(f"def {sym.let_fn(i)}(S, {', '.join(params)}):", decl.span)
                for j, p in enumerate(decl.params):
                    env = env.bind(node_key(decl), p.text, params[j])
                self.writer.tick(fn)
            self._prologue(fn)
            v = self.writer.expr(decl.body, fn, env)
            fn.emit(f"return {v}", decl.body.span)
            self.fns.append(fn)

    def hoist(self, node) -> int:
        """The index of the unnamed let computing ``node`` (made on first use)."""
        key = node_key(node)
        found = self.hoisted.get(key)
        if found is not None:
            return found[0]
        i = len(self.let_ids) + len(self.hoisted)
        self.hoisted[key] = (i, node)
        fn = FnWriter(f"def {sym.let(i)}(S):", node.span)
        self._prologue(fn)
        v = self.writer.expr(node, fn, Env())
        fn.emit(f"return {v}", node.span)
        self.fns.append(fn)
        return i

    def _prologue(self, fn: FnWriter) -> None:
        fn.session_locals()

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
            self._when(i, decl)
            fn = FnWriter(f"def {sym.deadline(i)}(S):", decl.span)
            self._prologue(fn)
            r = self.writer.expr(decl.require, fn, Env())
            anchored = ast.anchored(decl)
            if anchored:  # by <date>: the due date too
                fn.emit(f"return ({r}, {self.writer.expr(decl.by, fn, Env())})")
            else:
                fn.emit(f"return {r}")
            self.fns.append(fn)
            self._message(i, decl.message)
            anchor = [decl.by] if anchored else []
            reads = self._reads([decl.when, decl.require, decl.message, *anchor]) | A.PHASE_READS
            severity = decl.severity.text if decl.severity is not None else None
            return RuleInfo(**base, kind="deadline", reads=reads, whole=reads,
                            k=None if anchored else decl.by.months, anchored=anchored,
                            severity=severity, fixed=_without_holes(decl.message),
                            matched=A.static_paths(self.checked, [decl.when, decl.require, *anchor]))
        if isinstance(decl, ast.Window):
            self._when(i, decl)
            if ast.anchored(decl):  # during <date> .. <date>: (start, end)
                fn = FnWriter(f"def {sym.window(i)}(S):", decl.span)
                self._prologue(fn)
                a = self.writer.expr(decl.start, fn, Env())
                b = self.writer.expr(decl.end, fn, Env())
                fn.emit(f"return ({a}, {b})")
                self.fns.append(fn)
                self._message(i, decl.message)
                exprs = [decl.when, decl.start, decl.end]
                reads = self._reads([*exprs, decl.message]) | A.PHASE_READS
                return RuleInfo(**base, kind="window", reads=reads, whole=reads, anchored=True,
                                fixed=_without_holes(decl.message), matched=A.static_paths(self.checked, exprs))
            self._message(i, decl.message)
            reads = self._reads([decl.when, decl.message]) | A.PHASE_READS
            return RuleInfo(**base, kind="window", reads=reads, whole=reads,
                            start=decl.start.months, end=decl.end.months,
                            fixed=_without_holes(decl.message),
                            matched=A.static_paths(self.checked, [decl.when]))
        # invariant
        fn = FnWriter(f"def {sym.invariant(i)}(S):", decl.span)
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

    def _when(self, i: int, decl) -> None:
        """A deadline's or window's ``when`` condition, in a function of its own
        (``when_<i>``, none without one): what the milestone needs is evaluated only
        once it applies."""
        if decl.when is None:
            return
        fn = FnWriter(f"def {sym.when(i)}(S):", decl.span)
        self._prologue(fn)
        fn.emit(f"return {self.writer.expr(decl.when, fn, Env())}")
        self.fns.append(fn)

    def _message(self, i: int, text) -> None:
        fn = FnWriter(f"def {sym.message(i)}(S):", text.span if text is not None else None)
        self._prologue(fn)
        if text is None:
            fn.emit("return None")
        else:
            fn.emit(f"return {self.writer.text(text, fn, Env())}")
        self.fns.append(fn)

    def share_shapes(self) -> None:
        """Find the rules that share a shape with another (:mod:`.shapes`): their code is
        written once per shape."""
        by_key: dict = {}
        found = {}
        for i, entry in enumerate(self.checked.rules):
            if isinstance(entry.decl, ast.Rule):
                shape = shape_of(self.checked, self.writer, entry.decl)
                found[i] = shape
                by_key.setdefault(shape.key, []).append(i)
        for members in by_key.values():
            if len(members) > 1:
                s = len(self.shape_ids)
                for i in members:
                    self.shape_ids[i] = s
                    self.shape_of_rule[i] = found[i]

    def _rule(self, i: int, decl: ast.Rule, base: dict) -> RuleInfo:
        s = self.shape_ids.get(i)
        if s is None:
            fn = FnWriter(f"def {sym.rule_match(i)}(S, pin, pe, out):", decl.span)
        else:
            shape = self.shape_of_rule[i]
            self.shared[i] = (s, shape.values)
            template = self.shape_templates.get(s)
            if template is not None:  # the shape's code is written: only this rule's data
                return self._shared_rule(i, decl, base, template)
            self.writer.sites = shape.sites
            fn = FnWriter(f"def {sym.shape_match(s)}(S, pin, pe, out, C=None):", decl.span)
        try:
            pins, whole, gate, derives = self._match(i, decl, fn)
            self.fns.append(fn)
        finally:
            self.writer.sites = None
        for action in decl.actions:
            whole |= self._reads([action])
        for a in decl.actions:
            for arg in getattr(a, "args", ()):
                whole |= self.reads.of(arg.value)
            if hasattr(a, "message"):
                whole |= self.reads.of(a.message)
            for item in getattr(a, "data", ()):
                whole |= self.reads.of(item.value)
        reads = set(whole) | {p for p in pins if p is not None}
        info = RuleInfo(**base, kind="rule", vars=tuple(b.var.text for b in decl.bindings),
                        pins=tuple(pins), reads=frozenset(reads), whole=frozenset(whole),
                        derives=frozenset(derives), gate=gate,
                        says=any(not isinstance(a, ast.Derive) for a in decl.actions),
                        fixed=self._fixed(decl.actions),
                        timing=_timing_of(decl.timing),
                        reminders=self._reminders(decl),
                        matched=A.static_paths(self.checked, [decl.when]))
        if s is not None:
            self.shape_templates[s] = {a.name: getattr(info, a.name) for a in attrs.fields(RuleInfo)}
        return info

    def _shared_rule(self, i: int, decl: ast.Rule, base: dict, template: dict) -> RuleInfo:
        """A rule whose shape's code is written: what depends on its shape is the first
        rule's; its gate, reminders and place are its own."""
        gate = A.timing_gate(decl.timing)
        if gate is None:
            gate = self._gate(i, decl.when)
        return RuleInfo(**{**template, **base, "gate": gate, "reminders": self._reminders(decl)})

    def _scan(self, coll: str) -> str:
        """The code of :meth:`Session.scan` of ``coll`` written out (a call less per
        binding loop): a derived fact type's facts, or a profile list (none if left out)."""
        name = self.writer.const(coll[2:])
        if coll[0] == "f":
            return f"S.facts[{name}].values()"
        return f"(S.root.get({name}) or ())"

    def _reminders(self, decl: ast.Rule) -> tuple[str, ...]:
        return tuple(text_as_written(a.message, self.checked.sources)
                     for a in decl.actions if isinstance(a, ast.Remind))

    def _match(self, i: int, decl: ast.Rule, fn: FnWriter):
        """Emit ``rule_<i>_match(S, pin, pe, out)``: a rule's binding loops, condition and
        actions, appending ``(key, elements, True, outputs)`` to ``out`` for each binding
        whose condition holds and ``(key, elements, unknown, None)`` for each one whose
        condition is unknown. Binding ``pin`` can be fixed to the one element ``pe``
        (incremental evaluation of a new element); a rule without bindings called with
        ``pin == -2`` gives its outputs without testing its condition (its gates decided
        that it holds). Returns the pins, the whole-reads, the gate and the fact types
        it derives."""
        checked, w = self.checked, self.writer
        self._prologue(fn)
        gate = A.timing_gate(decl.timing)
        if decl.timing is not None:
            self._timing(fn, decl.timing)
        env = Env()
        keys: list[str] = []
        elems: list[str] = []
        pins: list[str | None] = []
        whole = set(A.PHASE_READS) if decl.timing is not None else set()
        earlier: set = set()
        lookups: list[str] = []  # the locals of join lookups, set before the loops
        before_loops = fn.mark()
        for j, b in enumerate(decl.bindings):
            local = f"v{j}"
            coll = A.plain_collection(checked, b.source)
            pins.append(coll)
            src = f"s{j}"
            key_p, elem_p = tuple_code(keys), tuple_code(elems)
            fn.emit(f"if pin == {j}: {src} = (pe,)", b.span)
            fn.emit("else:")
            fn.indent()
            if coll is not None:
                join = A.join_key(checked, decl.when, node_key(b), b.var.text, earlier) if j > 0 else None
                if join is not None:
                    jv = w.expr(join[1], fn, env)  # evaluated only to pick the bucket
                    ix = f"ix{j}"  # the join's lookup, fetched once per call (Session.join_index)
                    fn.emit(f"if type({jv}) is Unk: {src} = {self._scan(coll)}", b.span)
                    fn.emit(f"elif type({jv}) in PLAIN_KEYS:", b.span)
                    fn.indent()
                    fn.emit(f"if {ix} is None: {ix} = S.join_index({w.const(coll)}, {w.const(join[0])})")
                    fn.emit(f"{src} = {ix}({jv}, ())")
                    fn.dedent()
                    fn.emit(f"else: {src} = S.probe({w.const(coll)}, {w.const(join[0])}, {jv})", b.span)
                    lookups.append(ix)
                    whole |= self.reads.of(join[1])
                else:
                    fn.emit(f"{src} = {self._scan(coll)}", b.span)
                key = f"{local}.k"
            else:
                whole |= self.reads.of(b.source)
                x = w.expr(b.source, fn, env)
                if checked.names_a_field(b.source):  # a list the profile leaves out: nothing
                    fn.emit(f"if type({x}) is Unk: {src} = ()", b.span)
                else:
                    fn.emit(f"if type({x}) is Unk: out.append(({key_p}, {elem_p}, {x}, None)); {src} = ()",
                            b.span)
                fn.emit(f"else: {src} = {x}")
                item = checked.types.get(node_key(b.source))
                is_rec = isinstance(item, T.ListType) and isinstance(item.item, T.RecordType)
                key = f"{local}.k" if is_rec else f"key_of({local})"
            fn.dedent()
            self.writer.tick_loop(fn, src)
            self.writer.element_of(fn, b.source, local)
            fn.emit(f"for {local} in {src}:", b.span)
            fn.indent()
            env = env.bind(node_key(b), b.var.text, local)
            earlier.add(node_key(b))
            keys.append(key)
            elems.append(local)
        for ix in reversed(lookups):
            fn.emit_at(before_loops, f"{ix} = None")
        key_t, elem_t = tuple_code(keys), tuple_code(elems)
        span = decl.when.span if decl.when is not None else decl.span
        if decl.when is None:
            outputs, derives = self._actions(decl, fn, env)
            fn.emit(f"out.append(({key_t}, {elem_t}, True, {outputs}))", span)
            return pins, whole, gate, derives
        whole |= self.reads.of(decl.when)
        if gate is None:
            gate = self._gate(i, decl.when)
        if not decl.bindings:
            fn.emit("if pin != -2:", span)  # -2: its gates decided that it holds
            fn.indent()
            c = w.expr(decl.when, fn, env)
            fn.emit(f"if {c} is not True:", span)
            fn.indent()
            fn.emit(f"if {c} is not False: out.append(((), (), {c}, None))", span)
            fn.emit("return")
            fn.dedent()
            fn.dedent()
            outputs, derives = self._actions(decl, fn, env)
            fn.emit(f"out.append(((), (), True, {outputs}))", span)
            return pins, whole, gate, derives
        c = w.expr(decl.when, fn, env)
        fn.emit(f"if {c} is True:", span)
        fn.indent()
        outputs, derives = self._actions(decl, fn, env)
        fn.emit(f"out.append(({key_t}, {elem_t}, True, {outputs}))", span)
        fn.dedent()
        fn.emit(f"elif {c} is not False: out.append(({key_t}, {elem_t}, {c}, None))", span)
        return pins, whole, gate, derives

    def _actions(self, decl: ast.Rule, fn: FnWriter, env) -> tuple[str, set]:
        """Emit a rule's actions for one binding: returns the code of the tuple of their
        outputs and the fact types (``f:<type>``) it derives."""
        w = self.writer
        derives = set()
        outputs = []
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                derives.add("f:" + action.fact.text)
                values = self._derive_args(action, fn, env)
                outputs.append(f"('derive', {w.const(action.fact.text)}, {values})")
            else:
                s = w.text(action.message, fn, env)
                sev = w.const(action.severity.text) if isinstance(action, ast.Flag) else "None"
                data = self._finding_data(action, fn, env)
                outputs.append(f"({w.const(FINDING_KIND[type(action)])}, {sev}, {s}, {data})")
        return f"({', '.join(outputs)}{',' if len(outputs) == 1 else ''})", derives

    def _fixed(self, actions) -> bool:
        """Whether ``actions`` give the same outputs for every binding and profile:
        messages without holes, values that are constants."""
        for a in actions:
            if isinstance(a, ast.Derive):
                values = [arg.value for arg in a.args]
            elif all(isinstance(part, str) for part in a.message.parts):
                values = [item.value for item in a.data]
            else:
                return False
            for value in values:
                try:
                    self.writer.const_value(value)
                except A.NotConst:
                    return False
        return True

    def _finding_data(self, action, fn: FnWriter, env) -> str:
        """A finding's ``with {name: value}`` as a tuple of (name, value) pairs; an unknown
        value is None (the output's null)."""
        w = self.writer
        pairs = []
        for item in action.data:
            v = w.expr(item.value, fn, env)
            is_float = self.checked.types.get(node_key(item.value)) == T.FLOAT
            pairs.append(f"({w.const(item.name.text)}, {_known_or_none(v, is_float)})")
        return f"({', '.join(pairs)}{',' if len(pairs) == 1 else ''})"

    def _gate(self, i: int, when):
        """The first usable gate; the pack-wide choice is made later (choose_gates)."""
        if when is None:
            return None
        gates = A.find_gates(self.checked, self.writer, when)
        if len(gates) > 1:
            self.gate_options[i] = tuple(gates)
        return gates[0] if gates else None

    def _timing(self, fn: FnWriter, timing: ast.Timing) -> None:
        fn.emit("m = S.mtg", timing.span)
        fn.emit("if type(m) is Unk: out.append(((), (), m, None)); return", timing.span)
        fn.emit(f"if not ({timing_test(timing, 'm')}): return", timing.span)

    def _derive_args(self, derive: ast.Derive, fn: FnWriter, env: Env, given_only=False, writer=None):
        fields = self.fact_fields.get(derive.fact.text, ())
        w = writer or self.writer
        by_name: dict[str, str] = derive_by_field(derive, fields, lambda node: w.expr(node, fn, env))
        floats = self.float_fields.get(derive.fact.text, frozenset())
        if given_only:
            return {f: _known_or_none(v, f in floats) for f, v in by_name.items()}
        parts = [_known_or_none(by_name[f], f in floats) if f in by_name else "None" for f in fields]
        return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"

    # ------------------------------------------------------------------ tables
    def _table(self, i: int, decl: ast.Table, base: dict) -> RuleInfo:
        w = self.writer
        fn = FnWriter(f"def {sym.table_rows(i)}(S, out):", decl.span)
        self._table_rows(decl, fn)
        self.fns.append(fn)
        env = Env()
        # template
        ta = FnWriter(f"def {sym.table_template(i)}(S):", decl.output.span)
        self._prologue(ta)
        given = self._derive_args(decl.output, ta, env, given_only=True)
        ta.emit("return {" + ", ".join(f"{w.const(k)}: {v}" for k, v in given.items()) + "}")
        self.fns.append(ta)
        out_type = decl.output.fact.text
        fields = self.fact_fields.get(out_type, ())
        given_names = set(given)
        row_fields = tuple(f for f in fields if f not in given_names)
        floats = self.float_fields.get(out_type, frozenset())
        # one output per field the template leaves out (the checker's E403)
        row_values = tuple(tuple(as_float(w.const_value(c)) if f in floats else w.const_value(c)
                                 for f, c in zip(row_fields, row.outputs)) for row in decl.rows)
        reads = self._reads([decl.when, *decl.inputs, *(a.value for a in decl.output.args)])
        return RuleInfo(**base, kind="table", reads=reads, whole=reads, hit=decl.hit.text, says=False,
                        out_type=out_type, derives=frozenset({"f:" + out_type}),
                        row_lines=tuple(r.span.line for r in decl.rows), row_values=row_values,
                        row_fields=row_fields, fixed=self._fixed([decl.output]),
                        matched=A.static_paths(self.checked, [decl.when, *decl.inputs]))

    def _table_rows(self, decl: ast.Table, fn: FnWriter) -> None:
        """Emit ``table_<i>_rows(S, out)``: a table's rows, appending ``((row,), (), truth)`` for each
        row that holds or is unknown (a ``first`` table stops at its first true row); the
        session applies the hit policy (:func:`imgrules._engine.build.table_outputs`)."""
        w = self.writer
        self._prologue(fn)
        env = Env()
        if decl.when is not None:
            c = w.expr(decl.when, fn, env)
            fn.emit(f"if {c} is False: return", decl.when.span)
            fn.emit(f"if {c} is not True: out.append((('when',), (), {c})); return", decl.when.span)
        inputs = [w.expr(x, fn, env) for x in decl.inputs]
        stop = "; return" if decl.hit.text == "first" else ""
        for r, row in enumerate(decl.rows):
            t = f"r{r}"
            fn.emit(f"{t} = True", row.span)
            for j, cell in enumerate(row.cells):
                if isinstance(cell, ast.AnyCell) or j >= len(inputs):
                    continue
                x = inputs[j]
                test = self._cell(cell, x)
                fn.emit(f"if {t} is not False:", cell.span)
                fn.emit(f"    c = {test}", cell.span)
                fn.emit(f"    if c is False: {t} = False", cell.span)
                fn.emit(f"    elif c is not True: {t} = merge({t}, c) if type({t}) is Unk else c",
                        cell.span)
            fn.emit(f"if {t} is True: out.append((({r},), (), True)){stop}", row.span)
            fn.emit(f"elif {t} is not False: out.append((({r},), (), {t}))", row.span)

    def _cell(self, cell, x: str) -> str:
        """Python source testing a cell on ``x``: inline when ``x`` is known, by
        :func:`imgrules._semantics.tables.cell_truth` when it is not."""
        w = self.writer
        spec = cell_spec(cell, w.const_value)
        if spec is None:
            return "True"
        kind, constant = spec
        if kind in ("missing", "present"):  # decided whether or not x is known
            return f"type({x}) is {'not ' if kind == 'present' else ''}Unk"
        if kind == "eq":
            known = f"{x} == {w.const(constant)}"
        elif kind == "range":
            low, high = constant
            parts = ([f"{w.const(low)} <= {x}"] if low is not None else []) + (
                [f"{x} <= {w.const(high)}"] if high is not None else [])
            known = " and ".join(parts) or "True"
        elif kind == "cmp":
            known = f"{x} {constant[0]} {w.const(constant[1])}"
        else:
            known = f"{x} {kind} {w.const(constant)}"
        return f"cell_truth({w.const(kind)}, {w.const(constant)}, {x}) if type({x}) is Unk else ({known})"

    # ------------------------------------------------------------------ gates
    def gate_fn(self, g: int, gate: A.Gate) -> None:
        fn = FnWriter(f"def {sym.gate(g)}(S):", gate.node.span if gate.node is not None else None)
        self._prologue(fn)
        if gate.node is None:
            fn.emit("return S.mtg")
        else:
            fn.emit(f"return {self.writer.expr(gate.node, fn, Env())}", gate.node.span)
        self.fns.append(fn)


def _known_or_none(value: str, is_float: bool = False) -> str:
    """The Python expression for a value an output records: the value (where the pack says
    a float, as a float: ``as_float``), or None when it is unknown. A constant of the pack
    (``const_<n>``, ``C[<n>]``) is never unknown."""
    known = f"as_float({value})" if is_float else value
    if sym.is_const(value):
        return known
    return f"(None if type({value}) is Unk else {known})"


def _without_holes(text) -> bool:
    """Whether a deadline's or window's message (None: its title) is the same for every
    profile."""
    return text is None or all(isinstance(part, str) for part in text.parts)
