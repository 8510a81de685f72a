"""``imgrules eval`` on a cached pack starts fast because it imports only what evaluating
and the text report need: not the parser (Lark), the checker, the compiler, the
diagnostics, cattrs, JSON Schema, Jinja, TOML nor ``importlib.resources``
(docs/internals.md, "Imports"). The modules are read in a fresh process, as the command
runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .helpers import ROOT

PROFILE = ROOT / "examples" / "reapplicant-weak-step2.yaml"

# run the command as the console script does, and list every module it loaded at exit
RUN = ("import atexit, sys\n"
       "atexit.register(lambda: print(*sorted(sys.modules), sep='\\n', file=sys.stderr))\n"
       "from imgrules._cli import run\n"
       "run()\n")

NOT_FOR_EVAL = (
    "lark", "cattrs", "jsonschema", "jinja2", "markupsafe", "pygls", "pygments", "tomllib",
    "importlib.resources", "imgrules._syntax", "imgrules._check", "imgrules._loader",
    "imgrules._compile.generate", "imgrules._compile.emit", "imgrules._compile.analysis",
    "imgrules._diagnostics", "imgrules._explanation", "imgrules._trace", "imgrules._render.html",
    "imgrules._render.markdown", "imgrules._facts.convert", "imgrules._lsp",
)


def _eval_modules(tmp_path, *args: str) -> tuple[str, set[str]]:
    env = dict(os.environ, IMGRULES_CACHE_DIR=str(tmp_path / "cache"),
               IMGRULES_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", RUN, "eval", str(PROFILE), *args],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(done.stderr.splitlines())


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_eval_on_a_cached_pack_imports_only_what_it_uses(tmp_path):
    first_out, first = _eval_modules(tmp_path)  # compiles the pack and caches it
    assert _loaded(first, "imgrules._check") and _loaded(first, "lark")
    out, modules = _eval_modules(tmp_path)
    assert out == first_out and "Step 2 CK" in out
    assert {"imgrules._engine.session", "imgrules._render.text", "yaml"} <= modules
    assert [name for name in NOT_FOR_EVAL if _loaded(modules, name)] == []


def test_json_output_imports_no_report_renderer(tmp_path):
    _eval_modules(tmp_path, "--format", "json")
    out, modules = _eval_modules(tmp_path, "--format", "json")
    assert json.loads(out)["packs"]  # the whole document was written before the exit
    assert [name for name in ("imgrules._render.text", "imgrules._render.report", *NOT_FOR_EVAL)
            if _loaded(modules, name)] == []


def test_the_console_script_exits_with_the_commands_status(tmp_path):
    env = dict(os.environ, IMGRULES_CACHE_DIR=str(tmp_path / "cache"),
               IMGRULES_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "imgrules", "eval", str(tmp_path / "none.yaml")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"imgrules eval: error: {tmp_path / 'none.yaml'}: no such file\n"
