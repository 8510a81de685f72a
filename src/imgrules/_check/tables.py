"""Pass ``tables``: decision tables, cell by cell and as a whole.

Each row must have one cell per input and one output per field the ``derive`` template
leaves out; cells and outputs must fit their types. Then the rows are reasoned about
over *witness values*: for each input, a finite set of values that hits every region the
cells' boundaries cut its domain into (each boundary, its neighbours for ints and dates,
midpoints between boundaries for floats, every value of an enum). ``unique`` tables
must not overlap (an error, with a witness); ``first`` tables should have no row that
earlier rows hide (a warning); gaps (inputs no row matches) are warnings for every hit
policy. Every report names a concrete value: "score 239.5 matches no row". An input some
row tests with ``missing`` or ``present`` also has the witness "missing": ``missing`` and
``any`` cells match it, every other cell does not (a missing input leaves them unknown).
"""

from __future__ import annotations

import datetime as dt
import operator

from .. import ast
from .. import _types as T
from .._diagnostics import did_you_mean
from .consts import check_const
from .context import Context

HIT_POLICIES = ("unique", "first", "collect")
MAX_SEARCH = 50_000  # nodes of the witness search per table before giving up quietly
MAX_OVERLAPS = 10
_OTHER = "\x00other"
_MISSING = "\x00missing"  # the witness of an absent input
_CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq,
        "!=": operator.ne}
ORDERED = (T.INT, T.FLOAT, T.DATE, T.DURATION)


def run(ctx: Context) -> None:
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.Table) and ctx.rule_decls.get(decl.name.text, (None,))[0] is decl:
            check_table(ctx, decl)


def check_table(ctx: Context, table: ast.Table) -> None:
    if table.hit.text not in HIT_POLICIES:
        ctx.error("E402", f"unknown hit policy '{table.hit.text}'", table.hit.span,
                  did_you_mean(table.hit.text, HIT_POLICIES), "hit policies: unique, first, collect")
    inputs = [ctx.type_of(expr) for expr in table.inputs]
    for expr, t in zip(table.inputs, inputs):
        if isinstance(t, (T.ListType, T.SetType, T.RecordType)):
            ctx.error("E210", f"a table input must be one value, but {ctx.text_of(expr)} is {t.describe()}",
                      expr.span, "use count(...), exists(...) or a field")
    remaining = _remaining_fields(ctx, table)
    ok_rows = []
    for number, row in enumerate(table.rows, 1):
        good = True
        if len(row.cells) != len(table.inputs):
            ctx.error("E404", f"row {number} has {len(row.cells)} cells, but the table has "
                      f"{len(table.inputs)} inputs", row.span)
            good = False
        for cell, t in zip(row.cells, inputs):
            good = _check_cell(ctx, cell, t) and good
        if remaining is not None:
            if len(row.outputs) != len(remaining):
                names = ", ".join(f.name for f in remaining) or "nothing"
                ctx.error("E403", f"row {number} gives {len(row.outputs)} outputs, but the derive leaves "
                          f"{len(remaining)} field{'s' if len(remaining) != 1 else ''} to fill ({names})",
                          row.span)
            for const, field in zip(row.outputs, remaining):
                check_const(ctx, const, field.type, f"{field.name} (row {number})", field.optional)
        if good:
            ok_rows.append((number, row))
    if len(ok_rows) != len(table.rows) or not table.rows:
        return
    domains = [T.domain(t) for t in inputs]
    if any(d is None for d in domains):
        return
    _Analysis(ctx, table, domains, ok_rows).run()


def _remaining_fields(ctx: Context, table: ast.Table) -> list[T.Field] | None:
    if table.output is None:
        return None
    record = ctx.fact_type(table.output.fact.text)
    if record is None:
        return None
    given: set[str] = set()
    position = 0
    for arg in table.output.args:
        if arg.name is not None:
            given.add(arg.name.text)
        elif position < len(record.fields):
            given.add(record.fields[position].name)
            position += 1
    return [f for f in record.fields if f.name not in given]


