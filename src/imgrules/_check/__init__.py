"""The checker: a :class:`~imgrules._loader.PackSet` -> a :class:`CheckedPack`.

The work is split into passes, each its own module, run in the order of :data:`PASSES`
(like the stage table of OPA's compiler). Every pass reads and extends one
:class:`~.context.Context` and adds diagnostics; none raises for a mistake in the rule
text. A pass can be run alone in a test with :func:`run_passes`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import attrs

from .._diagnostics import Diagnostic, Severity, sort_diagnostics
from .._fsutil import files_below
from .._loader import PackSet, load_packs
from .._source import Source
from . import declarations, names, nesting, offsets, schema, strata, tables, testcases, unsat, unused
from .context import Context
from .model import CheckedPack, PackInfo, RuleEntry

MAX_DIAGNOSTICS = 100

# The ordered stage table. Later passes rely on what earlier ones put in the context.
PASSES: tuple[tuple[str, Callable[[Context], None]], ...] = (
    ("schema", schema.run),              # types: enums, records, facts, the profile
    ("declarations", declarations.run),  # lets, maps, rule ids, tests, examples; duplicates
    ("names", names.run),                # every name resolved, every expression typed
    ("strata", strata.run),              # dependency graph through fact types; negation cycles
    ("tables", tables.run),              # decision tables: cells, outputs, overlaps, gaps
    ("unsat", unsat.run),                # conditions and timings that can never hold
    ("offsets", offsets.run),            # T-k and durations too large for the calendar
    ("unused", unused.run),              # definitions nobody uses
    ("nesting", nesting.run),            # more nested loops than Python compiles
    ("tests", testcases.run),            # examples and tests against the schema and the ids
)


def run_passes(packset: PackSet, only: Iterable[str] | None = None) -> Context:
    """Run the passes in order (all of them, or the named ones) and return the context."""
    ctx = Context(packset)
    wanted = None if only is None else set(only)
    for name, run in PASSES:
        if wanted is None or name in wanted:
            run(ctx)
    return ctx


def check_pack(packset: PackSet) -> CheckedPack:
    """Resolve and type a pack set; problems are in ``.diagnostics`` (sorted, at most 100)."""
    ctx = run_passes(packset)
    return freeze(ctx)


def freeze(ctx: Context) -> CheckedPack:
    diagnostics = sort_diagnostics(ctx.diagnostics)
    if len(diagnostics) > MAX_DIAGNOSTICS:
        diagnostics = diagnostics[:MAX_DIAGNOSTICS]
    entries = []
    for rule_id, (decl, pack, path) in ctx.rule_decls.items():
        entries.append(RuleEntry(decl, pack, path, ctx.strata.get(rule_id, 0)))
    entries.sort(key=lambda e: (e.stratum, e.id))
    root = ctx.infos[-1] if ctx.infos and ctx.packs[-1].path == ctx.root_path else \
        PackInfo(Path(ctx.root_path).stem, None, None, None, ctx.root_path)
    return CheckedPack(
        root=root, packs=ctx.packs, infos=ctx.infos, sources=dict(ctx.sources), schema=ctx.schema,
        lets=dict(ctx.lets), maps=dict(ctx.maps), rules=tuple(entries), tests=tuple(ctx.tests),
        examples=dict(ctx.examples), refs=dict(ctx.refs), types=dict(ctx.types),
        diagnostics=tuple(diagnostics))


@attrs.frozen
class CheckResult:
    """The outcome of checking one file: its diagnostics and, when it parsed, the pack."""

    path: str
    pack: CheckedPack | None
    diagnostics: tuple[Diagnostic, ...]
    sources: dict[str, Source]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Files as given; a directory stands for every ``*.rules`` file below it, sorted
    (never one outside it through a link: :func:`imgrules._fsutil.files_below`)."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(str(f) for f in files_below(p))
        else:
            out.append(os.fspath(path))
    return out


def check_paths(paths: Iterable[str | os.PathLike], roots: Iterable[str | os.PathLike] = (),
                strict: bool = False, limits=None) -> list[CheckResult]:
    """Check each file (directories expanded). Raises LoadError for a file that cannot be read.

    ``strict`` is recorded for callers that treat warnings as failures; the diagnostics
    are the same either way. ``limits`` (an ``imgrules._limits.PackLimits``) bounds what
    each file may cost.
    """
    roots = list(roots)
    results = []
    used: set[tuple[str, int]] = set()
    for path in expand_paths(paths):
        packset = load_packs(path, roots, limits=limits)
        checked = check_pack(packset)
        used |= unused.uses(checked)
        results.append(CheckResult(path, checked if packset.root is not None else None,
                                   checked.diagnostics, dict(packset.sources)))
    # A declaration one file leaves unused may be what another file imports it for.
    return [attrs.evolve(r, diagnostics=tuple(
        d for d in r.diagnostics
        if not (d.code in unused.UNUSED_CODES and (d.span.path, d.span.start) in used)))
        for r in results]


__all__ = ["PASSES", "CheckResult", "CheckedPack", "check_pack", "check_paths", "expand_paths",
           "run_passes"]
