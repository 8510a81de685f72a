"""Rule text -> :class:`imgrules.ast.Pack`. The only module that imports Lark.

``parse(text, path)`` returns ``(pack_or_None, diagnostics)``: it never raises for bad
input. After a syntax error the file is cut at the next line that starts a declaration
and each piece is parsed again, so one run reports one error per broken declaration.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re

import attrs
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .. import ast
from ..diagnostics import Diagnostic, did_you_mean, error
from ..source import Source, Span
from . import reduce
from .tables import load_parser
from .words import DECLARATION_KEYWORDS, describe_terminal, expected_words, hint_for, unfinished

MAX_ERRORS = 50
# Digits one number may have (``T-k``, durations and priorities included): far beyond any
# real constant, and inside what Python converts and a float holds (no ``inf``).
MAX_NUMBER_DIGITS = 300
_DECL_START = re.compile(r"^[ \t]*(%s)\b" % "|".join(DECLARATION_KEYWORDS), re.M)


@functools.cache
def _parser() -> Lark:
    """The Lark parser, built once per process (its tables cached between runs)."""
    return load_parser()


def _retag_minus(exc: UnexpectedToken) -> bool:
    """Resume after the lexer read ``-`` as the wrong one of its two terminals.

    LALR merges the state after a number in an expression with the one after a number
    in a constant list, where ``-`` starts a negative constant; the contextual lexer then
    reads the ``-`` of ``3 - 4`` as that sign. Feed it again as the terminal the parser
    wants (binary ``ADD_OP`` or the sign ``MINUS``).
    """
    if not isinstance(exc, UnexpectedToken):
        return False
    token = exc.token
    if token.type == "MINUS" and "ADD_OP" in exc.expected:
        wanted = "ADD_OP"
    elif token.type == "ADD_OP" and token == "-" and "MINUS" in exc.expected:
        wanted = "MINUS"
    else:
        return False
    exc.interactive_parser.feed_token(Token.new_borrow_pos(wanted, "-", token))
    return True


def _parse_tree(text: str, start: str):
    """Lark's own parse tree, with the ``-`` fix-up; raises Lark's UnexpectedInput on bad
    text. Parsing builds the AST directly (:class:`_Builder`); this classic path is the
    reference the tests compare it with."""
    return _parser().parse(text, start=start, on_error=_retag_minus)


def _recognize(text: str, start: str) -> None:
    """Only check the syntax (no tree, no AST): the error paths parse many pieces."""
    parser = _parser()
    reduce.parse(parser, reduce.recognizer(parser), text, start, _retag_minus)


def _blank(text: str) -> str:
    """``text`` with every character but newlines made a space (positions kept)."""
    return re.sub(r"[^\n]", " ", text)


def parse(text: str, path: str = "<input>") -> tuple[ast.Pack | None, list[Diagnostic]]:
    """Parse one pack file. Returns the AST (None on syntax errors) and diagnostics."""
    source = Source(path, text)
    if "\x00" in text:
        return None, _collect_syntax_errors(source)
    builder = _Builder(source, 0, _LineIndex(source))
    try:
        pack = builder.build(text, "start")
    except UnexpectedInput:
        return None, _collect_syntax_errors(source)
    if builder.failed is not None:  # a construct the grammar accepts but the AST cannot hold
        return None, [builder.failed.diagnostic]
    return attrs.evolve(pack, comments=comments_of(source)), []


def parse_expr(text: str, path: str = "<expr>", offset: int = 0, full_text: str | None = None):
    """Parse a lone expression (used for ``{...}`` holes in messages)."""
    source = Source(path, full_text if full_text is not None else text)
    builder = _Builder(source, offset, _LineIndex(source))
    expr = builder.build(text, "expr")
    if builder.failed is not None:
        raise builder.failed
    return expr


_LINE_COMMENT = re.compile(r'^(?:[^"#\n]|"(?:[^"\\\n]|\\.)*")*(#[^\n]*)', re.M)


def comments_of(source: Source) -> tuple[ast.Comment, ...]:
    """Every ``#`` comment (a ``#`` outside a string runs to the end of its line)."""
    found = []
    for match in _LINE_COMMENT.finditer(source.text):
        start, end = match.span(1)
        found.append(ast.Comment(match.group(1).rstrip(), source.span(start, end)))
    return tuple(found)


