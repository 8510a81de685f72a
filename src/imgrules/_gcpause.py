"""The cyclic garbage collector paused while the engine makes objects that live on.

Compiling a pack, loading a profile, running it and building its results allocate
thousands of container objects (records, firings, findings) that all survive until the
results are dropped. Every 700 allocations the collector would walk the young objects,
and every few of those walks the older ones, freeing nothing; a pass over a large
compiled pack costs more than evaluating a profile. Paused, the collector runs once
afterwards over what was made. Nested and concurrent pauses are safe: only the pause that
found the collector enabled enables it again.
"""

from __future__ import annotations

import gc


class paused_gc:
    """``with paused_gc(): ...``: the collector disabled inside, as it was after."""

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = enabled = gc.isenabled()
        if enabled:
            gc.disable()

    def __exit__(self, *exc) -> None:
        if self.enabled:
            gc.enable()
