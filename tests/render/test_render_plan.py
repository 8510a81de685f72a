"""The plan model (imgrules._plan) and its text and HTML renderers.

The pack side comes from real rule text parsed by the parser (deadlines, windows, timed
reminders); the evaluation side is a hand-built result dict, as for the other renderers.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from imgrules import ast
from imgrules._builtins import months_between
from imgrules._check.model import RuleEntry
from imgrules._plan import build_plan, month_dates
from imgrules._render import plan_html, plan_text
from imgrules._render.text import Style
from imgrules._source import Source
from imgrules._syntax.parser import parse

from .conftest import EVIL
from .test_render_eval import parse_html

SAMPLE = Path(__file__).with_name("plan_sample.rules")


def checked_pack(text: str | None = None):
    """Enough of a CheckedPack for build_plan: its rules and sources."""
    text = SAMPLE.read_text(encoding="utf-8") if text is None else text
    pack, diagnostics = parse(text, "plan_sample.rules")
    assert pack is not None and not diagnostics, diagnostics
    rules = tuple(RuleEntry(decl=d, pack="test.plan", path="plan_sample.rules", stratum=0)
                  for d in pack.declarations
                  if isinstance(d, (ast.Rule, ast.Deadline, ast.Window)))
    return types.SimpleNamespace(rules=rules,
                                 sources={"plan_sample.rules": Source("plan_sample.rules", text)})


def evaluation(months_to_go=9, **status) -> dict:
    status = {"lock_specialty": "overdue", "request_lors": "upcoming", "first_wave": "upcoming",
              **status}
    findings = [
        {"kind": "milestone", "rule": "lock_specialty", "message": "No more maybe",
         "status": status["lock_specialty"], "due_date": "2026-09-15", "cite": "Month 12"},
        {"kind": "milestone", "rule": "request_lors", "message": "Request letters",
         "status": status["request_lors"], "due_date": "2027-04-15", "cite": "Month 5"},
        {"kind": "window", "rule": "first_wave", "message": "Act like a sub-intern",
         "status": status["first_wave"], "cite": "Month 8-7"},
        {"kind": "reminder", "rule": "m9", "message": "Email 3 program coordinators",
         "cite": "Month 9"},
        {"kind": "flag", "rule": "stale", "severity": "high", "message": f"Flag {EVIL}",
         "cite": "Big Picture"},
    ]
    return {"as_of": "2026-11-22", "application_date": "2027-09-15",
            "months_to_go": months_to_go, "packs": [{"name": "test.plan", "version": "1.0.0"}],
            "derived": [], "findings": findings}


@pytest.fixture
def plan():
    return build_plan(checked_pack(), evaluation())


def test_thirteen_months_from_t12_to_t0_with_one_current(plan):
    assert [m.k for m in plan.months] == list(range(12, -1, -1))
    assert [m.k for m in plan.months if m.current] == [9]
    assert plan.current.k == 9 and plan.current.phase == "Building"
    assert plan.months[0].phase == "Foundation" and plan.months[-1].phase == "Application"


def test_month_dates_follow_the_contracts_phase(plan):
    t12, t0 = plan.months[0], plan.months[-1]
    assert (t12.start, t12.end) == (dt.date(2026, 8, 16), dt.date(2026, 9, 15))
    assert t0.end == dt.date(2027, 9, 15)
    # consecutive months tile the calendar without gaps or overlaps
    for a, b in zip(plan.months, plan.months[1:]):
        assert b.start == a.end + dt.timedelta(days=1)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)),
       st.integers(min_value=0, max_value=12))
def test_every_day_of_month_k_has_months_to_go_k(app, k):
    start, end = month_dates(app, k)
    assert start <= end
    for day in (start, start + (end - start) / 2, end):
        assert months_between(day, app) == k
    assert months_between(start - dt.timedelta(days=1), app) == k + 1
    if k > 0:
        assert months_between(end + dt.timedelta(days=1), app) == k - 1


def test_deadlines_sit_in_their_month_with_this_profiles_status(plan):
    by_k = {m.k: m for m in plan.months}
    assert [(d.rule, d.status, d.due_date) for d in by_k[12].deadlines] == [
        ("lock_specialty", "overdue", "2026-09-15")]
    assert [(d.rule, d.status) for d in by_k[5].deadlines] == [("request_lors", "upcoming")]
    # `when track == reapplicant` did not hold: no finding, so not in the plan
    assert all(d.rule != "not_for_you" for m in plan.months for d in m.deadlines)


def test_a_deadline_waiting_for_facts_is_needs_info():
    data = evaluation()
    data["findings"].append({"kind": "needs_info", "rule": "not_for_you", "message": "?"})
    plan = build_plan(checked_pack(), data)
    month6 = next(m for m in plan.months if m.k == 6)
    assert [(d.rule, d.status) for d in month6.deadlines] == [("not_for_you", "needs_info")]


def test_windows_span_their_months(plan):
    assert [(w.rule, w.start_k, w.end_k, w.status) for w in plan.windows] == [
        ("first_wave", 8, 7, "upcoming")]
    assert [m.k for m in plan.months if m.windows] == [8, 7]
    window = plan.windows[0]
    assert (window.start, window.end) == ("2026-12-16", "2027-02-15")


def test_reminders_are_static_and_flags_only_on_the_current_month(plan):
    by_k = {m.k: m for m in plan.months}
    assert [(r.rule, r.timing, r.fired) for r in by_k[9].reminders] == [("m9", "at T-9", True)]
    # the hole is shown as written in the pack, not as today's value
    assert by_k[9].reminders[0].message == "Email {count(programs)} program coordinators"
    assert [m.k for m in plan.months if m.reminders] == [9, 2, 1, 0]
    assert [(r.timing, r.fired) for r in by_k[1].reminders] == [("during T-2..T-0", False)]
    # a timed rule without `remind` is not a reminder
    assert all(r.rule != "not_a_reminder" for m in plan.months for r in m.reminders)
    assert [f.rule for f in by_k[9].flags] == ["stale"]
    assert all(not m.flags for m in plan.months if m.k != 9)


def test_to_json_is_plain_data(plan):
    data = json.loads(json.dumps(plan.to_json()))
    assert data["months_to_go"] == 9 and data["phase"] == "Building"
    assert [m["label"] for m in data["months"]][:2] == ["T-12", "T-11"]
    assert data["months"][3]["current"] is True
    assert data["months"][0]["deadlines"][0]["by"] == "T-12"
    assert data["windows"][0]["during"] == "T-8..T-7"


def test_outside_the_countdown_no_month_is_current():
    plan = build_plan(checked_pack(), evaluation(months_to_go=14))
    assert plan.current is None and [f.rule for f in plan.flags] == ["stale"]
    out = plan_text.render(plan)
    assert "you are here" not in out and "Flags now" in out


def test_plan_text_lists_months_and_marks_the_current_one(plan):
    out = plan_text.render(plan, Style(width=80))
    lines = out.splitlines()
    heads = [line for line in lines if line.lstrip().startswith("T-") and ".." in line]
    assert [h.split()[0] for h in heads] == [f"T-{k}" for k in range(12, -1, -1)]
    assert [h for h in heads if "you are here" in h] == [
        "  T-9  2026-11-16 .. 2026-12-15  Building  <- you are here"]
    assert "[!] Lock your specialty (overdue, due 2026-09-15)" in out
    assert "|  First wave of rotations (window T-8..T-7, upcoming)" in out
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in out
    assert "\x1b[" in plan_text.render(plan, Style(color=True))


def test_plan_html_is_a_self_contained_timeline(plan):
    page = plan_html.render(plan)
    tree = parse_html(page)
    assert "script" not in tree.tags
    # one chart row per window and per deadline, each labelled with its status in words
    assert page.count('class="row window"') == len(plan.windows)
    assert page.count('class="row deadline"') == sum(len(m.deadlines) for m in plan.months)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "@media print" in page
    body = " ".join(tree.text)
    for word in ("deadline done", "deadline overdue", "window active", "current month"):
        assert word in body
    assert body.count("T-12") >= 2  # the axis and the month list
    assert "you are here" in body
    assert f"Flag {EVIL}" in body  # the flag, escaped, as text


def test_plan_html_month_columns_name_the_day_each_month_ends(plan):
    """A column says the day its month ends (when its deadlines fall due), with the whole
    range on hover: on Nov 22, T-9 runs to Dec 15, not "Dec 26"."""
    page = plan_html.render(plan)
    body = " ".join(parse_html(page).text)
    for month in plan.months:
        assert f"{month.end:%b} {month.end.day}" in body
        assert f'title="{month.start.isoformat()} .. {month.end.isoformat()}"' in page
    end = plan.months[0].end
    if end.day != end.year % 100:  # else the old month-year label reads the same
        assert f"{end:%b %y}" not in body


def test_plan_html_escapes_pack_text():
    text = SAMPLE.read_text(encoding="utf-8").replace(
        '"Lock your specialty"', '"Lock <script>alert(1)</script> & go"')
    data = evaluation()
    plan = build_plan(checked_pack(text), data)
    page = plan_html.render(plan)
    tree = parse_html(page)
    assert "script" not in tree.tags
    assert "Lock <script>alert(1)</script> & go" in "".join(tree.text)


# ------------------------------------------------------------------ with the profile

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def _plan_of(example: str, pack_name: str = "img.first_application", **profile_changes):
    from imgrules import _api as api
    from imgrules._facts.reader import load_profile_file

    data = load_profile_file(str(EXAMPLES / example)).data
    data = {**data, **profile_changes}
    pack = api.load(pack_name)
    return build_plan(pack, api.evaluate(pack, data), data)


def test_with_the_profile_a_month_lists_only_the_reminders_that_apply_to_it():
    plan = _plan_of("strong-first-timer.yaml")  # its Narrative Tracker is started
    by_k = {m.k: m for m in plan.months}
    assert [d.status for d in by_k[12].deadlines if d.rule == "fa_narrative_tracker"] == ["done"]
    reminders = [r.message for m in plan.months for r in m.reminders]
    assert not any("no Narrative Tracker" in message for message in reminders)
    # a reminder that depends on the profile: Month 7's Q-bank start, only with an exam ahead
    from imgrules._facts.reader import load_profile_file

    data = load_profile_file(str(EXAMPLES / "reapplicant-weak-step2.yaml")).data
    booked = {**data["exams"], "step3": {"status": "scheduled", "date": dt.date(2027, 5, 10)}}
    declined = {**data["exams"], "step3": {"status": "not_planned"}}
    qbank = "question-bank work"
    with_exam = _plan_of("reapplicant-weak-step2.yaml", "img.reapplication", exams=booked)
    without = _plan_of("reapplicant-weak-step2.yaml", "img.reapplication", exams=declined)
    assert [m.k for m in with_exam.months if any(qbank in r.message for r in m.reminders)] == [7]
    assert not any(qbank in r.message for m in without.months for r in m.reminders)


def test_with_the_profile_reminders_read_as_the_evaluation_words_them():
    plan = _plan_of("strong-first-timer.yaml")
    messages = [r.message for m in plan.months for r in m.reminders]
    assert messages and not any("{" in message for message in messages)
    current = plan.current
    assert current is not None and all(r.fired for r in current.reminders)


def test_months_after_the_application_date_read_t_plus(plan):
    """A window running past T-0 and a deadline after it: ``T+1``, never ``T--1``."""
    import attrs

    from imgrules._plan import PlanDeadline, PlanWindow

    late = PlanWindow(rule="w", title="Stay clinical", start_k=1, end_k=-2, start="2027-07-16",
                      end="2027-11-15", status="upcoming", message="", cite="")
    after = PlanDeadline(rule="d", title="Thank-you notes", k=-1, due_date="2027-10-15",
                         status="upcoming", message="", cite="")
    months = [attrs.evolve(m, windows=m.windows + (late,)) if m.k == 1 else m
              for m in plan.months]
    plan = attrs.evolve(plan, months=months, windows=plan.windows + (late,),
                        other_deadlines=(after,))
    out = plan_text.render(plan, Style(width=100)) + plan_html.render(plan)
    assert "T-1..T+2" in out and "(T+1, upcoming" in out and "T+1, due 2027-10-15" in out
    assert "T--" not in out
