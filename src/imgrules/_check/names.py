"""Pass ``names``: resolve every name and type every expression of every declaration.

Walks lets, rules (bindings, condition, actions), deadlines, windows, invariants, the
expressions of tables (inputs, condition, output template) and the fact patterns of
test expectations, with an :class:`ExprChecker`. Also checks ``derive`` arguments
against the fact type and flag severities.
"""

from __future__ import annotations

from .. import ast
from .. import _types as T
from .._diagnostics import did_you_mean
from .consts import assignable
from .context import Context
from .exprs import ExprChecker
from .model import node_key
from .scope import EMPTY, Frame, Scope

SEVERITIES = ("critical", "high", "medium", "low", "info")


def run(ctx: Context) -> None:
    exprs = ExprChecker(ctx)
    ctx.exprs = exprs  # the later passes (tables, tests) type their expressions with it
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.LetDecl) and ctx.lets.get(decl.name.text) is decl:
            if decl.params is None:  # parameterised lets take their first call's types
                exprs.let_type(decl)
        elif isinstance(decl, ast.Rule):
            _rule(ctx, exprs, decl)
        elif isinstance(decl, ast.Deadline):
            if decl.severity is not None:
                _severity(ctx, decl.severity)
            if ast.anchored(decl):
                _anchor(ctx, exprs, decl.by, "'by'")
            _clause(exprs, decl.when, "a 'when' condition")
            exprs.condition(decl.require, EMPTY, "a 'require' condition")
            exprs.text(decl.message, EMPTY)
        elif isinstance(decl, ast.Window):
            if ast.anchored(decl):
                _anchor(ctx, exprs, decl.start, "the start of 'during'")
                _anchor(ctx, exprs, decl.end, "the end of 'during'")
            _clause(exprs, decl.when, "a 'when' condition")
            exprs.text(decl.message, EMPTY)
        elif isinstance(decl, ast.Invariant):
            exprs.condition(decl.require, EMPTY, "a 'require' condition")
        elif isinstance(decl, ast.Table):
            for expr in decl.inputs:
                exprs.check(expr, EMPTY)
            _clause(exprs, decl.when, "a 'when' condition")
            if decl.output is not None:
                fact_args(ctx, exprs, decl.output.fact, decl.output.args, EMPTY, "derive", partial=True)
        elif isinstance(decl, ast.Test):
            for expect in decl.expectations:
                target = expect.target
                if isinstance(target, ast.ExpectFact):
                    fact_args(ctx, exprs, target.fact, target.args, EMPTY, "expect", partial=True)
    for decl in ctx.lets.values():  # never called: typed with parameters of unknown type
        exprs.let_type(decl)


def _clause(exprs: ExprChecker, expr, what: str, scope: Scope = EMPTY) -> None:
    if expr is not None:
        exprs.condition(expr, scope, what)


def _anchor(ctx: Context, exprs: ExprChecker, expr, what: str) -> None:
    """A date-anchored deadline's or window's date: an expression of type date."""
    t = exprs.check(expr, EMPTY, T.DATE)
    if not isinstance(t, T.Unknown) and t != T.DATE:
        ctx.error("E216", f"{what} must be a date, but {ctx.text_of(expr)} is {t.describe()}", expr.span,
                  "anchor on a date: T-5, a date field (exams.step3.date), or a date moved by a "
                  "duration (eras_opens + 2 weeks)")


def _rule(ctx: Context, exprs: ExprChecker, rule: ast.Rule) -> None:
    scope = EMPTY
    seen: set[str] = set()
    for binding in rule.bindings:
        source = exprs.check(binding.source, scope)
        if binding.var.text in seen:
            ctx.error("E104", f"variable '{binding.var.text}' is bound twice", binding.var.span)
        seen.add(binding.var.text)
        if isinstance(source, (T.ListType, T.SetType)):
            elem = source.item
        else:
            if not isinstance(source, T.Unknown):
                ctx.error("E207", f"for {binding.var.text} in ... needs a list or a fact type, but "
                          f"{ctx.text_of(binding.source)} is {source.describe()}", binding.source.span)
            elem = T.UNKNOWN
        scope = scope.push(Frame("var", node_key(binding), binding.var.text, elem))
    _clause(exprs, rule.when, "a 'when' condition", scope)
    for action in rule.actions:
        if isinstance(action, ast.Derive):
            fact_args(ctx, exprs, action.fact, action.args, scope, "derive", partial=False)
        elif isinstance(action, ast.Flag):
            _severity(ctx, action.severity)
            exprs.text(action.message, scope)
            _finding_data(ctx, exprs, action.data, scope)
        else:
            exprs.text(action.message, scope)
            _finding_data(ctx, exprs, action.data, scope)


