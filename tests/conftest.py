"""Suite-wide settings.

Long runs (``@pytest.mark.slow``: big Hypothesis budgets, full mutation sweeps) are
skipped unless asked for with ``pytest -m slow`` or ``IMGRULES_SLOW=1``; the default
suite stays fast enough for every commit.
"""

from __future__ import annotations

import os

import pytest


def slow_enabled(config) -> bool:
    return bool(os.environ.get("IMGRULES_SLOW")) or "slow" in (config.getoption("-m") or "")


def pytest_collection_modifyitems(config, items):
    if slow_enabled(config):
        return
    skip = pytest.mark.skip(reason="slow: run with -m slow or IMGRULES_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _colour_from_the_options_only(monkeypatch):
    """FORCE_COLOR in the caller's environment would colour every captured output; the
    colour policy's own tests set it when they mean it."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
