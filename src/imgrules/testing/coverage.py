"""Pack test coverage: what the tests of a pack exercised, from the replay's trace events.

The items of a pack file are:

- ``rule``: each rule and table fired at least once;
- ``row``: each table row fired (matched and won under the hit policy);
- ``deadline`` / ``window``: each status reached (done, upcoming, due, overdue;
  upcoming, active, past);
- ``condition``: both outcomes (true and false) of each comparison, membership,
  ``is missing``/``is present`` test and rule timing, and each operand of an ``or`` being
  the one that is true, in rules, deadlines, windows, tables and the file's ``let``\\ s.

:class:`Collector` is a tracer for :func:`imgrules._trace.replay`: it keeps only the keys
of what was exercised, so a whole suite's events are never held in memory. Items are
counted for the pack files whose tests ran; events from any run count (a test in a pack
that imports ``img.core`` exercises ``img.core``'s rules too).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from .. import ast
from .._semantics import DEADLINE_STATUSES as _ALL_DEADLINE_STATUSES
from .._semantics import NEEDS_INFO
from .._semantics import WINDOW_STATUSES as _ALL_WINDOW_STATUSES
from .._trace.conditions import evaluated_parts, walk
from .._trace.events import BranchEvent, ConditionEvent, RowEvent, TimingEvent, VerdictEvent
from .._trace.interp import node_text
from .._trace.replay import timing_text

KINDS = ("rule", "row", "deadline", "window", "condition")
# needs_info is not a coverage target: a requirement over facts every profile gives cannot
# reach it (an unknown requirement is covered as the condition's outcome where it can be),
# nor can a date-anchored deadline or window whose dates every profile gives
DEADLINE_STATUSES = tuple(s for s in _ALL_DEADLINE_STATUSES if s != NEEDS_INFO)
WINDOW_STATUSES = tuple(s for s in _ALL_WINDOW_STATUSES if s != NEEDS_INFO)


class Collector:
    """A tracer that records the coverage keys of the events it receives."""

    def __init__(self):
        self.seen: set = set()

    def __call__(self, event) -> None:
        seen = self.seen
        if isinstance(event, ConditionEvent):
            if event.kind != "not" and event.outcome != "unknown":
                seen.add(("cond", event.cond, event.outcome))
        elif isinstance(event, BranchEvent):
            if event.op == "or":
                for i, _, result in event.evaluated:
                    if result == "true":
                        seen.add(("branch", event.cond, i))
        elif isinstance(event, RowEvent):
            if event.fired:
                seen.add(("row", event.cond))
        elif isinstance(event, TimingEvent):
            if event.kind in ("deadline", "window"):
                seen.add(("status", event.rule, event.outcome))
            elif event.outcome != "unknown":
                seen.add(("cond", event.cond, event.outcome))
        elif isinstance(event, VerdictEvent):
            if event.kind in ("rule", "table") and event.outcome == "true":
                seen.add(("fired", event.rule))


@attrs.frozen
class Item:
    """One thing a pack's tests should exercise."""

    kind: str  # rule | row | deadline | window | condition
    key: tuple
    owner: str
    what: str
    path: str
    line: int
    column: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def _condition_items(owner: str, path: str, part, index) -> list[Item]:
    out = []
    for node in walk(part):
        cid = index.id_of(node)
        span = node.span
        if isinstance(node, (ast.Compare, ast.In, ast.IsMissing)):
            text = _text(node)
            for result in ("true", "false"):
                out.append(Item("condition", ("cond", cid, result), owner, f"`{text}` {result}",
                                path, span.line, span.column))
        elif isinstance(node, ast.BoolOp) and node.op == "or":
            for i, operand in enumerate(node.operands):
                out.append(Item("condition", ("branch", cid, i), owner,
                                f"`or` branch {i + 1} `{_text(operand)}` true", path,
                                operand.span.line, operand.span.column))
    return out


def _text(node) -> str:
    return node_text(node)


