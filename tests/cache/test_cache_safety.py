"""The compiled-pack cache (a signed pickle) is used only where nobody else can write it.

A cache directory that is a symlink, owned by someone else or writable by group or
others is not used at all; cache files that are symlinks or not ours are ignored; a
corrupt file is a miss that gets rewritten. In every case loading still works.
"""

from __future__ import annotations

import os
import pickle

import pytest

from imgrules import _api as api
from imgrules._cachedir import seal, user_key
from imgrules._compile import cache

PACK = 'pack t\nprofile {\n  as_of: date\n  x: int\n}\n'
posix_only = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and modes are POSIX")


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "t.rules"
    path.write_text(PACK)
    return path


def _use(monkeypatch, directory):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(directory))
    return directory


def _entries(directory):
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith("lark-"))


def _sealed(payload: bytes) -> bytes:
    """``payload`` signed with this user's key, as the cache writes it."""
    return seal(cache.MAGIC, payload, user_key())


def test_a_private_directory_is_used_and_hits(tmp_path, pack, monkeypatch):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    assert [n.split("-")[0] for n in _entries(d)] == ["pack"]
    assert os.stat(d).st_mode & 0o777 == 0o700  # created private
    assert cache.lookup(str(pack), ()) is not None


@posix_only
def test_a_symlinked_directory_is_not_used(tmp_path, pack, monkeypatch):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    _use(monkeypatch, tmp_path / "link")
    (tmp_path / "link").symlink_to(real)
    assert api.load(pack) is not None
    assert list(real.iterdir()) == []  # nothing written through the link
    # an entry planted in the real directory is not read through the link either
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(real))
    api.load(pack)
    assert cache.lookup(str(pack), ()) is not None
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "link"))
    assert cache.lookup(str(pack), ()) is None


@posix_only
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_group_or_world_writable_directory_is_not_used(tmp_path, pack, monkeypatch, mode):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    assert cache.lookup(str(pack), ()) is not None
    for name in _entries(d):
        (d / name).unlink()
    os.chmod(d, mode)
    api.load(pack)
    assert _entries(d) == []  # no store
    os.chmod(d, 0o700)
    api.load(pack)
    os.chmod(d, mode)
    assert cache.lookup(str(pack), ()) is None  # and no lookup, even of a good entry


@posix_only
@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="changing owners needs root")
def test_a_directory_or_file_of_another_user_is_not_used(tmp_path, pack, monkeypatch):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    [blob] = d.glob("pack-*.bin")
    os.chown(blob, 4242, 4242)
    assert cache.lookup(str(pack), ()) is None
    os.chown(blob, 0, 0)
    assert cache.lookup(str(pack), ()) is not None
    os.chown(d, 4242, 4242)
    assert cache.lookup(str(pack), ()) is None


@posix_only
def test_cache_files_that_are_symlinks_are_ignored(tmp_path, pack, monkeypatch):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    [entry] = d.glob("pack-*")
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)  # the same good bytes, reached through a link
    assert cache.lookup(str(pack), ()) is None
    api.load(pack)  # a miss is rewritten as a regular file
    assert not entry.is_symlink()
    assert cache.lookup(str(pack), ()) is not None


@posix_only
def test_a_fifo_in_place_of_a_cache_file_does_not_hang(tmp_path, pack, monkeypatch):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    [entry] = d.glob("pack-*.bin")
    entry.unlink()
    os.mkfifo(entry)
    assert cache.lookup(str(pack), ()) is None


@pytest.mark.parametrize("damage", ["truncate", "empty", "flip", "garbage-header", "bad-pickle"])
def test_a_corrupt_cache_file_is_a_miss_and_is_rewritten(tmp_path, pack, monkeypatch, damage):
    d = _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    [blob] = d.glob("pack-*.bin")
    data = blob.read_bytes()
    if damage == "truncate":
        blob.write_bytes(data[:100])
    elif damage == "empty":
        blob.write_bytes(b"")
    elif damage == "flip":
        blob.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "garbage-header":  # signed, but the header is not what the cache writes
        header = b'{"files": 3, "key": "../../etc/passwd"}'
        blob.write_bytes(_sealed(len(header).to_bytes(4, "big") + header + b"x"))
    else:  # a good signature and header around bytes that do not unpickle
        n = int.from_bytes(data[len(cache.MAGIC) + 32:len(cache.MAGIC) + 36], "big")
        head = data[len(cache.MAGIC) + 32:len(cache.MAGIC) + 36 + n]
        blob.write_bytes(_sealed(head + b"\x80\x05not a pickle"))
    assert cache.lookup(str(pack), ()) is None
    assert api.load(pack) is not None
    assert cache.lookup(str(pack), ()) is not None


def test_an_unusable_location_means_no_cache(tmp_path, pack, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    _use(monkeypatch, blocker / "cache")
    assert api.load(pack) is not None
    assert cache.lookup(str(pack), ()) is None
    _use(monkeypatch, blocker)  # a regular file where the directory should be
    assert api.load(pack) is not None
    assert blocker.read_text() == "not a directory"


def test_seal_and_unseal_round_trip_and_reject_damage():
    from imgrules._cachedir import unseal

    key, other = b"k" * 32, b"o" * 32
    payload = pickle.dumps({"a": 1})
    sealed = seal(b"M\n", payload, key)
    assert unseal(b"M\n", sealed, key) == payload
    assert unseal(b"X\n", sealed, key) is None
    assert unseal(b"M\n", sealed[:-1], key) is None
    assert unseal(b"M\n", sealed, other) is None  # another user's (or install's) key
    assert unseal(b"M\n", None, key) is None


def test_the_oldest_entries_go_beyond_the_limit(tmp_path, monkeypatch):
    d = _use(monkeypatch, tmp_path / "cache")
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    packs = []
    for i in range(5):
        path = tmp_path / f"p{i}.rules"
        path.write_text(PACK.replace("pack t", f"pack p{i}"))
        api.load(path)
        entry = d / f"{cache.PREFIX}{cache.entry_key(str(path), ())[0]}.bin"
        os.utime(entry, ns=(i * 10**9, i * 10**9))  # written in this order
        packs.append(path)
    assert len(list(d.glob("pack-*.bin"))) == 3
    assert [cache.lookup(str(p), ()) is not None for p in packs] == [False, False, True, True, True]


def test_a_pack_with_a_bom_and_crlf_line_ends_is_cached(tmp_path, monkeypatch):
    _use(monkeypatch, tmp_path / "cache")
    path = tmp_path / "crlf.rules"
    path.write_bytes(b"\xef\xbb\xbf" + PACK.replace("\n", "\r\n").encode())
    api.load(path)
    assert cache.lookup(str(path), ()) is not None


@posix_only
def test_a_pack_file_replaced_by_a_fifo_is_a_miss(tmp_path, pack, monkeypatch):
    _use(monkeypatch, tmp_path / "cache")
    api.load(pack)
    st = pack.stat()
    pack.unlink()
    os.mkfifo(pack)
    os.utime(pack, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.lookup(str(pack), ()) is None  # and does not block reading it
