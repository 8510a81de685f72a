"""The suite's own cache: tests/conftest.py points the cache and data directories into a
temp folder of the run, for this process and every command a test starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from imgrules import _api as api
from imgrules._cachedir import cache_dir, data_dir


def test_the_suite_never_uses_the_user_s_directories(isolated_user_dirs, tmp_path):
    home = Path(os.path.expanduser("~"))
    assert cache_dir() == isolated_user_dirs["IMGRULES_CACHE_DIR"]
    assert data_dir() == isolated_user_dirs["IMGRULES_DATA_DIR"]
    for path in (cache_dir(), data_dir()):
        assert home / ".cache" not in path.parents and home / ".local" not in path.parents
    pack = tmp_path / "t.rules"
    pack.write_text("pack t\nprofile {\n  as_of: date\n}\n")
    api.load(pack)
    assert list(cache_dir().glob("pack-*.bin"))  # the suite's cache is the one written
    # a command a test starts sees the same directories
    shown = subprocess.run(
        [sys.executable, "-c", "from imgrules._cachedir import cache_dir, data_dir; "
         "print(cache_dir()); print(data_dir())"],
        capture_output=True, text=True, timeout=60, check=True).stdout.splitlines()
    assert shown == [str(cache_dir()), str(data_dir())]
