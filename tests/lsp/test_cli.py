"""``imgrules lsp`` without pygls says how to install it instead of failing with a traceback."""

from __future__ import annotations

import subprocess
import sys

BLOCK_PYGLS = ("import sys; sys.modules['pygls'] = None; sys.modules['pygls.lsp.server'] = None; "
               "from imgrules._cli import run; run()")


def test_without_pygls_the_server_names_the_extra():
    done = subprocess.run([sys.executable, "-c", BLOCK_PYGLS, "lsp"], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'imgrules[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