# ------------------------------------------------------------------ syntax errors


def _collect_syntax_errors(source: Source) -> list[Diagnostic]:
    text = source.text
    if "\x00" in text:
        line, col = source.position(text.index("\x00"))
        off = text.index("\x00")
        return [error("E001", "the file contains a NUL byte; is it a binary file?",
                      source.span(off, off + 1))]
    cuts = [m.start(1) for m in _DECL_START.finditer(text)]
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
            _recognize(chunk, "start")
        except UnexpectedInput as exc:
            diagnostics.append(_syntax_diagnostic(source, exc, chunk, begin))
        if len(diagnostics) >= MAX_ERRORS:
            break
    if not diagnostics:  # the whole failed but no piece did: report the whole's error
        try:
            _recognize(text, "start")
        except UnexpectedInput as exc:
            diagnostics.append(_syntax_diagnostic(source, exc, text))
    return diagnostics


def _syntax_diagnostic(source: Source, exc: UnexpectedInput, text: str, base: int = 0) -> Diagnostic:
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
        expected = expected_words(exc.allowed or (), _parser())
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        return error("E002", f"unexpected character {shown}", span,
                     f"expected {expected}" if expected else "")
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return _unfinished(source, set(exc.expected), text, base)
    if not isinstance(exc, UnexpectedToken):  # pragma: no cover - Lark has no other kind
        return error("E002", str(exc).splitlines()[0], source.span(0, 0))
    token = exc.token
    span = _token_span(source, token, base)
    expected_set = set(exc.expected)
    shown = describe_terminal(token.type, token.value, _parser())
    starts = [m.group(1) for m in _DECL_START.finditer(text, 0, token.start_pos or 0)]
    message, notes = hint_for(token, expected_set, shown, starts[-1] if starts else None)
    pos = token.start_pos or 0
    if token == "=" and pos > 0 and text[pos - 1] == "=" and (starts[-1:] == ["let"]):
        # `let a == 1`: the lexer read two '=' tokens
        span = source.span(base + pos - 1, base + pos + 1)
        message, notes = "write a single '=' to define a let", ["let NAME = EXPRESSION"]
    if message is None:
        message = f"unexpected {shown}"
        expected = expected_words(expected_set, _parser())
        if expected:
            notes.append(f"expected {expected}")
    if token.type == "NAME":
        keywords = [w for w in (_keyword(t) for t in expected_set) if w]
        note = did_you_mean(token.value, keywords)
        if note:
            notes.append(note)
    return error("E002", message, span, *notes)


_NAMED_DECL = re.compile(r"^[ \t]*(%s)\s+([A-Za-z_][A-Za-z0-9_.]*)?" % "|".join(DECLARATION_KEYWORDS), re.M)
_CODE_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|\S+')


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
    words = expected_words(expected, _parser())
    if words:
        notes.insert(0, f"expected {words}")
    return error("E004", message, source.span(base + last_end, base + last_end), *notes)


def _keyword(terminal: str) -> str | None:
    pattern = {t.name: t.pattern for t in _parser().terminals}.get(terminal)
    if pattern is not None and pattern.type == "str" and pattern.value.isalpha():
        return pattern.value
    return None


def _token_span(source: Source, token: Token, base: int = 0) -> Span:
    start = token.start_pos or 0
    end = token.end_pos if token.end_pos is not None else start + len(str(token))
    return source.span(base + start, base + end)


# ------------------------------------------------------------------ tree -> AST


class _NodeError(reduce.BuildError):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
          "months": "month", "year": "year", "years": "year"}
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


class _LineIndex:
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