def _finding_data(ctx: Context, exprs: ExprChecker, items: tuple[ast.DataItem, ...], scope: Scope) -> None:
    """``with {name: value, ...}``: names once each, every value one plain value (text, a
    number, a truth value, a date or an enum's value), as the output's ``data`` holds it."""
    seen: set[str] = set()
    for item in items:
        if item.name.text in seen:
            ctx.error("E104", f"'{item.name.text}' is given twice in the finding's data", item.name.span)
        seen.add(item.name.text)
        t = exprs.check(item.value, scope)
        if not isinstance(t, (T.Prim, T.EnumType, T.Null, T.Unknown)) or t == T.DURATION:
            ctx.error("E214", f"the finding's data '{item.name.text}' must be one plain value, but "
                      f"{ctx.text_of(item.value)} is {t.describe()}", item.value.span,
                      "give text, a number, true/false, a date or an enum's value: count(...), "
                      "a field of one item, or str(...)")


def _severity(ctx: Context, word: ast.Ident) -> None:
    """A flag's or a deadline's severity is one of :data:`SEVERITIES`."""
    if word.text not in SEVERITIES:
        ctx.error("E209", f"'{word.text}' is not a severity", word.span,
                  did_you_mean(word.text, SEVERITIES), f"severities: {', '.join(SEVERITIES)}")


def fact_args(ctx: Context, exprs: ExprChecker, fact: ast.Ident, args: tuple[ast.Arg, ...], scope: Scope,
              what: str, partial: bool) -> tuple[T.RecordType | None, dict[str, ast.Arg]]:
    """Match ``fact(a: x, y)`` arguments to the fields of fact type ``fact``.

    ``partial`` allows fields to be left out (a table's template, a test's pattern).
    Returns the fact type (None when unknown) and the arguments by field name.
    """
    record = ctx.fact_type(fact.text)
    if record is None:
        other = ctx.schema.records.get(fact.text)
        if other is not None:
            ctx.error("E115", f"{fact.text} is a record, not a fact type: only facts can be derived",
                      fact.span, f"declare it with 'fact {fact.text} {{...}}'")
        else:
            ctx.error("E115", f"unknown fact type '{fact.text}'", fact.span,
                      did_you_mean(fact.text, ctx.schema.facts) or
                      (f"fact types: {', '.join(sorted(ctx.schema.facts))}" if ctx.schema.facts else ""))
        for arg in args:
            exprs.check(arg.value, scope)
        return None, {}
    by_field: dict[str, ast.Arg] = {}
    named_seen = False
    position = 0
    for arg in args:
        if arg.name is None:
            if named_seen:
                ctx.error("E114", "a positional value after a named one", arg.span,
                          "name it too, or put the positional values first")
                exprs.check(arg.value, scope)
                continue
            if position >= len(record.fields):
                ctx.error("E114", f"too many values: {record.name} has {len(record.fields)} fields", arg.span)
                exprs.check(arg.value, scope)
                continue
            field = record.fields[position]
            position += 1
            span = arg.span
        else:
            named_seen = True
            field = record.field(arg.name.text)
            span = arg.name.span
            if field is None:
                ctx.error("E110", f"unknown field '{arg.name.text}' on {record.name}", span,
                          did_you_mean(arg.name.text, record.field_names),
                          f"fields of {record.name}: {', '.join(record.field_names)}")
                exprs.check(arg.value, scope)
                continue
        if field.name in by_field:
            ctx.error("E114", f"field '{field.name}' is given twice", span)
            exprs.check(arg.value, scope)
            continue
        by_field[field.name] = arg
        value = exprs.check(arg.value, scope, field.type)
        if not assignable(value, field.type, field.optional):
            ctx.error("E201", f"{record.name}.{field.name} is {field.type.describe()}, but this is "
                      f"{value.describe()}", arg.value.span)
    if not partial:
        missing = [f.name for f in record.fields if f.name not in by_field and not f.optional]
        if missing:
            ctx.error("E113", f"{what} {record.name}(...) leaves out {', '.join(missing)}", fact.span,
                      f"{record.name} has fields {', '.join(record.field_names)}")
    return record, by_field
