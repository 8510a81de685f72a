"""Result dicts shaped like ``Results.to_json()`` (the output contract), for renderer tests.

They are built by hand so that the renderers are tested apart from the engine; the CLI
tests and goldens cover the real thing.
"""

from __future__ import annotations

import copy

import pytest

EVIL = "<script>alert(1)</script>"


def _prov(line, facts=None, derived=None, bindings=None, missing=None):
    prov = {"pack": "img.first_application", "file": "rules/img/first_application.rules",
            "line": line}
    if facts is not None:
        prov["facts"] = facts
    if derived is not None:
        prov["derived"] = derived
    if bindings is not None:
        prov["bindings"] = bindings
    if missing is not None:
        prov["missing"] = missing
    return prov


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
             "provenance": _prov(40, facts=[{"path": "$.applicant.specialty_locked",
                                             "value": False}])},
            {"kind": "milestone", "rule": "book_rotations", "message": "Book your US rotations",
             "status": "due", "due_date": "2026-12-15", "cite": "Month 9",
             "provenance": _prov(55, facts={"$.experiences": []})},
            {"kind": "flag", "rule": "stale_observership", "severity": "high",
             "message": "One observership from years ago isn't a US narrative",
             "cite": "Big Picture", "provenance": _prov(70, derived=[
                 {"type": "tier", "component": "usce", "level": "concerning"}])},
            {"kind": "flag", "rule": "weak_letter", "severity": "medium",
             "message": f"Letter from {EVIL} is generic",
             "cite": "Month 5 | Letters", "provenance": _prov(
                 80, facts=[{"path": "$.letters[0].writer", "value": EVIL}],
                 bindings={"l": "lor-1"})},
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
             "provenance": _prov(120, facts=[{"path": "$.exams.step2_ck.score", "value": 232}])},
            {"kind": "needs_info", "rule": "step1_needs_info",
             "message": "Add your Step 1 result", "cite": "Autopsy the last cycle",
             "provenance": _prov(130, missing=["$.exams.step1"])},
            {"kind": "milestone", "rule": "audit_profile", "message": "Audit your profile",
             "status": "done", "due_date": "2026-10-15", "cite": "Month 12",
             "provenance": _prov(140)},
        ],
    }


@pytest.fixture
def result() -> dict:
    return make_result()


@pytest.fixture
def empty_result() -> dict:
    r = make_result()
    r["findings"] = []
    r["derived"] = []
    return copy.deepcopy(r)
