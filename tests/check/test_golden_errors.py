"""Golden files: ``tests/golden/errors/NAME.rules`` -> ``NAME.errors``, the exact output of check.

Regenerate after an intended change with ``IMGRULES_UPDATE_GOLDEN=1 pytest tests/check``
and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgrules._cli import main
from support.golden import check_golden

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "errors"
CASES = sorted(p.stem for p in GOLDEN.glob("*.rules"))


def render(name: str, capsys) -> tuple[int, str]:
    code = main(["check", f"tests/golden/errors/{name}.rules"])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_golden_set_covers_the_required_cases():
    assert {"unknown_field", "wrong_enum_value", "date_vs_int", "negation_cycle", "table_gaps", "unsat",
            "duplicate_rule", "unknown_import", "import_cycle"} <= set(CASES)


@pytest.mark.parametrize("name", CASES)
def test_golden(name, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")
    code, text = render(name, capsys)
    check_golden(GOLDEN / f"{name}.errors", text)
    assert code == 1  # every golden case has at least one error
