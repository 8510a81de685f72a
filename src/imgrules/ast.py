"""The typed syntax tree of a rule pack: frozen attrs nodes, each with a ``span``.

This is the stable public form of parsed rule text. Nodes carry no behaviour. Equality
ignores spans (``span`` has ``eq=False``), so two parses of the same program laid out
differently compare equal; use the span itself when a node's position matters.
"""

from __future__ import annotations

import datetime as _dt
from typing import Union

import attrs

from ._source import Span

_SPAN = attrs.field(eq=False, repr=False)


def node(cls):
    """Decorator: a frozen, slotted, keyword-friendly AST node class."""
    return attrs.frozen(cls)


@node
class Ident:
    """A name as written, with where it was written."""

    text: str
    span: Span = _SPAN


@node
class Comment:
    """A ``#`` comment, kept so that the formatter can put it back."""

    text: str
    span: Span = _SPAN


# ------------------------------------------------------------------ expressions


@node
class Literal:
    """A constant: int, float, str, date, bool or None (``null``)."""

    value: int | float | str | bool | _dt.date | None
    span: Span = _SPAN
    # a float's digits as written (``12345678901234567890.5``): the formatter prints them
    # back, since the nearest float may print differently; None when built in code
    written: str | None = attrs.field(default=None, eq=False, repr=False)


@node
class Duration:
    """``24 months``, ``3 weeks``: a length of time; ``unit`` is singular."""

    amount: int
    unit: str  # day | week | month | year
    span: Span = _SPAN


@node
class Word:
    """A bare word used as a constant (an enum value in tables, maps and test data)."""

    text: str
    span: Span = _SPAN


@node
class Name:
    """A name in an expression: a variable, a field in scope, a let, an enum value."""

    ident: Ident
    span: Span = _SPAN


@node
class Member:
    """``obj.field``."""

    obj: Expr
    field: Ident
    span: Span = _SPAN


@node
class Index:
    """``obj[index]``."""

    obj: Expr
    index: Expr
    span: Span = _SPAN


@node
class Call:
    """``f(a, b)``: a builtin function, a parameterised let, or a map lookup."""

    func: Ident
    args: tuple[Expr, ...]
    span: Span = _SPAN


@node
class Neg:
    operand: Expr
    span: Span = _SPAN


@node
class Not:
    operand: Expr
    span: Span = _SPAN


@node
class Arith:
    """``left op right`` with op one of ``+ - * /``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _SPAN


@node
class Compare:
    """``left op right`` with op one of ``== != < <= > >=``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _SPAN


@node
class BoolOp:
    """``a and b and c`` / ``a or b``: flattened, at least two operands."""

    op: str  # and | or
    operands: tuple[Expr, ...]
    span: Span = _SPAN


@node
class Range:
    """``low..high`` (inclusive); either end may be absent."""

    low: Expr | None
    high: Expr | None
    span: Span = _SPAN


@node
class In:
    """``item in target`` (``not in`` when negated); target is a set, list or range."""

    item: Expr
    target: Expr
    negated: bool
    span: Span = _SPAN


@node
class IsMissing:
    """``x is missing`` (or ``x is present`` when negated)."""

    operand: Expr
    negated: bool
    span: Span = _SPAN


@node
class SetLit:
    """``{a, b, c}``."""

    items: tuple[Expr, ...]
    span: Span = _SPAN


@node
class TMonth:
    """``T-5``: the date five months before the application date (``months`` = 5)."""

    months: int
    span: Span = _SPAN


@node
class Filter:
    """``letters where status == planned`` or ``letters as l where l.status == planned``."""

    source: Expr
    var: Ident | None
    predicate: Expr | None
    span: Span = _SPAN


@node
class Aggregate:
    """``count(C where P)``, ``sum(v for x in C where P)``, ``exists``, ``all``, ``min``, ``max``,
    ``union_months(s for x in C where P, within: W)`` and ``longest_gap_months(...)``.

    ``value`` is the mapped expression of the ``for`` form (None for the filter form);
    for ``all`` the predicate is what every element must satisfy.
    """

    func: str
    source: Expr
    var: Ident | None
    predicate: Expr | None
    value: Expr | None
    span: Span = _SPAN
    within: Expr | None = None  # union_months / longest_gap_months: the window (``within: W``)


@node
class IfExpr:
    """``if cond then then else orelse``: the value of one branch; an ``else if`` chain is an
    IfExpr in ``orelse``."""

    cond: Expr
    then: Expr
    orelse: Expr
    span: Span = _SPAN


Expr = Union[Literal, Duration, Name, Member, Index, Call, Neg, Not, Arith, Compare, BoolOp,
             Range, In, IsMissing, SetLit, TMonth, Filter, Aggregate, IfExpr]


