"""The AST built while Lark parses: :class:`Builder` gets one call per grammar rule
reduced (see :mod:`.reduce`) and returns the node, its span from the rule's position.

The rules themselves are grouped by the part of the grammar they cover:
:class:`.declarations.DeclarationRules` (pack, types, definitions, rules, tables, tests)
and :class:`.expressions.ExpressionRules` (expressions and literals). This module holds
what they share: spans, strings, messages with ``{...}`` holes, and the errors of a
construct the grammar accepts but the AST cannot hold (:class:`NodeError`).
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedInput

from .. import ast
from .._diagnostics import error
from .._source import Source, Span
from . import reduce
from .build_common import ESCAPES, MAX_NUMBER_DIGITS, LineIndex, NodeError
from .declarations import DeclarationRules
from .expressions import ExpressionRules
from .lalr import blank, lark_parser, recognize, retag_minus
from .recovery import syntax_diagnostic

_TEXT_MARK = re.compile(r"\\.|\{\{|\}\}|\{")  # what a message's text does not take as written


class Builder(DeclarationRules, ExpressionRules):
    """Build AST nodes bottom-up while Lark parses (:mod:`.reduce`): one method per grammar
    rule, called as ``method(meta, *children)``; ``meta`` gives the node its span.

    ``failed`` holds the first error of a construct the AST cannot hold (a NodeError).
    """

    def __init__(self, source: Source, offset: int, lines: LineIndex):
        self.source = source
        self.offset = offset
        self.lines = lines
        self.failed: NodeError | None = None
        self._reductions: dict | None = None
        self._chains: dict[int, tuple[ast.BoolOp, list]] = {}  # open and/or chains, by node id

    def build(self, text: str, start: str):
        """The AST of ``text`` from grammar rule ``start``; raises UnexpectedInput on a
        syntax error. Check ``failed`` afterwards."""
        parser = lark_parser()
        if self._reductions is None:
            self._reductions = reduce.callbacks(parser, self)
        try:
            return reduce.parse(parser, self._reductions, text, start, retag_minus)
        finally:
            self._close_chains()

    # -- helpers
    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return self.lines.span(self.offset, self.offset)
        return self.lines.span(meta.start_pos + self.offset, meta.end_pos + self.offset)

    def _tspan(self, token: Token) -> Span:
        return self.lines.span(token.start_pos + self.offset, token.end_pos + self.offset)

    def _digits(self, token: Token, digits: str) -> str:
        """``digits`` (part of ``token``), or an error when there are too many of them."""
        count = len(digits) - digits.count(".")
        if count > MAX_NUMBER_DIGITS:
            raise NodeError(error("E011", f"a number of {count:,} digits (at most {MAX_NUMBER_DIGITS})",
                                  self._tspan(token)))
        return digits

    def _int(self, token: Token, digits: str | None = None) -> int:
        return int(self._digits(token, str(token) if digits is None else digits))

    def _float(self, token: Token) -> float:
        return float(self._digits(token, str(token)))

    def _ident(self, token: Token) -> ast.Ident:
        return ast.Ident(str(token), self._tspan(token))

    def _string(self, token: Token) -> str:
        body = token[1:-1]
        return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body)

    def _text(self, token: Token) -> ast.Text:
        """A message string with ``{expr}`` holes; ``{{`` and ``}}`` are literal braces."""
        raw = str(token)
        base = token.start_pos + self.offset
        parts: list[str | ast.Expr] = []
        buf: list[str] = []  # runs of plain text between the special marks, not characters:
        i = 1                # memory stays a small multiple of the message's length
        end = len(raw) - 1
        while i < end:
            mark = _TEXT_MARK.search(raw, i, end)
            if mark is None:
                buf.append(raw[i:end])
                break
            buf.append(raw[i:mark.start()])
            found, i = mark.group(0), mark.start()
            if found[0] == "\\":
                buf.append(ESCAPES.get(found[1], found[1]))
                i += 2
            elif found in ("{{", "}}"):
                buf.append(found[0])
                i += 2
            else:  # "{" opens a hole
                close = raw.find("}", i)
                if close < 0 or close >= end:
                    raise NodeError(error("E005", "'{' in a message opens a value that is never closed",
                                          self.lines.span(base + i, base + i + 1),
                                          "write '{{' for a literal brace"))
                text = "".join(buf)
                if text:
                    parts.append(text)
                buf = []
                parts.append(self._hole(raw[i + 1:close], base + i + 1))
                i = close + 1
        text = "".join(buf)
        if text:
            parts.append(text)
        return ast.Text(tuple(parts), self._tspan(token))

    def _hole(self, text: str, offset: int) -> ast.Expr:
        """The expression in a message's ``{...}`` hole at ``offset``, parsed with this
        builder's reductions (set up once per file) and positions shifted by ``offset``."""
        outer = self.offset
        self.offset = offset
        try:
            expr = self.build(text, "expr")
        except UnexpectedInput:
            self.failed = None  # a syntax error in the hole is what gets reported
            raise self._hole_error(text, offset) from None
        finally:
            self.offset = outer
        if self.failed is not None:  # e.g. a bad date inside the hole: report it as such
            failed, self.failed = self.failed, None
            raise failed
        return expr

    def _hole_error(self, text: str, offset: int) -> NodeError:
        # Parse again behind blanks (slow, errors only) so that positions are true.
        padded = blank(self.source.text[:offset]) + text
        try:
            recognize(padded, "expr")
        except UnexpectedInput as exc:
            diag = syntax_diagnostic(self.source, exc, self.source.text[:offset] + text)
        else:  # pragma: no cover - the same text cannot parse the second time
            raise RuntimeError(f"the hole {text!r} parsed the second time")
        if diag.code == "E004":  # the hole stops early
            expected = [n for n in diag.notes if n.startswith("expected")]
            return NodeError(error("E005", "the value in '{...}' is incomplete", diag.span, *expected,
                                    "write '{{' for a literal brace"))
        return NodeError(error("E005", f"bad value in message: {diag.message}", diag.span, *diag.notes))
