"""Session state -> :class:`~imgrules._results.Results`: findings, derived facts with their
derivation trees, undecided rules, deadline and window statuses; deterministic order."""

from __future__ import annotations

import datetime as dt
import operator

from .._semantics import dated_state, month_state
from .._gcpause import paused_gc
from .._semantics.tables import hit
from .._results import (SEVERITY_RANK, URGENT, MilestoneFinding, DerivedFact, Finding, LazyDerivedFact, LazyFinding, LazyResults, SharedDerivedFact,
                       Provenance, Undecided)
from .runtime import (DATED, DEADLINE_IN_MONTHS, FactRec, Firing, Rec, Unk, jsonable, log_supports,
                      tmonth)


def table_outputs(info, out: list) -> tuple[list[int], dict]:
    """A table's rows that fire and its undecided rows (``key -> ((), truth)``), from the
    output of its ``table_<i>_rows`` function, by its hit policy
    (:func:`imgrules._semantics.tables.hit`)."""
    if len(out) == 1 and out[0][2] is True:  # one row holds and no other may: it fires
        return [out[0][0][0]], {}
    if not out:  # every row is false
        return [], {}
    for key, _, st in out:
        if key == ("when",):
            return [], {key: ((), st)}
    rows, undecided = hit(info.hit, [(key[0], st) for key, _, st in out])
    return rows, {(row,): ((), st) for row, st in undecided.items()}


def milestone_status(S, i: int, info):
    """A deadline's or window's (status, due date, missing paths, message); statuses as
    :mod:`imgrules._semantics.milestones` decides them; None when its ``when`` condition
    does not hold (unknown: the milestone is undecided). Its requirement or dates are
    evaluated only once the condition holds.

    A state that depends only on the phase and on the requirement's truth (months to go
    and application date known, message without holes) is made once per network and
    phase and kept in ``S.mstates`` (shared by the sessions of that phase:
    :func:`~.runtime.phase_caches`) by ``i`` (a window, or a deadline whose requirement
    holds), ``~i`` (it does not hold) or ``(i,)`` (unknown: then only the missing paths,
    the profile's, are made again). An unknown ``when`` makes it undecided (``S.undecided``,
    which the caller cleared of it)."""
    kind, when, fn, fixed = S.calls.MS[i]
    if when is not None:
        cond = when(S)
        if cond is not True:
            if cond is False:
                return None
            if type(cond) is Unk:
                S.undecided[i] = {(): ((), cond)}
                return None
    if kind == DEADLINE_IN_MONTHS:  # the most common kind first
        req = fn(S)
        if req is True:
            key = i
        elif req is False:
            key = ~i
        elif type(req) is Unk:  # the same but the missing paths, which are this profile's
            key = (i,)
        else:
            key = None
    elif kind == DATED:
        return _dated_status(S, i, info, fn)
    else:
        req = None
        key = i
    states = S.mstates if fixed else None
    if states is not None and key is not None:
        st = states.get(key)
        if st is not None:
            # (i,): the requirement is unknown, and names its own missing facts (month_state)
            return st if type(key) is int else (st[0], st[1], req.paths(), st[3])
    st = _month_status(S, i, info, req)
    if states is not None and key is not None:
        states[key] = st
    return st


def _month_status(S, i: int, info, req):
    """:func:`milestone_status` of a deadline (requirement ``req``) or window (``req``
    None) in months, made."""
    deadline = info.kind == "deadline"
    status, missing = month_state(deadline, S.mtg, info.k, info.start, info.end, req)
    if isinstance(S.root.get("application_date"), dt.date):  # T-k, cached per phase
        due = tmonth(S, info.k if deadline else min(info.start, info.end))
    else:
        due = None
    return (status, due, missing, _message(S.calls, S, i, info))


def _message(calls, S, i: int, info) -> str:
    """A deadline's or window's message (its title when it has none); one without holes
    is made once per network."""
    if info.fixed:
        message = calls.memo.get(i)
        if message is None:
            made = calls.M[i](S)
            message = calls.memo[i] = made if made is not None else info.title
        return message
    message = calls.M[i](S)
    return message if message is not None else info.title


def _dated_status(S, i: int, info, fn):
    """:func:`milestone_status` of a deadline or window anchored on dates, whose
    ``deadline_<i>`` / ``window_<i>`` is ``fn``."""
    if info.kind == "deadline":
        req, due = fn(S)
        dates = (due,)
    else:
        req, dates = None, fn(S)
    root = S.root
    state = dated_state(info.kind == "deadline", root.get("as_of"), dates, req, (root, "as_of"))
    return (*state, _message(S.calls, S, i, info))