@node
class Text:
    """A message string; ``parts`` alternate plain text and ``{expression}`` holes."""

    parts: tuple[str | Expr, ...]
    span: Span = _SPAN


# ------------------------------------------------------------------ constants and data


@node
class ObjectLit:
    """``{key: value, ...}`` in examples and tests."""

    entries: tuple[tuple[Ident, Const], ...]
    span: Span = _SPAN


@node
class ListLit:
    items: tuple[Const, ...]
    span: Span = _SPAN


@node
class NegLit:
    """A negative number written in constant position (``-3``)."""

    value: int | float
    span: Span = _SPAN
    written: str | None = attrs.field(default=None, eq=False, repr=False)  # digits, no sign


Const = Union[Literal, Duration, Word, NegLit, ObjectLit, ListLit]


# ------------------------------------------------------------------ declarations


@node
class PackHeader:
    name: Ident
    version: str | None
    title: str | None
    source: str | None
    span: Span = _SPAN


@node
class Import:
    name: Ident
    span: Span = _SPAN


@node
class EnumDecl:
    name: Ident
    members: tuple[Ident, ...]
    span: Span = _SPAN
    labels: tuple[tuple[str, str], ...] = ()  # (value, display label) of the labelled values


@node
class TypeRef:
    """``int``, ``Letter?``, ``list[Letter]``: ``item`` is set for lists."""

    name: str
    optional: bool
    item: TypeRef | None
    span: Span = _SPAN


@node
class FieldBound:
    """A limit written after a field's type, which profile data must keep.

    ``word`` is the word as written: ``in`` (the values: ``in 0..``, ``in 1..300``; for a
    list, each item), ``size`` (a list's length: ``size 1..2``), ``matches`` (the whole
    text matches a regular expression: ``matches "[A-Z]{2}"``) or ``message`` (what a
    profile that breaks the field's bounds is told) or ``unique`` (a list's items differ
    in a field); the checker refuses other words.
    ``low``/``high`` are the inclusive ends of a range (either may be None); the low end
    of ``in`` may name another field of the same record (``end: date? in start..``).
    ``text`` is the quoted text of ``matches`` or ``message`` (None for a range); ``key``
    the field named by ``unique`` (``letters: list[Letter] unique id``: no two items share
    an ``id``).
    """

    word: Ident
    low: Literal | NegLit | Name | None
    high: Literal | NegLit | None
    text: str | None
    span: Span = _SPAN
    key: Ident | None = None


@node
class FieldDecl:
    """``name: type`` and the bounds written after the type (``in 0..``, ``size 1..2``)."""

    name: Ident
    type: TypeRef
    span: Span = _SPAN
    bounds: tuple[FieldBound, ...] = ()


@node
class RecordDecl:
    """``record X {...}``, ``fact x {...}`` (derivable) or ``profile {...}`` (the input root)."""

    kind: str  # record | fact | profile
    name: Ident
    fields: tuple[FieldDecl, ...]
    span: Span = _SPAN


@node
class LetDecl:
    """``let name = expr`` or ``let name(a, b) = expr``; ``params`` is None without parens."""

    name: Ident
    params: tuple[Ident, ...] | None
    body: Expr
    span: Span = _SPAN


@node
class MapEntry:
    key: Const
    value: Const
    span: Span = _SPAN


@node
class MapDecl:
    name: Ident
    key_type: TypeRef
    value_type: TypeRef
    entries: tuple[MapEntry, ...]
    span: Span = _SPAN


@node
class Meta:
    """What every rule-like declaration may say about itself."""

    cites: tuple[str, ...] = ()
    covers: tuple[Ident, ...] = ()
    priority: int | None = None


@node
class Timing:
    """``at T-9`` / ``from T-11`` / ``until T-3`` / ``during T-8..T-7``."""

    kind: str  # at | from | until | during
    start: TMonth
    end: TMonth | None
    span: Span = _SPAN


@node
class Binding:
    """``for l in letters``: the rule fires once per element (and per join)."""

    var: Ident
    source: Expr
    span: Span = _SPAN


@node
class Arg:
    """A field value in ``derive f(a: 1, 2)``: ``name`` is None when positional."""

    name: Ident | None
    value: Expr
    span: Span = _SPAN


@node
class Derive:
    fact: Ident
    args: tuple[Arg, ...]
    span: Span = _SPAN


@node
class DataItem:
    """``letter: l.id`` in a finding's ``with {...}``: a named value of the finding's data."""

    name: Ident
    value: Expr
    span: Span = _SPAN


@node
class Flag:
    severity: Ident
    message: Text
    data: tuple[DataItem, ...]
    span: Span = _SPAN


@node
class Recommend:
    message: Text
    data: tuple[DataItem, ...]
    span: Span = _SPAN


