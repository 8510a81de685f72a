"""Parsing with limits: hostile or broken rule text gets a diagnostic, never a crash.

:func:`parse_limited` wraps :func:`imgrules._syntax.parser.parse` with the bounds of
``imgrules._limits.PackLimits``:

- text larger than ``max_file_bytes`` is refused before the lexer sees it (E008);
- a lone surrogate or a control character (other than tab, newline, carriage return and
  form feed) is refused with its position (E001): such text can only come through the
  API, and would otherwise reach terminals and JSON output;
- a UTF-8 byte-order mark at the start is dropped (spans count from the character after it);
- nesting deeper than ``max_depth`` is an error at the first token past the limit (E007).
  A token scan counts open brackets and stacked prefix operators (``not``, unary ``-``)
  once the text has parsed; a walk over the AST then catches long left-leaning chains
  (``a + b + c ...``, ``x.a.b.c ...``) that nest without brackets. Neither walk
  recurses, and the AST is built during the LALR reductions (:mod:`.reduce`), which do
  not recurse either, so a 5,000-operand ``and`` is fine and nothing deep reaches the
  checker or the compiler;
- more than ``max_rules`` rules (rules, deadlines, windows, tables, invariants) in one
  file is an error (E009).

LALR parsing itself is iterative in Lark, so syntax errors are found and reported
(by the parser module) before any of the tree-shaped work starts.
"""

from __future__ import annotations

import functools
import re

import attrs

from .. import ast
from .._diagnostics import Diagnostic, error
from .._limits import PackLimits
from .._source import Source, Span
from .words import DECLARATION_KEYWORDS

__all__ = ["parse_limited", "strip_bom", "BOM"]

BOM = "\ufeff"
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
_RULE_KINDS = (ast.Rule, ast.Deadline, ast.Window, ast.Table, ast.Invariant)
# AST nodes that add a level of nesting (the others are declarations, names, literals)
_NESTING = (ast.Member, ast.Index, ast.Call, ast.Neg, ast.Not, ast.Arith, ast.Compare, ast.BoolOp,
            ast.Range, ast.In, ast.IsMissing, ast.SetLit, ast.Filter, ast.Aggregate, ast.IfExpr, ast.ObjectLit,
            ast.ListLit, ast.Text)


def strip_bom(text: str) -> str:
    """``text`` without a leading UTF-8 byte-order mark."""
    return text[1:] if text.startswith(BOM) else text


def parse_limited(text: str, path: str = "<input>", limits=None) -> tuple[ast.Pack | None, list[Diagnostic]]:
    """Parse one pack file within ``limits`` (an ``imgrules._limits.PackLimits``, the
    defaults when None); returns ``(pack or None, diagnostics)``.

    Never raises for any text: syntax errors, broken limits, numbers beyond the bound,
    control characters and dates that are not dates all come back as diagnostics (a
    ``text`` that is not a ``str`` is a programming error, a TypeError). A leading
    byte-order mark is dropped first, so spans are
    positions in ``strip_bom(text)``. The last few results are remembered (the AST is
    immutable): checking several packs parses the pack they all import once.
    """
    limits = limits or PackLimits()
    if len(text) > MEMO_MAX_CHARS:
        return _parse_limited(text, path, limits)
    pack, diagnostics = _remembered(text, path, limits)
    return pack, list(diagnostics)


MEMO_MAX_CHARS = 1_000_000  # larger texts are not kept


@functools.lru_cache(maxsize=8)
def _remembered(text: str, path: str, limits: PackLimits) -> tuple[ast.Pack | None, tuple[Diagnostic, ...]]:
    pack, diagnostics = _parse_limited(text, path, limits)
    return pack, tuple(diagnostics)


def _parse_limited(text: str, path: str, limits: PackLimits) -> tuple[ast.Pack | None, list[Diagnostic]]:
    text = strip_bom(text)
    source = Source(path, text)
    size = len(text) if len(text) * 4 <= limits.max_file_bytes else \
        len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_file_bytes:
        return None, [error("E008", f"the file is too large ({size} bytes; the limit is "
                                    f"{limits.max_file_bytes} bytes)", source.span(0, 0),
                            "raise the limit (max_file_bytes, --max-file-size) if this is intended")]
    bad = _BAD_CHAR.search(text)
    if bad is not None and bad.group(0) != "\x00":  # NUL: the parser's own message
        char = bad.group(0)
        what = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        return None, [error("E001", f"the text contains {what} (U+{ord(char):04X})",
                            source.span(bad.start(), bad.end()),
                            "save the file as plain UTF-8 text")]
    if "\x00" in text:
        return _p().parse(text, path)
    from lark.exceptions import UnexpectedInput

    p = _p()
    lines = p.LineIndex(source)
    builder = p.Builder(source, 0, lines)
    try:
        pack = builder.build(text, "start")
    except UnexpectedInput:
        return None, p.syntax_errors(source)
    too_deep = _scan_depth(text, limits.max_depth, lines)
    if too_deep is not None:
        return None, [too_deep]
    if builder.failed is not None:
        return None, [builder.failed.diagnostic]
    pack = attrs.evolve(pack, comments=p.comments_of(source))
    problem = _deep_node(pack, limits.max_depth) or _too_many_rules(pack, limits.max_rules, lines)
    if problem is not None:
        return None, [problem]
    return pack, []