class _Builder:
    def __init__(self, S):
        self.S = S
        self.net = S.net
        self.nested: dict = {}
        # without recursive rules a fact cannot rest on itself, so its tree does not depend
        # on the path it is reached by and can be built once
        self.acyclic = not S.calls.recursive_reads
        self.provs: dict = {}  # (rule idx, key) -> its firing's provenance (acyclic packs: it has one)
        # the first run's log (firings as tuples) while the session has not built its
        # firing tables from it; then firings are log indexes until their provenance is read
        self.log = S.log
        self._supports = None
        self._logged: dict = {}  # log index -> Firing

    def supports(self) -> dict:
        """Derived fact -> {(rule idx, key): firing} (a log index before the session's
        firing tables exist)."""
        if self.log is None:
            return self.S.supports
        if self._supports is None:  # log indexes, made into firings when read (firing)
            self._supports = log_supports(self.log, int)
        return self._supports

    def firing(self, f) -> Firing:
        """The firing ``f`` stands for (a log index or a firing)."""
        if type(f) is not int:
            return f
        made = self._logged.get(f)
        if made is None:
            made = self._logged[f] = Firing(*self.log[f], f + 1)
        return made

    def provenance(self, f, path=()) -> Provenance:
        """The provenance of firing ``f`` (a log index or a firing)."""
        if type(f) is int:
            i, key, elems, _ = self.log[f]
        else:
            i, key, elems = f.rule, f.key, f.elems
        if not elems:  # the same for every profile: made once per network
            shared = self.S.calls.provenances
            prov = shared.get((i, key))
            if prov is None:
                prov = shared[(i, key)] = self._make_provenance(i, key, elems, path)
            return prov
        if self.acyclic:
            prov = self.provs.get((i, key))
            if prov is None:
                prov = self.provs[(i, key)] = self._make_provenance(i, key, elems, path)
            return prov
        return self._make_provenance(i, key, elems, path)

    def _make_provenance(self, i: int, key, elems, path) -> Provenance:
        info = self.net.rules[i]
        matched = None
        rests = []
        for e in elems:
            if type(e) is Rec:
                if matched is None:
                    matched = set(info.matched)
                matched.add(e.path())
            elif type(e) is FactRec:
                rests.append(self.fact_tree(e.k, path))
        line = info.row_lines[key[0]] if info.kind == "table" and key else info.line
        bindings = tuple([(name, jsonable(e)) for name, e in zip(info.vars, elems)])
        # info.matched is sorted and without repeats already
        return Provenance(info.id, info.pack, info.file, line,
                          info.matched if matched is None else tuple(sorted(matched)),
                          tuple(rests), bindings, info.cites)

    def fact_tree(self, fk, path=()) -> DerivedFact:
        """A derived fact with one derivation (the first in a stable order), recursively."""
        fact = self.nested.get(fk)
        if fact is not None:
            return fact
        sup = self.supports().get(fk, {})
        fields = _fields(self.net, fk)
        if fk in path:
            return DerivedFact(fk[0], fields, ())
        if len(sup) > 1:
            firings = sorted(map(self.firing, sup.values()), key=self._fkey)
        else:
            firings = list(sup.values())
        prov = (self.provenance(firings[0], path + (fk,)),) if firings else ()
        fact = DerivedFact(fk[0], fields, prov)
        if not path or self.acyclic:
            self.nested[fk] = fact
        return fact

    def _fkey(self, f):
        info = self.net.rules[f.rule]
        return (info.id, repr(tuple(jsonable(e) for e in f.elems)), repr(f.key))

    def derived(self) -> tuple[DerivedFact, ...]:
        """Every derived fact, sorted; each one's provenance is built when first read."""
        keyed = []
        names = self.net.fact_fields
        shown = self.S.calls.fact_shown
        if len(shown) > _FACTS_SHOWN:
            shown.clear()
        make = LazyDerivedFact.make
        log = self.log  # on the first run, the facts' records say what derived them (FactRec.j)
        for type_, facts in self.S.facts.items():
            if facts:
                for fk, rec in facts.items():
                    # the same fact of another evaluation shows the same (the values' types
                    # are part of the key: 1, 1.0 and True are equal but show differently)
                    typed = (fk, tuple(map(type, fk[1])))
                    entry = shown.get(typed)
                    if entry is None:
                        fields = _shown(names[type_], fk[1])
                        entry = shown[typed] = (fields, (type_, repr(fields)), {})
                    j = rec.j if log is not None else -1
                    if j >= 0:  # one firing that binds nothing derived it
                        firing = log[j]
                        fact = entry[2].get((firing[0], firing[1])) or self._shared_fact(entry, j, fk)
                    else:
                        fact = make(self, fk, type_, entry[0])
                    keyed.append((entry[1], fact))
        keyed.sort(key=_FIRST)
        return tuple(map(_SECOND, keyed))

    def _shared_fact(self, entry: tuple, j: int, fk) -> SharedDerivedFact:
        """A derived fact whose one derivation is the log entry ``j`` of a firing that
        binds nothing (a table row, a rule without bindings): its provenance names the
        rule, its line and static paths only, so the fact is the same for every profile
        that derives it so: :meth:`derived` finds it in the fact's ``Calls.fact_shown``
        entry, by rule idx and firing key, where this makes it the first time."""
        firing = self.log[j]
        fact = entry[2][(firing[0], firing[1])] = SharedDerivedFact.make(
            fk[0], entry[0], (self.provenance(j, (fk,)),))
        return fact

    def fact_provenance(self, fk) -> tuple:
        """A derived fact's provenance: one per supporting firing, in a stable order."""
        sup = self.supports().get(fk, {})
        if len(sup) == 1:
            for f in sup.values():
                return (self.provenance(f, (fk,)),)
        return tuple(sorted((self.provenance(f, (fk,)) for f in sup.values()), key=_prov_key))

    def findings(self) -> tuple[Finding, ...]:
        """Every finding, sorted. A firing's findings (with their sort keys) are kept on
        the firing and reused while its paths and the facts it binds are unchanged."""
        S = self.S
        if S.fcache is not None and S.fcache[0] == (S.epoch, S.fepoch, S.changes):
            return S.fcache[1]
        keyed: list = []
        abouts = S.calls.abouts
        if self.log is not None:
            make, places = LazyFinding.make, S.calls.places
            static = S.calls.static
            for j, (i, _, _, outputs) in enumerate(self.log):
                made = static[i]
                if made:  # the same findings for every profile, made once
                    keyed += made
                    continue
                about = abouts[i]
                if about is None:
                    continue
                if made is None:  # ... by the first evaluation that needs them
                    keyed += self._static_findings(i, about, outputs, j)
                    continue
                for o in outputs:
                    if o[0] != "derive":
                        keyed.append((_rule_key(o, about, places), make(o, about, self, j)))
        else:
            epochs = (S.epoch, S.fepoch)
            for i, fired in sorted(S.firings.items()):
                about = abouts[i]
                if not fired or about is None:
                    continue
                for f in fired.values():
                    cached = f.cache
                    if cached is None or cached[0] != (epochs if cached[2] else epochs[0]):
                        cached = f.cache = self._firing_findings(about, f, epochs)
                    keyed.extend(cached[1])
        milestones = S.calls.milestones
        made = S.calls.milestone_findings
        if len(made) > _MILESTONE_FINDINGS:
            made.clear()
        for i, st in S.status.items():  # in any order: each declaration's key is its own
            if st is None:
                continue
            entry = made.get((i, st))
            if entry is None:  # a deadline's finding is the same wherever its state is
                about = milestones[i]  # the same for every profile: made with the network
                key = (sort_prefix(0 if st[0] in URGENT else 1, about[9], st[1], about[8],
                                   S.calls.places), st[3])
                entry = made[(i, st)] = (key, MilestoneFinding.make(st, about))
            keyed.append(entry)
        if keyed:
            keyed.sort(key=_FIRST)
            out = _tie_broken(keyed)
        else:
            out = ()
        if self.log is None:  # kept only by sessions that change (see _Parts._build)
            S.fcache = ((S.epoch, S.fepoch, S.changes), out)
        return out

    def _static_findings(self, i: int, about, outputs, j: int) -> tuple:
        """The findings of a firing whose rule says the same for every profile (constant
        outputs, no bindings): with their sort keys and their provenance built, so that
        they hold nothing of this session and can be shared by every later one (kept in
        ``Calls.static``)."""
        out = []
        for o in outputs:
            if o[0] != "derive":
                finding = LazyFinding.make(o, about, self, j)
                finding.provenance  # noqa: B018 - built now: the finding outlives this session
                out.append((_rule_key(o, about, self.S.calls.places), finding))
        self.S.calls.static[i] = made = tuple(out)
        return made

    def _firing_findings(self, about, f, epochs) -> tuple:
        """A firing's findings with their sort keys, kept on the firing while the paths
        and facts they read are unchanged. The sort key leaves out its provenance-based
        tie-breaks, which :meth:`findings` adds where needed."""
        out = []
        binds_facts = any(type(e) is FactRec for e in f.elems)
        for o in f.outputs:
            if o[0] != "derive":
                out.append((_rule_key(o, about, self.S.calls.places), LazyFinding.make(o, about, self, f)))
        return (epochs if binds_facts else epochs[0], out, binds_facts)

    def undecided(self) -> list[Undecided]:
        out = []
        for i, und in sorted(self.S.undecided.items()):
            info = self.net.rules[i]
            for key, (elems, st) in und.items():
                paths = st.paths() if type(st) is Unk else ()
                bindings = tuple((n, jsonable(e)) for n, e in zip(info.vars, elems))
                line = info.row_lines[key[0]] if info.kind == "table" and key and \
                    isinstance(key[0], int) else info.line
                out.append(Undecided(info.id, paths, bindings, info.file, line))
        out.sort(key=lambda u: (u.rule, u.missing, repr(u.bindings)))
        return out


