"""Suite-wide settings.

Long runs (``@pytest.mark.slow``: big Hypothesis budgets, full mutation sweeps) are
skipped unless asked for with ``pytest -m slow`` or ``IMGRULES_SLOW=1``; the default
suite stays fast enough for every commit.

The suite never reads or writes the user's own caches: before anything is collected, the
cache directory (compiled packs, parser tables) and the data directory (the cache's
secret key) point into a temporary folder of this run, for this process and every
command it starts (:func:`isolated_user_dirs`). Tests that need a cache of their own set
``IMGRULES_CACHE_DIR`` / ``IMGRULES_DATA_DIR`` with ``monkeypatch``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# the variables imgrules reads to find the user's cache and data directories
USER_DIR_VARIABLES = {"IMGRULES_CACHE_DIR": "cache", "IMGRULES_DATA_DIR": "data",
                      "XDG_CACHE_HOME": "xdg-cache", "XDG_DATA_HOME": "xdg-data"}
_saved: dict[str, str | None] = {}
_session_root: list[Path] = []


def pytest_configure(config):
    """Point every user directory imgrules uses at a fresh temp folder (set here, not in
    a fixture, so that modules loading packs while they are collected are covered too)."""
    root = Path(tempfile.mkdtemp(prefix="imgrules-tests-"))
    _session_root.append(root)
    for name, sub in USER_DIR_VARIABLES.items():
        _saved[name] = os.environ.get(name)
        os.environ[name] = str(root / sub)


def pytest_unconfigure(config):
    for name, value in _saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for root in _session_root:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def isolated_user_dirs() -> dict[str, Path]:
    """The session's private cache and data directories (by variable name); fails the run
    if anything pointed them back at the user's own."""
    dirs = {name: Path(os.environ[name]) for name in USER_DIR_VARIABLES}
    for name, path in dirs.items():
        assert _session_root and _session_root[0] in path.parents, f"{name} is not isolated: {path}"
    return dirs


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
