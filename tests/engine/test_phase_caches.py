"""``T-k`` dates and the states of deadlines and windows depend only on the phase (months
to go, application date) and the requirement's truth, so a network keeps them for the
sessions of the same phase. Whatever a network evaluated before (other application
dates, as_of dates, requirement values, in alternation; more phases than it keeps), its
results equal those of a freshly compiled network, and a session whose dates or values
change says what a new session says."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._compile import compile_pack
from imgrules._engine import Session
from imgrules._engine import runtime

from .helpers import checked_of, profile

D = dt.date

PACK = '''
deadline score_by "Score recorded" by T-5 require score is present
deadline strong_by "Strong score" by T-7 require score >= 240
  message "A score of 240 or more, by T-7"
deadline named "Name" by T-2 when score is present require name is present
  message "Record your name ({score})"
deadline step2_by "Step 2" by T-7 require exams.step2.score >= 230
deadline after "After" severity high by T+1 require score >= 200
window season "Season" during T-8..T-6
window late "Late" during T-1..T+2 when score < 250
rule soon "Soon" when as_of >= T-3 then remind "{T-3} {T-0} {T+1}"
'''

APPS = [D(2027, 9, 15), D(2027, 3, 31), D(2028, 1, 31)]
AS_OF = [D(2026, 11, 22), D(2027, 1, 31), D(2027, 6, 30), D(2027, 10, 1)]
VALUES = [dict(score=190), dict(score=260, name="A"), dict(), dict(score=220), dict(score=245, name="B")]


def profiles() -> list[dict]:
    """Every application date, as_of and requirement values, each phase in alternation
    with the others."""
    out = []
    for values in VALUES:
        for as_of in AS_OF:
            for app in APPS:
                out.append(dict(profile(**values), as_of=as_of, application_date=app))
    return out


@pytest.fixture(scope="module")
def checked():
    return checked_of(PACK)


def test_a_network_says_what_a_fresh_one_says_whatever_it_evaluated_before(checked):
    used = compile_pack(checked)
    every = profiles()
    for p in every + every[::-1]:
        got = Session.evaluate(used, p)
        want = Session.evaluate(compile_pack(checked), p)
        assert got.to_json() == want.to_json()
        assert [(m.rule, m.status, m.due_date, m.missing) for m in got.findings if m.kind == "milestone"] == \
            [(m.rule, m.status, m.due_date, m.missing) for m in want.findings if m.kind == "milestone"]


def test_the_states_of_each_phase_are_right(checked):
    used = compile_pack(checked)
    by_app = {}
    for app in APPS:  # T-5 of each application date, requirement unmet, met, then unknown
        for score in (None, 250, None):
            p = dict(profile(**({} if score is None else {"score": score})), application_date=app)
            r = Session.evaluate(used, p)
            (f,) = [f for f in r.findings if f.rule == "score_by"]
            by_app.setdefault(app, []).append((f.status, f.due_date))
    assert by_app[D(2027, 9, 15)][1] == ("done", D(2027, 4, 15))
    assert by_app[D(2027, 3, 31)][1] == ("done", D(2026, 10, 31))
    assert by_app[D(2028, 1, 31)][1] == ("done", D(2027, 8, 31))
    # as_of 2026-11-22: 9, 4 and 14 months to go
    assert by_app[D(2027, 9, 15)][0] == by_app[D(2027, 9, 15)][2] == ("upcoming", D(2027, 4, 15))
    assert by_app[D(2027, 3, 31)][0] == ("overdue", D(2026, 10, 31))
    assert by_app[D(2028, 1, 31)][0] == ("upcoming", D(2027, 8, 31))


def test_an_unknown_requirement_names_each_profiles_missing_paths(checked):
    used = compile_pack(checked)
    cases = [({}, "needs_info", ("$.exams",)), ({"step2": {}}, "needs_info", ("$.exams.step2.score",)),
             ({"step2": {"score": 200}}, "upcoming", ()), ({"step2": {"score": 240}}, "done", ()),
             ({}, "needs_info", ("$.exams",))]
    for exams, status, missing in cases + cases[::-1]:
        p = profile(**({"exams": exams} if exams else {}))
        (f,) = [f for f in Session.evaluate(used, p).findings if f.rule == "step2_by"]
        assert (f.status, f.missing, f.due_date) == (status, missing, D(2027, 2, 15))


def test_more_phases_than_a_network_keeps(checked, monkeypatch):
    monkeypatch.setattr(runtime, "_PHASES", 3)
    used = compile_pack(checked)
    for p in profiles()[:24]:
        assert Session.evaluate(used, p).to_json() == Session.evaluate(compile_pack(checked), p).to_json()


def test_a_session_whose_dates_or_values_change_says_what_a_new_one_says(checked):
    used = compile_pack(checked)
    session = Session(used).set_profile(profile(score=190))
    session.run()
    current = profile(score=190)
    changes = [("$.application_date", D(2027, 3, 31)), ("$.as_of", D(2027, 1, 31)),
               ("$.score", 260), ("$.application_date", D(2028, 1, 31)), ("$.name", "A"),
               ("$.as_of", D(2027, 10, 1)), ("$.application_date", D(2027, 9, 15)),
               ("$.score", 245), ("$.as_of", D(2026, 11, 22))]
    for path, value in changes:
        session.update(path, value)
        current[path[2:]] = value
        assert session.run().to_json() == Session.evaluate(compile_pack(checked), current).to_json()