_NO_DATE = dt.date.max
# the findings of deadlines and windows a network keeps by state (status, due date, missing
# paths, message), shared by the evaluations that reach the same state; emptied when it
# holds more (a long-lived network evaluating profiles of many application dates)
_MILESTONE_FINDINGS = 4096
# likewise a derived fact's shown fields and sort key (type, repr of the fields), by its
# key (type, values) and the types of its values
_FACTS_SHOWN = 4096


# A finding's sort key (Finding.sort_key) without its provenance-based tie-breaks is
# (urgency group, severity rank, due date, rule id, -priority, message). The first five
# parts are packed into one int, in the same order, so that sorting compares one int and
# then the message: ((group * 6 + rank) * _DAYS + due date's ordinal) * places + place,
# where place is the declaration's place in the order of (rule id, -priority)
# (network.Calls.places).
_DAYS = 1 << 22  # more than any date's ordinal


def sort_prefix(group: int, rank: int, due, place: int, places: int) -> int:
    return ((group * 6 + rank) * _DAYS + (due or _NO_DATE).toordinal()) * places + place


def _rule_key(output: tuple, about: tuple, places: int) -> tuple:
    """The cheap sort key of a rule's finding ``output`` (a rule has no due date)."""
    return (_RULE_PREFIX[output[1]] * places + about[5], output[2])


