"""``imgrules check --watch`` and ``test --watch``: a run now, another after each save."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

GOOD = '''pack mini

profile {
  score: int
}

rule low "Low score"
  when score < 200
  then remind "low"

test low_fires "A low score fires"
  given { score: 150 }
  expect rule low
'''


class Watcher:
    """``imgrules ARGS --watch`` in a subprocess, its output read line by line."""

    def __init__(self, cwd: Path, *args: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from imgrules._cli import run; run()", *args, "--watch"],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def until(self, needle: str, timeout: float = 60) -> str:
        """The output up to the first line holding ``needle``."""
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if needle in line:
                return "".join(seen)
        raise AssertionError(f"no {needle!r} within {timeout}s; got:\n{''.join(seen)}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.mark.parametrize("command, clean, broken", [
    ("check", "0 errors, 0 warnings in 1 file", "1 error"),
    ("test", "1 passed, 0 failed", "1 failed"),
])
def test_a_save_runs_the_command_again(tmp_path, command, clean, broken):
    pack = tmp_path / "mini.rules"
    pack.write_text(GOOD)
    watcher = Watcher(tmp_path, command, "mini.rules")
    try:
        watcher.until(clean)
        watcher.until("watching")
        time.sleep(1.5)  # the notice is printed just before the file watch starts
        if command == "check":
            pack.write_text(GOOD.replace("score < 200", "scroe < 200"))
            out = watcher.until(broken)
            assert "mini.rules changed" in out and "'scroe'" in out
        else:
            pack.write_text(GOOD.replace("score: 150", "score: 250"))
            out = watcher.until(broken)
            assert "mini.rules changed" in out and "FAIL" in out
        (tmp_path / "notes.txt").write_text("not a pack")  # other files do not trigger a run
        pack.write_text(GOOD)
        out = watcher.until(clean)
        assert "notes.txt" not in out
    finally:
        code = watcher.stop()
    assert code == 0
