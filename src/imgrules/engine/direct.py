"""Direct first runs: decide what fires first, build the session's state when it is read.

A session's first run on a pack that has a direct function (``X``, see
:mod:`imgrules.compile.direct`) evaluates the profile data as given, in two-valued
logic, and keeps only a log of the firings. Nothing else is made: no records, no
``Firing`` objects, no supports, no per-rule dictionaries. Most of what an evaluation
costs on a small pack is that bookkeeping, and it is needed only by what reads the
session afterwards: the results' findings and provenance, explanations, incremental
changes. :func:`replay` makes it then, from the log, exactly as the first run of
:mod:`.first` would have (the same firings, in the same order, with the same keys), so
what follows cannot tell which path ran. It re-runs no matching.

:func:`evaluate` returns None when the direct function cannot decide alone (a value it
needs is missing, a join is long enough to want an index, a limit would be reached, or
the data makes the generated code fail): the session then takes the general first run,
which reports undecided rules, trips limits and points errors at the rule text.
"""

from __future__ import annotations

import datetime as dt
import time

from .first import fire
from .runtime import UNKNOWN, key_of, months_to_go


class DirectState:
    """What ``X`` and the functions it calls (lets, gates) read: the profile data as
    given, lets computed so far, months to go, the T-k cache."""

    __slots__ = ("root", "lets", "mtg", "tm")


def evaluate(net, data, as_of, limits):
    """``(log, months to go or None)`` from the direct function, or None to take the
    general path. The caller's data is read, never changed."""
    st = DirectState()
    try:
        root = data if as_of is None else {**data, "as_of": as_of}
        st.root = root
        st.lets = {}
        st.tm = {}
        start, app = root.get("as_of"), root.get("application_date")
        if isinstance(start, dt.date) and isinstance(app, dt.date):
            mtg = months_to_go(start, app)
        else:
            mtg = UNKNOWN
        st.mtg = mtg
        log: list = []
        facts = net.calls.X(st, log)
    except Exception:  # Bail, or data the general path reports (with the rule's line)
        return None
    if len(log) > limits.max_firings or facts > limits.max_facts:
        return None  # the general path names the rule that reached the limit
    return log, (None if mtg is UNKNOWN else mtg)


def replay(S, log: list) -> None:
    """The session's state after a first run, from a direct run's log. The session's
    profile records are loaded; the log names them by position (``$.letters[j]``) and
    derived facts by key."""
    net = S.net
    S.deadline = time.monotonic() + S.limits.max_seconds
    S._phase()
    groups = net.gate_groups
    if groups:
        G = S.calls.G
        cands = S.gate_cands
        for g, group in enumerate(groups):
            cands[g] = group.candidates(G[g](S))
    rules, root, facts, firings = net.rules, S.root, S.facts, S.firings
    for i, key, elems, outputs in log:
        if key is None:  # a rule with bindings: records and facts by identity
            made = []
            keys = []
            for pin, e in zip(rules[i].pins, elems):
                if pin is None:
                    made.append(e)
                    keys.append(key_of(e))
                else:
                    rec = root[pin[2:]][e] if pin[0] == "p" else facts[pin[2:]][e]
                    made.append(rec)
                    keys.append(rec.k)
            key = tuple(keys)
            if key in firings[i]:  # a repeated scalar binding fires once
                continue
            elems = tuple(made)
        fire(S, i, key, elems, outputs)
    S.count = S.seq
    if firings:
        S.changes += 1
    S.first = False
