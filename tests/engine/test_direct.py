"""Direct first runs (``net.calls.X``) against the first run of first.py.

An eligible pack's first run is one generated two-valued function whose firings are
replayed into the session only when something reads them. ``Session(net, direct=False)``
is the reference: on every profile both must give the same results and leave the same
session state (firings, supports, facts, records, gate candidates), also for the
incremental runs that follow, and the direct path must fall back to first.py (``last_path
== "first"``) wherever two-valued logic would decide differently. Every comparison also
checks ``last_path``, so a test cannot pass because the direct side never ran.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import pickle
import random
import runpy
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from imgrules import api
from imgrules.check import check_pack
from imgrules.compile import compile_pack
from imgrules.engine import EvaluationError, EvaluationLimitError, Limits, Session
from imgrules.loader import load_packs

from .helpers import HEADER, checked_of, network, profile
from .test_differential import LEVELS, SETTINGS, STATUSES, letter, profiles, rules
from .test_first_run import _state

ROOT = Path(__file__).resolve().parents[2]
BENCH = runpy.run_path(str(ROOT / "benchmarks" / "run.py"))  # triage_profiles, synthetic
SPECS = BENCH["SPECS"]
# helpers.HEADER without its nested record (exams): a flat profile, as the direct path needs
FLAT = HEADER.replace("record Exam { score: int?\n  attempts: int? }\nrecord Exams { step2: Exam? }\n", "") \
    .replace("  exams: Exams?\n", "  tags: list[str]\n")
assert "Exam" not in FLAT


def flat(text: str):
    return network(FLAT + text, header=False)


def triage():
    return compile_pack(check_pack(load_packs(str(ROOT / "benchmarks" / "packs" / "triage.rules"))))


def _records(s: Session) -> dict:
    """The profile as the session holds it: records with identity and path, scalars."""
    return {name: [(e.k, e.path(), dict(e)) if isinstance(e, dict) else e for e in v]
            if isinstance(v, list) else v for name, v in s.root.items()}


def _full_state(s: Session) -> tuple:
    return _state(s) + (_records(s), s.ids, list(s.gate_cands))


def compare(net, prof, as_of=None, **kw) -> tuple[Session, object]:
    """Both paths on ``prof``: equal results and state; the direct session, its results."""
    fast, slow = Session(net, **kw), Session(net, direct=False, **kw)
    assert fast.last_path is None
    a = fast.set_profile(prof, as_of=as_of).run()
    b = slow.set_profile(prof, as_of=as_of).run()
    path = fast.last_path
    assert slow.last_path == "first" and path in ("direct", "first")
    if net.calls.X is None:
        assert path == "first"
    assert a.to_json() == b.to_json()
    assert a == b and b == a  # every field, provenance (what explanations read) included
    once = Session.evaluate(net, prof, as_of=as_of, **kw)  # no session to keep
    assert once.to_json() == b.to_json() and once == b
    assert _full_state(fast) == _full_state(slow)
    assert fast.last_path == path  # reading the state is not a run
    return fast, a


# ------------------------------------------------------------------ eligibility
def test_which_packs_get_a_direct_function():
    assert triage().calls.X is not None and pickle.loads(pickle.dumps(triage())).calls.X is not None
    shipped = api.load("img.first_application", use_cache=False)
    assert shipped.network.calls.X is None
    for ex in sorted((ROOT / "examples").glob("*.yaml")):
        try:
            data = api.profile_data(shipped, ex, dt.date(2026, 11, 22))
        except Exception:  # an example written for the other pack
            continue
        assert compare(shipped.network, data)[0].last_path == "first"
        break
    rule = 'rule r "R" for l in letters when l.weeks > 2 then derive tier(l.id, competitive)\n'
    assert flat(rule).calls.X is not None
    assert network(rule).calls.X is not None  # a top-level record (exams.step2) is fine
    lists_in_records = HEADER.replace("record Exams { step2: Exam? }", "record Exams { step2: Exam?\n  tries: list[Exam] }")
    assert network(lists_in_records + rule, header=False).calls.X is None  # a list inside a record
    for extra in ('deadline d "D" by T-5 require count(letters where status == received) >= 1',
                  'window w "W" during T-8..T-7 message "m"',
                  'invariant i "I" require all(tier as t where count(tier where component == t.component) == 1)',
                  'rule c "C" for t in tier when t.level == competitive then derive tier(t.component, borderline)',
                  'let n = count(tier where level == competitive)\nrule u "U" when n > 0 then flag low "u"'):
        assert flat(rule + extra + "\n").calls.X is None, extra
    # at most 64 units with code of their own in X (rules that derive count) ...
    within, beyond = (flat("".join(f'rule r{i} "R" when score == {i} then derive tier("c{i}", competitive)\n'
                                   for i in range(n))) for n in (64, 65))
    assert within.calls.X is not None and beyond.calls.X is None
    # ... but gated rules kept as data that derive nothing are data in X, any number of them
    assert compile_pack(BENCH["checked_text"](BENCH["synthetic"](1000)[0])).calls.X is not None


def test_last_path_names_the_path_taken():
    net, p = triage(), _complete_triage(random.Random(1))
    for kw, want in (({}, "direct"), ({"direct": False}, "first"), ({"tracer": lambda e: None}, "general")):
        s = Session(net, **kw)
        assert s.last_path is None
        s.set_profile(p).run()
        assert s.last_path == want, kw
        s.insert("letters", {"id": "new", "specialty": "pediatrics", "us_based": True})
        s.run()
        assert s.last_path == "general"
    s = Session(net).set_profile(p)
    s.propagate()
    assert s.last_path == "direct" and s.run() == Session(net, direct=False).set_profile(p).run()
    with pytest.raises(AttributeError):
        s.last_path = "direct"


# ------------------------------------------------------------------ generated packs
def _no_ineligible(texts):  # drop deadlines and the recursive chain rule
    return [t for t in texts if not t.startswith("deadline") and "for t in tier when" not in t]


eligible_rules = rules().map(_no_ineligible).filter(bool)
full_letter = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", "b", "c", "x"]), "status": st.sampled_from(STATUSES),
     "writer": st.sampled_from(["W", "V"]), "strong": st.booleans(), "weeks": st.integers(0, 8)})
complete_profiles = st.builds(lambda ls, score: profile(letters=ls, score=score),
                              st.lists(full_letter, max_size=5), st.integers(0, 10))
any_profile = st.one_of(profiles, complete_profiles)
ops = st.lists(st.tuples(st.sampled_from(["insert", "retract", "update", "score"]),
                         letter, st.integers(0, 10)), min_size=1, max_size=4)


def _generated(rule_texts):
    try:
        return compile_pack(checked_of(FLAT + "\n".join(rule_texts) + "\n", header=False))
    except ValueError:
        return None


def _check_generated(rule_texts, prof) -> str:
    net = _generated(rule_texts)
    assume(net is not None)
    assert (net.calls.X is not None) == (_no_ineligible(rule_texts) == rule_texts)
    path = compare(net, prof)[0].last_path
    event(f"last_path={path}")
    return path


@SETTINGS
@given(st.one_of(eligible_rules, rules()), any_profile)
def test_direct_run_equals_first_run(rule_texts, prof):
    _check_generated(rule_texts, prof)


def test_direct_path_is_taken_on_a_good_share_of_generated_cases():
    paths: Counter = Counter()

    @settings(SETTINGS, max_examples=60, derandomize=True, database=None)
    @given(eligible_rules, any_profile)
    def check(rule_texts, prof):
        paths[_check_generated(rule_texts, prof)] += 1

    check()
    assert paths["direct"] >= sum(paths.values()) // 3 and paths["first"] > 0, paths


@SETTINGS
@given(eligible_rules, any_profile, ops)
def test_incremental_runs_after_a_direct_run_equal_the_first_path(rule_texts, prof, changes):
    net = _generated(rule_texts)
    assume(net is not None)
    sessions = [Session(net).set_profile(prof), Session(net, direct=False).set_profile(prof)]
    first = [s.run() for s in sessions]  # left unread until the end
    event(f"last_path={sessions[0].last_path}")
    n = len(prof["letters"])
    for op, item, k in changes:
        if op in ("retract", "update") and not n:
            continue
        for s in sessions:
            {"insert": lambda: s.insert("letters", item), "retract": lambda: s.retract(f"$.letters[{k % n}]"),
             "update": lambda: s.update(f"$.letters[{k % n}]", item), "score": lambda: s.update("$.score", k)}[op]()
        n += {"insert": 1, "retract": -1}.get(op, 0)
        a, b = (s.run() for s in sessions)
        assert a.to_json() == b.to_json()
        assert sessions[0].last_path == sessions[1].last_path == "general"
    assert _full_state(sessions[0]) == _full_state(sessions[1])
    assert first[0].to_json() == first[1].to_json() == Session(net).set_profile(prof).run().to_json()


# ------------------------------------------------------------------ the triage pack
def _complete_triage(rnd: random.Random, letters: int | None = None) -> dict:
    n = rnd.randint(0, 8) if letters is None else letters
    return {"as_of": BENCH["AS_OF"], "application_date": BENCH["APP"], "score": rnd.randint(200, 260),
            "attempts": rnd.choice([1, 1, 2, 3]), "interviews": rnd.randint(0, 10),
            "targets": rnd.choices(SPECS, k=rnd.randint(0, 3)),  # duplicates too
            "letters": [{"id": f"l{j}", "specialty": rnd.choice(SPECS), "us_based": rnd.random() < .5}
                        for j in range(n)]}


def test_triage_pack_on_random_profiles():
    net, rnd = triage(), random.Random(11)
    paths: Counter = Counter()
    profiles_ = BENCH["triage_profiles"](40, random.Random(2))
    for _ in range(160):
        p = _complete_triage(rnd, rnd.randint(0, 12))
        profiles_.append({k: v for k, v in p.items() if k not in ("score", "attempts", "interviews")
                          or rnd.random() > .15})  # missing score, attempts, interviews
    for p in profiles_:
        path = compare(net, p)[0].last_path
        paths[path] += 1
        if len(p["letters"]) > 8:
            assert path == "first", p  # the letter/target join would iterate 9+ letters
        else:  # a missing top-level value leaves a table undecided on the direct path too
            assert path == "direct", p
    assert paths["direct"] >= 120 and paths["first"] >= 15, paths


# ------------------------------------------------------------------ fallbacks
JOIN = 'rule pair "P" for t in tags, l in letters when l.id == t then recommend "{t} {l.id}"\n'
STRONG = 'rule strong "S" for l in letters when l.strong then flag low "{l.id} strong"\n'
RECEIVED = 'rule got "G" for l in letters when l.status == received then derive tier(l.id, competitive)\n'


def _letters(n, **kw):
    return [dict({"id": f"x{i % 3}", "status": "received"}, **kw) for i in range(n)]


@pytest.mark.parametrize("pack, prof, path", [
    ('rule s "S" when score > 3 then flag low "s"\n', profile(score=4), "direct"),
    ('rule s "S" when score > 3 then flag low "s"\n', profile(), "direct"),  # missing: undecided
    (STRONG, profile(letters=_letters(2, strong=True)), "direct"),
    (STRONG, profile(letters=_letters(2, strong=1)), "first"),  # a truth value not a bool
    (STRONG, profile(letters=_letters(1, strong=False) + _letters(1)), "first"),  # missing in a record
    (JOIN, profile(tags=["x0", "x1"], letters=_letters(8)), "direct"),
    (JOIN, profile(tags=["x0", "x1"], letters=_letters(9)), "first"),  # inner join over 9 elements
    (JOIN, profile(tags=[], letters=_letters(20)), None),  # the inner loop never runs: either path
    (RECEIVED, profile(letters=["oops"]), "first"),  # a record element that is not a mapping
    (RECEIVED, profile(letters=[{"id": "a", "status": "received"}, 5]), "first"),
])
def test_fallbacks_give_the_same_results(pack, prof, path):
    got = compare(flat(pack), prof)[0].last_path
    assert path is None or got == path


# missing top-level values: undecided on the direct path too, as on the first path
TABLE = '''table t "T" hit {hit} given score, name when {when}
  derive tier(component: "s")
{rows}
'''
OVERLAPPING = """  row ..3, any => concerning
  row 2..6, "n" => borderline
  row any, "m" => competitive
  row 5.., any => borderline"""
DISJOINT = """  row ..3, "n" => concerning
  row ..3, "m" => borderline
  row 4.., any => competitive"""


@pytest.mark.parametrize("hit", ["first", "unique", "collect"])
@pytest.mark.parametrize("when", ["true", "score != 4", "name != \"skip\""])
def test_tables_with_missing_inputs_stay_direct(hit, when):
    net = flat(TABLE.format(hit=hit, when=when, rows=DISJOINT if hit == "unique" else OVERLAPPING))
    seen = set()
    for score in (None, 1, 2, 4, 5, 9):
        for name in (None, "n", "m", "skip"):
            kw = {k: v for k, v in (("score", score), ("name", name)) if v is not None}
            s, r = compare(net, profile(**kw))
            assert s.last_path == "direct", kw
            seen.add((bool(r.derived), bool(r.undecided)))
    assert seen >= {(True, False), (False, True), (False, False)}, seen


@pytest.mark.parametrize("cond", [
    "score > 3 or name == \"n\"", "score > 3 and name == \"n\"", "not (score > 3)",
    "score is missing", "score is present and score in 2..6", "name in {\"n\", \"m\"} or score < 2",
])
def test_conditions_over_missing_values_stay_direct(cond):
    net = flat(f'rule s "S" when {cond} then flag low "s {{score}}" derive tier("s", borderline)\n'
               f'rule u "U" for t in tier when t.level == borderline then recommend "u {{name}}"\n')
    outcomes = set()
    for score in (None, 1, 4):
        for name in (None, "n", "x"):
            kw = {k: v for k, v in (("score", score), ("name", name)) if v is not None}
            s, r = compare(net, profile(**kw))
            assert s.last_path == "direct", kw
            outcomes.add((r.fired("s"), bool(r.undecided)))
    assert len(outcomes) >= 2, outcomes


MANY = 'rule many "M" for a in letters, b in letters when a.id != b.id then derive tier(a.id, competitive)\n'


@pytest.mark.parametrize("limits, what", [(Limits(max_firings=50), "more than 50 firings (max_firings)"),
                                          (Limits(max_facts=5), "more than 5 derived facts (max_facts)")])
def test_limits_trip_from_run_with_the_same_message(limits, what):
    net = flat(MANY)
    prof = profile(letters=[{"id": f"x{i}", "status": "received"} for i in range(12)])
    messages = []
    for run in (lambda: Session(net, limits=limits).set_profile(prof).run(),
                lambda: Session(net, limits=limits, direct=False).set_profile(prof).run(),
                lambda: Session.evaluate(net, prof, limits=limits)):
        with pytest.raises(EvaluationLimitError) as err:
            run()
        assert err.value.rule == "many"
        messages.append(str(err.value))
    assert messages[2] == messages[0]
    assert messages[0] == messages[1] and what in messages[0]
    small = profile(letters=[{"id": f"x{i}", "status": "received"} for i in range(2)])
    assert compare(net, small, limits=limits)[0].last_path == "direct"


def boom(value):
    raise RuntimeError("broken helper")


def test_a_failure_in_generated_code_is_located_the_same_on_both_paths():
    text = 'rule weak "Weak" for l in letters when l.weeks is present\n  then flag high "{l.weeks} short"\n'
    messages = []
    for kw in ({}, {"direct": False}):
        net = flat(text)
        assert net.calls.X is not None
        net.ns["render_value"] = boom  # the generated functions' globals
        with pytest.raises(EvaluationError) as err:
            Session(net, **kw).set_profile(profile(letters=[{"id": "x", "status": "received", "weeks": 1}])).run()
        messages.append(str(err.value))
    assert messages[0].split(".rules:")[1] == messages[1].split(".rules:")[1], messages  # each its own file
    assert "RuntimeError: broken helper" in messages[0]
    assert int(messages[0].split(".rules:")[1].split(":")[0]) == net.rules[0].line + 1


# ------------------------------------------------------------------ caller data and as_of
TIMED = '''
rule early "Early" until T-8 then remind "early {months_to_go}"
rule now5 "Now" at T-5 then flag high "at five"
rule late "Late" from T-3 when score > 1 then recommend "late"
rule before "Before" when as_of < T-6 then remind "before T-6"
'''


def test_caller_data_is_never_changed():
    net, rnd = triage(), random.Random(3)
    for as_of in (None, dt.date(2027, 4, 1)):
        p = _complete_triage(rnd, 4)
        keep = copy.deepcopy(p)
        s = Session(net).set_profile(p, as_of=as_of)
        s.run().to_json()
        assert s.last_path == "direct" and p == keep
        s.insert("letters", {"id": "n", "specialty": "neurology", "us_based": True})
        s.update("$.letters[0]", {"id": "u", "specialty": "neurology", "us_based": False})
        s.retract("$.letters[1]")
        s.update("$.score", 201)
        s.run().to_json()
        assert p == keep


@pytest.mark.parametrize("as_of", [None, dt.date(2027, 4, 10), dt.date(2027, 4, 20), dt.date(2027, 6, 1),
                                   dt.date(2027, 9, 20)])
def test_as_of_overrides_the_profile_as_on_the_first_path(as_of):
    s, r = compare(flat(TIMED), profile(score=5), as_of=as_of)
    assert s.last_path == "direct"
    assert r.as_of == (as_of or dt.date(2026, 11, 22))
    assert r.fired("now5") == (r.months_to_go == 5)
    assert r.fired("late") == (r.months_to_go <= 3)
    prof = {"application_date": dt.date(2027, 9, 15), "score": 5}  # as_of only as an argument
    s, r = compare(flat(TIMED), prof, as_of=as_of)
    assert s.last_path == ("first" if as_of is None else "direct") and bool(r.undecided) == (as_of is None)


# ------------------------------------------------------------------ laziness is transparent
def _pair(net, prof):
    fast, slow = Session(net), Session(net, direct=False)
    return fast, slow, fast.set_profile(prof).run(), slow.set_profile(prof).run()


def test_direct_results_behave_as_results():
    net = triage()
    p = _complete_triage(random.Random(4), 3)
    fast, slow, a, b = _pair(net, p)
    assert fast.last_path == "direct"
    assert repr(a) == repr(b)
    back = pickle.loads(pickle.dumps(a))
    assert back == b and back.to_json() == b.to_json()
    assert hash(a) == hash(b)  # facts are bound (their JSON is a dict): bindings are not hashed
    a2, b2 = fast.run(), slow.run()
    assert a2 == a and (a2 is a) == (b2 is b)
    orphan = Session(net).set_profile(p).run()  # its session dropped before it is read
    assert orphan.to_json() == b.to_json()


def test_set_profile_twice_before_the_first_run():
    net, rnd = triage(), random.Random(10)
    p, q = _complete_triage(rnd, 5), _complete_triage(rnd, 1)
    fast, slow = (Session(net, direct=d).set_profile(p).set_profile(q) for d in (True, False))
    assert fast.run().to_json() == slow.run().to_json() == Session(net).set_profile(q).run().to_json()
    assert _full_state(fast) == _full_state(slow)


@pytest.mark.parametrize("change", ["set_profile", "insert and retract"])
def test_a_change_before_the_first_results_are_read(change):
    net, rnd = triage(), random.Random(6)
    p, q = _complete_triage(rnd, 3), _complete_triage(rnd, 2)
    fast, slow, a, b = _pair(net, p)
    assert fast.last_path == "direct" and fast.gate_cands == slow.gate_cands  # state read first
    for s in (fast, slow):
        if change == "set_profile":
            s.set_profile(q)
        else:
            s.insert("letters", {"id": "new", "specialty": (p["targets"] or SPECS)[0], "us_based": True})
            s.retract("$.letters[0]")
    c, d = fast.run(), slow.run()
    assert c.to_json() == d.to_json()
    assert a.to_json() == b.to_json() == Session(net).set_profile(p).run().to_json()  # still p
    assert _full_state(fast) == _full_state(slow)


@pytest.mark.parametrize("when", ["after set_profile", "after run"])
def test_the_caller_changing_its_data_later_does_not_change_the_evaluation(when):
    """first.py copies the data into records in set_profile: later changes are not seen."""
    net = triage()
    p = _complete_triage(random.Random(8), 3)
    p["attempts"], p["score"], p["interviews"] = 1, 250, 9
    results = []
    for kw in ({}, {"direct": False}):
        data = copy.deepcopy(p)
        s = Session(net, **kw).set_profile(data)
        if when == "after run":
            r = s.run()
        data["score"] = 210
        data["letters"].append({"id": "late", "specialty": "neurology", "us_based": True})
        data["targets"].append("neurology")
        if when == "after set_profile":
            r = s.run()
        results.append((r.to_json(), _full_state(s)))
    assert results[0] == results[1]


# ------------------------------------------------------------------ gates
@pytest.mark.parametrize("n", [10, 40, 300])  # X reads gates itself only for many gated rules
def test_gated_synthetic_pack_takes_the_same_candidates(n):
    text, spec = BENCH["synthetic"](n)
    net = compile_pack(BENCH["checked_text"](text))
    assert net.gate_groups and net.calls.X is not None
    # beyond 16 gated rules, rules kept as data are tested as data, for candidates only
    assert ("direct_simple(" in net.source) == (n > 16)
    rnd, paths = random.Random(9), Counter()
    for _ in range(150):
        t, code, kind, lo, hi = rnd.choice(spec)
        p = {"as_of": BENCH["AS_OF"], "application_date": BENCH["APP"],
             "code": rnd.choice([code, rnd.randrange(n + 2)]), "kind": rnd.choice([kind, f"k{rnd.randrange(10)}"]),
             "score": rnd.choice([lo, hi, rnd.randint(lo - 2, hi + 2), rnd.randrange(10000)])}
        p = {k: v for k, v in p.items() if k not in ("code", "kind", "score") or rnd.random() > .1}
        s, r = compare(net, p)
        paths[s.last_path] += 1
        assert s.last_path == "direct", p  # a missing value is unknown on the direct path too
        if len(p) < 5:
            paths["missing"] += 1
    assert paths["missing"] >= 20, paths


NESTED = "".join(f'rule r{i} "R" when exams.step2.score {op} {i} and name != "x{i % 3}" then flag low "r{i}"\n'
                 for i in range(24) for op in ("==",) if i % 2 == 0) + \
    "".join(f'rule q{i} "Q" when name == "n{i}" then recommend "q{i}"\n' for i in range(20))


def test_rules_kept_as_data_over_top_level_records_and_missing_values():
    net = network(NESTED)
    assert net.calls.X is not None and "direct_simple(" in net.source
    rnd, paths = random.Random(4), Counter()
    for _ in range(120):
        p = profile(**{k: v for k, v in (("name", rnd.choice(["n1", "n3", "x0", "x1", None])),
                                          ("score", rnd.choice([None, 1]))) if v is not None})
        kind = rnd.randrange(4)  # no exams, no step2, no score in step2, a score
        if kind:
            p["exams"] = {} if kind == 1 else {"step2": {} if kind == 2 else {"score": rnd.randrange(0, 26, 2)}}
        s, r = compare(net, p)
        paths[(s.last_path, kind)] += 1
        # a missing record field is the general path's (as in the unrolled rules)
        assert s.last_path == ("first" if kind in (1, 2) else "direct"), p
    assert all(paths[("direct", k)] for k in (0, 3)) and all(paths[("first", k)] for k in (1, 2)), paths


# ------------------------------------------------------------------ odd data
# Whatever a caller passes (wrong types, None, nested values, NaN), both paths must agree:
# the same results, or the same exception type from run(). The direct path may give up,
# never decide differently.
odd_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 300), st.floats(allow_nan=True),
                       st.text(max_size=3), st.sampled_from(SPECS), st.just([]), st.just({}))
odd_letter = st.one_of(
    st.fixed_dictionaries({"id": st.text(max_size=2), "specialty": st.sampled_from(SPECS),
                           "us_based": st.booleans()}),
    st.dictionaries(st.sampled_from(["id", "specialty", "us_based", "strong", "x"]), odd_scalar,
                    max_size=4),
    odd_scalar)
odd_profile = st.fixed_dictionaries(
    {"as_of": st.just(BENCH["AS_OF"]), "application_date": st.just(BENCH["APP"])},
    optional={"score": odd_scalar, "attempts": odd_scalar, "interviews": odd_scalar,
              "targets": st.one_of(st.lists(st.one_of(st.sampled_from(SPECS), odd_scalar), max_size=3),
                                   odd_scalar),
              "letters": st.one_of(st.lists(odd_letter, max_size=4), odd_scalar)})


def _outcome(make, net, prof):
    try:
        s = make(net).set_profile(prof)
        r = s.run()
        return "ok", r.to_json(), _full_state(s)
    except Exception as exc:  # the same kind of failure on both paths
        return "error", type(exc).__name__


@settings(max_examples=150, deadline=None)
@given(odd_profile)
def test_odd_data_gives_the_same_outcome_on_both_paths(prof):
    net = triage()
    want = _outcome(lambda n: Session(n, direct=False), net, copy.deepcopy(prof))
    got = _outcome(Session, net, copy.deepcopy(prof))
    assert got == want
    assert _results(Session.evaluate, net, prof) == \
        _results(lambda n, p: Session(n, direct=False).set_profile(p).run(), net, prof)


def _results(evaluate, net, prof):
    """What an evaluation of (a copy of) ``prof`` gives: its results as JSON, or the
    kind of failure."""
    try:
        return "ok", evaluate(net, copy.deepcopy(prof)).to_json()
    except Exception as exc:
        return "error", type(exc).__name__


@functools.lru_cache(maxsize=None)
def synthetic_net(n: int):
    return compile_pack(BENCH["checked_text"](BENCH["synthetic"](n)[0]))


@settings(max_examples=100, deadline=None)
@given(st.fixed_dictionaries({}, optional={"code": odd_scalar, "kind": st.one_of(odd_scalar, st.just("k3")),
                                           "score": odd_scalar}))
def test_odd_data_for_rules_tested_as_data(values):
    """The synthetic 40-rule pack: its rules kept as data are data in X (see _batched)."""
    net = synthetic_net(40)
    prof = dict({"as_of": BENCH["AS_OF"], "application_date": BENCH["APP"]}, **values)
    want = _outcome(lambda n: Session(n, direct=False), net, copy.deepcopy(prof))
    assert _outcome(Session, net, copy.deepcopy(prof)) == want
    assert _results(Session.evaluate, net, prof) == \
        _results(lambda n, p: Session(n, direct=False).set_profile(p).run(), net, prof)


def test_results_evolve_as_plain_results():
    net = triage()
    p = _complete_triage(random.Random(4), 3)
    a, b = Session(net).set_profile(p).run(), Session(net, direct=False).set_profile(p).run()
    changed = dt.date(2020, 1, 1)
    ea, eb = attrs.evolve(a, as_of=changed), attrs.evolve(b, as_of=changed)
    assert ea.as_of == changed and ea.findings == b.findings and ea == eb


@pytest.mark.parametrize("rule", [
    'rule s "S" when exams.step2.score >= 240 then flag low "s"',  # kept as data: a path
    'rule s "S" when exams.step2.score >= 240 and name is present then flag low "s {exams.step2.score}"',
    'rule s "S" when exams.step2.score is missing then flag low "s"',
    'table s "S" hit first given exams.step2.score, score derive tier(component: "s")\n'
    '  row ..200, any => concerning\n  row 201.., ..5 => borderline\n  row any, any => competitive',
])
def test_top_level_records(rule):
    net = network(rule + "\n")
    assert net.calls.X is not None
    paths = Counter()
    for exams in (None, {}, {"step2": None}, {"step2": {}}, {"step2": {"score": 250}}, {"step2": {"score": 150}},
                  "not a record"):
        for score in (None, 3, 9):
            kw = {k: v for k, v in (("exams", exams), ("score", score), ("name", "n")) if v is not None}
            paths[compare(net, profile(**kw))[0].last_path] += 1
    assert paths["direct"] >= 6 and paths["first"] >= 3, paths


LETS = '''
let bump = score + 1
let over(x) = x > 3
rule s "S" when over(bump) then flag low "bump {bump}"
rule k "K" for l in letters when l.status == received and bump < 9 then recommend "kept {l.id}"
rule y "Y" when year(as_of) >= 2026 and as_of > T-12 then remind "dated"
'''


def test_lets_functions_and_dates_on_the_direct_path():
    net = flat(LETS)
    assert net.calls.X is not None
    paths = Counter()
    for score in (None, 1, 5, 20):
        for letters in ([], _letters(2), [{"id": "a"}]):
            kw = {k: v for k, v in (("score", score), ("letters", letters)) if v is not None}
            paths[compare(net, profile(**kw))[0].last_path] += 1
    # a let over a missing value is unknown from a let: the general path reports it
    assert paths["direct"] >= 4 and paths["first"] >= 3, paths
    # a let function given a record could render or compare it: not direct
    assert flat('let kept(l) = l.status == received\n'
                'rule k "K" for l in letters when kept(l) then recommend "k"\n').calls.X is None


def test_the_direct_function_s_locals_shadow_no_global_of_the_module():
    """A local of X named like a generated function (L0 for a list and L0 for a let) made
    every run give up; this keeps the names apart for every kind of pack here."""
    nets = [triage(), flat(LETS), flat(TABLE.format(hit="first", when="true", rows=OVERLAPPING)),
            compile_pack(BENCH["checked_text"](BENCH["synthetic"](40)[0])), network(STRONG)]
    for net in nets:
        X = net.calls.X
        assert X is not None
        assert not set(X.__code__.co_varnames) & set(net.ns), sorted(set(X.__code__.co_varnames) & set(net.ns))


# Each kind of expression on a complete profile: the direct path must not give up (it
# would still be right, only slow: a silent loss that only last_path shows).
CONSTRUCTS = [
    'when score * 2 - 1 > 5 and score / 2 < 9 and -score < 0',
    'when count(letters where status == received) >= 1 and exists(letters as l where l.weeks > 2)',
    'when all(letters where weeks > 0) and sum(weeks for l in letters where l.strong) > 2',
    'when min(weeks for l in letters) < 2 and len(letters) == 2 and letters[0].weeks == 3',
    'for t in tags when t in {"x"}',
    'when "x" in tags and score not in 10..20 and (score > 100 or name == "n")',
    'when as_of + 3 months < application_date and year(as_of) == 2026 and as_of > T-12',
    'when months_between(as_of, application_date) > 2 and months_to_go > 2',
    'during T-10..T-8',
    'for l in letters when l.writer is present and l.strong is present',
]


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_each_kind_of_expression_runs_direct_on_a_complete_profile(construct):
    net = flat(f'rule r "R" {construct} then flag low "r {{name}} {{score}}" derive tier(name, competitive)\n'
               'rule q "Q" for t in tier when t.level == competitive and count(tier) >= 1 then recommend "q"\n')
    letters_ = [{"id": "a", "status": "received", "weeks": 3, "strong": True, "writer": "w"},
                {"id": "b", "status": "planned", "weeks": 1, "strong": False, "writer": "v"}]
    s, r = compare(net, profile(score=5, name="n", tags=["x", "y"], letters=letters_))
    assert s.last_path == "direct"
    assert r.fired("r") and r.fired("q")


def test_a_pack_at_python_s_nesting_limit_compiles_without_its_direct_function():
    """X nests one block deeper than a rule's own functions (its units sit in a loop): at
    20 nested loops the pack still compiles, and runs the general path."""
    text = 'rule r "R" for ' + ", ".join(f"l{i} in letters" for i in range(20)) + \
        ' when l0.weeks > 1 then flag low "r"\n'
    net = flat(text)
    assert net.calls.X is None
    assert compare(net, profile(letters=_letters(1, weeks=2)))[1].fired("r")


def test_a_direct_session_makes_all_of_its_state_when_one_part_is_read():
    """Every slot of a session is set on the general path; a direct session sets a few
    and makes all the others (from the data and log) on the first read of any of them."""
    net = triage()
    slots = [name for name in Session.__slots__ if name != "__weakref__"]
    assert all(_is_set(Session(net, direct=False), n) for n in slots)
    s = Session(net).set_profile(_complete_triage(random.Random(2), 2))
    light = {n for n in slots if _is_set(s, n)}
    assert type(s).__name__ == "_Direct" and {"root", "firings", "supports", "pending"}.isdisjoint(light)
    s.firings  # one read
    assert type(s) is Session and all(_is_set(s, n) for n in slots)


def _is_set(s, name) -> bool:
    try:
        Session.__dict__[name].__get__(s, Session)  # the slot itself, not _Direct's property
    except AttributeError:
        return False
    return True


# ------------------------------------------------------------------ rules decided at compile time
# Facts derived only with constant values (table rows, literal derive arguments) and rules
# over them that read nothing else: X writes the rules' firings where the facts are derived
# (compile/fold.py). Both paths must still agree on everything, the order of firings included.
ADVICE = "fact advice { topic: str }\n"
COMPS = ["a", "b"]


def folded_rules(net) -> set[str]:
    """The rules with no unit of their own in X (decided where their facts are derived)."""
    src = net.source[net.source.index("def X("):]
    src = src[:src.find("\ndef ", 1)] if "\ndef " in src[1:] else src
    return {r.id for r in net.rules if r.kind == "rule" and f"while True:  # rule line {r.line}\n" not in src}


@st.composite
def fold_packs(draw):
    lvl = st.sampled_from(LEVELS)
    comp = st.sampled_from(COMPS)
    out = [ADVICE]
    for i in range(draw(st.integers(1, 3))):  # what derives tier facts
        kind = draw(st.sampled_from(["table", "scalar", "letter", "varying"]))
        if kind == "table":
            a, b = sorted(draw(st.lists(st.integers(0, 10), min_size=2, max_size=2)))
            out.append(f'table s{i} "T" hit {draw(st.sampled_from(["first", "collect"]))} given score '
                       f'derive tier(component: "{draw(comp)}")\n'
                       f'  row ..{a} => concerning\n  row {a}..{b} => borderline\n  row {b}.. => competitive')
        elif kind == "scalar":
            out.append(f'rule s{i} "S" when score > {draw(st.integers(0, 10))} '
                       f'then derive tier("{draw(comp)}", {draw(lvl)})')
        elif kind == "letter":
            out.append(f'rule s{i} "L" for l in letters when l.status == {draw(st.sampled_from(STATUSES))} '
                       f'then derive tier("{draw(comp)}", {draw(lvl)})')
        elif draw(st.integers(0, 3)) == 0:  # now and then a fact whose values vary: no folding
            out.append(f'rule s{i} "V" for l in letters when l.status == received then derive tier(l.id, {draw(lvl)})')
    level_test = st.one_of(
        st.builds(lambda v: f"t.level == {v}", lvl), st.builds(lambda v: f"t.level != {v}", lvl),
        st.builds(lambda v, w: f"t.level in {{{v}, {w}}}", lvl, lvl), st.builds(lambda v: f"not (t.level == {v})", lvl),
        st.builds(lambda c: f't.component == "{c}"', comp), st.just("score > 2"))  # the last one: not folded
    for i in range(draw(st.integers(1, 4))):  # rules over tier facts
        tests = draw(st.lists(level_test, min_size=0, max_size=2))
        when = (" when " + draw(st.sampled_from([" and ", " or "])).join(tests)) if tests else ""
        action = draw(st.sampled_from([
            'flag high "{t.component} is {t.level}"', f'recommend "r{i}"', 'derive advice(t.component)',
            f'derive advice("{draw(comp)}") remind "{{t.level}}"']))
        out.append(f'rule c{i} "C" for t in tier{when} then {action}')
    for i in range(draw(st.integers(0, 2))):  # rules over advice facts
        out.append(f'rule d{i} "D" for a in advice when a.topic == "{draw(comp)}" then remind "{{a.topic}} {i}"')
    return out


@SETTINGS
@given(fold_packs(), any_profile)
def test_rules_decided_at_compile_time_equal_the_first_run(rule_texts, prof):
    net = _generated(rule_texts)
    assume(net is not None and net.calls.X is not None)
    event(f"folded={bool(folded_rules(net))}")
    compare(net, prof)


def test_generated_packs_fold_and_keep_loops_where_they_must():
    seen: Counter = Counter()

    @settings(SETTINGS, max_examples=60, derandomize=True, database=None)
    @given(fold_packs())
    def check(rule_texts):
        net = _generated(rule_texts)
        assume(net is not None and net.calls.X is not None)
        folded = folded_rules(net)
        text = "\n".join(rule_texts)
        for r in net.rules:
            line = next(t for t in rule_texts if t.startswith(f"rule {r.id} ") or t.startswith(f"table {r.id} "))
            if r.id in folded:  # only rules over tier/advice that read nothing else
                assert line.startswith(("rule c", "rule d")) and "score" not in line, line
                assert 'derive tier(l.id' not in text or line.startswith("rule d"), text
        seen["folded" if folded else "none"] += 1

    check()
    assert seen["folded"] >= 20 and seen["none"] >= 3, seen


def test_triage_rules_over_derived_facts_are_decided_at_compile_time():
    net = triage()
    assert folded_rules(net) == {"weak_step2", "step3_plan", "structural"}
    x = net.source[net.source.index("def X("):]
    assert "FD" not in x  # no derived fact is kept in a dict: nothing loops over them
    for p in BENCH["triage_profiles"](30, random.Random(5)):
        assert compare(net, p)[0].last_path == "direct"


@pytest.mark.parametrize("rule, folded", [
    ('rule u "U" for t in tier when t.level == borderline then recommend "u"', True),
    ('rule u "U" for t in tier when t.level == borderline and score > 1 then recommend "u"', False),  # reads the profile
    ('rule u "U" for t in tier, l in letters when t.level == borderline then recommend "u"', False),  # two bindings
    ('rule u "U" for t in tier when count(tier) > 1 then recommend "u"', False),  # an aggregate
    ('rule u "U" at T-8 for t in tier when t.level == borderline then recommend "u"', False),  # timing
])
def test_which_rules_are_decided_at_compile_time(rule, folded):
    net = flat('table s "T" hit collect given score derive tier(component: "x")\n'
               '  row ..3 => borderline\n  row 2.. => concerning\n'
               'rule w "W" when score > 5 then derive tier("y", borderline)\n' + rule + "\n")
    assert net.calls.X is not None
    assert ("u" in folded_rules(net)) == folded
    for score in (None, 1, 2, 3, 4, 6):
        r = compare(net, profile(**({} if score is None else {"score": score})))[1]
        if folded:  # a borderline tier: from the table's first row, or from w
            assert r.fired("u") == (score is not None and (score <= 3 or score > 5))


def test_a_fact_derived_twice_fires_the_rules_decided_for_it_once():
    net = flat('rule a "A" when score > 1 then derive tier("x", borderline)\n'
               'rule b "B" for l in letters when l.status == received then derive tier("x", borderline)\n'
               'rule u "U" for t in tier when t.level == borderline then flag low "{t.component}"\n')
    assert folded_rules(net) == {"u"}
    s, r = compare(net, profile(score=3, letters=_letters(3)))
    assert s.last_path == "direct" and [f.rule for f in r.findings] == ["u"]
    assert len(s.firings[[x.id for x in net.rules].index("u")]) == 1


def test_a_missing_field_of_a_constant_fact_keeps_the_rule_s_loop():
    """``derive note(topic: "x")`` leaves the level unknown: a rule reading it is for
    the general path (X gives up where it meets it), not decided at compile time."""
    net = flat('fact note { topic: str\n  level: Level? }\n'
               'rule a "A" when score > 1 then derive note(topic: "x")\n'
               'rule u "U" for n in note when n.level == borderline then flag low "u"\n')
    assert "u" not in folded_rules(net)
    assert compare(net, profile(score=3))[0].last_path == "first"
    assert compare(net, profile(score=0))[0].last_path == "direct"


BANDS = '''fact band { n: int
  level: Level }
table s "T" hit collect given score derive band()
  row ..2 => 1, concerning
  row 2..5 => 4, borderline
  row 4..7 => 6, borderline
  row 7.. => 9, competitive
'''


@pytest.mark.parametrize("cond", [
    "b.level == borderline", "b.level != borderline", "b.level in {borderline, concerning}",
    "b.level not in {competitive}", "not (b.level == competitive)", "b.n >= 4 and b.level != competitive",
    "b.n < 2 or b.level == competitive", "b.n in 3..6", "b.n not in 3..6", "b.n > 6", "b.n <= 4",
    "b.n == 9 or (b.n == 1 and b.level == concerning)", "b.n != 4",
])
def test_each_condition_decided_at_compile_time_as_at_run_time(cond):
    net = flat(BANDS + f'rule u "U" for b in band when {cond} then flag low "{{b.n}} {{b.level}}" '
                       'derive advice("x")\nrule v "V" for a in advice when a.topic == "x" then recommend "v"\n'
               + ADVICE)
    assert folded_rules(net) == {"u", "v"}
    fired = set()
    for score in range(-1, 11):
        s, r = compare(net, profile(score=score))
        assert s.last_path == "direct"
        fired.add((r.fired("u"), r.fired("v")))
    assert fired == {(True, True), (False, False)}, fired  # some profiles fire them, some do not


# ------------------------------------------------------------------ Session.evaluate
def test_session_evaluate_takes_the_path_a_session_would():
    net = triage()
    p = _complete_triage(random.Random(3), 2)
    reference = Session(net, direct=False).set_profile(p).run()
    events = []
    assert Session.evaluate(net, p, tracer=events.append) == reference and events  # traced: general
    assert Session.evaluate(net, p, as_of=dt.date(2027, 1, 5)) == \
        Session(net, direct=False).set_profile(p, as_of=dt.date(2027, 1, 5)).run()
    undirect = flat(STRONG + 'deadline d "D" by T-5 require count(letters where status == received) >= 1\n')
    assert undirect.calls.X is None
    prof = profile(letters=_letters(2, strong=True))
    assert Session.evaluate(undirect, prof).to_json() == Session(undirect).set_profile(prof).run().to_json()
    long_join = profile(tags=["x0", "x1"], letters=_letters(9))  # X gives up: the first path
    join = flat(JOIN)
    assert Session.evaluate(join, long_join) == Session(join, direct=False).set_profile(long_join).run()


@pytest.mark.parametrize("data", [["not", "a", "mapping"], {"as_of": "2026-11-22", "letters": 3}])
def test_session_evaluate_fails_on_bad_data_as_a_session_does(data):
    net = triage()
    with pytest.raises(Exception) as chain:
        Session(net).set_profile(data).run()
    with pytest.raises(type(chain.value)) as once:
        Session.evaluate(net, data)
    assert str(once.value) == str(chain.value)
