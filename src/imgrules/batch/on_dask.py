"""Scale-out on Dask (the optional ``dask`` extra): the same batch on a cluster.

:func:`run_dask` runs a stream of profiles on a ``distributed`` client the way the local
pool does (chunks, a bounded window of futures, input order), after broadcasting the
pack choice to every worker once with ``scatter``. :func:`evaluate_bag` and
:func:`evaluate_dataframe` evaluate Dask collections partition-wise; the pack enters
their graph once, as a single delayed value. Dask is imported only here, on use.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .._errors import Error
from .._facts import RawProfile
from .model import ProfileText, choice_for
from .run import WINDOW_PER_JOB, chunked, ordered
from .work import run_chunk

INSTALL_HINT = "install imgrules[dask] (pip install 'imgrules[dask]')"
CONNECT_TIMEOUT = "10s"  # how long to try reaching a scheduler address
DASK_CHUNK = 32  # profiles per task: bigger than locally, a Dask task costs more to schedule


class DaskMissing(Error, ImportError):
    """Dask (or the part of it a call needs) is not installed."""


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise DaskMissing(f"{module} is not available ({exc}); {INSTALL_HINT}") from None


@contextlib.contextmanager
def open_client(address: str, jobs: int):
    """A ``distributed.Client`` for ``address``, or for a LocalCluster of ``jobs`` worker
    processes (one thread each) when ``address`` is ``local``; closed on exit."""
    distributed = _require("distributed")
    if address == "local":
        cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
        with cluster, distributed.Client(cluster) as client:
            yield client
        return
    with distributed.Client(address, timeout=CONNECT_TIMEOUT) as client:
        yield client


def run_dask(choice, items: Iterable[Any], client, *, as_of: dt.date | None = None,
             encode: bool = False, chunk_size: int = DASK_CHUNK,
             window: int | None = None) -> Iterator[Any]:
    """Results for ``items`` computed on ``client``, in input order, bounded memory."""
    choice = choice_for(choice)
    # a fresh key per run: a hashed key could be released by the previous run meanwhile
    shipped = client.scatter(choice, broadcast=True, hash=False)
    if window is None:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        window = workers * WINDOW_PER_JOB

    def submit(chunk):
        return client.submit(run_chunk, shipped, chunk, as_of, encode, pure=False)

    yield from ordered(submit, chunked(items, chunk_size), window)


# ------------------------------------------------------------------ collections

def _partition(items: Iterable[Any], choice, as_of: dt.date | None) -> list[dict]:
    """One bag partition: the JSON Lines record of each item (``<item N>`` counts within
    the partition for items that carry no source)."""
    return [result.record() for result in run_chunk(choice, list(enumerate(items)), as_of, False)]


def evaluate_bag(pack, bag, as_of: dt.date | None = None):
    """A bag of records (``{"id", "source", **result}`` or ``{"id", "source", "error"}``,
    as ``imgrules batch`` writes them) from a bag of profiles (paths, mappings or
    :class:`ProfileText`). ``pack`` as for :func:`evaluate_many`."""
    dask = _require("dask")
    shipped = dask.delayed(choice_for(pack), traverse=False)
    return bag.map_partitions(_partition, shipped, as_of)


RESULT_COLUMNS = ("id", "source", "result", "error")


def evaluate_frame(frame, choice, column: str = "profile", as_of: dt.date | None = None):
    """One pandas partition: columns id, source, result and error (JSON text or None).

    Each ``column`` value is a mapping or JSON text; ``source`` comes from a ``source``
    column when there is one, else ``<row LABEL>`` from the index."""
    import json

    import pandas as pd

    items = []
    sources = frame["source"] if "source" in frame.columns else None
    for pos, (label, value) in enumerate(frame[column].items()):
        source = str(sources.iloc[pos]) if sources is not None else f"<row {label}>"
        if isinstance(value, Mapping):
            items.append((pos, RawProfile(dict(value), source, "mapping")))
        else:
            items.append((pos, ProfileText(source, "" if value is None else str(value), "json")))
    rows = {name: [] for name in RESULT_COLUMNS}
    for result in run_chunk(choice, items, as_of, False):
        rows["id"].append(result.id)
        rows["source"].append(result.source)
        rows["result"].append(None if result.result_json is None else
                              json.dumps(result.result_json, ensure_ascii=False))
        rows["error"].append(None if result.error is None else
                             json.dumps(result.error, ensure_ascii=False))
    return pd.DataFrame({name: pd.Series(values, dtype=object, index=frame.index)
                         for name, values in rows.items()})


def evaluate_dataframe(pack, frame, column: str = "profile", as_of: dt.date | None = None):
    """A Dask dataframe of results (columns id, source, result, error; same index) from a
    Dask dataframe whose ``column`` holds one profile per row (a mapping or JSON text)."""
    dask = _require("dask")
    _require("dask.dataframe")
    import pandas as pd

    shipped = dask.delayed(choice_for(pack), traverse=False)
    meta = pd.DataFrame({name: pd.Series([], dtype=object) for name in RESULT_COLUMNS})
    return frame.map_partitions(evaluate_frame, shipped, column, as_of, meta=meta)
