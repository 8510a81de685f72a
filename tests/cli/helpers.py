"""Shared by the eval/plan CLI tests: running the CLI, sample profiles, golden files."""

from __future__ import annotations

import os
from pathlib import Path

from imgrules._cli import main
from support.golden import check_golden as compare

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden"
# the day the goldens are computed for when an example gives no as_of of its own
GOLDEN_AS_OF = "2026-11-22"

FIRST_TIMER = """\
as_of: 2026-11-22
application_date: 2027-09-15
track: first_time
applicant:
  id: T-1
  graduation_year: 2022
  target_specialties: [internal_medicine]
  specialty_locked: true
  visa_required: true
exams:
  step1: {result: pass, attempts: 1}
  step2_ck: {score: 245, attempts: 1}
experiences:
  - id: obs-1
    kind: observership
    country: US
    specialty: internal_medicine
    setting: inpatient
    start: 2026-01-05
    end: 2026-02-01
letters:
  - id: lor-1
    writer: "<script>alert(1)</script>"
    specialty: internal_medicine
    us_based: true
    weeks_known: 4
    strength: strong
    status: received
"""

REAPPLICANT = FIRST_TIMER.replace("track: first_time", "track: reapplicant") + """\
prior_cycles:
  - year: 2026
    specialties: [internal_medicine]
    programs_applied: 60
    interviews: 1
    matched: false
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def example_as_of(path: Path) -> str:
    """The example's own as_of (its persona is set at that day), else GOLDEN_AS_OF."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    value = data.get("as_of") if isinstance(data, dict) else None
    return str(value) if value else GOLDEN_AS_OF


def check_golden(kind: str, example: Path, output: str) -> None:
    """Compare with tests/golden/<kind>/<name>.json; IMGRULES_UPDATE_GOLDEN=1 rewrites it."""
    compare(GOLDEN / kind / f"{example.stem}.json", output.replace(str(ROOT) + os.sep, ""))
