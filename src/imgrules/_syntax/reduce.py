"""Build the AST while Lark parses: no parse tree, no second pass.

Lark normally builds a :class:`lark.Tree` for every rule (with ``propagate_positions``
wrappers around each reduction) and a transformer then walks that tree again. Here each
LALR reduction calls the builder method for its rule directly, with the same children
and the same positions Lark would have given:

- children are filtered as Lark's ``ChildFilter`` does (anonymous tokens dropped,
  ``None`` for a missing ``[optional]``, ``_rule`` helpers spliced into their parent);
- a ``?rule`` with one child passes the child up unchanged (``ExpandSingleChild``);
- positions follow ``PropagatePositions``: a node starts at its first child that has a
  position and ends at its last, and a passed-up child's *container* grows to the text
  its parent matched (the brackets of ``( expr )``), which is what its parent sees.

Reductions happen bottom-up and left to right, the order a transformer visits the tree,
and nothing recurses, so arbitrarily deep input is fine. A builder error
(:class:`BuildError`) is kept, not raised, so that a syntax error later in the text
still wins as before; the builder stops building after the first one.
"""

from __future__ import annotations

import functools
import operator

from lark import Lark, Token, Tree
from lark.lexer import LexerThread
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, maybe_create_child_filter
from lark.parsers.lalr_parser import LALR_Parser, _Parser


class BuildError(Exception):
    """Raised by a builder method for text the grammar accepts but the AST cannot hold."""


class Node:
    """A built value on Lark's value stack, with the positions a Lark ``Tree.meta`` has.

    ``start_pos``/``end_pos`` are the node's own span (None: it matched no text);
    ``cstart``/``cend`` the span of the text around it (its container). ``children``
    is set only for the ``_rule`` helpers that get spliced into their parent.
    """

    __slots__ = ("value", "start_pos", "end_pos", "cstart", "cend", "children")

    def __init__(self, value, start, end, children=None):
        self.value = value
        self.start_pos = self.cstart = start
        self.end_pos = self.cend = end
        self.children = children

    @property
    def empty(self) -> bool:
        return self.start_pos is None and self.end_pos is None


@functools.lru_cache(maxsize=4)
def rule_specs(parser: Lark) -> tuple:
    """``(rule, name, include, nones_after, expand1)`` for every grammar rule, where
    ``include`` lists ``(index, splice, nones_before)`` for the children kept (None: all)."""
    specs = []
    for rule in parser.rules:
        options = rule.options
        name = rule.alias or options.template_source or rule.origin.name
        name = getattr(name, "name", name)
        made = maybe_create_child_filter(rule.expansion, options.keep_all_tokens, False,
                                         options.empty_indices)
        if made is None:
            include, after = None, 0
        elif made.func is ChildFilterLALR_NoPlaceholders:
            include, after = tuple((i, splice, 0) for i, splice in made.args[0]), 0
        else:
            include, after = tuple(made.args[0]), made.args[1]
        specs.append((rule, name, include, after, bool(options.expand1 and not rule.alias)))
    return tuple(specs)


def callbacks(parser: Lark, builder) -> dict:
    """Lark reduction callbacks that call ``builder``'s methods (``method(meta, *children)``).

    The builder must have a ``failed`` attribute (None, or the first BuildError).
    """
    return {rule: _FIRST if expand1 and include is None and len(rule.expansion) == 1
            else _reducer(builder, name, include, after, expand1)
            for rule, name, include, after, expand1 in rule_specs(parser)}


# ``?sum_expr: product`` and the like pass their one child up as it is: its container is
# already exactly the text the rule matched. A tenth of the reductions are these.
_FIRST = operator.itemgetter(0)


@functools.lru_cache(maxsize=4)
def recognizer(parser: Lark) -> dict:
    """Reduction callbacks that build nothing: for checking syntax only."""
    return {rule: _nothing for rule in parser.rules}


def _nothing(children) -> None:
    return None


def _reducer(builder, name: str, include, after: int, expand1: bool):
    inline = name.startswith("_")  # a helper rule: its children are spliced into the parent
    method = None if inline else getattr(builder, name, None)

    def reduce(children):
        start = end = None
        for child in children:
            if child.__class__ is Node:
                if child.start_pos is not None:
                    start = child.cstart
                    break
            elif isinstance(child, Token):
                start = child.start_pos
                break
        for child in reversed(children):
            if child.__class__ is Node:
                if child.end_pos is not None:
                    end = child.cend
                    break
            elif isinstance(child, Token):
                end = child.end_pos
                break
        if include is None:
            kept = children
        else:
            kept = []
            for index, splice, nones in include:
                if nones:
                    kept += [None] * nones
                if splice:
                    kept += children[index].children
                else:
                    kept.append(children[index])
            if after:
                kept += [None] * after
        if expand1 and len(kept) == 1:
            only = kept[0]
            if only.__class__ is Node:  # as PropagatePositions does to an inlined child tree
                if start is not None:
                    if only.start_pos is None:
                        only.start_pos = start
                    only.cstart = start
                if end is not None:
                    if only.end_pos is None:
                        only.end_pos = end
                    only.cend = end
            return only
        if inline:
            return Node(None, start, end, kept)
        node = Node(None, start, end)
        if builder.failed is not None:
            return node
        args = [k.value if k.__class__ is Node else k for k in kept]
        try:
            node.value = method(node, *args) if method is not None else Tree(name, args)
        except BuildError as exc:
            builder.failed = exc
        return node

    return reduce


def parse(parser: Lark, table: dict, text: str, start: str, on_error=None):
    """Parse ``text`` from rule ``start`` reducing with ``table`` (from :func:`callbacks`);
    raises Lark's UnexpectedInput for a syntax error. Returns the top value."""
    frontend = parser.parser
    lalr = LALR_Parser.__new__(LALR_Parser)
    lalr._parse_table = frontend.parser._parse_table
    lalr.parser = _Parser(lalr._parse_table, table)
    top = lalr.parse(LexerThread.from_text(frontend.lexer, text), start, on_error=on_error)
    return top.value if top.__class__ is Node else top
