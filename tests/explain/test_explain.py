"""Why / why not on a small pack (exact texts and JSON), the runner showing the
explanation under a failing test, and the replay's verdicts against the engine's."""

from __future__ import annotations

import json
import textwrap

import pytest

from imgrules import _api as api
from imgrules._cli import main
from imgrules.testing import run_tests

PACK = """\
pack t

enum Status { planned, requested, received }

record Letter {
  id: str
  writer: str?
  status: Status
}

record Exam {
  score: int?
  attempts: int?
}

record Exams { step2_ck: Exam? }

profile {
  as_of: date
  application_date: date
  exams: Exams?
  letters: list[Letter]
}

fact band { level: str }

let weak = exams.step2_ck.score < 225 or exams.step2_ck.attempts > 1

rule step3 "Consider Step 3"
  during T-7..T-5
  when weak
  then recommend "Step 3"

rule weak_now "Weak Step 2"
  when weak and exams.step2_ck.score is present
  then flag high "weak"

rule planned "Planned letters"
  for l in letters
  when l.status == planned and l.writer is present
  then remind "{l.id}"

table band "Band"
  hit first
  given exams.step2_ck.score, exams.step2_ck.attempts
  derive band()
  row ..224, any => "low"
  row 225..239, 1 => "mid"
  row 240.., 1 => "high"

deadline request "Request letters"
  by T-5
  require count(letters where status != planned) >= 2
"""

LETTERS = [{"id": "a", "status": "planned"}, {"id": "b", "status": "received", "writer": "Dr X"}]


def profile(**exam):
    # months_to_go is 8: 2026-11-22 -> 2027-08-15
    return {"as_of": "2026-11-22", "application_date": "2027-08-15",
            "exams": {"step2_ck": exam}, "letters": LETTERS}


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    path = tmp_path / "t.rules"
    path.write_text(PACK, encoding="utf-8")
    return path


def text(pack, prof, rule):
    return api.explain(api.load(pack), prof, rule).text().replace(str(pack), "t.rules")


def test_why_not_timing(pack):
    assert text(pack, profile(score=232, attempts=2), "step3") == (
        'step3 (t.rules:29) "Consider Step 3" did not fire: its timing does not hold: months_to_go is 8, '
        "the rule needs T-7..T-5 (during T-7..T-5)")


def test_why_not_names_each_failed_condition_with_its_values(pack):
    assert text(pack, profile(score=232, attempts=1), "weak_now") == textwrap.dedent("""\
        weak_now (t.rules:34) "Weak Step 2" did not fire: its condition is false
          exams.step2_ck.score < 225 was false: $.exams.step2_ck.score = 232
          exams.step2_ck.attempts > 1 was false: $.exams.step2_ck.attempts = 1""")


def test_why_not_closest_binding(pack):
    assert text(pack, profile(score=232, attempts=1), "planned") == textwrap.dedent("""\
        planned (t.rules:38) "Planned letters" did not fire: its condition is false for every binding (2 candidates)
          closest match: l = $.letters[0]
          l.writer is present was false: $.letters[0].writer is missing""")


def test_why_not_missing_facts(pack):
    assert text(pack, profile(), "weak_now") == textwrap.dedent("""\
        weak_now (t.rules:34) "Weak Step 2" did not fire: its condition is false
          exams.step2_ck.score is present was false: $.exams.step2_ck.score is missing""")
    assert text(pack, profile(attempts=1), "step3").endswith("months_to_go is 8, the rule needs T-7..T-5 "
                                                             "(during T-7..T-5)")
    prof = profile(attempts=1)
    prof["application_date"] = "2027-05-15"  # months_to_go 5: inside the timing
    assert text(pack, prof, "step3") == textwrap.dedent("""\
        step3 (t.rules:29) "Consider Step 3" did not fire: its condition is unknown: the profile lacks facts it needs
          exams.step2_ck.score < 225 was unknown: $.exams.step2_ck.score is missing
          needs $.exams.step2_ck.score""")


def test_table_closest_row_and_deadline_status(pack):
    assert text(pack, profile(score=232, attempts=2), "band") == textwrap.dedent("""\
        band (t.rules:43) "Band" did not fire: no row matched
          closest row 2 (225..239, 1 => "mid") was false: $.exams.step2_ck.attempts = 2, not 1""")
    assert text(pack, profile(score=232, attempts=2), "request") == textwrap.dedent("""\
        request (t.rules:51) "Request letters" is upcoming: months_to_go is 8, due at T-5; its requirement is false
          count(letters where status != planned) >= 2 was false: count(letters where status != planned) is 1""")


def test_why_is_the_derivation_tree(pack):
    assert text(pack, profile(score=200, attempts=1), "band") == textwrap.dedent("""\
        band (t.rules:43) "Band" fired 1 time(s):
          - by band at t.rules:47
            row 1 (..224, any => "low") derived band(level: "low")
            matched $.exams.step2_ck.attempts = 1, $.exams.step2_ck.score = 200""")


def test_cli_json(pack, tmp_path, capsys):
    prof = tmp_path / "p.json"
    prof.write_text(json.dumps(profile(score=232, attempts=1)), encoding="utf-8")
    assert main(["explain", str(prof), "weak_now", "--pack", str(pack), "--format", "json"]) in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["fired"] is False and data["reason"] == "its condition is false"
    assert data["failed"][0] == {"condition": "exams.step2_ck.score < 225", "outcome": "false",
                                 "detail": "$.exams.step2_ck.score = 232", "at": f"{pack}:27:12",
                                 "id": "let:weak.2", "missing": [],
                                 "values": {"$.exams.step2_ck.score": 232}}


def test_cli_unknown_rule_suggests_the_closest_name(pack, tmp_path, capsys):
    prof = tmp_path / "p.json"
    prof.write_text(json.dumps(profile(score=232, attempts=1)), encoding="utf-8")
    assert main(["explain", str(prof), "weak_nwo", "--pack", str(pack)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == ("imgrules explain: no rule, deadline, window or table named "
                                    "'weak_nwo'; did you mean 'weak_now'?")


def test_failing_pack_test_shows_why_not(pack):
    pack.write_text(PACK + """
test wrong "deliberately wrong"
  given { as_of: 2026-11-22, application_date: 2027-08-15, exams: { step2_ck: { score: 232, attempts: 1 } } }
  expect rule weak_now
""", encoding="utf-8")
    (run,) = run_tests([pack])
    (outcome,) = run.outcomes
    assert outcome.status == "failed"
    assert outcome.explanation.splitlines()[1:] == [
        "  exams.step2_ck.score < 225 was false: $.exams.step2_ck.score = 232",
        "  exams.step2_ck.attempts > 1 was false: $.exams.step2_ck.attempts = 1"]


def test_months_after_the_application_date_read_t_plus(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    path = tmp_path / "late.rules"
    path.write_text(PACK + '\nrule after "After"\n  during T-1..T+2\n  then remind "after"\n',
                    encoding="utf-8")
    out = api.explain(api.load(path), profile(score=232, attempts=1), "after").text()
    assert "the rule needs T-1..T+2 (during T-1..T+2)" in out and "T--" not in out
