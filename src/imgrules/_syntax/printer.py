"""AST -> text: ``imgrules fmt``, one canonical layout for every pack.

The formatter prints from the AST (never by patching the source), so the output parses
back to an equal AST, and formatting twice changes nothing. The layout::

    pack NAME                       header; attributes indented 2 (version, title, source)
    import a.b                      imports together, no blank lines between them
    <one blank line between declarations; consecutive one-line lets stay together>
    enum E { a, b }                 members on one line when short, else one per line
    record R {                      fields one per line (fact, profile alike)
      f: T?
    }
    map m: A -> B { k: v }          entries on one line when short, else one per line
    rule NAME "title"               clauses one per line, indented 2, in grammar order:
      cite, covers, priority,       cite lines as written; covers wrapped at 100 columns
      timing, for, when,
      then ACTION                   further actions aligned under the first one
           ACTION
             with {k: v}                a finding's data on the line under its action
    table ...                       row cells aligned into columns, `=>` aligned
    example NAME { k: v }           data inline when it fits in 100 columns, else one
                                    entry per line with trailing commas (also `given`)

A `when`/`require`/`let` expression longer than 100 columns is broken before each
top-level `and`/`or` with a 4-space continuation. Strings are re-escaped; messages keep
their ``{expr}`` holes and double literal braces.

Comments are never dropped. Every printed line remembers the source offset of what it
shows (its *anchor*). A comment alone on its line goes before the line showing the
next thing in the source, at that line's indentation; a comment at the end of a line
of code goes at the end of the line showing the last thing that started before it.
When that line already has a comment, the later one moves to its own line before the
next line. Around top-level declarations, blank lines between comments and code are
kept (at most one). With the source text at hand (:func:`format_text`), clauses that
have no span in the AST (``cite``, ``priority``, pack attributes) are found in it too;
without it, their comments stay nearby instead.
"""

from __future__ import annotations

import bisect
import re

import attrs

from .. import ast
from .._diagnostics import DiagnosticError
from .._source import Source
from . import printexpr as px
from .guard import parse_limited, strip_bom

WIDTH = 100
CONTINUATION = 4

__all__ = ["format_pack", "format_text", "WIDTH"]


def format_text(text: str, path: str = "<input>", limits=None) -> str:
    """Format pack source text. Raises :class:`DiagnosticError` when it does not parse
    or breaks a limit (``imgrules._limits.PackLimits``). A leading byte-order mark
    is dropped."""
    text = strip_bom(text)
    pack, diagnostics = parse_limited(text, path, limits)
    if pack is None or any(d.is_error for d in diagnostics):
        raise DiagnosticError(diagnostics, {path: Source(path, text)})
    return format_pack(pack, text)


def format_pack(pack: ast.Pack, text: str | None = None) -> str:
    """The canonical text of ``pack``, its comments put back (see the module docstring).

    ``text``, the source the pack was parsed from, lets comments next to ``cite``,
    ``priority`` and pack attributes stay exactly on their lines.
    """
    printer = _Printer(pack, text)
    printer.pack()
    return _place_comments(printer, pack.comments)


@attrs.define
class _Line:
    indent: int
    text: str
    anchor: int | None = None  # source offset of the first thing the line shows
    top: bool = False  # the first line of a top-level declaration
    comment: str | None = None  # trailing comment
    before: list = attrs.Factory(list)  # own-line comments placed above
    after: list = attrs.Factory(list)  # own-line comments closing the declaration above


