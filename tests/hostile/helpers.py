"""Shared by the hostile-input tests: running the CLI safely, the corpus, golden files."""

from __future__ import annotations

import os
from pathlib import Path

from imgrules._cli import main
from support.golden import check_golden

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parent.parent
CORE = ROOT / "rules" / "img" / "core.rules"
PACK = "pack/hostile.rules"      # relative to CORPUS: the pack profile cases run against
OK_PROFILE = "profiles/ok.yaml"  # relative to CORPUS: a good profile for that pack
X_PROFILE = "pack/x_profile.yaml"  # relative to CORPUS: a good profile for the pack cases
# Exit codes of the imgrules command (see imgrules._cli): 70 means a bug, never expected here.
DOCUMENTED = {0, 1, 2}


def run(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``imgrules ARGS``; fail on a traceback, an internal error or an odd exit code."""
    code = main(list(args))
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "Traceback" not in out + err, f"traceback from imgrules {' '.join(args)}:\n{err}"
    assert code in DOCUMENTED, f"imgrules {' '.join(args)} exited {code}:\n{err}"
    return code, out, err


def compare_golden(path: Path, actual: str) -> None:
    """``actual`` must equal the golden file; IMGRULES_UPDATE_GOLDEN=1 rewrites it.
    The checkout's own path (where the shipped packs are, seen from the corpus) is written
    ``<checkout>/`` so that the files hold in any clone."""
    check_golden(path, actual.replace(str(ROOT) + os.sep, "<checkout>/"))
