"""What an evaluation raises on purpose (a limit, a date outside the calendar), what it
raises when generated code fails (a bug, located at the rule text), and the limits."""

from __future__ import annotations

import attrs

from .._errors import Error


class EvaluationLimitError(Error):
    """An evaluation exceeded a configured limit; the message names the rule responsible."""

    def __init__(self, message: str, rule: str | None = None):
        super().__init__(message)
        self.rule = rule


class DateOutOfRange(EvaluationLimitError):
    """Date arithmetic in a rule left the calendar (years 1 to 9999); the message names the
    rule and where it is written. A limit, not a bug: the pack computes a date no profile
    value can make sensible."""


class EvaluationError(Error):
    """Generated code failed (a bug); the message points at the rule text."""


@attrs.frozen
class Limits:
    """Bounds no real pack reaches; exceeding one raises EvaluationLimitError."""

    max_facts: int = 1_000_000
    max_firings: int = 5_000_000
    max_seconds: float = 60.0


def _located(net, exc: Exception, unit: tuple = ()) -> EvaluationError:
    """An internal error of generated code, located at the rule text it came from. Code a
    rule shape shares (compile.shapes) is located at the rule being evaluated."""
    tb = exc.__traceback__
    where = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == net.filename:
            where = net.origin(tb.tb_lineno)
            if code.co_name.startswith("shape_") and unit:
                info = net.rules[unit[0]]
                where = (info.file, info.line)
        tb = tb.tb_next
    at = f"{where[0]}:{where[1]}: " if where else ""
    return EvaluationError(f"{at}internal error while evaluating: {type(exc).__name__}: {exc}")
