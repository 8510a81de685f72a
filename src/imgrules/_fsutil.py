"""File-system helpers shared by the commands: folder walks that stay in the folder, and
writes that are atomic."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["atomic_open", "atomic_write_text", "files_below", "remove_stale_temporaries"]


def files_below(folder: str | os.PathLike, suffix: str = ".rules", recursive: bool = True) -> list[Path]:
    """Every file named ``*suffix`` below ``folder`` (only in it when not ``recursive``),
    sorted, that really lies inside it.

    A walk never leaves the folder: links to folders are not entered, and a link to a file
    counts only when the file it leads to is inside the folder too. Otherwise ``check DIR``
    would read (and quote the first line of) whatever file a planted link points at.
    """
    top = os.path.realpath(folder)
    found = []
    for directory, _subdirs, names in os.walk(folder):  # followlinks=False: links to folders skipped
        for name in names:
            if not name.endswith(suffix):
                continue
            path = os.path.join(directory, name)
            real = os.path.realpath(path)
            if os.path.commonpath([top, real]) == top and os.path.isfile(real):
                found.append(Path(path))
        if not recursive:
            break
    return sorted(found)


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text handle whose content replaces the file at ``path`` on a clean exit, or is
    discarded: for output too large to hold in memory (a batch's JSON Lines).

    The text goes to a temporary file in the same directory, is flushed and fsynced, takes
    the permission bits of the file it replaces (if any), and is renamed over it with
    :func:`os.replace`. On any failure the temporary file is removed, the original is left
    as it was, and the exception propagates (``OSError`` for I/O problems).

    A symbolic link is followed: the file it points to is replaced and the link stays.

    The temporary file is named ``.NAME.PID.RANDOM.tmp``: a run killed before it could
    remove its own (SIGKILL, a power cut) leaves one behind, and the next write to the same
    target removes those whose process is gone (:func:`remove_stale_temporaries`).
    """
    target = Path(os.path.realpath(path))
    remove_stale_temporaries(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


_TMP_SUFFIX = ".tmp"


def remove_stale_temporaries(target: str | os.PathLike) -> list[Path]:
    """Remove the temporary files :func:`atomic_open` left beside ``target`` in runs that
    were killed: ``.NAME.PID.RANDOM.tmp`` whose process PID no longer exists. Returns
    what was removed. Files of a live process (another run writing now) are kept."""
    target = Path(target)
    removed = []
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if not (name.startswith(prefix) and name.endswith(_TMP_SUFFIX)):
            continue
        pid_text = name[len(prefix):-len(_TMP_SUFFIX)].split(".", 1)[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(target.parent / name)
            removed.append(target.parent / name)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a pid we cannot ask about): leave its file
    return True


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` with ``text`` all at once, or not at all (see
    :func:`atomic_open`)."""
    with atomic_open(path, encoding) as handle:
        handle.write(text)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
