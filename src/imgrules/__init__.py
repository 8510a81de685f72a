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

from typing import TYPE_CHECKING

from ._version import __version__  # noqa: F401 - re-exported

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

# name -> the private module that defines it. Every name is imported on first use, so
# that `import imgrules` (and each command line tool, which imports the package first)
# loads only what is used: the parser and formatter import Lark, explanations the
# checker, and evaluating a cached compiled pack needs neither, nor the diagnostics.
_LAZY = {
    "CompiledPack": "_api", "check_text": "_api", "evaluate": "_api", "explain": "_api",
    "load": "_api", "loads": "_api",
    "Diagnostic": "_diagnostics", "DiagnosticError": "_diagnostics", "Severity": "_diagnostics",
    "EvaluationError": "_engine", "EvaluationLimitError": "_engine", "Limits": "_engine",
    "Session": "_engine",
    "Error": "_errors", "LoadError": "_errors",
    "ProfileError": "_facts", "ProfileIssue": "_facts",
    "PackLimits": "_limits",
    "DerivedFact": "_results", "FactRef": "_results", "Finding": "_results",
    "Provenance": "_results", "Results": "_results", "Undecided": "_results",
    "Source": "_source", "Span": "_source",
    "parse": "_syntax", "format_text": "_syntax",
    "Explanation": "_explanation", "UnknownRuleError": "_explanation",
}

if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported
    from ._api import CompiledPack, check_text, evaluate, explain, load, loads
    from ._diagnostics import Diagnostic, DiagnosticError, Severity
    from ._engine import EvaluationError, EvaluationLimitError, Limits, Session
    from ._errors import Error, LoadError
    from ._explanation import Explanation, UnknownRuleError
    from ._facts import ProfileError, ProfileIssue
    from ._limits import PackLimits
    from ._results import DerivedFact, FactRef, Finding, Provenance, Results, Undecided
    from ._source import Source, Span
    from ._syntax import format_text, parse


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'imgrules' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
