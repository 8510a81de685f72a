"""The example profiles in examples/ validate against img.core and are the personas they claim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import imgrules
from imgrules._builtins import months_between
from imgrules._facts import load_profile

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "rules" / "img" / "core.rules"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PERSONAS = ["strong-first-timer", "home-country-gap", "reapplicant-weak-step2",
            "reapplicant-red-flag", "seven-years-out", "missing-facts",
            "reapplicant-thirteen-months-out", "unscored-one-month-out"]
US_KINDS = {"observership", "externship", "hands_on"}


@pytest.fixture(scope="module")
def schema():
    return imgrules.load(CORE).schema


@pytest.fixture(scope="module")
def profiles(schema):
    return {path.stem: load_profile(path, schema).data for path in EXAMPLES}


def test_every_persona_is_there():
    assert set(PERSONAS) <= {p.stem for p in EXAMPLES}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_validates(path, schema):
    data = load_profile(path, schema).data
    assert data["as_of"] == dt.date(2026, 11, 22)
    assert data["application_date"] > data["as_of"]
    assert 1 <= len(data["applicant"]["target_specialties"]) <= 2


def _usce(data):
    return [e for e in data["experiences"] if e["country"] == "US" and e["kind"] in US_KINDS]


def _latest_cycle(data):
    return max(data["prior_cycles"], key=lambda c: c["year"])


def test_strong_first_timer(profiles):
    data = profiles["strong-first-timer"]
    assert data["track"] == "first_time" and not data["prior_cycles"]
    assert data["exams"]["step2_ck"]["score"] >= 240 and len(_usce(data)) >= 3
    assert data["as_of"].year - data["applicant"]["graduation_year"] <= 2


def test_home_country_gap(profiles):
    data = profiles["home-country-gap"]
    assert data["track"] == "first_time"
    assert data["experiences"] and all(e["country"] != "US" for e in data["experiences"])
    assert months_between(data["applicant"]["clinically_active_until"], data["as_of"]) == 9


def test_reapplicant_weak_step2(profiles):
    data = profiles["reapplicant-weak-step2"]
    assert data["track"] == "reapplicant"
    assert data["exams"]["step2_ck"]["score"] < 225
    assert _latest_cycle(data)["interviews"] <= 2


def test_reapplicant_red_flag(profiles):
    data = profiles["reapplicant-red-flag"]
    assert data["track"] == "reapplicant"
    assert _latest_cycle(data)["interviews"] >= 8
    assert data["prior_cycles"][0]["interviews"] < 8  # the latest year decides, not the first entry


def test_seven_years_out(profiles):
    data = profiles["seven-years-out"]
    assert data["as_of"].year - data["applicant"]["graduation_year"] == 7
    assert len(data["applicant"]["target_specialties"]) == 2


def test_missing_facts(profiles):
    data = profiles["missing-facts"]
    assert "step1" not in data["exams"] and "score" not in data["exams"]["step2_ck"]
    assert data["letters"] == [] and "documents" not in data
    assert "clinically_active_until" not in data["applicant"]


def test_reapplicant_thirteen_months_out(profiles):
    data = profiles["reapplicant-thirteen-months-out"]
    assert data["track"] == "reapplicant" and not _latest_cycle(data)["matched"]
    assert months_between(data["as_of"], data["application_date"]) == 13
    assert "reapply" not in data and "targets" not in data and "step3" not in data["exams"]


def test_first_timer_one_month_out(profiles):
    data = profiles["unscored-one-month-out"]
    assert data["track"] == "first_time" and "exams" not in data
    assert months_between(data["as_of"], data["application_date"]) == 1
