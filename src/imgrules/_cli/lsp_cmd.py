"""``imgrules lsp``: the language server, speaking the Language Server Protocol on stdio.

Editors start it themselves (the VS Code extension in ``editors/vscode`` does); it needs
the ``lsp`` extra. Exit status 2 when pygls is not installed.
"""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only way).")
@click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
              help="A directory to look up imported packs in (before the built-in roots); repeatable.")
@click.pass_context
def command(ctx: click.Context, stdio: bool, pack_roots: tuple[str, ...]) -> None:
    """Run the language server for .rules files (diagnostics, hover, definitions, completion,
    outline, formatting) on standard input and output."""
    try:
        from .._lsp.server import serve
    except ImportError as exc:
        click.echo(f"imgrules lsp: the language server needs pygls ({exc.name} is missing); "
                   "install it with: pip install 'imgrules[lsp]'", err=True)
        ctx.exit(2)
        return
    serve(pack_roots)
