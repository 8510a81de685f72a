"""``--watch`` for ``check`` and ``test``: run the command again each time a pack changes.

The command runs once, then again after every save of a ``.rules`` file in the folders of
its paths and its pack roots (with a short pause, so that an editor's save-all is one
run). Ctrl-C stops watching (exit 0). File events come from the ``watchfiles`` library
(the ``watch`` extra), which uses the operating system's notifications instead of polling.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Callable, Iterable
from pathlib import Path

import click

DEBOUNCE_MS = 300


def watch_option(func: Callable) -> Callable:
    return click.option("--watch", is_flag=True,
                        help="Run again whenever a .rules file changes (Ctrl-C stops; needs "
                             "the watch extra).")(func)


def _folders(paths: Iterable[str]) -> list[str]:
    """The folders to watch: each path's own folder (a file's parent), existing, once each."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        folder = folder.resolve()
        if folder.is_dir() and str(folder) not in out:
            out.append(str(folder))
    return out


def _pack_file(_change, path: str) -> bool:
    return path.endswith(".rules")


def run_watching(ctx: click.Context, paths: Iterable[str]) -> None:
    """Run the current command (without ``--watch``) now and after each change; never returns
    normally except when watching stops."""
    try:
        from watchfiles import watch
    except ImportError as exc:
        raise click.UsageError(f"--watch needs the watchfiles package: pip install 'imgrules[watch]' "
                               f"({exc})") from None
    params = {**ctx.params, "watch": False}
    name = ctx.info_name or ctx.command.name

    def once() -> None:
        try:
            ctx.invoke(ctx.command.callback, **params)
        except click.exceptions.Exit:
            pass
        except click.ClickException as exc:
            exc.show()

    folders = _folders(paths)
    try:
        once()
        click.echo(f"--- watching {', '.join(folders)} for changes to .rules files (Ctrl-C stops) ---")
        for changes in watch(*folders, watch_filter=_pack_file, debounce=DEBOUNCE_MS):
            changed = sorted({Path(p).name for _kind, p in changes})
            when = dt.datetime.now().strftime("%H:%M:%S")
            click.echo(f"\n--- {when} {', '.join(changed)} changed: imgrules {name} again ---")
            once()
    except KeyboardInterrupt:  # Ctrl-C, while waiting or in the middle of a run
        # a second Ctrl-C, or one the file watcher saw and Python has yet to raise, must not
        # turn the clean stop into an abort (exit 130)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctx.exit(0)
