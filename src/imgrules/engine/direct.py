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
rule text. :func:`snapshot` copies the data first, as loading it into records would.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from .first import fire
from .runtime import SHORT, Unk, key_of


def snapshot(data, as_of, lists: tuple, records: tuple = ()) -> dict | None:
    """The profile data as the session keeps it for a direct run: the top-level mapping
    copied, ``as_of`` applied, each list as a tuple (its records as dicts), each record
    field (``records``: ``(name, shape)``) copied to its depth. A direct pack's profile
    has no deeper lists, so this is a complete copy, as the general path's records are;
    and once it holds only tuples, dicts and atomic values, the garbage collector stops
    tracking it. None for data that is not a mapping, or whose records are not mappings:
    the general path reports on it."""
    if type(data) is not dict and not isinstance(data, Mapping):
        return None
    try:
        root = dict(data)
        if as_of is not None:
            root["as_of"] = as_of
        for name, of_records, joined in lists:
            items = root.get(name)
            if items is None:
                continue
            if joined and len(items) > SHORT:
                return None  # the direct function would give up: no copy for nothing
            if of_records:
                try:
                    root[name] = tuple(map(_COPY, items))  # dicts (the usual case)
                except TypeError:  # other mappings, or not records at all
                    root[name] = tuple([_record(e) for e in items])
            else:
                root[name] = tuple(items)
        for name, shape in records:
            value = root.get(name)
            if value is not None:
                root[name] = _nested(value, shape)
    except (TypeError, ValueError, _NotRecord):
        return None
    return root


def _nested(value, shape) -> dict:
    """A copy of a record and of the records in it (``shape``: see engine.profile)."""
    out = _record(value)
    for name, fshape in shape[1]:
        if fshape[0] == "rec":
            inner = out.get(name)
            if inner is not None:
                out[name] = _nested(inner, fshape)
    return out


_COPY = dict.copy  # a dict's (or dict subclass's) fields as a plain dict; TypeError otherwise


class _NotRecord(Exception):
    pass


def _record(e) -> dict:
    if isinstance(e, Mapping):
        return dict(e)
    raise _NotRecord


def evaluate(X, root: dict, limits) -> tuple | None:
    """The log of firings from the direct function ``X``, or None to take the general path."""
    try:
        log: list = []
        facts = X(root, log)
    except Exception:  # Bail, or data the general path reports (with the rule's line)
        return None
    if len(log) > limits.max_firings or facts > limits.max_facts:
        return None  # the general path names the rule that reached the limit
    return tuple(log)  # tuples of atomic values: the collector stops tracking it


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
