"""Grammar rules of declarations -> AST nodes: the pack header and imports, enums,
records, facts and the profile with their fields and bounds, lets and maps, rules,
deadlines, windows, invariants and their actions, tables, examples and tests.

A mixin of :class:`.builder.Builder`, which gives it ``_span``, ``_ident``, ``_int``,
``_string`` and ``_text``.
"""

from __future__ import annotations

import attrs
from lark import Token

from .. import ast
from .._diagnostics import error
from .build_common import NodeError


class DeclarationRules:
    """One method per declaration rule of the grammar, called as ``method(meta, *children)``."""

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
        labels = tuple((m.text, label) for m, label in members if label is not None)
        return ast.EnumDecl(self._ident(name), tuple(m for m, _ in members), self._span(meta),
                            labels)

    def enum_members(self, meta, *members):
        return tuple(members)

    def enum_member(self, meta, name, label):
        return (self._ident(name), self._string(label) if label is not None else None)

    def _record(self, kind, meta, name, items):
        fields: list[ast.FieldDecl] = []
        for item in items:
            if isinstance(item, ast.FieldDecl):
                fields.append(item)
            elif not fields:
                raise NodeError(error("E002", f"'{item.word.text}' comes before any field",
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

    def key_bound(self, meta, word, key):
        return ast.FieldBound(self._ident(word), None, None, None, self._span(meta), self._ident(key))

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

    def severity_clause(self, meta, word):
        return ("severity", self._ident(word))

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
        severity = None
        if isinstance(rest[0], tuple) and rest[0][0] == "severity":
            severity, rest = rest[0][1], rest[1:]
        by = rest[0]  # T-k (an ast.TMonth) or a date expression
        when, message, others = _clauses(rest[1:])
        require = others[-1] if others else None
        return ast.Deadline(self._ident(name), self._string(title), info, by, when, require, message,
                            self._span(meta), severity)

    def window_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        start, end = rest[0], rest[1]  # T-months or date expressions
        when, message, _ = _clauses(rest[2:])
        return ast.Window(self._ident(name), self._string(title), info, start, end, when, message,
                          self._span(meta))

    def invariant_decl(self, meta, name, title, *items):
        info, rest = self._meta(items)
        return ast.Invariant(self._ident(name), self._string(title), info, rest[-1], self._span(meta))

    def _args(self, args) -> tuple[ast.Arg, ...]:
        return tuple(a for a in args if a is not None)

    def derive_action(self, meta, name, *args):
        return ast.Derive(self._ident(name), self._args(args), self._span(meta))

    def flag_action(self, meta, severity, message, data=None):
        return ast.Flag(self._ident(severity), self._text(message), data or (), self._span(meta))

    def recommend_action(self, meta, message, data=None):
        return ast.Recommend(self._text(message), data or (), self._span(meta))

    def remind_action(self, meta, message, data=None):
        return ast.Remind(self._text(message), data or (), self._span(meta))

    def needs_info_action(self, meta, message, data=None):
        return ast.NeedsInfo(self._text(message), data or (), self._span(meta))

    def data_clause(self, meta, *items):
        return tuple(items)

    def data_item(self, meta, name, value):
        return ast.DataItem(self._ident(name), value, self._span(meta))

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

    def missing_cell(self, meta):
        return ast.PresenceCell(False, self._span(meta))

    def present_cell(self, meta):
        return ast.PresenceCell(True, self._span(meta))

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

    def expect_rule(self, meta, name, data):
        return ast.ExpectRule(self._ident(name), self._span(meta), data)

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


def _is_cell(item) -> bool:
    return isinstance(item, (ast.AnyCell, ast.EqCell, ast.RangeCell, ast.CmpCell, ast.SetCell,
                             ast.PresenceCell))


def _clauses(items) -> tuple:
    """A milestone's ``("when", expr)`` and ``("message", text)`` clauses (None where
    absent) and its other items, in order (None items dropped)."""
    when = message = None
    others = []
    for item in items:
        if isinstance(item, tuple) and item and item[0] == "when":
            when = item[1]
        elif isinstance(item, tuple) and item and item[0] == "message":
            message = item[1]
        elif item is not None:
            others.append(item)
    return when, message, others