class _Printer:
    """Builds the list of output lines, each with its anchor."""

    def __init__(self, pack: ast.Pack, text: str | None):
        self.pack_node = pack
        self.text = text
        self.lines: list[_Line] = []
        self.comment_starts = sorted(c.span.start for c in pack.comments)

    # -- helpers
    def emit(self, indent: int, text: str, anchor: int | None = None, top: bool = False) -> None:
        self.lines.append(_Line(indent, text, anchor, top))

    def blank(self) -> None:
        if self.lines and self.lines[-1].text != "":
            self.lines.append(_Line(0, ""))

    def has_comment(self, start: int, end: int) -> bool:
        """Whether a comment starts strictly inside ``start..end``."""
        i = bisect.bisect_right(self.comment_starts, start)
        return i < len(self.comment_starts) and self.comment_starts[i] < end

    def keyword_offsets(self, start: int, end: int, words: set[str]) -> list[tuple[str, int]]:
        """Keywords in ``words`` written between two offsets, skipping strings and comments."""
        if self.text is None:
            return []
        found = []
        for match in _TOKEN.finditer(self.text, start, end):
            if match.group(0) in words:
                found.append((match.group(0), match.start()))
        return found

    # -- file
    def pack(self) -> None:
        pack = self.pack_node
        if pack.header is not None:
            self.header(pack.header)
        if pack.imports:
            self.blank()
            for imp in pack.imports:
                self.emit(0, f"import {imp.name.text}", imp.span.start, top=True)
        previous_let = False
        for decl in pack.declarations:
            start = len(self.lines)
            is_let = isinstance(decl, ast.LetDecl)
            if not (is_let and previous_let):
                self.blank()
            self.declaration(decl)
            self.lines[start if self.lines[start].text else start + 1].top = True
            previous_let = is_let and len(self.lines) - start <= 2 and self.lines[-1].text.startswith("let ")

    def header(self, header: ast.PackHeader) -> None:
        self.emit(0, f"pack {header.name.text}", header.span.start, top=True)
        found = dict(self.keyword_offsets(header.name.span.end, header.span.end,
                                          {"version", "title", "source"}))
        for word in ("version", "title", "source"):
            value = getattr(header, word)
            if value is not None:
                self.emit(2, f"{word} {px.quote(value)}", found.get(word))

    def declaration(self, decl) -> None:
        method = getattr(self, "decl_" + type(decl).__name__.lower())
        method(decl)

    # -- types and definitions
    def decl_enumdecl(self, decl: ast.EnumDecl) -> None:
        head = f"enum {decl.name.text} "
        # labels in member order, each on the next member of its name (a repeated member,
        # an error the checker reports, keeps its one label where it was written)
        pending = list(decl.labels)
        shown = []
        for m in decl.members:
            label = ""
            if pending and pending[0][0] == m.text:
                label = f" {px.quote(pending.pop(0)[1])}"
            shown.append(m.text + label)
        self.braced(decl, head, list(zip(decl.members, shown)))

    def decl_recorddecl(self, decl: ast.RecordDecl) -> None:
        head = "profile {" if decl.kind == "profile" else f"{decl.kind} {decl.name.text} {{"
        if not decl.fields and not self.has_comment(decl.span.start, decl.span.end):
            self.emit(0, head + "}", decl.span.start)
            return
        self.emit(0, head, decl.span.start)
        for field in decl.fields:
            bounds = "".join(" " + px.field_bound(bound) for bound in field.bounds)
            self.emit(2, f"{field.name.text}: {px.type_ref(field.type)}{bounds}", field.span.start)
        self.emit(0, "}", decl.span.end - 1)

    def decl_letdecl(self, decl: ast.LetDecl) -> None:
        params = "" if decl.params is None else "(" + ", ".join(p.text for p in decl.params) + ")"
        self.expression(0, f"let {decl.name.text}{params} = ", decl.body, decl.span.start)

    def decl_mapdecl(self, decl: ast.MapDecl) -> None:
        head = f"map {decl.name.text}: {px.type_ref(decl.key_type)} -> {px.type_ref(decl.value_type)} "
        self.braced(decl, head, [(e, f"{px.const(e.key)}: {px.const(e.value)}") for e in decl.entries])

    def braced(self, decl, head: str, items: list) -> None:
        """``head{ a, b }`` on one line when it fits and holds no comment, else one
        ``(node, text)`` item a line between ``head{`` and ``}``."""
        inline = head + ("{ " + ", ".join(text for _, text in items) + " }" if items else "{}")
        if len(inline) <= WIDTH and not self.has_comment(decl.span.start, decl.span.end):
            self.emit(0, inline, decl.span.start)
            return
        self.emit(0, head + "{", decl.span.start)
        for item, text in items:
            self.emit(2, text, item.span.start)
        self.emit(0, "}", decl.span.end - 1)

    # -- rule-like declarations
    def titled(self, keyword: str, decl) -> None:
        self.emit(0, f"{keyword} {decl.name.text} {px.quote(decl.title)}", decl.span.start)

    def meta(self, decl, first_after: int) -> None:
        """``cite`` lines, ``covers`` (wrapped), ``priority``."""
        meta: ast.Meta = decl.meta
        found = self.keyword_offsets(decl.name.span.end, first_after, {"cite", "priority"})
        cites = [off for word, off in found if word == "cite"]
        priorities = [off for word, off in found if word == "priority"]
        if len(cites) != len(meta.cites):
            cites = [None] * len(meta.cites)
        for cite, anchor in zip(meta.cites, cites):
            self.emit(2, f"cite {px.quote(cite)}", anchor)
        line: list[ast.Ident] = []
        for ident in meta.covers:
            if line and 2 + len("covers " + ", ".join(i.text for i in [*line, ident]) + ",") > WIDTH:
                self.covers_line(line)
                line = []
            line.append(ident)
        if line:
            self.covers_line(line)
        if meta.priority is not None:
            self.emit(2, f"priority {meta.priority}", priorities[-1] if priorities else None)

    def covers_line(self, idents: list[ast.Ident]) -> None:
        self.emit(2, "covers " + ", ".join(i.text for i in idents), idents[0].span.start)

    def when(self, node: ast.Expr | None) -> None:
        if node is not None:
            self.expression(2, "when ", node, node.span.start)

    def decl_rule(self, decl: ast.Rule) -> None:
        self.titled("rule", decl)
        after = [s.span.start for s in (decl.timing, *decl.bindings, decl.when, *decl.actions)
                 if s is not None]
        self.meta(decl, min(after, default=decl.span.end))
        if decl.timing is not None:
            self.emit(2, _timing(decl.timing), decl.timing.span.start)
        if decl.bindings:
            text = ", ".join(f"{b.var.text} in {px.expr(b.source, px.OR)}" for b in decl.bindings)
            self.emit(2, "for " + text, decl.bindings[0].span.start)
        self.when(decl.when)
        for i, action in enumerate(decl.actions):
            self.emit(2 if i == 0 else 7, ("then " if i == 0 else "") + _action(action),
                      action.span.start)
            if getattr(action, "data", ()):
                self.emit(9, _data(action.data), action.data[0].span.start)

    def decl_deadline(self, decl: ast.Deadline) -> None:
        self.titled("deadline", decl)
        first = decl.severity.span.start if decl.severity is not None else decl.by.span.start
        self.meta(decl, first)
        if decl.severity is not None:
            self.emit(2, f"severity {decl.severity.text}", first)
        self.emit(2, f"by {px.expr(decl.by, px.SUM)}", decl.by.span.start)
        self.when(decl.when)
        self.expression(2, "require ", decl.require, decl.require.span.start)
        if decl.message is not None:
            self.emit(2, f"message {px.message(decl.message)}", decl.message.span.start)

    def decl_window(self, decl: ast.Window) -> None:
        self.titled("window", decl)
        self.meta(decl, decl.start.span.start)
        if ast.anchored(decl):
            self.emit(2, f"during {px.expr(decl.start, px.SUM)} .. {px.expr(decl.end, px.SUM)}",
                      decl.start.span.start)
        else:
            self.emit(2, f"during {px.tmonth(decl.start)}..{px.tmonth(decl.end)}", decl.start.span.start)
        self.when(decl.when)
        if decl.message is not None:
            self.emit(2, f"message {px.message(decl.message)}", decl.message.span.start)

    def decl_invariant(self, decl: ast.Invariant) -> None:
        self.titled("invariant", decl)
        self.meta(decl, decl.require.span.start)
        self.expression(2, "require ", decl.require, decl.require.span.start)

    def decl_table(self, decl: ast.Table) -> None:
        self.titled("table", decl)
        self.meta(decl, decl.hit.span.start)
        self.emit(2, f"hit {decl.hit.text}", decl.hit.span.start)
        self.emit(2, "given " + ", ".join(px.expr(i) for i in decl.inputs),
                  decl.inputs[0].span.start if decl.inputs else None)
        self.when(decl.when)
        self.emit(2, f"derive {decl.output.fact.text}({px.args(decl.output.args)})",
                  decl.output.span.start)
        for row, text in zip(decl.rows, _aligned_rows(decl.rows)):
            self.emit(2, text, row.span.start)

    # -- examples and tests
    def decl_example(self, decl: ast.Example) -> None:
        self.value(0, f"example {decl.name.text} ", decl.data, decl.span.start)

    def decl_test(self, decl: ast.Test) -> None:
        self.titled("test", decl)
        given = decl.given
        if given.example is None:
            self.value(2, "given ", given.data, given.span.start)
        elif given.data is None:
            self.emit(2, f"given {given.example.text}", given.span.start)
        else:
            self.value(2, f"given {given.example.text} with ", given.data, given.span.start)
        for expect in decl.expectations:
            self.emit(2, "expect " + ("no " if expect.negated else "") + _target(expect.target),
                      expect.span.start)

    def value(self, indent: int, prefix: str, node: ast.Const, anchor: int | None,
              suffix: str = "") -> None:
        """A constant after ``prefix``; objects and lists broken one item per line when
        they do not fit or hold a comment."""
        inline = prefix + px.const(node) + suffix
        composite = isinstance(node, (ast.ObjectLit, ast.ListLit))
        if not composite or (indent + len(inline) <= WIDTH
                             and not self.has_comment(node.span.start, node.span.end)):
            self.emit(indent, inline, anchor)
            return
        if isinstance(node, ast.ObjectLit):
            self.emit(indent, prefix + "{", anchor)
            for key, item in node.entries:
                self.value(indent + 2, f"{key.text}: ", item, key.span.start, ",")
            self.emit(indent, "}" + suffix, node.span.end - 1)
        else:
            self.emit(indent, prefix + "[", anchor)
            for item in node.items:
                self.value(indent + 2, "", item, item.span.start, ",")
            self.emit(indent, "]" + suffix, node.span.end - 1)

    # -- long expressions
    def expression(self, indent: int, prefix: str, node: ast.Expr, anchor: int | None) -> None:
        """``prefix`` + ``node``; past the width, broken before top-level ``and``/``or``."""
        inline = prefix + px.expr(node)
        if indent + len(inline) <= WIDTH:
            self.emit(indent, inline, anchor)
            return
        head, operands, op = _breakable(node)
        if not operands:
            self.emit(indent, inline, anchor)
            return
        prec = px.AND if op == "or" else px.NOT
        self.emit(indent, prefix + head + px.expr(operands[0], prec), anchor)
        for operand in operands[1:]:
            self.emit(indent + CONTINUATION, f"{op} {px.expr(operand, prec)}", operand.span.start)


