"""imgrules: a declarative rules engine with a language advisors can read.

The public API, in pipeline order::

    pack = imgrules.load("img.reapplication")          # or a .rules file
    results = imgrules.evaluate(pack, "profile.yaml")  # or a dict, or attrs instances
    print(results.to_json())
    print(imgrules.explain(pack, "profile.yaml", "ra_10_step3_low_step2"))

Every error imgrules raises on purpose is an :class:`Error`.

Public are the names in ``__all__`` and the submodules :mod:`imgrules.testing` (the pack
test runner, Hypothesis strategies and pytest plugin), :mod:`imgrules.batch` (cohorts),
:mod:`imgrules.catalog` (the rule catalog), :mod:`imgrules.ast` (the syntax tree
:func:`parse` returns) and :mod:`imgrules.pygments_lexer`; docs/api.md documents exactly
these. Every other module is private to the package, has a leading underscore in its
dotted path (``imgrules._engine``) and may change.
"""

from __future__ import annotations

from ._version import __version__  # noqa: F401 - re-exported

from ._api import CompiledPack, check_text, evaluate, explain, load, loads
from ._diagnostics import Diagnostic, DiagnosticError, Severity
from ._engine import EvaluationError, EvaluationLimitError, Limits, Session
from ._errors import Error, LoadError
from ._facts import ProfileError, ProfileIssue
from ._limits import PackLimits
from ._results import DerivedFact, FactRef, Finding, Provenance, Results, Undecided
from ._source import Source, Span

__all__ = [
    "CompiledPack",
    "DerivedFact",
    "Diagnostic",
    "DiagnosticError",
    "Error",
    "EvaluationError",
    "EvaluationLimitError",
    "Explanation",
    "FactRef",
    "Finding",
    "Limits",
    "LoadError",
    "PackLimits",
    "ProfileError",
    "ProfileIssue",
    "Provenance",
    "Results",
    "Session",
    "Severity",
    "Source",
    "Span",
    "Undecided",
    "UnknownRuleError",
    "check_text",
    "evaluate",
    "explain",
    "format_text",
    "load",
    "loads",
    "parse",
]

# name -> the private module that defines it, imported on first use: the parser and
# formatter import Lark, explanations the checker, and evaluating a cached compiled pack
# needs neither.
_LAZY = {
    "parse": "_syntax",
    "format_text": "_syntax",
    "Explanation": "_explanation",
    "UnknownRuleError": "_explanation",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'imgrules' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
