"""Evaluating pauses the cyclic garbage collector and leaves it as it found it: enabled
after a run (also one that fails), still disabled when the caller had disabled it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml

import imgrules
from imgrules._engine import Session
from imgrules._engine.errors import EvaluationLimitError, Limits
from imgrules._tracks import TRACK_PACKS

from .helpers import network, profile

ROOT = Path(__file__).resolve().parents[2]

PACK = '''
rule weak "Weak" for l in letters when l.weeks is present and l.weeks < 2
  then flag high "{l.id} short" derive tier(l.id, concerning)
rule tiered "Tiered" for t in tier when t.level == concerning then recommend "fix {t.component}"
'''


def letters(n):
    return [{"id": f"x{i}", "status": "received", "weeks": 1} for i in range(n)]


@pytest.fixture
def restore_gc():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_collector_is_enabled_again_after_evaluating_and_reading(restore_gc):
    gc.enable()
    net = network(PACK)
    session = Session(net).set_profile(profile(letters=letters(3)))
    assert gc.isenabled()
    results = session.run()
    assert gc.isenabled()
    assert [f.rule for f in results.findings].count("weak") == 3
    assert len(results.derived) == 3
    assert gc.isenabled()
    session.update("$.letters[0]", {"id": "x0", "status": "received", "weeks": 5})
    assert [f.rule for f in session.run().findings].count("weak") == 2
    assert gc.isenabled()


def test_collector_is_enabled_again_after_a_failed_run(restore_gc):
    gc.enable()
    net = network(PACK)
    with pytest.raises(EvaluationLimitError):
        Session(net, limits=Limits(max_firings=2)).set_profile(profile(letters=letters(5))).run()
    assert gc.isenabled()


def test_collector_the_caller_disabled_stays_disabled(restore_gc):
    gc.disable()
    results = Session.evaluate(network(PACK), profile(letters=letters(2)))
    assert len(results.findings) == 4
    assert not gc.isenabled()


def test_results_read_and_dropped_leave_no_reference_cycles(restore_gc):
    """An evaluated session and its results, read and dropped, are freed at once: nothing
    is left for the collector (whose passes over many such leftovers cost every caller
    that evaluates profile after profile)."""
    net = network(PACK)
    data = profile(letters=letters(3))
    gc.collect()
    gc.disable()
    for read_provenance in (False, True, False):
        results = Session.evaluate(net, data)
        assert [f.rule for f in results.findings].count("weak") == 3
        assert {d.fields for d in results.derived} == {(("component", f"x{i}"), ("level", "concerning"))
                                                       for i in range(3)}
        if read_provenance:
            assert [f.provenance.rule for f in results.findings].count("tiered") == 3
            assert results.to_json()
        del results
        assert gc.collect() == 0


def test_shipped_packs_on_the_examples_leave_no_reference_cycles(restore_gc):
    """The shipped packs' profiles nest records (``exams.step1``): a nested record, its
    record and their lists are freed by reference counting alone once the results are
    read and dropped."""
    packs = {track: imgrules.load(name) for track, name in TRACK_PACKS.items()}
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert len(examples) >= 8
    profiles = [yaml.safe_load(example.read_text(encoding="utf-8")) for example in examples]
    for data in profiles:
        # first, what a process keeps for the schemas it meets: the fast profile checks
        # (generated functions, in cycles with their namespace by design), whose cache is
        # emptied when a suite has met many schemas: an eviction is not the evaluation's
        imgrules.evaluate(packs[data["track"]], data).to_json()
    for example, data in zip(examples, profiles):
        pack = packs[data["track"]]
        gc.collect()
        gc.disable()
        results = imgrules.evaluate(pack, data)
        assert results.to_json()["findings"], example.name
        del results
        assert gc.collect() == 0, example.name
        gc.enable()
