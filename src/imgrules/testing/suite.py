"""Find the packs under some paths, check and compile each, and run their tests.

The checker, compiler, engine and tracer are imported inside the functions that use
them: the pytest plugin imports this package in every pytest run, tests of packs or not.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs

from .._diagnostics import Diagnostic
from .._source import Source
from .runner import TestOutcome, run_pack_tests


@attrs.frozen
class PackRun:
    """The tests of one pack file: outcomes, or the diagnostics that kept it from running."""

    path: str
    outcomes: tuple[TestOutcome, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: dict[str, Source] = attrs.field(factory=dict)
    network: object = None
    checked: object = None
    seen: frozenset = frozenset()  # coverage keys its tests exercised (with coverage=True)

    @property
    def broken(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def run_tests(paths: Iterable[str | os.PathLike], roots: Iterable[str | os.PathLike] = (),
              keyword: str | None = None, tracer_factory=None, coverage: bool = False,
              limits=None) -> list[PackRun]:
    """Run the tests written in every pack file under ``paths`` (files or folders).

    With ``coverage``, each test's evaluation is replayed with the condition-level tracer
    and the keys it exercised are kept in ``PackRun.seen`` (see ``coverage_of``).
    ``limits`` (:class:`imgrules._engine.Limits`) bounds each test's evaluation: a test that
    reaches one fails with the limit's message, and the other tests still run.
    """
    from .._check import check_pack, expand_paths
    from .._compile import compile_pack
    from .._loader import load_packs

    roots = list(roots)
    runs = []
    for path in expand_paths(paths):
        packset = load_packs(path, roots)
        checked = check_pack(packset)
        if not checked.ok:
            runs.append(PackRun(str(path), (), tuple(d for d in checked.diagnostics if d.is_error),
                                dict(checked.sources)))
            continue
        network = compile_pack(checked)
        root = checked.packs[-1].path
        tests = [(checked.root.name, p, t) for p, t in checked.tests if p == root]
        order = {name: record.field_names for name, record in checked.schema.records.items()}
        collector = None
        if coverage:
            from .coverage import Collector

            collector = Collector()
        outcomes = run_pack_tests(tests, checked.examples,
                                  _evaluator(network, tracer_factory, checked, collector, limits), order,
                                  explain=_explainer(network, checked), keyword=keyword)
        runs.append(PackRun(str(path), tuple(outcomes), (), dict(checked.sources), network, checked,
                            frozenset(collector.seen) if collector is not None else frozenset()))
    return runs


def coverage_of(runs: Iterable[PackRun]):
    """The coverage report of runs made with ``coverage=True`` (packs with errors left out)."""
    from .._trace import index_conditions
    from .coverage import coverage_report

    runs = [r for r in runs if r.checked is not None]
    seen: set = set()
    for run in runs:
        seen |= run.seen
    measured = [(r.checked.packs[-1].path, r.checked, index_conditions(r.checked)) for r in runs]
    return coverage_report(measured, seen)


def _evaluator(network, tracer_factory, checked=None, collector=None, limits=None):
    from .._engine import Session
    from .._facts import coerce_profile

    index = None
    if collector is not None:
        from .._trace import index_conditions

        index = index_conditions(checked)

    def evaluate(data: dict) -> dict:
        profile = coerce_profile(data, network.schema, partial=True)
        tracer = tracer_factory() if tracer_factory is not None else None
        session = Session(network, tracer=tracer, limits=limits)
        session.set_profile(profile.data)
        results = session.run()
        if collector is not None:
            from .._trace import Replay

            Replay(checked, profile.data, results, tracer=collector, index=index).run()
        return results.to_json()

    return evaluate


def _explainer(network, checked=None):
    try:
        from .._explanation import explain_rule
    except ImportError:  # explanations are optional to the runner
        return None
    from .._facts import coerce_profile

    def explain(data: dict, rule: str) -> str:
        profile = coerce_profile(data, network.schema, partial=True)
        return explain_rule(network, profile.data, rule, checked=checked).text()

    return explain
