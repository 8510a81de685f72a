"""Condition-level trace events, emitted by the instrumented interpreter (:mod:`.interp`).

The compiled engine emits coarse events (:class:`imgrules._engine.trace.Event`: fired,
retracted, undecided). A replay over the checked AST adds these, one per evaluated
test of a condition. Every event names the rule it was evaluated for (``rule``), the
node's stable condition id (``cond``: ``<owner>.<n>``, see :mod:`.conditions`), where the
node is written (``at``: ``file:line:col``) and the rule's variable bindings (``binding``:
``(name, value)`` pairs, rendered); an event inside a ``let`` also names the calls it was
reached through (``via``: their places, :func:`call_place`), so that two calls of one
let are told apart. Explanations and coverage read the same stream.

Outcomes are words: ``true``, ``false`` or ``unknown`` (a missing input).
"""

from __future__ import annotations

import attrs


def call_place(call) -> str:
    """A let call's place in events' ``via``: where the call is written."""
    return str(call.span)


@attrs.frozen
class ConditionEvent:
    """A comparison, membership, ``is missing``/``is present`` or ``not`` test.

    ``operands`` are ``(text, value seen)`` pairs in source order; ``missing`` the input
    paths an unknown outcome depends on.
    """

    rule: str
    cond: str
    at: str
    kind: str  # compare | in | missing | not
    text: str
    outcome: str
    operands: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()
    binding: tuple[tuple[str, str], ...] = ()
    # inside a let: the places of the calls it was reached through, outermost first
    via: tuple[str, ...] = ()


@attrs.frozen
class BranchEvent:
    """An ``and``/``or``: which operands were evaluated (left to right, until one decided)
    and the outcome of each, as ``(index, text, outcome)``."""

    rule: str
    cond: str
    at: str
    op: str  # and | or
    text: str
    outcome: str
    evaluated: tuple[tuple[int, str, str], ...]
    total: int
    binding: tuple[tuple[str, str], ...] = ()
    via: tuple[str, ...] = ()  # as ConditionEvent.via


@attrs.frozen
class RowEvent:
    """One row of a decision table: whether its cells matched, and whether it fired.

    ``cells`` are ``(input text, value seen, cell text, outcome)`` for the cells tested
    (a row stops at its first failing cell, like the engine).
    """

    rule: str
    cond: str
    at: str
    row: int  # 1-based
    outcome: str
    fired: bool
    cells: tuple[tuple[str, str, str, str], ...] = ()
    missing: tuple[str, ...] = ()
    binding: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class TimingEvent:
    """A timing test: a rule's ``at``/``from``/``until``/``during``, a deadline's status or a
    window's. ``low``/``high`` bound ``months_to_go`` (None: open); ``outcome`` is
    true/false/unknown for rules and the status for deadlines and windows."""

    rule: str
    cond: str
    at: str
    kind: str  # at | from | until | during | deadline | window
    text: str
    months_to_go: int | None
    low: int | None
    high: int | None
    outcome: str
    missing: tuple[str, ...] = ()
    binding: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class VerdictEvent:
    """A rule-like declaration's verdict for one candidate binding.

    ``outcome``: rules and invariants true/false/unknown (a rule fires on true; an
    invariant is violated on false); tables true when a row fired; deadlines and windows
    their status, ``n/a`` when their ``when`` is false, ``unknown`` when it is unknown.
    """

    rule: str
    at: str
    kind: str  # rule | table | deadline | window | invariant
    outcome: str
    missing: tuple[str, ...] = ()
    binding: tuple[tuple[str, str], ...] = ()


TraceEvent = ConditionEvent | BranchEvent | RowEvent | TimingEvent | VerdictEvent


class EventLog:
    """A tracer that keeps every event in a list (for explanations and tests)."""

    def __init__(self):
        self.events: list = []

    def __call__(self, event) -> None:
        self.events.append(event)
