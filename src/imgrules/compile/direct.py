"""The direct function ``X(DATA, AS, LIMITS)``: a whole pack's first run as one function.

For a pack of single, non-recursive rules and tables over a flat profile (no deadlines,
windows or invariants), the first run of a session needs none of the engine's
bookkeeping to *decide* what fires. ``X`` copies the profile data (``DATA``, with
``as_of`` ``AS`` when given; :meth:`DirectWriter.copy`) and evaluates every unit in
dependency order straight from that copy, without records. Its log has one entry per
firing, ``(rule idx, key or None, elements, outputs)``, and one per undecided binding,
``(rule idx, key or None, elements, Unk)``; a profile record is logged by its position
in its list, a derived fact by its key. It returns ``(copy, log)``;
:mod:`imgrules.engine.direct` replays the log into a session's state only when
something reads it (results, explanations, incremental changes). Rules over facts
derived with constant values are decided while ``X`` is compiled (:mod:`.fold`): their
firings are logged where the facts are derived, and they get no loop of their own.

Its expressions (:mod:`.direct_writer`) are two-valued Python, except over missing
top-level values; where the general code would meet another unknown, ``X`` raises
:class:`~imgrules.engine.runtime.Bail` and the session runs the general first run
instead. So ``X`` decides only what the general code decides, the same way. A pack
with many gated rules reads the gates (``GC[g](G<g>(S))``) and skips the rules they
exclude, as :func:`imgrules.engine.first.first_run` does.

Generated from the checked AST by the same expression writer as the other functions
(:class:`DirectWriter` overrides what changes); a pack it cannot express raises
:class:`NotDirect` inside and gets no ``X``.
"""

from __future__ import annotations

from .. import ast
from .. import types as T
from ..check.model import node_key
from ..engine.runtime import SHORT  # an inner join over more elements bails: the general path indexes it
from . import analysis as A
from . import fold
from .direct_writer import DirectWriter, NotDirect, is_scalar
from .emit import Env, FnWriter
from .generate import FINDING_KIND, timing_test, tuple_code

# Packs of more units with code of their own in X take the general first run: X's
# source grows with them, and so do compile time and memory, and X would test each
# gated rule's candidacy in turn where the general run visits only the candidates.
# Gated rules kept as data that derive nothing have no code in X (DirectGenerator.
# _batched: only the gates' candidates are tested, as data) and do not count.
MAX_UNITS = 64
GATED = 16  # more gated rules than this: X reads the gates (see DirectGenerator._write)


