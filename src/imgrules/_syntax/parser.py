"""Rule text -> :class:`imgrules.ast.Pack`: the syntax stage's entry points.

``parse(text, path)`` returns ``(pack_or_None, diagnostics)``: it never raises for bad
input. The work is split by responsibility: :mod:`.lalr` (the Lark parser, the only
module that makes one), :mod:`.builder` with :mod:`.declarations` and
:mod:`.expressions` (the AST built while Lark parses), :mod:`.recovery` (syntax errors in
words, one per broken declaration).
"""

from __future__ import annotations

import re

import attrs
from lark.exceptions import UnexpectedInput

from .. import ast
from .._diagnostics import Diagnostic
from .._source import Source
from .build_common import LineIndex
from .builder import Builder
from .recovery import syntax_errors


def parse(text: str, path: str = "<input>") -> tuple[ast.Pack | None, list[Diagnostic]]:
    """Parse one pack file. Returns the AST (None on syntax errors) and diagnostics."""
    source = Source(path, text)
    if "\x00" in text:
        return None, syntax_errors(source)
    builder = Builder(source, 0, LineIndex(source))
    try:
        pack = builder.build(text, "start")
    except UnexpectedInput:
        return None, syntax_errors(source)
    if builder.failed is not None:  # a construct the grammar accepts but the AST cannot hold
        return None, [builder.failed.diagnostic]
    return attrs.evolve(pack, comments=comments_of(source)), []


def parse_expr(text: str, path: str = "<expr>", offset: int = 0, full_text: str | None = None):
    """Parse a lone expression (used for ``{...}`` holes in messages)."""
    source = Source(path, full_text if full_text is not None else text)
    builder = Builder(source, offset, LineIndex(source))
    expr = builder.build(text, "expr")
    if builder.failed is not None:
        raise builder.failed
    return expr


_LINE_COMMENT = re.compile(r'^(?:[^"#\n]|"(?:[^"\\\n]|\\.)*+")*+(#[^\n]*)', re.M)


def comments_of(source: Source) -> tuple[ast.Comment, ...]:
    """Every ``#`` comment (a ``#`` outside a string runs to the end of its line)."""
    found = []
    for match in _LINE_COMMENT.finditer(source.text):
        start, end = match.span(1)
        found.append(ast.Comment(match.group(1).rstrip(), source.span(start, end)))
    return tuple(found)
