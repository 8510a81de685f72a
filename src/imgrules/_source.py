"""Source files and spans: where every node and diagnostic points.

A :class:`Span` is a half-open character range in one :class:`Source`, with 1-based
line and column numbers for people. :func:`render_snippet` shows the source line with a
caret or underline, the way compilers do. :func:`text_as_written` shows a message with
holes as its author wrote it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

import attrs

from ._safetext import escape_controls


@attrs.frozen
class Source:
    """The text of one pack file (or of text given on standard input)."""

    path: str
    text: str = attrs.field(repr=False)
    # offsets at which each line starts: positions are a binary search, not a scan
    _line_starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)

    @_line_starts.default
    def _find_line_starts(self) -> tuple[int, ...]:
        starts = [0]
        find = self.text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        return tuple(starts)

    def line(self, lineno: int) -> str:
        """The text of 1-based line ``lineno`` without its line ending."""
        if not 1 <= lineno <= len(self._line_starts):
            return ""
        start = self._line_starts[lineno - 1]
        end = self._line_starts[lineno] - 1 if lineno < len(self._line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(self.path, line, column, end_line, end_column, start, end)


@attrs.frozen(order=True)
class Span:
    """A range of source text: file, 1-based start and end line/column, offsets."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = attrs.field(default=0, repr=False)
    end: int = attrs.field(default=0, repr=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def cover(self, other: Span) -> Span:
        """The smallest span holding both (same file)."""
        first, last = (self, other) if self.start <= other.start else (other, self)
        end = last if last.end >= first.end else first
        return Span(first.path, first.line, first.column, end.end_line, end.end_column,
                    first.start, end.end)


NOWHERE = Span("<builtin>", 0, 0, 0, 0)


SNIPPET_WIDTH = 160  # characters of a long line shown around the caret
_CONTEXT = 60  # of which before the caret, when the line is clipped
def _display(text: str) -> str:
    """``text`` safe for a terminal: a tab is one space, other controls are escaped."""
    return escape_controls(text.replace("\t", " "))


def render_snippet(source: Source | None, span: Span) -> str:
    """The line of ``span`` with a caret under its first column, or an underline.

    Control characters are shown escaped (``\\x1b``) and the caret moves with them; a
    line longer than ``SNIPPET_WIDTH`` is clipped around the caret (``...`` marks the
    cut), so a diagnostic in a 10 MB one-line file stays one readable screen line.
    Returns an empty string when the source is not at hand.
    """
    if source is None or span.line <= 0:
        return ""
    line = source.line(span.line)
    caret = max(span.column - 1, 0)
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    low, high = 0, len(line)
    if high > SNIPPET_WIDTH:
        low = max(0, min(caret - _CONTEXT, high - SNIPPET_WIDTH))
        high = low + SNIPPET_WIDTH
    before = ("..." if low > 0 else "") + _display(line[low:min(caret, high)])
    marked = _display(line[caret:min(caret + width, high)])
    text = before + marked + _display(line[caret + width:high]) + ("..." if high < len(line) else "")
    gutter = f"{span.line:>4} | "
    underline = "^" * max(1, len(marked)) if width > 1 else "^"
    padding = " " * (len(before) + max(0, caret - len(line)))  # a caret past the line's end
    marker = " " * (len(gutter) - 2) + "| " + padding + underline
    return f"{gutter}{text}\n{marker}"


def text_as_written(text: Any, sources: Mapping[str, Source] | None = None) -> str:
    """A pack message (an :class:`imgrules.ast.Text`) as written: each hole shown as
    ``{expression}`` in its source text (``{\u2026}`` when the source is not at hand);
    ``""`` for no message. What the plan and the compiled rules show of a message before
    it is evaluated. (``text`` is not annotated with the AST's type: the AST is built on
    this module's spans, and importing it here would make a cycle.)"""
    if text is None:
        return ""
    out = []
    for part in text.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        source = (sources or {}).get(part.span.path)
        found = source.text[part.span.start:part.span.end] if source is not None else ""
        out.append("{" + (found.strip() or "\u2026") + "}")
    return "".join(out)
