"""Where the grammar and the shipped packs live, installed or in a checkout.

In a wheel they sit in ``imgrules/_data/``; in a source checkout (editable install or
``PYTHONPATH=src``) they are read from the repository's ``grammar/`` and ``rules/``.
"""

from __future__ import annotations

from pathlib import Path


def _data_dir(name: str) -> Path:
    # the package's own folder, as importlib.resources.files("imgrules") gives it for a
    # package on disk, without importing importlib.resources (and zipfile, tempfile...)
    # on every start-up of the command line
    packaged = Path(__file__).parent / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"imgrules is missing its {name}/ data; reinstall the package")


def grammar_path() -> Path:
    return _data_dir("grammar") / "imgrules.lark"


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def rules_dir() -> Path:
    """The root of the shipped packs (``rules/``)."""
    return _data_dir("rules")