def _breakable(node: ast.Expr) -> tuple[str, tuple, str]:
    """(text before the operands, operands, operator) of a top-level and/or, if any."""
    if isinstance(node, ast.BoolOp):
        return "", node.operands, node.op
    if isinstance(node, ast.Filter) and isinstance(node.predicate, ast.BoolOp):
        head = px.expr(node.source, px.OR) + px.filter_tail(node.var, None) + " where "
        return head, node.predicate.operands, node.predicate.op
    return "", (), ""


def _timing(node: ast.Timing) -> str:
    if node.kind == "during" and node.end is not None:
        return f"during {px.tmonth(node.start)}..{px.tmonth(node.end)}"
    return f"{node.kind} {px.tmonth(node.start)}"


def _action(node: ast.Action) -> str:
    if isinstance(node, ast.Derive):
        return f"derive {node.fact.text}({px.args(node.args)})"
    if isinstance(node, ast.Flag):
        return f"flag {node.severity.text} {px.message(node.message)}"
    keyword = {ast.Recommend: "recommend", ast.Remind: "remind", ast.NeedsInfo: "needs_info"}
    return f"{keyword[type(node)]} {px.message(node.message)}"


def _data(items: tuple[ast.DataItem, ...]) -> str:
    """A finding's ``with {name: value, ...}``."""
    return "with {" + ", ".join(f"{d.name.text}: {px.expr(d.value)}" for d in items) + "}"


