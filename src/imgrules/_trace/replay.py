"""Replay a finished evaluation rule by rule, emitting condition-level trace events.

Given the checked pack, the profile data and the engine's :class:`~imgrules._results.Results`
(its derived facts), :class:`Replay` re-evaluates each rule's timing, candidate bindings
and condition, each table's rows, each deadline's and window's status and each
invariant, with the instrumented interpreter. Because it reads the facts the engine
derived, a replay needs no fixpoint: a rule's verdict against the final facts is its
verdict in the evaluation (negation and aggregates only see complete lower strata).
"""

from __future__ import annotations

import datetime as dt

import attrs

from .. import ast
from .._check.model import CheckedPack, RuleEntry, node_key
from .._semantics import dated_state, month_state, month_text
from .._semantics import timing_bounds as semantic_timing_bounds
from .._semantics.cells import cell_spec
from .._semantics.tables import cell_truth, hit
from .._semantics.values import Unk, merge, merge_all
from .._syntax.printexpr import cell as print_cell
from .conditions import ConditionIndex, index_conditions
from .events import RowEvent, TimingEvent, VerdictEvent
from .interp import Interpreter, const_value, node_text
from .factsyntax import fact_text
from .values import Obj, fact_obj, outcome, render


@attrs.frozen
class Verdict:
    """What a replay concluded for one declaration.

    ``outcome``: rules and tables ``true`` (fired), ``false`` or ``unknown``; deadlines and
    windows their status, ``n/a`` (their ``when`` is false) or ``unknown``; invariants
    ``true`` (holds), ``false`` (violated) or ``unknown``.
    """

    rule: str
    kind: str
    outcome: str
    missing: tuple[str, ...] = ()


def facts_from_results(checked: CheckedPack, results) -> dict:
    """The engine's derived facts as interpreter records, by type."""
    out: dict[str, list] = {}
    for d in results.derived:
        out.setdefault(d.type, []).append(fact_obj(d.type, d.fields, checked.schema.records.get(d.type)))
    return out


def timing_bounds(timing: ast.Timing) -> tuple[int | None, int | None]:
    """The ``months_to_go`` range a rule's timing allows, as (low, high); None is open."""
    end = timing.end.months if timing.end is not None else None
    return semantic_timing_bounds(str(timing.kind), timing.start.months, end)


def timing_text(timing: ast.Timing) -> str:
    if timing.kind == "during":
        return f"during {month_text(timing.start.months)}..{month_text(timing.end.months)}"
    return f"{timing.kind} {month_text(timing.start.months)}"


def cell_test(cell, x):
    """Whether an input value ``x`` (present or not) satisfies a table cell."""
    spec = cell_spec(cell, const_value)
    return True if spec is None else cell_truth(*spec, x)


def binding_text(value) -> str:
    """A candidate binding's value: a derived fact in the language's syntax, anything else
    as events show it (a profile record by its ``$.path``)."""
    if isinstance(value, Obj) and value.fact is not None:
        return fact_text(value.fact, value.data.items(), rtype=value.rtype)
    return render(value)


