"""A derived fact whose one derivation is a firing that binds nothing (a table row, a rule
without bindings) is the same for every profile that derives it so, and the engine shares
it between evaluations. A profile that derives the same fact another way too, or through
bindings, must still get its own provenance; each result must equal what the incremental
path (which never shares facts) gives for the same profile."""

from __future__ import annotations

import copy

from imgrules._engine import Session

from .helpers import network, profile

PACK = '''
table step2 "Step 2" hit first
  given score
  derive tier(component: "step2")
  row 240.. => competitive
  row ..239 => borderline
rule named "Named" when name == "x" then derive tier("step2", competitive)
rule strong "Strong" for l in letters when l.strong then derive tier("letters", competitive)
rule weak "Weak" for t in tier when t.level == borderline then flag medium "{t.component} is borderline"
'''


def letter(i, strong):
    return {"id": f"l{i}", "status": "received", "strong": strong}


PROFILES = [
    profile(score=250),                                   # the table alone
    profile(score=250, name="x"),                         # the table and a rule: two derivations
    profile(score=250),                                   # the table alone again
    profile(score=200, letters=[letter(0, True)]),        # a derivation with bindings
    profile(score=250, name="x", letters=[letter(1, True), letter(2, True)]),
    profile(score=230),
    # the same firing key (record identities) at another path: exams takes an identity first
    profile(score=200, exams={}, letters=[letter(0, True)]),
    profile(score=200, letters=[letter(0, False), letter(1, True)]),
]


def by_increments(net, data):
    """The same profile's results through the incremental path (no shared facts)."""
    s = Session(net).set_profile(profile(score=1))
    s.run()
    s.set_profile(copy.deepcopy(data))
    return s.run()


def test_shared_and_unshared_facts_equal_the_incremental_path_profile_after_profile():
    net = network(PACK)
    for data in PROFILES + PROFILES[::-1]:
        first = Session.evaluate(net, copy.deepcopy(data))
        other = by_increments(net, data)
        assert [d.plain() for d in first.derived] == [d.plain() for d in other.derived], data
        assert first.to_json() == other.to_json(), data


def test_a_fact_derived_two_ways_names_both_derivations():
    net = network(PACK)
    alone = Session.evaluate(net, profile(score=250)).derived
    both = Session.evaluate(net, profile(score=250, name="x")).derived
    again = Session.evaluate(net, profile(score=250)).derived
    rules = [[p.rule for p in d.provenance] for d in both if d.fields == (("component", "step2"), ("level", "competitive"))]
    assert rules == [["named", "step2"]]
    assert [d.plain() for d in alone] == [d.plain() for d in again]
    assert [[p.rule for p in d.provenance] for d in again] == [["step2"]]


def test_a_shared_fact_compares_hashes_prints_and_pickles_as_a_plain_fact():
    import pickle

    import attrs

    from imgrules._results import DerivedFact

    net = network(PACK)
    (fact,) = [d for d in Session.evaluate(net, profile(score=250)).derived if d.type == "tier"]
    plain = fact.plain()
    assert type(plain) is DerivedFact and fact == plain and plain == fact
    assert hash(fact) == hash(plain) and repr(fact) == repr(plain)
    assert type(pickle.loads(pickle.dumps(fact))) is DerivedFact
    assert pickle.loads(pickle.dumps(fact)) == plain
    assert attrs.evolve(fact, fields=()) == DerivedFact("tier", (), plain.provenance)
    assert fact.get("level") == "competitive" and fact.provenance[0].rule == "step2"
