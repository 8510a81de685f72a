"""Grammar rules of expressions and literals -> AST nodes: filters, ``and``/``or``
chains, comparisons, membership, arithmetic, calls, aggregates, ranges, dates, durations.

A mixin of :class:`.builder.Builder`, which gives it ``_span``, ``_tspan``, ``_ident``,
``_int`` and ``_float``.
"""

from __future__ import annotations

import datetime as dt

from .. import ast
from .._diagnostics import error
from .build_common import UNITS, NodeError


class ExpressionRules:
    """One method per expression rule of the grammar, called as ``method(meta, *children)``."""

    _chains: dict

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

    def if_(self, meta, cond, then, orelse):
        return ast.IfExpr(cond, then, orelse, self._span(meta))

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

    def agg_call(self, meta, func, *args):
        return ast.Call(self._ident(func), tuple(args), self._span(meta))

    def agg_map(self, meta, func, value, var, source, predicate):
        return ast.Aggregate(str(func).strip(), source, self._ident(var), predicate, value, self._span(meta))

    def spans_filter(self, meta, func, arg, window):
        source, var, predicate = (arg.source, arg.var, arg.predicate) if isinstance(arg, ast.Filter) \
            else (arg, None, None)
        return ast.Aggregate(str(func).strip(), source, var, predicate, None, self._span(meta), window)

    def spans_map(self, meta, func, value, var, source, predicate, window):
        return ast.Aggregate(str(func).strip(), source, self._ident(var), predicate, value, self._span(meta),
                             window)

    def within(self, meta, window):
        return window

    def closed_range(self, meta, low, high):
        return ast.Range(low, high, self._span(meta))

    def upto_range(self, meta, high):
        return ast.Range(None, high, self._span(meta))

    def from_range(self, meta, low):
        return ast.Range(low, None, self._span(meta))

    # -- literals
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
            raise NodeError(error("E006", f"'{token}' is not a real date (YYYY-MM-DD)", self._tspan(token)))
        return ast.Literal(value, self._span(meta))

    def duration_lit(self, meta, amount, unit):
        return ast.Duration(self._int(amount), UNITS[str(unit)], self._span(meta))

    def true_lit(self, meta):
        return ast.Literal(True, self._span(meta))

    def false_lit(self, meta):
        return ast.Literal(False, self._span(meta))

    def null_lit(self, meta):
        return ast.Literal(None, self._span(meta))

    def word_lit(self, meta, token):
        return ast.Word(str(token), self._span(meta))
