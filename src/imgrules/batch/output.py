"""Where a batch writes: JSON Lines streamed atomically to a file, and a progress line.

:func:`atomic_lines` is :func:`imgrules.fsutil.atomic_write_text` for output too large
to hold in memory: lines go to a temporary file beside the target, which replaces the
target only when the whole run has been written (the old file is untouched otherwise).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_lines(path: str | os.PathLike, encoding: str = "utf-8"):
    """A text handle whose content replaces ``path`` on a clean exit, or is discarded.
    A symlink is followed: the file it points to is replaced, the link kept."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """``[#####.....]  512/2000  25%  118.4/s  ETA 0:12`` redrawn in place on a terminal,
    at most ``hz`` times a second; without a total, the count and the rate only."""

    def __init__(self, stream: TextIO, total: int | None, width: int = 24, hz: float = 8.0,
                 clock=time.monotonic):
        self.stream = stream
        self.total = total
        self.width = width
        self.interval = 1.0 / hz
        self.clock = clock
        self.start = clock()
        self.last = float("-inf")
        self.done = 0
        self.failed = 0

    def line(self) -> str:
        elapsed = max(self.clock() - self.start, 1e-9)
        rate = self.done / elapsed
        failed = f"  {self.failed} failed" if self.failed else ""
        if not self.total:
            return f"{self.done} profiles  {rate:.1f}/s{failed}"
        frac = min(self.done / self.total, 1.0)
        filled = int(frac * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "?"
        return (f"[{bar}] {self.done}/{self.total} {frac:4.0%}  {rate:.1f}/s  "
                f"ETA {eta}{failed}")

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + self.line() + "\x1b[K\n")
        self.stream.flush()
