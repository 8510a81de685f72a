"""What ``imgrules batch INPUT...`` reads: folders, globs, profile files and JSON Lines.

:func:`plan_inputs` checks every INPUT before anything runs (a missing file or a glob
matching nothing is a usage error, exit 2) and returns :class:`Inputs`, whose
:meth:`~Inputs.items` streams profile items lazily: file paths (read by the workers) and,
for JSON Lines, one :class:`ProfileText` per non-blank line, tagged ``file:line``.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import attrs

from .._errors import Error
from .model import ProfileText

PROFILE_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
JSONL_SUFFIX = ".jsonl"
STDIN = "-"


class InputError(Error):
    """An INPUT that cannot be used (a usage error)."""


@attrs.frozen
class Source:
    """One thing to read: a profile file, a JSON Lines file, or stdin (``-``)."""

    path: str
    kind: str  # profile | jsonl | stdin


@attrs.frozen
class Inputs:
    sources: tuple[Source, ...]

    def items(self, stdin: BinaryIO | None = None) -> Iterator[object]:
        """Profile items in input order, read lazily."""
        for source in self.sources:
            if source.kind == "profile":
                yield source.path
            elif source.kind == "jsonl":
                with open(source.path, "rb") as handle:
                    yield from _lines(handle, source.path)
            else:
                yield from _lines(stdin if stdin is not None else sys.stdin.buffer, "<stdin>")

    def count(self) -> int | None:
        """How many items there will be (for a progress bar); None when reading stdin."""
        total = 0
        for source in self.sources:
            if source.kind == "stdin":
                return None
            if source.kind == "profile":
                total += 1
                continue
            try:
                with open(source.path, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                return None
        return total


def _lines(handle: BinaryIO, name: str) -> Iterator[ProfileText]:
    for number, line in enumerate(handle, 1):
        if line.strip():
            yield ProfileText(f"{name}:{number}", line, "json")


def _classify(path: Path) -> Source | None:
    if path.suffix.lower() == JSONL_SUFFIX:
        return Source(str(path), "jsonl")
    return Source(str(path), "profile")


def plan_inputs(inputs: tuple[str, ...] | list[str]) -> Inputs:
    """Check INPUTs and list what each stands for, in order. Raises InputError."""
    sources: list[Source] = []
    if list(inputs).count(STDIN) > 1:
        raise InputError("'-' (standard input) can be given only once")
    for text in inputs:
        if text == STDIN:
            sources.append(Source(STDIN, "stdin"))
            continue
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in PROFILE_SUFFIXES)
            if not found:
                raise InputError(f"{text}: no profiles in this folder "
                                 f"(looked for {', '.join('*' + s for s in PROFILE_SUFFIXES)})")
            sources.extend(Source(str(p), "profile") for p in found)
        elif path.is_file():
            sources.append(_classify(path))
        elif path.exists():
            raise InputError(f"{text}: not a regular file")
        elif glob.has_magic(text):
            matches = [Path(m) for m in sorted(glob.glob(text, recursive=True))]
            files = [m for m in matches if m.is_file() and (
                m.suffix.lower() in PROFILE_SUFFIXES or m.suffix.lower() == JSONL_SUFFIX)]
            if not files:
                raise InputError(f"{text}: the pattern matches no profile files")
            sources.extend(_classify(m) for m in files)
        else:
            raise InputError(f"{text}: no such file or folder")
    return Inputs(tuple(sources))
