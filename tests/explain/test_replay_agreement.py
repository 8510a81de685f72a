"""The replay's verdict for every rule equals the engine's: fired or not for rules and
tables (and, undecided, the inputs they miss), the status of deadlines and windows
(and the inputs an undecided one names), violated or not for invariants; on the shipped
packs with the example profiles and with generated profiles."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from imgrules import ast
from imgrules._check import check_pack
from imgrules._compile import compile_pack
from imgrules._engine import Session
from imgrules._facts import coerce_profile
from imgrules._loader import load_packs
from imgrules.testing.strategies import profiles
from imgrules._trace import EventLog, index_conditions, replay

REPO = Path(__file__).resolve().parents[2]
PACKS = ["core", "first_application", "reapplication"]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


@functools.cache
def compiled(name: str):
    checked = check_pack(load_packs(str(REPO / "rules" / "img" / f"{name}.rules")))
    return checked, compile_pack(checked), index_conditions(checked)


def disagreements(checked, network, index, data) -> list:
    results = Session(network).set_profile(data).run()
    log = EventLog()
    verdicts = replay(checked, data, results, tracer=log, index=index)
    status = {f.rule: (f.status, f.missing) for f in results.findings if f.kind in ("milestone", "window")}
    undecided: dict = {}  # per rule, every input its undecided bindings miss
    for u in results.undecided:
        undecided.setdefault(u.rule, set()).update(u.missing)
    undecided = {rule: tuple(sorted(paths)) for rule, paths in undecided.items()}
    bad = []
    for entry in checked.rules:
        got = verdicts[entry.id].outcome
        if isinstance(entry.decl, (ast.Rule, ast.Table)):  # fired, or undecided for want of...
            if results.fired(entry.id):
                want = ("true", ())
            else:
                want = ("unknown", undecided[entry.id]) if entry.id in undecided else ("false", ())
            got = (got, verdicts[entry.id].missing if got == "unknown" else ())
        elif isinstance(entry.decl, (ast.Deadline, ast.Window)):  # status and missing inputs
            found, missing = status.get(entry.id, ("n/a", undecided.get(entry.id, ())))
            want = (found or "unknown", missing)
            got = ("n/a" if got == "unknown" and entry.id not in status else got, verdicts[entry.id].missing)
        else:
            want = "false" if entry.id in results.violations else "not false"
            got = got if got == "false" else "not false"
        if got != want:
            bad.append((entry.id, want, got))
    return bad


@pytest.mark.parametrize("name", PACKS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_replay_agrees_on_examples(name, example):
    checked, network, index = compiled(name)
    data = coerce_profile(str(example), network.schema).data
    assert disagreements(checked, network, index, data) == []


def _generated(name: str, examples: int):
    checked, network, index = compiled(name)

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(profiles(network.schema))
    def check(profile):
        data = coerce_profile(profile, network.schema).data
        assert disagreements(checked, network, index, data) == []

    check()


@pytest.mark.parametrize("name", PACKS)
def test_replay_agrees_on_generated_profiles(name):
    _generated(name, 12)


@pytest.mark.slow
@pytest.mark.parametrize("name", PACKS)
def test_replay_agrees_on_many_generated_profiles(name):
    _generated(name, 300)
