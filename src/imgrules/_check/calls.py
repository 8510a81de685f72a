"""Calls: ``f(a, b)`` is a parameterised let, a map lookup or a builtin, in that order.

Arity is checked for all three. A parameterised let is typed with the argument types of
its first call (lets are monomorphic); later calls must pass the same types. A map takes
one key of its key type and gives its value type (missing when the key is absent).
"""

from __future__ import annotations

from typing import Protocol

from .. import ast
from .. import _types as T
from .._builtins import FUNCTIONS, VALUES, make_date
from .._diagnostics import did_you_mean
from .consts import assignable
from .context import Context
from .model import NameRef, node_key
from .scope import Scope

VARIADIC = {"coalesce": 2, "min": 2, "max": 2}  # builtin name -> least number of arguments
ORDERED = (T.INT, T.FLOAT, T.DATE, T.DURATION)  # what min/max of values take
AGGREGATES = ("count", "exists", "all", "sum")  # take one collection, never a list of values


def _args_word(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")


class Expressions(Protocol):
    """What calls need of the expression checker (:class:`.exprs.ExprChecker`, which
    owns a CallChecker: this module does not import it)."""

    ctx: Context
    let_state: dict[str, str]

    def check(self, expr, scope: Scope, expected: T.Type | None = None) -> T.Type: ...

    def is_free_word(self, expr, scope: Scope) -> bool: ...

    def param_hints(self, decl: ast.LetDecl, params: tuple[T.Type, ...]) -> dict[str, T.Type]: ...

    def let_type(self, decl: ast.LetDecl, params: tuple[T.Type, ...] | None = None) -> T.Type: ...


class CallChecker:
    """Checks calls for one :class:`Expressions` checker."""

    def __init__(self, exprs: Expressions):
        self.exprs = exprs
        self.ctx = exprs.ctx

    def call(self, node: ast.Call, scope: Scope, expected) -> T.Type:
        ctx = self.ctx
        name = node.func.text
        key = node_key(node)
        if scope.lookup(name) is not None:
            ctx.error("E117", f"{name} is a value here, not a function", node.func.span)
            self._args(node, scope, ())
            return T.UNKNOWN
        if name in ctx.lets:
            ctx.refs[key] = NameRef("let", name)
            return self._let(node, scope, ctx.lets[name])
        if name in ctx.maps:
            ctx.refs[key] = NameRef("map", name)
            return self._map(node, scope, name)
        if name in FUNCTIONS:
            ctx.refs[key] = NameRef("builtin", name)
            return self._builtin(node, scope, name)
        self._args(node, scope, ())
        if name in AGGREGATES:
            ctx.error("E112", f"{name}() takes one collection, but {len(node.args)} values are given",
                      node.span, f"write {name}(C where P), or {name}(v for x in C)")
            return T.UNKNOWN
        if name in VALUES:
            ctx.refs[key] = NameRef("builtin", name)
            ctx.error("E117", f"{name} is a value, not a function: write {name} without parentheses",
                      node.func.span)
            return T.UNKNOWN
        candidates = [*FUNCTIONS, *ctx.maps, *(n for n, d in ctx.lets.items() if d.params is not None)]
        ctx.error("E111", f"unknown function '{name}'", node.func.span,
                  did_you_mean(name, candidates) or f"builtins: {', '.join(sorted(FUNCTIONS))}")
        return T.UNKNOWN

    def _args(self, node: ast.Call, scope: Scope, expected: tuple) -> list[T.Type]:
        out = []
        for i, arg in enumerate(node.args):
            want = expected[i] if i < len(expected) else None
            out.append(self.exprs.check(arg, scope, want))
        return out

    def _arity(self, node: ast.Call, want: int, least: bool = False) -> bool:
        got = len(node.args)
        if got == want or (least and got >= want):
            return True
        need = f"at least {_args_word(want)}" if least else _args_word(want)
        self.ctx.error("E112", f"{node.func.text}() takes {need}, but {got} {'is' if got == 1 else 'are'} given",
                       node.span)
        return False

    def _let(self, node: ast.Call, scope: Scope, decl: ast.LetDecl) -> T.Type:
        name = decl.name.text
        if decl.params is None:
            self._args(node, scope, ())
            self.ctx.error("E117", f"let {name} takes no arguments: write {name} without parentheses",
                           node.func.span)
            return self.exprs.let_type(decl)
        known = self.ctx.let_param_types.get(name) if self.exprs.let_state.get(name) == "done" else None
        if known is None and len(node.args) == len(decl.params) \
                and any(self.exprs.is_free_word(a, scope) for a in node.args):
            # Bare words take their type from how the body uses the parameter.
            first = [T.UNKNOWN if self.exprs.is_free_word(a, scope) else self.exprs.check(a, scope)
                     for a in node.args]
            hints = self.exprs.param_hints(decl, tuple(first))
            known_hint = tuple(hints.get(p.text) for p in decl.params)
            args = [self.exprs.check(a, scope, h) for a, h in zip(node.args, known_hint)]
            return self.exprs.let_type(decl, tuple(args))
        args = self._args(node, scope, known or ())
        if not self._arity(node, len(decl.params)):
            return self.exprs.let_type(decl) if known else T.UNKNOWN
        if known is None:
            return self.exprs.let_type(decl, tuple(args))
        for i, (arg, want, expr) in enumerate(zip(args, known, node.args)):
            if not assignable(arg, want):
                self.ctx.error("E212", f"argument {i + 1} of {name} ({decl.params[i].text}) is {want.describe()} "
                               f"elsewhere, but {arg.describe()} here", expr.span,
                               "a let with parameters takes the same types at every call")
        return self.exprs.let_type(decl)

    def _map(self, node: ast.Call, scope: Scope, name: str) -> T.Type:
        map_type = self.ctx.map_types.get(name, T.MapType(T.UNKNOWN, T.UNKNOWN))
        args = self._args(node, scope, (map_type.key,))
        if self._arity(node, 1) and not T.comparable(args[0], map_type.key):
            self.ctx.error("E212", f"map {name} has {map_type.key.describe()} keys, not {args[0].describe()}",
                           node.args[0].span)
        return map_type.value

    def _builtin(self, node: ast.Call, scope: Scope, name: str) -> T.Type:
        builtin = FUNCTIONS[name]
        if name == "date":
            return self._date(node, scope)
        if name in VARIADIC:
            args = []
            first = None
            for arg in node.args:
                t = self.exprs.check(arg, scope, first)
                if first is None and not isinstance(t, (T.Unknown, T.Null)):
                    first = t
                elif first is not None and not T.comparable(first, t):
                    self.ctx.error("E212", f"{name}() mixes {first.describe()} and {t.describe()}", arg.span)
                args.append(t)
            self._arity(node, VARIADIC[name], least=True)
            if name in ("min", "max"):
                return self._extreme(node, name, args)
            return first or T.UNKNOWN
        args = self._args(node, scope, builtin.params)
        if not self._arity(node, len(builtin.params)):
            return builtin.result_type(args) if args else T.UNKNOWN
        for i, (arg, want, expr) in enumerate(zip(args, builtin.params, node.args)):
            if isinstance(arg, T.Unknown):
                continue
            problem = _builtin_arg_problem(name, want, arg)
            if problem:
                self.ctx.error("E212", f"{name}() expects {problem}, but argument {i + 1} is {arg.describe()}",
                               expr.span, _hint(name, arg))
        return builtin.result_type(args)


    def _date(self, node: ast.Call, scope: Scope) -> T.Type:
        """``date(year, month, day)`` of ints or ``date("YYYY-MM-DD")``; written with
        constants only, the date must exist (E215), as it is then known before any profile."""
        if len(node.args) == 1:
            args = self._args(node, scope, (T.STR,))
            want = (T.STR,)
        else:
            args = self._args(node, scope, (T.INT, T.INT, T.INT))
            want = (T.INT, T.INT, T.INT)
            if len(node.args) != 3:
                self.ctx.error("E112", f"date() takes a year, a month and a day, or one text YYYY-MM-DD, "
                               f"but {len(node.args)} arguments are given", node.span)
                return T.DATE
        bad = False
        for i, (arg, expect, expr) in enumerate(zip(args, want, node.args)):
            if not isinstance(arg, (T.Unknown, T.Null)) and arg != expect:
                bad = True
                self.ctx.error("E212", f"date() expects {'text YYYY-MM-DD' if expect == T.STR else 'an int'}, "
                               f"but argument {i + 1} is {arg.describe()}", expr.span)
        constants = [a.value for a in node.args if isinstance(a, ast.Literal)]
        if not bad and len(constants) == len(node.args):
            try:
                make_date(*constants)
            except ValueError as e:
                self.ctx.error("E215", f"{self.ctx.text_of(node)} is not a date: {e}", node.span,
                               "a date is date(YEAR, MONTH, DAY) or date(\"YYYY-MM-DD\"), of a day that "
                               "exists, in the years 1800-2999")
        return T.DATE

    def _extreme(self, node: ast.Call, name: str, args: list[T.Type]) -> T.Type:
        """min/max of values: numbers (an int with a float gives a float), dates or durations."""
        known = [t for t in args if not isinstance(t, (T.Unknown, T.Null))]
        for t, expr in zip(args, node.args):
            if t in known and t not in ORDERED:
                self.ctx.error("E212", f"{name}() takes numbers, dates or durations, but this is "
                               f"{t.describe()}", expr.span)
                return T.UNKNOWN
        if not known:
            return T.UNKNOWN
        return T.FLOAT if T.FLOAT in known and T.INT in known else known[0]


def _builtin_arg_problem(name: str, want: T.Type | None, arg: T.Type) -> str:
    if isinstance(arg, T.Null):
        return ""
    if name == "str":
        return "one value" if isinstance(arg, (T.ListType, T.SetType, T.RecordType)) else ""
    if name == "len":
        return "" if isinstance(arg, (T.ListType, T.SetType)) or arg == T.STR else "a list or text"
    if name == "abs":
        return "" if arg in (T.INT, T.FLOAT, T.DURATION) else "a number"
    if want is None:
        return ""
    if want == T.FLOAT:
        return "" if T.is_numeric(arg) else "a number"
    return "" if arg == want else ("a " if want.describe()[0] not in "aeiou" else "an ") + want.describe()


def _hint(name: str, arg: T.Type) -> str:
    if name in ("year", "month", "day") and arg == T.INT:
        return "it is already a number"
    if name == "len" and isinstance(arg, T.RecordType):
        return "count(...) counts the items of a list"
    return ""