def _check_cell(ctx: Context, cell, t: T.Type) -> bool:
    """Type-check one cell against its input's type; False when it cannot be reasoned about."""
    before = len(ctx.diagnostics)
    what = "a cell"
    if isinstance(cell, (ast.AnyCell, ast.PresenceCell)):
        return True
    if isinstance(cell, ast.EqCell):
        check_const(ctx, cell.value, t, what)
    elif isinstance(cell, ast.RangeCell):
        if not isinstance(t, T.Unknown) and t not in ORDERED:
            ctx.error("E210", f"a range needs a number or date input, but this one is {t.describe()}", cell.span)
            return False
        for bound in (cell.low, cell.high):
            if bound is not None:
                check_const(ctx, bound, t, "a range bound", optional=False)
        low, high = _value(cell.low), _value(cell.high)
        if low is not None and high is not None and _safe_gt(low, high):
            ctx.error("E210", f"the range {ctx.text_of(cell)} is empty: it starts after it ends", cell.span)
    elif isinstance(cell, ast.CmpCell):
        if cell.op not in ("==", "!=") and not isinstance(t, T.Unknown) and t not in ORDERED:
            ctx.error("E210", f"'{cell.op}' needs a number or date input, but this one is {t.describe()}",
                      cell.span)
            return False
        check_const(ctx, cell.value, t, what, optional=False)
    elif isinstance(cell, ast.SetCell):
        for value in cell.values:
            check_const(ctx, value, t, "a set member", optional=False)
    return len(ctx.diagnostics) == before


def _safe_gt(a, b) -> bool:
    try:
        return a > b
    except TypeError:
        return False


def _value(const):
    """A constant as a plain value (dates as day numbers); None when not a plain value."""
    if isinstance(const, ast.Literal):
        if isinstance(const.value, dt.date):
            return const.value.toordinal()
        return const.value
    if isinstance(const, ast.NegLit):
        return const.value
    if isinstance(const, ast.Word):
        return const.text
    return None


def matches(cell, value) -> bool:
    if isinstance(cell, ast.AnyCell):
        return True
    if isinstance(cell, ast.PresenceCell):
        return cell.present != (value == _MISSING)
    if value == _MISSING:
        return False
    try:
        if isinstance(cell, ast.EqCell):
            return value == _value(cell.value)
        if isinstance(cell, ast.RangeCell):
            low, high = _value(cell.low), _value(cell.high)
            return (low is None or low <= value) and (high is None or value <= high)
        if isinstance(cell, ast.CmpCell):
            return _CMP[cell.op](value, _value(cell.value))
        if isinstance(cell, ast.SetCell):
            inside = value in {_value(v) for v in cell.values}
            return inside != cell.negated
    except TypeError:
        return False
    return False


def _bounds(cell) -> list:
    if isinstance(cell, ast.EqCell):
        return [_value(cell.value)]
    if isinstance(cell, ast.RangeCell):
        return [_value(b) for b in (cell.low, cell.high) if b is not None]
    if isinstance(cell, ast.CmpCell):
        return [_value(cell.value)]
    if isinstance(cell, ast.SetCell):
        return [_value(v) for v in cell.values]
    return []


