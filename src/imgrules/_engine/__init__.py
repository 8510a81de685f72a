"""The engine: sessions over a compiled network (working memory, propagation, provenance)."""

from .errors import DateOutOfRange, EvaluationError, EvaluationLimitError, Limits
from .session import Session

__all__ = ["Session", "Limits", "EvaluationLimitError", "EvaluationError", "DateOutOfRange"]
