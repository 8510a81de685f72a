"""What the parts of the AST builder share: :class:`NodeError`, :class:`LineIndex` (fast
spans), and the tables of duration units and string escapes."""

from __future__ import annotations

import bisect
import re

from .._diagnostics import Diagnostic
from .._source import Source, Span
from . import reduce


class NodeError(reduce.BuildError):
    """A construct the grammar accepts but the AST cannot hold (a bad date, an unclosed
    hole): stops the build and carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


# Digits one number may have (``T-k``, durations and priorities included): far beyond any
# real constant, and inside what Python converts and a float holds (no ``inf``).
MAX_NUMBER_DIGITS = 300

UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
          "months": "month", "year": "year", "years": "year"}
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


class LineIndex:
    """Offsets to spans in O(log n): ``Source.span`` counts lines from the top every time,
    which makes building a large file's AST quadratic."""

    def __init__(self, source: Source):
        self.source = source
        self.starts = [0] + [m.end() for m in re.finditer("\n", source.text)]
        self.ends = self.starts[1:] + [len(source.text) + 1]  # where each line's successor starts

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.source.text)))
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def span(self, start: int, end: int) -> Span:
        """``Source.span``, fast: called for every node of the AST."""
        starts, size = self.starts, len(self.source.text)
        a = start if 0 <= start <= size else (0 if start < 0 else size)
        b = end if 0 <= end <= size else (0 if end < 0 else size)
        i = bisect.bisect_right(starts, a) - 1
        # most spans end on the line they start on: skip the second search
        j = i if starts[i] <= b < self.ends[i] else bisect.bisect_right(starts, b) - 1
        return Span(self.source.path, i + 1, a - starts[i] + 1, j + 1, b - starts[j] + 1, start, end)
