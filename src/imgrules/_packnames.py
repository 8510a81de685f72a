"""Pack names and where they are found: ``img.core`` -> ``<root>/img/core.rules``.

A module of its own, below the loader: the compiled-pack cache resolves a pack name on
every lookup, and a cache hit must not import the parser or the AST classes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

_PACK_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def is_pack_name(text: str) -> bool:
    """Whether ``text`` is a dotted pack name (``img.core``): identifiers only, no escapes."""
    return bool(_PACK_NAME.match(text))


def _display(path: Path) -> str:
    """A path as people read it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def pack_name_of(pack) -> str:
    """The pack's declared name, or the file's stem when it has no header."""
    if pack.header is not None:
        return pack.header.name.text
    return Path(pack.path).stem


def find_pack(roots: Iterable[Path], name: str) -> tuple[Path, str] | None:
    """The first of ``roots`` holding pack ``name`` (``img.core`` -> ``<root>/img/core.rules``),
    as (resolved path, displayed path); a symlink leading out of its root is never followed."""
    parts = name.split(".")
    for root in roots:
        candidate = Path(root).joinpath(*parts[:-1], parts[-1] + ".rules")
        if not candidate.is_file():
            continue
        resolved = candidate.resolve()
        try:
            resolved.relative_to(Path(root).resolve())
        except ValueError:
            continue  # a symlink leading out of the root: never followed
        if not resolved.is_file():
            continue
        return resolved, _display(candidate)
    return None
