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

:func:`evaluate` returns None when the direct function cannot decide alone (a field of a
record in a list is missing, a join is long enough to want an index, a limit would be
reached, the data makes the generated code fail): the session then takes the general
first run, which reports those undecided rules, trips limits and points errors at the
rule text. ``X`` copies the data as it reads it, as loading it into records would.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from .first import fire
from .runtime import Unk, key_of


def evaluate(X, data, as_of, limits) -> tuple | None:
    """What the direct function ``X`` returns for ``data``: the copy of the data it made
    (see :meth:`imgrules.compile.direct_writer.DirectWriter.copy`) and its log of
    firings; or None to take the general path, which reports on data that is not a mapping or that
    the generated code fails on (with the rule's line), and names the rule that reaches
    a limit."""
    if type(data) is not dict and not isinstance(data, Mapping):
        return None
    try:
        return X(data, as_of, limits)
    except Exception:  # Bail, or data the general path reports on
        return None


def replay(S, log: tuple) -> None:
    """The session's state after a first run, from a direct run's log: firings
    ``(rule, key, elements, outputs)`` and undecided bindings ``(rule, key, elements,
    Unk)``. The session's profile records are loaded; the log names them by position
    (``$.letters[j]``) and derived facts by key. A rule with bindings has its key made
    here (None in the log), as the general code makes it."""
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
    unit_of = net.unit_of  # in unit order: X writes a rule decided at compile time early
    for i, key, elems, outputs in sorted(log, key=lambda entry: unit_of[entry[0]]):
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
            elems = tuple(made)
            if type(outputs) is not Unk and key in firings[i]:
                continue  # a repeated scalar binding fires once
        if type(outputs) is Unk:  # an undecided binding: its truth, not outputs
            S.undecided[i][key] = (elems, outputs)
        else:
            fire(S, i, key, elems, outputs)
    S.count = S.seq
    if firings:
        S.changes += 1
    S.first = False
