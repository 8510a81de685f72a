"""Every diagnostic code the checker and loader can give is documented in docs/diagnostics.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_code_is_documented():
    used = set()
    for path in [*(ROOT / "src" / "imgrules" / "_check").glob("*.py"), ROOT / "src" / "imgrules" / "_loader.py",
                 ROOT / "src" / "imgrules" / "_bounds.py"]:
        used |= set(re.findall(r'"([EW]\d{3})"', path.read_text()))
    documented = set(re.findall(r"^\| ([EW]\d{3}) \|", (ROOT / "docs" / "diagnostics.md").read_text(), re.M))
    assert used and used <= documented, sorted(used - documented)
