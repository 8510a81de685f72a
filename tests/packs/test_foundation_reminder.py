"""The Quick Visual's foundation reminder (FA-12-qv-foundation) names only what is open.

In the foundation months (T-12 to T-11) the reminder lists the parts of the foundation not
yet done: a locked specialty, the gaps written down, 10-15 programs researched. A part that
is done, or that the profile does not record, is not named (it is not known to be open).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import imgrules

ROOT = Path(__file__).resolve().parents[2]
RULE = "fa_qv_foundation_open"
LOCK = "Lock your specialty."
GAPS = "Write your gaps down."
PROGRAMS = "Research 10-15 programs"


@pytest.fixture(scope="module")
def pack():
    return imgrules.load(ROOT / "rules" / "img" / "first_application.rules")


def _profile(locked, gaps_written, programs: int) -> dict:
    """strong-first-timer at T-11 with the three parts of the foundation set as asked
    (None leaves the fact out)."""
    profile = yaml.safe_load((ROOT / "examples" / "strong-first-timer.yaml").read_text(encoding="utf-8"))
    profile["as_of"] = dt.date(2026, 10, 1)
    profile["applicant"].pop("specialty_locked", None)
    if locked is not None:
        profile["applicant"]["specialty_locked"] = locked
    documents = profile.setdefault("documents", {})
    documents.pop("gap_list", None)
    if gaps_written is not None:
        documents["gap_list"] = gaps_written
    template = profile["programs"][0]
    profile["programs"] = [dict(template, name=f"Program {i}") for i in range(programs)]
    return profile


def _reminder(pack, profile) -> str | None:
    out = imgrules.evaluate(pack, profile).to_json()
    assert out["months_to_go"] == 11
    found = [f["message"] for f in out["findings"] if f["rule"] == RULE]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("locked, gaps_written, programs, named", [
    (False, False, 2, [LOCK, GAPS, PROGRAMS]),
    (True, False, 12, [GAPS]),
    (True, True, 3, [PROGRAMS]),
    (False, True, 12, [LOCK]),
    (None, False, 12, [GAPS]),  # specialty not recorded: not named, the gaps are
    (True, None, 2, [PROGRAMS]),  # gap list not recorded: not named
])
def test_names_only_the_open_parts(pack, locked, gaps_written, programs, named):
    message = _reminder(pack, _profile(locked, gaps_written, programs))
    assert message is not None and message.startswith("The foundation months are not finished.")
    for part in (LOCK, GAPS, PROGRAMS):
        assert (part in message) == (part in named), message
    assert "  " not in message and not message.endswith(" ")


def test_silent_when_the_foundation_is_done(pack):
    assert _reminder(pack, _profile(True, True, 12)) is None


def test_asks_when_nothing_open_is_known(pack):
    """Programs researched, the rest not recorded: nothing is known to be open."""
    profile = _profile(None, None, 12)
    out = imgrules.evaluate(pack, profile).to_json()
    assert RULE not in {f["rule"] for f in out["findings"]}
    assert RULE in {u["rule"] for u in out["undecided"]}
