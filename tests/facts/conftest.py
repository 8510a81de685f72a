"""A small schema for the profile tests, built from pack text the way users write it."""

from __future__ import annotations

import pytest

import imgrules

SMALL_PACK = """
pack test.small
enum LetterStatus { planned, requested, received, uploaded }
record Letter { id: str, status: LetterStatus, weeks_known: int?, share: float? }
record Step2 { score: int?, attempts: int? }
record Exams { step2_ck: Step2? }
record Applicant { id: str, graduation_year: int, visa_required: bool?, since: date? }
profile {
  as_of: date
  application_date: date
  applicant: Applicant
  exams: Exams?
  letters: list[Letter]
  tags: list[str]?
}
"""


@pytest.fixture(scope="session")
def small_schema():
    # the schema the checker builds, which is the one a loaded pack validates profiles against
    return imgrules.loads(SMALL_PACK, name="small.rules", use_cache=False).schema


@pytest.fixture
def base_data():
    """A valid profile for the small schema; tests change one thing in it."""
    return {
        "as_of": "2026-11-22",
        "application_date": "2027-09-15",
        "applicant": {"id": "A-1", "graduation_year": 2019},
        "letters": [{"id": "l1", "status": "received"}],
    }
