"""Where a batch writes: JSON Lines streamed atomically to a file, and a progress line.

:func:`atomic_lines` is :func:`imgrules._fsutil.atomic_open`: lines go to a temporary file
beside the target, which replaces the target only when the whole run has been written
(the old file is untouched otherwise).
"""

from __future__ import annotations

import time
from typing import TextIO

from .._fsutil import atomic_open

atomic_lines = atomic_open  # the name the batch modules use


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
