"""Results built on access (LazyResults) behave as plain Results, and describe the state
they were returned for even when the session changes before they are read."""

from __future__ import annotations

import copy
import pickle

import attrs

from imgrules._engine import Session
from imgrules._results import Results

from .helpers import network, profile

PACK = '''
rule weak "Weak" for l in letters when l.weeks is present and l.weeks < 2
  then flag high "{l.id} short" derive tier(l.id, concerning)
rule tiered "Tiered" for t in tier when t.level == concerning then recommend "fix {t.component}"
rule no_score "No score" when score is missing then needs_info "score?"
'''


def letters(*weeks):
    return [{"id": f"x{i}", "status": "received", "weeks": w} for i, w in enumerate(weeks)]


def plain(r) -> Results:
    return Results(**{a.name: getattr(r, a.name) for a in attrs.fields(Results)})


def test_lazy_results_compare_print_hash_and_pickle_as_results():
    net = network(PACK)
    r = Session(net).set_profile(profile(letters=letters(1, 5))).run()
    p = plain(r)
    assert isinstance(r, Results)
    assert r == p and p == r
    assert hash(r) == hash(p)  # bindings (JSON values, dicts for facts) are not hashed
    assert len({r, p, plain(Session(net).set_profile(profile()).run())}) == 2
    assert repr(r) == repr(p) and repr(r).startswith("Results(")
    back = pickle.loads(pickle.dumps(r))
    assert type(back) is Results and back == p
    assert copy.copy(r) == p and copy.deepcopy(r) == p
    assert attrs.evolve(r, violations=("x",)) == attrs.evolve(p, violations=("x",))
    assert r.to_json() == p.to_json()
    assert sorted(f.message for f in r.findings) == ["fix x0", "score?", "x0 short"]


def test_unread_results_keep_describing_their_state_after_changes():
    net = network(PACK)
    s = Session(net).set_profile(profile(letters=letters(1, 1, 5)))
    first = s.run()  # not read yet
    s.retract("$.letters[0]")  # x1 moves to $.letters[0]
    s.update("$.letters[1]", {"id": "x2", "status": "received", "weeks": 0})
    second = s.run()
    fresh_first = Session(net).set_profile(profile(letters=letters(1, 1, 5))).run()
    fresh_second = Session(net).set_profile(profile(letters=[
        {"id": "x1", "status": "received", "weeks": 1},
        {"id": "x2", "status": "received", "weeks": 0}])).run()
    assert first == fresh_first
    assert second == fresh_second
    # the moved letter's finding names its new path
    paths = {f.message: f.provenance.matched for f in second.findings if f.kind == "flag"}
    assert "$.letters[0]" in paths["x1 short"]


def test_incremental_results_equal_fresh_ones_step_by_step():
    net = network(PACK)
    s = Session(net).set_profile(profile(letters=letters(1, 5)))
    data = letters(1, 5)
    steps = [("insert", {"id": "x9", "status": "planned", "weeks": 0}),
             ("update", 1, {"id": "x1", "status": "received", "weeks": 1}),
             ("retract", 0), ("score", 7), ("retract", 0)]
    kw: dict = {}
    for step in steps:
        if step[0] == "insert":
            s.insert("letters", step[1])
            data.append(step[1])
        elif step[0] == "update":
            s.update(f"$.letters[{step[1]}]", step[2])
            data[step[1]] = step[2]
        elif step[0] == "retract":
            s.retract(f"$.letters[{step[1]}]")
            del data[step[1]]
        else:
            s.update("$.score", step[1])
            kw = {"score": step[1]}
        got = s.run()
        want = Session(net).set_profile(profile(letters=list(data), **kw)).run()
        assert got.findings == want.findings and got.derived == want.derived
        assert got.undecided == want.undecided


def test_a_findings_provenance_read_after_a_change_describes_its_own_run():
    net = network(PACK)
    s = Session(net).set_profile(profile(letters=letters(5, 1)))
    first = s.run()
    flags = [f for f in first.findings if f.kind == "flag"]  # provenance not read yet
    assert [f.message for f in flags] == ["x1 short"]
    s.retract("$.letters[0]")  # x1 moves up to $.letters[0]
    second = s.run()
    assert flags[0].provenance.matched == ("$.letters[1]",)
    assert [f.provenance.matched for f in second.findings if f.kind == "flag"] == [("$.letters[0]",)]
    fresh = Session(net).set_profile(profile(letters=letters(5, 1)[1:])).run()
    assert second == fresh and first != second


def test_findings_with_equal_keys_are_ordered_by_their_provenance():
    net = network('rule r "R" for l in letters then recommend "same"\n')
    r = Session(net).set_profile(profile(letters=letters(*range(12)))).run()
    assert [f.provenance.matched for f in r.findings] == sorted(
        [(f"$.letters[{i}]",) for i in range(12)])
