"""Every checklist id is encoded by some rule of the shipped IMG packs, and only real ids are.

The ids come from tests/data/guidance-ids.txt (generated from the product's checklists;
its header says how). A `covers` clause naming an id that is not there is a typo or a
stale id; an id no `covers` names is guidance the packs do not yet encode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgrules import ast
from imgrules._syntax import parse

ROOT = Path(__file__).resolve().parent.parent
IDS_FILE = ROOT / "tests" / "data" / "guidance-ids.txt"
PACK_FILES = sorted((ROOT / "rules" / "img").glob("*.rules"))
RULE_LIKE = (ast.Rule, ast.Deadline, ast.Window, ast.Table, ast.Invariant)


def guidance_ids() -> set[str]:
    lines = IDS_FILE.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@pytest.fixture(scope="module")
def covered() -> dict[str, list[str]]:
    """Each covered id -> where it is covered ("file:line rule"); the packs are parsed once."""
    covered: dict[str, list[str]] = {}
    unparsed = []
    for path in PACK_FILES:
        pack, diagnostics = parse(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        if pack is None:
            unparsed.append(f"{path.name}: {diagnostics[0].message if diagnostics else 'does not parse'}")
            continue
        for decl in pack.declarations:
            if isinstance(decl, RULE_LIKE):
                for ident in decl.meta.covers:
                    covered.setdefault(ident.text, []).append(
                        f"{ident.span.path}:{ident.span.line} {decl.name.text}")
    if unparsed:
        pytest.fail("packs that do not parse:\n" + "\n".join(unparsed))
    return covered


def test_ids_file_is_sorted_and_unique():
    ids = [line for line in IDS_FILE.read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("#")]
    assert ids == sorted(set(ids))
    assert len(ids) == 346  # 153 first-application + 193 reapplication items
    assert all(i.startswith(("FA-", "RA-")) for i in ids)


def test_core_pack_covers_every_tier_row(covered):
    tier_rows = {i for i in guidance_ids() if "-tier-" in i and i.startswith("RA-12-") or
                 i.startswith("RA-12-dx-")}
    assert len(tier_rows) == 18  # 5 components x 3 levels + 3 diagnoses
    in_core = {i for i, where in covered.items() if any("core.rules:" in w for w in where)}
    assert tier_rows <= in_core


def test_every_covers_id_is_a_checklist_id(covered):
    unknown = {i: where for i, where in covered.items() if i not in guidance_ids()}
    assert not unknown, "covers ids that are in no checklist:\n" + "\n".join(
        f"{i} ({', '.join(where)})" for i, where in sorted(unknown.items()))


def test_every_checklist_id_is_covered(covered):
    missing = sorted(guidance_ids() - set(covered))
    assert not missing, f"{len(missing)} checklist ids no rule covers:\n" + "\n".join(missing)
