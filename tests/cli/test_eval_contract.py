"""Profiles the contract forbids are refused by `imgrules eval` on the shipped packs, each
problem with its `$.path`, exit 1 and no traceback (the bounds img.core declares)."""

from __future__ import annotations

import json

import pytest
import yaml

from imgrules.testing import profiles

from .helpers import FIRST_TIMER, REAPPLICANT, ROOT, run, write


@pytest.mark.parametrize("base, old, new, expected", [
    (REAPPLICANT, "interviews: 1", "interviews: -5", "$.prior_cycles[0].interviews: -5 is below the minimum 0"),
    (FIRST_TIMER, "target_specialties: [internal_medicine]",
     "target_specialties: [internal_medicine, neurology, psychiatry]",
     "$.applicant.target_specialties: 3 items, more than the maximum 2. Narrow to 2 specialties at most"),
    (FIRST_TIMER, "country: US", "country: USA",
     "$.experiences[0].country: 'USA' does not have the required form. "
     "Write the country as its two-letter ISO 3166 code, such as US."),
    (FIRST_TIMER, "end: 2026-02-01", "end: 2025-12-01",
     "$.experiences[0].end: 2025-12-01 is before start (2026-01-05)"),
    (FIRST_TIMER, "score: 245", "score: 301", "$.exams.step2_ck.score: 301 is above the maximum 300"),
    (FIRST_TIMER, "graduation_year: 2022", "graduation_year: 1850",
     "$.applicant.graduation_year: 1850 is below the minimum 1950"),
    (FIRST_TIMER, "as_of: 2026-11-22", "as_of: 0001-01-01", "$.as_of: 0001-01-01 is below the minimum 1950-01-01"),
    (FIRST_TIMER, "application_date: 2027-09-15", "application_date: 9999-12-31",
     "$.application_date: 9999-12-31 is above the maximum 2100-12-31"),
])
def test_a_contract_violation_is_refused_with_its_path(tmp_path, capsys, base, old, new, expected):
    assert old in base
    path = write(tmp_path, "p.yaml", base.replace(old, new))
    code, out, err = run(capsys, "eval", path)
    assert code == 1 and out == ""
    assert expected in err
    assert "Traceback" not in err


def test_the_same_profiles_within_bounds_evaluate(tmp_path, capsys):
    for text in (FIRST_TIMER, REAPPLICANT):
        code, _, err = run(capsys, "eval", write(tmp_path, "p.yaml", text))
        assert code == 0, err


def test_generated_profiles_keep_the_shipped_bounds():
    """The fuzzer's profiles are valid: it draws within every declared range and size."""
    from hypothesis import HealthCheck, given, settings

    from imgrules._check import check_pack
    from imgrules._facts import validate_profile
    from imgrules._loader import load_packs

    schema = check_pack(load_packs(ROOT / "rules" / "img" / "reapplication.rules")).schema
    seen = {"prior_cycles": 0, "country": 0}

    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(profiles(schema))
    def check(profile):
        validate_profile(profile, schema)  # raises ProfileError on any violation
        seen["prior_cycles"] += bool(profile.get("prior_cycles"))
        seen["country"] += any("country" in e for e in profile.get("experiences", []))

    check()
    assert all(seen.values()), seen  # the bounded fields were really drawn


def test_a_refused_profile_is_refused_in_yaml_and_json_alike(tmp_path, capsys):
    data = yaml.safe_load(REAPPLICANT.replace("interviews: 1", "interviews: -5"))
    path = write(tmp_path, "p.json", json.dumps(data, default=str))
    code, _, err = run(capsys, "eval", path)
    assert code == 1 and "$.prior_cycles[0].interviews: -5 is below the minimum 0" in err
