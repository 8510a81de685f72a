"""The user's private cache and data directories, and the secret key that signs cache files.

Two caches keep work between runs: compiled packs (:mod:`imgrules._compile.cache`) and the
parser's tables (:mod:`imgrules._syntax.tables`). Both live in the cache directory:
``$IMGRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/imgrules``, else ``~/.cache/imgrules``
(``IMGRULES_CACHE_DIR=`` set empty turns caching off).

A cache file is only trusted if this user's imgrules wrote it: every file is signed with
HMAC-SHA256 under a secret key of 32 random bytes kept *outside* the cache, in the data
directory (``$IMGRULES_DATA_DIR``, else ``$XDG_DATA_HOME/imgrules``, else
``~/.local/share/imgrules``), in a file ``cache-key`` created ``0600``. A file planted in
the cache or restored from somewhere else (a shared CI cache, a backup) does not carry a
valid signature, so it is a miss and is never unpickled.

Both directories are used only when they are real directories (not symlinks) owned by the
user and not writable by group or others; the key file only when it is a regular file of
ours that nobody else can read or write. Anything else means running without a cache.
Files are opened relative to the directory's descriptor without following symlinks, and
written atomically (a temp file, then a rename).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRFD = os.open in os.supports_dir_fd and _NOFOLLOW != 0  # POSIX: every open is relative to the dir
KEY_FILE = "cache-key"
KEY_BYTES = 32
MAC_BYTES = 32  # HMAC-SHA256
TEMP_PREFIX = ".tmp-"


def _configured(env: str, xdg: str, fallback: tuple[str, ...]) -> Path | None:
    value = os.environ.get(env)
    if value == "":
        return None  # turned off
    if value:
        return Path(value)
    base = os.environ.get(xdg) or os.path.join(os.path.expanduser("~"), *fallback)
    return Path(base) / "imgrules"


def cache_dir() -> Path | None:
    """Where the caches live (None when ``IMGRULES_CACHE_DIR`` is set empty: no cache)."""
    return _configured("IMGRULES_CACHE_DIR", "XDG_CACHE_HOME", (".cache",))


def data_dir() -> Path | None:
    """Where the cache's secret key lives (None when ``IMGRULES_DATA_DIR`` is set empty)."""
    return _configured("IMGRULES_DATA_DIR", "XDG_DATA_HOME", (".local", "share"))