# per severity (None: a finding without one): a rule finding's packed prefix without its
# place, to be multiplied by the number of places
_RULE_PREFIX = {sev: (6 + SEVERITY_RANK.get(sev or "", 5)) * _DAYS + _NO_DATE.toordinal()
                for sev in (*SEVERITY_RANK, None)}


def _tie_broken(keyed: list) -> tuple:
    """The findings of ``keyed`` (sorted by the cheap part of their sort key) in the order
    of their full :meth:`Finding.sort_key`: only runs of equal cheap keys, which are rare,
    are sorted again by the provenance-based rest."""
    keys = list(map(_FIRST, keyed))
    if all(map(operator.ne, keys, keys[1:])):  # no equal neighbours: the usual case
        return tuple(map(_SECOND, keyed))
    findings = list(map(_SECOND, keyed))
    out = []
    i, n = 0, len(keyed)
    while i < n:
        j = i + 1
        while j < n and keys[j] == keys[i]:
            j += 1
        if j - i == 1:
            out.append(findings[i])
        else:
            out.extend(sorted(findings[i:j], key=_full_key))
        i = j
    return tuple(out)


def _full_key(finding):
    return finding.sort_key()


def _fields(net, fk) -> tuple:
    return _shown(net.fact_fields.get(fk[0], ()), fk[1])


def _shown(names: tuple, values: tuple) -> tuple:
    """A derived fact's ``(field, value)`` pairs, those without a value left out."""
    if None not in values:
        return tuple(zip(names, values))
    return tuple([(n, v) for n, v in zip(names, values) if v is not None])


def _prov_key(p):
    return (p.rule, p.line, p.matched, repr(p.bindings))


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


class _Parts:
    """Builds the lazy parts of one results object from the session (one small object per
    run: no closure, and the builder only when a part is read)."""

    __slots__ = ("S", "b")

    def __init__(self, S):
        self.S = S
        self.b = None

    def __call__(self, name: str):
        with paused_gc():
            return self._build(name)

    def _build(self, name: str):
        S = self.S
        b = self.b
        if b is None:
            b = self.b = _Builder(S)
        if name == "derived":
            if S.dcache is not None and S.dcache[0] == (S.epoch, S.fepoch):
                return S.dcache[1]
            out = b.derived()
            # Kept for the next results of a session whose profile changed. Not after the
            # first run: the results' facts and findings refer to the session (their
            # provenance is built from it), so keeping them on it would make each evaluated
            # session a reference cycle, freed only by the garbage collector.
            if b.log is None:
                S.dcache = ((S.epoch, S.fepoch), out)
            return out
        if name == "findings":
            return b.findings()
        return tuple(b.undecided())


def build_results(S) -> LazyResults:
    """The results of the session's current state. Findings, derived facts and undecided
    rules are built when first read; the session builds them before its state changes."""
    net = S.net
    violations = ()
    if net.invariants:
        inv = S.calls.I
        violations = tuple(sorted(net.rules[i].id for i in net.invariants if inv[i](S) is False))
    mtg = S.mtg
    root = S.root
    return LazyResults.make(_Parts(S), root.get("as_of"), root.get("application_date"),
                            None if type(mtg) is Unk else mtg, net.packs, violations)
