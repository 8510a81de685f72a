"""Compile pack text written by a test (through a temporary file, as a user's pack is)."""

from __future__ import annotations

import os
import tempfile

import imgrules
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
