"""``imgrules test PATH...``: run the tests written inside packs; optionally measure their
coverage (``--coverage``, ``--fail-under``) and fuzz the packs' invariants (``--fuzz``)."""

from __future__ import annotations

import click

from .._diagnostics import render_all
from .._safetext import escape_controls
from .options import color_option, engine_limits, use_color
from .watch import run_watching, watch_option


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-k", "keyword", help="Only run tests whose id (file::name) matches this expression.")
@click.option("--pack-root", "roots", multiple=True, type=click.Path(file_okay=False),
              help="Another folder to look for imported packs in.")
@click.option("--junit-xml", "junit", type=click.Path(dir_okay=False), help="Write a JUnit XML report.")
@click.option("-v", "--verbose", is_flag=True, help="List every test, not only failures.")
@click.option("--coverage", is_flag=True,
              help="Report which rules, table rows, deadline/window statuses and condition outcomes "
                   "the tests exercised.")
@click.option("--fail-under", "fail_under", type=click.FloatRange(0, 100), default=None,
              help="With --coverage: exit 1 when the total coverage is below PCT.", metavar="PCT")
@click.option("--fuzz", "fuzz", type=click.IntRange(1, None), default=None, metavar="N",
              help="Also check every invariant on N generated profiles (needs hypothesis).")
@click.option("--seed", "seed", type=int, default=None,
              help="With --fuzz: draw profiles from this seed (default: a fixed, derandomized run).")
@click.option("--max-firings", type=click.IntRange(min=1), default=None, metavar="N",
              help="Fail a test whose evaluation fires rules more often (default 5,000,000).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Fail a test whose evaluation runs longer (default 60).")
@color_option
@watch_option
def command(paths, keyword, roots, junit, verbose, coverage, fail_under, fuzz, seed,
            max_firings, timeout, color, watch):
    """Run every test inside the packs found under PATHS; exit 0 only when none failed."""
    if watch:
        run_watching(click.get_current_context(), [*paths, *roots])
        return
    from .._loader import LoadError
    from ..testing import run_tests

    if fail_under is not None and not coverage:
        raise click.UsageError("--fail-under needs --coverage")
    if seed is not None and fuzz is None:
        raise click.UsageError("--seed needs --fuzz")
    try:
        runs = run_tests(paths, roots, keyword=keyword, coverage=coverage,
                         limits=engine_limits(max_firings, None, timeout))
    except (LoadError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    color = use_color(color)
    failed = passed = broken = 0
    for run in runs:
        if run.broken:
            broken += 1
            click.echo(escape_controls(f"{run.path}: cannot run its tests; the pack has errors:"), err=True)
            click.echo(render_all(run.diagnostics, run.sources, color), err=True, color=color)
            continue
        for outcome in run.outcomes:
            if outcome.status == "passed":
                passed += 1
                if verbose:
                    click.echo(escape_controls(f"PASS {outcome.path}:{outcome.line} {outcome.name}"))
                continue
            failed += 1
            label = click.style("FAIL", fg="red", bold=True) if color else "FAIL"
            where = escape_controls(f"{outcome.path}:{outcome.line} {outcome.name} - {outcome.title}")
            click.echo(f"{label} {where}", color=color)
            if outcome.message:
                click.echo(escape_controls(f"    error: {outcome.message}", keep="\n"))
            for result in outcome.expectations:
                if not result.ok:
                    click.echo(escape_controls(f"    line {result.expect.span.line}: {result.detail}"))
            if outcome.explanation:
                for line in outcome.explanation.splitlines():
                    click.echo(escape_controls(f"      | {line}"))
    if junit:
        from ..testing.junit import write_junit

        write_junit(junit, runs)
    below = False
    if coverage:
        from ..testing.suite import coverage_of

        report = coverage_of(runs)
        click.echo(report.text())
        click.echo(f"total coverage: {report.percent:.1f}%")
        if fail_under is not None and report.percent < fail_under:
            below = True
            click.echo(f"coverage {report.percent:.1f}% is below --fail-under {fail_under:g}%")
    fuzz_failed = 0
    if fuzz is not None:
        fuzz_failed = _fuzz(runs, fuzz, seed)
    summary = f"{passed} passed, {failed} failed"
    if broken:
        summary += f", {broken} {'pack' if broken == 1 else 'packs'} with errors"
    click.echo(summary)
    raise click.exceptions.Exit(1 if failed or broken or below or fuzz_failed else 0)


def _fuzz(runs, examples: int, seed: int | None) -> int:
    """Fuzz each pack that checked; print each result; the number of packs that failed."""
    try:
        from ..testing.fuzz import fuzz_pack
    except ImportError as exc:  # hypothesis is not installed
        raise click.UsageError(f"--fuzz needs the hypothesis package: pip install 'imgrules[fuzz]' ({exc})") from None
    failures = 0
    for run in runs:
        if run.broken or run.network is None:
            continue
        result = fuzz_pack(run.network, run.checked, examples, seed, path=run.path)
        click.echo(result.text())
        failures += not result.ok
    return failures
