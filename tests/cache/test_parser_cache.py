"""The Lark parser's tables are cached in the private cache directory, safely.

A cached parser must parse exactly like a freshly built one; a damaged, forged, foreign
or symlinked cache file is ignored and rebuilt; no usable directory means no cache.
"""

from __future__ import annotations

import os
import pickle

import pytest

from imgrules._resources import grammar_text, rules_dir
from imgrules._cachedir import seal, user_key
from imgrules._syntax import tables
from imgrules._syntax.lalr import retag_minus

posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and modes are POSIX")


@pytest.fixture
def cache_at(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(d))
    return d


@pytest.fixture
def builds(monkeypatch):
    """Count the slow builds."""
    calls = []
    real = tables.build

    def counting(grammar):
        calls.append(grammar)
        return real(grammar)

    monkeypatch.setattr(tables, "build", counting)
    return calls


def _entry(d):
    [entry] = d.glob("lark-*.bin")
    return entry


def test_the_second_load_reads_the_cache(cache_at, builds):
    tables.load_parser()
    assert len(builds) == 1
    entry = _entry(cache_at)
    assert entry.name == tables.cache_name(grammar_text())
    assert entry.stat().st_mode & 0o777 == 0o600
    tables.load_parser()
    assert len(builds) == 1


def test_a_cached_parser_parses_like_a_built_one(cache_at):
    built = tables.build(grammar_text())
    tables.load_parser()
    cached = tables.load_parser()
    assert cached is not built
    for path in sorted(rules_dir().rglob("*.rules")):
        text = path.read_text(encoding="utf-8")
        a = built.parse(text, start="start", on_error=retag_minus)
        b = cached.parse(text, start="start", on_error=retag_minus)
        assert a == b
        tokens_a = [(t.type, t.start_pos, t.end_pos) for t in a.scan_values(lambda v: v is not None)]
        tokens_b = [(t.type, t.start_pos, t.end_pos) for t in b.scan_values(lambda v: v is not None)]
        assert tokens_a == tokens_b
        metas = [(s.meta.start_pos, s.meta.end_pos) for s in a.iter_subtrees() if not s.meta.empty]
        assert metas == [(s.meta.start_pos, s.meta.end_pos) for s in b.iter_subtrees() if not s.meta.empty]
    assert cached.parse("a + -b * 2", start="expr") == built.parse("a + -b * 2", start="expr")


def test_the_key_follows_the_grammar():
    grammar = grammar_text()
    assert tables.cache_name(grammar) != tables.cache_name(grammar + "\n// changed\n")


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "header"])
def test_a_damaged_entry_is_rebuilt(cache_at, builds, damage):
    tables.load_parser()
    entry = _entry(cache_at)
    data = entry.read_bytes()
    entry.write_bytes({"flip": data[:-1] + bytes([data[-1] ^ 1]), "truncate": data[:len(data) // 2],
                       "empty": b"", "header": b"X" + data[1:]}[damage])
    parser = tables.load_parser()
    assert len(builds) == 2
    assert parser.parse("1 + 2", start="expr") is not None
    tables.load_parser()  # rewritten whole: the next load reads it
    assert len(builds) == 2


class _Bomb:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_forged_entry_cannot_run_code(cache_at, builds, tmp_path):
    """Even with a valid signature, a pickle that names a callable is refused unrun."""
    marker = tmp_path / "pwned"
    tables.load_parser()
    forged = pickle.dumps({"data": _Bomb(marker), "memo": {}})
    _entry(cache_at).write_bytes(seal(tables.MAGIC, forged, user_key()))
    parser = tables.load_parser()
    assert not marker.exists()
    assert len(builds) == 2
    assert parser.parse("x", start="expr") is not None


def test_plain_data_of_the_wrong_shape_is_rebuilt(cache_at, builds):
    tables.load_parser()
    _entry(cache_at).write_bytes(seal(tables.MAGIC, pickle.dumps({"data": {}, "memo": {}}), user_key()))
    assert tables.load_parser().parse("x", start="expr") is not None
    assert len(builds) == 2


@posix_only
def test_a_symlinked_entry_is_ignored(cache_at, builds, tmp_path):
    tables.load_parser()
    entry = _entry(cache_at)
    elsewhere = tmp_path / "planted.bin"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    tables.load_parser()
    assert len(builds) == 2
    assert not entry.is_symlink()  # replaced by a file of our own


@posix_only
@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="changing owners needs root")
def test_an_entry_of_another_user_is_ignored(cache_at, builds):
    tables.load_parser()
    os.chown(_entry(cache_at), 4242, 4242)
    tables.load_parser()
    assert len(builds) == 2


@posix_only
def test_a_world_writable_directory_is_not_used(cache_at, builds):
    tables.load_parser()
    os.chmod(cache_at, 0o777)
    tables.load_parser()
    assert len(builds) == 2


def test_no_usable_directory_means_no_cache(tmp_path, monkeypatch, builds):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(blocker / "cache"))
    assert tables.load_parser().parse("x", start="expr") is not None
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    assert tables.load_parser().parse("x", start="expr") is not None
    assert len(builds) == 2


def test_nothing_goes_to_the_shared_temp_dir(cache_at, monkeypatch, tmp_path):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setenv("TMPDIR", str(shared))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    tables.load_parser()
    tables.load_parser()
    assert list(shared.iterdir()) == []


def test_the_cached_parser_gives_the_same_ast(cache_at):
    from imgrules._syntax.lalr import lark_parser
    from imgrules._syntax.guard import parse_limited

    path = rules_dir() / "img" / "core.rules"
    text = path.read_text(encoding="utf-8")
    lark_parser.cache_clear()
    try:
        first = parse_limited(text, "core.rules")[0]  # builds and stores
        lark_parser.cache_clear()
        second = parse_limited(text, "core.rules")[0]  # from the cache
    finally:
        lark_parser.cache_clear()
    assert first is not None and first == second  # spans included
