"""The expressions of the direct function ``X`` (see :mod:`.direct`): two-valued Python.

Each top-level field ``X`` uses is read once, at its top; a missing one is an ``Unk``
naming ``$.field``, as the general code's would be, and whatever is computed from it
follows the general code's three-valued rules (:attr:`DirectWriter.unk` tracks which
locals may hold one). Everything else is plain two-valued Python: comparisons without
``type(x) is Unk`` tests. That is a speculation that nothing else is unknown: wherever
the general code would make an unknown value from something else (a missing field of a
record in a list, an unknown ``let`` or months to go, an operation on incompatible
values) ``X`` raises :class:`~imgrules.engine.runtime.Bail` and the session runs the
general first run instead. :class:`DirectWriter` is the general expression writer with
those reads and checks overridden; what it cannot express raises :class:`NotDirect`,
and the pack gets no ``X``.
"""

from __future__ import annotations

from .. import ast
from .. import types as T
from ..engine.runtime import SHORT  # an inner join over more elements bails: the general path indexes it
from .emit import ExprWriter


class NotDirect(Exception):
    """The pack uses something the direct function does not express."""


def is_scalar(t, lists: bool = False) -> bool:
    """A type whose values read, compare and render the same here as in the session's
    records. Lists only where asked (``lists``): X sees the profile's lists as tuples
    (see :meth:`DirectWriter.copy`), which render and contain the same but
    do not compare equal to lists."""
    if isinstance(t, T.ListType):
        return lists and is_scalar(t.item)
    if isinstance(t, T.SetType):
        return is_scalar(t.item)
    return not isinstance(t, (T.RecordType, T.Unknown, T.MapType))