@node
class Remind:
    message: Text
    data: tuple[DataItem, ...]
    span: Span = _SPAN


@node
class NeedsInfo:
    message: Text
    data: tuple[DataItem, ...]
    span: Span = _SPAN


Action = Union[Derive, Flag, Recommend, Remind, NeedsInfo]


@node
class Rule:
    name: Ident
    title: str
    meta: Meta
    timing: Timing | None
    bindings: tuple[Binding, ...]
    when: Expr | None
    actions: tuple[Action, ...]
    span: Span = _SPAN


@node
class Deadline:
    """``by T-k require C``: a milestone with a status on every evaluation. ``by`` is a
    :class:`TMonth` for the month-counted form (``by T-5``) and any date expression for
    the date-anchored one (``by exams.step3.date - 3 weeks``): see :func:`anchored`."""

    name: Ident
    title: str
    meta: Meta
    by: Expr
    when: Expr | None
    require: Expr
    message: Text | None
    span: Span = _SPAN
    severity: Ident | None = None  # ``severity high``: the words of a flag's severity


@node
class Window:
    """``during T-a..T-b``: a period that is upcoming, active or past. ``start`` and
    ``end`` are :class:`TMonth` for the month-counted form and date expressions for the
    date-anchored one (``during eras_opens .. eras_opens + 2 weeks``)."""

    name: Ident
    title: str
    meta: Meta
    start: Expr
    end: Expr
    when: Expr | None
    message: Text | None
    span: Span = _SPAN


@node
class AnyCell:
    span: Span = _SPAN


@node
class EqCell:
    value: Const
    span: Span = _SPAN


@node
class RangeCell:
    low: Const | None
    high: Const | None
    span: Span = _SPAN


@node
class CmpCell:
    op: str
    value: Const
    span: Span = _SPAN


@node
class SetCell:
    values: tuple[Const, ...]
    negated: bool
    span: Span = _SPAN


@node
class PresenceCell:
    """``missing`` (the input is absent) or ``present`` (it is given), whatever its value."""

    present: bool
    span: Span = _SPAN


Cell = Union[AnyCell, EqCell, RangeCell, CmpCell, SetCell, PresenceCell]


@node
class Row:
    cells: tuple[Cell, ...]
    outputs: tuple[Const, ...]
    span: Span = _SPAN


@node
class Table:
    """A decision table: ``given`` inputs, rows of cells, each deriving one fact."""

    name: Ident
    title: str
    meta: Meta
    hit: Ident  # unique | first | collect
    inputs: tuple[Expr, ...]
    when: Expr | None
    output: Derive
    rows: tuple[Row, ...]
    span: Span = _SPAN


@node
class Invariant:
    name: Ident
    title: str
    meta: Meta
    require: Expr
    span: Span = _SPAN


@node
class Example:
    name: Ident
    data: ObjectLit
    span: Span = _SPAN


@node
class Given:
    """``given {...}`` or ``given example_name [with {...}]``."""

    example: Ident | None
    data: ObjectLit | None
    span: Span = _SPAN


@node
class ExpectFact:
    fact: Ident
    args: tuple[Arg, ...]
    span: Span = _SPAN


@node
class ExpectRule:
    """``expect rule r``: the rule fired; ``expect rule r with {letter: "L2"}``: one of its
    findings carries that data (each name given with that value; others may be there too)."""

    rule: Ident
    span: Span = _SPAN
    data: ObjectLit | None = None


@node
class ExpectStatus:
    """``expect deadline x overdue`` / ``expect window y active``; without a status,
    whether the deadline or window applies at all (``expect no deadline x``)."""

    kind: str  # deadline | window
    name: Ident
    status: Ident | None
    span: Span = _SPAN


@node
class Expect:
    negated: bool
    target: ExpectFact | ExpectRule | ExpectStatus
    span: Span = _SPAN


@node
class Test:
    name: Ident
    title: str
    given: Given
    expectations: tuple[Expect, ...]
    span: Span = _SPAN


def anchored(decl: Deadline | Window) -> bool:
    """Whether a deadline or window is anchored on dates (``by exams.step3.date``) rather
    than counted in months to the application date (``by T-5``, ``during T-8..T-7``)."""
    if isinstance(decl, Deadline):
        return not isinstance(decl.by, TMonth)
    return not (isinstance(decl.start, TMonth) and isinstance(decl.end, TMonth))


Declaration = Union[EnumDecl, RecordDecl, LetDecl, MapDecl, Rule, Deadline, Window, Table,
                    Invariant, Example, Test]


@node
class Pack:
    """One parsed file: header, imports, declarations in order, and its comments."""

    path: str
    header: PackHeader | None
    imports: tuple[Import, ...]
    declarations: tuple[Declaration, ...]
    span: Span = _SPAN
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False)
