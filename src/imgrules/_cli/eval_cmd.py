"""``imgrules eval PROFILE...``: evaluate profiles against a pack and show where each stands.

Argument parsing and output only: packs are loaded and evaluated through
:mod:`imgrules._api`, results rendered by :mod:`imgrules._render`; the option handling
shared with the other commands lives in :mod:`.options`.
"""

from __future__ import annotations

import click

from .options import (Evaluator, OneLineCommand, check_profile_files, common_options, emit,
                      engine_limits, parse_as_of, stdout_style)

EVAL_FORMATS = ("text", "json", "markdown", "html")
VIEWS = ("applicant", "advisor")


@click.command(cls=OneLineCommand, name="eval")
@click.argument("profiles", nargs=-1, required=True, metavar="PROFILE...")
@common_options(EVAL_FORMATS)
@click.option("--view", type=click.Choice(VIEWS), default="applicant", show_default=True,
              help="applicant: plain words only; advisor: also rule ids, reasons and "
                   "where each rule is written (text, markdown, html).")
@click.option("--all", "show_all", is_flag=True, default=False,
              help="Show every finding (by default the report keeps to two screens).")
def command(profiles: tuple[str, ...], pack: str | None, as_of: str | None, fmt: str,
            out: str | None, max_firings: int | None, max_facts: int | None,
            timeout: float | None, color: str, pack_roots: tuple[str, ...] = (),
            view: str = "applicant",
            show_all: bool = False) -> None:
    """Evaluate applicant PROFILE files (YAML, JSON or TOML) and report on each: the few
    things to do this month, where the applicant stands, the rest by topic, and the facts
    to record. The report keeps to two screens (80 lines at 80 columns); --all shows
    everything, --view advisor adds rule ids, reasons and where each rule is written.

    Exit status: 0 evaluated, 1 a profile or pack has errors (or an evaluation went past
    a limit), 2 usage or I/O error.
    """
    name = "eval"
    day = parse_as_of(name, as_of)
    check_profile_files(name, profiles)
    evaluator = Evaluator(name, pack, day, engine_limits(max_firings, max_facts, timeout),
                          pack_roots)
    results = []
    for profile in profiles:
        done = evaluator.evaluate(profile)
        if done is not None:
            _, evaluated, data = done
            results.append((profile, evaluated.to_json(), data))
    if evaluator.errors:
        raise click.exceptions.Exit(1)
    emit(name, render_results(results, fmt, out, color, view, show_all,
                              labels=evaluator.labels()), out)


def render_results(results: list[tuple[str, dict, dict]], fmt: str, out: str | None,
                   color: str = "auto", view: str = "applicant", full: bool = False,
                   labels: dict[str, str] | None = None) -> str:
    """(label, result, profile data) items in ``fmt``; JSON is the results contract exactly
    (``view`` and ``full`` shape the views people read; ``labels`` are the enum values'
    display labels the packs declare, which the reports use first)."""
    # only the renderer asked for is imported (the CLI's lazy imports: docs/internals.md)
    if fmt == "json":
        from .._render._common import dumps

        data = [item[1] for item in results]
        return dumps(data[0] if len(data) == 1 else data)
    from .._render import words

    with words.declared(labels or {}):
        return _render_report(results, fmt, out, color, view, full)


def _render_report(results, fmt, out, color, view, full) -> str:
    if fmt == "markdown":
        from .._render import markdown

        return markdown.render(results, view=view, full=full)
    if fmt == "html":
        from .._render import html

        return html.render(results, view=view, full=full)
    from .._render import text

    return text.render(results, stdout_style(out, color), view=view, full=full)