def _ours(st: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def _safe_dir_stat(st: os.stat_result) -> bool:
    """A directory we own that nobody else can write into."""
    return stat.S_ISDIR(st.st_mode) and _ours(st) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class PrivateDir:
    """A private directory, checked once and then used through one open descriptor.

    :meth:`at` returns None when the directory is not usable. Reads return None for
    anything that is not a regular file of ours; writes raise OSError (callers treat
    that as "no cache").
    """

    def __init__(self, path: Path, fd: int | None):
        self.path = path
        self._fd = fd

    @classmethod
    def at(cls, path: Path | None, create: bool = False) -> PrivateDir | None:
        """``path`` if it is safe to use (made ``0700`` when ``create`` and missing), else None."""
        if path is None:
            return None
        try:
            if create and not os.path.lexists(path):
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.mkdir(path, 0o700)
                except FileExistsError:
                    pass
            if not _DIRFD:  # no descriptor-relative opens here: check the path itself
                st = os.lstat(path)
                return cls(path, None) if _safe_dir_stat(st) else None
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
        except OSError:
            return None  # missing, a symlink (ELOOP), not a directory, unreadable
        try:
            if _safe_dir_stat(os.fstat(fd)):
                return cls(path, fd)
        except OSError:
            pass
        os.close(fd)
        return None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> PrivateDir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self._fd is not None:
            return os.open(name, flags | _NOFOLLOW, mode, dir_fd=self._fd)
        return os.open(self.path / name, flags | _NOFOLLOW, mode)

    def _stat(self, name: str) -> os.stat_result:
        if self._fd is not None:
            return os.stat(name, dir_fd=self._fd, follow_symlinks=False)
        return os.lstat(self.path / name)

    def read(self, name: str, private: bool = False) -> bytes | None:
        """The bytes of ``name`` if it is a regular file we own (and, with ``private``,
        that nobody else may read or write); None otherwise."""
        try:
            fd = self._open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _ours(st):
                return None
            if private and hasattr(os, "getuid") and st.st_mode & 0o077:
                return None
            with os.fdopen(fd, "rb", closefd=False) as fh:
                return fh.read()
        except OSError:
            return None
        finally:
            os.close(fd)

    def _temp(self, data: bytes) -> str:
        """A new ``0600`` temp file holding ``data``; its name."""
        tmp = f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        fd = self._open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            self.remove(tmp)
            raise
        return tmp

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` atomically: a new ``0600`` temp file, then a rename over it."""
        tmp = self._temp(data)
        try:
            if self._fd is not None:
                os.replace(tmp, name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
            else:
                os.replace(self.path / tmp, self.path / name)
        except BaseException:
            self.remove(tmp)
            raise

    def create(self, name: str, data: bytes) -> bool:
        """Create ``name`` holding ``data`` unless it exists (then leave it alone): written
        to a temp file and linked into place, so nobody ever reads it half-written (where
        the file system has no hard links, created exclusively and written in place).
        True when this call created it."""
        tmp = self._temp(data)
        try:
            if self._fd is not None:
                os.link(tmp, name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
            else:
                os.link(self.path / tmp, self.path / name)
            return True
        except FileExistsError:
            return False
        except OSError:
            return self._create_in_place(name, data)
        finally:
            self.remove(tmp)

    def _create_in_place(self, name: str, data: bytes) -> bool:
        try:
            fd = self._open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return True

    def remove(self, name: str) -> bool:
        """Delete ``name`` (a file, never following a link); False if it was not there."""
        try:
            if self._fd is not None:
                os.unlink(name, dir_fd=self._fd)
            else:
                os.unlink(self.path / name)
            return True
        except OSError:
            return False

    def modified(self, name: str) -> int:
        """When ``name`` was last written (ns); 0 when it cannot be read."""
        try:
            return self._stat(name).st_mtime_ns
        except OSError:
            return 0

    def entries(self) -> list[tuple[str, int]]:
        """(name, size) of every regular file of ours in the directory, sorted by name."""
        out = []
        try:
            names = os.listdir(self._fd if self._fd is not None else self.path)
        except OSError:
            return []
        for name in sorted(names):
            try:
                st = self._stat(name)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and _ours(st):
                out.append((name, st.st_size))
        return out


class CacheDir(PrivateDir):
    """The cache directory (see :func:`cache_dir`)."""

    @classmethod
    def open(cls, create: bool = False) -> CacheDir | None:
        return cls.at(cache_dir(), create)


def user_key(create: bool = True) -> bytes | None:
    """This user's secret key for signing cache files, made on first use; None when the
    data directory or the key file is not private (then nothing is cached)."""
    d = PrivateDir.at(data_dir(), create=create)
    if d is None:
        return None
    with d:
        key = d.read(KEY_FILE, private=True)
        if key is None and create:
            try:
                d.create(KEY_FILE, secrets.token_bytes(KEY_BYTES))
            except OSError:
                return None
            key = d.read(KEY_FILE, private=True)  # ours, or the one a concurrent run made first
    return key if key is not None and len(key) == KEY_BYTES else None


def seal(magic: bytes, payload: bytes, key: bytes) -> bytes:
    """``magic`` + HMAC-SHA256 of ``magic + payload`` under ``key`` + ``payload``."""
    return magic + hmac.new(key, magic + payload, hashlib.sha256).digest() + payload


def unseal(magic: bytes, blob: bytes | None, key: bytes) -> bytes | None:
    """The payload of a blob :func:`seal` made with ``key``; None for anything else."""
    if blob is None or not blob.startswith(magic) or len(blob) < len(magic) + MAC_BYTES:
        return None
    view = memoryview(blob)  # a compiled pack's entry is a megabyte: signed without a copy
    good = hmac.new(key, magic, hashlib.sha256)
    good.update(view[len(magic) + MAC_BYTES:])
    mac = blob[len(magic):len(magic) + MAC_BYTES]
    return blob[len(magic) + MAC_BYTES:] if hmac.compare_digest(mac, good.digest()) else None


# what the cache directory holds, by file-name prefix (anything else there is not ours)
ENTRY_KINDS = {"pack-": "compiled packs", "lark-": "parser tables",
               TEMP_PREFIX: "unfinished writes", "index-": "older format", "net-": "older format"}


def entry_kind(name: str) -> str | None:
    """What a cache file holds, from its name; None for a file imgrules did not write."""
    for prefix, kind in ENTRY_KINDS.items():
        if name.startswith(prefix):
            return kind
    return None


def cache_entries(d: PrivateDir) -> list[tuple[str, int, str]]:
    """(name, size, kind) of every cache file in ``d``."""
    return [(name, size, kind) for name, size in d.entries()
            if (kind := entry_kind(name)) is not None]


def clear_cache(d: PrivateDir) -> tuple[int, int]:
    """Delete every cache file in ``d`` (nothing else there): (files removed, bytes freed)."""
    removed = freed = 0
    for name, size, _ in cache_entries(d):
        if d.remove(name):
            removed += 1
            freed += size
    return removed, freed
