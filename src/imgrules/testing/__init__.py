"""Testing rule packs: the pack test runner and Hypothesis strategies.

``run_tests(paths)`` runs the tests written inside packs (``coverage=True`` records what
they exercise; ``coverage_of(runs)`` reports it); ``profiles(schema)`` and
``records(schema, name)`` are Hypothesis strategies drawn from a pack's fact types.
"""

from __future__ import annotations

from .suite import PackRun, coverage_of, run_tests

__all__ = ["PackRun", "coverage_of", "profiles", "records", "run_tests"]


def __getattr__(name: str):
    # Hypothesis is a test dependency: import the strategies only when asked for.
    if name in ("profiles", "records"):
        from . import strategies

        return getattr(strategies, name)
    raise AttributeError(name)
