"""Golden files: NAME.rules -> NAME.rules.formatted (formatter) and NAME.ast (parser).

Set IMGRULES_UPDATE_GOLDEN=1 to (re)write the expected files from the current output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgrules._syntax import dump_ast, format_text, parse
from support.golden import check_golden

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FORMAT_CASES = sorted((GOLDEN / "format").glob("*.rules"))
AST_CASES = sorted((GOLDEN / "ast").glob("*.rules"))


def test_there_are_golden_cases():
    assert len(FORMAT_CASES) >= 3 and len(AST_CASES) >= 3


@pytest.mark.parametrize("case", FORMAT_CASES, ids=lambda p: p.stem)
def test_format_golden(case: Path):
    text = case.read_text(encoding="utf-8")
    formatted = format_text(text, case.name)
    check_golden(case.with_name(case.name + ".formatted"), formatted)
    # The golden output is itself formatted, means the same, and keeps every comment.
    assert format_text(formatted, case.name) == formatted
    before, after = parse(text, case.name)[0], parse(formatted, case.name)[0]
    assert after == before
    assert sorted(c.text for c in after.comments) == sorted(c.text for c in before.comments)


@pytest.mark.parametrize("case", AST_CASES, ids=lambda p: p.stem)
def test_ast_golden(case: Path):
    pack, diagnostics = parse(case.read_text(encoding="utf-8"), case.name)
    assert diagnostics == []
    check_golden(case.with_suffix(".ast"), dump_ast(pack))
