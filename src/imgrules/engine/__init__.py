"""The engine: sessions over a compiled network (working memory, propagation, provenance)."""

from .session import EvaluationError, EvaluationLimitError, Limits, Session

__all__ = ["Session", "Limits", "EvaluationLimitError", "EvaluationError"]
