"""Evaluating one profile of a batch, in whichever process runs it.

A profile is read here (in the worker) rather than in the parent so that parsing, the
costly part for YAML, runs in parallel too. Every problem with one profile becomes an
error record; only a bug (an :class:`EvaluationError` or an unexpected exception) is
marked ``internal`` so the command can exit 70 after finishing the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .. import _api as api
from .._engine import EvaluationLimitError
from .._facts import ProfileError, RawProfile, load_profile_file, load_profile_text, to_plain
from .._safetext import escape_json_text
from .model import BatchResult, Encoded, PackChoice, ProfileText
from .summary import digest


def source_of(item: Any, index: int) -> str:
    """How results name an item: its path, its own source, or ``<item N>``."""
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    source = getattr(item, "source", None)
    if isinstance(item, ProfileText) or (source and _is_raw(item)):
        return str(source)
    return f"<item {index}>"


def _is_raw(item: Any) -> bool:
    return isinstance(item, RawProfile)


def _applicant_id(data: Any) -> str | None:
    applicant = data.get("applicant") if isinstance(data, Mapping) else None
    ident = applicant.get("id") if isinstance(applicant, Mapping) else None
    if isinstance(ident, bool) or ident is None:
        return None
    return ident if isinstance(ident, str) else str(ident) if isinstance(ident, (int, float)) else None


def _read(item: Any):
    """(profile as the API takes it, raw data for id and track). Raises ProfileError."""

    if isinstance(item, (str, os.PathLike)):
        raw = load_profile_file(item)
        return raw, raw.data
    if isinstance(item, ProfileText):
        raw = load_profile_text(item.text, item.format, item.source)
        return raw, raw.data
    if isinstance(item, RawProfile):
        return item, item.data
    if isinstance(item, Mapping):
        return item, item
    if attrs.has(type(item)) or (dataclasses.is_dataclass(item) and not isinstance(item, type)):
        return item, to_plain(item)
    return item, None  # the API reports what it cannot read


def _issues(exc, keep_lines: bool) -> dict:
    out = []
    for issue in getattr(exc, "issues", ()) or ():
        entry = {"path": issue.path, "message": issue.message}
        if keep_lines and getattr(issue, "line", None) is not None:
            entry["line"] = issue.line
        out.append(entry)
    return {"issues": out or [{"path": "$", "message": str(exc)}]}


def evaluate_item(choice: PackChoice, item: Any, index: int,
                  as_of: dt.date | None) -> tuple[BatchResult, bool]:
    """(result, internal) for one item: ``internal`` is True only for a bug."""

    source = source_of(item, index)
    ident = None
    keep_lines = not (isinstance(item, ProfileText) and not item.own_lines)
    try:
        profile, data = _read(item)
        ident = _applicant_id(data)
        results = api.evaluate(choice.pick(data), profile, as_of=as_of)
        return BatchResult(index, ident, source, results.to_json()), False
    except ProfileError as exc:
        return BatchResult(index, ident, source, error=_issues(exc, keep_lines)), False
    except EvaluationLimitError as exc:
        return BatchResult(index, ident, source,
                           error={"issues": [{"path": "$", "message": str(exc)}]}), False
    except Exception as exc:  # noqa: BLE001 - a bug (EvaluationError...) must not end the run
        message = f"internal error ({type(exc).__name__}: {exc}); this is a bug, please report it"
        return BatchResult(index, ident, source, error={
            "issues": [{"path": "$", "message": message}], "internal": True}), True


def dumps_line(record: dict) -> str:
    """One JSON Lines line: compact, UTF-8 kept, keys in their order."""
    return escape_json_text(json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_default)) + "\n"


def _default(obj):
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return str(obj)


def run_chunk(choice: PackChoice, chunk: Sequence[tuple[int, Any]], as_of: dt.date | None,
              encode: bool) -> list:
    """Evaluate a chunk of (index, item); BatchResults, or :class:`Encoded` lines when
    ``encode`` (the command line's form, with the summary digest)."""

    out: list = []
    for index, item in chunk:
        result, internal = evaluate_item(choice, item, index, as_of)
        if not encode:
            out.append(result)
            continue
        out.append(Encoded(result.index, result.id, result.source, dumps_line(result.record()),
                           failed=not result.ok, internal=internal,
                           digest=digest(result.result_json) if result.ok else None,
                           error=result.error))
    return out


# The per-process state a pool initializer sets: the pack choice, shipped once per worker
# process (not per task). It lives in worker processes only; the parent never reads it.
class _WorkerState:
    choice: PackChoice | None = None
    as_of: dt.date | None = None
    encode: bool = False
    log = None


def init_worker(choice: PackChoice, as_of: dt.date | None, encode: bool, log=None,
                orphan_exit: bool = False) -> None:
    """Set up a worker process. ``log`` (a SimpleQueue) hears which chunk this process
    starts and finishes, so that the parent can say what a killed worker was doing. With
    ``orphan_exit`` the worker exits when its parent process goes away (the batch, or the
    fork server that dies with it, was killed) instead of running on as an orphan."""
    # The pool ends workers with SIGTERM (after one died, say); a handler inherited from the
    # command line (which unwinds to clean up) would keep them alive: die at once instead.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WorkerState.choice = choice
    _WorkerState.as_of = as_of
    _WorkerState.encode = encode
    _WorkerState.log = log
    if log is not None:
        log.put((os.getpid(), None, None))
    if orphan_exit:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def run_chunk_in_worker(chunk: Sequence[tuple[int, Any]]) -> list:
    if _WorkerState.choice is None:
        raise RuntimeError("batch worker used before init_worker")
    log = _WorkerState.log
    if log is not None:
        log.put((os.getpid(), chunk[0][0], chunk[-1][0]))
    out = run_chunk(_WorkerState.choice, chunk, _WorkerState.as_of, _WorkerState.encode)
    if log is not None:
        log.put((os.getpid(), -1, -1))
    return out
