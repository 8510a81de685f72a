"""The pack test runner: passing and failing packs, -k, JUnit XML, the CLI's output and exit codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from imgrules._cli import main
from imgrules.testing import run_tests
from imgrules.testing.runner import select

PACK = """\
pack demo
  version "1.0.0"

enum Level { low, high }

profile {
  as_of: date
  application_date: date
  score: int?
}

fact band { level: Level }

table score_band "Score band"
  hit unique
  given score
  derive band()
  row ..49 => low
  row 50.. => high

deadline enough "Score at least 10 by T-3"
  by T-3
  require score >= 10

test low_band "49 is low"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 49 }
  expect band(level: low)
  expect no band(level: high)
  expect rule score_band

test high_band "50 is high"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 50 }
  expect band(high)
  expect deadline enough done
{extra}
"""

WRONG = """
test wrong_band "deliberately wrong"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 50 }
  expect band(level: low)
  expect deadline enough overdue
"""


def write(tmp_path, extra=""):
    path = tmp_path / "demo.rules"
    path.write_text(PACK.replace("{extra}", extra), encoding="utf-8")
    return path


def test_passing_pack(tmp_path):
    (run,) = run_tests([write(tmp_path)])
    assert [(o.name, o.status) for o in run.outcomes] == [("low_band", "passed"), ("high_band", "passed")]


def test_failing_expectations_say_what_was_found(tmp_path):
    (run,) = run_tests([write(tmp_path, WRONG)])
    wrong = {o.name: o for o in run.outcomes}["wrong_band"]
    assert wrong.status == "failed"
    details = [r.detail for r in wrong.expectations]
    assert details[0] == "expected band(level: low); found band(level: high)"
    assert details[1] == "expected deadline enough overdue; found deadline enough is done"


def test_missing_value_makes_deadline_needs_info(tmp_path):
    extra = """
test no_score "no score: the deadline can be neither done nor late"
  given { as_of: 2027-01-01, application_date: 2027-09-15 }
  expect deadline enough needs_info
  expect no band(level: low)
"""
    (run,) = run_tests([write(tmp_path, extra)])
    assert {o.name: o.status for o in run.outcomes}["no_score"] == "passed"


def test_keyword_selects_tests(tmp_path):
    (run,) = run_tests([write(tmp_path, WRONG)], keyword="band and not wrong")
    assert [o.name for o in run.outcomes] == ["low_band", "high_band"]


@pytest.mark.parametrize("expr, name, expected", [
    ("low", "a.rules::low_band", True),
    ("not low", "a.rules::low_band", False),
    ("low or high", "a.rules::high_band", True),
    ("(low or high) and not band", "a.rules::high_band", False),
    ("*::high_*", "a.rules::high_band", True),
])
def test_select(expr, name, expected):
    assert select(name, expr) is expected


def test_cli_summary_and_exit_codes(tmp_path, capsys):
    assert main(["test", str(write(tmp_path))]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2 passed, 0 failed"
    assert main(["test", str(write(tmp_path, WRONG))]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {tmp_path / 'demo.rules'}:" in out and "wrong_band" in out
    assert out.strip().splitlines()[-1] == "2 passed, 1 failed"


def test_cli_pack_with_errors_is_reported_not_run(tmp_path, capsys):
    path = tmp_path / "broken.rules"
    path.write_text("pack broken\nrule r \"R\" when nosuch > 1 then recommend \"x\"\n")
    assert main(["test", str(path)]) == 1
    captured = capsys.readouterr()
    assert "cannot run its tests" in captured.err and "nosuch" in captured.err
    assert "0 passed, 0 failed, 1 pack with errors" in captured.out


def test_cli_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["test", str(tmp_path / "nope.rules")]) == 2


def test_junit_xml(tmp_path):
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    assert main(["test", str(write(tmp_path, WRONG)), "--junit-xml", str(report)]) == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"low_band", "high_band", "wrong_band"}
    failure = cases["wrong_band"].find("failure")
    assert failure is not None and "expected band(level: low)" in failure.get("message")
    assert cases["low_band"].find("failure") is None
    assert cases["wrong_band"].get("line") == str(PACK.count("\n", 0, PACK.index("{extra}")) + 2)


def test_pytest_plugin_collects_pack_tests(pytester):
    pytester.makefile(".rules", demo=PACK.replace("{extra}", WRONG))
    result = pytester.runpytest("demo.rules")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*wrong_band*", "*expected band(level: low); found band(level: high)*"])


def test_pytest_plugin_ignores_rules_under_testpaths_defaults(pytester):
    pytester.makefile(".rules", demo=PACK.replace("{extra}", WRONG))
    pytester.makeini("[pytest]\ntestpaths = .\n")
    pytester.makepyfile(test_plain="def test_ok():\n    assert True\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_pytest_plugin_honours_ignore_globs(pytester):
    pytester.mkdir("broken")
    (pytester.path / "broken" / "bad.rules").write_text("pack bad\nrule r \"R\" when nosuch then remind \"x\"\n")
    pytester.makeini("[pytest]\nimgrules_ignore = broken/*\n")
    pytester.makefile(".rules", demo=PACK.replace("{extra}", ""))
    result = pytester.runpytest(".")
    result.assert_outcomes(passed=2)


def test_expect_deadline_without_status_means_it_applies(tmp_path):
    extra = """
deadline only_with_score "Applies only when there is a score"
  by T-3
  when score is present
  require score >= 10

test applies "with a score the deadline applies, whatever its status"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 3 }
  expect deadline only_with_score

test not_applicable "without a score it does not apply at all"
  given { as_of: 2026-11-22, application_date: 2027-09-15 }
  expect no deadline only_with_score

test wrong_way_round "deliberately wrong: it does apply"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 3 }
  expect no deadline only_with_score
"""
    (run,) = run_tests([write(tmp_path, extra)])
    status = {o.name: o.status for o in run.outcomes}
    assert status["applies"] == status["not_applicable"] == "passed"
    wrong = {o.name: o for o in run.outcomes}["wrong_way_round"]
    assert wrong.status == "failed"
    assert wrong.expectations[0].detail == ("expected no deadline only_with_score; "
                                            "found deadline only_with_score is upcoming")
