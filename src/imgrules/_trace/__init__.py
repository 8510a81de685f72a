"""Condition-level tracing: an instrumented interpreter over the checked AST.

``replay(checked, data, results, tracer=...)`` re-evaluates each declaration of a finished
evaluation and sends :mod:`~imgrules._trace.events` to ``tracer``: every comparison,
membership and ``is missing`` test with the values it saw, which operands of each
``and``/``or`` were evaluated, each table row's match, each timing test, and each rule's
verdict per candidate binding. Explanations (:mod:`imgrules.explain`) and pack test
coverage (:mod:`imgrules.testing.coverage`) read this one stream. It never runs on the
evaluation hot path.
"""

from __future__ import annotations

from .conditions import Condition, ConditionIndex, index_conditions
from .events import BranchEvent, ConditionEvent, EventLog, RowEvent, TimingEvent, VerdictEvent
from .interp import Interpreter
from .replay import Replay, Verdict, replay

__all__ = ["BranchEvent", "Condition", "ConditionEvent", "ConditionIndex", "EventLog", "Interpreter",
           "Replay", "RowEvent", "TimingEvent", "Verdict", "VerdictEvent", "index_conditions", "replay"]
