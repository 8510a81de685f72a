"""``imgrules explain PROFILE RULE``: why a rule fired, or why not."""

from __future__ import annotations

import datetime as dt
import json

import click

from ..safetext import escape_controls, escape_json_text
from .options import Choice, pack_root_option


@click.command("explain")
@click.argument("profile", type=click.Path(dir_okay=False))
@click.argument("rule")
@click.option("--pack", "pack", default=None, help="Pack file or name (default: by the profile's track).")
@pack_root_option
@click.option("--as-of", "as_of", default=None, help="Evaluate as of this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=Choice(("text", "json")), default="text")
def command(profile: str, rule: str, pack: str | None, pack_roots: tuple[str, ...], as_of: str | None,
            fmt: str) -> None:
    """Explain why RULE fired for PROFILE (derivation tree) or why it did not."""
    from .. import api
    from ..diagnostics import DiagnosticError
    from ..errors import LoadError
    from ..explanation import UnknownRuleError
    from ..facts import ProfileError

    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise click.UsageError(f"--as-of: '{as_of}' is not a date (YYYY-MM-DD)") from None
    try:
        target = pack or _pack_for(profile)
        compiled = api.load(target, pack_roots)
        explanation = api.explain(compiled, profile, rule, as_of=day)
    except DiagnosticError as exc:
        click.echo(escape_controls(str(exc), keep="\n"), err=True)
        raise click.exceptions.Exit(1) from None
    except ProfileError as exc:
        click.echo(escape_controls(str(exc), keep="\n"), err=True)
        raise click.exceptions.Exit(1) from None
    except LoadError as exc:
        click.echo(escape_controls(f"imgrules explain: --pack: {exc}"), err=True)
        raise click.exceptions.Exit(2) from None
    except UnknownRuleError as exc:
        click.echo(escape_controls(f"imgrules explain: {_elsewhere(exc, compiled, pack_roots)}"), err=True)
        raise click.exceptions.Exit(1) from None
    except KeyError as exc:
        click.echo(escape_controls(f"imgrules explain: {exc.args[0]}"), err=True)
        raise click.exceptions.Exit(1) from None
    if fmt == "json":
        click.echo(escape_json_text(json.dumps(explanation.to_json(), indent=2)))
    else:
        click.echo(escape_controls(explanation.text(), keep="\n"))


def _elsewhere(exc, compiled, roots) -> str:
    """The unknown-rule message: which other pack (in the roots or shipped) declares the
    rule, with the ``--pack`` to add; else the pack's own closest name; else the closest
    name another pack declares."""
    from ..explanation import elsewhere_hint

    packs = [name for name, _ in compiled.network.packs]
    own = "did you mean" in str(exc)
    return elsewhere_hint(exc.rule, packs[-1], roots, skip=set(packs), closest=not own) or str(exc)


def _pack_for(profile: str) -> str:
    """The shipped pack for the profile's track (first_time -> img.first_application)."""
    from ..facts import load_profile_file

    raw = load_profile_file(profile)
    track = raw.data.get("track") if isinstance(raw.data, dict) else None
    return "img.reapplication" if track == "reapplicant" else "img.first_application"