class DirectGenerator:
    """Writes ``X`` for a pack whose units are known (order, gates); see the module doc."""

    def __init__(self, gen, infos, units, rule_group, profile_shape):
        self.gen = gen
        self.checked = gen.checked
        self.infos = infos
        self.units = units
        self.rule_group = rule_group
        self.profile_shape = profile_shape
        self.facts = {name: f"FD{n}" for n, name in enumerate(sorted(gen.fact_fields))}
        self.joined: set[str] = set()  # profile lists joined through an index by the general code
        # gates pay off only when there are many gated rules: below that, each rule's own
        # tests are cheaper than reading the gates (the result is the same either way)
        self.gates = len(rule_group) > GATED
        # with gates, the gated rules kept as data that derive nothing are evaluated as
        # data, only for the gates' candidates (see _batched): no code of their own
        self.batched = {unit[0] for unit in units if self.gates and len(unit) == 1
                        and unit[0] in rule_group and unit[0] in gen.simple
                        and all(out[0] != "derive" for out in gen.simple[unit[0]][1])}
        self.w = DirectWriter(gen.checked, gen.pool, gen.let_ids, gen.map_ids, self.facts)

    def function(self) -> FnWriter | None:
        """``X``, or None."""
        try:
            self._eligible()
            return self._write()
        except NotDirect:
            return None

    def _eligible(self) -> None:
        if len(self.units) - len(self.batched) > MAX_UNITS:
            raise NotDirect
        for unit in self.units:
            info = self.infos[unit[0]]
            if len(unit) != 1 or info.recursive or info.kind not in ("rule", "table"):
                raise NotDirect
        shape = self.profile_shape or ("rec", ())
        if not {"as_of", "application_date"} <= {name for name, _ in shape[1]}:
            raise NotDirect
        for _, fshape in shape[1]:
            if fshape[0] == "list":
                item = fshape[1]
                if item[0] == "list" or (item[0] == "rec" and any(s[0] != "val" for _, s in item[1])):
                    raise NotDirect
            elif fshape[0] == "rec" and not _no_lists(fshape):
                raise NotDirect
        for name in self.gen.let_ids:
            if any(c.startswith("f:") for c in self.gen.reads.let(name)):
                raise NotDirect

    def _write(self) -> FnWriter:
        fn = FnWriter("def X(DATA, AS, LIMITS):", None)
        fn.emit("log = []")
        fn.emit("add = log.append")
        gates = self.gates
        # rules over constant derived facts, decided here and written where the facts are
        fields = self.gen.fact_fields
        constant = fold.constant_facts(self.checked, self.infos, self.units, fields, self.w)
        self.folds = fold.plan(self.checked, self.infos, self.units, fields, self.w, constant,
                               skip=lambda i: gates and i in self.rule_group)
        folded = {i for rules in self.folds.values() for i, _ in rules}
        # a constant fact type no loop of X reads needs no dict: a flag per fact that
        # fires rules decided for it (a fact fires them once), else nothing at all
        read = {c[2:] for unit in self.units if unit[0] not in folded
                for c in self.infos[unit[0]].reads if c.startswith("f:")}
        self.flagged = {f: len(v) for f, v in constant.items() if f not in read}
        self.flags = {(f, values): f"N{n}" for n, (f, values) in enumerate(
            (f, values) for f in sorted(self.flagged) if f in self.folds for values in constant[f]
            if any(decided[values] is not None for _, decided in self.folds[f]))}
        for f, local in self.facts.items():
            if f not in self.flagged:
                fn.emit(f"{local} = {{}}")
        if self.flags:
            fn.emit(" = ".join(self.flags.values()) + " = False")
        top = len(fn.lines)
        if gates:
            self.w.state = True
            for g in sorted(set(self.rule_group.values())):
                fn.emit(f"C{g} = GC[{g}](G{g}(S))")
            self._batched(fn)
        for unit in self.units:
            i = unit[0]
            if i in folded or i in self.batched:
                continue
            info = self.infos[i]
            decl = self.checked.rules[i].decl
            g = self.rule_group.get(i) if gates else None
            if g is not None:
                fn.emit(f"if {i} in C{g}:", decl.span)
                fn.indent()
            fn.emit("while True:", decl.span)  # left with break: a unit's early exit
            fn.indent()
            if info.kind == "table":
                self._table(i, decl, fn)
            elif i in self.gen.simple:
                self._simple(i, fn, decl.span)
            else:
                self._rule(i, decl, fn)
            fn.emit("break")
            fn.dedent()
            if g is not None:
                fn.dedent()
        # beyond the limit, the general path names the rule that reached it (a flagged
        # type counts every fact it may have: a bound, and the general path decides)
        total = [f"len({local})" for f, local in self.facts.items() if f not in self.flagged]
        if self.flagged:
            total.append(str(sum(self.flagged.values())))
        if total:
            fn.emit(f"if {' + '.join(total)} > LIMITS.max_facts: raise Bail")
        fn.emit("if len(log) > LIMITS.max_firings: raise Bail")
        fn.emit("return ROOT, tuple(log)  # tuples of atomic values: the collector stops tracking the log")
        prologue = self.w.copy(self.profile_shape or ("rec", ()), self.joined)
        if self.w.state:  # over the copy
            prologue.append("S = DirectState(ROOT); LETS = S.lets" + ("; MTG = S.mtg" if self.w.mtg else ""))
        prologue += self.w.prologue()
        fn.lines[top:top] = [("    " + line, None) for line in prologue]
        return fn

    # ------------------------------------------------------------------ units
    def _log(self, fn, i: int, key: list | None, elems: list, outputs: list, span) -> None:
        """Log a firing; make its derived facts visible to the rules that follow.

        A derived fact is kept as a plain dict of its present fields (atomic values
        only, so the garbage collector does not track it), keyed by ``(type, values)``
        as the session keys it; the log names it by that key. The parts of an entry
        that are the same for every profile are constants of the module (a table's
        row, most findings): a run allocates only what varies."""
        w = self.w
        parts = []
        for kind, second, values in outputs:
            if kind != "derive":
                parts.append(self._tup([kind, second, values]))
                continue
            local = self.facts[second]
            fields = self.gen.fact_fields[second]  # values: their codes, one per field
            if any(v in w.unk for v in values):  # an unknown value derives no field
                if second in self.folds or second in self.flagged:
                    raise NotDirect  # (a type of constant facts never gets one)
                values = [f"(None if type({v}) is Unk else {v})" if v in w.unk else v for v in values]
                fn.emit(f"fv = {tuple_code(values)}", span)
                fn.emit(f"fk = ({w.const(second)}, fv)", span)
                fn.emit(f"if fk not in {local}: {local}[fk] = fact_dict({w.const(tuple(fields))}, fv)",
                        span)
                parts.append(f"('derive', {w.const(second)}, fv)")
                continue
            parts.append(self._tup([w.const("derive"), w.const(second), self._tup(values)]))
            fk = self._tup([w.const(second), self._tup(values)])
            consumers = self.folds.get(second)  # rules decided for this type's facts
            if consumers:
                values_now = tuple(self._const(v) for v in values)
                if any(values_now not in decided for _, decided in consumers):
                    raise NotDirect  # not a fact the plan foresaw: keep the rules' loops instead
            if second in self.flagged:  # constant values, no dict (see _write)
                flag = self.flags.get((second, values_now)) if consumers else None
                if flag is not None:  # (else nothing fires for it)
                    fn.emit(f"if not {flag}:", span)
                    fn.indent()
                    fn.emit(f"{flag} = True", span)
                    self._folded(fn, consumers, fk, values_now, span)
                    fn.dedent()
                continue
            present = ", ".join(f"{w.const(f)}: {v}" for f, v in zip(fields, values) if v != "None")
            if consumers:  # a new fact: the rules decided for it fire here
                fn.emit(f"if {fk} not in {local}:", span)
                fn.indent()
                fn.emit(f"{local}[{fk}] = {{{present}}}", span)
                self._folded(fn, consumers, fk, values_now, span)
                fn.dedent()
            else:  # (set again when it exists: its key determines it, and its place stays)
                fn.emit(f"{local}[{fk}] = {{{present}}}", span)
        entry = self._tup([str(i), "None" if key is None else self._tup(key), self._tup(elems),
                           self._tup(parts)])
        fn.emit(f"add({entry})", span)

    def _folded(self, fn, consumers: list, fk: str, values: tuple, span) -> None:
        """The firings of the rules decided for the fact ``values`` (see :mod:`.fold`;
        ``_log`` checked that the plan foresaw it)."""
        w = self.w
        for i, decided in consumers:
            outputs = decided[values]
            if outputs is None:
                continue
            codes = []
            for kind, second, third in outputs:
                if kind == "derive":
                    codes.append((kind, second, [w.const(third[f]) if third.get(f) is not None else "None"
                                                 for f in self.gen.fact_fields.get(second, ())]))
                else:
                    codes.append((w.const(kind), "None" if second is None else w.const(second), w.const(third)))
            self._log(fn, i, None, [fk], codes, span)

    def _tup(self, items: list[str]) -> str:
        """Code for a tuple of the given codes: a module constant when they all are."""
        values = []
        for code in items:
            value = self._const(code)
            if value is _NOPE:
                return tuple_code(items)
            values.append(value)
        return self.w.pool.name(tuple(values))

    def _const(self, code: str):
        if code in _LITERALS:
            return _LITERALS[code]
        if code.isdigit():
            return int(code)
        if code[:1] == "K" and code[1:].isdigit():
            return self.w.pool.values[int(code[1:])]
        return _NOPE

    def _simple(self, i: int, fn, span) -> None:
        """A rule kept as data: its tests unrolled, with ``simple_truth``'s semantics (a
        test of a missing field is unknown; any false test decides)."""
        tests, outputs = self.gen.simple[i]
        w = self.w
        # every top-level value known (the usual case): the tests as plain comparisons
        w.known = True
        fn.emit("if KN:", span)
        fn.indent()
        for path, op, const in tests:
            x = w.root(path[0])
            for name in path[1:]:  # a field of a top-level record
                fn.emit(f"x = {x}.get({w.const(name)})", span)
                fn.emit("if x is None: raise Bail", span)
                x = "x"
            fn.emit(f"c = {self._simple_test(x, op, const)}", span)
            fn.emit("if c is False: break", span)
            fn.emit("if c is not True: raise Bail", span)
        fn.dedent()
        fn.emit("else:", span)
        fn.indent()
        fn.emit("t = True", span)
        for path, op, const in tests:
            x = w.root(path[0])
            if len(path) > 1:  # a field of a top-level record: unknown only if the record is
                fn.emit(f"x = {x}", span)
                x = "x"
                fn.emit("if type(x) is not Unk:", span)
                for name in path[1:]:
                    fn.emit(f"    x = x.get({w.const(name)})", span)
                    fn.emit("    if x is None: raise Bail", span)
            fn.emit(f"if type({x}) is Unk: t = merge(t, {x}) if type(t) is Unk else {x}", span)
            fn.emit("else:", span)
            fn.emit(f"    c = {self._simple_test(x, op, const)}", span)
            fn.emit("    if c is False: break", span)
            fn.emit("    if c is not True: raise Bail", span)
        fn.emit(f"if t is not True: add(({i}, (), (), t)); break", span)
        fn.dedent()
        outs = []
        for kind, second, value in outputs:
            if kind == "derive":  # ("derive", fact type, values)
                outs.append((kind, second, ["None" if v is None else w.const(v) for v in value]))
            else:  # (finding kind, severity, message)
                outs.append((w.const(kind), "None" if second is None else w.const(second), w.const(value)))
        self._log(fn, i, [], [], outs, span)

    def _batched(self, fn) -> None:
        """The batched rules (see ``__init__``) of each gate group: for each candidate,
        its tests as data (``direct_simple``, what ``first_run`` does with
        ``simple_truth``) and its log entry, a constant. A pack of thousands of such
        rules costs what its candidates cost, as on the general path. Their entries come
        before the other units' in the log (they derive nothing, so nothing else reads
        them); replay puts the log back in unit order."""
        by_group: dict[int, dict] = {}
        for i in sorted(self.batched):
            tests, outputs = self.gen.simple[i]
            # the entry _simple would log: (rule, key, elements, outputs), all constant
            entry = (i, (), (), tuple((kind, second, value) for kind, second, value in outputs))
            by_group.setdefault(self.rule_group[i], {})[i] = (tests, entry)
        for g, table in sorted(by_group.items()):
            fn.emit(f"for i in C{g}:")
            fn.emit(f"    e = {self.w.pool.name(table)}.get(i)")
            fn.emit("    if e is not None:")
            fn.emit("        t = direct_simple(e[0], ROOT)")
            fn.emit("        if t is True: add(e[1])")
            fn.emit("        elif t is not False: add((i, (), (), t))")

    def _simple_test(self, x: str, op: str, const) -> str:
        w = self.w
        if op in ("range", "not range"):
            low, high = const
            parts = ([f"{w.const(low)} <= {x}"] if low is not None else []) + \
                ([f"{x} <= {w.const(high)}"] if high is not None else [])
            cond = " and ".join(parts) or "True"
            return f"not ({cond})" if op == "not range" else f"({cond})"
        return f"{x} {op} {w.const(const)}"

    def _rule(self, i: int, decl: ast.Rule, fn) -> None:
        checked, w = self.checked, self.w
        if decl.timing is not None:
            self.w.mtg = self.w.state = True
            fn.emit("if type(MTG) is Unk: raise Bail", decl.timing.span)
            fn.emit(f"if not ({timing_test(decl.timing, 'MTG')}): break", decl.timing.span)
        env = Env()
        elems: list[str] = []
        earlier: set = set()
        for j, b in enumerate(decl.bindings):
            local = f"v{j}"
            coll = A.plain_collection(checked, b.source)
            # where the general code would join through an index, a long list is its job
            joined = j > 0 and coll is not None and \
                A.join_key(checked, decl.when, node_key(b), b.var.text, earlier) is not None
            earlier.add(node_key(b))
            if coll is not None and coll.startswith("p:"):
                if joined:  # (measured before it is copied, see DirectWriter.copy)
                    self.joined.add(coll[2:])
                fn.emit(f"for j{j}, {local} in enumerate({w.root_list(coll[2:])}):", b.span)
                elems.append(f"j{j}")
            elif coll is not None:
                fact_local = self.facts[coll[2:]]
                if joined:
                    fn.emit(f"if len({fact_local}) > {SHORT}: raise Bail", b.span)
                fn.emit(f"for k{j}, {local} in {fact_local}.items():", b.span)
                elems.append(f"k{j}")
            else:
                item = checked.types.get(node_key(b.source))
                if not (isinstance(item, T.ListType) and is_scalar(item.item)):
                    raise NotDirect
                x = w.expr(b.source, fn, env)
                if x in w.unk:  # the general code: an undecided binding source
                    fn.emit(f"if type({x}) is Unk: raise Bail", b.span)
                fn.emit(f"for {local} in {x}:", b.span)
                elems.append(local)
            fn.indent()
            env = env.bind(node_key(b), b.var.text, local)
        span = decl.when.span if decl.when is not None else decl.span
        key = None if decl.bindings else []
        skip = "continue" if decl.bindings else "break"
        when = decl.when
        if isinstance(when, ast.BoolOp) and when.op == "and":
            self._conjunction(fn, when, env, i, key, elems, skip)
        elif when is not None:
            c = w.expr(decl.when, fn, env)
            if c not in ("True", "False"):
                fn.emit(f"if {c} is not True:", span)
                fn.indent()
                self._undecided(fn, c, i, key, elems, span)
                fn.emit(skip, span)
                fn.dedent()
            elif c == "False":
                fn.emit(skip, span)
        outputs = []
        for action in decl.actions:
            if isinstance(action, ast.Derive):
                values = self._derive_values(action, fn, env)
                outputs.append(("derive", action.fact.text, values))
            else:
                s = w.text(action.message, fn, env)
                sev = w.const(action.severity.text) if isinstance(action, ast.Flag) else "None"
                outputs.append((w.const(FINDING_KIND[type(action)]), sev, s))
        self._log(fn, i, key, elems, outputs, span)
        for _ in decl.bindings:
            fn.dedent()

    def _conjunction(self, fn, when, env, i: int, key, elems: list, skip: str) -> None:
        """A rule's ``a and b and ...`` condition: each conjunct leaves the binding as
        soon as it is false (no flag, no loop), and conjuncts that may be unknown
        accumulate as the general code's Kleene ``and`` does."""
        w = self.w
        acc = False
        for operand in when.operands:
            v = w.expr(operand, fn, env)
            if v == "True":
                continue
            if v == "False":
                fn.emit(skip, operand.span)
                return
            if v not in w.unk:
                fn.emit(f"if {v} is not True:", operand.span)
                fn.emit(f"    if {v} is False: {skip}", operand.span)
                fn.emit("    raise Bail", operand.span)
                continue
            if not acc:
                fn.emit("k = True", operand.span)
                acc = True
            fn.emit(f"if {v} is False: {skip}", operand.span)
            fn.emit(f"if {v} is not True: k = merge(k, {v}) if type(k) is Unk else {v}", operand.span)
        if acc:
            w.unk.add("k")
            fn.emit("if k is not True:", when.span)
            fn.indent()
            self._undecided(fn, "k", i, key, elems, when.span)
            fn.emit(skip, when.span)
            fn.dedent()

    def _undecided(self, fn, c: str, i: int, key, elems: list, span) -> None:
        """Log an undecided binding (its truth ``c`` is not True): an Unk, as the general
        code would record it; any other value than False is for the general path."""
        w = self.w
        entry = f"({i}, {'None' if key is None else self._tup(key)}, {self._tup(elems)}, {c})"
        if c in w.unk:
            fn.emit(f"if type({c}) is Unk: add({entry})", span)
            fn.emit(f"elif {c} is not False: raise Bail", span)
        else:
            fn.emit(f"if {c} is not False: raise Bail", span)

    def _derive_values(self, derive: ast.Derive, fn, env, given=None) -> list[str]:
        """The codes of a derived fact's values, one per field ("None" for none)."""
        for arg in derive.args:
            self.w._need_scalar(arg.value)
        by_name = self.gen._derive_args(derive, fn, env, given_only=True, writer=self.w)
        by_name.update(given or {})
        return [by_name.get(f, "None") for f in self.gen.fact_fields.get(derive.fact.text, ())]

    def _table(self, i: int, decl: ast.Table, fn) -> None:
        """A table's rows and hit policy, as ``F<i>`` does them (``Generator._table_rows``),
        with unknown inputs only where a profile field is missing."""
        w = self.w
        env = Env()
        if decl.when is not None:
            c = w.expr(decl.when, fn, env)
            fn.emit(f"if {c} is False: break", decl.when.span)
            fn.emit(f"if {c} is not True:", decl.when.span)
            fn.indent()
            self._undecided(fn, c, i, [w.const("when")], [], decl.when.span)
            fn.emit("break")
            fn.dedent()
        inputs = [self._input(x, fn, env) for x in decl.inputs]
        unknown = [x for x in inputs if x in w.unk]
        if not unknown:
            self._rows(i, decl, fn, env, inputs, False)
            return
        # when every input is known (the usual case) the rows are plain tests
        if all(x in w.scalars.values() for x in unknown):
            w.known = True
            fn.emit("if KN:", decl.span)  # every top-level value is known
        else:
            fn.emit(f"if {' and '.join(f'type({x}) is not Unk' for x in dict.fromkeys(unknown))}:", decl.span)
        fn.indent()
        self._rows(i, decl, fn, env, inputs, False)
        fn.dedent()
        fn.emit("else:")
        fn.indent()
        self._rows(i, decl, fn, env, inputs, True)
        fn.dedent()

    def _rows(self, i: int, decl: ast.Table, fn, env, inputs: list, kleene: bool) -> None:
        """The rows and hit policy: with ``kleene``, as the general code (a row over a
        missing input is unknown); without, every input is known and a row is one test."""
        w = self.w
        if kleene:
            w.unk.add("r")
        else:
            w.unk.discard("r")
        info = self.infos[i]
        hit = info.hit
        out_type = decl.output.fact.text
        if hit == "unique" and kleene:
            fn.emit("unknown = []")
        for r, row in enumerate(decl.rows):
            tests = [(self.gen._cell(cell, inputs[j]), inputs[j], cell) for j, cell in enumerate(row.cells)
                     if not isinstance(cell, ast.AnyCell) and j < len(inputs)]
            if not kleene:
                fn.emit(f"r = {' and '.join(f'({t})' for t, _, _ in tests) or 'True'}", row.span)
            else:
                fn.emit("r = True", row.span)
                for n, (test, x, cell) in enumerate(tests):
                    pad = "    " if n else ""
                    if n:
                        fn.emit("if r is not False:", cell.span)
                    fn.emit(f"{pad}c = {x} if type({x}) is Unk else ({test})" if x in w.unk
                            else f"{pad}c = {test}", cell.span)
                    fn.emit(f"{pad}if c is False: r = False", cell.span)
                    fn.emit(f"{pad}elif c is not True: r = merge(r, c) if type(r) is Unk else c", cell.span)
            fn.emit("if r is True:", row.span)
            fn.indent()
            given = {}
            for arg_name, value in zip(info.row_fields, info.row_values[r]):
                given[arg_name] = w.const(value) if value is not None else "None"
            values = self._derive_values(decl.output, fn, env, given)
            self._log(fn, i, [str(r)], [], [("derive", out_type, values)], row.span)
            if hit in ("first", "unique"):
                fn.emit("break")
            fn.dedent()
            fn.emit("elif r is not False:", row.span)
            fn.indent()
            if not kleene:
                fn.emit("raise Bail", row.span)  # a test gave something else than a bool
            elif hit == "unique":
                fn.emit(f"unknown.append(({r}, r))", row.span)
            else:
                self._undecided(fn, "r", i, [str(r)], [], row.span)
                if hit == "first":
                    fn.emit("break")
            fn.dedent()
        if hit == "unique" and kleene:  # no row applies: every unknown one is undecided
            fn.emit("for q, r in unknown:")
            fn.indent()
            fn.emit("if type(r) is not Unk: raise Bail")
            fn.emit(f"add(({i}, (q,), (), r))")
            fn.dedent()

    def _input(self, node, fn, env) -> str:
        """A table input (unknown only if it is a missing profile field)."""
        self.w._need_scalar(node)
        return self.w.expr(node, fn, env)


_NOPE = object()
_LITERALS = {"None": None, "True": True, "False": False}


def _no_lists(shape) -> bool:
    """A record shape whose fields are values or records of the same kind (what X reads
    with ``.get`` and X's copy of the data copies whole)."""
    return shape[0] == "val" or shape[0] == "rec" and all(_no_lists(s) for _, s in shape[1])
