"""Why a rule did not fire, from the replay's events: the closest partial match.

For a rule, the candidate binding that came closest (undecided bindings first, then the
one with the most leading ``and`` operands true) is explained by following its
condition down: the failing operand of an ``and``, every operand of a failing ``or``,
the operand of a ``not``, the body of a ``let``, to the leaf tests that failed, each
with the values it saw. A table names its closest row and the cell that failed; a
deadline or window says its status, the timing and, when not done, the requirement.
"""

from __future__ import annotations

import attrs

from .. import ast
from .._semantics import month_text
from .._check.model import node_key
from .._syntax.printexpr import cell, const
from .conditions import index_conditions
from .events import BranchEvent, ConditionEvent, EventLog, RowEvent, TimingEvent, VerdictEvent, call_place
from .interp import node_text
from .paths import json_data, lookup
from .replay import Replay, timing_bounds


@attrs.frozen
class Failure:
    """One condition that did not hold: its text, outcome, the values it saw (``detail``),
    where it is written and its condition id."""

    condition: str
    outcome: str  # false | unknown | true (for the operand of a failing `not`)
    detail: str = ""
    at: str = ""
    id: str = ""
    missing: tuple[str, ...] = ()
    values: tuple[tuple[str, object], ...] = ()  # (profile $.path, its value as JSON data) it read

    def text(self) -> str:
        line = f"{self.condition} was {self.outcome}"
        return line + (f": {self.detail}" if self.detail else "")

    def to_json(self) -> dict:
        return {"condition": self.condition, "outcome": self.outcome, "detail": self.detail,
                "at": self.at, "id": self.id, "missing": list(self.missing),
                "values": {path: value for path, value in self.values}}


def months_words(low: int | None, high: int | None) -> str:
    """A months_to_go range as the T-months it allows."""
    if low is not None and low == high:
        return month_text(low)
    if low is None:
        return f"{month_text(high)} or later"
    if high is None:
        return f"{month_text(low)} or earlier"
    return f"{month_text(high)}..{month_text(low)}"


def _plain(checked, node) -> bool:
    """Whether an operand is a constant whose value its text already shows."""
    if isinstance(node, (ast.Literal, ast.Duration, ast.SetLit)):
        return not isinstance(node, ast.SetLit) or all(_plain(checked, i) for i in node.items)
    if isinstance(node, ast.Name):
        ref = checked.refs.get(node_key(node))
        return ref is not None and ref.kind == "enum_value"
    return False


def _operands(node) -> list:
    if isinstance(node, ast.Compare):
        return [node.left, node.right]
    if isinstance(node, ast.In):
        if isinstance(node.target, ast.Range):
            return [node.item] + [x for x in (node.target.low, node.target.high) if x is not None]
        return [node.item, node.target]
    return [node.operand]


def path_of(checked, node, binding: dict) -> str | None:
    """The profile ``$.path`` an operand reads (``exams.step2_ck.score``, ``l.writer`` with
    ``l`` bound to a profile record), or None for anything computed or derived."""
    if isinstance(node, ast.Name):
        ref = checked.refs.get(node_key(node))
        if ref is None:
            return None
        if ref.kind == "profile":
            return f"$.{ref.name}"
        if ref.kind == "var":
            bound = binding.get(ref.name)
            return bound if isinstance(bound, str) and bound.startswith("$.") else None
        return None
    if isinstance(node, ast.Member):
        base = path_of(checked, node.obj, binding)
        return f"{base}.{node.field.text}" if base else None
    return None


def _seen(path: str | None, text: str, value: str) -> str:
    """An operand's value: by its ``$.path`` when it reads the profile."""
    if path is None:
        return f"{text} is {value}"
    return f"{path} is missing" if value == "missing" else f"{path} = {value}"


