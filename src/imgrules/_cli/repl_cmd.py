"""``imgrules repl``: ask a pack questions about one profile, one line at a time.

On a terminal the prompt has history (kept in the user's state folder) and completion of
names (prompt_toolkit, the ``repl`` extra); with input from a pipe each line is answered
in turn, which makes the REPL scriptable. Exit status: 0, or 1 when a piped line had an
error; 2 when the pack or profile cannot be loaded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .options import OneLineCommand, fail, parse_as_of

DEFAULT_PACK = "img.core"


def _history_file() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "imgrules" / "repl_history"


@click.command("repl", cls=OneLineCommand)
@click.argument("profile", required=False, type=click.Path(dir_okay=False))
@click.option("--pack", default=None, metavar="PACK",
              help="A .rules file or pack name (default: the shipped pack for the profile's track, "
                   f"or {DEFAULT_PACK} without a profile).")
@click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
              help="A directory to look up imported packs in (before the built-in roots); repeatable.")
@click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (YYYY-MM-DD).")
def command(profile: str | None, pack: str | None, pack_roots: tuple[str, ...], as_of: str | None) -> None:
    """Evaluate expressions and conditions of the rule language against PROFILE
    (years_out, count(us_letters) >= 3), and ask why a rule fired (why RULE)."""
    from .._diagnostics import DiagnosticError
    from .._errors import Error
    from .._repl import Workbench

    day = parse_as_of("repl", as_of)
    if pack is None:
        pack = DEFAULT_PACK
        if profile is not None:
            from .._facts import load_profile_file
            from .._tracks import pack_for_data

            try:
                pack = pack_for_data(load_profile_file(profile).data)
            except Error as exc:
                fail("repl", str(exc))
    try:
        bench = Workbench(pack, profile, pack_roots, day)
    except DiagnosticError as exc:
        click.echo(str(exc), err=True)
        fail("repl", f"pack '{pack}' has errors")
    except Error as exc:
        fail("repl", str(exc))
    if sys.stdin.isatty() and sys.stdout.isatty():
        _interactive(bench)
        return
    failed = False
    for line in sys.stdin:
        if line.strip() in (":quit", ":q", "exit", "quit"):
            break
        answer = bench.answer(line)
        if answer is not None:
            click.echo(answer.text)
            failed = failed or answer.error
    raise click.exceptions.Exit(1 if failed else 0)


def _interactive(bench) -> None:
    try:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.completion import WordCompleter
        from prompt_toolkit.history import FileHistory
    except ImportError as exc:
        fail("repl", f"the interactive prompt needs prompt_toolkit: pip install 'imgrules[repl]' ({exc})")
    history = _history_file()
    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        store = FileHistory(str(history))
    except OSError:
        from prompt_toolkit.history import InMemoryHistory

        store = InMemoryHistory()
    session = PromptSession(history=store, completer=WordCompleter(bench.words(), WORD=True))
    click.echo(f"imgrules repl: pack {bench.compiled.name}; :help for help, Ctrl-D to leave")
    while True:
        try:
            line = session.prompt("> ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
        if line.strip() in (":quit", ":q", "exit", "quit"):
            return
        answer = bench.answer(line)
        if answer is not None:
            click.echo(click.style(answer.text, fg="red") if answer.error else answer.text)
