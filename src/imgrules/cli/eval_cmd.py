"""``imgrules eval PROFILE...``: evaluate profiles against a pack and show where each stands.

Argument parsing and output only: packs are loaded and evaluated through
:mod:`imgrules.api`, results rendered by :mod:`imgrules.render`. The helpers below (one-line
usage errors, profile errors, atomic output, the evaluator) are shared with ``plan``.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..tracks import pack_for_data

EVAL_FORMATS = ("text", "json", "markdown", "html")


class OneLineCommand(click.Command):
    """A command whose usage errors (a bad option, a missing argument) are one line on
    stderr and exit 2, instead of click's usage block."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            fail(info_name or self.name or "imgrules", exc.format_message())


def fail(command: str, message: str, code: int = 2):
    """Print ``imgrules CMD: error: message`` and stop with ``code``."""
    click.echo(f"imgrules {command}: error: {message}", err=True)
    raise click.exceptions.Exit(code)


def parse_as_of(command: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(command, f"--as-of: '{text}' is not a date (use YYYY-MM-DD)")


def check_format(command: str, fmt: str, allowed: tuple[str, ...]) -> str:
    if fmt not in allowed:
        fail(command, f"--format: '{fmt}' is not one of {', '.join(allowed)}")
    return fmt


def check_profile_files(command: str, paths: tuple[str, ...]) -> None:
    for path in paths:
        if not Path(path).is_file():
            what = "is a directory" if Path(path).is_dir() else "no such file"
            fail(command, f"{path}: {what}")


class Evaluator:
    """Loads each pack once and evaluates profiles, turning the API's errors into exits."""

    def __init__(self, command: str, pack: str | None, as_of: dt.date | None, limits=None):
        self.command = command
        self.pack = pack
        self.as_of = as_of
        self.limits = limits  # imgrules.engine.Limits, or None for the defaults
        self._packs: dict[str, Any] = {}
        self.errors = 0

    def compiled(self, target: str):
        from .. import api
        from ..diagnostics import DiagnosticError
        from ..loader import LoadError

        if target not in self._packs:
            try:
                self._packs[target] = api.load(target)
            except DiagnosticError as exc:
                click.echo(str(exc), err=True)
                fail(self.command, f"pack '{target}' has errors", code=1)
            except LoadError as exc:
                fail(self.command, f"--pack: {_reason(exc)}")
            except (FileNotFoundError, LookupError) as exc:
                fail(self.command, f"--pack: cannot load '{target}': {_reason(exc)}")
            except OSError as exc:
                fail(self.command, f"cannot read pack '{target}': {_reason(exc)}")
        return self._packs[target]

    def evaluate(self, profile: str):
        """(compiled pack, results, profile data) for one profile file, or None after
        reporting its issues. The file is read once: its ``track`` picks the shipped pack
        (unless ``--pack``), and its data as read shows values in reasons."""
        from .. import api
        from ..engine import EvaluationLimitError
        from ..facts.errors import ProfileError, ProfileReadError
        from ..facts.reader import load_profile_file

        try:
            raw = load_profile_file(profile)
            compiled = self.compiled(self.pack or pack_for_data(raw.data))
            results = api.evaluate(compiled, raw, as_of=self.as_of, limits=self.limits)
        except ProfileReadError as exc:
            fail(self.command, str(exc))
        except ProfileError as exc:
            report_profile_error(exc, profile)
            self.errors += 1
            return None
        except EvaluationLimitError as exc:
            click.echo(f"{profile}: {exc}", err=True)
            self.errors += 1
            return None
        return compiled, results, raw.data


def _reason(exc: BaseException) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__


def report_profile_error(exc: Exception, source: str) -> None:
    """Every issue of a bad profile, one ``file: $.path: message`` line each."""
    issues = getattr(exc, "issues", None)
    if not issues:
        click.echo(f"{source}: {exc}", err=True)
        return
    src = getattr(exc, "source", None) or source
    for issue in issues:
        line = getattr(issue, "line", None)
        where = f"{src}:{line}" if line else src
        click.echo(f"{where}: {issue.path}: {issue.message}", err=True)


def emit(command: str, text: str, out: str | None) -> None:
    """To ``--out`` (atomically) or to stdout."""
    if out is None:
        click.echo(text, nl=False)
        return
    from ..fsutil import atomic_write_text

    try:
        atomic_write_text(out, text)
    except OSError as exc:
        fail(command, f"--out: cannot write {out}: {exc.strerror or exc}")


def stdout_style(out: str | None):
    """Colour and width for text on stdout; plain for a file."""
    from ..render.text import Style, terminal_style

    return Style() if out is not None else terminal_style(sys.stdout)


def engine_limits(max_firings: int | None, max_facts: int | None, timeout: float | None):
    """The evaluation limits the options ask for (the engine's defaults for the rest)."""
    from ..engine import Limits

    given = {"max_firings": max_firings, "max_facts": max_facts, "max_seconds": timeout}
    return Limits(**{k: v for k, v in given.items() if v is not None})


def common_options(formats: tuple[str, ...]) -> Callable:
    """--pack, --as-of, --format, --out and the evaluation limits, as both commands take them."""
    def decorate(func):
        func = click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
                            metavar="SECONDS",
                            help="Stop an evaluation that runs longer (default 60).")(func)
        func = click.option("--max-facts", type=click.IntRange(min=1), default=None, metavar="N",
                            help="Stop an evaluation that derives more facts (default 1,000,000).")(func)
        func = click.option("--max-firings", type=click.IntRange(min=1), default=None, metavar="N",
                            help="Stop an evaluation after this many rule firings "
                                 "(default 5,000,000).")(func)
        func = click.option("--out", metavar="FILE", default=None,
                            help="Write to FILE (atomically) instead of stdout.")(func)
        func = click.option("--format", "fmt", metavar="|".join(formats), default="text",
                            help=f"Output format: {', '.join(formats)} (default text).")(func)
        func = click.option("--as-of", "as_of", metavar="DATE", default=None,
                            help="Evaluate as of this day (YYYY-MM-DD) instead of the "
                                 "profile's as_of or today.")(func)
        func = click.option("--pack", metavar="P", default=None,
                            help="A pack file, folder or shipped name (img.reapplication); "
                                 "default: the shipped pack for the profile's track.")(func)
        return func
    return decorate


