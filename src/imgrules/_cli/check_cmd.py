"""``imgrules check PATH...``: check rule packs and report diagnostics.

Text output renders each diagnostic the way a compiler does (colour as ``--color`` and
the environment say, see :mod:`.options`), then a summary line; ``--format json`` prints one stable
document. Exit status: 0 clean, 1 errors (or warnings with ``--strict``), 2 usage or
I/O error.
"""

from __future__ import annotations

import json

import click

from .._check import check_paths
from .._diagnostics import render_all
from .._limits import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_RULES, PackLimits
from .._loader import LoadError
from .._safetext import escape_controls
from .options import Choice, color_option, use_color
from .watch import run_watching, watch_option


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=Choice(("text", "json")), default="text", show_default=True,
              help="Output format.")
@click.option("--strict", is_flag=True, help="Treat warnings as failures (exit 1).")
@click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
              help="A directory to look up imported packs in (before the built-in roots); repeatable.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_FILE_BYTES,
              show_default=True, metavar="BYTES", help="Refuse pack files larger than this.")
@click.option("--max-depth", type=click.IntRange(min=1), default=DEFAULT_MAX_DEPTH, show_default=True,
              metavar="N", help="Refuse expressions nested deeper than this.")
@click.option("--max-rules", type=click.IntRange(min=1), default=DEFAULT_MAX_RULES, show_default=True,
              metavar="N", help="Refuse files with more rules than this.")
@click.option("--max-files", type=click.IntRange(min=1), default=DEFAULT_MAX_FILES, show_default=True,
              metavar="N", help="Refuse packs that import more files than this.")
@color_option
@watch_option
@click.pass_context
def command(ctx: click.Context, paths: tuple[str, ...], fmt: str, strict: bool,
            pack_roots: tuple[str, ...], max_file_size: int, max_depth: int, max_rules: int,
            max_files: int, color: str, watch: bool) -> None:
    """Check rule packs: names, types, strata, tables, tests. A directory means every *.rules below it."""
    if watch:
        run_watching(ctx, [*paths, *pack_roots])
        return
    limits = PackLimits(max_file_bytes=max_file_size, max_depth=max_depth, max_rules=max_rules,
                        max_files=max_files)
    try:
        results = check_paths(paths, pack_roots, strict=strict, limits=limits)
    except LoadError as exc:
        click.echo(escape_controls(f"imgrules: {exc}"), err=True)
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
        colored = use_color(color)
        for result in results:
            if result.diagnostics:
                click.echo(render_all(result.diagnostics, result.sources, color=colored), color=colored)
                click.echo()
        click.echo(summary)
    failed = errors > 0 or (strict and warnings > 0)
    ctx.exit(1 if failed else 0)
