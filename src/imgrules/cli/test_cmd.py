"""``imgrules test PATH...``: run the tests written inside packs."""

from __future__ import annotations

import click

from ..diagnostics import render_all
from .common import color_enabled


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-k", "keyword", help="Only run tests whose id (file::name) matches this expression.")
@click.option("--pack-root", "roots", multiple=True, type=click.Path(file_okay=False),
              help="Another folder to look for imported packs in.")
@click.option("--junit-xml", "junit", type=click.Path(dir_okay=False), help="Write a JUnit XML report.")
@click.option("-v", "--verbose", is_flag=True, help="List every test, not only failures.")
def command(paths, keyword, roots, junit, verbose):
    """Run every test inside the packs found under PATHS; exit 0 only when none failed."""
    from ..loader import LoadError
    from ..testing import run_tests

    try:
        runs = run_tests(paths, roots, keyword=keyword)
    except (LoadError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    color = color_enabled()
    failed = passed = broken = 0
    for run in runs:
        if run.broken:
            broken += 1
            click.echo(f"{run.path}: cannot run its tests; the pack has errors:", err=True)
            click.echo(render_all(run.diagnostics, run.sources, color), err=True)
            continue
        for outcome in run.outcomes:
            if outcome.status == "passed":
                passed += 1
                if verbose:
                    click.echo(f"PASS {outcome.path}:{outcome.line} {outcome.name}")
                continue
            failed += 1
            label = click.style("FAIL", fg="red", bold=True) if color else "FAIL"
            click.echo(f"{label} {outcome.path}:{outcome.line} {outcome.name} - {outcome.title}")
            if outcome.message:
                click.echo(f"    error: {outcome.message}")
            for result in outcome.expectations:
                if not result.ok:
                    click.echo(f"    line {result.expect.span.line}: {result.detail}")
            if outcome.explanation:
                for line in outcome.explanation.splitlines():
                    click.echo(f"      | {line}")
    if junit:
        from ..testing.junit import write_junit

        write_junit(junit, runs)
    summary = f"{passed} passed, {failed} failed"
    if broken:
        summary += f", {broken} {'pack' if broken == 1 else 'packs'} with errors"
    click.echo(summary)
    raise click.exceptions.Exit(1 if failed or broken else 0)