def _target(node) -> str:
    if isinstance(node, ast.ExpectFact):
        return f"{node.fact.text}({px.args(node.args)})"
    if isinstance(node, ast.ExpectRule):
        data = f" with {px.const(node.data)}" if node.data is not None else ""
        return f"rule {node.rule.text}{data}"
    status = f" {node.status.text}" if node.status is not None else ""
    return f"{node.kind} {node.name.text}{status}"


def _columns(rows: list[list[str]]) -> list[str]:
    """Comma-separated items, padded so that each column starts at the same place."""
    widths: dict[int, int] = {}
    for items in rows:
        for i, item in enumerate(items):
            widths[i] = max(widths.get(i, 0), len(item) + (i < len(items) - 1))
    out = []
    for items in rows:
        pieces = [(item + ("," if i < len(items) - 1 else "")).ljust(widths[i])
                  for i, item in enumerate(items)]
        out.append(" ".join(pieces).rstrip())
    return out


def _aligned_rows(rows: tuple[ast.Row, ...]) -> list[str]:
    cells = _columns([[px.cell(c) for c in row.cells] for row in rows])
    outputs = _columns([[px.const(o) for o in row.outputs] for row in rows])
    width = max((len(c) for c in cells), default=0)
    return [f"row {c.ljust(width)} => {o}" for c, o in zip(cells, outputs)]


_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*+"?|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\S')


# ------------------------------------------------------------------ comments


