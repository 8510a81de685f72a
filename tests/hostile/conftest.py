"""Fixtures for the hostile-input tests: no compiled-pack cache, stable paths."""

from __future__ import annotations

import pytest

from .helpers import CORPUS


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    """Never read or write the user's compiled-pack cache."""
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def in_corpus(monkeypatch):
    """Run from the corpus folder so that paths in messages are short and stable."""
    monkeypatch.chdir(CORPUS)
    return CORPUS
