"""The engine: sessions over a compiled network (working memory, propagation, provenance)."""

from .session import DateOutOfRange, EvaluationError, EvaluationLimitError, Limits, Session

__all__ = ["Session", "Limits", "EvaluationLimitError", "EvaluationError", "DateOutOfRange"]
