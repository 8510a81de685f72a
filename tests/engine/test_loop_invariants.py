"""A filter or aggregate that reads nothing bound by the loops around it is computed once
per evaluation (compile.emit: hoisted into an unnamed let), and stays right when the
collections it reads change."""

from __future__ import annotations

from imgrules._engine import Session

from .helpers import network, profile

PACK = '''
rule longest "Longest" for l in letters when l.weeks == max(x.weeks for x in letters)
  then recommend "{l.id} is the longest"
rule above "Above average" for l in letters
  when l.weeks is present and l.weeks * count(letters where weeks is present) > sum(x.weeks for x in letters where weeks is present)
  then flag low "{l.id} above average"
'''


def letters(*weeks):
    return [{"id": f"x{i}", "status": "received", "weeks": w} for i, w in enumerate(weeks)]


def messages(results):
    return sorted(f.message for f in results.findings)


def test_results_of_a_hoisted_aggregate():
    net = network(PACK)
    r = Session(net).set_profile(profile(letters=letters(3, 7, 5))).run()
    assert messages(r) == ["x1 above average", "x1 is the longest"]


def test_a_hoisted_aggregate_follows_changes():
    net = network(PACK)
    s = Session(net).set_profile(profile(letters=letters(3, 7, 5)))
    s.run()
    s.insert("letters", {"id": "x3", "status": "received", "weeks": 9})
    assert messages(s.run()) == ["x1 above average", "x3 above average", "x3 is the longest"]
    s.retract("$.letters[3]")
    s.update("$.letters[0]", {"id": "x0", "status": "received", "weeks": 8})
    fresh = Session(net).set_profile(profile(letters=letters(8, 7, 5))).run()
    assert messages(s.run()) == messages(fresh) == ["x0 above average", "x0 is the longest",
                                                    "x1 above average"]


def test_an_unknown_element_makes_the_hoisted_value_unknown_for_every_binding():
    net = network(PACK)
    r = Session(net).set_profile(profile(letters=letters(3, None, 5))).run()
    assert [f.message for f in r.findings if f.rule == "longest"] == []
    assert {u.rule for u in r.undecided} == {"longest"}
