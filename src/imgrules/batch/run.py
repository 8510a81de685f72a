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
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .._errors import Error
from .model import PackChoice
from .work import init_worker, run_chunk, run_chunk_in_worker, source_of

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


class WorkerKilled(Error):
    """A worker process died (killed by a signal, or the out-of-memory killer) in the
    middle of a batch. The results before the chunk it was evaluating were all yielded;
    ``first``..``last`` (0-based item indexes) and their sources say what it was doing."""

    def __init__(self, worker: int, signal: int | None, exitcode: int | None, first: int | None,
                 last: int | None, first_source: str = "", last_source: str = ""):
        self.worker, self.signal, self.exitcode = worker, signal, exitcode
        self.first, self.last = first, last
        self.first_source, self.last_source = first_source, last_source
        super().__init__(self.describe())

    def describe(self) -> str:
        how = (f"killed by signal {self.signal}" if self.signal is not None
               else f"ended unexpectedly (exit status {self.exitcode})")
        if self.first is None:
            return f"worker {self.worker} was {how}"
        span = f"{self.first + 1:,}" if self.first == self.last else f"{self.first + 1:,}-{self.last + 1:,}"
        where = self.first_source if self.first == self.last else f"{self.first_source} to {self.last_source}"
        return f"worker {self.worker} was {how} while evaluating profiles {span} ({where})"


def run_local(choice: PackChoice, items: Iterable[Any], *, jobs: int | None = None,
              as_of: dt.date | None = None, encode: bool = False,
              chunk_size: int = DEFAULT_CHUNK, window: int | None = None, skip: int = 0) -> Iterator[Any]:
    """Results (BatchResult, or Encoded when ``encode``) for ``items``, in input order.

    ``skip`` leaves out the first items (their indexes still count: a resumed run).
    Raises :class:`WorkerKilled` when a worker process dies; the pool is shut down first.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    numbered = itertools.islice(enumerate(items), skip, None)
    if jobs == 1:
        for index, item in numbered:
            yield from run_chunk(choice, [(index, item)], as_of, encode)
        return
    window = window or jobs * WINDOW_PER_JOB
    context = multiprocessing.get_context(start_method())
    log = context.SimpleQueue()
    sources: dict[int, tuple[int, str, str]] = {}  # first index of a chunk in flight -> (last, sources)
    processes: dict[int, Any] = {}

    def submit(chunk):
        (first, item_a), (last, item_b) = chunk[0], chunk[-1]
        sources[first] = (last, source_of(item_a, first), source_of(item_b, last))
        future = pool.submit(run_chunk_in_worker, chunk)
        processes.update(getattr(pool, "_processes", None) or {})  # to read a dead one's exit code
        future.add_done_callback(lambda _f: sources.pop(first, None) if not _f.exception() else None)
        return future

    with ProcessPoolExecutor(max_workers=jobs, initializer=init_worker,
                             initargs=(choice, as_of, encode, log, True),
                             mp_context=context) as pool:
        try:
            yield from ordered(submit, _chunks(numbered, chunk_size), window)
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            raise _killed(log, processes, sources) from None
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            log.close()


def _chunks(numbered: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    while True:
        chunk = list(itertools.islice(numbered, size))
        if not chunk:
            return
        yield chunk


def _killed(log, processes: dict, sources: dict) -> WorkerKilled:
    """What the workers' log says the dead worker was doing when it died."""
    order: list[int] = []
    doing: dict[int, tuple[int, int] | None] = {}
    while not log.empty():
        pid, first, last = log.get()
        if pid not in order:
            order.append(pid)
        doing[pid] = (first, last) if first is not None and first >= 0 else None
    # Once one worker dies the pool ends the others with SIGTERM: the culprit is the one
    # that died otherwise, else (all SIGTERM) the busy one with the earliest profiles.
    dead = [(pid, p.exitcode) for pid, p in processes.items() if p.exitcode not in (None, 0)]
    dead.sort(key=lambda d: (d[1] == -signal.SIGTERM, doing.get(d[0]) is None,
                             (doing.get(d[0]) or (0, 0))[0]))
    pid, code = (dead or [(None, None)])[0]
    number = order.index(pid) + 1 if pid in order else len(order) + 1
    span = doing.get(pid)
    if span is None:
        return WorkerKilled(number, -code if code is not None and code < 0 else None, code, None, None)
    first, last = span
    _, first_source, last_source = sources.get(first, (last, f"<item {first}>", f"<item {last}>"))
    return WorkerKilled(number, -code if code is not None and code < 0 else None, code, first, last,
                        first_source, last_source)
