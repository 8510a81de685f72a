"""Filters and aggregates over collections, under three-valued logic.

An evaluator walks the elements and tests the predicate of each; what the walk found is
folded here into the result. The walk keeps: the elements (or values) whose predicate
holds, how many predicates were undecided, and the unknown combining them (None when
every predicate was decided). What is known decides when it can (Kleene):

- ``exists`` is true as soon as one element holds, whatever the undecided ones;
  ``all`` is false as soon as one fails. Otherwise an undecided element makes them
  unknown.
- ``count`` with undecided elements is an unknown number bounded by the elements that
  hold and those that may: ``count(xs where p) >= 1`` is true when one known element
  satisfies p, even if another element is unknown.
- ``sum``, ``min``, ``max`` and a filtered list are unknown when an element is undecided
  or a summed value is missing. ``min``/``max`` of nothing is missing, ``sum`` of nothing
  is 0; sums of floats use ``math.fsum`` (the result does not depend on the order).
- ``union_months`` and ``longest_gap_months`` fold spans of days (:mod:`.intervals`).

A list the profile leaves out (or gives as ``null``) reads as :func:`absent_list` says:
a list the contract requires (``list[T]``) is the empty list, an optional one
(``list[T]?``) is missing, so every aggregate over it is unknown. A ``for`` over a list
field that is missing binds nothing (``CheckedPack.names_a_field`` says which sources
name one): a rule about each mentor has no mentor to be about, and it asks for nothing;
only a question about the whole list (``exists``, ``count``, ``all``, ...) waits for it.
"""

from __future__ import annotations

import math

from .intervals import longest_gap_months, union_months
from .values import UNKNOWN, Unk

__all__ = ["absent_list", "count", "every", "exists", "extreme", "kept", "longest_gap_months", "total", "union_months"]


def count(holds: int, undecided: int, unknown):
    """The number of elements that hold, or a bounded unknown when some are undecided."""
    if unknown is None:
        return holds
    return Unk(unknown.refs, holds, holds + max(undecided, 1))


def exists(unknown):
    """``exists`` when no element held (a true element decides before folding)."""
    return False if unknown is None else unknown


def every(unknown):
    """``all`` when no element failed (a false element decides before folding)."""
    return True if unknown is None else unknown


def total(values: list, unknown):
    """``sum`` of the values of the elements that hold."""
    if unknown is not None:
        return Unk(unknown.refs)
    if any(type(v) is float for v in values):
        return math.fsum(values)
    return sum(values)


def extreme(func: str, values: list, unknown):
    """``min`` or ``max`` of the values of the elements that hold."""
    if unknown is not None:
        return Unk(unknown.refs)
    if not values:
        return UNKNOWN
    return min(values) if func == "min" else max(values)


def kept(elements: list, unknown):
    """A filter's result: the elements that hold, unknown if any was undecided."""
    return elements if unknown is None else Unk(unknown.refs)


def absent_list(optional: bool):
    """What a list field the profile leaves out (or gives as ``null``) reads as: ``[]``
    when the contract requires the list (leaving it out says there are none), None
    (missing: the profile does not say whether there are any) when it is optional."""
    return None if optional else []
