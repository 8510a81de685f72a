"""``imgrules.evaluate`` hands its checked profile over to the session, which keeps the
records the fast profile check made instead of copying them again. The results must be
those of the plain path (the full check, then a session that copies), the caller's data
must stay as it was, and two evaluations of the same data must not share records."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

import imgrules
from imgrules._api import profile_data
from imgrules._engine import Session
from imgrules._facts import fast

from .test_record_paths import PACK, letter

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATES = [dt.date(2026, 11, 22) - dt.timedelta(days=61 * m) for m in (0, 3, 7, 11)]


def plain_types(value) -> set:
    """The container types anywhere in ``value``."""
    if isinstance(value, dict):
        return {type(value)}.union(*(plain_types(v) for v in value.values()))
    if isinstance(value, list):
        return {type(value)}.union(*(plain_types(v) for v in value))
    return set()


@pytest.fixture
def fast_check_at_once(monkeypatch):
    """The fast profile check from the first profile on (it is built after some tens)."""
    monkeypatch.setattr(fast, "COMPILE_AFTER", 0)


def slow_path(pack, data, as_of):
    """The full profile check (the fast one is never built), then a session that copies."""
    checked = profile_data(pack, copy.deepcopy(data), as_of)
    return Session.evaluate(pack.network, checked, as_of).to_json()


def nested_profile() -> dict:
    return {"as_of": "2026-11-22", "application_date": "2027-09-15",
            "exams": {"step1": {"attempts": 1}, "step2": {"score": 250}},
            "letters": [letter(0, weeks=1, writer={"title": "Dr"}),
                        letter(1, notes=[{"text": "late"}, {}]),
                        letter(2, weeks=5, writer={"name": "Dr B"}),
                        *(letter(i, weeks=i) for i in range(3, 12))]}


def test_nested_records_and_lists_evaluate_as_on_the_plain_path(fast_check_at_once, monkeypatch):
    pack = imgrules.loads(PACK, name="paths.rules", use_cache=False)
    data = nested_profile()
    got = imgrules.evaluate(pack, data).to_json()
    monkeypatch.setattr(fast, "COMPILE_AFTER", 10**9)
    assert got == slow_path(pack, data, None)
    assert "$.letters[1].notes[1].text" in str(got["undecided"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_shipped_examples_evaluate_as_on_the_plain_path(example, fast_check_at_once, monkeypatch):
    data = yaml.safe_load(example.read_text())
    pack = imgrules.load("img.reapplication" if data.get("track") == "reapplicant" else "img.first_application")
    got = [imgrules.evaluate(pack, data, as_of).to_json() for as_of in DATES]
    monkeypatch.setattr(fast, "COMPILE_AFTER", 10**9)
    assert got == [slow_path(pack, data, as_of) for as_of in DATES]


def test_the_callers_data_is_left_as_it_was(fast_check_at_once):
    pack = imgrules.loads(PACK, name="paths.rules", use_cache=False)
    data = nested_profile()
    before = copy.deepcopy(data)
    imgrules.evaluate(pack, data).to_json()
    imgrules.evaluate(pack, data).to_json()
    assert data == before
    assert plain_types(data) == {dict, list}


def test_two_evaluations_of_the_same_data_keep_their_own_records(fast_check_at_once):
    """The lazy parts of the first results are built after the second evaluation: each
    session's records still say where they are."""
    pack = imgrules.loads(PACK, name="paths.rules", use_cache=False)
    data = nested_profile()
    first = imgrules.evaluate(pack, data)
    shorter = {**data, "letters": data["letters"][1:]}
    second = imgrules.evaluate(pack, shorter)
    assert [f.provenance.matched for f in first.findings if f.rule == "short"] == [("$.letters[0]",)]
    assert [f.provenance.matched for f in second.findings if f.rule == "short"] == []
    assert first.to_json() == imgrules.evaluate(pack, data).to_json()


def test_a_traced_evaluation_of_handed_over_records_equals_an_untraced_one(fast_check_at_once):
    """The traced run (explanations, coverage) reads the records the check made as the
    first run does: the same results, and events naming the rules it evaluated."""
    pack = imgrules.loads(PACK, name="paths.rules", use_cache=False)
    data = nested_profile()
    events = []
    traced = imgrules.evaluate(pack, data, tracer=events.append)
    assert traced.to_json() == imgrules.evaluate(pack, data).to_json()
    assert {e.rule for e in events} >= {"short", "noted", "named"}
