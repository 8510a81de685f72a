"""The AST built during parsing equals the one built the classic Lark way.

Reference: Lark's own parse tree (``propagate_positions``) walked by a transformer that
calls the same builder methods with ``tree.meta``. The two must agree on every node and
every span, for the shipped packs, the golden and hostile packs, and generated programs.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from lark import Transformer_NonRecursive, Tree
from lark.exceptions import UnexpectedInput

from imgrules._resources import rules_dir
from imgrules._source import Source
from imgrules._syntax.build_common import LineIndex, NodeError
from imgrules._syntax.builder import Builder
from imgrules._syntax.lalr import parse_tree
from imgrules._syntax.parser import parse
from strategies import programs

TESTS = Path(__file__).resolve().parents[1]
PACKS = sorted(rules_dir().rglob("*.rules")) + sorted(TESTS.glob("golden/*/*.rules")) + \
    sorted(TESTS.glob("hostile/corpus/packs/*.rules"))


class _Reference(Transformer_NonRecursive):
    """Lark's tree -> AST with the builder's methods, the way the parser used to do it."""

    def __init__(self, builder):
        super().__init__()
        self.builder = builder

    def __default__(self, data, children, meta):
        method = getattr(self.builder, data, None)
        return Tree(data, children, meta) if method is None else method(meta, *children)


def _flat(root) -> list:
    """Every node, field and span in order, without recursion (the hostile packs nest
    thousands deep, beyond what attrs' recursive ``==`` can compare)."""
    out, stack = [], [root]
    while stack:
        item = stack.pop()
        if attrs.has(type(item)):
            out.append(type(item).__name__)
            stack.extend(reversed([getattr(item, f.name) for f in attrs.fields(type(item))]))
        elif isinstance(item, tuple):
            out.append(len(item))
            stack.extend(reversed(item))
        else:
            out.append((type(item).__name__, item))
    return out


def _both(text: str, start: str = "start"):
    source = Source("t.rules", text)
    fast = Builder(source, 0, LineIndex(source))
    built = fast.build(text, start)
    slow = Builder(source, 0, LineIndex(source))
    reference = _Reference(slow).transform(parse_tree(text, start))
    slow._close_chains()  # as build() does at its end: and/or chains get their operands
    return built, fast.failed, reference


def _utf8(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # the hostile corpus has some: the parser never sees them as text
        return False
    return True


@pytest.mark.parametrize("path", [path for path in PACKS if _utf8(path)], ids=lambda path: path.name)
def test_packs_build_the_same_ast(path):
    """Every pack builds the AST Lark's classic tree gives; one Lark cannot parse fails the
    same way on both paths (the same error at the same place)."""
    text = path.read_text(encoding="utf-8")
    try:
        parse_tree(text, "start")
    except UnexpectedInput as expected:
        source = Source("t.rules", text)
        with pytest.raises(UnexpectedInput) as got:
            Builder(source, 0, LineIndex(source)).build(text, "start")
        assert (type(got.value), got.value.pos_in_stream) == (type(expected), expected.pos_in_stream)
        return
    try:
        built, failed, reference = _both(text)
    except NodeError:
        return  # the reference stops at a node error; the builder records it (tested below)
    assert failed is None
    assert _flat(built) == _flat(reference)  # every node and every span


@pytest.mark.parametrize("text", [
    "a + -b * (c - 1)", "((x))", "(x).y[0]", "not not (a or b) and c", "count(xs where y > 1)",
    "sum(v.x for v in vs where (v.y))", "{1, 2, (3)}", "x in 1 .. 2", "x not in ..(2)", "T-5", "-(-(1))",
])
def test_expressions_build_the_same_ast(text):
    built, failed, reference = _both(text, "expr")
    assert failed is None and _flat(built) == _flat(reference)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(programs())
def test_generated_programs_build_the_same_ast(text):
    try:
        built, failed, reference = _both(text)
    except NodeError:
        return
    except UnexpectedInput:  # a syntax error: nothing to compare
        return
    assert failed is None and _flat(built) == _flat(reference)


def test_the_first_node_error_is_kept_and_later_syntax_errors_still_win():
    source = Source("t.rules", "")
    builder = Builder(source, 0, LineIndex(source))
    text = 'let a = 2026-02-30\nlet b = "{x}"\nlet c = 2026-13-01\n'
    builder.build(text, "start")
    assert builder.failed.diagnostic.code == "E006"
    assert "2026-02-30" in builder.failed.diagnostic.message
    pack, diagnostics = parse(text + "let d = (\n", "t.rules")
    assert pack is None and [d.code for d in diagnostics] == ["E004"]


def test_deep_nesting_builds_without_recursion():
    depth = 20_000
    source = Source("t.rules", "")
    builder = Builder(source, 0, LineIndex(source))
    built = builder.build("(" * depth + "1" + ")" * depth, "expr")
    assert builder.failed is None and built.value == 1 and built.span.start == depth
