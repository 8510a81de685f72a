"""Explanations: *why* a rule fired (its derivation trees down to input paths) and *why
not* (the closest partial match: which condition failed and the values it saw, which
facts are missing, or how the timing misses).

"Why" reads the engine's provenance. "Why not" replays the rule with the instrumented
interpreter of :mod:`imgrules._trace` and reads its condition-level events: for the
candidate binding that came closest (the most leading conjuncts true), it follows the
failing operands of ``and``/``or``/``not`` and ``let``\\ s down to the comparisons,
memberships and ``is missing`` tests that failed, with the values they saw.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from ._check import check_pack
from ._diagnostics import did_you_mean
from ._derivation import derivation_tree, tree_lines
from ._engine import Session
from ._engine.trace import Recorder
from ._errors import Error, LoadError
from ._loader import load_packs
from ._results import DerivedFact, Finding, Provenance, finding_json, provenance_json
from ._semantics.render import explain_text
from ._trace.whynot import Failure, why_not


class UnknownRuleError(Error, KeyError):
    """No rule, deadline, window or table of the pack has this name; the message
    suggests the closest name when one is close."""

    def __init__(self, rule_id: str, known=()):
        hint = did_you_mean(rule_id, known)
        message = f"no rule, deadline, window or table named {rule_id!r}"
        super().__init__(f"{message}; {hint}" if hint else message)
        self.rule = rule_id

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@attrs.frozen
class Explanation:
    """Why a rule fired (``derivations``, ``findings``, ``derived``) or why not
    (``reason``, ``missing``, ``failed`` for the closest ``binding``); ``text()`` for
    people, ``to_json()`` for programs."""

    rule: str
    fired: bool
    title: str = ""
    file: str = ""
    line: int = 0
    derivations: tuple[Provenance, ...] = ()  # why: one per firing
    findings: tuple[Finding, ...] = ()
    derived: tuple[DerivedFact, ...] = ()
    missing: tuple[str, ...] = ()  # why not: facts the condition needs
    reason: str = ""  # why not, in words
    kind: str = "rule"  # rule | table | deadline | window | invariant
    status: str = ""  # deadlines and windows
    binding: tuple[tuple[str, str], ...] = ()  # why not: the closest candidate binding
    failed: tuple[Failure, ...] = ()  # why not: the conditions that failed for it
    # why: one derivation tree per firing (see imgrules._derivation), JSON-ready
    trees: tuple[dict, ...] = attrs.field(default=(), hash=False)

    def to_json(self) -> dict:
        return {"rule": self.rule, "kind": self.kind, "fired": self.fired, "title": self.title,
                "file": self.file, "line": self.line, "status": self.status or None,
                "derivations": [provenance_json(p) for p in self.derivations],
                "findings": [finding_json(f) for f in self.findings],
                "missing": list(self.missing), "reason": self.reason,
                "tree": list(self.trees),
                "binding": {k: v for k, v in self.binding},
                "failed": [f.to_json() for f in self.failed]}

    def text(self) -> str:
        head = f"{self.rule} ({self.file}:{self.line}) \"{self.title}\""
        if self.status:
            lines = [f"{head} is {self.status}: {self.reason}" if self.reason else f"{head} is {self.status}"]
        elif self.fired:
            lines = [f"{head} fired {len(self.derivations)} time(s):"]
            for tree in self.trees:
                lines.extend(tree_lines(tree, 1))
            lines.extend(f"  data of '{f.message}': {_data_text(f.data)}" for f in self.findings if f.data)
            return "\n".join(lines)
        else:
            lines = [f"{head} did not fire: {self.reason}"]
        if self.binding:
            lines.append("  closest match: " + ", ".join(f"{k} = {v}" for k, v in self.binding))
        lines.extend(f"  {f.text()}" for f in self.failed)
        lines.extend(f"  needs {m}" for m in self.missing)
        return "\n".join(lines)


def _data_text(data) -> str:
    """A finding's data as ``name = value`` pairs; an unknown value reads "missing"."""
    return ", ".join(f"{k} = {'missing' if v is None else explain_text(v)}" for k, v in data)


