"""Explanations: *why* a rule fired (its derivation trees down to input paths) and *why
not* (undecided because facts are missing, its timing does not hold, its gate value does
not match, or its condition is false for every binding).

Built from the same session state and trace events as evaluation (``engine.trace``);
coverage can attach a :class:`~imgrules.engine.trace.Recorder` the same way.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .engine import Session
from .engine.trace import Recorder
from .results import DerivedFact, Finding, Provenance


@attrs.frozen
class Explanation:
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

    def to_json(self) -> dict:
        from .results import _finding, _prov

        return {"rule": self.rule, "fired": self.fired, "title": self.title, "file": self.file,
                "line": self.line, "derivations": [_prov(p) for p in self.derivations],
                "findings": [_finding(f) for f in self.findings],
                "missing": list(self.missing), "reason": self.reason}

    def text(self) -> str:
        head = f"{self.rule} ({self.file}:{self.line}) \"{self.title}\""
        if self.fired:
            lines = [f"{head} fired {len(self.derivations)} time(s):"]
            for p in self.derivations:
                lines.extend(_tree(p, 1))
            return "\n".join(lines)
        lines = [f"{head} did not fire: {self.reason}"]
        lines.extend(f"  needs {m}" for m in self.missing)
        return "\n".join(lines)


def _tree(p: Provenance, depth: int) -> list[str]:
    pad = "  " * depth
    out = [f"{pad}- by {p.rule} at {p.file}:{p.line}"]
    if p.bindings:
        out.append(pad + "  with " + ", ".join(f"{k} = {v}" for k, v in p.bindings))
    if p.matched:
        out.append(pad + "  matched " + ", ".join(p.matched))
    for fact in p.rests_on:
        out.append(f"{pad}  rests on {fact.ref.text()}")
        for sub in fact.provenance:
            out.extend(_tree(sub, depth + 2))
    return out


def explain_rule(network, data, rule_id: str, as_of: dt.date | None = None) -> Explanation:
    info = network.rule_by_id(rule_id)
    if info is None:
        raise KeyError(f"no rule, deadline, window or table named {rule_id!r}")
    session = Session(network, tracer=Recorder())
    session.set_profile(data, as_of=as_of)
    results = session.run()
    findings = tuple(f for f in results.findings if f.rule == rule_id)
    derived = tuple(d for d in results.derived if any(p.rule == rule_id for p in d.provenance))
    provs = [f.provenance for f in findings if f.provenance is not None]
    provs += [p for d in derived for p in d.provenance if p.rule == rule_id]
    base = dict(rule=rule_id, title=info.title, file=info.file, line=info.line,
                findings=findings, derived=derived)
    fired = bool(session.firings.get(info.idx)) or bool(findings)
    if fired:
        unique: list[Provenance] = []
        for p in provs:  # bindings may hold dicts (facts), so no hashing
            if p not in unique:
                unique.append(p)
        return Explanation(fired=True, derivations=tuple(unique), **base)
    und = [u for u in results.undecided if u.rule == rule_id]
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
