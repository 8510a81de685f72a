"""Syntax errors in words, one per broken declaration.

After a syntax error the file is cut at each line that starts a declaration and every
piece is parsed alone (positions shifted back), so one run reports one error per broken
declaration, up to :data:`MAX_ERRORS`. Each error says what was found, what was expected
and what probably went wrong (:mod:`.words` holds the phrasing).
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .._diagnostics import Diagnostic, did_you_mean, error
from .._source import Source, Span
from .foreign import foreign_character, foreign_word, rule_line
from .lalr import lark_parser, recognize
from .words import DECLARATION_KEYWORDS, describe_terminal, expected_words, hint_for, unfinished

MAX_ERRORS = 50
DECL_START = re.compile(r"^[ \t]*(%s)\b" % "|".join(DECLARATION_KEYWORDS), re.M)


def syntax_errors(source: Source) -> list[Diagnostic]:
    """The syntax errors of a file that does not parse, one per broken declaration."""
    text = source.text
    if "\x00" in text:
        line, col = source.position(text.index("\x00"))
        off = text.index("\x00")
        return [error("E001", "the file contains a NUL byte; is it a binary file?",
                      source.span(off, off + 1))]
    cuts = [m.start(1) for m in DECL_START.finditer(text)]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(len(text))
    diagnostics: list[Diagnostic] = []
    for begin, end in zip(cuts, cuts[1:]):
        chunk = text[begin:end]
        if not chunk.strip():
            continue
        # Each piece is parsed alone and its positions shifted by ``begin``: the work is
        # linear in the file (padding each piece with the text before it was quadratic).
        try:
            recognize(chunk, "start")
        except UnexpectedInput as exc:
            diagnostics.append(syntax_diagnostic(source, exc, chunk, begin))
        if len(diagnostics) >= MAX_ERRORS:
            break
    if not diagnostics:  # the whole failed but no piece did: report the whole's error
        try:
            recognize(text, "start")
        except UnexpectedInput as exc:
            diagnostics.append(syntax_diagnostic(source, exc, text))
    return diagnostics


def syntax_diagnostic(source: Source, exc: UnexpectedInput, text: str, base: int = 0) -> Diagnostic:
    """One syntax error in words: what was found, what was expected, what probably went wrong.

    ``text`` is what was parsed: the piece of ``source`` that starts at offset ``base``.
    """
    if isinstance(exc, UnexpectedCharacters):
        offset = exc.pos_in_stream
        char = text[offset] if offset < len(text) else ""
        span = source.span(base + offset, base + offset + 1)
        if char == '"':
            return error("E003", "unterminated string: a string must end with '\"' on the same line",
                         span, "strings cannot span lines; close it before the end of the line")
        if char == "\t":
            return error("E002", "unexpected tab character here", span)
        foreign = foreign_character(text, offset) or rule_line(text, offset)
        if foreign is not None:
            return _foreign(source, foreign, base)
        expected = expected_words(exc.allowed or (), lark_parser())
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        return error("E002", f"unexpected character {shown}", span,
                     f"expected {expected}" if expected else "")
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        foreign = rule_line(text, len(text.rstrip()))
        if foreign is not None:
            return _foreign(source, foreign, base)
        return _unfinished(source, set(exc.expected), text, base)
    if not isinstance(exc, UnexpectedToken):  # pragma: no cover - Lark has no other kind
        return error("E002", str(exc).splitlines()[0], source.span(0, 0))
    token = exc.token
    span = _token_span(source, token, base)
    expected_set = set(exc.expected)
    shown = describe_terminal(token.type, token.value, lark_parser())
    starts = [m.group(1) for m in DECL_START.finditer(text, 0, token.start_pos or 0)]
    message, notes = hint_for(token, expected_set, shown, starts[-1] if starts else None)
    pos = token.start_pos or 0
    foreign = foreign_word(str(token), pos, token.end_pos or pos, bool(expected_set & _AFTER_VALUE)) \
        or rule_line(text, pos)
    if foreign is not None:
        return _foreign(source, foreign, base)
    if token == "=" and pos > 0 and text[pos - 1] == "=" and (starts[-1:] == ["let"]):
        # `let a == 1`: the lexer read two '=' tokens
        span = source.span(base + pos - 1, base + pos + 1)
        message, notes = "write a single '=' to define a let", ["let NAME = EXPRESSION"]
    if message is None:
        message = f"unexpected {shown}"
        expected = expected_words(expected_set, lark_parser())
        if expected:
            notes.append(f"expected {expected}")
    if token.type == "NAME":
        keywords = [w for w in (_keyword(t) for t in expected_set) if w]
        note = did_you_mean(token.value, keywords)
        if note:
            notes.append(note)
    return error("E002", message, span, *notes)


_NAMED_DECL = re.compile(r"^[ \t]*(%s)\s+([A-Za-z_][A-Za-z0-9_.]*)?" % "|".join(DECLARATION_KEYWORDS), re.M)
_CODE_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*+"?|#[^\n]*|\S+')


def _unfinished(source: Source, expected: set[str], text: str, base: int = 0) -> Diagnostic:
    """The input stops (file end, or the next declaration) before the declaration is complete.

    The caret goes just after the last token, where the missing text belongs.
    """
    last_end = 0
    for match in _CODE_TOKEN.finditer(text):
        if not match.group(0).startswith("#"):
            last_end = match.end()
    decls = list(_NAMED_DECL.finditer(text, 0, max(last_end, 0) + 1))
    keyword, name = (decls[-1].group(1), decls[-1].group(2)) if decls else (None, None)
    at_file_end = base + len(text.rstrip()) >= len(source.text.rstrip())
    message, notes = unfinished(keyword, name, expected, at_file_end)
    words = expected_words(expected, lark_parser())
    if words:
        notes.insert(0, f"expected {words}")
    return error("E004", message, source.span(base + last_end, base + last_end), *notes)


# terminals the parser expects only once a value is complete: an operator may follow
_AFTER_VALUE = frozenset({"AND", "OR", "COMPARE", "ADD_OP", "MUL_OP", "THEN"})


def _foreign(source: Source, hint, base: int) -> Diagnostic:
    message, notes, (start, end) = hint
    return error("E002", message, source.span(base + start, base + end), *notes)


def _keyword(terminal: str) -> str | None:
    pattern = {t.name: t.pattern for t in lark_parser().terminals}.get(terminal)
    if pattern is not None and pattern.type == "str" and pattern.value.isalpha():
        return pattern.value
    return None


def _token_span(source: Source, token: Token, base: int = 0) -> Span:
    start = token.start_pos or 0
    end = token.end_pos if token.end_pos is not None else start + len(str(token))
    return source.span(base + start, base + end)