def checked_for(network):
    """The checked pack a network was compiled from, read again from its files (None when
    they no longer check). Roots are inferred from each file's pack name."""
    roots = []
    for (name, _), file in zip(network.packs, network.files):
        parts = name.split(".")
        path = Path(file)
        if path.stem == parts[-1] and len(path.parents) >= len(parts):
            roots.append(str(path.parents[len(parts) - 1]))
    try:
        checked = check_pack(load_packs(network.files[-1], sorted(set(roots))))
    except (LoadError, OSError):
        return None
    return checked if checked.ok else None


def explain_rule(network, data, rule_id: str, as_of: dt.date | None = None, *, checked=None) -> Explanation:
    """Why ``rule_id`` fired, or why not, for profile ``data`` (validated plain data).

    ``checked`` is the CheckedPack the network was compiled from; without it the pack
    files are checked again (an explanation is not on the hot path).
    """
    info = network.rule_by_id(rule_id)
    if info is None:
        raise UnknownRuleError(rule_id, [r.id for r in network.rules])
    if as_of is not None:  # the date evaluated is the one every part of the explanation shows
        data = {**data, "as_of": as_of}
    session = Session(network, tracer=Recorder())
    session.set_profile(data)
    results = session.run()
    findings = tuple(f for f in results.findings if f.rule == rule_id)
    derived = tuple(d for d in results.derived if any(p.rule == rule_id for p in d.provenance))
    provs = [f.provenance for f in findings if f.provenance is not None]
    provs += [p for d in derived for p in d.provenance if p.rule == rule_id]
    base = dict(rule=rule_id, title=info.title, file=info.file, line=info.line,
                findings=findings, derived=derived, kind=info.kind)
    fired = bool(session.firings.get(info.idx)) or bool(findings)
    if info.kind in ("rule", "table") and fired:
        unique: list[Provenance] = []
        for p in provs:  # bindings may hold dicts (facts), so no hashing
            if p not in unique:
                unique.append(p)
        if checked is None:
            checked = checked_for(network)
        trees = tuple(derivation_tree(p, data, checked, _derived_by(p, derived)) for p in unique)
        return Explanation(fired=True, derivations=tuple(unique), trees=trees, **base)
    if checked is None:
        checked = checked_for(network)
    entry = checked.rule(rule_id) if checked is not None else None
    if entry is None:
        return _coarse(results, info, base)
    return Explanation(fired=fired, **base, **why_not(checked, entry, data, results))


def _derived_by(p: Provenance, derived) -> DerivedFact | None:
    """The fact that firing ``p`` derived (a table's row, a ``derive``), if any."""
    return next((d for d in derived if p in d.provenance), None)


def _coarse(results, info, base) -> Explanation:
    """Without the rule text: the engine's undecided paths, or its timing gate."""
    und = [u for u in results.undecided if u.rule == info.id]
    if und:
        missing = tuple(sorted({m for u in und for m in u.missing}))
        return Explanation(fired=False, missing=missing,
                           reason="its condition is unknown: the profile lacks facts it needs", **base)
    mtg = results.months_to_go
    reason = "its condition is false for every binding"
    if info.kind == "rule" and info.gate is not None and info.gate.path == "@mtg" and mtg is not None:
        g = info.gate
        inside = (g.values is None or mtg in g.values) and (g.low is None or mtg >= g.low) and \
            (g.high is None or mtg <= g.high)
        if not inside:
            reason = f"its timing does not hold: months_to_go is {mtg}"
    elif info.kind in ("deadline", "window"):
        reason = "its 'when' condition is false"
    return Explanation(fired=False, reason=reason, **base)


__all__ = ["Explanation", "Failure", "UnknownRuleError", "checked_for", "explain_rule"]
