"""``imgrules schema``: the profile's JSON Schema (draft 2020-12), from a pack's declarations.

Editors validate and complete profile files with it (the YAML language server reads a
``# yaml-language-server: $schema=...`` line). Exit status: 0 written, 1 the pack has
errors, 2 usage or I/O error.
"""

from __future__ import annotations

import json

import click

from .options import OneLineCommand, emit, fail

DEFAULT_PACK = "img.core"  # declares the profile every shipped pack reads


@click.command("schema", cls=OneLineCommand)
@click.option("--pack", default=DEFAULT_PACK, show_default=True, metavar="PACK",
              help="The pack whose profile to describe: a .rules file or a pack name.")
@click.option("--pack-root", "pack_roots", multiple=True, type=click.Path(file_okay=False),
              help="A directory to look up imported packs in (before the built-in roots); repeatable.")
@click.option("--id", "schema_id", metavar="URL", help="The schema's $id (where it will be published).")
@click.option("--out", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output.")
def command(pack: str, pack_roots: tuple[str, ...], schema_id: str | None, out: str | None) -> None:
    """Print the JSON Schema of the profile that PACK reads: every field with its type,
    whether it is required, its bounds and its comment in the pack."""
    from .._check import check_pack
    from .._check.model import CheckedPack
    from .._diagnostics import render_all
    from .._facts.json_schema import field_docs, profile_json_schema
    from .._loader import LoadError, load_packs

    try:
        packset = load_packs(pack, pack_roots)
    except LoadError as exc:
        fail("schema", f"--pack: {exc}")
    checked: CheckedPack = check_pack(packset)
    if not checked.ok:
        click.echo(render_all([d for d in checked.diagnostics if d.is_error], checked.sources), err=True)
        fail("schema", f"pack '{pack}' has errors", code=1)
    if checked.schema.profile is None:
        fail("schema", f"pack '{pack}' declares no profile {{ ... }} (nor do its imports)", code=1)
    document = profile_json_schema(checked.schema, field_docs(checked.packs, checked.sources),
                                   title=f"Profile read by the rule pack {checked.root.name}",
                                   schema_id=schema_id)
    emit("schema", json.dumps(document, indent=2, ensure_ascii=False) + "\n", out)