class _Builder:
    """Build AST nodes bottom-up while Lark parses (:mod:`.reduce`): one method per grammar
    rule, called as ``method(meta, *children)``; ``meta`` gives the node its span.

    ``failed`` holds the first error of a construct the AST cannot hold (a _NodeError).
    """

    def __init__(self, source: Source, offset: int, lines: _LineIndex):
        self.source = source
        self.offset = offset
        self.lines = lines
        self.failed: _NodeError | None = None
        self._reductions: dict | None = None
        self._chains: dict[int, tuple[ast.BoolOp, list]] = {}  # open and/or chains, by node id

    def build(self, text: str, start: str):
        """The AST of ``text`` from grammar rule ``start``; raises UnexpectedInput on a
        syntax error. Check ``failed`` afterwards."""
        parser = _parser()
        if self._reductions is None:
            self._reductions = reduce.callbacks(parser, self)
        try:
            return reduce.parse(parser, self._reductions, text, start, _retag_minus)
        finally:
            self._close_chains()

    # -- helpers
    def _span(self, meta) -> Span:
        if getattr(meta, "empty", True):
            return self.lines.span(self.offset, self.offset)
        return self.lines.span(meta.start_pos + self.offset, meta.end_pos + self.offset)

    def _tspan(self, token: Token) -> Span:
        return self.lines.span(token.start_pos + self.offset, token.end_pos + self.offset)

    def _ident(self, token: Token) -> ast.Ident:
        return ast.Ident(str(token), self._tspan(token))

    def _string(self, token: Token) -> str:
        body = token[1:-1]
        return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)

    def _text(self, token: Token) -> ast.Text:
        """A message string with ``{expr}`` holes; ``{{`` and ``}}`` are literal braces."""
        raw = str(token)
        base = token.start_pos + self.offset
        parts: list[str | ast.Expr] = []
        buf = []
        i = 1
        end = len(raw) - 1
        while i < end:
            ch = raw[i]
            if ch == "\\" and i + 1 < end:
                buf.append(_ESCAPES.get(raw[i + 1], raw[i + 1]))
                i += 2
            elif raw.startswith("{{", i) or raw.startswith("}}", i):
                buf.append(ch)
                i += 2
            elif ch == "{":
                close = raw.find("}", i)
                if close < 0 or close >= end:
                    raise _NodeError(error("E005", "'{' in a message opens a value that is never closed",
                                           self.lines.span(base + i, base + i + 1),
                                           "write '{{' for a literal brace"))
                hole = raw[i + 1:close]
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self._hole(hole, base + i + 1))
                i = close + 1
            else:
                buf.append(ch)
                i += 1
        if buf:
            parts.append("".join(buf))
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

    def _hole_error(self, text: str, offset: int) -> _NodeError:
        # Parse again behind blanks (slow, errors only) so that positions are true.
        padded = _blank(self.source.text[:offset]) + text
        try:
            _recognize(padded, "expr")
        except UnexpectedInput as exc:
            diag = _syntax_diagnostic(self.source, exc, self.source.text[:offset] + text)
        else:  # pragma: no cover - the same text cannot parse the second time
            raise RuntimeError(f"the hole {text!r} parsed the second time")
        if diag.code == "E004":  # the hole stops early
            expected = [n for n in diag.notes if n.startswith("expected")]
            return _NodeError(error("E005", "the value in '{...}' is incomplete", diag.span, *expected,
                                    "write '{{' for a literal brace"))
        return _NodeError(error("E005", f"bad value in message: {diag.message}", diag.span, *diag.notes))

    # -- file
    def start(self, meta, *items):
        header = None
        imports = []
        decls = []
        for item in items:
            if isinstance(item, ast.PackHeader):
                header = item
            elif isinstance(item, ast.Import):
                imports.append(item)
            elif item is not None:
                decls.append(item)
        return ast.Pack(self.source.path, header, tuple(imports), tuple(decls),
                        span=self.lines.span(0, len(self.source.text)))

    def pack_header(self, meta, name, *attrs_):
        fields = dict(attrs_)
        return ast.PackHeader(name, fields.get("version"), fields.get("title"), fields.get("source"),
                              self._span(meta))

    def pack_version(self, meta, s):
        return ("version", self._string(s))

    def pack_title(self, meta, s):
        return ("title", self._string(s))

    def pack_source(self, meta, s):
        return ("source", self._string(s))

    def dotted_name(self, meta, *names):
        return ast.Ident(".".join(str(n) for n in names), self._span(meta))

    def import_decl(self, meta, name):
        return ast.Import(name, self._span(meta))

    # -- types
    def enum_decl(self, meta, name, members):
        return ast.EnumDecl(self._ident(name), members, self._span(meta))

    def enum_members(self, meta, *names):
        return tuple(self._ident(n) for n in names)

    def _record(self, kind, meta, name, items):
        fields: list[ast.FieldDecl] = []
        for item in items:
            if isinstance(item, ast.FieldDecl):
                fields.append(item)
            elif not fields:
                raise _NodeError(error("E002", f"'{item.word.text}' comes before any field",
                                       item.span, "a bound follows a field's type: `interviews: int in 0..`"))
            else:
                last = fields[-1]
                fields[-1] = attrs.evolve(last, span=last.span.cover(item.span), bounds=(*last.bounds, item))
        return ast.RecordDecl(kind, name, tuple(fields), self._span(meta))

    def record_decl(self, meta, name, *fields):
        return self._record("record", meta, self._ident(name), fields)

    def fact_decl(self, meta, name, *fields):
        return self._record("fact", meta, self._ident(name), fields)

    def profile_decl(self, meta, *fields):
        return self._record("profile", meta, ast.Ident("profile", self._span(meta)), fields)

    def field_decl(self, meta, name, type_):
        return ast.FieldDecl(self._ident(name), type_, self._span(meta))

    def range_bound(self, meta, word, range_):
        low, high = range_
        return ast.FieldBound(self._ident(word), low, high, None, self._span(meta))

    def text_bound(self, meta, word, text):
        return ast.FieldBound(self._ident(word), None, None, self._string(text), self._span(meta))

    def closed_bound(self, meta, low, high):
        return (low, high)

    def upto_bound(self, meta, high):
        return (None, high)

    def from_bound(self, meta, low):
        return (low, None)

    def simple_type(self, meta, name, optional):
        return ast.TypeRef(str(name), optional is not None, None, self._span(meta))

    def list_type(self, meta, item, optional):
        return ast.TypeRef("list", optional is not None, item, self._span(meta))

    # -- definitions
    def let_decl(self, meta, name, params, body):
        return ast.LetDecl(self._ident(name), params, body, self._span(meta))

    def let_params(self, meta, *names):
        return tuple(self._ident(n) for n in names if n is not None)

    def map_decl(self, meta, name, key_type, value_type, *entries):
        return ast.MapDecl(self._ident(name), key_type, value_type, tuple(entries), self._span(meta))

    def map_entry(self, meta, key, value):
        return ast.MapEntry(key, value, self._span(meta))

    # -- rules
    def _meta(self, items) -> tuple[ast.Meta, list]:
        cites, covers, priority, rest = [], [], None, []
        for item in items:
            if isinstance(item, tuple) and item and item[0] == "cite":
                cites.append(item[1])
            elif isinstance(item, tuple) and item and item[0] == "covers":
                covers.extend(item[1])
            elif isinstance(item, tuple) and item and item[0] == "priority":
                priority = item[1]
            else:
                rest.append(item)
        return ast.Meta(tuple(cites), tuple(covers), priority), rest

    def cite(self, meta, s):
        return ("cite", self._string(s))

    def covers(self, meta, *ids):
        return ("covers", tuple(ids))

    def priority(self, meta, n):
        return ("priority", self._int(n))

    def check_id(self, meta, token):
        return self._ident(token)

    def _tmonth(self, token: Token) -> ast.TMonth:
        sign = -1 if token[1] == "+" else 1
        return ast.TMonth(sign * self._int(token, token[2:]), self._tspan(token))

    def at_timing(self, meta, t):
        return ast.Timing("at", self._tmonth(t), None, self._span(meta))

    def from_timing(self, meta, t):
        return ast.Timing("from", self._tmonth(t), None, self._span(meta))

    def until_timing(self, meta, t):
        return ast.Timing("until", self._tmonth(t), None, self._span(meta))

    def during_timing(self, meta, a, b):
        return ast.Timing("during", self._tmonth(a), self._tmonth(b), self._span(meta))

    def bindings(self, meta, *items):
        return ("bindings", tuple(items))

    def binding(self, meta, name, source):
        return ast.Binding(self._ident(name), source, self._span(meta))

    def when_clause(self, meta, expr):
        return ("when", expr)

    def message_clause(self, meta, s):
        return ("message", self._text(s))

    def rule_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        timing = None
        bindings: tuple = ()
        when = None
        actions = []
        for item in rest:
            if isinstance(item, ast.Timing):
                timing = item
            elif isinstance(item, tuple) and item and item[0] == "bindings":
                bindings = item[1]
            elif isinstance(item, tuple) and item and item[0] == "when":
                when = item[1]
            elif item is not None:
                actions.append(item)
        return ast.Rule(self._ident(name), self._string(title), info, timing, bindings, when,
                        tuple(actions), self._span(meta))

    def deadline_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        by = self._tmonth(rest[0])
        when = None
        message = None
        require = None
        for item in rest[1:]:
            if isinstance(item, tuple) and item and item[0] == "when":
                when = item[1]
            elif isinstance(item, tuple) and item and item[0] == "message":
                message = item[1]
            elif item is not None:
                require = item
        return ast.Deadline(self._ident(name), self._string(title), info, by, when, require, message,
                            self._span(meta))

    def window_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        start, end = self._tmonth(rest[0]), self._tmonth(rest[1])
        when = None
        message = None
        for item in rest[2:]:
            if isinstance(item, tuple) and item and item[0] == "when":
                when = item[1]
            elif isinstance(item, tuple) and item and item[0] == "message":
                message = item[1]
        return ast.Window(self._ident(name), self._string(title), info, start, end, when, message,
                          self._span(meta))

    def invariant_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        return ast.Invariant(self._ident(name), self._string(title), info, rest[-1], self._span(meta))

    def _args(self, args) -> tuple[ast.Arg, ...]:
        return tuple(a for a in args if a is not None)

    def derive_action(self, meta, name, *args):
        return ast.Derive(self._ident(name), self._args(args), self._span(meta))

    def flag_action(self, meta, severity, message):
        return ast.Flag(self._ident(severity), self._text(message), self._span(meta))

    def recommend_action(self, meta, message):
        return ast.Recommend(self._text(message), self._span(meta))

    def remind_action(self, meta, message):
        return ast.Remind(self._text(message), self._span(meta))

    def needs_info_action(self, meta, message):
        return ast.NeedsInfo(self._text(message), self._span(meta))

    def named_arg(self, meta, name, value):
        return ast.Arg(self._ident(name), value, self._span(meta))

    def positional_arg(self, meta, value):
        return ast.Arg(None, value, self._span(meta))

    # -- tables
    def table_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        hit = self._ident(rest[0])
        inputs = []
        when = None
        output = None
        rows = []
        for item in rest[1:]:
            if isinstance(item, tuple) and item and item[0] == "when":
                when = item[1]
            elif isinstance(item, ast.Derive):
                output = item
            elif isinstance(item, ast.Row):
                rows.append(item)
            else:
                inputs.append(item)
        return ast.Table(self._ident(name), self._string(title), info, hit, tuple(inputs), when, output,
                         tuple(rows), self._span(meta))

    def table_output(self, meta, name, *args):
        return ast.Derive(self._ident(name), self._args(args), self._span(meta))

    def table_row(self, meta, *items):
        cells = tuple(i for i in items if _is_cell(i))
        outputs = tuple(i for i in items if not _is_cell(i))
        return ast.Row(cells, outputs, self._span(meta))

    def any_cell(self, meta):
        return ast.AnyCell(self._span(meta))

    def eq_cell(self, meta, value):
        return ast.EqCell(value, self._span(meta))

    def closed_cell(self, meta, low, high):
        return ast.RangeCell(low, high, self._span(meta))

    def upto_cell(self, meta, high):
        return ast.RangeCell(None, high, self._span(meta))

    def from_cell(self, meta, low):
        return ast.RangeCell(low, None, self._span(meta))

    def cmp_cell(self, meta, op, value):
        return ast.CmpCell(str(op), value, self._span(meta))

    def set_cell(self, meta, *values):
        return ast.SetCell(tuple(v for v in values if v is not None), False, self._span(meta))

    def not_set_cell(self, meta, *values):
        return ast.SetCell(tuple(v for v in values if v is not None), True, self._span(meta))

    # -- tests
    def example_decl(self, meta, name, data):
        return ast.Example(self._ident(name), data, self._span(meta))

    def test_decl(self, meta, name, title, given, *expectations):
        return ast.Test(self._ident(name), self._string(title), given, tuple(expectations), self._span(meta))

    def given_object(self, meta, data):
        return ast.Given(None, data, self._span(meta))

    def given_example(self, meta, name, data):
        return ast.Given(self._ident(name), data, self._span(meta))

    def expect_yes(self, meta, target):
        return ast.Expect(False, target, self._span(meta))

    def expect_no(self, meta, target):
        return ast.Expect(True, target, self._span(meta))

    def expect_fact(self, meta, name, *args):
        return ast.ExpectFact(self._ident(name), self._args(args), self._span(meta))

    def expect_rule(self, meta, name):
        return ast.ExpectRule(self._ident(name), self._span(meta))

    def expect_deadline(self, meta, name, status):
        return ast.ExpectStatus("deadline", self._ident(name), self._opt_ident(status), self._span(meta))

    def expect_window(self, meta, name, status):
        return ast.ExpectStatus("window", self._ident(name), self._opt_ident(status), self._span(meta))

    def _opt_ident(self, token):
        return None if token is None else self._ident(token)

    def object(self, meta, *entries):
        return ast.ObjectLit(tuple(entries), self._span(meta))

    def object_entry(self, meta, key, value):
        return (self._ident(key), value)

    def value_list(self, meta, *items):
        return ast.ListLit(tuple(items), self._span(meta))

    # -- expressions
    def filter_as(self, meta, source, var, predicate):
        return ast.Filter(source, self._ident(var), predicate, self._span(meta))

    def filter_(self, meta, source, predicate):
        return ast.Filter(source, None, predicate, self._span(meta))

    def or_(self, meta, left, right):
        return self._boolop("or", meta, left, right)

    def and_(self, meta, left, right):
        return self._boolop("and", meta, left, right)

    def _boolop(self, op, meta, left, right):
        # ``a and b and c ...`` reduces left to right, each step taking the previous BoolOp as
        # ``left``: growing one list per chain keeps a chain of n operands O(n), where a new
        # tuple per step was O(n^2) (minutes for a 5 MB chain). A BoolOp's operands are final
        # once ``build`` returns; until then the chain's list is the truth.
        if left.__class__ is ast.BoolOp and left.op == op:
            _, chain = self._chains.pop(id(left), (None, None))
            chain = chain if chain is not None else list(left.operands)
        else:
            chain = [left]
        chain.append(right)
        node = ast.BoolOp(op, (chain[0], right), self._span(meta))
        self._chains[id(node)] = (node, chain)  # the entry keeps node alive: its id stays unique
        return node

    def _close_chains(self) -> None:
        """Give each BoolOp still open its whole operand tuple (the frozen node is new and
        seen by nobody else yet, so setting the field once here is safe)."""
        for node, chain in self._chains.values():
            object.__setattr__(node, "operands", tuple(chain))
        self._chains.clear()

    def not_(self, meta, operand):
        return ast.Not(operand, self._span(meta))

    def compare(self, meta, left, op, right):
        return ast.Compare(str(op), left, right, self._span(meta))

    def in_(self, meta, item, target):
        return ast.In(item, target, False, self._span(meta))

    def not_in(self, meta, item, target):
        return ast.In(item, target, True, self._span(meta))

    def is_missing(self, meta, operand):
        return ast.IsMissing(operand, False, self._span(meta))

    def is_present(self, meta, operand):
        return ast.IsMissing(operand, True, self._span(meta))

    def arith(self, meta, left, op, right):
        return ast.Arith(str(op), left, right, self._span(meta))

    def neg(self, meta, operand):
        return ast.Neg(operand, self._span(meta))

    def member(self, meta, obj, name):
        return ast.Member(obj, self._ident(name), self._span(meta))

    def index(self, meta, obj, idx):
        return ast.Index(obj, idx, self._span(meta))

    def name(self, meta, token):
        return ast.Name(self._ident(token), self._span(meta))

    def call(self, meta, name, *args):
        return ast.Call(self._ident(name), tuple(a for a in args if a is not None), self._span(meta))

    def set_(self, meta, *items):
        return ast.SetLit(tuple(i for i in items if i is not None), self._span(meta))

    def tmonth(self, meta, token):
        return self._tmonth(token)

    def agg_filter(self, meta, func, arg):
        if isinstance(arg, ast.Filter):
            return ast.Aggregate(str(func).strip(), arg.source, arg.var, arg.predicate, None, self._span(meta))
        return ast.Aggregate(str(func).strip(), arg, None, None, None, self._span(meta))

    def agg_map(self, meta, func, value, var, source, predicate):
        return ast.Aggregate(str(func).strip(), source, self._ident(var), predicate, value, self._span(meta))

    def closed_range(self, meta, low, high):
        return ast.Range(low, high, self._span(meta))

    def upto_range(self, meta, high):
        return ast.Range(None, high, self._span(meta))

    def from_range(self, meta, low):
        return ast.Range(low, None, self._span(meta))

    # -- literals
    def _digits(self, token: Token, digits: str) -> str:
        """``digits`` (part of ``token``), or an error when there are too many of them."""
        count = len(digits) - digits.count(".")
        if count > MAX_NUMBER_DIGITS:
            raise _NodeError(error("E011", f"a number of {count:,} digits (at most {MAX_NUMBER_DIGITS})",
                                   self._tspan(token)))
        return digits

    def _int(self, token: Token, digits: str | None = None) -> int:
        return int(self._digits(token, str(token) if digits is None else digits))

    def _float(self, token: Token) -> float:
        return float(self._digits(token, str(token)))

    def int_lit(self, meta, token):
        return ast.Literal(self._int(token), self._span(meta))

    def float_lit(self, meta, token):
        return ast.Literal(self._float(token), self._span(meta), written=str(token))

    def neg_int_lit(self, meta, token):
        return ast.NegLit(-self._int(token), self._span(meta))

    def neg_float_lit(self, meta, token):
        return ast.NegLit(-self._float(token), self._span(meta), written=str(token))

    def str_lit(self, meta, token):
        return ast.Literal(self._string(token), self._span(meta))

    def date_lit(self, meta, token):
        try:
            value = dt.date.fromisoformat(str(token))
        except ValueError:
            raise _NodeError(error("E006", f"'{token}' is not a real date (YYYY-MM-DD)", self._tspan(token)))
        return ast.Literal(value, self._span(meta))

    def duration_lit(self, meta, amount, unit):
        return ast.Duration(self._int(amount), _UNITS[str(unit)], self._span(meta))

    def true_lit(self, meta):
        return ast.Literal(True, self._span(meta))

    def false_lit(self, meta):
        return ast.Literal(False, self._span(meta))

    def null_lit(self, meta):
        return ast.Literal(None, self._span(meta))

    def word_lit(self, meta, token):
        return ast.Word(str(token), self._span(meta))


def _is_cell(item) -> bool:
    return isinstance(item, (ast.AnyCell, ast.EqCell, ast.RangeCell, ast.CmpCell, ast.SetCell))
