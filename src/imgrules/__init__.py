"""imgrules: a declarative rules engine with a language advisors can read.

The public API, in pipeline order::

    pack = imgrules.load("img.reapplication")          # or a .rules file
    results = imgrules.evaluate(pack, "profile.yaml")  # or a dict, or attrs instances
    print(results.to_json())
    print(imgrules.explain(pack, "profile.yaml", "ra_10_step3_low_step2"))

Everything else is private to the package and may change.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import CompiledPack, evaluate, explain, load
from .diagnostics import Diagnostic, DiagnosticError, Severity
from .engine import EvaluationError, EvaluationLimitError, Limits, Session
from .facts import ProfileError, ProfileIssue
from .results import DerivedFact, Finding, Provenance, Results

__all__ = [
    "CompiledPack",
    "DerivedFact",
    "Diagnostic",
    "DiagnosticError",
    "EvaluationError",
    "EvaluationLimitError",
    "Finding",
    "Limits",
    "ProfileError",
    "ProfileIssue",
    "Provenance",
    "Results",
    "Session",
    "Severity",
    "evaluate",
    "explain",
    "format_text",
    "load",
    "parse",
]


def __getattr__(name: str):
    # The parser and formatter import Lark: load them only when asked for, so evaluating
    # with a cached compiled pack never pays for it.
    if name in ("parse", "format_text"):
        from . import syntax

        return getattr(syntax, name)
    raise AttributeError(f"module 'imgrules' has no attribute {name!r}")
