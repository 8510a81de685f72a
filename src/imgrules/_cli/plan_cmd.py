"""``imgrules plan PROFILE``: the applicant's month-by-month plan, T-12 to T-0.

Parsing and output only: the plan is :func:`imgrules._plan.build_plan` over one evaluation;
the shared option handling lives in :mod:`.options`.
"""

from __future__ import annotations

import click

from .options import (Evaluator, OneLineCommand, check_profile_files, common_options, emit,
                      engine_limits, parse_as_of, stdout_style)

PLAN_FORMATS = ("text", "html", "json")


@click.command(cls=OneLineCommand, name="plan")
@click.argument("profile", metavar="PROFILE")
@common_options(PLAN_FORMATS)
def command(profile: str, pack: str | None, as_of: str | None, fmt: str, out: str | None,
            max_firings: int | None, max_facts: int | None, timeout: float | None,
            color: str, pack_roots: tuple[str, ...] = ()) -> None:
    """Show PROFILE's month-by-month plan: deadlines with their status, windows, each
    month's reminders and the flags active now. --format html draws a printable timeline.

    Exit status: 0 done, 1 the profile or pack has errors, 2 usage or I/O error.
    """
    from .._plan import build_plan
    from .._render import _common, plan_html, plan_text

    name = "plan"
    day = parse_as_of(name, as_of)
    check_profile_files(name, (profile,))
    evaluator = Evaluator(name, pack, day, engine_limits(max_firings, max_facts, timeout),
                          pack_roots)
    done = evaluator.evaluate(profile)
    if done is None:
        raise click.exceptions.Exit(1)
    compiled, results, data = done
    # the reminders of each month as they apply to this profile: evaluated as of that
    # month, with the same pack (and, for the current month, this evaluation)
    plan = build_plan(compiled, results, data if day is None else _with_as_of(data, day))
    if fmt == "json":
        text = _common.dumps(plan.to_json())
    elif fmt == "html":
        text = plan_html.render(plan)
    else:
        text = plan_text.render(plan, stdout_style(out, color))
    emit(name, text, out)


def _with_as_of(data, day):
    """The profile data with ``--as-of`` in place of its own (the plan's evaluations of
    other months set their own day; this keeps the profile's other facts as given)."""
    return {**data, "as_of": day} if isinstance(data, dict) else data
