"""``imgrules check PATH...``: check rule packs and report diagnostics.

Text output renders each diagnostic the way a compiler does (colour only on a terminal
and without ``NO_COLOR``), then a summary line; ``--format json`` prints one stable
document. Exit status: 0 clean, 1 errors (or warnings with ``--strict``), 2 usage or
I/O error.
"""

from __future__ import annotations

import json
import os
import sys

import click

from ..check import check_paths
from ..diagnostics import render_all
from ..loader import LoadError


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _use_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as failures (exit 1).")
@click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
              help="A directory to look up imported packs in (before the built-in roots); repeatable.")
@click.pass_context
def command(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool,
            pack_roots: tuple[str, ...]) -> None:
    """Check rule packs: names, types, strata, tables, tests. A directory means every *.rules below it."""
    try:
        results = check_paths(paths, pack_roots, strict=strict)
    except LoadError as exc:
        click.echo(f"imgrules: {exc}", err=True)
        ctx.exit(2)
        return
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    summary = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(len(results), 'file')}"
    if fmt == "json":
        document = {
            "files": [r.path for r in results],
            "diagnostics": [d.to_json() for r in results for d in r.diagnostics],
            "summary": {"errors": errors, "warnings": warnings, "files": len(results), "strict": strict},
        }
        click.echo(json.dumps(document, indent=2, sort_keys=True))
    else:
        color = _use_color()
        for result in results:
            if result.diagnostics:
                click.echo(render_all(result.diagnostics, result.sources, color=color))
                click.echo()
        click.echo(summary)
    failed = errors > 0 or (strict and warnings > 0)
    ctx.exit(1 if failed else 0)
