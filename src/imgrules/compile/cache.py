"""An on-disk cache of compiled packs, keyed by the content of every pack file.

Layout (in ``$IMGRULES_CACHE_DIR`` or the user cache dir ``~/.cache/imgrules``):
``index-<target hash>.json`` lists the files a target was compiled from and the digest
of their contents; ``net-<digest>.bin`` holds the pickled :class:`Network` behind a
header (magic, format version, SHA-256 of the payload). A hit re-hashes the listed
files, so any change invalidates it. A corrupt or mismatched file is ignored and
rewritten. Only files we wrote and whose checksum matches are unpickled.

Pickles are only safe if nobody else can write them, so the directory is used only
when it is a real directory (not a symlink) owned by the user and not writable by
group or others; otherwise everything runs without a cache. Files are opened relative
to the directory's descriptor without following symlinks, must be regular files owned
by the user, and are written atomically (temp file + rename). :class:`CacheDir` is
shared with the parser-table cache (:mod:`imgrules.syntax.tables`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import secrets
import stat
import sys
from pathlib import Path

from .network import FORMAT_VERSION

MAGIC = b"IMGRULES-NET\n"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRFD = os.open in os.supports_dir_fd and _NOFOLLOW != 0  # POSIX: every open is relative to the dir


def cache_dir() -> Path | None:
    """Where the cache lives (None when ``IMGRULES_CACHE_DIR`` is set empty: no cache)."""
    env = os.environ.get("IMGRULES_CACHE_DIR")
    if env == "":
        return None  # caching disabled
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "imgrules"


def _ours(st: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def _safe_dir_stat(st: os.stat_result) -> bool:
    """A directory we own that nobody else can write into."""
    return stat.S_ISDIR(st.st_mode) and _ours(st) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class CacheDir:
    """The cache directory, checked once and then used through one open descriptor.

    :meth:`open` returns None when there is no usable directory. Reads return None for
    anything that is not a regular file of ours; writes raise OSError (callers treat
    that as "no cache").
    """

    def __init__(self, path: Path, fd: int | None):
        self.path = path
        self._fd = fd

    @classmethod
    def open(cls, create: bool = False) -> CacheDir | None:
        """The configured cache directory if it is safe to use (made ``0700`` when
        ``create`` and missing), else None."""
        path = cache_dir()
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

    def __enter__(self) -> CacheDir:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self._fd is not None:
            return os.open(name, flags | _NOFOLLOW, mode, dir_fd=self._fd)
        return os.open(self.path / name, flags | _NOFOLLOW, mode)

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name`` if it is a regular file we own; None otherwise."""
        try:
            fd = self._open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _ours(st):
                return None
            with os.fdopen(fd, "rb", closefd=False) as fh:
                return fh.read()
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` atomically: a new ``0600`` temp file, then a rename over it."""
        tmp = f".tmp-{secrets.token_hex(8)}"
        fd = self._open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            if self._fd is not None:
                os.replace(tmp, name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
            else:
                os.replace(self.path / tmp, self.path / name)
        except BaseException:
            try:
                if self._fd is not None:
                    os.unlink(tmp, dir_fd=self._fd)
                else:
                    os.unlink(self.path / tmp)
            except OSError:
                pass
            raise


def seal(magic: bytes, payload: bytes) -> bytes:
    """``magic`` + SHA-256 of ``payload`` + ``payload``: what :func:`unseal` accepts."""
    return magic + hashlib.sha256(payload).digest() + payload


def unseal(magic: bytes, blob: bytes | None) -> bytes | None:
    """The payload of a :func:`seal`-ed blob, or None if the header or checksum is wrong."""
    if blob is None or not blob.startswith(magic):
        return None
    check, payload = blob[len(magic):len(magic) + 32], blob[len(magic) + 32:]
    return payload if hashlib.sha256(payload).digest() == check else None


def _salt() -> str:
    from .. import __version__

    return f"{__version__}|{FORMAT_VERSION}|{sys.version_info[:2]}"


def target_key(target: str, roots) -> str:
    text = json.dumps([_salt(), os.path.abspath(target) if os.path.exists(target) else target,
                       [os.path.abspath(os.fspath(r)) for r in roots]])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def files_digest(files) -> str | None:
    h = hashlib.sha256(_salt().encode())
    for f in files:
        try:
            data = Path(f).read_bytes()
        except OSError:
            return None
        h.update(os.fspath(f).encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def lookup(target: str, roots):
    """The cached Network for ``target`` if every file it came from is unchanged, else None."""
    d = CacheDir.open()
    if d is None:
        return None
    with d:
        try:
            index = json.loads(d.read(f"index-{target_key(target, roots)}.json") or b"null")
            files, digest = index["files"], index["digest"]
            if not isinstance(digest, str) or files_digest(files) != digest:
                return None
        except (ValueError, KeyError, TypeError):
            return None
        payload = unseal(MAGIC, d.read(f"net-{digest}.bin"))
    if payload is None:
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - our own file in our own private dir, checksum verified
    except Exception:  # noqa: BLE001 - a stale or corrupt entry is just a miss
        return None


def store(target: str, roots, network) -> None:
    files = [os.path.abspath(f) for f in network.files]
    digest = files_digest(files)
    if digest is None:
        return
    d = CacheDir.open(create=True)
    if d is None:
        return
    with d:
        try:
            payload = pickle.dumps(network, protocol=pickle.HIGHEST_PROTOCOL)
            d.write(f"net-{digest}.bin", seal(MAGIC, payload))
            d.write(f"index-{target_key(target, roots)}.json",
                    json.dumps({"files": files, "digest": digest}).encode())
        except OSError:
            return  # a read-only cache is not an error
