"""Cache files are signed with a per-user secret key kept outside the cache directory.

A planted or restored entry (even one with the old format's matching SHA-256, or signed
with another key) is a miss and is never unpickled: a pickle that would run code when
loaded does not run. The key file is created 0600 in the data directory, once, and is
not used when others could read or replace it.
"""

from __future__ import annotations

import hashlib
import os
import pickle

import pytest

from imgrules import _api as api
from imgrules._cachedir import KEY_FILE, seal, user_key
from imgrules._compile import cache

PACK = 'pack t\nprofile {\n  as_of: date\n}\n'
posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and modes are POSIX")


class _Bomb:
    """Unpickling this creates ``marker``: the stand-in for code an attacker runs."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    cache_dir, data_dir = tmp_path / "cache", tmp_path / "data"
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("IMGRULES_DATA_DIR", str(data_dir))
    return cache_dir, data_dir


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "t.rules"
    path.write_text(PACK)
    return path


def _planted(entry, marker, how: str) -> bytes:
    """The real entry's header around a pickle that creates ``marker``, sealed ``how``."""
    data = entry.read_bytes()
    start = len(cache.MAGIC) + 32
    n = int.from_bytes(data[start:start + 4], "big")
    body = data[start:start + 4 + n] + pickle.dumps(_Bomb(marker))
    if how == "sha256":  # the old format: a checksum anyone can compute
        return cache.MAGIC + hashlib.sha256(body).digest() + body
    if how == "other-key":  # restored from another machine's or user's cache
        return seal(cache.MAGIC, body, os.urandom(32))
    if how == "own-key":
        return seal(cache.MAGIC, body, user_key())
    return cache.MAGIC + body  # unsigned


@pytest.mark.parametrize("how", ["sha256", "other-key", "unsigned"])
def test_a_planted_pickle_is_a_miss_and_never_runs(dirs, pack, tmp_path, how):
    cache_dir, _ = dirs
    api.load(pack)
    [entry] = cache_dir.glob("pack-*.bin")
    marker = tmp_path / "pwned"
    entry.write_bytes(_planted(entry, marker, how))
    assert cache.lookup(str(pack)) is None
    assert api.load(pack) is not None  # compiled again and rewritten
    assert not marker.exists()
    assert cache.lookup(str(pack)) is not None


def test_the_signature_is_what_stops_it(dirs, pack, tmp_path):
    """The same planted bytes signed with the user's own key would run: only someone who
    can read the key file (kept outside the cache) could make such a file."""
    cache_dir, _ = dirs
    api.load(pack)
    [entry] = cache_dir.glob("pack-*.bin")
    marker = tmp_path / "pwned"
    entry.write_bytes(_planted(entry, marker, "own-key"))
    cache.lookup(str(pack))
    assert marker.exists()


def test_a_cache_restored_under_another_key_is_not_used(dirs, pack, tmp_path, monkeypatch):
    cache_dir, data_dir = dirs
    api.load(pack)
    assert cache.lookup(str(pack)) is not None
    monkeypatch.setenv("IMGRULES_DATA_DIR", str(tmp_path / "another-user-data"))
    assert cache.lookup(str(pack)) is None
    api.load(pack)  # rewritten under this key
    assert cache.lookup(str(pack)) is not None


@posix_only
def test_the_key_is_private_outside_the_cache_and_made_once(dirs, pack):
    cache_dir, data_dir = dirs
    api.load(pack)
    key_file = data_dir / KEY_FILE
    assert key_file.is_file() and not (cache_dir / KEY_FILE).exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert data_dir.stat().st_mode & 0o777 == 0o700
    key = key_file.read_bytes()
    assert len(key) == 32
    api.load(pack, use_cache=True)
    assert key_file.read_bytes() == key == user_key()
    assert not [p for p in data_dir.iterdir() if p.name != KEY_FILE]  # no temp files left


@posix_only
@pytest.mark.parametrize("damage", ["readable", "symlink", "short", "open-dir"])
def test_a_key_others_could_read_or_replace_means_no_cache(dirs, pack, tmp_path, damage):
    cache_dir, data_dir = dirs
    api.load(pack)
    key_file = data_dir / KEY_FILE
    if damage == "readable":
        os.chmod(key_file, 0o644)
    elif damage == "symlink":
        elsewhere = tmp_path / "key-elsewhere"
        key_file.rename(elsewhere)
        key_file.symlink_to(elsewhere)
    elif damage == "short":
        key_file.write_bytes(b"123")
    else:
        os.chmod(data_dir, 0o777)
    assert user_key() is None
    assert cache.lookup(str(pack)) is None
    for entry in cache_dir.glob("pack-*.bin"):
        entry.unlink()
    assert api.load(pack) is not None  # works, without a cache
    assert list(cache_dir.glob("pack-*.bin")) == []


def test_no_data_directory_means_no_cache(dirs, pack, monkeypatch):
    cache_dir, _ = dirs
    monkeypatch.setenv("IMGRULES_DATA_DIR", "")
    assert api.load(pack) is not None
    assert list(cache_dir.glob("pack-*.bin")) == []


@posix_only
def test_the_key_is_made_where_files_cannot_be_hard_linked(dirs, pack, monkeypatch):
    _, data_dir = dirs

    def no_links(*args, **kwargs):
        raise PermissionError("hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    api.load(pack)
    key_file = data_dir / KEY_FILE
    assert len(key_file.read_bytes()) == 32 and key_file.stat().st_mode & 0o777 == 0o600
    assert cache.lookup(str(pack)) is not None
    assert sorted(p.name for p in data_dir.iterdir()) == [KEY_FILE]
