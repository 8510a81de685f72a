"""Every stored broken or hostile input gives exactly the answer in its golden file.

Each pack in ``corpus/packs/`` goes through ``imgrules check``, ``imgrules fmt`` and
``imgrules eval --pack --all`` (with a good profile); each profile in ``corpus/profiles/``
through ``imgrules eval`` against ``corpus/pack/hostile.rules``. The exit code, stdout
and stderr of each run are in ``<case>.expected`` next to the case (regenerate them
with ``IMGRULES_UPDATE_GOLDEN=1`` after an intended change). No run may print a
traceback or exit with the internal-error code.
"""

from __future__ import annotations

import pytest

from .helpers import CORPUS, OK_PROFILE, PACK, X_PROFILE, compare_golden, run

PACK_CASES = sorted(p.name for p in (CORPUS / "packs").iterdir() if p.suffix == ".rules")
PROFILE_CASES = sorted(p.name for p in (CORPUS / "profiles").iterdir() if p.suffix != ".expected")


def _transcript(capsys, commands: list[list[str]]) -> str:
    parts = []
    for args in commands:
        code, out, err = run(capsys, *args)
        parts.append(f"$ imgrules {' '.join(args)}\nexit {code}\n--- stdout\n{out}--- stderr\n{err}")
    return "\n".join(parts)


@pytest.mark.parametrize("case", PACK_CASES)
def test_pack_case(case, capsys, in_corpus):
    path = f"packs/{case}"
    transcript = _transcript(capsys, [["check", path], ["fmt", path],
                                      ["eval", "--pack", path, "--all", X_PROFILE]])
    compare_golden(CORPUS / "packs" / f"{case}.expected", transcript)


@pytest.mark.parametrize("case", PROFILE_CASES)
def test_profile_case(case, capsys, in_corpus):
    transcript = _transcript(capsys, [["eval", "--pack", PACK, "--all", f"profiles/{case}"]])
    compare_golden(CORPUS / "profiles" / f"{case}.expected", transcript)


def test_the_good_profile_is_good(capsys, in_corpus):
    code, out, err = run(capsys, "eval", "--pack", PACK, "--all", OK_PROFILE)
    assert (code, err) == (0, "")
    assert "Ask <script>alert(1)</script> for the letter" in out  # text output: as written
