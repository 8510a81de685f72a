"""Doc comments: the ``#`` comments that say what a declaration or a field means.

The language has no doc-comment syntax of its own; packs describe a declaration with
comment lines right above it and a field with a comment at the end of its line::

    # Years since graduation as the contract defines it.
    let years_out = year(as_of) - applicant.graduation_year

    record Step2 {
      score: int?  # absent = not taken
    }

:func:`doc_comment` finds that text for any node, so the language server's hover, the
profile's JSON Schema and the generated profile reference all read the same words.
Section banners (``# ----- enums``) are not documentation and are left out.
"""

from __future__ import annotations

import re

from . import ast

_BANNER = re.compile(r"-{5,}")


class DocComments:
    """The comments of one parsed pack, by line, to look up a node's doc comment."""

    def __init__(self, pack: ast.Pack, text: str):
        self._by_line = {c.span.line: c for c in pack.comments}
        self._lines = text.splitlines()

    def _own_line(self, line: int) -> str | None:
        """The text of a comment that is alone on 1-based ``line``, else None."""
        comment = self._by_line.get(line)
        if comment is None or not 1 <= line <= len(self._lines):
            return None
        if self._lines[line - 1].lstrip().startswith("#"):
            return comment.text
        return None

    def doc_comment(self, node) -> str:
        """The comment lines right above ``node`` and the comment ending its first line."""
        span = node.span
        above: list[str] = []
        line = span.line - 1
        while line >= 1:
            text = self._own_line(line)
            if text is None or _BANNER.search(text):
                break
            above.append(text)
            line -= 1
        parts = [_strip(t) for t in reversed(above)]
        trailing = self._by_line.get(span.line)
        if trailing is not None and trailing.span.start >= span.start and \
                self._own_line(span.line) is None and not _BANNER.search(trailing.text):
            parts.append(_strip(trailing.text))
        return "\n".join(p for p in parts if p)


def _strip(comment: str) -> str:
    return comment.lstrip("#").strip()