def pack_items(checked, path: str, index) -> list[Item]:
    """The coverage items declared in one file of a checked pack, in source order."""
    items: list[Item] = []
    for entry in checked.rules:
        if entry.path != path:
            continue
        decl, rid = entry.decl, entry.id
        span = decl.span
        if isinstance(decl, ast.Invariant):
            continue
        if isinstance(decl, (ast.Rule, ast.Table)):
            items.append(Item("rule", ("fired", rid), rid, f"{rid} fired", path, span.line, span.column))
        if isinstance(decl, ast.Table):
            for r, row in enumerate(decl.rows):
                items.append(Item("row", ("row", f"{rid}.row{r + 1}"), rid, f"{rid} row {r + 1}", path,
                                  row.span.line, row.span.column))
        elif isinstance(decl, ast.Deadline):
            items += [Item("deadline", ("status", rid, s), rid, f"{rid} {s}", path, span.line, span.column)
                      for s in DEADLINE_STATUSES]
        elif isinstance(decl, ast.Window):
            items += [Item("window", ("status", rid, s), rid, f"{rid} {s}", path, span.line, span.column)
                      for s in WINDOW_STATUSES]
        elif isinstance(decl, ast.Rule) and decl.timing is not None:
            t = decl.timing
            items += [Item("condition", ("cond", f"{rid}.timing", result), rid,
                           f"timing `{timing_text(t)}` {result}", path, t.span.line, t.span.column)
                      for result in ("true", "false")]
        for part in evaluated_parts(decl):
            items += _condition_items(rid, path, part, index)
    for name, decl in sorted(checked.lets.items()):
        if decl.span.path == path:
            items += _condition_items(f"let:{name}", path, decl.body, index)
    items.sort(key=lambda i: (i.line, i.column, KINDS.index(i.kind), i.what))
    return items


@attrs.frozen
class PackCoverage:
    path: str
    items: tuple[Item, ...]
    covered: frozenset  # keys of the covered items

    def count(self, kind: str | None = None) -> tuple[int, int]:
        mine = [i for i in self.items if kind is None or i.kind == kind]
        return sum(i.key in self.covered for i in mine), len(mine)

    @property
    def uncovered(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.key not in self.covered)


@attrs.frozen
class CoverageReport:
    packs: tuple[PackCoverage, ...]

    def count(self, kind: str | None = None) -> tuple[int, int]:
        done = total = 0
        for p in self.packs:
            d, t = p.count(kind)
            done, total = done + d, total + t
        return done, total

    @property
    def percent(self) -> float:
        done, total = self.count()
        return 100.0 if total == 0 else 100.0 * done / total

    def text(self, show_uncovered: bool = True) -> str:
        return render_report(self, show_uncovered)

    def to_json(self) -> dict:
        return {
            "percent": round(self.percent, 2),
            "packs": [{"path": p.path, **{k: list(p.count(k)) for k in KINDS}, "total": list(p.count()),
                       "uncovered": [{"kind": i.kind, "what": i.what, "at": i.where} for i in p.uncovered]}
                      for p in self.packs],
        }


def _pct(done: int, total: int) -> str:
    return f"{100.0 * done / total:.1f}%" if total else "100.0%"


def render_report(report: CoverageReport, show_uncovered: bool = True) -> str:
    heads = ("rules", "rows", "deadlines", "windows", "conditions", "total", "cover")
    rows = []
    for p in report.packs:
        cells = [f"{d}/{t}" for d, t in (p.count(k) for k in KINDS)]
        done, total = p.count()
        rows.append((p.path, *cells, f"{done}/{total}", _pct(done, total)))
    cells = [f"{d}/{t}" for d, t in (report.count(k) for k in KINDS)]
    done, total = report.count()
    rows.append(("TOTAL", *cells, f"{done}/{total}", _pct(done, total)))
    first = max(len("coverage"), *(len(r[0]) for r in rows))
    widths = [max(len(h), *(len(r[i + 1]) for r in rows)) for i, h in enumerate(heads)]
    lines = ["coverage".ljust(first) + "".join("  " + h.rjust(w) for h, w in zip(heads, widths))]
    for r in rows:
        lines.append(r[0].ljust(first) + "".join("  " + c.rjust(w) for c, w in zip(r[1:], widths)))
    if show_uncovered:
        for p in report.packs:
            missing = p.uncovered
            if missing:
                lines.append(f"uncovered in {p.path} ({len(missing)}):")
                lines += [f"  {i.where}: {i.kind} {i.what}" for i in missing]
    return "\n".join(lines)


def coverage_report(measured: Iterable[tuple[str, object, object]], seen: set) -> CoverageReport:
    """``measured``: (file path, checked pack, condition index) of each pack file whose
    tests ran; ``seen``: the keys every run's :class:`Collector` recorded."""
    packs = []
    for path, checked, index in measured:
        items = tuple(pack_items(checked, path, index))
        packs.append(PackCoverage(path, items, frozenset(i.key for i in items if i.key in seen)))
    return CoverageReport(tuple(packs))
