"""What an undecided deadline or window names as missing: the inputs that would decide
it, and only those (``imgrules._semantics.milestones``). A session may be given a profile
without ``as_of`` or the application date (``Session.evaluate`` fills in neither): a
milestone in months is then ``needs_info`` (a deadline: unless its requirement holds)
and needs whichever of the two is missing and its requirement's facts; one anchored on
dates needs ``as_of`` and its own dates and facts, never the application date. The explanation
side (the replay behind why-not and coverage) names the same inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._engine import Session
from imgrules._trace import replay

from .helpers import checked_of

PACK = """profile { as_of: date?
  application_date: date?
  step3: date?
  booked: bool? }
deadline months "M" by T-3 require booked
window span "S" during T-6..T-4
deadline dated "D" by step3 - 3 weeks require booked
window around "A" during step3 .. step3 + 2 weeks
"""

AS_OF, APP, STEP3 = dt.date(2027, 4, 1), dt.date(2027, 9, 15), dt.date(2027, 5, 1)

# profile -> per milestone: (status, missing)
EXPECTED = {
    "nothing given": ({}, {
        "months": ("needs_info", ("$.application_date", "$.as_of", "$.booked")),
        "span": ("needs_info", ("$.application_date", "$.as_of")),
        "dated": ("needs_info", ("$.as_of", "$.booked", "$.step3")),
        "around": ("needs_info", ("$.as_of", "$.step3")),
    }),
    "no as_of": ({"application_date": APP, "step3": STEP3, "booked": False}, {
        "months": ("needs_info", ("$.as_of",)),
        "span": ("needs_info", ("$.as_of",)),
        "dated": ("needs_info", ("$.as_of",)),
        "around": ("needs_info", ("$.as_of",)),
    }),
    "no application date": ({"as_of": AS_OF, "step3": STEP3}, {
        "months": ("needs_info", ("$.application_date", "$.booked")),
        "span": ("needs_info", ("$.application_date",)),
        "dated": ("needs_info", ("$.booked",)),
        "around": ("upcoming", ()),
    }),
    "no application date, requirement met": ({"as_of": AS_OF, "booked": True}, {
        "months": ("done", ()),
        "span": ("needs_info", ("$.application_date",)),
        "dated": ("done", ()),
        "around": ("needs_info", ("$.step3",)),
    }),
    "every date, no facts": ({"as_of": AS_OF, "application_date": APP}, {
        "months": ("needs_info", ("$.booked",)),
        "span": ("active", ()),
        "dated": ("needs_info", ("$.booked", "$.step3")),
        "around": ("needs_info", ("$.step3",)),
    }),
}


@pytest.fixture(scope="module")
def pack():
    from imgrules._compile import compile_pack

    checked = checked_of(PACK, header=False)
    return checked, compile_pack(checked)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_an_undecided_milestone_names_what_would_decide_it(pack, case):
    checked, network = pack
    data, want = EXPECTED[case]
    results = Session.evaluate(network, dict(data))
    got = {f.rule: (f.status, f.missing) for f in results.findings}
    assert got == want


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_replay_names_the_same_inputs(pack, case):
    checked, network = pack
    data, want = EXPECTED[case]
    results = Session.evaluate(network, dict(data))
    verdicts = replay(checked, dict(data), results)
    got = {rule: (v.outcome, v.missing) for rule, v in verdicts.items()}
    assert got == want


def test_sessions_of_one_phase_share_states_but_not_missing_facts(pack):
    """Milestone states are shared by the sessions of one phase; what one profile misses
    is never carried into another's."""
    _, network = pack
    dates = {"as_of": AS_OF, "application_date": APP}
    first = Session.evaluate(network, dict(dates))
    second = Session.evaluate(network, dict(dates, booked=True, step3=STEP3))
    third = Session.evaluate(network, dict(dates))
    assert {f.rule: (f.status, f.missing) for f in second.findings} == {
        "months": ("done", ()), "span": ("active", ()), "dated": ("done", ()), "around": ("upcoming", ())}
    assert [(f.rule, f.status, f.missing) for f in third.findings] == \
        [(f.rule, f.status, f.missing) for f in first.findings]