class Replay:
    """Replays declarations of ``checked`` for one profile; events go to ``tracer``."""

    def __init__(self, checked: CheckedPack, data: dict, results=None, *, facts: dict | None = None,
                 tracer=None, index: ConditionIndex | None = None):
        data = dict(data)
        if results is not None and results.as_of is not None:
            data["as_of"] = results.as_of
        if facts is None:
            facts = facts_from_results(checked, results) if results is not None else {}
        if tracer is not None and index is None:
            index = index_conditions(checked)
        self.checked = checked
        self.tracer = tracer
        self.interp = Interpreter(checked, data, facts=facts, tracer=tracer, index=index)

    def _emit(self, event) -> None:
        if self.tracer is not None:
            self.tracer(event)

    def run(self, rule_ids=None) -> dict[str, Verdict]:
        """Verdicts of every declaration (or of those named), in the pack's order."""
        wanted = set(rule_ids) if rule_ids is not None else None
        return {e.id: self.entry(e) for e in self.checked.rules if wanted is None or e.id in wanted}

    def entry(self, entry: RuleEntry) -> Verdict:
        decl = entry.decl
        self.interp.owner = entry.id
        self.interp.binding = ()
        if isinstance(decl, ast.Rule):
            return self._rule(entry.id, decl)
        if isinstance(decl, ast.Table):
            return self._table(entry.id, decl)
        if isinstance(decl, (ast.Deadline, ast.Window)):
            return self._milestone(entry.id, decl)
        value = self.interp.ev(decl.require, {})
        return self._verdict(entry.id, "invariant", decl, value)

    def _verdict(self, rule: str, kind: str, decl, value, binding=()) -> Verdict:
        missing = value.paths() if type(value) is Unk else ()
        word = value if isinstance(value, str) else outcome(value)
        self._emit(VerdictEvent(rule, str(decl.span), kind, word, missing, binding))
        return Verdict(rule, kind, word, missing)

    # ---------------------------------------------------------------- rules
    def _timing(self, rule: str, timing: ast.Timing):
        low, high = timing_bounds(timing)
        m = self.interp.mtg
        if type(m) is Unk:
            result = m
        else:
            result = (low is None or low <= m) and (high is None or m <= high)
        self._emit(TimingEvent(rule, f"{rule}.timing", str(timing.span), timing.kind, timing_text(timing),
                               None if type(m) is Unk else m, low, high, outcome(result),
                               m.paths() if type(m) is Unk else ()))
        return result

    def _rule(self, rule: str, decl: ast.Rule) -> Verdict:
        I = self.interp
        if decl.timing is not None:
            ok = self._timing(rule, decl.timing)
            if ok is not True:
                return self._verdict(rule, "rule", decl, ok)
        envs: list[tuple[tuple, dict]] = [((), {})]
        unknown = None
        for b in decl.bindings:
            nxt = []
            for shown, env in envs:
                I.binding = shown
                src = I.ev(b.source, env)
                if type(src) is Unk and self.checked.names_a_field(b.source):
                    continue  # a list the profile leaves out: nothing to bind
                if type(src) is Unk:
                    self._verdict(rule, "rule", decl, src, shown)
                    unknown = merge(unknown, src) if unknown is not None else src
                    continue
                for x in src:
                    inner = dict(env)
                    inner[(node_key(b), b.var.text)] = x
                    nxt.append((shown + ((b.var.text, binding_text(x)),), inner))
            envs = nxt
        fired = False
        for shown, env in envs:
            I.binding = shown
            value = I.ev(decl.when, env) if decl.when is not None else True
            self._verdict(rule, "rule", decl, value, shown)
            if value is True:
                fired = True
            elif type(value) is Unk:
                unknown = merge(unknown, value) if unknown is not None else value
        I.binding = ()
        if fired:
            return Verdict(rule, "rule", "true")
        if unknown is not None:
            return Verdict(rule, "rule", "unknown", unknown.paths())
        return Verdict(rule, "rule", "false")

    # ---------------------------------------------------------------- tables
    def _table(self, rule: str, decl: ast.Table) -> Verdict:
        I = self.interp
        if decl.when is not None:
            w = I.ev(decl.when, {})
            if w is not True:
                return self._verdict(rule, "table", decl, w)
        inputs = [I.ev(x, {}) for x in decl.inputs]
        results = []  # (row index, outcome value, cells)
        first = decl.hit.text == "first"
        for r, row in enumerate(decl.rows):
            t = True
            cells = []
            for j, cell in enumerate(row.cells):
                if isinstance(cell, ast.AnyCell) or j >= len(inputs):
                    continue
                x = inputs[j]
                c = cell_test(cell, x)
                cells.append((node_text(decl.inputs[j]), render(x), _cell_text(cell), outcome(c)))
                if c is False:
                    t = False
                    break
                if c is not True:
                    t = merge(t, c) if type(t) is Unk else c
            results.append((r, row, t, tuple(cells)))
            if first and t is True:
                break
        fired, undecided = hit(decl.hit.text, [(r, t) for r, _, t, _ in results if t is not False])
        unknown = list(undecided.values())
        for r, row, t, cells in results:
            self._emit(RowEvent(rule, f"{rule}.row{r + 1}", str(row.span), r + 1, outcome(t), r in fired,
                                cells, t.paths() if type(t) is Unk else ()))
        if fired:
            return self._verdict(rule, "table", decl, True)
        if unknown:
            return self._verdict(rule, "table", decl, merge_all(unknown))
        return self._verdict(rule, "table", decl, False)

    # ---------------------------------------------------------------- deadlines and windows
    def _milestone(self, rule: str, decl) -> Verdict:
        I = self.interp
        kind = "deadline" if isinstance(decl, ast.Deadline) else "window"
        when = I.ev(decl.when, {}) if decl.when is not None else True
        if when is False:
            return self._verdict(rule, kind, decl, "n/a")
        if type(when) is Unk:
            self._emit(VerdictEvent(rule, str(decl.span), kind, "unknown", when.paths()))
            return Verdict(rule, kind, "unknown", when.paths())
        # the requirement only once the milestone applies, as the engine evaluates it
        req = I.ev(decl.require, {}) if kind == "deadline" else None
        if ast.anchored(decl):
            return self._dated(rule, kind, decl, req)
        m = I.mtg
        if kind == "deadline":
            low = high = decl.by.months
            text = f"by {month_text(decl.by.months)}"
        else:
            low, high = min(decl.start.months, decl.end.months), max(decl.start.months, decl.end.months)
            text = f"during {month_text(decl.start.months)}..{month_text(decl.end.months)}"
        if kind == "deadline":
            status, missing = month_state(True, m, decl.by.months, None, None, req)
        else:
            status, missing = month_state(False, m, None, decl.start.months, decl.end.months, None)
        self._emit(TimingEvent(rule, f"{rule}.timing", str(decl.span), kind, text,
                               None if type(m) is Unk else m, low, high, status, missing))
        self._emit(VerdictEvent(rule, str(decl.span), kind, status, missing))
        return Verdict(rule, kind, status, missing)

    def _dated(self, rule: str, kind: str, decl, req) -> Verdict:
        """A deadline's or window's status when it is anchored on dates; the timing event's
        text shows the dates as written and as computed."""
        I = self.interp
        as_of = I.data.get("as_of")
        if kind == "deadline":
            dates = (I.ev(decl.by, {}),)
            text = f"by {I.text(decl.by)}"
        else:
            dates = (I.ev(decl.start, {}), I.ev(decl.end, {}))
            text = f"during {I.text(decl.start)} .. {I.text(decl.end)}"
        status, _, missing = dated_state(kind == "deadline", as_of, dates, req, "$.as_of")
        shown = [d.isoformat() if isinstance(d, dt.date) else "unknown" for d in dates]
        text += f" ({'..'.join(shown)}; as_of {as_of.isoformat() if isinstance(as_of, dt.date) else 'unknown'})"
        self._emit(TimingEvent(rule, f"{rule}.timing", str(decl.span), kind, text, None, None, None,
                               status, missing))
        self._emit(VerdictEvent(rule, str(decl.span), kind, status, missing))
        return Verdict(rule, kind, status, missing)


def _cell_text(cell) -> str:

    return print_cell(cell)



def replay(checked: CheckedPack, data: dict, results, *, tracer=None, rule_ids=None,
           index: ConditionIndex | None = None) -> dict[str, Verdict]:
    """Replay every declaration (or those named) of a finished evaluation; see :class:`Replay`."""
    return Replay(checked, data, results, tracer=tracer, index=index).run(rule_ids)
