"""Options and helpers every ``imgrules`` command shares.

One place for: one-line usage errors (:class:`OneLineCommand`, :func:`fail`), enumerated
options (:class:`Choice`), the colour policy (:func:`color_option`, :func:`use_color`),
``--as-of`` dates, profile files, evaluation limits, atomic ``--out`` and the pack
:class:`Evaluator` that ``eval``, ``plan`` and ``batch`` use.

The colour policy is the same for every command: ``--color always`` and ``--color never``
decide; with ``--color auto`` (the default) a non-empty ``NO_COLOR`` turns colour off
(https://no-color.org), a non-empty ``FORCE_COLOR`` turns it on, and otherwise colour is
used only on a terminal.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import click

from .._safetext import escape_controls
from .._tracks import pack_for_data

COLOR_CHOICES = ("auto", "always", "never")


class OneLineCommand(click.Command):
    """A command whose usage errors (a bad option, a missing argument) are one line on
    stderr and exit 2, instead of click's usage block. A bad option value reads
    ``--option: message``."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.BadParameter as exc:
            name = info_name or self.name or "imgrules"
            opts = getattr(exc.param, "opts", None)
            if opts and opts[0].startswith("-"):
                fail(name, f"{opts[0]}: {exc.message}")
            fail(name, exc.format_message())
        except click.UsageError as exc:
            fail(info_name or self.name or "imgrules", exc.format_message())


class Choice(click.Choice):
    """``click.Choice`` (shell completion, listed in ``--help``) whose error names the
    choices plainly: ``'pdf' is not one of text, json``."""

    def convert(self, value: Any, param, ctx):
        if isinstance(value, str) and value in self.choices:
            return value
        self.fail(f"'{value}' is not one of {', '.join(map(str, self.choices))}", param, ctx)


def fail(command: str, message: str, code: int = 2):
    """Print ``imgrules CMD: error: message`` and stop with ``code``."""
    click.echo(f"imgrules {command}: error: {escape_controls(message)}", err=True)
    raise click.exceptions.Exit(code)


# ------------------------------------------------------------------ colour


def color_option(func: Callable) -> Callable:
    """``--color auto|always|never`` (default auto), passed to the command as ``color``."""
    return click.option("--color", "color", type=Choice(COLOR_CHOICES), default="auto",
                        show_default=True,
                        help="Colour the output: auto (on a terminal, unless NO_COLOR is set; "
                             "FORCE_COLOR forces it), always or never.")(func)


