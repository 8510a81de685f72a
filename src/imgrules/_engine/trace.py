"""Trace events: emitted only when a tracer is attached (``Session(tracer=callable)``).

One stream feeds explanations and coverage. An event names the rule, the binding key it
concerns, and the input paths involved (missing ones for ``undecided``).
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Event:
    kind: str  # fired | retracted | undecided
    rule: str
    key: tuple
    paths: tuple[str, ...] = ()


class Recorder:
    """A tracer that keeps every event in a list."""

    def __init__(self):
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)
