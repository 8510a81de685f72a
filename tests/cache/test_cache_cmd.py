"""``imgrules cache info`` and ``imgrules cache clear``."""

from __future__ import annotations

import os

import pytest

from imgrules import _api as api
from imgrules._cachedir import KEY_FILE
from imgrules._cli import main
from imgrules._compile import cache

PACK = 'pack t\nprofile {\n  as_of: date\n}\n'


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    cache_dir, data_dir = tmp_path / "cache", tmp_path / "data"
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("IMGRULES_DATA_DIR", str(data_dir))
    return cache_dir, data_dir


def _run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["cache", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _packs(tmp_path, n):
    paths = []
    for i in range(n):
        path = tmp_path / f"p{i}.rules"
        path.write_text(PACK.replace("pack t", f"pack p{i}"))
        api.load(path)
        paths.append(path)
    return paths


def test_info_shows_location_entries_and_size(dirs, tmp_path, capsys):
    cache_dir, data_dir = dirs
    _packs(tmp_path, 2)
    code, out, _ = _run(capsys, "info")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"cache: {cache_dir}"
    sizes = {p.name: p.stat().st_size for p in cache_dir.iterdir()}
    packs = sum(size for name, size in sizes.items() if name.startswith("pack-"))
    assert "  compiled packs: 2 (" in out
    assert f"  entries: {len(sizes)}, size: " in out
    assert len([n for n in sizes if n.startswith("pack-")]) == 2 and packs > 0
    assert lines[-1] == f"signing key: {data_dir / KEY_FILE}"


def test_clear_removes_the_entries_and_nothing_else(dirs, tmp_path, capsys):
    cache_dir, data_dir = dirs
    paths = _packs(tmp_path, 2)
    mine = cache_dir / "notes.txt"  # a file of the user's own in the folder they chose
    mine.write_text("keep me")
    key = (data_dir / KEY_FILE).read_bytes()
    entries = len(list(cache_dir.iterdir())) - 1
    assert entries >= 2
    code, out, _ = _run(capsys, "clear")
    assert code == 0 and f"removed {entries} entries" in out
    assert [p.name for p in cache_dir.iterdir()] == ["notes.txt"]
    assert mine.read_text() == "keep me" and (data_dir / KEY_FILE).read_bytes() == key
    assert cache.lookup(str(paths[0])) is None
    code, out, _ = _run(capsys, "info")
    assert "  entries: 0, size: 0 bytes" in out
    api.load(paths[0])  # and the cache fills again
    assert cache.lookup(str(paths[0])) is not None


def test_a_turned_off_or_missing_cache(dirs, monkeypatch, capsys):
    cache_dir, _ = dirs
    code, out, _ = _run(capsys, "info")
    assert code == 0 and "not created yet" in out
    code, out, _ = _run(capsys, "clear")
    assert code == 0 and "nothing to clear" in out and not cache_dir.exists()
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    for sub in ("info", "clear"):
        code, out, _ = _run(capsys, sub)
        assert code == 0 and out.startswith("cache: off")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="modes are POSIX")
def test_a_cache_others_can_write_is_not_used_nor_cleared(dirs, tmp_path, capsys):
    cache_dir, _ = dirs
    _packs(tmp_path, 1)
    os.chmod(cache_dir, 0o777)
    code, out, _ = _run(capsys, "info")
    assert code == 0 and "it is not used" in out
    code, _, err = _run(capsys, "clear")
    assert code == 2 and "not cleared" in err
    assert list(cache_dir.glob("pack-*.bin"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="modes are POSIX")
def test_info_says_when_the_key_is_not_private(dirs, tmp_path, capsys):
    _, data_dir = dirs
    _packs(tmp_path, 1)
    os.chmod(data_dir / KEY_FILE, 0o644)
    code, out, _ = _run(capsys, "info")
    assert code == 0
    assert out.splitlines()[-1].startswith(f"signing key: {data_dir / KEY_FILE} is not used, so nothing is cached")
