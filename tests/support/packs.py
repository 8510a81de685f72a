"""Compile pack text written by a test (through a temporary file, as a user's pack is)."""

from __future__ import annotations

import contextlib
import os
import tempfile

import imgrules
import imgrules._compile
from imgrules._check import check_pack
from imgrules._loader import load_packs


def compile_text(text: str, prefix: str = "t_"):
    """(checked pack, compiled pack) of ``text``, or None when it does not check."""
    fd, path = tempfile.mkstemp(suffix=".rules", prefix=prefix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        checked = check_pack(load_packs(path))
        if not checked.ok:
            return None
        return checked, imgrules.load(path, use_cache=False)
    finally:
        os.unlink(path)


@contextlib.contextmanager
def gates_indexed():
    """Packs compiled meanwhile index their gates however few rules have them (a small
    pack is otherwise not indexed: ``imgrules._compile.MIN_GATED_RULES``), so that tests
    with small packs exercise the gate index too."""
    was = imgrules._compile.MIN_GATED_RULES
    imgrules._compile.MIN_GATED_RULES = 0
    try:
        yield
    finally:
        imgrules._compile.MIN_GATED_RULES = was
