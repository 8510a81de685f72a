"""Killed runs: a batch whose worker is killed says which worker, which signal and which
profiles, keeps the lines written so far for ``--resume``, and leaves no temporary file
and no orphaned process; a run killed outright (SIGTERM) removes its temporary file, and
one killed with SIGKILL has its temporary file removed by the next run.

These tests start real processes and send real signals (POSIX only).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from imgrules._fsutil import atomic_write_text, remove_stale_temporaries

from .helpers import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix",
                                reason="sends signals to processes found through /proc (Linux)")


# enough profiles that both workers are still evaluating when a test signals them, however
# fast evaluation gets (with 240, a worker could finish its share before it was seen)
COHORT = 1500


def _cohort(tmp_path, n: int) -> Path:
    data = yaml.safe_load((ROOT / "examples" / "strong-first-timer.yaml").read_text())
    lines = []
    for i in range(n):
        data["applicant"]["id"] = f"A-{i}"
        lines.append(json.dumps(data, default=str))
    path = tmp_path / "cohort.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _start(tmp_path, *args) -> subprocess.Popen:
    env = dict(os.environ, IMGRULES_CACHE_DIR="", PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "imgrules", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:  # the process has ended
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
            pass
    return found


def _wait_for(condition, seconds: float = 60.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_a_killed_worker_is_reported_and_the_run_resumes(tmp_path):
    cohort = _cohort(tmp_path, COHORT)
    run = _start(tmp_path, "batch", "-j", "2", "--out", "out.jsonl", str(cohort))
    _wait_for(lambda: len(_children(run.pid)) == 2 and _temporaries(tmp_path)
              and (tmp_path / _temporaries(tmp_path)[0]).stat().st_size > 0)
    workers = _children(run.pid)
    os.kill(workers[-1], signal.SIGKILL)
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    # a worker killed between two chunks was evaluating nothing: then the message says so
    # by naming no profiles
    match = re.fullmatch(r"imgrules batch: error: worker [12] was killed by signal 9(?: while evaluating "
                         r"profiles ([\d,]+)-([\d,]+) \(\S+cohort\.jsonl:(\d+) to \S+cohort\.jsonl:(\d+)\))?; "
                         r"the ([\d,]+) profiles before them are kept in out\.jsonl\.partial; "
                         r"re-run with --resume\n", err)
    assert match, err
    kept = int(match.group(5).replace(",", ""))
    kept_lines = (tmp_path / "out.jsonl.partial").read_text().splitlines()
    assert len(kept_lines) == kept < COHORT
    if match.group(1) is not None:
        first, last = (int(match.group(i).replace(",", "")) for i in (1, 2))
        assert (match.group(3), match.group(4)) == (str(first), str(last))
        assert kept < first <= last < COHORT
    assert [json.loads(line)["id"] for line in kept_lines] == [f"A-{i}" for i in range(kept)]
    assert _temporaries(tmp_path) == [] and not (tmp_path / "out.jsonl").exists()
    assert all(_gone(pid) for pid in workers)

    resumed = _start(tmp_path, "batch", "-j", "2", "--out", "out.jsonl", "--resume", str(cohort))
    out, err = resumed.communicate(timeout=300)
    assert (resumed.returncode, err) == (0, "")
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert lines[:kept] == kept_lines
    assert [json.loads(line)["id"] for line in lines] == [f"A-{i}" for i in range(COHORT)]
    assert not (tmp_path / "out.jsonl.partial").exists() and _temporaries(tmp_path) == []


def test_a_terminated_batch_removes_its_temporary_file_and_its_workers(tmp_path):
    cohort = _cohort(tmp_path, COHORT)
    run = _start(tmp_path, "batch", "-j", "2", "--out", "out.jsonl", str(cohort))
    _wait_for(lambda: len(_children(run.pid)) == 2 and _temporaries(tmp_path))
    workers = _children(run.pid)
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=120)
    assert run.returncode == 128 + signal.SIGTERM
    assert _temporaries(tmp_path) == [] and not (tmp_path / "out.jsonl").exists()
    _wait_for(lambda: all(_gone(pid) for pid in workers), 10)


def test_workers_of_a_batch_killed_outright_do_not_outlive_it(tmp_path):
    cohort = _cohort(tmp_path, COHORT)
    run = _start(tmp_path, "batch", "-j", "2", "--out", "out.jsonl", str(cohort))
    _wait_for(lambda: len(_children(run.pid)) == 2)
    workers = _children(run.pid)
    run.kill()
    run.communicate(timeout=60)
    _wait_for(lambda: all(_gone(pid) for pid in workers), 10)
    left = _temporaries(tmp_path)  # SIGKILL leaves it: the next run removes it
    rerun = _start(tmp_path, "batch", "-j", "1", "--out", "out.jsonl", str(_cohort(tmp_path, 2)))
    rerun.communicate(timeout=120)
    assert rerun.returncode == 0 and _temporaries(tmp_path) == [], left


def test_stale_temporaries_of_dead_processes_are_removed_on_the_next_write(tmp_path):
    target = tmp_path / "pack.rules"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    stale = tmp_path / f".pack.rules.{dead}.abc123.tmp"
    alive = tmp_path / f".pack.rules.{os.getppid()}.def456.tmp"
    foreign = tmp_path / ".pack.rules.notapid.tmp"
    for path in (stale, alive, foreign):
        path.write_text("x" * 1000)
    atomic_write_text(target, "pack p\n")
    assert target.read_text() == "pack p\n"
    assert not stale.exists() and alive.exists() and foreign.exists()
    assert remove_stale_temporaries(target) == []