def _own_line(comment: ast.Comment, text: str | None, code_ends: list[tuple[int, int]]) -> bool:
    """Whether nothing but blanks precedes ``comment`` on its line."""
    start = comment.span.start
    if text is not None:
        line_start = text.rfind("\n", 0, start) + 1
        return not text[line_start:start].strip()
    # Without the text: is there a known piece of code before it on the same line?
    i = bisect.bisect_left(code_ends, (start, -1)) - 1
    return i < 0 or code_ends[i][1] != comment.span.line


def _code_positions(pack: ast.Pack) -> list[tuple[int, int]]:
    """(offset, line) of the start and end of every node: where code is, without the text."""
    found: list[tuple[int, int]] = []

    def walk(value) -> None:
        if isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
            return
        if not attrs.has(type(value)):
            return
        span = getattr(value, "span", None)
        if span is not None:
            found.append((span.start, span.line))
            found.append((span.end, span.end_line))
        for field in attrs.fields(type(value)):
            if field.name not in ("span", "comments"):
                walk(getattr(value, field.name))

    walk(pack.header)
    walk(pack.imports)
    walk(pack.declarations)
    return sorted(found)


def _place_comments(printer: _Printer, comments: tuple[ast.Comment, ...]) -> str:
    lines = printer.lines
    while lines and lines[-1].text == "":
        lines.pop()
    anchored = sorted((line.anchor, i) for i, line in enumerate(lines) if line.anchor is not None)
    keys = [a for a, _ in anchored]
    code = _code_positions(printer.pack_node) if printer.text is None else []
    tail: list[ast.Comment] = []
    for comment in sorted(comments, key=lambda c: c.span.start):
        start = comment.span.start
        own_line = _own_line(comment, printer.text, code)
        if not own_line:
            at = bisect.bisect_right(keys, start) - 1
            if at >= 0:
                line = lines[max(i for a, i in anchored if a == keys[at])]
                if line.comment is None:
                    line.comment = comment.text
                    continue
        at = bisect.bisect_right(keys, start)
        target = anchored[at][1] if at < len(keys) else None
        free = not tail if target is None else (lines[target].top and not lines[target].before)
        if own_line and comment.span.column > 1 and free:
            # An indented comment after a declaration's last line closes that declaration.
            prev = (len(lines) if target is None else target) - 1
            while prev >= 0 and not lines[prev].text:
                prev -= 1
            if prev >= 0:
                lines[prev].after.append(comment)
                continue
        if target is not None:
            lines[target].before.append(comment)
        else:
            tail.append(comment)
    out: list[str] = []
    for line in lines:
        gap_lines = _gaps(line.before, _anchor_line(printer, line)) if line.top else None
        inner = line.indent + (2 if line.text[:1] in ("}", "]") else 0)
        for k, comment in enumerate(line.before):
            if gap_lines and k and gap_lines[k - 1]:
                out.append("")
            out.append(" " * inner + comment.text)
        if line.before and gap_lines and gap_lines[-1]:
            out.append("")
        text = " " * line.indent + line.text if line.text else ""
        out.append(text + ("  " + line.comment if line.comment else ""))
        out.extend(" " * 2 + comment.text for comment in line.after)
    if tail:
        last_line = _last_code_line(printer.pack_node)
        if lines and lines[-1].after and last_line is not None:
            last_line = max(last_line, lines[-1].after[-1].span.line)
        gaps = _gaps(tail, None)
        if out and (last_line is None or tail[0].span.line - last_line > 1):
            out.append("")
        for k, comment in enumerate(tail):
            if k and gaps[k - 1]:
                out.append("")
            out.append(comment.text)
    while out and out[0] == "":
        out.pop(0)
    return "\n".join(out) + "\n" if out else ""


def _gaps(comments: list[ast.Comment], code_line: int | None) -> list[bool]:
    """For each comment, whether a blank line follows it (before the next comment/code)."""
    nexts = [c.span.line for c in comments[1:]] + [code_line]
    return [n is not None and n - c.span.line > 1 for c, n in zip(comments, nexts)]


def _anchor_line(printer: _Printer, line: _Line) -> int | None:
    if line.anchor is None or printer.text is None:
        return _span_line(printer.pack_node, line.anchor)
    return printer.text.count("\n", 0, line.anchor) + 1


def _span_line(pack: ast.Pack, offset: int | None) -> int | None:
    if offset is None:
        return None
    for node in (pack.header, *pack.imports, *pack.declarations):
        if node is not None and node.span.start == offset:
            return node.span.line
    return None


def _last_code_line(pack: ast.Pack) -> int | None:
    nodes = [n for n in (pack.header, *pack.imports, *pack.declarations) if n is not None]
    return max((n.span.end_line for n in nodes), default=None)
