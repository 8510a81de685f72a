"""``imgrules fmt``: print, check or rewrite pack files in the canonical layout.

Exit codes: 0 all good (or, with ``--check``, nothing would change); 1 a file has syntax
errors or, with ``--check``, would change; 2 usage or I/O error.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from ..diagnostics import DiagnosticError, render_all
from ..fsutil import atomic_write_text
from ..syntax.printer import format_text

STDIN = "-"


class _IOProblem(Exception):
    """An I/O or usage problem: one line for the user, exit 2."""


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True,
              help="Print a diff for each file that is not formatted; exit 1 if any.")
@click.option("--write", "-w", is_flag=True, help="Rewrite the files in place (atomically).")
def command(paths: tuple[str, ...], check: bool, write: bool) -> int:
    """Format rule packs: PATH is a .rules file, a directory (every *.rules below it),
    or - for standard input. Prints the formatted text unless --check or --write."""
    if check and write:
        raise click.UsageError("--check and --write cannot be used together")
    try:
        files = _expand(paths)
        if write and STDIN in files:
            raise _IOProblem("--write cannot rewrite standard input; drop '-' or --write")
        status = 0
        for name in files:
            status = max(status, _one(name, check, write))
        return status
    except _IOProblem as exc:
        click.echo(f"imgrules fmt: {exc}", err=True)
        return 2


def _expand(paths: tuple[str, ...]) -> list[str]:
    """Files in the order given; a directory contributes its *.rules files, sorted."""
    files: list[str] = []
    for raw in paths:
        if raw == STDIN:
            files.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            files.extend(str(p) for p in sorted(path.rglob("*.rules")) if p.is_file())
        elif path.is_file():
            files.append(raw)
        else:
            raise _IOProblem(f"{raw}: no such file or directory")
    return files


def _read(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == STDIN else Path(name).read_bytes()
    except OSError as exc:
        raise _IOProblem(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _IOProblem(f"{_label(name)}: not UTF-8 text (byte {exc.start})") from None


def _label(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def _one(name: str, check: bool, write: bool) -> int:
    text = _read(name)
    label = _label(name)
    try:
        formatted = format_text(text, label)
    except DiagnosticError as exc:
        click.echo(render_all(exc.diagnostics, exc.sources), err=True)
        return 1
    if check:
        if formatted == text:
            return 0
        diff = difflib.unified_diff(text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                                    fromfile=label, tofile=f"{label} (formatted)")
        click.echo("".join(_ensure_newlines(diff)), nl=False)
        return 1
    if write:
        if formatted != text:
            try:
                atomic_write_text(name, formatted)
            except OSError as exc:
                raise _IOProblem(f"cannot write {name}: {exc.strerror or exc}") from None
            click.echo(f"reformatted {name}", err=True)
        return 0
    click.echo(formatted, nl=False)
    return 0


def _ensure_newlines(lines):
    """Diff lines always end with a newline, even when the file's last line does not."""
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
