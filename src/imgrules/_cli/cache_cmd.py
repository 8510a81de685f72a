"""``imgrules cache info|clear``: where the caches of compiled packs and parser tables
are, what they hold, and emptying them. See :mod:`imgrules._cachedir`."""

from __future__ import annotations

import os

import click

from .._cachedir import (KEY_FILE, PrivateDir, cache_dir, cache_entries, clear_cache, data_dir,
                        user_key)

_NOT_PRIVATE = ("it is not used: it must be a directory (not a symlink) of yours that "
                "nobody else can write to")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n} GB"


def _where() -> tuple:
    """(cache path or None when turned off, its PrivateDir or None, whether it exists)."""
    path = cache_dir()
    if path is None:
        return None, None, False
    return path, PrivateDir.at(path), os.path.lexists(path)


@click.group("cache")
def command() -> None:
    """Show or empty the cache of compiled packs and parser tables.

    The cache lives in $IMGRULES_CACHE_DIR, else $XDG_CACHE_HOME/imgrules, else
    ~/.cache/imgrules (IMGRULES_CACHE_DIR set empty turns it off). Entries are signed
    with a secret key kept in $IMGRULES_DATA_DIR (else $XDG_DATA_HOME/imgrules, else
    ~/.local/share/imgrules); a file without a valid signature is never used.
    """


@command.command("info")
def info() -> None:
    """Print the cache's location, its entries by kind and their total size."""
    path, d, exists = _where()
    if path is None:
        click.echo("cache: off (IMGRULES_CACHE_DIR is set empty)")
        return
    click.echo(f"cache: {path}")
    if d is None:
        click.echo("  not created yet" if not exists else f"  {_NOT_PRIVATE}")
    else:
        with d:
            entries = cache_entries(d)
        kinds: dict[str, list[int]] = {}
        for _, size, kind in entries:
            kinds.setdefault(kind, []).append(size)
        for kind, sizes in sorted(kinds.items()):
            click.echo(f"  {kind}: {len(sizes)} ({_size(sum(sizes))})")
        total = sum(size for _, size, _ in entries)
        click.echo(f"  entries: {len(entries)}, size: {_size(total)}")
    key_dir = data_dir()
    if key_dir is None:
        click.echo("signing key: off (IMGRULES_DATA_DIR is set empty), so nothing is cached")
    else:
        key = key_dir / KEY_FILE
        if not os.path.lexists(key):
            note = " (made on first use)"
        elif user_key(create=False) is None:
            note = (" is not used, so nothing is cached: it must be a 32-byte file of yours "
                    "that only you can read (mode 0600), in a folder only you can write")
        else:
            note = ""
        click.echo(f"signing key: {key}{note}")


@command.command("clear")
def clear() -> None:
    """Delete every cache entry (the next run compiles again). Files imgrules did not
    write are left alone; so is the signing key."""
    path, d, exists = _where()
    if path is None:
        click.echo("cache: off (IMGRULES_CACHE_DIR is set empty); nothing to clear")
        return
    if d is None:
        if exists:
            raise click.ClickException(f"{path}: {_NOT_PRIVATE}; not cleared")
        click.echo(f"cache: {path} does not exist; nothing to clear")
        return
    with d:
        removed, freed = clear_cache(d)
    click.echo(f"cache: {path}: removed {removed} {'entry' if removed == 1 else 'entries'} "
               f"({_size(freed)})")