class _Segment:
    """The events of one binding of one rule, by the let calls they were reached through
    and their condition id (the last one wins)."""

    def __init__(self, checked, index, events, binding=()):
        self.checked = checked
        self.index = index
        self.binding = dict(binding)
        self.by_id: dict = {}
        for e in events:
            if isinstance(e, (ConditionEvent, BranchEvent)):
                self.by_id[(e.via, e.cond)] = e

    def explain(self, node, result: str, depth: int = 0, via: tuple = ()) -> list[Failure]:
        cid = self.index.id_of(node)
        event = self.by_id.get((via, cid))
        text = node_text(node)
        at = str(node.span)
        if depth > 20:
            return [Failure(text, result, "", at, cid)]
        if isinstance(node, (ast.Compare, ast.In, ast.IsMissing)) and isinstance(event, ConditionEvent):
            seen = [(n, path_of(self.checked, n, self.binding), t, v)
                    for n, (t, v) in zip(_operands(node), event.operands) if not _plain(self.checked, n)]
            shown = ", ".join(_seen(path, t, v) for _, path, t, v in seen)
            values = tuple((path, v) for _, path, _, v in seen if path is not None)
            return [Failure(text, event.outcome, shown, at, cid, event.missing, values)]
        if isinstance(node, ast.Not):
            flipped = {"false": "true", "true": "false"}.get(result, result)
            inner = self.explain(node.operand, flipped, depth + 1, via)
            return inner or [Failure(text, result, "", at, cid)]
        if isinstance(node, ast.BoolOp) and isinstance(event, BranchEvent):
            out: list[Failure] = []
            for i, _, oc in event.evaluated:
                if oc == result or (result == "false" and oc == "unknown" and node.op == "or"):
                    out += self.explain(node.operands[i], oc, depth + 1, via)
            return out or [Failure(text, result, "", at, cid)]
        ref = self.checked.refs.get(node_key(node)) if isinstance(node, (ast.Name, ast.Call)) else None
        if ref is not None and ref.kind == "let":
            return self.explain(self.checked.lets[ref.name].body, result, depth + 1, (*via, call_place(node)))
        return [Failure(text, result, "", at, cid)]


def _leading_true(checked, index, events, when) -> int:
    """How many leading operands of a top-level ``and`` held: the closeness of a match."""
    if not isinstance(when, ast.BoolOp) or when.op != "and":
        return 0
    cid = index.id_of(when)
    for e in events:
        if isinstance(e, BranchEvent) and e.cond == cid:
            return sum(1 for _, _, oc in e.evaluated if oc == "true")
    return 0


def why_not(checked, entry, data: dict, results) -> dict:
    """Fields of an :class:`~imgrules.explain.Explanation` for a declaration that did not
    fire (or a deadline/window: its status and why). Each failure's ``values`` are the
    profile values of the paths it read, as JSON data (``None`` for a missing one)."""
    out = _why_not(checked, entry, data, results)
    if out.get("failed"):
        out["failed"] = tuple(attrs.evolve(f, values=tuple((path, json_data(lookup(data, path)))
                                                           for path, _ in f.values))
                              for f in out["failed"])
    return out


def _why_not(checked, entry, data: dict, results) -> dict:
    index = index_conditions(checked)
    log = EventLog()
    Replay(checked, data, results, tracer=log, index=index).entry(entry)
    decl = entry.decl
    events = log.events
    if isinstance(decl, ast.Table):
        return _table(checked, index, decl, events)
    if isinstance(decl, (ast.Deadline, ast.Window)):
        return _milestone(checked, index, decl, events)
    if isinstance(decl, ast.Invariant):
        seg = _Segment(checked, index, events)
        verdict = next(e for e in events if isinstance(e, VerdictEvent))
        if verdict.outcome == "true":
            return {"reason": "it holds"}
        # unknown is not a violation (Results.violations lists the false ones only)
        reason = "it does not hold" if verdict.outcome == "false" else \
            "it cannot be decided: the profile lacks facts it needs"
        return {"reason": reason, "missing": verdict.missing,
                "failed": tuple(seg.explain(decl.require, verdict.outcome))}
    return _rule(checked, index, decl, events)


def _rule(checked, index, decl: ast.Rule, events) -> dict:
    timing = next((e for e in events if isinstance(e, TimingEvent)), None)
    if timing is not None and timing.outcome != "true":
        low, high = timing_bounds(decl.timing)
        if timing.outcome == "unknown":
            return {"reason": "its timing is unknown: months_to_go needs as_of and application_date",
                    "missing": timing.missing}
        return {"reason": f"its timing does not hold: months_to_go is {timing.months_to_go}, "
                          f"the rule needs {months_words(low, high)} ({timing.text})"}
    verdicts = [e for e in events if isinstance(e, VerdictEvent)]
    if not verdicts:
        sources = ", ".join(f"{b.var.text} in {node_text(b.source)}" for b in decl.bindings)
        return {"reason": f"nothing to match: no candidates for {sources}"}
    unknown = [v for v in verdicts if v.outcome == "unknown"]
    missing = tuple(sorted({p for v in unknown for p in v.missing}))
    pool = unknown or verdicts
    by_binding: dict = {}
    for e in events:
        by_binding.setdefault(e.binding, []).append(e)
    best = max(pool, key=lambda v: _leading_true(checked, index, by_binding.get(v.binding, []), decl.when))
    seg = _Segment(checked, index, by_binding.get(best.binding, []), best.binding)
    if decl.when is not None and len(best.binding) == len(decl.bindings):
        failed = tuple(seg.explain(decl.when, best.outcome))
    else:  # a binding source was unknown
        failed = ()
    if unknown:
        reason = "its condition is unknown: the profile lacks facts it needs"
    elif len(verdicts) > 1:
        reason = f"its condition is false for every binding ({len(verdicts)} candidates)"
    else:
        reason = "its condition is false"
    return {"reason": reason, "missing": missing, "binding": best.binding, "failed": failed}


