"""Cohorts: evaluate many profiles at once, locally in parallel or on Dask.

``evaluate_many`` streams :class:`BatchResult` objects in input order with bounded memory,
each equal to what :func:`imgrules.evaluate` gives for that profile alone; a bad
profile yields an error result and the run goes on. ``evaluate_bag`` and
``evaluate_dataframe`` do the same partition-wise on Dask collections (the optional
``dask`` extra).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from .inputs import InputError
from .model import (FALLBACK_PACK, TRACK_PACKS, BatchResult, PackChoice, ProfileText, choice_for,
                    pack_for_data)
from .on_dask import DaskMissing, evaluate_bag, evaluate_dataframe, run_dask
from .run import WorkerKilled, run_local
from .summary import CohortSummary, Digest, digest

__all__ = [
    "FALLBACK_PACK", "TRACK_PACKS", "BatchResult", "CohortSummary", "DaskMissing", "Digest",
    "InputError",
    "PackChoice", "ProfileText", "digest", "evaluate_bag", "evaluate_dataframe",
    "evaluate_many", "pack_for_data", "run_dask", "WorkerKilled",
]


def evaluate_many(pack, profiles: Iterable, jobs: int | None = None,
                  as_of: dt.date | None = None) -> Iterator[BatchResult]:
    """Evaluate ``profiles`` lazily, yielding one :class:`BatchResult` per profile in
    input order.

    ``pack`` is a CompiledPack, anything :func:`imgrules.load` takes, or ``None`` for
    the shipped pack of each profile's ``track``. A profile is a file path, a
    :class:`ProfileText`, a mapping or an attrs/dataclass instance. ``jobs`` worker
    processes (default: the CPU count; 1 runs in this process) receive the pack once.
    A worker process that dies (killed by a signal) raises :class:`WorkerKilled` after
    the results before the profiles it was evaluating.
    """
    return run_local(choice_for(pack), profiles, jobs=jobs, as_of=as_of)
