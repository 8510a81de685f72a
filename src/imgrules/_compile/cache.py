"""An on-disk cache of compiled packs that never serves a stale or foreign result.

One file per target, ``pack-<key>.bin`` in the user's cache directory
(:mod:`imgrules._cachedir`). The key covers what the compiled pack depends on besides the
pack files' content: imgrules (its version and a fingerprint of its own code), the network
format, Python's version, the grammar, the default limits, the target as given and where
it resolves (its real path, or for a pack name like ``img.reapplication`` the file that
name finds now), the roots the caller gave and the shipped packs' folder. So another
install or a copy of the packs elsewhere gets an entry of its own. A pack held in memory
(:func:`imgrules.loads`) is keyed by its text instead of a path; its entry lists only the
files it imports.

The entry's header lists every pack file it was compiled from with its real path, size,
modification time and SHA-256; a lookup checks each (size and time first, then the content
hash), and checks that each imported pack name still finds the same file in the same
roots (a new file earlier in the roots would shadow it). Only the text the compiler read
is recorded: a file that changed while it was compiled is not stored.

The whole entry is signed with the user's secret key (HMAC-SHA256,
:func:`imgrules._cachedir.user_key`); anything without a valid signature is a miss and is
never unpickled. Writes are atomic (temp file + rename), so two runs compiling the same
pack at once each leave a whole, valid entry. Beyond :data:`MAX_ENTRIES` entries, the
oldest written are deleted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import stat
import struct
import sys
import threading
from pathlib import Path

from .. import _resources, _version as version
from .._cachedir import MAC_BYTES, CacheDir, seal, unseal, user_key
from .._limits import PackLimits
from .._packnames import find_pack, is_pack_name, pack_name_of
from .network import FORMAT_VERSION

MAGIC = b"IMGRULES-PACK-2\n"
PREFIX = "pack-"
# entries kept: a new one (another pack, or an edited checkout of imgrules) replaces the
# oldest written beyond this many, so the cache stays within some tens of megabytes
MAX_ENTRIES = 32
_HEADER_LEN = struct.Struct(">I")


@functools.cache
def _build_fingerprint() -> str:
    """imgrules' version, its own code (names, sizes and times of its modules: an edited
    checkout counts as another build), the network format, Python, the grammar, the limits."""

    code: list = []
    _code_files(str(Path(__file__).resolve().parents[1]), "", code)
    parts = [version.__version__, FORMAT_VERSION, list(sys.version_info[:3]), sys.implementation.name,
             hashlib.sha256(_resources.grammar_text().encode()).hexdigest(), repr(PackLimits()), code]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _code_files(folder: str, rel: str, out: list) -> None:
    """Append (path relative to the package, size, mtime_ns) of every ``.py`` file below
    ``folder``, in the order ``os.walk`` with sorted names gives (links to folders are not
    followed), with less work than it: this runs on every start of the command line."""
    dirs, files = [], []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else files).append(entry.name)
    except OSError:
        return  # a folder that cannot be listed: os.walk skips it too
    for name in sorted(files):
        if name.endswith(".py"):
            st = os.stat(os.path.join(folder, name))
            out.append((rel + name, st.st_size, st.st_mtime_ns))
    for name in sorted(dirs):
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            _code_files(path, rel + name + os.sep, out)


def _shipped_root() -> str:

    try:
        return str(_resources.rules_dir().resolve())
    except FileNotFoundError:
        return ""


def _resolve_target(target: str, roots: tuple[str, ...]) -> str | None:
    """The real path of the file ``target`` names now (a path, or a pack name looked up
    in ``roots`` and the shipped packs as the loader does); None if it names none."""

    if target.endswith(".rules") or os.sep in target or "/" in target or os.path.exists(target):
        return os.path.realpath(target) if os.path.isfile(target) else None
    if not is_pack_name(target):
        return None
    shipped = _shipped_root()
    found = find_pack([Path(r) for r in roots] + ([Path(shipped)] if shipped else []), target)
    return str(found[0]) if found is not None else None


def entry_key(target: str, roots: tuple[str, ...]) -> tuple[str, str] | None:
    """(the cache key of ``target`` with ``roots``, the target's real path), or None when
    the target does not name a readable file (the loader will say why)."""
    resolved = _resolve_target(target, roots)
    if resolved is None:
        return None
    # the path as given too: through a symlinked folder, imports are looked up beside it
    given = os.path.abspath(target) if os.path.exists(target) else target
    text = json.dumps([_build_fingerprint(), resolved, given, [os.path.abspath(r) for r in roots],
                       _shipped_root()])
    return hashlib.sha256(text.encode()).hexdigest()[:40], resolved


def _regular_file(path: str) -> tuple[os.stat_result, bytes] | None:
    """(stat, bytes) of a regular file; None for anything else (never blocks on a FIFO)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return None
        return st, Path(path).read_bytes()
    except OSError:
        return None


def _file_record(path: str, name: str, text: str) -> list | None:
    """[path, pack name, size, mtime_ns, sha256] of a pack file whose content is ``text``
    (what the compiler read); None if the file no longer holds that text."""
    found = _regular_file(path)
    if found is None:
        return None
    st, data = found
    if data.decode("utf-8", errors="replace").removeprefix("\ufeff") != text:
        return None  # changed while it was compiled
    return [path, name, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest()]


def _still_current(header: dict, key: str, target_path: str) -> bool:
    """Whether every file the entry was compiled from is unchanged and still found where
    it was."""

    if header.get("key") != key or header.get("target") != target_path:
        return False
    roots = [Path(r) for r in header["roots"]]
    for path, name, size, mtime_ns, digest in header["files"]:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_size != size or st.st_mtime_ns != mtime_ns:
            return False  # the cheap test first
        found = _regular_file(path)
        if found is None or hashlib.sha256(found[1]).hexdigest() != digest:
            return False
        if path != target_path:
            found = find_pack(roots, name)
            if found is None or str(found[0]) != path:
                return False  # the import now finds another file (or none)
    return True


def _split(payload: bytes) -> tuple[dict, bytes]:
    (n,) = _HEADER_LEN.unpack_from(payload)
    header = json.loads(payload[_HEADER_LEN.size:_HEADER_LEN.size + n])
    return header, payload[_HEADER_LEN.size + n:]


def lookup(target: str, roots=()):
    """The cached Network for ``target`` if it was compiled by this build from exactly the
    files that ``target`` and its imports name now, unchanged; else None."""
    roots = tuple(os.fspath(r) for r in roots)
    keyed = entry_key(target, roots)
    if keyed is None:
        return None
    return _read_entry(*keyed)


def text_key(text: str, name: str, roots: tuple[str, ...]) -> tuple[str, str]:
    """(the cache key of a pack held in memory, the stand-in for its path): the text itself
    is part of the key, so another text never finds this entry."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    keyed = json.dumps(["text", _build_fingerprint(), digest, name,
                        [os.path.abspath(r) for r in roots], _shipped_root()])
    return hashlib.sha256(keyed.encode()).hexdigest()[:40], "<text>:" + digest


def lookup_text(text: str, name: str, roots=()):
    """The cached Network for the pack ``text`` (shown as ``name``) if it was compiled by
    this build and the files its imports name are unchanged and still found; else None."""
    return _read_entry(*text_key(text, name, tuple(os.fspath(r) for r in roots)))


def _read_entry(key: str, target_path: str):
    secret = user_key(create=False)
    if secret is None:
        return None
    d = CacheDir.open()
    if d is None:
        return None
    with d:
        blob = d.read(PREFIX + key + ".bin")
    payload = unseal(MAGIC, blob, secret)
    if payload is None:
        return None  # missing, damaged, or not signed by this user's key
    try:
        header, body = _split(payload)
        if not _still_current(header, key, target_path):
            return None
        signature = _signature(blob)
        network = _IN_MEMORY.get(signature)
        if network is None:
            network = pickle.loads(body)  # noqa: S301 - signed with this user's secret key, files checked
        _remember(signature, network)
        return network
    except Exception:  # noqa: BLE001 - an entry of an unexpected shape is just a miss
        return None


# The networks this process read or stored last, by the signature of their entry (an
# HMAC of the whole entry, checked by unseal: the same signature is the same bytes). An
# entry read again, its files checked as ever, gives the network already in memory:
# unpickling a shipped pack costs several times what checking its entry does, and
# networks are immutable. A shipped pack's network takes about 7 MB: a few are kept.
_IN_MEMORY: dict[bytes, object] = {}
_IN_MEMORY_MAX = 4


def _signature(sealed: bytes) -> bytes:
    return sealed[len(MAGIC):len(MAGIC) + MAC_BYTES]


_IN_MEMORY_LOCK = threading.Lock()


def _remember(signature: bytes, network) -> None:
    with _IN_MEMORY_LOCK:
        _IN_MEMORY.pop(signature, None)
        _IN_MEMORY[signature] = network  # the most recent last
        while len(_IN_MEMORY) > _IN_MEMORY_MAX:
            del _IN_MEMORY[next(iter(_IN_MEMORY))]


def _records(packs, sources) -> list | None:
    """The file record of each pack in ``packs``; None when one changed while compiled."""

    files = []
    for pack in packs:
        source = sources.get(pack.path)
        if source is None:
            return None
        record = _file_record(str(Path(pack.path).resolve()), pack_name_of(pack), source.text)
        if record is None:
            return None
        files.append(record)
    return files


def store(target: str, roots, packset, network) -> None:
    """Keep ``network``, compiled from ``packset``, for the next :func:`lookup` of
    ``target`` with ``roots``. Does nothing when the cache is unusable or a file changed
    while it was compiled."""
    roots = tuple(os.fspath(r) for r in roots)
    keyed = entry_key(target, roots)
    if keyed is None:
        return
    key, target_path = keyed
    files = _records(packset.packs, packset.sources)
    if not files or files[-1][0] != target_path:
        return  # the target resolved elsewhere while it was compiled
    _write_entry(key, target_path, packset.roots, files, network)


def store_text(text: str, name: str, roots, packset, network) -> None:
    """Keep ``network``, compiled from the pack ``text`` and its imports in ``packset``,
    for the next :func:`lookup_text` of the same text, name and roots."""
    key, target_path = text_key(text, name, tuple(os.fspath(r) for r in roots))
    files = _records(packset.packs[:-1], packset.sources)  # the imports: the text is in the key
    if files is None:
        return
    _write_entry(key, target_path, packset.roots, files, network)


def _write_entry(key: str, target_path: str, roots, files: list, network) -> None:
    header = json.dumps({"key": key, "target": target_path, "roots": list(roots),
                         "files": files}).encode()
    try:
        body = pickle.dumps(network, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    d = CacheDir.open(create=True)
    if d is None:
        return
    with d:
        secret = user_key()
        if secret is None:
            return
        sealed = seal(MAGIC, _HEADER_LEN.pack(len(header)) + header + body, secret)
        try:
            d.write(PREFIX + key + ".bin", sealed)
        except OSError:
            return  # a read-only cache is not an error
        _prune(d)
    _remember(_signature(sealed), network)


def _prune(d: CacheDir) -> None:
    """Delete the oldest written entries beyond :data:`MAX_ENTRIES`."""
    names = [name for name, _ in d.entries() if name.startswith(PREFIX)]
    if len(names) > MAX_ENTRIES:
        for name in sorted(names, key=lambda n: (d.modified(n), n))[:len(names) - MAX_ENTRIES]:
            d.remove(name)
