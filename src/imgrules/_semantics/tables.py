"""Decision tables: cell tests and hit policies.

A row holds when every cell (other than ``any``) holds for its input; a cell over an
unknown input is unknown, and a row with an unknown cell and no false one is unknown.
The presence cells are decided for every input: ``missing`` holds exactly when the input
is unknown (a fact it reads is missing), ``present`` exactly when it is not.
A table whose ``when`` is false derives nothing; unknown, it is undecided as a whole.

Hit policies, over the rows that are not false in row order:

- ``first``: the first such row decides: if it holds it fires, if it is unknown the
  table is undecided (a later true row must not fire in its place).
- ``unique``: the row that holds fires; the table is undecided (every unknown row) only
  when no row holds.
- ``collect``: every row that holds fires; each unknown row is undecided.
"""

from __future__ import annotations

from .ops import COMPARE, compare, in_range
from .values import Unk


_PRESENCE = ("present", "missing")


def cell_holds(kind: str, constant, x) -> bool:
    """Whether a present input ``x`` satisfies a cell: ``("eq", v)``, ``("range", (lo,
    hi))`` with None for an open end, ``("cmp", (op, v))``, ``("in", values)`` or
    ``("not in", values)``; ``("present", None)`` holds and ``("missing", None)`` does not."""
    if kind in _PRESENCE:
        return kind == "present"
    if kind == "eq":
        return x == constant
    if kind == "range":
        low, high = constant
        return (low is None or low <= x) and (high is None or x <= high)
    if kind == "cmp":
        op, value = constant
        return COMPARE[op](x, value)
    if kind == "in":
        return x in constant
    return x not in constant  # not in


def cell_truth(kind: str, constant, x):
    """Whether ``x`` satisfies a cell, when ``x`` may be unknown: an unknown number with
    bounds (a partly decided count) is decided when its whole range answers the same way,
    as a comparison would; any other unknown input makes the cell unknown. The presence
    cells are decided: an unknown input (even a partly decided count) is missing."""
    if type(x) is not Unk:
        return cell_holds(kind, constant, x)
    if kind in _PRESENCE:
        return kind == "missing"
    if x.lo is not None:
        if kind == "range":
            return in_range(x, *constant)
        if kind == "cmp":
            return compare(constant[0], x, constant[1])
        if kind == "eq":
            return compare("==", x, constant)
    return x if x.lo is None else Unk(x.refs)


def hit(policy: str, outcomes) -> tuple[list, dict]:
    """Apply a hit policy to ``outcomes``, the ``(row, truth)`` of the rows that are not
    false, in row order (a ``first`` table may stop at its first true row). Returns the
    rows that fire and the undecided rows (``row -> truth``)."""
    if policy == "first":
        for row, t in outcomes:
            return ([row], {}) if t is True else ([], {row: t})
        return [], {}
    trues = [row for row, t in outcomes if t is True]
    if policy == "unique" and trues:
        return trues[:1], {}
    return trues, {row: t for row, t in outcomes if t is not True}
