"""Python source for checked expressions: statement-level code with three-valued logic.

:class:`ExprWriter` writes into a :class:`~.writer.FnWriter` (the lines of one generated
function, each with the rule-text line it came from). It turns one checked expression
into statements that leave its value in a local, and returns that local's name (or a
constant's name). Names are resolved only through ``CheckedPack.refs``; every constant
is stored in a constant pool and referred to by a generated identifier, so no text the
user wrote is ever spliced into the generated source.

Values: present values are plain Python; missing/unknown is an ``Unk`` (see
:mod:`imgrules._engine.runtime`). Every operation tests its operands with
``type(x) is Unk`` first, which is the whole cost of three-valued logic on the fast path.
"""

from __future__ import annotations

import datetime as dt

from .. import ast
from .. import _types as T
from .._builtins import FUNCTIONS
from .._check.model import CheckedPack, node_key
from .._semantics.cells import constant
from . import symbols as sym
from .analysis import NotConst, walk
from .writer import CompileError, ConstPool, Env, FnWriter

CMP_OPS = {"==", "!=", "<", "<=", ">", ">="}


_BOOLEANS = ("True", "False")  # what const() writes for the booleans


class ExprWriter:
    """Compiles expressions of one checked pack; shared by all generated functions."""

    def __init__(self, checked: CheckedPack, pool: ConstPool, let_ids: dict, map_ids: dict,
                 hoist=None):
        self.hoist = hoist  # node -> the let index computing it once per evaluation
        self.sites: dict | None = None  # while writing a shape's code: site -> slot
        self.checked = checked
        self.refs = checked.refs
        self.types = checked.types
        self.pool = pool
        self.let_ids = let_ids  # let name -> index
        self.map_ids = map_ids
        self._label_consts: dict[str, str] = {}  # enum name -> constant of its labels

    # ------------------------------------------------------------------ helpers
    def ref(self, node):
        ref = self.refs.get(node_key(node))
        if ref is None:
            raise CompileError(f"{node.span}: name not resolved by the checker")
        return ref

    @staticmethod
    def tick(fn: FnWriter) -> None:
        """A step of a loop: the session reads the clock every so many steps (time limit)."""
        fn.emit("S.budget -= 1")
        fn.emit("if S.budget < 0: S.tick()")

    @staticmethod
    def tick_loop(fn: FnWriter, src: str) -> None:
        """Before a loop over ``src``: its steps counted at once (see :meth:`tick`)."""
        fn.emit(f"S.budget -= len({src})")
        fn.emit("if S.budget < 0: S.tick()")

    def element_of(self, fn: FnWriter, source, local: str) -> None:
        """Note that ``local`` iterates ``source``: a record for sure when ``source`` is
        a list of records (profile records and derived facts are never unknown)."""
        typ = self.type_of(source)
        if isinstance(typ, T.ListType) and isinstance(typ.item, T.RecordType):
            fn.records.add(local)

    def tick_if_nested(self, fn: FnWriter, node) -> None:
        """A step of a loop over a collection, when each step does more than constant work
        (a nested filter or aggregate, or a call of a let with parameters)."""
        for part in (node.predicate, getattr(node, "value", None)):
            if part is None:
                continue
            for n in walk(part):
                if isinstance(n, (ast.Filter, ast.Aggregate)) or (
                        isinstance(n, ast.Call) and getattr(self.refs.get(node_key(n)), "kind", None) == "let"):
                    self.tick(fn)
                    return

    def slot(self, site) -> str | None:
        """While writing the shared code of a rule shape (:mod:`.shapes`): the code that
        reads the constant at ``site`` from the rule's constants, else None."""
        if self.sites is None:
            return None
        i = self.sites.get(site)
        return None if i is None else sym.param(i)

    def closed(self, node) -> bool:
        """Whether ``node`` reads no variable, parameter or element bound outside it."""
        inner = set()
        names = []
        for n in walk(node):
            if isinstance(n, (ast.Filter, ast.Aggregate)):
                inner.add(node_key(n))
            elif isinstance(n, ast.Name):
                names.append(n)
        for n in names:
            ref = self.refs.get(node_key(n))
            if ref is not None and ref.kind in ("var", "param", "field") and ref.scope not in inner:
                return False
        return True

    def type_of(self, node) -> T.Type:
        return self.types.get(node_key(node), T.UNKNOWN)

    def labels_of(self, ty: T.Type) -> str | None:
        """The constant holding the display labels of an enum type, ``{value: label}``;
        None when it declares none."""
        if not isinstance(ty, T.EnumType) or not ty.labels:
            return None
        if ty.name not in self._label_consts:
            self._label_consts[ty.name] = self.pool.name(dict(ty.labels))
        return self._label_consts[ty.name]

    def const(self, value) -> str:
        if value is None:
            return "UNKNOWN"
        if isinstance(value, bool):
            return "True" if value else "False"
        return self.pool.name(value)

    def const_value(self, node):
        """The value of a constant expression (literal, enum value, set of those), or NotConst."""
        if isinstance(node, (ast.Literal, ast.NegLit, ast.Word, ast.Duration)):
            return constant(node)
        if isinstance(node, ast.Neg):
            inner = self.const_value(node.operand)
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return -inner
            raise NotConst
        if isinstance(node, ast.Name):
            ref = self.refs.get(node_key(node))
            if ref is not None and ref.kind == "enum_value":
                return ref.name
            raise NotConst
        if isinstance(node, ast.SetLit):
            values = [self.const_value(i) for i in node.items]
            if any(v is None for v in values):
                raise NotConst
            return frozenset(values)
        raise NotConst

    # ------------------------------------------------------------------ expressions
    def expr(self, node, fn: FnWriter, env: Env) -> str:
        """Emit statements computing ``node``; return the local (or constant) holding it.

        A filter or aggregate that reads no variable of the loops around it (``max(x.start
        for x in us_clinical)`` inside ``us_clinical where start == ...``) is computed once
        per evaluation, as an unnamed let (``hoist``), not once per element around it."""
        if (self.hoist is not None and self.sites is None and (env.vars or env.fields)
                and type(node) in (ast.Aggregate, ast.Filter) and self.closed(node)):
            idx = self.hoist(node)
            t = fn.tmp()
            fn.emit(f"{t} = LETS.get({idx})", node.span)
            fn.emit(f"if {t} is None: {t} = LETS[{idx}] = {sym.let(idx)}(S)", node.span)
            return t
        method = getattr(self, "x_" + type(node).__name__, None)
        if method is None:
            raise CompileError(f"{node.span}: cannot compile {type(node).__name__}")
        return method(node, fn, env)

    def x_Literal(self, node, fn, env):
        slot = self.slot(node_key(node))
        if slot is not None:
            return slot
        value = node.value
        if isinstance(value, (int, float, str, dt.date)) or value is None:
            return self.const(value)
        raise CompileError(f"{node.span}: unexpected literal")

    def x_Duration(self, node, fn, env):
        return self.slot(node_key(node)) or self.const(self.const_value(node))

    def x_Word(self, node, fn, env):
        return self.slot(node_key(node)) or self.const(node.text)

    def x_NegLit(self, node, fn, env):
        return self.slot(node_key(node)) or self.const(node.value)

    def x_TMonth(self, node, fn, env):
        t = fn.tmp()
        fn.emit(f"{t} = tmonth(S, {int(node.months)})", node.span)
        return t

    def x_Name(self, node, fn, env):
        ref = self.ref(node)
        kind = ref.kind
        if kind in ("var", "param"):
            local = env.vars.get((ref.scope, ref.name))
            if local is None:
                raise CompileError(f"{node.span}: variable {ref.name} is not in scope")
            return local
        if kind == "field":
            elem = env.fields.get(ref.scope) or (env.order[-1] if env.order else None)
            if elem is None:
                raise CompileError(f"{node.span}: field {ref.name} has no element in scope")
            return self._member(elem, ref.name, fn, node.span)
        if kind == "let":
            idx = self.let_ids[ref.name]
            t = fn.tmp()
            fn.emit(f"{t} = LETS.get({idx})", node.span)
            fn.emit(f"if {t} is None: {t} = LETS[{idx}] = {sym.let(idx)}(S)", node.span)
            return t
        if kind == "profile":
            return self._member("ROOT", ref.name, fn, node.span)
        if kind == "facts":
            t = fn.tmp()
            fn.emit(f"{t} = S.facts[{self.const(ref.name)}].values()", node.span)
            return t
        if kind == "enum_value":
            return self.slot(node_key(node)) or self.const(ref.name)
        if kind == "builtin":
            if ref.name == "months_to_go":
                return "S.mtg"
            raise CompileError(f"{node.span}: builtin {ref.name} used as a value")
        raise CompileError(f"{node.span}: cannot use a {kind} as a value")

    def _member(self, obj: str, field: str, fn, span) -> str:
        t = fn.tmp()
        f = self.const(field)
        if obj == "ROOT" or obj in fn.records:
            fn.emit(f"{t} = {obj}.get({f})", span)
        else:
            fn.emit(f"{t} = {obj} if type({obj}) is Unk else {obj}.get({f})", span)
        fn.emit(f"if {t} is None: {t} = miss({obj}, {f})", span)
        return t

    def x_Member(self, node, fn, env):
        obj = self.expr(node.obj, fn, env)
        if isinstance(self.type_of(node.obj), (T.RecordType, T.Unknown)):
            return self._member(obj, node.field.text, fn, node.span)
        t = fn.tmp()
        fn.emit(f"{t} = member({obj}, {self.const(node.field.text)})", node.span)
        return t

    def x_Index(self, node, fn, env):
        obj = self.expr(node.obj, fn, env)
        i = self.expr(node.index, fn, env)
        t = fn.tmp()
        fn.emit(f"{t} = index({obj}, {i})", node.span)
        return t

    def x_Neg(self, node, fn, env):
        a = self.expr(node.operand, fn, env)
        t = fn.tmp()
        fn.emit(f"{t} = {a} if type({a}) is Unk else -{a}", node.span)
        return t

    def x_Not(self, node, fn, env):
        a = self.expr(node.operand, fn, env)
        t = fn.tmp()
        fn.emit(f"{t} = {a} if type({a}) is Unk else not {a}", node.span)
        return t

    def x_Arith(self, node, fn, env):
        a = self.expr(node.left, fn, env)
        b = self.expr(node.right, fn, env)
        t = fn.tmp()
        lt, rt = self.type_of(node.left), self.type_of(node.right)
        if node.op in ("+", "-", "*") and T.is_numeric(lt) and T.is_numeric(rt):
            fn.emit(f"{t} = merge({a}, {b}) if type({a}) is Unk or type({b}) is Unk "
                    f"else {a} {node.op} {b}", node.span)
        else:
            fn.emit(f"{t} = arith({self.const(node.op)}, {a}, {b})", node.span)
        return t

    def x_Compare(self, node, fn, env):
        if node.op not in CMP_OPS:
            raise CompileError(f"{node.span}: unknown operator")
        a = self.expr(node.left, fn, env)
        b = self.expr(node.right, fn, env)
        t = fn.tmp()
        tests = [f"type({x}) is Unk" for x in (a, b) if self.maybe_unknown(x)]
        if tests:
            self.unknown_from(t)
            fn.emit(f"{t} = compare({self.const(node.op)}, {a}, {b}) if {' or '.join(tests)} "
                    f"else {a} {node.op} {b}", node.span)
        else:
            fn.emit(f"{t} = {a} {node.op} {b}", node.span)
        return t

    def maybe_unknown(self, x: str) -> bool:
        """Whether the code ``x`` (a local or constant name) may hold an Unk: any local,
        not a constant or a boolean literal."""
        return not (sym.is_const(x) or x in _BOOLEANS)

    def unknown_from(self, t: str) -> None:
        """``t`` is computed from a value that may be unknown (a hook: nothing to do here)."""

    def _guarded(self, t: str, a: str, value: str) -> str:
        """``value`` computed from ``a``, or ``a`` itself when it is unknown."""
        if not self.maybe_unknown(a):
            return value
        self.unknown_from(t)
        return f"{a} if type({a}) is Unk else {value}"

    def x_BoolOp(self, node, fn, env):
        """Kleene and/or, evaluating operands left to right until one decides.

        The operands sit one after the other in a ``while True`` block left with
        ``break`` (not one nested ``else`` per operand), so any number of operands
        compiles (Python allows 100 levels of indentation)."""
        t = fn.tmp("b")
        unit, zero = ("True", "False") if node.op == "and" else ("False", "True")
        fn.emit(f"{t} = {unit}", node.span)
        fn.emit("while True:", node.span)
        fn.indent()
        for operand in node.operands:
            v = self.expr(operand, fn, env)
            fn.emit(f"if {v} is {zero}: {t} = {zero}; break", operand.span)
            self.undeciding(fn, t, v, unit, operand.span)
        fn.emit("break")
        fn.dedent()
        return t

    def undeciding(self, fn, t: str, v: str, unit: str, span) -> None:
        """An operand ``v`` of and/or that did not decide ``t``: unless it is the unit,
        ``t`` becomes unknown (Kleene)."""
        fn.emit(f"if {v} is not {unit}: {t} = merge({t}, {v}) if type({t}) is Unk else {v}", span)

    def x_IfExpr(self, node, fn, env):
        """Both branches are computed (expressions have no effects) and the condition picks
        one; :func:`imgrules._semantics.ops.choose` decides when it is unknown."""
        c = self.expr(node.cond, fn, env)
        a = self.expr(node.then, fn, env)
        b = self.expr(node.orelse, fn, env)
        t = fn.tmp()
        self.unknown_from(t)
        fn.emit(f"{t} = {a} if {c} is True else {b} if {c} is False else choose({c}, {a}, {b})",
                node.span)
        return t

    def x_IsMissing(self, node, fn, env):
        a = self.expr(node.operand, fn, env)
        t = fn.tmp()
        fn.emit(f"{t} = type({a}) is {'not ' if node.negated else ''}Unk", node.span)
        return t

    def x_In(self, node, fn, env):
        a = self.expr(node.item, fn, env)
        t = fn.tmp()
        target = node.target
        neg = "not " if node.negated else ""
        try:
            values = self.const_value(target) if isinstance(target, ast.SetLit) else None
        except NotConst:
            values = None
        if values is not None:
            c = self.slot(node_key(target)) or self.const(values)
            fn.emit(f"{t} = {self._guarded(t, a, f'{a} {neg}in {c}')}", node.span)
            return t
        if isinstance(target, ast.Range):
            lo = self.expr(target.low, fn, env) if target.low is not None else "None"
            hi = self.expr(target.high, fn, env) if target.high is not None else "None"
            if all(x == "None" or sym.is_const(x) for x in (lo, hi)):
                cond = " and ".join(c for c in (f"{lo} <= {a}" if lo != "None" else "",
                                                 f"{a} <= {hi}" if hi != "None" else "") if c) or "True"
                if self.maybe_unknown(a):
                    self.unknown_from(t)
                    fn.emit(f"{t} = in_range({a}, {lo}, {hi}) if type({a}) is Unk else {neg}({cond})",
                            node.span)
                    if node.negated:  # a bounded unknown's range may decide: negate that too
                        fn.emit(f"if type({a}) is Unk and type({t}) is not Unk: {t} = not {t}",
                                node.span)
                else:
                    fn.emit(f"{t} = {neg}({cond})", node.span)
                return t
            fn.emit(f"{t} = in_range({a}, {lo}, {hi})", node.span)
        else:
            b = self.expr(target, fn, env)
            unknown = " or ".join(f"type({x}) is Unk" for x in (a, b) if self.maybe_unknown(x))
            if unknown:
                self.unknown_from(t)
                fn.emit(f"{t} = contains({a}, {b}) if {unknown} else {a} in {b}", node.span)
            else:
                fn.emit(f"{t} = {a} in {b}", node.span)
        if node.negated:
            fn.emit(f"{t} = {t} if type({t}) is Unk else not {t}", node.span)
        return t

    def x_SetLit(self, node, fn, env):
        try:
            return self.slot(node_key(node)) or self.const(self.const_value(node))
        except NotConst:
            pass
        items = [self.expr(i, fn, env) for i in node.items]
        t = fn.tmp()
        fn.emit(f"{t} = make_set({', '.join(items)}{',' if len(items) == 1 else ''})", node.span)
        return t

    def x_Range(self, node, fn, env):
        raise CompileError(f"{node.span}: a range is only allowed after 'in'")

    def x_Call(self, node, fn, env):
        ref = self.ref(node)
        args = [self.expr(a, fn, env) for a in node.args]
        t = fn.tmp()
        joined = ", ".join(args)
        if ref.kind == "builtin":
            if ref.name == "coalesce":
                fn.emit(f"{t} = coalesce({joined})", node.span)
            elif ref.name in FUNCTIONS:
                fn.emit(f"{t} = call({self.const_fn(ref.name)}, {joined})", node.span)
            else:
                raise CompileError(f"{node.span}: unknown builtin {ref.name}")
        elif ref.kind == "let":
            fn.emit(f"{t} = {sym.let_fn(self.let_ids[ref.name])}(S, {joined})", node.span)
        elif ref.kind == "map":
            a = args[0]
            fn.emit(f"{t} = map_get({sym.map_table(self.map_ids[ref.name])}, {a})", node.span)
        else:
            raise CompileError(f"{node.span}: cannot call a {ref.kind}")
        return t

    def const_fn(self, name: str) -> str:
        return sym.builtin(name)

    # ------------------------------------------------------------------ collections
    def x_Filter(self, node, fn, env):
        src = self.expr(node.source, fn, env)
        if node.predicate is None:
            return src
        t, u, e = fn.tmp("c"), fn.tmp("u"), fn.tmp("e")
        inner = env.child(node_key(node), e, node.var.text if node.var else None)
        fn.emit(f"{u} = None", node.span)
        fn.emit(f"if type({src}) is Unk: {t} = {src}", node.span)
        fn.emit("else:")
        fn.indent()
        fn.emit(f"{t} = []")
        self.element_of(fn, node.source, e)
        fn.emit(f"for {e} in {src}:", node.span)
        fn.indent()
        self.tick_if_nested(fn, node)
        p = self.expr(node.predicate, fn, inner)
        fn.emit(f"if {p} is True: {t}.append({e})")
        fn.emit(f"elif {p} is not False: {u} = {p} if {u} is None else merge({u}, {p})")
        fn.dedent()
        fn.emit(f"if {u} is not None: {t} = agg.kept({t}, {u})")
        fn.dedent()
        return t

    def x_Aggregate(self, node, fn, env):
        """A loop over the elements testing the predicate; what it found is folded into
        the result by :mod:`imgrules._semantics.collections` when an element was undecided
        (the loop keeps the undecided elements' unknown in ``u``, their number in ``n``)."""
        func = node.func
        window = self.expr(node.within, fn, env) if node.within is not None else "None"
        src = self.expr(node.source, fn, env)
        t, u, e = fn.tmp("a"), fn.tmp("u"), fn.tmp("e")
        inner = env.child(node_key(node), e, node.var.text if node.var else None)
        fn.emit(f"{u} = None", node.span)
        fn.emit(f"if type({src}) is Unk: {t} = {src}", node.span)
        fn.emit("else:")
        fn.indent()
        if func == "count" and node.predicate is None:
            fn.emit(f"{t} = len({src})", node.span)
            fn.dedent()
            return t
        if func == "exists" and node.predicate is None:
            fn.emit(f"{t} = len({src}) > 0", node.span)
            fn.dedent()
            return t
        start = {"count": "0", "exists": "False", "all": "True"}.get(func, "[]")
        fn.emit(f"{t} = {start}")
        n = None
        if func == "count":
            n = fn.tmp("n")
            fn.emit(f"{n} = 0")
        self.element_of(fn, node.source, e)
        fn.emit(f"for {e} in {src}:", node.span)
        fn.indent()
        self.tick_if_nested(fn, node)
        p = self.expr(node.predicate, fn, inner) if node.predicate is not None else (
            e if func == "all" else "True")
        unknown = f"{u} = {p} if {u} is None else merge({u}, {p})"
        if func == "count":
            fn.emit(f"if {p} is True: {t} += 1")
            fn.emit(f"elif {p} is not False: {unknown}; {n} += 1")
        elif func == "exists":
            fn.emit(f"if {p} is True:")
            fn.emit(f"    {t} = True; {u} = None; break")
            fn.emit(f"elif {p} is not False: {unknown}")
        elif func == "all":
            fn.emit(f"if {p} is False:")
            fn.emit(f"    {t} = False; {u} = None; break")
            fn.emit(f"elif {p} is not True: {unknown}")
        else:  # sum, min, max, union_months, longest_gap_months
            every = p == "True"  # no predicate: every element's value
            if not every:
                fn.emit(f"if {p} is True:")
                fn.indent()
            v = self.expr(node.value, fn, inner) if node.value is not None else e
            fn.emit(f"if type({v}) is Unk: {u} = {v} if {u} is None else merge({u}, {v})")
            fn.emit(f"else: {t}.append({v})")
            if not every:
                fn.dedent()
                fn.emit(f"elif {p} is not False: {unknown}")
        fn.dedent()
        if func == "sum":
            fn.emit(f"{t} = agg.total({t}, {u})")
        elif func in ("min", "max"):
            fn.emit(f"{t} = agg.extreme({self.const(func)}, {t}, {u})")
        elif func in ("union_months", "longest_gap_months"):
            fn.emit(f"{t} = agg.{func}({t}, {u}, {window})")
        elif func == "count":
            fn.emit(f"if {u} is not None: {t} = agg.count({t}, {n}, {u})")
        elif func == "exists":
            fn.emit(f"if {u} is not None: {t} = agg.exists({u})")
        else:
            fn.emit(f"if {u} is not None: {t} = agg.every({u})")
        fn.dedent()
        return t

    # ------------------------------------------------------------------ messages
    def text(self, node: ast.Text, fn, env) -> str:
        """A message with its ``{holes}`` rendered; returns the local holding the string."""
        pieces = []
        for j, part in enumerate(node.parts):
            if isinstance(part, str):
                pieces.append(self.slot((node_key(node), j)) or self.const(part))
            else:
                v = self.expr(part, fn, env)
                ty = self.type_of(part)
                labels = self.labels_of(ty)
                if labels is not None:  # an enum value shows its declared label
                    pieces.append(f"({labels}.get({v}, {v}) if type({v}) is str "
                                  f"else render_value({v}))")
                elif ty == T.STR or isinstance(ty, T.EnumType):  # a str, unless it is unknown
                    pieces.append(f"({v} if type({v}) is str else render_value({v}))")
                else:
                    pieces.append(f"render_value({v})")
        if len(pieces) == 1:  # a constant, or a hole's value as text
            if sym.is_const(pieces[0]):
                return pieces[0]
            joined = pieces[0]
        else:
            joined = f"''.join(({', '.join(pieces)}))"
        t = fn.tmp("s")
        fn.emit(f"{t} = {joined}", node.span)
        return t