def _p():
    """The parser module, imported on first use: it brings in Lark, which a run that
    finds its compiled pack in the cache never needs."""
    from . import parser

    return parser


def _too_deep(span: Span, limit: int) -> Diagnostic:
    return error("E007", f"nested too deeply (limit {limit})", span,
                 "split the expression with a let, or raise the limit (max_depth, --max-depth)")


# ------------------------------------------------------------------ token scan

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*+"?|#[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?'
                    r"|\.\.|=>|->|[=!<>]=|[^\sA-Za-z0-9_]")
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
# words after which a '-' is a sign, and which end the operand of a prefix operator
_SEPARATORS = frozenset(
    {"and", "or", "in", "is", "where", "as", "for", "when", "then", "require", "given", "with",
     "expect", "message", "by", "hit", "row", "cite", "covers", "priority", "severity", "at", "from", "until",
     "during", "derive", "flag", "recommend", "remind", "needs_info", "no"} | set(DECLARATION_KEYWORDS))
_HOLE = re.compile(r"\{\{|\}\}|\{([^}]*)\}")


def _scan_depth(text: str, limit: int, lines, base: int = 0) -> Diagnostic | None:
    """The first token that nests deeper than ``limit``: brackets plus stacked prefix
    operators. A prefix operator counts until its operand ends (approximated by the next
    separator, comma or closing bracket at its level). Message holes are scanned too."""
    prefixes = [0]  # prefix operators open at each bracket level
    depth = 0
    operand = False  # whether the previous token ends an operand ('-' after it is binary)
    for match in _TOKEN.finditer(text):
        tok = match.group(0)
        first = tok[0]
        if first == "#":
            continue
        if first == '"':
            found = _scan_holes(tok, base + match.start(), limit, lines)
            if found is not None:
                return found
            operand = True
            continue
        if tok in _OPEN:
            depth += 1
            prefixes.append(0)
            operand = False
        elif tok in _CLOSE:
            if len(prefixes) > 1:
                depth -= 1 + prefixes.pop()
            operand = True
        elif (tok == "not" or tok == "-") and not operand:
            prefixes[-1] += 1
            depth += 1
        elif first.isalnum() or first == "_":
            if tok in _SEPARATORS or tok == "not":
                depth -= prefixes[-1]
                prefixes[-1] = 0
                operand = False
            else:
                operand = True
            continue
        else:  # an operator, comma, colon...
            if tok not in (".", "?"):
                depth -= prefixes[-1]
                prefixes[-1] = 0
            operand = False
        if depth > limit:
            start = base + match.start()
            return _too_deep(lines.span(start, start + len(tok)), limit)
    return None


def _scan_holes(token: str, base: int, limit: int, lines) -> Diagnostic | None:
    for hole in _HOLE.finditer(token, 1, max(1, len(token) - 1)):
        if hole.group(1) is not None:
            found = _scan_depth(hole.group(1), limit, lines, base + hole.start(1))
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------ AST walk


@functools.cache
def _node_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes (all but its span)."""
    return tuple(f.name for f in attrs.fields(cls) if f.name != "span")


def _is_node(value) -> bool:
    return hasattr(type(value), "__attrs_attrs__")


def _children(node):
    for name in _node_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, tuple):
            for item in value:
                if isinstance(item, tuple):  # object entries: (Ident, value)
                    yield from (x for x in item if _is_node(x))
                elif _is_node(item):
                    yield item
        elif _is_node(value) and not isinstance(value, (Span, ast.Ident)):
            yield value


def _deep_node(pack: ast.Pack, limit: int) -> Diagnostic | None:
    """The first node (in source order) nested deeper than ``limit`` expression levels."""
    stack = [(pack, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, _NESTING):
            depth += 1
            if depth > limit:
                span = node.span
                return _too_deep(attrs.evolve(span, end=span.start, end_line=span.line,
                                              end_column=span.column), limit)
        stack.extend((child, depth) for child in reversed(list(_children(node))))
    return None


def _too_many_rules(pack: ast.Pack, limit: int, lines) -> Diagnostic | None:
    count = 0
    for decl in pack.declarations:
        if isinstance(decl, _RULE_KINDS):
            count += 1
            if count > limit:
                return error("E009", f"too many rules in one file (limit {limit})", decl.span,
                             "split the pack into several files, or raise the limit "
                             "(max_rules, --max-rules)")
    return None
