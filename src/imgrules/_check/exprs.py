"""Names and types of expressions: the heart of the ``names`` pass.

:class:`ExprChecker` walks one expression with a :class:`Scope`, records what every
``Name`` and ``Call`` denotes in ``ctx.refs`` and the type of every expression node in
``ctx.types``, and reports what does not resolve or does not type. ``expected`` carries
the type a position wants, which is how a bare word becomes an enum value:
``t.level == concerning`` types the left side first and reads ``concerning`` as a Level.

Calls (builtins, parameterised lets, maps) live in :mod:`.calls`.
"""

from __future__ import annotations

from .. import ast
from .. import _types as T
from .._builtins import FUNCTIONS, VALUES
from .._diagnostics import did_you_mean
from .calls import CallChecker
from .consts import allowed, literal_type
from .context import Context
from .model import NameRef, node_key
from .scope import EMPTY, Frame, Scope

ORDERED = (T.INT, T.FLOAT, T.STR, T.DATE, T.DURATION)


def is_list(t: T.Type) -> bool:
    return isinstance(t, T.ListType)


class ExprChecker:
    """Types expressions of one pack set; lets are typed on first use."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.let_state: dict[str, str] = {}  # name -> "busy" | "done"
        self.hints: dict[str, T.Type] | None = None  # param -> the type its uses expect
        self.calls = CallChecker(self)

    # ------------------------------------------------------------ entry points
    def check(self, expr, scope: Scope = EMPTY, expected: T.Type | None = None) -> T.Type:
        """The type of ``expr`` (UNKNOWN after an error); records it for the compiler."""
        method = getattr(self, "_" + type(expr).__name__.lower(), None)
        result = method(expr, scope, expected) if method is not None else T.UNKNOWN
        self.ctx.types[node_key(expr)] = result
        return result

    def condition(self, expr, scope: Scope, what: str) -> None:
        """Check ``expr`` and require a bool (``what`` says which clause, for the message)."""
        t = self.check(expr, scope)
        if not isinstance(t, (T.Unknown, T.Null)) and t != T.BOOL:
            self.ctx.error("E203", f"{what} must be true or false, but this is {t.describe()}", expr.span,
                           _bool_hint(t))

    def text(self, text: ast.Text | None, scope: Scope) -> None:
        """Message holes: any value that reads well as text (not a list or record)."""
        if text is None:
            return
        for part in text.parts:
            if isinstance(part, str):
                continue
            t = self.check(part, scope)
            if isinstance(t, (T.ListType, T.SetType, T.RangeType)):
                self.ctx.error("E208", f"cannot show {self.ctx.text_of(part)} ({t.describe()}) in a message",
                               part.span, "show one value: count(...), a field of one item, or join in the rule")
            elif isinstance(t, T.RecordType):
                self.ctx.error("E208", f"cannot show a whole {t.describe()} in a message", part.span,
                               f"show one of its fields: {', '.join(t.field_names[:5])}")

    def param_hints(self, decl: ast.LetDecl, params: tuple[T.Type, ...]) -> dict[str, T.Type]:
        """The types a let's body expects of its parameters (a dry run, diagnostics dropped).

        Lets a call like ``is_concerning(step2_ck)`` read a bare word as the enum the body
        compares the parameter with.
        """
        name = decl.name.text
        if self.let_state.get(name) is not None or self.hints is not None:
            return {}
        mark = len(self.ctx.diagnostics)
        self.hints = {}
        try:
            self.let_type(decl, params)
            return self.hints
        finally:
            self.hints = None
            self.let_state.pop(name, None)
            self.ctx.let_types.pop(name, None)
            self.ctx.let_param_types.pop(name, None)
            del self.ctx.diagnostics[mark:]

    def let_type(self, decl: ast.LetDecl, params: tuple[T.Type, ...] | None = None) -> T.Type:
        """Type a let's body once (a parameterised one with its first call's argument types)."""
        name = decl.name.text
        state = self.let_state.get(name)
        if state == "done":
            return self.ctx.let_types.get(name, T.UNKNOWN)
        if state == "busy":
            self.ctx.error("E116", f"let {name} refers to itself", decl.name.span,
                           "a let cannot be defined in terms of itself")
            return T.UNKNOWN
        self.let_state[name] = "busy"
        scope = EMPTY
        if decl.params is not None:
            kinds = params if params is not None else tuple(T.UNKNOWN for _ in decl.params)
            self.ctx.let_param_types[name] = kinds
            for param, t in zip(decl.params, kinds):
                scope = scope.push(Frame("param", node_key(decl), param.text, t))
        result = self.check(decl.body, scope)
        self.ctx.let_types[name] = result
        self.let_state[name] = "done"
        return result

    # ------------------------------------------------------------ leaves
    def _literal(self, node: ast.Literal, scope, expected):
        return literal_type(node.value)

    def _duration(self, node, scope, expected):
        return T.DURATION

    def _tmonth(self, node, scope, expected):
        return T.DATE

    def _name(self, node: ast.Name, scope: Scope, expected):
        ctx = self.ctx
        name = node.ident.text
        key = node_key(node)
        found = scope.lookup(name)
        if found is not None:
            frame, t = found
            if frame.kind == "param" and isinstance(t, T.Unknown) and expected is not None \
                    and self.hints is not None:
                self.hints.setdefault(name, expected)
            ctx.refs[key] = NameRef({"fields": "field"}.get(frame.kind, frame.kind), name, frame.key)
            return t
        if isinstance(expected, T.EnumType) and name in expected.values:
            # Where an enum value is expected, its values win over pack-wide names
            # (`derive tier(component: usce)` even with a `let usce`).
            ctx.refs[key] = NameRef("enum_value", name, (expected.name,))
            return expected
        if name in ctx.lets:
            decl = ctx.lets[name]
            ctx.refs[key] = NameRef("let", name)
            if decl.params is not None:
                ctx.error("E117", f"{name} takes arguments: write {name}({', '.join(p.text for p in decl.params)})",
                          node.span)
                return T.UNKNOWN
            return self.let_type(decl)
        if name in ctx.maps:
            ctx.refs[key] = NameRef("map", name)
            ctx.error("E117", f"map {name} is used like a function: {name}(key)", node.span)
            return T.UNKNOWN
        profile = ctx.schema.profile
        field = profile.field(name) if profile is not None else None
        if field is not None:
            ctx.refs[key] = NameRef("profile", name)
            return field.type
        fact = ctx.fact_type(name)
        if fact is not None:
            ctx.refs[key] = NameRef("facts", name)
            return T.ListType(fact)
        if name in VALUES:
            ctx.refs[key] = NameRef("builtin", name)
            return VALUES[name][0]
        return self._word(node, name, expected, scope)

    def _word(self, node: ast.Name, name: str, expected, scope: Scope) -> T.Type:
        """A bare word that is no variable, field or definition: an enum value, or unknown."""
        ctx = self.ctx
        enum = expected if isinstance(expected, T.EnumType) else None
        if enum is not None and name in enum.values:
            ctx.refs[node_key(node)] = NameRef("enum_value", name, (enum.name,))
            return enum
        owners = [e for e in ctx.schema.enums.values() if name in e.values]
        if enum is None and len(owners) == 1:
            ctx.refs[node_key(node)] = NameRef("enum_value", name, (owners[0].name,))
            return owners[0]
        if enum is not None:
            ctx.error("E103", f"'{name}' is not a value of {enum.name}", node.span,
                      did_you_mean(name, enum.values), allowed(enum))
            return T.UNKNOWN
        if len(owners) > 1:
            ctx.error("E101", f"'{name}' is a value of several enums "
                      f"({', '.join(sorted(e.name for e in owners))}); compare it with a typed value",
                      node.span)
            return T.UNKNOWN
        if name in FUNCTIONS:
            ctx.error("E117", f"{name} is a function: write {name}(...)", node.span)
            return T.UNKNOWN
        if ctx.schema.lookup(name) is not None:
            ctx.error("E117", f"'{name}' is a type, not a value", node.span)
            return T.UNKNOWN
        ctx.error("E101", f"unknown name '{name}'", node.span, did_you_mean(name, self.visible(scope)))
        return T.UNKNOWN

    def visible(self, scope: Scope) -> list[str]:
        """Every name an expression at ``scope`` could mean (for "did you mean")."""
        ctx = self.ctx
        names = [*ctx.lets, *VALUES, *ctx.schema.facts]
        if ctx.schema.profile is not None:
            names.extend(ctx.schema.profile.field_names)
        for enum in ctx.schema.enums.values():
            names.extend(enum.values)
        names.extend(scope.names())
        return names

    # ------------------------------------------------------------ structure
    def _member(self, node: ast.Member, scope, expected):
        obj = self.check(node.obj, scope)
        name = node.field.text
        if isinstance(obj, T.Unknown):
            return T.UNKNOWN
        if isinstance(obj, T.RecordType):
            field = obj.field(name)
            if field is None:
                owner = "the profile" if obj.kind == "profile" else obj.name
                self.ctx.error("E110", f"unknown field '{name}' on {owner}", node.field.span,
                               did_you_mean(name, obj.field_names),
                               f"fields of {owner}: {', '.join(obj.field_names)}")
                return T.UNKNOWN
            return field.type
        text = self.ctx.text_of(node.obj)
        if is_list(obj):
            var = (text.split(".")[-1][:1] or "x").lower()
            var = var if var.isalpha() else "x"
            self.ctx.error("E202", f"{text} is a list; use count(...)/exists(...) or for {var} in {text}",
                           node.field.span, f"'{name}' is a field of each item, not of the list")
            return T.UNKNOWN
        self.ctx.error("E202", f"{text} is {obj.describe()} and has no field '{name}'", node.field.span)
        return T.UNKNOWN

    def _index(self, node: ast.Index, scope, expected):
        obj = self.check(node.obj, scope)
        idx = self.check(node.index, scope)
        if not isinstance(idx, T.Unknown) and idx != T.INT:
            self.ctx.error("E211", f"a list index must be an int, not {idx.describe()}", node.index.span)
        if isinstance(obj, T.Unknown):
            return T.UNKNOWN
        if not is_list(obj):
            self.ctx.error("E211", f"{self.ctx.text_of(node.obj)} is {obj.describe()}, not a list; it cannot be indexed",
                           node.span)
            return T.UNKNOWN
        return obj.item

    def _call(self, node: ast.Call, scope, expected):
        return self.calls.call(node, scope, expected)

    def _setlit(self, node: ast.SetLit, scope, expected):
        item_expected = expected.item if isinstance(expected, (T.SetType, T.ListType)) else expected
        item = None
        for element in node.items:
            t = self.check(element, scope, item_expected or item)
            if isinstance(t, (T.Unknown, T.Null)):
                continue
            if item is None:
                item = t
            elif not T.comparable(item, t):
                self.ctx.error("E206", f"a set mixes {item.describe()} and {t.describe()}", element.span)
            elif item == T.INT and t == T.FLOAT:
                item = T.FLOAT
        return T.SetType(item or item_expected or T.UNKNOWN)

    def _range(self, node: ast.Range, scope, expected):
        bound_expected = expected.item if isinstance(expected, T.RangeType) else None
        kinds = []
        for bound in (node.low, node.high):
            if bound is None:
                continue
            t = self.check(bound, scope, bound_expected)
            if isinstance(t, (T.Unknown, T.Null)):
                continue
            if t not in (T.INT, T.FLOAT, T.DATE, T.DURATION):
                self.ctx.error("E206", f"a range needs numbers or dates, not {t.describe()}", bound.span)
                continue
            kinds.append(t)
        if len(kinds) == 2 and not T.comparable(*kinds):
            self.ctx.error("E206", f"a range from {kinds[0].describe()} to {kinds[1].describe()}", node.span)
        item = T.FLOAT if T.FLOAT in kinds else (kinds[0] if kinds else T.UNKNOWN)
        return T.RangeType(item)

    # ------------------------------------------------------------ operators
    def _neg(self, node: ast.Neg, scope, expected):
        t = self.check(node.operand, scope)
        if isinstance(t, T.Unknown) or t in (T.INT, T.FLOAT, T.DURATION):
            return t
        self.ctx.error("E205", f"cannot negate {t.describe()}", node.span)
        return T.UNKNOWN

    def _not(self, node: ast.Not, scope, expected):
        self.condition(node.operand, scope, "the operand of 'not'")
        return T.BOOL

    def _boolop(self, node: ast.BoolOp, scope, expected):
        for operand in node.operands:
            self.condition(operand, scope, f"each side of '{node.op}'")
        return T.BOOL

    def _arith(self, node: ast.Arith, scope, expected):
        left = self.check(node.left, scope)
        right = self.check(node.right, scope)
        return arith_type(self.ctx, node, left, right)

    def _compare(self, node: ast.Compare, scope, expected):
        left, right = self._pair(node.left, node.right, scope)
        if not T.comparable(left, right):
            self.ctx.error("E204", f"cannot compare {left.describe()} with {right.describe()}", node.span,
                           _compare_hint(left, right))
        elif node.op not in ("==", "!=") and not _ordered(left, right):
            shown = right if isinstance(left, (T.Unknown, T.Null)) else left
            self.ctx.error("E204", f"'{node.op}' needs numbers, dates, durations, text or enum values, "
                           f"not {shown.describe()}", node.span)
        return T.BOOL

    def _pair(self, left_expr, right_expr, scope) -> tuple[T.Type, T.Type]:
        """Type two sides of a comparison; a bare enum word takes its type from the other side."""
        if self.is_free_word(left_expr, scope) and not self.is_free_word(right_expr, scope):
            right = self.check(right_expr, scope)
            left = self.check(left_expr, scope, right)
            return left, right
        left = self.check(left_expr, scope)
        right = self.check(right_expr, scope, left)
        if isinstance(left, T.Unknown) and isinstance(left_expr, ast.Name) and self.hints is not None:
            self.check(left_expr, scope, right)  # let a parameter learn its type from the other side
        return left, right

    def is_free_word(self, expr, scope: Scope) -> bool:
        """A bare name that needs context: no local, or the value of some enum."""
        if not isinstance(expr, ast.Name):
            return False
        name = expr.ident.text
        ctx = self.ctx
        if scope.lookup(name) is not None:
            return False
        if any(name in e.values for e in ctx.schema.enums.values()):
            return True
        profile = ctx.schema.profile
        return not (scope.lookup(name) is not None or name in ctx.lets or name in ctx.maps
                    or (profile is not None and profile.field(name) is not None)
                    or ctx.fact_type(name) is not None or name in VALUES)

    def _in(self, node: ast.In, scope, expected):
        if isinstance(node.target, ast.Range):
            item = self.check(node.item, scope)
            target = self.check(node.target, scope, T.RangeType(item))
        elif self.is_free_word(node.item, scope) and not isinstance(node.target, ast.SetLit):
            target = self.check(node.target, scope)
            elem = target.item if isinstance(target, (T.ListType, T.SetType)) else None
            item = self.check(node.item, scope, elem)
        else:
            item = self.check(node.item, scope)
            target = self.check(node.target, scope, T.SetType(item))
        if isinstance(target, T.Unknown):
            return T.BOOL
        if not isinstance(target, (T.SetType, T.ListType, T.RangeType)):
            self.ctx.error("E206", f"'in' needs a set, a list or a range on its right, not {target.describe()}",
                           node.target.span, "write x in {a, b}, x in some_list or x in 1..5")
            return T.BOOL
        elem = target.item
        if isinstance(item, T.RecordType) or is_list(item):
            self.ctx.error("E206", f"cannot look for {item.describe()} in {target.describe()}", node.item.span)
        elif not T.comparable(item, elem):
            self.ctx.error("E206", f"cannot look for {item.describe()} in {target.describe()}", node.span,
                           _compare_hint(item, elem))
        return T.BOOL

    def _ifexpr(self, node: ast.IfExpr, scope, expected):
        """Both branches are typed (a bare word in one takes the other's enum); the result
        is their common type: the same type, a number when one is int and the other float,
        or the other branch's type when one is ``null``."""
        self.condition(node.cond, scope, "the condition of 'if'")
        if self.is_free_word(node.then, scope) and not self.is_free_word(node.orelse, scope):
            orelse = self.check(node.orelse, scope, expected)
            then = self.check(node.then, scope, expected or orelse)
        else:
            then = self.check(node.then, scope, expected)
            orelse = self.check(node.orelse, scope, expected or then)
        unified = unify(then, orelse)
        if unified is None:
            self.ctx.error("E213", f"the branches of 'if' differ: {then.describe()} after 'then', "
                           f"{orelse.describe()} after 'else'", node.span,
                           "both branches must give the same type of value")
            return T.UNKNOWN
        return unified

    def _ismissing(self, node: ast.IsMissing, scope, expected):
        t = self.check(node.operand, scope)
        if not isinstance(t, T.Unknown) and not may_be_missing(self.ctx, node.operand):
            word = "present" if node.negated else "missing"
            self.ctx.warn("W502", f"{self.ctx.text_of(node.operand)} is never missing, so 'is {word}' is "
                          f"always {'true' if node.negated else 'false'}", node.span,
                          "mark the field optional (T?) if profiles may leave it out")
        return T.BOOL

    # ------------------------------------------------------------ collections
    def element_scope(self, node, source_type: T.Type, scope: Scope) -> tuple[Scope, T.Type]:
        """The scope inside a filter/aggregate: the element's fields, then its variable."""
        key = node_key(node)
        if isinstance(source_type, T.Unknown):
            elem: T.Type = T.UNKNOWN
        elif is_list(source_type) or isinstance(source_type, T.SetType):
            elem = source_type.item
        else:
            self.ctx.error("E207", f"{self.ctx.text_of(node.source)} is {source_type.describe()}, "
                           "not a list to go through", node.source.span)
            elem = T.UNKNOWN
        if isinstance(elem, T.RecordType):
            scope = scope.push(Frame("fields", key, record=elem))
        if node.var is not None:
            scope = scope.push(Frame("var", key, node.var.text, elem))
        return scope, elem

    def _filter(self, node: ast.Filter, scope, expected):
        source = self.check(node.source, scope)
        inner, elem = self.element_scope(node, source, scope)
        if node.predicate is not None:
            self.condition(node.predicate, inner, "a 'where' condition")
        return T.ListType(elem)

    def _aggregate(self, node: ast.Aggregate, scope, expected):
        source = self.check(node.source, scope)
        inner, elem = self.element_scope(node, source, scope)
        if node.predicate is not None:
            self.condition(node.predicate, inner, f"the condition of {node.func}(...)")
        value = self.check(node.value, inner) if node.value is not None else elem
        func = node.func
        if func in ("union_months", "longest_gap_months"):
            return self._span_fold(node, scope, value)
        if func == "count":
            return T.INT
        if func == "exists":
            return T.BOOL
        if func == "all":
            if node.predicate is None and not isinstance(value, T.Unknown) and value != T.BOOL:
                self.ctx.error("E207", f"all(...) needs a condition: all({self.ctx.text_of(node.source)} where ...)",
                               node.span)
            return T.BOOL
        if isinstance(value, T.Unknown):
            return T.UNKNOWN
        allowed_types = (T.INT, T.FLOAT, T.DURATION) if func == "sum" else (T.INT, T.FLOAT, T.DATE, T.DURATION)
        if value not in allowed_types:
            what = "numbers" if func == "sum" else "numbers or dates"
            self.ctx.error("E207", f"{func}(...) needs {what}, but the values are {value.describe()}",
                           (node.value or node.source).span,
                           f"write {func}(x.field for x in {self.ctx.text_of(node.source)})")
            return T.UNKNOWN
        return value

    def _span_fold(self, node: ast.Aggregate, scope, value) -> T.Type:
        """``union_months`` / ``longest_gap_months``: spans in, a whole number of months out;
        the window (``within:``) is a span, needed by a gap (a gap is measured inside it)."""
        func = node.func
        if not isinstance(value, (T.Unknown, T.Null)) and value != T.SPAN:
            self.ctx.error("E207", f"{func}(...) needs spans of days, but the values are {value.describe()}",
                           (node.value or node.source).span,
                           f"write {func}(span(x.start, x.end) for x in {self.ctx.text_of(node.source)}, "
                           "within: span(FROM, TO))")
        if node.within is not None:
            window = self.check(node.within, scope)
            if not isinstance(window, (T.Unknown, T.Null)) and window != T.SPAN:
                self.ctx.error("E207", f"within: needs a span of days, but this is {window.describe()}",
                               node.within.span, "write within: span(FROM, TO)")
        elif func == "longest_gap_months":
            self.ctx.error("E207", "longest_gap_months(...) needs the stretch to look in", node.span,
                           "add within: span(FROM, TO) after the spans")
        return T.INT


def arith_type(ctx: Context, node: ast.Arith, left: T.Type, right: T.Type) -> T.Type:
    """The result of ``left op right``, or UNKNOWN with an error naming both sides."""
    op = node.op
    if isinstance(left, T.Unknown) or isinstance(right, T.Unknown):
        return T.UNKNOWN
    if T.is_numeric(left) and T.is_numeric(right):
        if op == "/":
            return T.FLOAT
        return T.INT if left == right == T.INT else T.FLOAT
    if op in "+-" and left == T.DATE and right == T.DURATION:
        return T.DATE
    if op == "+" and left == T.DURATION and right == T.DATE:
        return T.DATE
    if op in "+-" and left == right == T.DURATION:
        return T.DURATION
    if op == "*" and {left, right} == {T.DURATION, T.INT}:
        return T.DURATION
    if op == "/" and left == T.DURATION and right == T.INT:
        return T.DURATION
    if op == "-" and left == right == T.DATE:
        ctx.error("E205", "cannot subtract a date from a date", node.span,
                  "use days_between(a, b) or months_between(a, b) for the time between two dates")
        return T.UNKNOWN
    if T.DATE in (left, right) and T.is_numeric(right if left == T.DATE else left):
        ctx.error("E205", f"cannot apply '{op}' to {left.describe()} and {right.describe()}", node.span,
                  "add a duration to a date: as_of + 3 months, T-5 - 2 weeks")
        return T.UNKNOWN
    ctx.error("E205", f"cannot apply '{op}' to {left.describe()} and {right.describe()}", node.span)
    return T.UNKNOWN


def unify(a: T.Type, b: T.Type) -> T.Type | None:
    """The type of a value that is either an ``a`` or a ``b``; None when there is none."""
    if isinstance(a, (T.Unknown, T.Null)):
        return b
    if isinstance(b, (T.Unknown, T.Null)) or a == b:
        return a
    if T.is_numeric(a) and T.is_numeric(b):
        return T.FLOAT
    if isinstance(a, (T.ListType, T.SetType)) and type(a) is type(b):
        item = unify(a.item, b.item)
        return None if item is None else type(a)(item)
    return None


def _ordered(a: T.Type, b: T.Type) -> bool:
    for t in (a, b):
        if not (isinstance(t, (T.Unknown, T.Null, T.EnumType)) or t in ORDERED):
            return False
    return True


def _compare_hint(a: T.Type, b: T.Type) -> str:
    if T.DATE in (a, b) and (T.is_numeric(a) or T.is_numeric(b)):
        return "compare a date with a date (T-5, as_of + 3 months) or use year(d), months_between(a, b)"
    if T.DURATION in (a, b) and (T.is_numeric(a) or T.is_numeric(b)):
        return "write the unit: 3 months, 14 days"
    if isinstance(a, T.ListType) or isinstance(b, T.ListType):
        return "compare count(...) of a list, or one of its items"
    return ""


def _bool_hint(t: T.Type) -> str:
    if isinstance(t, T.ListType):
        return "use exists(...) to ask whether any item matches, or count(...) >= n"
    if T.is_numeric(t):
        return "compare it: x > 0"
    return ""


def may_be_missing(ctx: Context, expr) -> bool:
    """Whether ``expr`` can be missing: False only for paths of non-optional fields."""
    if isinstance(expr, (ast.Literal, ast.Duration, ast.TMonth)):
        return False
    if isinstance(expr, ast.Name):
        ref = ctx.refs.get(node_key(expr))
        if ref is None:
            return True
        if ref.kind == "profile" and ctx.schema.profile is not None:
            field = ctx.schema.profile.field(ref.name)
            return field is None or field.optional
        return ref.kind not in ("var", "facts", "enum_value", "builtin")
    if isinstance(expr, ast.Member):
        owner = ctx.types.get(node_key(expr.obj))
        if not isinstance(owner, T.RecordType):
            return True
        field = owner.field(expr.field.text)
        return field is None or field.optional or may_be_missing(ctx, expr.obj)
    return True
