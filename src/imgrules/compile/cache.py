"""An on-disk cache of compiled packs, keyed by the content of every pack file.

Layout (in ``$IMGRULES_CACHE_DIR`` or the user cache dir ``~/.cache/imgrules``):
``index-<target hash>.json`` lists the files a target was compiled from and the digest
of their contents; ``net-<digest>.bin`` holds the pickled :class:`Network` behind a
header (magic, format version, SHA-256 of the payload). A hit re-hashes the listed
files, so any change invalidates it. Files are written atomically (temp file + rename);
a corrupt, foreign (other owner) or mismatched file is ignored and rewritten. Only files
we wrote and whose checksum matches are unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

from .network import FORMAT_VERSION

MAGIC = b"IMGRULES-NET\n"


def cache_dir() -> Path | None:
    env = os.environ.get("IMGRULES_CACHE_DIR")
    if env == "":
        return None  # caching disabled
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "imgrules"


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
    d = cache_dir()
    if d is None:
        return None
    try:
        index = json.loads((d / f"index-{target_key(target, roots)}.json").read_text())
        files, digest = index["files"], index["digest"]
        if files_digest(files) != digest:
            return None
        path = d / f"net-{digest}.bin"
        if hasattr(os, "getuid") and path.stat().st_uid != os.getuid():
            return None
        blob = path.read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not blob.startswith(MAGIC):
        return None
    body = blob[len(MAGIC):]
    check, payload = body[:32], body[32:]
    if hashlib.sha256(payload).digest() != check:
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - our own file, checksum verified
    except Exception:  # noqa: BLE001 - a stale or corrupt entry is just a miss
        return None


def store(target: str, roots, network) -> None:
    d = cache_dir()
    if d is None:
        return
    files = [os.path.abspath(f) for f in network.files]
    digest = files_digest(files)
    if digest is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(network, protocol=pickle.HIGHEST_PROTOCOL)
        _atomic_write(d / f"net-{digest}.bin",
                      MAGIC + hashlib.sha256(payload).digest() + payload)
        _atomic_write(d / f"index-{target_key(target, roots)}.json",
                      json.dumps({"files": files, "digest": digest}).encode())
    except OSError:
        return  # a read-only cache is not an error


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
