"""Running a batch on a local process pool: in input order, streaming, bounded memory.

Items are cut into chunks and at most ``window`` chunks are in flight at any time; the
input iterator is pulled only as results are taken, so a generator of a million profiles
is never held in memory (``multiprocessing.Pool.imap`` would drain it from a feeder
thread). The pack choice reaches each worker once, through the pool initializer. With one
job everything runs in this process, one item at a time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from .model import PackChoice
from .work import init_worker, run_chunk, run_chunk_in_worker

DEFAULT_CHUNK = 8
WINDOW_PER_JOB = 4


def default_jobs() -> int:
    return os.cpu_count() or 1


def start_method() -> str:
    """How worker processes start: ``fork`` (fastest) only while this process has a single
    thread; otherwise ``forkserver`` (or the platform's default). Forking a process that
    runs other threads (an embedding service, an in-process Dask cluster) can copy a lock
    another thread holds, and the worker then hangs forever on it."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    if "forkserver" in methods:
        return "forkserver"
    return multiprocessing.get_start_method()


def chunked(items: Iterable[Any], size: int) -> Iterator[list[tuple[int, Any]]]:
    """Lists of up to ``size`` (index, item) pairs, pulling the input lazily."""
    numbered = enumerate(items)
    while True:
        chunk = list(itertools.islice(numbered, size))
        if not chunk:
            return
        yield chunk


def ordered(submit: Callable[[list], Future], chunks: Iterator[list], window: int,
            cancel: Callable[[Future], Any] = lambda f: f.cancel()) -> Iterator[Any]:
    """Submit chunks keeping at most ``window`` in flight; yield their results in order.

    Shared by the process pool and Dask (whose futures have the same ``result()``).
    """
    pending: deque = deque()
    try:
        for chunk in itertools.islice(chunks, window):
            pending.append(submit(chunk))
        while pending:
            done = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(submit(chunk))
            yield from done
    finally:
        for future in pending:
            cancel(future)


def run_local(choice: PackChoice, items: Iterable[Any], *, jobs: int | None = None,
              as_of: dt.date | None = None, encode: bool = False,
              chunk_size: int = DEFAULT_CHUNK, window: int | None = None) -> Iterator[Any]:
    """Results (BatchResult, or Encoded when ``encode``) for ``items``, in input order."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if jobs == 1:
        for index, item in enumerate(items):
            yield from run_chunk(choice, [(index, item)], as_of, encode)
        return
    window = window or jobs * WINDOW_PER_JOB
    with ProcessPoolExecutor(max_workers=jobs, initializer=init_worker,
                             initargs=(choice, as_of, encode),
                             mp_context=multiprocessing.get_context(start_method())) as pool:
        try:
            yield from ordered(lambda chunk: pool.submit(run_chunk_in_worker, chunk),
                               chunked(items, chunk_size), window)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
