"""``imgrules fmt``: print, check or rewrite pack files in the canonical layout.

Exit codes: 0 all good (or, with ``--check``, nothing would change); 1 a file has syntax
errors or, with ``--check``, would change; 2 usage or I/O error.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from .._diagnostics import DiagnosticError, render_all
from .._fsutil import atomic_write_text, files_below
from .._limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, PackLimits
from .._safetext import escape_controls
from .._syntax.printer import format_text

STDIN = "-"


class _IOProblem(Exception):
    """An I/O or usage problem: one line for the user, exit 2."""


@click.command(name="fmt")
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True,
              help="Print a diff for each file that is not formatted; exit 1 if any.")
@click.option("--write", "-w", is_flag=True, help="Rewrite the files in place (atomically).")
@click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_FILE_BYTES,
              show_default=True, metavar="BYTES", help="Refuse files larger than this.")
@click.option("--max-depth", type=click.IntRange(min=1), default=DEFAULT_MAX_DEPTH, show_default=True,
              metavar="N", help="Refuse expressions nested deeper than this.")
def command(paths: tuple[str, ...], check: bool, write: bool, max_file_size: int, max_depth: int) -> int:
    """Format rule packs: PATH is a .rules file, a directory (every *.rules below it),
    or - for standard input. Prints the formatted text unless --check or --write.
    A file keeps its line ends (CRLF or LF); a byte-order mark is dropped."""
    if check and write:
        raise click.UsageError("--check and --write cannot be used together")
    limits = PackLimits(max_file_bytes=max_file_size, max_depth=max_depth)
    try:
        files = _expand(paths)
        if write and STDIN in files:
            raise _IOProblem("--write cannot rewrite standard input; drop '-' or --write")
        status = 0
        for name in files:
            status = max(status, _one(name, check, write, limits))
        return status
    except _IOProblem as exc:
        click.echo(escape_controls(f"imgrules fmt: {exc}"), err=True)
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
            files.extend(str(p) for p in files_below(path))  # never outside it through a link
        elif path.is_file():
            files.append(raw)
        elif path.exists():
            raise _IOProblem(f"{raw}: not a regular file")
        else:
            raise _IOProblem(f"{raw}: no such file or directory")
    return files


def _read(name: str, limit: int) -> str:
    """The file's text; at most ``limit`` bytes are accepted (one more is read to tell)."""
    try:
        if name == STDIN:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(name, "rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise _IOProblem(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _IOProblem(f"{_label(name)}: too large (more than {limit} bytes; see --max-file-size)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _IOProblem(f"{_label(name)}: UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _IOProblem(f"{_label(name)}: not UTF-8 text (byte {exc.start})") from None


def _label(name: str) -> str:
    return "<stdin>" if name == STDIN else name


def _one(name: str, check: bool, write: bool, limits: PackLimits) -> int:
    text = _read(name, limits.max_file_bytes)
    label = _label(name)
    try:
        formatted = format_text(text, label, limits)
    except DiagnosticError as exc:
        click.echo(render_all(exc.diagnostics, exc.sources), err=True)
        return 1
    if _crlf(text):
        formatted = formatted.replace("\n", "\r\n")
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
            click.echo(escape_controls(f"reformatted {name}"), err=True)
        return 0
    click.echo(formatted, nl=False)
    return 0


def _crlf(text: str) -> bool:
    """Whether the file ends its lines with CRLF (judged by its first line end)."""
    end = text.find("\n")
    return end > 0 and text[end - 1] == "\r"


def _ensure_newlines(lines):
    """Diff lines always end with a newline, even when the file's last line does not."""
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
