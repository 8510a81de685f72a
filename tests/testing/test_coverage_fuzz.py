"""imgrules test --coverage / --fail-under / --fuzz / --seed on small packs whose figures
are computed by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from imgrules._cli import main
from imgrules.testing import run_tests
from imgrules.testing.suite import coverage_of

PACK = """\
pack cov

enum Level { low, mid, high }

profile {
  as_of: date
  application_date: date
  score: int?
  attempts: int?
}

fact band { level: Level }

rule weak "Weak"
  when score < 225 or attempts > 1
  then remind "weak"

rule strong "Strong"
  when score >= 250
  then remind "strong"

table score_band "Band"
  hit first
  given score
  derive band()
  row ..224 => low
  row 225..249 => mid
  row 250.. => high

test low_score "A low score"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 200 }
  expect rule weak
  expect band(level: low)

test mid_score "A middle score"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 230, attempts: 1 }
  expect no rule weak
  expect band(level: mid)
"""


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "cov.rules"
    path.write_text(PACK, encoding="utf-8")
    return path


def test_coverage_counts_by_hand(pack):
    report = coverage_of(run_tests([pack], coverage=True))
    (p,) = report.packs
    # weak and score_band fired, strong never
    assert p.count("rule") == (2, 3)
    # rows 1 and 2 fired, row 3 never
    assert p.count("row") == (2, 3)
    # score < 225: true and false; attempts > 1: only false (the `or` stops at a true first
    # operand); `or` branch 1 true, branch 2 never; score >= 250: only false
    assert p.count("condition") == (5, 8)
    assert p.count() == (9, 14)
    assert round(report.percent, 1) == 64.3
    where = str(pack)
    assert [f"{i.where}: {i.kind} {i.what}" for i in p.uncovered] == [
        f"{where}:15:23: condition `attempts > 1` true",
        f"{where}:15:23: condition `or` branch 2 `attempts > 1` true",
        f"{where}:18:1: rule strong fired",
        f"{where}:19:8: condition `score >= 250` true",
        f"{where}:28:3: row score_band row 3",
    ]


def test_cli_coverage_table_and_fail_under(pack, capsys):
    assert main(["test", str(pack), "--coverage", "--fail-under", "60"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["coverage", "rules", "rows", "deadlines", "windows", "conditions", "total", "cover"]
    assert lines[1].split() == [str(pack), "2/3", "2/3", "0/0", "0/0", "5/8", "9/14", "64.3%"]
    assert lines[2].split() == ["TOTAL", "2/3", "2/3", "0/0", "0/0", "5/8", "9/14", "64.3%"]
    assert "total coverage: 64.3%" in lines
    assert lines[-1] == "2 passed, 0 failed"
    assert main(["test", str(pack), "--coverage", "--fail-under", "70"]) == 1
    out = capsys.readouterr().out
    assert "coverage 64.3% is below --fail-under 70%" in out
    assert out.splitlines()[-1] == "2 passed, 0 failed"


def test_fail_under_needs_coverage(pack, capsys):
    assert main(["test", str(pack), "--fail-under", "60"]) == 2


def test_junit_xml_with_coverage(pack, tmp_path, capsys):
    report = tmp_path / "report.xml"
    assert main(["test", str(pack), "--coverage", "--junit-xml", str(report)]) == 0
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "0"
    assert [c.get("name") for c in root.iter("testcase")] == ["low_score", "mid_score"]


def test_deadline_and_window_statuses(tmp_path):
    path = tmp_path / "dl.rules"
    path.write_text("""pack dl
profile { as_of: date
  application_date: date
  n: int? }
deadline enough "Enough by T-3"
  by T-3
  require n >= 2
window wave "Wave" during T-8..T-7
test early "early, not done"
  given { as_of: 2026-11-22, application_date: 2027-09-15, n: 1 }
  expect deadline enough upcoming
  expect window wave upcoming
test done "done"
  given { as_of: 2026-11-22, application_date: 2027-09-15, n: 2 }
  expect deadline enough done
""", encoding="utf-8")
    (p,) = coverage_of(run_tests([path], coverage=True)).packs
    assert p.count("deadline") == (2, 4)
    assert p.count("window") == (1, 3)
    assert p.count("condition") == (2, 2)  # n >= 2 true and false
    assert [i.what for i in p.uncovered] == ["enough due", "enough overdue", "wave active", "wave past"]


FUZZ_PACK = """\
pack cap

enum Level { low, high }

record Letter {
  id: str
  strong: bool
}

profile {
  as_of: date
  application_date: date
  score: int?
  level: Level?
  letters: list[Letter]
}

invariant score_cap "Scores stay below 250"
  require score is missing or score < 250 or count(letters) > 1

rule high_score "High"
  when score > 240
  then remind "high"

test high "A high score"
  given { as_of: 2026-11-22, application_date: 2027-09-15, score: 245 }
  expect rule high_score
"""

SHRUNK = """\
fuzz {path}: 100 profiles, 1 invariant(s): invariant score_cap "Scores stay below 250" ({path}:18) does not hold
  minimal counterexample (a YAML profile):
    as_of: 2025-01-01
    application_date: 2025-01-01
    score: 250
    letters: []
  in a pack test:
    given {{ as_of: 2025-01-01, application_date: 2025-01-01, score: 250, letters: [] }}
1 passed, 0 failed
"""


@pytest.fixture
def capped(tmp_path):
    path = tmp_path / "cap.rules"
    path.write_text(FUZZ_PACK, encoding="utf-8")
    return path


def test_fuzz_finds_and_shrinks_a_planted_violation(capped, capsys):
    assert main(["test", str(capped), "--fuzz", "100"]) == 1
    assert capsys.readouterr().out == SHRUNK.format(path=capped)


def test_fuzz_seed_is_reproducible(capped, capsys):
    outputs = []
    for _ in range(2):
        assert main(["test", str(capped), "--fuzz", "100", "--seed", "2"]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "score: 250" in outputs[0]


def test_fuzz_passes_when_invariants_hold(capped, tmp_path, capsys):
    fixed = tmp_path / "ok.rules"
    fixed.write_text(FUZZ_PACK.replace("score < 250", "score < 1000"), encoding="utf-8")
    assert main(["test", str(fixed), "--fuzz", "30"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"fuzz {fixed}: 30 profiles, 1 invariant(s): ok"


def test_fuzz_reports_evaluation_errors_as_failures(tmp_path, capsys):
    # months_between of a far date is fine; division by zero is unknown, not an error:
    # a pack that cannot fail evaluation passes with no invariants at all
    path = tmp_path / "none.rules"
    path.write_text(FUZZ_PACK.split("invariant")[0] + 'rule r "R" when score / 0 > 1 then remind "x"\n',
                    encoding="utf-8")
    assert main(["test", str(path), "--fuzz", "20"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"fuzz {path}: 20 profiles, 0 invariant(s): ok"