def witnesses(domain: str, t: T.Type, cells: list) -> list:
    """Values of one input that together hit every region its cells cut the domain into."""
    points = [p for c in cells for p in _bounds(c) if p is not None and not isinstance(p, bool)]
    if domain == "enum":
        return list(t.values)
    if domain == "bool":
        return [True, False]
    if domain == "str":
        return sorted({p for p in points if isinstance(p, str)}) + [_OTHER]
    nums = sorted({p for p in points if isinstance(p, (int, float))})
    if not nums:
        return [0]
    out = set()
    if domain == "int":
        for p in nums:
            if isinstance(p, float):
                out.update({int(p // 1), int(p // 1) + 1})
            else:
                out.update({p - 1, p, p + 1})
        for a, b in zip(nums, nums[1:]):
            out.add(int((a + b) // 2))
    else:
        out.update(nums)
        out.update({nums[0] - 1, nums[-1] + 1})
        out.update((a + b) / 2 for a, b in zip(nums, nums[1:]))
    return sorted(out)


class _Analysis:
    """Overlaps, hidden rows and gaps of one well-typed table."""

    def __init__(self, ctx: Context, table: ast.Table, domains: list[str], rows):
        self.ctx = ctx
        self.table = table
        self.rows = rows  # [(number, row)]
        self.types = [ctx.type_of(e) for e in table.inputs]
        self.values = [witnesses(d, t, [row.cells[i] for _, row in rows])
                       for i, (d, t) in enumerate(zip(domains, self.types))]
        for i, values in enumerate(self.values):
            if any(isinstance(row.cells[i], ast.PresenceCell) for _, row in rows):
                values.append(_MISSING)
        self.labels = _labels(ctx, table.inputs)
        self.budget = MAX_SEARCH

    def run(self) -> None:
        policy = self.table.hit.text
        if policy == "unique":
            self.overlaps()
        if policy == "first":
            self.hidden_rows()
        self.gap()

    def show(self, column: int, value) -> str:
        t = self.types[column]
        if value == _MISSING:
            return f"{self.labels[column]} missing"
        if t == T.DATE and isinstance(value, int):
            text = dt.date.fromordinal(max(1, value)).isoformat()
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif value == _OTHER:
            text = "any other text"
        elif isinstance(value, str) and t == T.STR:
            text = f'"{value}"'
        else:
            text = str(value)
        return f"{self.labels[column]} {text}"

    def overlaps(self) -> None:
        found = 0
        for a in range(len(self.rows)):
            for b in range(a + 1, len(self.rows)):
                (na, ra), (nb, rb) = self.rows[a], self.rows[b]
                witness = []
                for i in range(len(self.table.inputs)):
                    both = next((v for v in self.values[i] if matches(ra.cells[i], v) and matches(rb.cells[i], v)),
                                None)
                    if both is None:
                        break
                    witness.append((i, both))
                else:
                    shown = [self.show(i, v) for i, v in witness
                             if not (isinstance(ra.cells[i], ast.AnyCell) and isinstance(rb.cells[i], ast.AnyCell))]
                    what = ", ".join(shown) or "every input"
                    self.ctx.error("E401", f"{what} matches rows {na} and {nb}", rb.span,
                                   "a 'unique' table allows one matching row; narrow a row or use 'hit first'")
                    found += 1
                    if found >= MAX_OVERLAPS:
                        return

    def search(self, column: int, alive: list, must, chosen: list):
        """A choice of witness values (from ``column`` on) that no ``alive`` row matches.

        ``must`` is a row every choice must match (for hidden rows) or None.
        """
        if not alive:
            rest = [(i, next((v for v in self.values[i] if must is None or matches(must.cells[i], v)),
                             self.values[i][0])) for i in range(column, len(self.values))]
            return chosen + rest
        if column == len(self.values) or self.budget <= 0:
            return None
        for value in self.values[column]:
            self.budget -= 1
            if must is not None and not matches(must.cells[column], value):
                continue
            still = [r for r in alive if matches(r.cells[column], value)]
            found = self.search(column + 1, still, must, chosen + [(column, value)])
            if found is not None:
                return found
        return None

    def gap(self) -> None:
        self.budget = MAX_SEARCH
        found = self.search(0, [row for _, row in self.rows], None, [])
        if found is None:
            return
        shown = ", ".join(self.show(i, v) for i, v in found)
        self.ctx.warn("W510", f"{shown} matches no row of table {self.table.name.text}", self.table.name.span,
                      "add a row (or an 'any' row last) to cover it, if the table should always derive")

    def hidden_rows(self) -> None:
        for index, (number, row) in enumerate(self.rows):
            if index == 0:
                continue
            self.budget = MAX_SEARCH
            earlier = [r for _, r in self.rows[:index]]
            if self.search(0, earlier, row, []) is not None or self.budget <= 0:
                continue
            blockers = [str(n) for n, r in self.rows[:index] if _could_meet(self, r, row)]
            self.ctx.warn("W511", f"row {number} can never fire: row{'s' if len(blockers) > 1 else ''} "
                          f"{' and '.join(blockers)} always match{'es' if len(blockers) == 1 else ''} first",
                          row.span, "with 'hit first' the first matching row wins; reorder or remove it")


def _could_meet(analysis: _Analysis, a, b) -> bool:
    return all(any(matches(a.cells[i], v) and matches(b.cells[i], v) for v in analysis.values[i])
               for i in range(len(analysis.values)))


def _labels(ctx: Context, inputs) -> list[str]:
    full = [ctx.text_of(e) for e in inputs]
    short = [f.split(".")[-1] if isinstance(e, (ast.Member, ast.Name)) else f for f, e in zip(full, inputs)]
    return short if len(set(short)) == len(short) else full
