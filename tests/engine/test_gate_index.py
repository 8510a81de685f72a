"""The gate index against evaluating every condition: Hypothesis-generated packs of rules
whose conjuncts test profile values against constants (equalities, sets, open and closed
ranges on several paths, int and float constants, a conjunct no index can decide),
evaluated once and incrementally, compared with the reference evaluator
(tests/reference.py) and with fresh evaluations. The index groups such rules by one
path, then the rules of an equality's bucket by another, and fires a rule without its
condition when the gates on the way cover all of it (tests/cases/rules/gate_index.yaml
has the hand-written cases)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imgrules
from imgrules import EvaluationLimitError, Limits

from projection import project
from support.packs import compile_text, gates_indexed
from reference import reference_json

HEADER = """pack t
enum Track { first_time, reapplicant }
profile { as_of: date
  application_date: date
  score: int?
  ratio: float?
  yog: int?
  track: Track? }
"""
BASE = {"as_of": dt.date(2026, 11, 22), "application_date": dt.date(2027, 9, 15)}
NUMBERS = st.sampled_from([0, 1, 2, 2.5, 3, 4, 5.5, 6])


@st.composite
def conjunct(draw) -> str:
    path = draw(st.sampled_from(["score", "ratio", "yog", "yog", "track"]))
    if path == "track":
        return draw(st.sampled_from(["track == first_time", "track == reapplicant",
                                     "track in {first_time, reapplicant}"]))
    if path == "yog":
        return draw(st.sampled_from(["yog == 1", "yog == 2", "yog == 3", "yog in {1, 2}",
                                     "yog in {2, 3}", "2 == yog"]))
    form = draw(st.sampled_from([">", ">=", "<", "<=", "in", "flip", "not"]))
    a, b = draw(NUMBERS), draw(NUMBERS)
    if form == "in":
        return f"{path} in {min(a, b)}..{max(a, b)}"
    if form == "flip":
        return f"{a} < {path}"
    if form == "not":  # no gate: the condition decides
        return f"{path} != {a}"
    return f"{path} {form} {a}"


@st.composite
def packs(draw) -> str:
    rules = []
    for i in range(draw(st.integers(1, 12))):
        parts = draw(st.lists(conjunct(), min_size=1, max_size=3))
        rules.append(f'rule r{i} "R{i}" when {" and ".join(parts)} then flag info "r{i}"')
    return HEADER + "\n".join(rules) + "\n"


def values():
    return st.fixed_dictionaries({}, optional={
        "score": st.integers(0, 7),
        "ratio": st.sampled_from([0.0, 1.0, 2.5, 3.0, 5.5, 6.5, 2, 4]),
        "yog": st.integers(0, 4),
        "track": st.sampled_from(["first_time", "reapplicant"]),
    })


def _load(text: str):
    with gates_indexed():
        compiled = compile_text(text, prefix="gates_")
    assert compiled is not None, "the test's pack does not check"
    return compiled


def _fresh(pack, profile: dict) -> dict:
    return project(imgrules.evaluate(pack, copy.deepcopy(profile)).to_json())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(packs(), values(), st.lists(values(), min_size=1, max_size=4))
def test_gated_rules_equal_the_reference_once_and_incrementally(text, first, later):
    checked, pack = _load(text)
    profile = {**BASE, **first}
    assert _fresh(pack, profile) == reference_json(checked, copy.deepcopy(profile))
    session = pack.session().set_profile(copy.deepcopy(profile))
    session.run()
    for change in later:
        for field in ("score", "ratio", "yog", "track"):
            if change.get(field) != profile.get(field):
                session.update(f"$.{field}", change.get(field))
        profile = {**BASE, **change}
        assert project(session.run().to_json()) == _fresh(pack, profile)


def test_many_overlapping_ranges_in_a_bucket():
    """Closed ranges that overlap too much for a segment index are scanned; ranges open on
    one side, by their sorted bounds; at every boundary the same rules as the reference."""
    rules = [f'rule c{i} "C{i}" when score in {i}..{300 - i} and yog == {i % 2} then flag info "c{i}"'
             for i in range(150)]
    rules += [f'rule o{i}_{k} "O" when score {op} {i} and yog == 1 then flag info "o{i}"'
              for i in range(0, 300, 7) for k, op in enumerate((">", ">=", "<", "<="))]
    checked, pack = _load(HEADER + "\n".join(rules) + "\n")
    for score in (None, 0, 1, 7, 8, 149, 150, 151, 294, 300, 301):
        for yog in (None, 0, 1):
            profile = {**BASE, **{k: v for k, v in (("score", score), ("yog", yog)) if v is not None}}
            assert _fresh(pack, profile) == reference_json(checked, copy.deepcopy(profile)), profile


def test_rules_decided_by_their_gates_count_against_the_firing_limit():
    """Rules fired from the index alone are firings like the others: past max_firings the
    evaluation stops, naming the limit."""
    rules = [f'rule r{i} "R{i}" when score > {i} and yog == 1 then flag info "r{i}"' for i in range(300)]
    _, pack = _load(HEADER + "\n".join(rules) + "\n")
    profile = {**BASE, "score": 1000, "yog": 1}
    assert len(imgrules.evaluate(pack, profile, limits=Limits(max_firings=300)).findings) == 300
    with pytest.raises(EvaluationLimitError, match="more than 299 firings"):
        imgrules.evaluate(pack, profile, limits=Limits(max_firings=299))


def test_profiles_one_after_another_on_one_network_each_get_their_own_gates():
    """The steps and candidates the gates give depend on the gated values alone, so a
    network keeps them by value when those are whole numbers, text or dates: profiles
    evaluated one after another (values repeated, missing) each get exactly the rules the
    reference fires, as the months to go and tracks of the shipped packs' rules do."""
    rules = [f'rule s{i}_{k} "S{i}" when score {op} {i} then flag info "s{i} {op}"'
             for i in range(0, 8, 2) for k, op in enumerate((">", "<="))]
    rules += ['rule w "W" during T-8..T-5 then remind "w"',
              'rule r "R" when score in 2..5 then flag info "r"',
              'rule f "F" when track == first_time then flag info "f"',
              'rule a "A" when track in {reapplicant} then flag info "a"',
              'rule d "D" when as_of >= 2026-06-01 then flag info "d"']
    checked, pack = _load(HEADER + "\n".join(rules) + "\n")
    tracks = ["first_time", "reapplicant", None]
    for n, score in enumerate([3, 7, None, 3, 0, 2, 7, 3, None, 5, 0, 3]):
        as_of = dt.date(2026, 11, 22) - dt.timedelta(days=61 * (n % 5))
        profile = {**BASE, "as_of": as_of, **({} if score is None else {"score": score})}
        if tracks[n % 3] is not None:
            profile["track"] = tracks[n % 3]
        assert _fresh(pack, profile) == reference_json(checked, copy.deepcopy(profile)), profile
