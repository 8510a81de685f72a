"""Shared helpers for the checker tests: check text written inline in a test."""

from __future__ import annotations

from pathlib import Path

from imgrules._check import check_pack
from imgrules._loader import load_packs

PACKS = Path(__file__).parent / "packs"


def check_text(tmp_path: Path, text: str, name: str = "t"):
    """Write ``text`` as ``<tmp>/<name>.rules`` and check it (cwd-independent paths)."""
    path = tmp_path / f"{name}.rules"
    path.write_text(text, encoding="utf-8")
    return check_pack(load_packs(path))


UNUSED = {"W504", "W505", "W506"}  # the unused pass: tested on its own, noise elsewhere


def diags(checked, unused: bool = False):
    return [d for d in checked.diagnostics if unused or d.code not in UNUSED]


def codes(checked, unused: bool = False) -> list[str]:
    return [d.code for d in diags(checked, unused)]


def messages(checked, unused: bool = False) -> list[str]:
    return [d.message for d in diags(checked, unused)]


PRELUDE = """
pack t
enum Level { competitive, borderline, concerning }
enum Component { step1, step2_ck, yog, usce }
enum Status { planned, requested, received }
record Letter { id: str  writer: str?  us_based: bool  status: Status  weeks_known: int?  requested_on: date? }
record Step2 { score: int?  attempts: int }
record Exams { step2_ck: Step2? }
profile { as_of: date  application_date: date  graduation_year: int  letters: list[Letter]  exams: Exams  gpa: float? }
fact tier { component: Component  level: Level }
"""