@click.command(cls=OneLineCommand, name="eval")
@click.argument("profiles", nargs=-1, required=True, metavar="PROFILE...")
@common_options(EVAL_FORMATS)
def command(profiles: tuple[str, ...], pack: str | None, as_of: str | None, fmt: str,
            out: str | None, max_firings: int | None, max_facts: int | None,
            timeout: float | None) -> None:
    """Evaluate applicant PROFILE files (YAML, JSON or TOML) and show where each stands:
    phase, tiers, what is overdue, red flags, what comes next.

    Exit status: 0 evaluated, 1 a profile or pack has errors (or an evaluation went past
    a limit), 2 usage or I/O error.
    """
    name = "eval"
    check_format(name, fmt, EVAL_FORMATS)
    day = parse_as_of(name, as_of)
    check_profile_files(name, profiles)
    evaluator = Evaluator(name, pack, day, engine_limits(max_firings, max_facts, timeout))
    results = []
    for profile in profiles:
        done = evaluator.evaluate(profile)
        if done is not None:
            _, evaluated, data = done
            results.append((profile, evaluated.to_json(), data))
    if evaluator.errors:
        raise click.exceptions.Exit(1)
    emit(name, render_results(results, fmt, out), out)


def render_results(results: list[tuple[str, dict, dict]], fmt: str, out: str | None) -> str:
    """(label, result, profile data) items in ``fmt``; JSON is the results contract exactly."""
    from ..render import _common, html, markdown, text

    if fmt == "json":
        data = [item[1] for item in results]
        return _common.dumps(data[0] if len(data) == 1 else data)
    if fmt == "markdown":
        return markdown.render(results)
    if fmt == "html":
        return html.render(results)
    return text.render(results, stdout_style(out))
