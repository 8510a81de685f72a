"""AST -> text for expressions, constants and strings: the inline half of the formatter.

Everything here prints on one line. Parentheses go exactly where the grammar's
precedence needs them, so that parsing the printed text gives back an equal AST:

    filter (where/as), if < or < and < not < comparison (== in is) < + - < * / < unary - < postfix

Strings are re-escaped (``\\\\``, ``\\"``, ``\\n``, ``\\t``); in messages literal braces are
doubled and ``{expr}`` holes are printed back from their expressions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import ast

FILTER, OR, AND, NOT, CMP, SUM, PROD, UNARY, POSTFIX = range(1, 10)

_ARITH_PREC = {"+": SUM, "-": SUM, "*": PROD, "/": PROD}


def quote(text: str) -> str:
    """A plain string literal (titles, cites, string values): braces are not special."""
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{body}"'


def message(text: ast.Text) -> str:
    """A message string: literal braces doubled, holes printed as ``{expr}``."""
    out = []
    for part in text.parts:
        if isinstance(part, str):
            body = quote(part)[1:-1]
            out.append(body.replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{" + expr(part) + "}")
    return '"' + "".join(out) + '"'


def number(value: int | float, written: str | None = None) -> str:
    """Digits as the grammar writes them: ``12`` or ``0.5`` (never ``1e-05``).

    ``written`` (the digits in the source) wins for a float: the shortest text of the
    nearest float is a different number (``12345678901234567890.5`` would come back as
    ``12345678901234567000.0``). It is printed as the same decimal, zeros trimmed.
    """
    if isinstance(value, bool) or isinstance(value, int):
        return str(value)
    if written is not None and written.count(".") == 1:
        whole, fraction = written.split(".")
        return (whole.lstrip("0") or "0") + "." + (fraction.rstrip("0") or "0")
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def literal(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not a literal value: {value!r}")


def duration(node: ast.Duration) -> str:
    return f"{node.amount} {node.unit}{'' if node.amount == 1 else 's'}"


def tmonth(node: ast.TMonth) -> str:
    return f"T-{node.months}" if node.months >= 0 else f"T+{-node.months}"


def const(node: ast.Const) -> str:
    """A constant on one line (table cells, map entries, test data)."""
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, ast.NegLit):
        return "-" + number(abs(node.value), node.written)
    if isinstance(node, ast.Literal):
        return _literal(node)
    if isinstance(node, ast.Duration):
        return duration(node)
    if isinstance(node, ast.ObjectLit):
        if not node.entries:
            return "{}"
        return "{ " + ", ".join(f"{key.text}: {const(value)}" for key, value in node.entries) + " }"
    if isinstance(node, ast.ListLit):
        return "[" + ", ".join(const(item) for item in node.items) + "]"
    raise TypeError(f"not a constant: {type(node).__name__}")


def cell(node: ast.Cell) -> str:
    if isinstance(node, ast.AnyCell):
        return "any"
    if isinstance(node, ast.PresenceCell):
        return "present" if node.present else "missing"
    if isinstance(node, ast.EqCell):
        return const(node.value)
    if isinstance(node, ast.RangeCell):
        low = const(node.low) if node.low is not None else ""
        high = const(node.high) if node.high is not None else ""
        return f"{low}..{high}"
    if isinstance(node, ast.CmpCell):
        return f"{node.op} {const(node.value)}"
    if isinstance(node, ast.SetCell):
        inner = "{" + ", ".join(const(v) for v in node.values) + "}"
        return "not " + inner if node.negated else inner
    raise TypeError(f"not a cell: {type(node).__name__}")


def precedence(node: ast.Expr) -> int:
    """How tightly ``node`` binds when printed without parentheses."""
    if isinstance(node, (ast.Filter, ast.IfExpr)):
        return FILTER
    if isinstance(node, ast.BoolOp):
        return OR if node.op == "or" else AND
    if isinstance(node, ast.Not):
        return NOT
    if isinstance(node, (ast.Compare, ast.In, ast.IsMissing, ast.Range)):
        return CMP
    if isinstance(node, ast.Arith):
        return _ARITH_PREC[node.op]
    if isinstance(node, ast.Neg):
        return UNARY
    return POSTFIX


def expr(node: ast.Expr, needed: int = FILTER) -> str:
    """``node`` on one line, in parentheses when it binds looser than ``needed``."""
    text = _expr(node)
    return f"({text})" if precedence(node) < needed else text


def args(items) -> str:
    """``a: 1, 2``: the arguments of ``derive``, table outputs and ``expect``."""
    return ", ".join(f"{a.name.text}: {expr(a.value)}" if a.name is not None else expr(a.value)
                     for a in items)


def filter_tail(var: ast.Ident | None, predicate: ast.Expr | None) -> str:
    tail = f" as {var.text}" if var is not None else ""
    if predicate is not None:
        tail += " where " + expr(predicate, OR)
    return tail


def _range(node: ast.Range) -> str:
    low = expr(node.low, SUM) if node.low is not None else ""
    high = expr(node.high, SUM) if node.high is not None else ""
    compound = any(isinstance(end, ast.Arith) for end in (node.low, node.high))
    return f"{low} .. {high}".strip() if compound else f"{low}..{high}"


def _literal(node: ast.Literal) -> str:
    if isinstance(node.value, float):
        return number(node.value, node.written)
    return literal(node.value)


def _expr(node: ast.Expr) -> str:  # noqa: C901 - one branch per node kind, flat
    if isinstance(node, ast.Literal):
        return _literal(node)
    if isinstance(node, ast.Duration):
        return duration(node)
    if isinstance(node, ast.TMonth):
        return tmonth(node)
    if isinstance(node, ast.Name):
        return node.ident.text
    if isinstance(node, ast.Member):
        return f"{expr(node.obj, POSTFIX)}.{node.field.text}"
    if isinstance(node, ast.Index):
        return f"{expr(node.obj, POSTFIX)}[{expr(node.index)}]"
    if isinstance(node, ast.Call):
        return f"{node.func.text}({', '.join(expr(a) for a in node.args)})"
    if isinstance(node, ast.SetLit):
        return "{" + ", ".join(expr(i) for i in node.items) + "}"
    if isinstance(node, ast.Neg):
        # `-(-a)` rather than `--a`: the same tree, easier to read
        return "-" + expr(node.operand, UNARY if not isinstance(node.operand, ast.Neg) else POSTFIX)
    if isinstance(node, ast.Not):
        return "not " + expr(node.operand, NOT)
    if isinstance(node, ast.Arith):
        prec = _ARITH_PREC[node.op]
        return f"{expr(node.left, prec)} {node.op} {expr(node.right, prec + 1)}"
    if isinstance(node, ast.Compare):
        return f"{expr(node.left, SUM)} {node.op} {expr(node.right, SUM)}"
    if isinstance(node, ast.BoolOp):
        prec = precedence(node)
        return f" {node.op} ".join(expr(o, prec + 1) for o in node.operands)
    if isinstance(node, ast.In):
        target = _range(node.target) if isinstance(node.target, ast.Range) else expr(node.target, SUM)
        return f"{expr(node.item, SUM)} {'not in' if node.negated else 'in'} {target}"
    if isinstance(node, ast.IsMissing):
        return f"{expr(node.operand, SUM)} is {'present' if node.negated else 'missing'}"
    if isinstance(node, ast.Range):
        return _range(node)
    if isinstance(node, ast.Filter):
        return expr(node.source, OR) + filter_tail(node.var, node.predicate)
    if isinstance(node, ast.IfExpr):
        return f"if {expr(node.cond)} then {expr(node.then)} else {expr(node.orelse)}"
    if isinstance(node, ast.Aggregate):
        if node.value is not None:
            var = node.var.text if node.var is not None else "_"
            inner = f"{expr(node.value)} for {var} in {expr(node.source, OR)}"
            if node.predicate is not None:
                inner += " where " + expr(node.predicate, OR)
        elif node.var is not None or node.predicate is not None:
            inner = expr(node.source, OR) + filter_tail(node.var, node.predicate)
        else:
            inner = expr(node.source)
        if node.within is not None:
            inner += f", within: {expr(node.within)}"
        return f"{node.func}({inner})"
    raise TypeError(f"not an expression: {type(node).__name__}")


def type_ref(node: ast.TypeRef) -> str:
    text = f"list[{type_ref(node.item)}]" if node.item is not None else node.name
    return text + ("?" if node.optional else "")


def field_bound(node: ast.FieldBound) -> str:
    """``in 0..``, ``size 1..2``, ``matches "[A-Z]{2}"``: a bound after a field's type."""
    if node.text is not None:
        return f"{node.word.text} {quote(node.text)}"
    if node.key is not None:
        return f"{node.word.text} {node.key.text}"
    low = "" if node.low is None else node.low.ident.text if isinstance(node.low, ast.Name) else const(node.low)
    high = "" if node.high is None else const(node.high)
    return f"{node.word.text} {low}..{high}"
