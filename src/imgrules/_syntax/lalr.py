"""The Lark LALR parser of the rule language: the only place Lark's parser is made.

Built once per process (its tables cached between runs by :mod:`.tables`) and driven
through :mod:`.reduce`; :func:`retag_minus` is the one fix-up every parse needs.
"""

from __future__ import annotations

import functools
import re

from lark import Lark, Token
from lark.exceptions import UnexpectedToken

from . import reduce
from .tables import load_parser


@functools.cache
def lark_parser() -> Lark:
    """The Lark parser, built once per process (its tables cached between runs)."""
    return load_parser()


def retag_minus(exc: UnexpectedToken) -> bool:
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


def parse_tree(text: str, start: str):
    """Lark's own parse tree, with the ``-`` fix-up; raises Lark's UnexpectedInput on bad
    text. Parsing builds the AST directly (:class:`.builder.Builder`); this classic path is the
    reference the tests compare it with."""
    return lark_parser().parse(text, start=start, on_error=retag_minus)


def recognize(text: str, start: str) -> None:
    """Only check the syntax (no tree, no AST): the error paths parse many pieces."""
    parser = lark_parser()
    reduce.parse(parser, reduce.recognizer(parser), text, start, retag_minus)


def blank(text: str) -> str:
    """``text`` with every character but newlines made a space (positions kept)."""
    return re.sub(r"[^\n]", " ", text)