def _table(checked, index, decl: ast.Table, events) -> dict:
    verdict = next(e for e in events if isinstance(e, VerdictEvent))
    rows = [e for e in events if isinstance(e, RowEvent)]
    if not rows:  # its `when` did not hold
        seg = _Segment(checked, index, events)
        return {"reason": f"its 'when' condition is {verdict.outcome}", "missing": verdict.missing,
                "failed": tuple(seg.explain(decl.when, verdict.outcome))}
    paths = {node_text(x): path_of(checked, x, {}) for x in decl.inputs}
    if verdict.outcome == "unknown":
        failed = tuple(Failure(f"row {r.row} ({_row_text(decl.rows[r.row - 1])})", "unknown", _cells(r, paths),
                               r.at, r.cond, r.missing, _values(r, paths))
                       for r in rows if r.outcome == "unknown")
        return {"reason": "no row matched: an input is missing", "missing": verdict.missing, "failed": failed}
    best = max(rows, key=lambda r: (sum(c[3] == "true" for c in r.cells), -r.row))
    row = decl.rows[best.row - 1]
    return {"reason": "no row matched",
            "failed": (Failure(f"closest row {best.row} ({_row_text(row)})", "false", _cells(best, paths),
                               best.at, best.cond, (), _values(best, paths)),)}


def _row_text(row) -> str:
    return ", ".join(cell(c) for c in row.cells) + " => " + ", ".join(const(o) for o in row.outputs)


def _cells(row: RowEvent, paths: dict) -> str:
    """The cells of a row that failed or were unknown, with the input values they saw."""
    parts = []
    for text, value, cell, oc in row.cells:
        if oc == "false":
            parts.append(f"{_seen(paths.get(text), text, value)}, not {cell}")
        elif oc == "unknown":
            parts.append(_seen(paths.get(text), text, "missing"))
    return "; ".join(parts)


def _values(row: RowEvent, paths: dict) -> tuple[tuple[str, str], ...]:
    """(profile path, value) of each input the row's cells read from the profile."""
    return tuple((paths[text], value) for text, value, _, _ in row.cells if paths.get(text))


def _milestone(checked, index, decl, events) -> dict:
    verdict = next(e for e in events if isinstance(e, VerdictEvent))
    seg = _Segment(checked, index, events)
    has_timing = any(isinstance(e, TimingEvent) for e in events)
    if verdict.outcome == "n/a" or (verdict.outcome == "unknown" and not has_timing):
        word = "false" if verdict.outcome == "n/a" else "unknown"
        return {"reason": f"it does not apply: its 'when' condition is {word}", "missing": verdict.missing,
                "failed": tuple(seg.explain(decl.when, word))}
    timing = next(e for e in events if isinstance(e, TimingEvent))
    if ast.anchored(decl):
        return _dated(seg, index, decl, timing, events)
    status = timing.outcome
    if timing.months_to_go is None:  # the phase is unknown: done, or needs_info
        if status == "done":
            return {"status": status, "reason": "its requirement holds (months_to_go is unknown)"}
        return {"status": status, "reason": "months_to_go is unknown", "missing": timing.missing}
    if isinstance(decl, ast.Window):
        return {"status": status, "reason": f"months_to_go is {timing.months_to_go}, "
                                            f"the window is {months_words(timing.low, timing.high)}"}
    when = f"months_to_go is {timing.months_to_go}, due at {month_text(decl.by.months)}"
    if status == "done":
        return {"status": status, "reason": f"its requirement holds ({when})"}
    req = next((e for e in events if getattr(e, "cond", None) == index.id_of(decl.require)), None)
    word = req.outcome if req is not None else ("unknown" if timing.missing else "false")
    return {"status": status, "reason": f"{when}; its requirement is {word}", "missing": timing.missing,
            "failed": tuple(seg.explain(decl.require, word))}


def _dated(seg, index, decl, timing, events) -> dict:
    """:func:`_milestone` of a deadline or window anchored on dates: its dates as written
    and computed (``timing.text``), and for a deadline not done, its requirement."""
    status = timing.outcome
    if isinstance(decl, ast.Window):
        if status == "needs_info":
            return {"status": status, "reason": f"a date is unknown: {timing.text}",
                    "missing": timing.missing}
        return {"status": status, "reason": f"the window is {timing.text}"}
    if status == "done":
        return {"status": status, "reason": f"its requirement holds (due {timing.text})"}
    req = next((e for e in events if getattr(e, "cond", None) == index.id_of(decl.require)), None)
    word = req.outcome if req is not None else "false"
    out = {"status": status, "reason": f"due {timing.text}; its requirement is {word}",
           "missing": timing.missing}
    if word != "true":
        out["failed"] = tuple(seg.explain(decl.require, word))
    return out
