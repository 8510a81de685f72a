"""What the package ships besides the code: ``python -m imgrules``, ``py.typed``, the
licence, and the pre-commit hooks (each hook's command run as pre-commit runs it)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from importlib import resources
from pathlib import Path

import yaml

import imgrules
from imgrules._cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_python_dash_m_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "imgrules", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert imgrules.__version__ in done.stdout


def test_the_package_is_marked_typed():
    assert (resources.files("imgrules") / "py.typed").is_file()


def test_the_licence_is_the_one_pyproject_names():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "imgrules contributors" in text
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


UNFORMATTED = 'pack demo\nlet   x=1\n'
FORMATTED = 'pack demo\n\nlet x = 1\n'


def _hooks() -> dict[str, dict]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def _run_hook(hook: dict, *files: str) -> int:
    """The hook's entry with the staged files appended, as pre-commit calls it."""
    program, *args = shlex.split(hook["entry"])
    assert program == "imgrules"
    return main([*args, *files])


def test_the_hooks_are_the_documented_ones():
    hooks = _hooks()
    assert sorted(hooks) == ["imgrules-check", "imgrules-fmt", "imgrules-fmt-write", "imgrules-test"]
    assert all(hook["files"] == r"\.rules$" and hook["language"] == "python" for hook in hooks.values())
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in ci for name in hooks)


def test_the_format_hooks_report_and_rewrite(tmp_path, capsys):
    path = tmp_path / "demo.rules"
    path.write_text(UNFORMATTED, encoding="utf-8")
    hooks = _hooks()
    assert _run_hook(hooks["imgrules-fmt"], str(path)) == 1  # reports, changes nothing
    assert path.read_text(encoding="utf-8") == UNFORMATTED
    assert _run_hook(hooks["imgrules-fmt-write"], str(path)) == 0  # rewrites
    assert path.read_text(encoding="utf-8") == FORMATTED
    assert _run_hook(hooks["imgrules-fmt"], str(path)) == 0
    assert _run_hook(hooks["imgrules-check"], str(path)) == 0
    capsys.readouterr()
