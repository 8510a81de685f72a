"""Result dicts shaped like ``Results.to_json()`` (the output contract), for renderer tests.

They are built by hand so that the renderers are tested apart from the engine; the CLI
tests and goldens cover the real thing.
"""

from __future__ import annotations

import copy

import pytest

EVIL = "<script>alert(1)</script>"


def _prov(line, matched=(), rests_on=(), bindings=None):
    return {"rule": "r", "pack": "img.first_application",
            "file": "rules/img/first_application.rules", "line": line,
            "matched": ["$.as_of", *matched], "rests_on": list(rests_on),
            "bindings": dict(bindings or {}), "cite": []}


# the profile the result was computed from (only what the findings point at)
PROFILE = {
    "as_of": "2026-11-22",
    "applicant": {"specialty_locked": False},
    "experiences": [],
    "exams": {"step2_ck": {"score": 232}},
    "letters": [{"id": "lor-1", "writer": EVIL, "strength": "generic"}],
}


def make_result() -> dict:
    tier = lambda comp, level: {"type": "tier", "component": comp, "level": level,
                                "provenance": _prov(10)}
    return {
        "as_of": "2026-11-22",
        "application_date": "2027-09-15",
        "months_to_go": 9,
        "packs": [{"name": "img.first_application", "version": "1.0.0"},
                  {"name": "img.core", "version": "1.0.0"}],
        "derived": [
            {"type": "phase", "months_to_go": 9, "provenance": _prov(480)},
            tier("yog", "borderline"), tier("step2_ck", "competitive"),
            tier("usce", "concerning"), tier("lors", "borderline"),
            {"type": "diagnosis", "code": "structural", "provenance": _prov(570)},
        ],
        "findings": [
            {"kind": "milestone", "rule": "lock_specialty", "message": "Lock your specialty",
             "status": "overdue", "due_date": "2026-09-15",
             "cite": "Month 12: Commit and Clarify",
             "provenance": _prov(40, matched=["$.applicant.specialty_locked"])},
            {"kind": "milestone", "rule": "book_rotations", "message": "Book your US rotations",
             "status": "due", "due_date": "2026-12-15", "cite": "Month 9",
             "provenance": _prov(55, matched=["$.experiences"])},
            {"kind": "flag", "rule": "stale_observership", "severity": "high",
             "message": "One observership from years ago isn't a US narrative",
             "cite": "Big Picture", "provenance": _prov(70, rests_on=[
                 {"type": "tier", "component": "usce", "level": "concerning"}])},
            {"kind": "flag", "rule": "weak_letter", "severity": "medium",
             "message": f"Letter from {EVIL} is generic",
             "cite": ["Month 5 | Letters"], "provenance": _prov(
                 80, matched=["$.letters[0].strength"], bindings={"l": "$.letters[0]"})},
            {"kind": "milestone", "rule": "request_lors", "message": "Request your letters",
             "status": "upcoming", "due_date": "2027-04-15", "cite": "Month 5",
             "provenance": _prov(90)},
            {"kind": "milestone", "rule": "draft_ps", "message": "Draft the personal statement",
             "status": "upcoming", "due_date": "2027-02-15", "cite": "Month 7",
             "provenance": _prov(95)},
            {"kind": "window", "rule": "first_wave", "message": "Act like a sub-intern",
             "status": "upcoming", "cite": "Month 8-7", "provenance": _prov(100)},
            {"kind": "window", "rule": "recon", "message": "Recon programs",
             "status": "active", "cite": "Month 9", "provenance": _prov(105)},
            {"kind": "window", "rule": "old_window", "message": "Old window",
             "status": "past", "cite": "Month 12", "provenance": _prov(106)},
            {"kind": "reminder", "rule": "month9_reminder",
             "message": "Email three program coordinators this month", "cite": "Month 9",
             "provenance": _prov(110)},
            {"kind": "recommendation", "rule": "step3_if_weak",
             "message": "Schedule Step 3 *between* T-7 and T-5 | `soon`",
             "cite": "Month 10: Exam planning",
             "provenance": _prov(120, matched=["$.exams.step2_ck.score"])},
            {"kind": "needs_info", "rule": "step1_needs_info",
             "message": "Add your Step 1 result", "cite": "Autopsy the last cycle",
             "missing": ["$.exams.step1"], "provenance": _prov(130, matched=["$.exams.step1"])},
            {"kind": "milestone", "rule": "audit_profile", "message": "Audit your profile",
             "status": "done", "due_date": "2026-10-15", "cite": "Month 12",
             "provenance": _prov(140)},
        ],
    }


@pytest.fixture
def result() -> dict:
    return make_result()


@pytest.fixture
def profile() -> dict:
    return copy.deepcopy(PROFILE)


@pytest.fixture
def empty_result() -> dict:
    r = make_result()
    r["findings"] = []
    r["derived"] = []
    return copy.deepcopy(r)
