"""A deadline's or window's ``when`` condition is decided first: when it does not hold
nothing else of the milestone is evaluated, and when it is unknown the milestone is
undecided (as the reference evaluator reads a milestone). So a requirement or a date
that would leave the calendar stops the evaluation only for a milestone that applies."""

from __future__ import annotations

import pytest

import imgrules
from imgrules._engine import DateOutOfRange, Session

from .helpers import HEADER, network, profile

FAR = ("let step(d) = d + 999 years\n"
       "let later(d) = step(step(step(step(step(step(step(step(step(d)))))))))\n")
MILESTONES = {
    "in_months": 'deadline m "M" by T-2 when score > 100 require later(as_of) > as_of\n',
    "by_date": 'deadline m "M" by later(as_of) when score > 100 require score > 200\n',
    "during_dates": 'window m "M" during as_of .. later(as_of) when score > 100\n',
}


@pytest.mark.parametrize("form", sorted(MILESTONES))
def test_a_milestone_whose_when_does_not_hold_is_not_evaluated_further(form):
    net = network(FAR + MILESTONES[form])
    r = Session.evaluate(net, profile(score=50))
    assert [f for f in r.findings if f.rule == "m"] == [] and not r.undecided
    r = Session.evaluate(net, profile())
    assert [f for f in r.findings if f.rule == "m"] == []
    assert [(u.rule, u.missing) for u in r.undecided] == [("m", ("$.score",))]
    with pytest.raises(DateOutOfRange) as err:
        Session.evaluate(net, profile(score=150))
    assert err.value.rule == "m"


def test_a_session_whose_when_changes_says_what_a_new_one_says():
    net = network('deadline d "D" by T-2 when score > 100 require name is present\n'
                  'window w "W" during T-10..T-8 when score > 100\n'
                  'window always "A" during T-10..T-8\n')
    session = Session(net).set_profile(profile(score=50))
    session.run()
    current = profile(score=50)
    for path, value in [("$.score", 150), ("$.name", "A"), ("$.score", None), ("$.score", 50),
                        ("$.score", 120)]:
        session.update(path, value)
        if value is None:
            current.pop(path[2:])
        else:
            current[path[2:]] = value
        assert session.run().to_json() == Session.evaluate(net, current).to_json()


@pytest.mark.parametrize("form", sorted(MILESTONES))
def test_explaining_a_milestone_whose_when_does_not_hold_says_so(form):
    pack = imgrules.loads("pack t\n" + HEADER + FAR + MILESTONES[form], use_cache=False)
    e = imgrules.explain(pack, profile(score=50), "m")
    assert (e.fired, e.reason) == (False, "it does not apply: its 'when' condition is false")
    assert [(f.condition, f.outcome) for f in e.failed] == [("score > 100", "false")]
