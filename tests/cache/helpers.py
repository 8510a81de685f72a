"""Shared by the cache tests: running imgrules in a fresh process, and "another install".

Another install is what ``pip install .`` into another venv makes: a copy of the package
with the grammar and the shipped packs under ``imgrules/_data/``, at another path. Its
code is the same (copied with its times, so it is the same build); its packs can carry an
edited message, so that any result it compiled is recognisable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "reapplicant-weak-step2.yaml"
# a message of img.reapplication that the README's example shows (overdue for this profile)
MESSAGE = ("Build a month-by-month plan (spreadsheet or paper) for the whole year; it prevents the "
           "classic 'I planned a lot and suddenly it was July'.")
FOREIGN = "ANOTHER INSTALL: build a month-by-month plan for the whole year."
# its title, which the text report shows
TITLE = '"Build the 12-month Gantt chart"'
FOREIGN_TITLE = '"ANOTHER INSTALL: build the 12-month Gantt chart"'
RUN = "import sys; from imgrules._cli import main; sys.exit(main(sys.argv[1:]))"


def make_install(where: Path, message: str | None = FOREIGN) -> Path:
    """A copy of imgrules installed at ``where`` (its site folder, for PYTHONPATH), with
    MESSAGE replaced by ``message`` (and its rule's title by FOREIGN_TITLE) in its shipped
    img.reapplication."""
    site = where / "site-packages"
    package = site / "imgrules"
    shutil.copytree(ROOT / "src" / "imgrules", package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "rules", package / "_data" / "rules")
    (package / "_data" / "grammar").mkdir(parents=True)
    shutil.copy2(ROOT / "grammar" / "imgrules.lark", package / "_data" / "grammar")
    if message is not None:
        pack = package / "_data" / "rules" / "img" / "reapplication.rules"
        text = pack.read_text(encoding="utf-8")
        assert text.count(MESSAGE) == 1 and text.count(TITLE) == 1
        pack.write_text(text.replace(MESSAGE, message).replace(TITLE, FOREIGN_TITLE),
                        encoding="utf-8")
    return site


def user_dirs(base: Path) -> dict[str, str]:
    """Environment variables for a cache and data directory of their own under ``base``."""
    return {"IMGRULES_CACHE_DIR": str(base / "cache"), "IMGRULES_DATA_DIR": str(base / "data")}


def imgrules(args, env: dict[str, str], site: Path | None = None, cwd: Path = ROOT,
             background: bool = False):
    """Run ``imgrules ARGS`` in a new process (from ``site`` when given, else this
    checkout); the finished process, or the running one with ``background``."""
    full = dict(os.environ, NO_COLOR="1", **env)
    full.pop("PYTHONPATH", None)
    if site is not None:
        full["PYTHONPATH"] = str(site)
    else:
        full["PYTHONPATH"] = str(ROOT / "src")
    command = [sys.executable, "-c", RUN, *map(str, args)]
    if background:
        return subprocess.Popen(command, cwd=cwd, env=full, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=cwd, env=full, capture_output=True, text=True, timeout=120)
