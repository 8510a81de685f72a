"""The first run of a session (imgrules.engine.first) against the general propagation.

A session with a tracer always takes the general path, so a no-op tracer gives the
reference. Both must give the same results (the same JSON), leave the same state for the
incremental runs that follow, and trip the same limits.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgrules import api
from imgrules.check import check_pack
from imgrules.compile import compile_pack
from imgrules.engine import EvaluationLimitError, Limits, Session
from imgrules.loader import load_packs

from .helpers import network, profile
from .test_differential import SETTINGS, _compiled, letter, profiles, rules

ROOT = Path(__file__).resolve().parents[2]


def _general(net, **kw) -> Session:
    return Session(net, tracer=lambda event: None, **kw)


def _state(s: Session) -> tuple:
    """What a run leaves in the session, in insertion order (firings by rule and key)."""
    firings = {i: [(k, f.outputs, f.elems) for k, f in d.items()] for i, d in s.firings.items() if d}
    undecided = {i: list(d) for i, d in s.undecided.items() if d}
    supports = {fk: sorted(sup) for fk, sup in s.supports.items()}
    return (firings, undecided, supports, s.status, {t: list(d) for t, d in s.facts.items()},
            s.first, s.per_rule, s.seq)


@SETTINGS
@given(rules(), profiles)
def test_first_run_equals_general_path(rule_texts, prof):
    _, net = _compiled(rule_texts)
    fast, slow = Session(net).set_profile(prof), _general(net).set_profile(prof)
    a, b = fast.run(), slow.run()
    assert a.to_json() == b.to_json()
    assert _state(fast) == _state(slow)


@SETTINGS
@given(rules(), profiles, st.lists(st.tuples(st.sampled_from(["insert", "retract", "update", "score"]),
                                             letter, st.integers(0, 10)), min_size=1, max_size=4))
def test_incremental_runs_after_a_first_run_equal_the_general_path(rule_texts, prof, ops):
    _, net = _compiled(rule_texts)
    sessions = [Session(net).set_profile(prof), _general(net).set_profile(prof)]
    for s in sessions:
        s.run()
    n = len(prof["letters"])
    for op, item, k in ops:
        for s in sessions:
            if op == "insert":
                s.insert("letters", item)
            elif op == "retract" and n:
                s.retract(f"$.letters[{k % n}]")
            elif op == "update" and n:
                s.update(f"$.letters[{k % n}]", item)
            elif op == "score":
                s.update("$.score", k)
        n += 1 if op == "insert" else -1 if op == "retract" and n else 0
        assert sessions[0].run().to_json() == sessions[1].run().to_json()


def test_shipped_packs_on_the_examples_at_several_dates():
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    compared = 0
    for name in ("img.first_application", "img.reapplication"):
        pack = api.load(name, use_cache=False)
        for ex in examples:
            for months in (0, 5, 11):
                as_of = dt.date(2026, 11, 22) - dt.timedelta(days=30 * months)
                try:
                    data = api.profile_data(pack, ex, as_of)
                except Exception:  # an example written for the other pack
                    continue
                fast = Session(pack.network).set_profile(data, as_of=as_of).run()
                slow = _general(pack.network).set_profile(data, as_of=as_of).run()
                assert fast.to_json() == slow.to_json(), (name, ex.name, as_of)
                compared += 1
    assert compared >= 12


def test_benchmark_triage_pack_on_generated_profiles():
    net = compile_pack(check_pack(load_packs(str(ROOT / "benchmarks" / "packs" / "triage.rules"))))
    rnd = random.Random(5)
    specs = ["internal_medicine", "family_medicine", "pediatrics", "psychiatry", "neurology"]
    for _ in range(60):
        p = {"as_of": dt.date(2026, 11, 22), "application_date": dt.date(2027, 9, 15),
             "targets": rnd.sample(specs, rnd.randint(0, 2)),
             "letters": [{"id": f"l{j}", "specialty": rnd.choice(specs), "us_based": rnd.random() < .5}
                         for j in range(rnd.randint(0, 3))]}
        for field, lo, hi in (("score", 200, 260), ("attempts", 1, 3), ("interviews", 0, 10)):
            if rnd.random() < .8:
                p[field] = rnd.randint(lo, hi)
        fast, slow = Session(net).set_profile(p), _general(net).set_profile(p)
        assert fast.run().to_json() == slow.run().to_json()
        assert _state(fast) == _state(slow)


def test_gated_rules_take_the_same_candidates():
    text = "\n".join(f'rule g{i} "G" when score == {i} and name == "n{i % 3}" then flag low "g{i}"'
                     for i in range(12))
    text += '\nrule r "R" when score in 3..7 then derive tier("s", borderline)'
    text += '\nrule t "T" for t in tier when t.level == borderline then recommend "{t.component}"'
    net = network(text)
    for score in (None, 0, 3, 5, 11):
        for name in (None, "n0", "n2"):
            kw = {k: v for k, v in (("score", score), ("name", name)) if v is not None}
            fast, slow = Session(net).set_profile(profile(**kw)), _general(net).set_profile(profile(**kw))
            assert fast.run().to_json() == slow.run().to_json()
            assert fast.gate_cands == slow.gate_cands


def test_limits_trip_on_the_first_run_as_on_the_general_path():
    net = network('rule many "M" for a in letters, b in letters when a.id != b.id '
                  'then derive tier(a.id, competitive)')
    prof = profile(letters=[{"id": f"x{i}", "status": "received"} for i in range(12)])
    messages = []
    for make in (Session, _general):
        with pytest.raises(EvaluationLimitError) as err:
            make(net, limits=Limits(max_firings=50)).set_profile(prof).run()
        assert err.value.rule == "many"
        messages.append(str(err.value))
    assert messages[0] == messages[1] and "more than 50 firings (max_firings)" in messages[0]
    with pytest.raises(EvaluationLimitError, match="max_facts"):
        Session(net, limits=Limits(max_facts=5)).set_profile(prof).run()


def test_repeated_scalar_bindings_fire_once_per_key():
    net = network('''
profile { as_of: date
  application_date: date
  tags: list[str]
  letters: list[Letter] }
rule tagged "T" for t in tags when t != "x" then flag low "tag {t}" derive tier(t, "high")
rule pair "P" for t in tags, l in letters when l.id == t then recommend "{t} {l.id}"
''' .replace("profile {", "record Letter { id: str }\nfact tier { component: str\n  level: str }\nprofile {"),
        header=False)
    prof = {"as_of": dt.date(2026, 11, 22), "application_date": dt.date(2027, 9, 15),
            "tags": ["a", "x", "a", "b", "a"], "letters": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}
    fast, slow = Session(net).set_profile(prof), _general(net).set_profile(prof)
    a = fast.run()
    assert a.to_json() == slow.run().to_json()
    assert _state(fast) == _state(slow)
    assert sorted(f.message for f in a.findings) == ["a a", "a a", "b b", "tag a", "tag b"]


OVERLAPPING = """  row ..3, any => concerning
  row 2..6, ..200 => borderline
  row any, 201.. => competitive
  row 5.., any => borderline"""
DISJOINT = """  row ..3, ..200 => concerning
  row ..3, 201.. => borderline
  row 4.., any => competitive"""


@pytest.mark.parametrize("hit", ["first", "unique", "collect"])
def test_tables_apply_their_hit_policy_as_the_general_path(hit):
    net = network(f'''
table t "T" hit {hit} given score, exams.step2.score when name != "skip"
  derive tier(component: "s")
{DISJOINT if hit == "unique" else OVERLAPPING}
''')
    seen = set()
    for score in (None, 1, 2, 5, 9):
        for step2 in (None, 150, 250):
            for name in (None, "skip", "n"):
                kw = {k: v for k, v in (("score", score), ("name", name)) if v is not None}
                if step2 is not None:
                    kw["exams"] = {"step2": {"score": step2}}
                fast, slow = Session(net).set_profile(profile(**kw)), _general(net).set_profile(profile(**kw))
                a = fast.run()
                assert a.to_json() == slow.run().to_json(), kw
                assert _state(fast) == _state(slow), kw
                seen.add((len(a.derived), len(a.undecided)))
    assert len(seen) >= 3  # firing, undecided and silent cases all occurred


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(rules(), profiles)
def test_first_run_equals_general_path_long(rule_texts, prof):
    test_first_run_equals_general_path.hypothesis.inner_test(rule_texts, prof)


def test_a_failure_in_generated_code_points_at_the_rule_text_on_both_paths():
    from imgrules.engine import EvaluationError

    text = ('rule weak "Weak" for l in letters when l.weeks is present\n'
            '  then flag high "{l.weeks} short"\n')
    for make in (Session, _general):
        net = network(text)

        def boom(value):
            raise RuntimeError("broken helper")

        net.ns["render_value"] = boom  # the generated functions' globals
        prof = profile(letters=[{"id": "x", "status": "received", "weeks": 1}])
        with pytest.raises(EvaluationError) as err:
            make(net).set_profile(prof).run()
        message = str(err.value)
        assert ".rules:" in message and "RuntimeError: broken helper" in message, message
        line = int(message.split(".rules:")[1].split(":")[0])
        assert line == net.rules[0].line + 1  # the action's line: the message with the hole
