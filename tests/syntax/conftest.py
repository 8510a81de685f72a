"""Long property runs (``@pytest.mark.slow``) run only when asked for: ``pytest -m slow``."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow")
    for item in items:
        if "slow" in item.keywords and str(item.fspath).startswith(HERE):
            item.add_marker(skip)