def use_color(choice: str = "auto", stream: IO[str] | None = None,
              environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour text written to ``stream`` (stdout by default) under ``choice``."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def stdout_style(out: str | None, color: str = "auto"):
    """Colour and width for text on stdout; plain for a file."""
    from .._render.text import Style, terminal_style

    if out is not None:
        return Style()
    return terminal_style(sys.stdout)._replace(color=use_color(color, sys.stdout))


# ------------------------------------------------------------------ arguments


def parse_as_of(command: str, text: str | None) -> dt.date | None:
    """``--as-of`` as a date, or a one-line usage error."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(command, f"--as-of: '{text}' is not a date (use YYYY-MM-DD)")


def check_profile_files(command: str, paths: tuple[str, ...]) -> None:
    """Every path is a file, or a one-line usage error naming the first that is not."""
    for path in paths:
        if not Path(path).is_file():
            what = "is a directory" if Path(path).is_dir() else "no such file"
            fail(command, f"{path}: {what}")


def engine_limits(max_firings: int | None, max_facts: int | None, timeout: float | None):
    """The evaluation limits the options ask for (the engine's defaults for the rest)."""
    from .._engine import Limits

    given = {"max_firings": max_firings, "max_facts": max_facts, "max_seconds": timeout}
    return Limits(**{k: v for k, v in given.items() if v is not None})


def pack_root_option(func: Callable) -> Callable:
    """``--pack-root DIR`` (repeatable), passed as ``pack_roots``: where ``--pack`` names and
    ``import`` lines are looked up before the shipped packs, as ``check`` and ``test`` do."""
    return click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
                        metavar="DIR",
                        help="A directory to look up packs and their imports in (before the "
                             "built-in roots); repeatable.")(func)


def common_options(formats: tuple[str, ...]) -> Callable:
    """--pack, --pack-root, --as-of, --format, --out, --color and the evaluation limits, as
    ``eval`` and ``plan`` take them."""
    def decorate(func):
        func = color_option(func)
        func = pack_root_option(func)
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
        func = click.option("--format", "fmt", type=Choice(formats), default="text",
                            help=f"Output format: {', '.join(formats)} (default text).")(func)
        func = click.option("--as-of", "as_of", metavar="DATE", default=None,
                            help="Evaluate as of this day (YYYY-MM-DD) instead of the "
                                 "profile's as_of or today.")(func)
        func = click.option("--pack", metavar="P", default=None,
                            help="A pack file, folder or shipped name (img.reapplication); "
                                 "default: the shipped pack for the profile's track.")(func)
        return func
    return decorate


# ------------------------------------------------------------------ output


def emit(command: str, text: str, out: str | None) -> None:
    """To ``--out`` (atomically) or to stdout. The text is written as rendered: it holds
    colour codes only when :func:`use_color` said so (click would strip them off a
    terminal)."""
    if out is None:
        click.echo(text, nl=False, color=True)
        return
    from .._fsutil import atomic_write_text

    try:
        atomic_write_text(out, text)
    except OSError as exc:
        fail(command, f"--out: cannot write {out}: {exc.strerror or exc}")


def report_profile_error(exc: Exception, source: str) -> None:
    """Every issue of a bad profile, one ``file: $.path: message`` line each."""
    issues = getattr(exc, "issues", None)
    if not issues:
        click.echo(escape_controls(f"{source}: {exc}"), err=True)
        return
    src = getattr(exc, "source", None) or source
    for issue in issues:
        line = getattr(issue, "line", None)
        where = f"{src}:{line}" if line else src
        click.echo(escape_controls(f"{where}: {issue.path}: {issue.message}"), err=True)


# ------------------------------------------------------------------ evaluation


class Evaluator:
    """Loads each pack once and evaluates profiles, turning the API's errors into exits."""

    def __init__(self, command: str, pack: str | None, as_of: dt.date | None, limits=None,
                 roots: tuple[str, ...] = ()):
        self.command = command
        self.pack = pack
        self.roots = tuple(roots)  # --pack-root directories, searched before the shipped packs
        self.as_of = as_of
        self.limits = limits  # imgrules._engine.Limits, or None for the defaults
        self._packs: dict[str, Any] = {}
        self.errors = 0

    def compiled(self, target: str):
        from .. import _api as api
        from .._errors import Error, LoadError

        if target not in self._packs:
            try:
                self._packs[target] = api.load(target, self.roots)
            except LoadError as exc:
                fail(self.command, f"--pack: {_reason(exc)}")
            except Error as exc:
                # the diagnostics are imported only when a pack has errors: a cached pack
                # is loaded without them
                from .._diagnostics import DiagnosticError

                if not isinstance(exc, DiagnosticError):
                    raise
                click.echo(escape_controls(str(exc), keep="\n"), err=True)
                fail(self.command, f"pack '{target}' has errors", code=1)
            except (FileNotFoundError, LookupError) as exc:
                fail(self.command, f"--pack: cannot load '{target}': {_reason(exc)}")
            except OSError as exc:
                fail(self.command, f"cannot read pack '{target}': {_reason(exc)}")
        return self._packs[target]

    def labels(self) -> dict[str, str]:
        """The display labels the packs loaded so far declare for enum values."""
        from .._render.words import declared_labels

        out: dict[str, str] = {}
        for compiled in self._packs.values():
            for value, text in declared_labels(compiled.schema).items():
                out.setdefault(value, text)
        return out

    def evaluate(self, profile: str):
        """(compiled pack, results, profile data) for one profile file, or None after
        reporting its issues. The file is read once: its ``track`` picks the shipped pack
        (unless ``--pack``), and its data as read shows values in reasons."""
        from .. import _api as api
        from .._engine import EvaluationLimitError
        from .._facts.errors import ProfileError, ProfileReadError
        from .._facts.reader import load_profile_file

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
            click.echo(escape_controls(f"{profile}: {exc}", keep="\n"), err=True)
            self.errors += 1
            return None
        return compiled, results, raw.data


def _reason(exc: BaseException) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__
