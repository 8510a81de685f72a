"""What is the same for every binding or profile is made once per network and reused:
outputs of constant messages and values, a table's constant template, the findings of
rules without bindings and of deadlines and windows in the same state, the provenance of
firings that bind nothing (rules without bindings, table rows). Each rule and row
still says its own, whatever profiles the network evaluated before."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from imgrules._compile import compile_pack
from imgrules._engine import Session

from support.packs import gates_indexed

from .helpers import checked_of, network, profile

PACK = '''
rule low "Low" when score < 200 then flag high "below 200" derive tier("score", concerning)
rule mid "Mid" when score < 230 then flag medium "below 230" derive tier("score", borderline)
rule each "Each" for l in letters when l.weeks is present and l.weeks < 2
  then remind "a short letter" derive tier("letters", borderline)
table step "Tier" hit first
  given score
  derive tier(component: "table")
  row ..199 => concerning
  row 200..229 => borderline
  row 230.. => competitive
'''


def said(results):
    return sorted((f.rule, f.severity, f.message) for f in results.findings)


def tiers(results):
    return sorted(tuple(v for _, v in d.fields) for d in results.derived)


def test_each_rule_and_row_says_its_own_across_profiles():
    net = network(PACK)
    short = [{"id": "a", "status": "received", "weeks": 1}, {"id": "b", "status": "received", "weeks": 1}]
    for _ in range(2):  # the second round reads what the first one kept
        r = Session.evaluate(net, profile(score=190, letters=short))
        assert said(r) == [("each", None, "a short letter"), ("each", None, "a short letter"),
                           ("low", "high", "below 200"), ("mid", "medium", "below 230")]
        assert tiers(r) == [("letters", "borderline"), ("score", "borderline"),
                            ("score", "concerning"), ("table", "concerning")]
        r = Session.evaluate(net, profile(score=220))
        assert said(r) == [("mid", "medium", "below 230")]
        assert tiers(r) == [("score", "borderline"), ("table", "borderline")]
        r = Session.evaluate(net, profile(score=250))
        assert said(r) == [] and tiers(r) == [("table", "competitive")]


def test_an_incremental_change_moves_a_table_to_another_row():
    net = network(PACK)
    session = Session(net).set_profile(profile(score=190))
    assert ("table", "concerning") in tiers(session.run())
    session.update("$.score", 240)
    r = session.run()
    assert tiers(r) == [("table", "competitive")] and said(r) == []


@pytest.mark.parametrize("indexed", [False, True], ids=["plain", "gates_indexed"])
def test_results_of_a_network_that_evaluated_before_equal_a_fresh_networks(indexed):
    text = PACK + '''
rule high "High" when score >= 250 then recommend "keep it up" with {band: "high"}
rule unknown "Unknown" when score is missing then needs_info "record the score"
deadline score_by "Score recorded" by T-5 require score is present
deadline strong_by "Strong score" by T-7 require score >= 240
  message "A score of 240 or more, by T-7"
window season "Season" during T-8..T-6
'''
    as_of = [dt.date(2026, 11, 22), dt.date(2027, 1, 22), dt.date(2027, 5, 1)]
    profiles = [profile(score=190), profile(score=260), profile(), profile(score=220),
                profile(score=190, letters=[{"id": "a", "status": "received", "weeks": 1}])]
    profiles = [dict(p, as_of=d) for d in as_of for p in profiles]
    checked = checked_of(text)
    # indexed: rules decided by their gates (`score < 200`) fire without their condition
    # being tested, with the outputs kept from the first run that fired them
    with gates_indexed() if indexed else contextlib.nullcontext():
        used = compile_pack(checked)
        for p in profiles + profiles[::-1]:
            fresh = compile_pack(checked)
            assert Session.evaluate(used, p).to_json() == Session.evaluate(fresh, p).to_json()


def test_equal_values_of_other_types_show_as_the_field_says():
    """3 and 3.0 are one fact key, kept by the network with the fact's shown fields: each
    evaluation shows the value as the float field says (``as_float``), whichever type
    the profile gave and whatever the network showed before."""
    net = network('''
fact v { x: float }
rule r "R" for l in letters when l.weeks is present then derive v(l.weeks * 1.0)
rule s "S" when score is present then derive v(score)
''')
    for score, shown in ((3, "3.0"), (3.0, "3.0"), (3, "3.0")):
        r = Session.evaluate(net, profile(score=score))
        assert [repr(dict(d.fields)["x"]) for d in r.derived] == [shown]
