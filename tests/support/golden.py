"""Golden files: one rule for every test that compares output with a stored file.

``check_golden(path, actual)`` asserts that ``actual`` equals the file byte for byte (line
ends included). With ``IMGRULES_UPDATE_GOLDEN=1`` in the environment it writes ``actual``
to the file instead (creating its folder), so that an intended change is regenerated
with ``IMGRULES_UPDATE_GOLDEN=1 python -m pytest tests/...`` and reviewed as a diff.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = "IMGRULES_UPDATE_GOLDEN"


def updating() -> bool:
    """Whether this run rewrites golden files instead of comparing with them."""
    return os.environ.get(ENV) == "1"


def check_golden(path: Path, actual: str) -> None:
    """``actual`` must equal the golden file at ``path``; rewritten when updating."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.is_file(), f"no golden file {shown}: run with {ENV}=1 to create it"
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, (f"output differs from {shown}; if the change is intended, "
                                f"regenerate with {ENV}=1")
