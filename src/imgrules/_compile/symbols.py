"""The one symbol table of generated code: every global name a generated module defines or
reads comes from here.

Each kind of global has a readable prefix of its own (``rule_12_match``, ``map_2``,
``const_15``, ...), so two kinds can never share a name whatever their indices, and a
traceback through generated code says what it was running. The generated locals
(``t1``, ``b2``, ``v0``, ``S``, ``ROOT``, ...) contain no underscore-separated word
prefix, and the runtime helpers bound in the namespace (``merge``, ``Unk``, ...) are fixed
names listed in :data:`RUNTIME`, so neither can clash with these.
"""

from __future__ import annotations

import re

# the helpers every generated module may call (bound by compile.network.namespace)
RUNTIME = frozenset({
    "Unk", "UNKNOWN", "merge", "miss", "member", "index", "arith", "compare", "contains",
    "in_range", "call", "coalesce", "map_get", "tmonth", "render_value", "key_of", "make_set",
    "agg", "cell_truth", "choose", "PLAIN_KEYS", "as_float",
})

CONST_PREFIX = "const_"


def const(i: int) -> str:
    """A value of the constant pool."""
    return f"{CONST_PREFIX}{i}"


def is_const(code: str) -> bool:
    """Whether generated code ``code`` is a constant (never unknown): a pool constant or a
    rule's own constant in shared code."""
    return code.startswith(CONST_PREFIX) or code.startswith("C[")


def param(slot: int) -> str:
    """A rule's own constant, read by the code its shape shares (:mod:`.shapes`)."""
    return f"C[{slot}]"


def shape_match(s: int) -> str:
    """``shape_<s>_match(S, pin, pe, out, C)``: :func:`rule_match` shared by a shape."""
    return f"shape_{s}_match"



def map_table(i: int) -> str:
    """A ``map`` declaration's dict."""
    return f"map_{i}"


def builtin(name: str) -> str:
    """A builtin function's implementation."""
    return f"builtin_{name}"


def let(i: int) -> str:
    """``let_<i>(S)``: a let without parameters."""
    return f"let_{i}"


def let_fn(i: int) -> str:
    """``let_fn_<i>(S, *params)``: a let with parameters."""
    return f"let_fn_{i}"


def rule_match(i: int) -> str:
    """``rule_<i>_match(S, pin, pe, out)``: a rule's bindings, condition and actions."""
    return f"rule_{i}_match"



def table_rows(i: int) -> str:
    """``table_<i>_rows(S, out)``: a table's rows that hold or are unknown."""
    return f"table_{i}_rows"


def table_template(i: int) -> str:
    """``table_<i>_template(S)``: the fields a table's output template gives."""
    return f"table_{i}_template"


def when(i: int) -> str:
    """``when_<i>(S)`` -> a deadline's or window's ``when`` condition (if it has one)."""
    return f"when_{i}"


def deadline(i: int) -> str:
    """``deadline_<i>(S)`` -> require, or ``(require, due date)`` when anchored on a date."""
    return f"deadline_{i}"


def window(i: int) -> str:
    """``window_<i>(S)`` -> ``(start, end)`` of a window anchored on dates (none for
    windows in months)."""
    return f"window_{i}"


def message(i: int) -> str:
    """``message_<i>(S)``: a deadline's or window's message."""
    return f"message_{i}"


def invariant(i: int) -> str:
    """``invariant_<i>(S)`` -> require."""
    return f"invariant_{i}"


def gate(g: int) -> str:
    """``gate_<g>(S)``: the value of gate group g's path."""
    return f"gate_{g}"


_GLOBAL = re.compile(r"(const|map|builtin|let|let_fn|gate|when|deadline|window|message|invariant)_\w+"
                     r"|(rule|table|shape)_\d+_\w+")


def is_global(name: str) -> bool:
    """Whether ``name`` is of the form this table gives globals (for sanity checks)."""
    return name in RUNTIME or _GLOBAL.fullmatch(name) is not None
