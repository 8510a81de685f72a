"""Synthetic cohorts for the batch tests and benchmark: the example profiles varied.

Each applicant is an example profile (cycling through ``examples/*.yaml``) with its own
id, Step 2 CK score, graduation year and evaluation day, so a cohort covers many tiers,
phases and overdue deadlines. Deterministic: the same ``n`` gives the same cohort.
Self-contained (no test imports) so that ``benchmarks/batch.py`` can load it too.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def base_profiles() -> list[dict]:
    """The example profiles as plain data (dates as ``datetime.date``)."""
    from imgrules._facts import load_profile_file

    return [load_profile_file(path).data for path in EXAMPLES]


def vary(profile: dict, i: int) -> dict:
    """Applicant ``i``: a copy of ``profile`` with a new id, score, YOG and day."""
    data = copy.deepcopy(profile)
    data.setdefault("applicant", {})["id"] = f"C-{i:05d}"
    data["applicant"]["graduation_year"] = 2015 + (i * 7) % 10
    step2 = (data.get("exams") or {}).get("step2_ck")
    if isinstance(step2, dict) and "score" in step2:
        step2["score"] = 210 + (i * 37) % 45
    as_of = data.get("as_of")
    if isinstance(as_of, dt.date):
        data["as_of"] = as_of + dt.timedelta(days=(i * 53) % 300 - 150)
    return data


def cohort(n: int, bases: list[dict] | None = None) -> Iterator[dict]:
    """``n`` varied profiles, lazily."""
    bases = bases or base_profiles()
    for i in range(n):
        yield vary(bases[i % len(bases)], i)


def to_line(profile: dict) -> str:
    """One JSON Lines line (dates as ISO text)."""
    return json.dumps(profile, default=lambda v: v.isoformat()) + "\n"


def write_jsonl(path: Path, profiles) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for profile in profiles:
            handle.write(to_line(profile))
    return path
