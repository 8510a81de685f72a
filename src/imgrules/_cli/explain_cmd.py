"""``imgrules explain PROFILE RULE``: why a rule fired, or why not."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

import click

from .._resources import rules_dir
from .._errors import Error
from .._loader import is_pack_name
from .._safetext import escape_controls, escape_json_text
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
    from .. import _api as api
    from .._diagnostics import DiagnosticError
    from .._errors import LoadError
    from .._explanation import UnknownRuleError
    from .._facts import ProfileError

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
    packs = [name for name, _ in compiled.network.packs]
    own = "did you mean" in str(exc)
    return elsewhere_hint(exc.rule, packs[-1], roots, skip=set(packs), closest=not own) or str(exc)


def pack_names(roots=()) -> list[str]:
    """Every pack name under ``roots`` and the shipped packs (``img.reapplication``), sorted."""
    dirs = [Path(r) for r in roots]
    try:
        dirs.append(rules_dir())
    except FileNotFoundError:
        pass
    names = set()
    for root in dirs:
        if not root.is_dir():
            continue
        for path in root.rglob("*.rules"):
            dotted = ".".join(path.relative_to(root).with_suffix("").parts)
            if is_pack_name(dotted):
                names.add(dotted)
    return sorted(names)


def rules_elsewhere(roots=(), *, skip=(), limit: int = 50) -> dict[str, list[str]]:
    """The rule-like declarations of every pack in ``roots`` or shipped, by the pack that
    declares them (``{"img.reapplication": ["ra_12_autopsy_borderline", ...]}``), for a
    hint when a rule is not in the pack being explained. Packs in ``skip``, and packs that
    do not load or check, are passed over; at most ``limit`` packs are loaded."""
    from .. import _api as api

    found: dict[str, list[str]] = {}
    for name in [n for n in pack_names(roots) if n not in skip][:limit]:
        try:
            network = api.load(name, roots).network
        except (Error, OSError):
            continue
        for info in network.rules:
            if info.pack not in skip and info.id not in found.setdefault(info.pack, []):
                found[info.pack].append(info.id)
    return {pack: ids for pack, ids in found.items() if ids}


def elsewhere_hint(rule_id: str, current: str, roots=(), *, skip=(), closest: bool = True) -> str:
    """Where a rule missing from pack ``current`` is declared instead: ``rule 'x' is not in
    P but in Q: add --pack Q``, or (with ``closest``) the closest name another pack
    declares (``did you mean 'x' (in Q: add --pack Q)?``); '' when no other pack has it."""
    elsewhere = rules_elsewhere(roots, skip=skip)
    exact = [pack for pack, ids in elsewhere.items() if rule_id in ids]
    if exact:
        return (f"rule {rule_id!r} is not in {current} but in {' and '.join(exact)}: "
                f"add --pack {exact[0]}")
    close = difflib.get_close_matches(rule_id, sorted({i for ids in elsewhere.values() for i in ids}),
                                      n=1, cutoff=0.7) if closest else []
    if not close:
        return ""
    pack = next(p for p, ids in elsewhere.items() if close[0] in ids)
    return (f"no rule, deadline, window or table named {rule_id!r} in {current}; "
            f"did you mean {close[0]!r} (in {pack}: add --pack {pack})?")


def _pack_for(profile: str) -> str:
    """The shipped pack for the profile's track (first_time -> img.first_application)."""
    from .._facts import load_profile_file

    raw = load_profile_file(profile)
    track = raw.data.get("track") if isinstance(raw.data, dict) else None
    return "img.reapplication" if track == "reapplicant" else "img.first_application"