class DirectWriter(ExprWriter):
    """Expressions for ``X``: two-valued, except over the top-level fields (which may be
    unknown, see :attr:`unk`); any other value that would be unknown raises ``Bail``."""

    def __init__(self, checked, pool, let_ids, map_ids, fact_locals: dict):
        super().__init__(checked, pool, let_ids, map_ids)
        self.fact_locals = fact_locals  # fact type -> local dict of its facts in X
        self.state = False  # X uses the state object (lets, T-k dates, gates, months to go)
        self.mtg = False  # X reads months to go
        self.scalars: dict[str, str] = {}  # profile field -> local read once by X
        self.lists: dict[str, str] = {}  # list field -> local (an absent list is empty)
        self.unk: set[str] = set()  # locals that may hold an Unk (see the module doc)
        self.known = False  # X tests KN: every top-level value is known (see prologue)

    def root(self, field: str) -> str:
        """The local holding a top-level profile field, read once: an Unk naming
        ``$.field`` when it is missing, as the general code's would."""
        local = self.scalars.get(field)
        if local is None:
            local = self.scalars[field] = f"P{len(self.scalars)}"
            self.unk.add(local)
        return local

    def root_list(self, field: str) -> str:
        local = self.lists.get(field)
        if local is None:
            local = self.lists[field] = f"LS{len(self.lists)}"  # (L<i> are the lets)
        return local

    def copy(self, shape, joined: set) -> list[str]:
        """The lines that copy the profile data (``DATA``) into ``ROOT``, as loading it into
        records would (the caller may change its data afterwards, and the session and its
        results read the copy later): the top-level mapping, ``as_of`` given (``AS``) over
        the profile's, each list as a tuple (records as dicts: a direct pack's records hold
        only values), each top-level record to its depth. A list joined through an index
        by the general code is measured first: longer than ``SHORT``, X gives up before
        copying it. Each list X reads is left in its local."""
        lines = ["ROOT = dict(DATA)", f"if AS is not None: ROOT[{self.const('as_of')}] = AS"]
        for name, fshape in shape[1]:
            k = self.const(name)
            if fshape[0] == "list":
                local = self.lists.get(name)
                v = local or "v"
                lines.append(f"{v} = ROOT.get({k})")
                if local is not None:
                    lines.append(f"if {v} is None: {v} = ()")
                    lines.append("else:")
                else:
                    lines.append(f"if {v} is not None:")
                if name in joined:
                    lines.append(f"    if len({v}) > {SHORT}: raise Bail")
                copied = f"tuple(map(COPY, {v}))" if fshape[1][0] == "rec" else f"tuple({v})"
                lines.append(f"    {v} = ROOT[{k}] = {copied}")
            elif fshape[0] == "rec":
                lines += [f"v = ROOT.get({k})",
                          f"if v is not None: ROOT[{k}] = NESTED(v, {self.pool.name(fshape)})"]
        return lines

    def prologue(self) -> list[str]:
        """The reads of the top-level values X uses, to put at its top (after the copy)."""
        lines = []
        for f, local in self.scalars.items():
            lines += [f"{local} = ROOT.get({self.const(f)})",
                      f"if {local} is None: {local} = Unk(({self.const('$.' + f)},))"]
        if self.known:
            lines.append("KN = " + (" and ".join(f"type({x}) is not Unk" for x in self.scalars.values())
                                    or "True"))
        return lines

    def _checked(self, t: str, fn) -> str:
        """A value the general code may leave unknown: bail if it is (unless it is
        unknown only from a top-level field, see :attr:`unk`)."""
        if t in self.unk:
            return t
        if not t.startswith("K") and t not in ("True", "False", "UNKNOWN"):
            fn.emit(f"if type({t}) is Unk: raise Bail")
        elif t == "UNKNOWN":
            raise NotDirect
        return t

    def _need_scalar(self, node, lists: bool = False) -> None:
        if not is_scalar(self.type_of(node), lists):
            raise NotDirect

    def expr(self, node, fn, env) -> str:
        out = super().expr(node, fn, env)
        if out == "UNKNOWN":  # a literal unknown: three-valued by nature
            raise NotDirect
        return out

    # ------------------------------------------------------------------ reads
    def _member(self, obj: str, field: str, fn, span) -> str:
        if obj == "ROOT":
            return self.root(field)
        if obj in self.unk:  # a missing top-level record: its fields are the general code's
            fn.emit(f"if type({obj}) is Unk: raise Bail", span)
        t = fn.tmp()
        fn.emit(f"{t} = {obj}.get({self.const(field)})", span)
        fn.emit(f"if {t} is None: raise Bail", span)
        return t

    def x_Name(self, node, fn, env):
        ref = self.ref(node)
        if ref.kind == "profile" and isinstance(self.type_of(node), T.ListType):
            return self.root_list(ref.name)  # an absent list is empty, as in the records
        if ref.kind == "facts":
            local = self.fact_locals.get(ref.name)
            if local is None:
                raise NotDirect
            t = fn.tmp()
            fn.emit(f"{t} = {local}.values()", node.span)
            return t
        if ref.kind == "builtin" and ref.name == "months_to_go":
            self.mtg = self.state = True
            fn.emit("if type(MTG) is Unk: raise Bail", node.span)
            return "MTG"
        if ref.kind in ("let", "builtin"):
            self.state = True
            return self._checked(super().x_Name(node, fn, env), fn)
        return super().x_Name(node, fn, env)

    def x_Member(self, node, fn, env):
        if isinstance(self.type_of(node.obj), T.RecordType):
            obj = self.expr(node.obj, fn, env)
            return self._member(obj, node.field.text, fn, node.span)
        raise NotDirect

    def x_IsMissing(self, node, fn, env):
        """``x is missing`` reads the field without bailing: it is what the test asks."""
        operand = node.operand
        t = fn.tmp()
        neg = "not " if node.negated else ""
        if isinstance(operand, ast.Name):
            ref = self.ref(operand)
            if ref.kind == "profile":
                if isinstance(self.type_of(operand), T.ListType):
                    return "True" if node.negated else "False"  # a list is never missing
                fn.emit(f"{t} = type({self.root(ref.name)}) is {neg}Unk", node.span)
                return t
            if ref.kind == "field":
                elem = env.fields.get(ref.scope) or (env.order[-1] if env.order else None)
                if elem is None:
                    raise NotDirect
                fn.emit(f"{t} = {elem}.get({self.const(ref.name)}) is {neg}None", node.span)
                return t
            raise NotDirect
        if isinstance(operand, ast.Member) and isinstance(self.type_of(operand.obj), T.RecordType) \
                and not isinstance(self.type_of(operand), T.ListType):
            obj = self.expr(operand.obj, fn, env)
            if obj in self.unk:
                fn.emit(f"if type({obj}) is Unk: raise Bail", node.span)
            fn.emit(f"{t} = {obj}.get({self.const(operand.field.text)}) is {neg}None", node.span)
            return t
        raise NotDirect

    # ------------------------------------------------------------------ logic
    def maybe_unknown(self, x: str) -> bool:
        return x in self.unk

    def unknown_from(self, t: str) -> None:
        self.unk.add(t)

    def x_Compare(self, node, fn, env):
        self._need_scalar(node.left)
        self._need_scalar(node.right)
        return super().x_Compare(node, fn, env)

    def x_Not(self, node, fn, env):
        a = self.expr(node.operand, fn, env)
        t = fn.tmp()
        if a in self.unk:
            self.unk.add(t)
            fn.emit(f"{t} = {a} if type({a}) is Unk else not {a}", node.span)
            return t
        fn.emit(f"if {a} is not True and {a} is not False: raise Bail", node.span)
        fn.emit(f"{t} = not {a}", node.span)
        return t

    def x_Neg(self, node, fn, env):
        return self._checked(super().x_Neg(node, fn, env), fn)

    def undeciding(self, fn, t: str, v: str, unit: str, span) -> None:
        if v in self.unk:  # Kleene, as the general code
            self.unk.add(t)
            super().undeciding(fn, t, v, unit, span)
        else:
            fn.emit(f"if {v} is not {unit}: raise Bail", span)

    def x_In(self, node, fn, env):
        self._need_scalar(node.item)
        target = node.target
        for part in (target.low, target.high) if isinstance(target, ast.Range) else \
                target.items if isinstance(target, ast.SetLit) else ():
            if part is not None:
                self._need_scalar(part)
        if not isinstance(target, (ast.Range, ast.SetLit)):
            self._need_scalar(target, lists=True)
        return self._checked(super().x_In(node, fn, env), fn)

    # ------------------------------------------------------------------ the rest: general code
    # Their operands are never unknown here; what they compute may be (an empty min, a
    # division by zero, a missing map key), and then the general path decides.
    def x_Arith(self, node, fn, env):
        return self._checked(super().x_Arith(node, fn, env), fn)

    def x_Index(self, node, fn, env):
        return self._checked(super().x_Index(node, fn, env), fn)

    def x_Call(self, node, fn, env):
        ref = self.ref(node)
        if ref.kind == "builtin" and ref.name == "coalesce":
            raise NotDirect  # it exists to read missing values
        if not (ref.kind == "builtin" and ref.name == "len"):  # a tuple's length is a list's
            for a in node.args:
                self._need_scalar(a)
        return self._checked(super().x_Call(node, fn, env), fn)

    def x_SetLit(self, node, fn, env):
        for item in node.items:
            self._need_scalar(item)
        return self._checked(super().x_SetLit(node, fn, env), fn)

    def x_TMonth(self, node, fn, env):
        self.state = True
        return self._checked(super().x_TMonth(node, fn, env), fn)

    def x_Filter(self, node, fn, env):
        return self._checked(super().x_Filter(node, fn, env), fn)

    def x_Aggregate(self, node, fn, env):
        if node.value is not None:
            self._need_scalar(node.value)
        return self._checked(super().x_Aggregate(node, fn, env), fn)

    def text(self, node: ast.Text, fn, env) -> str:
        if all(isinstance(part, str) for part in node.parts):
            return self.const("".join(node.parts))
        for part in node.parts:
            if not isinstance(part, str):
                self._need_scalar(part, lists=True)
        return super().text(node, fn, env)
