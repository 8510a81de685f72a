"""What every generated function is written with: its lines and their rule-text lines
(:class:`FnWriter`), which local holds each variable in scope (:class:`Env`), and the pool
of constants the generated module binds as globals (:class:`ConstPool`), so that no text
the user wrote is spliced into generated source."""

from __future__ import annotations

import re

from .. import ast
from . import symbols as sym


class CompileError(Exception):
    """The checked pack violates the contract (an unresolved name): a bug, not user error."""




class ConstPool:
    """Constants of the generated module, bound as globals ``const_0, const_1, ...``."""

    def __init__(self):
        self.values: list = []
        self._index: dict = {}

    def name(self, value) -> str:
        key = _typed(value) if _hashable(value) else (type(value).__name__, id(value))
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.values)
            self.values.append(value)
        return sym.const(found)


def _typed(value):
    """A pool key that tells apart values Python calls equal (``1``, ``1.0``, ``True``),
    inside tuples and sets too."""
    if isinstance(value, tuple):
        return (type(value).__name__, tuple(_typed(v) for v in value))
    if isinstance(value, frozenset):
        return (type(value).__name__, frozenset(_typed(v) for v in value))
    return (type(value).__name__, value)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def derive_by_field(derive: ast.Derive, fields, value) -> dict:
    """A ``derive``'s arguments by field name (a positional one takes the next field in
    order), each one's value ``value(expression)``."""
    out: dict = {}
    positional = 0
    for arg in derive.args:
        v = value(arg.value)
        if arg.name is not None:
            out[arg.name.text] = v
        elif positional < len(fields):
            out[fields[positional]] = v
            positional += 1
    return out


class FnWriter:
    """The lines of one generated function, with a map from generated line to rule line."""

    def __init__(self, header: str, span=None):
        self.lines: list[tuple[str, object]] = []
        self.depth = 1
        self._tmp = 0
        self.lines.append((header, span))
        # locals that hold a record for sure (an element of a list of records): their
        # fields are read without testing for an unknown record first
        self.records: set[str] = set()
        self._locals_at: tuple[int, int] | None = None  # see session_locals

    def emit(self, code: str, span=None) -> None:
        self.lines.append(("    " * self.depth + code, span))

    def session_locals(self) -> None:
        """The locals ``ROOT`` (the profile's record) and ``LETS`` (the session's let
        values), set from ``S`` where the function starts; :meth:`finished` keeps those
        its body reads."""
        self._locals_at = (len(self.lines), self.depth)
        self.lines.append(("", None))

    def finished(self) -> list[tuple[str, object]]:
        """The function's lines, with only the session locals its body reads."""
        if self._locals_at is None:
            return self.lines
        at, depth = self._locals_at
        body = "\n".join(code for code, _ in self.lines[at + 1:])
        used = [f"{name} = S.{attr}" for name, attr in (("ROOT", "root"), ("LETS", "lets"))
                if re.search(rf"\b{name}\b", body)]
        lines = list(self.lines)
        if used:
            lines[at] = ("    " * depth + "; ".join(used), None)
        else:
            del lines[at]
        return lines

    def mark(self) -> tuple[int, int]:
        """Where the next line goes, for :meth:`emit_at`."""
        return len(self.lines), self.depth

    def emit_at(self, mark: tuple[int, int], code: str) -> None:
        """A line inserted where :meth:`mark` was taken (a local set before a loop, when
        the loop's code shows it is needed)."""
        at, depth = mark
        self.lines.insert(at, ("    " * depth + code, None))

    def tmp(self, prefix: str = "t") -> str:
        self._tmp += 1
        return f"{prefix}{self._tmp}"

    def indent(self) -> None:
        self.depth += 1

    def dedent(self) -> None:
        self.depth -= 1


class Env:
    """Which Python local holds each bound variable, element and parameter in scope."""

    def __init__(self, vars=None, fields=None, order=()):
        self.vars: dict = dict(vars or {})  # (binder node_key, name) -> local (vars, params)
        self.fields: dict = dict(fields or {})  # Filter/Aggregate node_key -> element local
        self.order: tuple = order  # element locals, innermost last (fallback for fields)

    def child(self, key, local, var_name=None) -> Env:
        env = Env(self.vars, self.fields, self.order + (local,))
        env.fields[key] = local
        if var_name is not None:
            env.vars[(key, var_name)] = local
        return env

    def bind(self, key, name, local) -> Env:
        env = Env(self.vars, self.fields, self.order)
        env.vars[(key, name)] = local
        return env
