"""Fuzzing: generated and mutated packs and profiles never crash any stage.

Grammar-based programs (``strategies.programs``) and random byte flips, insertions and
deletions of the shipped ``core.rules`` and the example profiles go through the parser,
checker, formatter and profile loader; each must answer with diagnostics / ``$.path``
issues or a result, never an exception. Every token of core.rules deleted in turn: a
sample of ~300 by default, all of them with ``IMGRULES_SLOW=1`` (see docs/hardening.md
for longer runs). A crash found here becomes a case in ``corpus/``.
"""

from __future__ import annotations

import os
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgrules._check import check_pack
from imgrules._facts.errors import ProfileError
from imgrules._facts.reader import load_profile_text
from imgrules._loader import PackSet
from imgrules._source import Source
from imgrules._syntax import format_text, parse
from imgrules._syntax.guard import strip_bom

from .helpers import CORE, ROOT

SLOW = bool(os.environ.get("IMGRULES_SLOW"))
FAST = settings(max_examples=400 if SLOW else 25, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
CORE_TEXT = CORE.read_text()
PROFILES = sorted((ROOT / "examples").glob("*.yaml"))


def _check_all_stages(text: str, path: str = "fuzz.rules") -> None:
    """Parse; when it parses, check and format (and the formatted text parses again)."""
    pack, diags = parse(text, path)
    for diag in diags:
        assert diag.span.path == path and diag.span.line >= 1 and diag.span.column >= 1
    if pack is None:
        assert diags
        return
    checked = check_pack(PackSet((pack,), {path: Source(path, strip_bom(text))}, (), path))
    for diag in checked.diagnostics:
        assert diag.span.line >= 0
    again, problems = parse(format_text(text, path), path)
    assert again == pack and problems == []


# ------------------------------------------------------------------ grammar-based

@FAST
@given(st.data())
def test_generated_programs_never_crash(data):
    from strategies import programs

    _check_all_stages(data.draw(programs()))


# ------------------------------------------------------------------ mutation-based

def _mutate(data: bytes, rnd: random.Random, count: int) -> bytes:
    buf = bytearray(data)
    for _ in range(count):
        at = rnd.randrange(len(buf) + 1)
        kind = rnd.randrange(3)
        if kind == 0 and at < len(buf):
            buf[at] ^= 1 << rnd.randrange(8)
        elif kind == 1:
            buf[at:at] = bytes([rnd.choice(b'{}()[]"#-\n\t\x00\xff\xc3not and.0T')])
        elif at < len(buf):
            del buf[at:at + rnd.randrange(1, 40)]
    return bytes(buf)


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # the loader refuses it before parsing (see the corpus)


# slices of the pack keep each example fast; the header makes every slice a pack
_WINDOWS = [m.start() for m in re.finditer(r"^(enum|record|profile|let|rule|map|fact) ", CORE_TEXT, re.M)]


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(1, 8))
def test_mutated_pack_never_crashes(seed, count):
    rnd = random.Random(seed)
    start = rnd.choice(_WINDOWS)
    piece = "pack img.core\n" + CORE_TEXT[start:start + rnd.randrange(200, 4000)]
    text = _decoded(_mutate(piece.encode(), rnd, count))
    if text is not None:
        _check_all_stages(text)


@FAST
@given(st.integers(0, 2**32 - 1), st.integers(1, 8), st.sampled_from(PROFILES))
def test_mutated_profile_never_crashes(seed, count, path):
    import imgrules._api as api  # noqa: F401 - the schema comes from the compiled pack below
    from imgrules._facts import coerce_profile

    rnd = random.Random(seed)
    data = _mutate(path.read_bytes(), rnd, count)
    for fmt in ("yaml", "json", "toml"):
        try:
            raw = load_profile_text(data, fmt, "p." + fmt)
        except ProfileError as exc:
            assert exc.issues and all(i.path.startswith("$") for i in exc.issues)
            continue
        try:
            coerce_profile(raw.data, _schema(), partial=False)
        except ProfileError as exc:
            assert exc.issues and all(i.path.startswith("$") for i in exc.issues)


_SCHEMA = []


def _schema():
    if not _SCHEMA:
        from imgrules._check import check_pack as _check
        from imgrules._loader import load_packs

        _SCHEMA.append(_check(load_packs(str(CORE))).schema)
    return _SCHEMA[0]


# ------------------------------------------------------------------ token deletions

_TOKENS = [m.span() for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"|\S+', CORE_TEXT)
           if not m.group(0).startswith("#")]
_STARTS = [m.start() for m in re.finditer(r"^\S", CORE_TEXT, re.M)]


def _window(start: int, end: int) -> str:
    """The declaration holding the deleted token and the next one, with the header: a
    fast stand-in for the whole file (IMGRULES_SLOW=1 parses the whole file)."""
    if SLOW:
        return CORE_TEXT[:start] + CORE_TEXT[end:]
    before = [s for s in _STARTS if s <= start] or [0]
    after = [s for s in _STARTS if s > end]
    stop = after[1] if len(after) > 1 else len(CORE_TEXT)
    head = "pack img.core\n" if before[-1] > 0 else ""
    return head + CORE_TEXT[before[-1]:start] + CORE_TEXT[end:stop]


_SAMPLE = _TOKENS if SLOW else random.Random(20261122).sample(_TOKENS, min(300, len(_TOKENS)))


@pytest.mark.parametrize("chunk", range(10))
def test_every_token_deleted_in_turn(chunk):
    for start, end in _SAMPLE[chunk::10]:
        _check_all_stages(_window(start, end), "core.rules")
