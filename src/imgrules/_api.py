"""The functions the package re-exports: load a pack, evaluate a profile, explain a rule.

``load`` returns a :class:`CompiledPack` (from the on-disk cache when no pack file
changed: a cache hit imports neither the checker nor Lark). ``evaluate`` takes a profile
as a path, a mapping or an attrs/dataclass instance.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._compile import cache
from ._engine import Limits, Session
from ._engine.runtime import Rec
from ._errors import LoadError
from ._facts.api import profile_data as _profile_data
from ._limits import PackLimits
from ._results import Results

if TYPE_CHECKING:
    from ._diagnostics import Diagnostic


@attrs.frozen
class CompiledPack:
    """A checked, compiled pack ready to evaluate profiles (immutable, picklable)."""

    network: object
    # (text, name, roots) of a pack compiled by loads: an explanation checks that text
    # again, never a file that happens to have the name
    text_source: tuple | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def name(self) -> str:
        return self.network.name

    @property
    def schema(self):
        return self.network.schema

    def session(self, *, limits: Limits | None = None, tracer=None) -> Session:
        return Session(self.network, limits=limits, tracer=tracer)


def _resolve_target(target) -> str:
    text = os.fspath(target)
    p = Path(text)
    if p.is_dir():
        from ._fsutil import files_below  # lazy: it imports tempfile, which a file target never needs

        found = files_below(p, recursive=False)  # never through a link out of the folder
        if len(found) == 1:
            return str(found[0])
        raise LoadError(f"{text}: a folder target must hold exactly one .rules file "
                        f"(found {len(found)}); name the pack file instead")
    return text


def _use_cache(limits, use_cache: bool) -> bool:
    if limits is not None:
        if not isinstance(limits, PackLimits):
            raise TypeError(f"limits: expected imgrules._limits.PackLimits, got {type(limits).__name__}")
        if limits != PackLimits():
            return False
    return use_cache


def _compile(packset) -> object:
    """Check and compile a loaded pack set; DiagnosticError with its errors if it has any."""
    from ._check import check_pack  # lazy: a cache hit imports neither the checker,
    from ._compile import compile_pack  # the compiler nor the parser,
    from ._diagnostics import DiagnosticError  # nor the diagnostics

    checked = check_pack(packset)
    if not checked.ok or packset.root is None:
        raise DiagnosticError([d for d in checked.diagnostics if d.is_error] or checked.diagnostics,
                              checked.sources)
    return compile_pack(checked)


def load(target, roots=(), *, use_cache: bool = True, limits=None) -> CompiledPack:
    """Load, check and compile a pack (a .rules file, a folder, or a pack name like
    ``img.reapplication``). Raises DiagnosticError with every diagnostic on errors,
    LoadError when the target cannot be read.

    ``limits`` (:class:`imgrules._limits.PackLimits`) bounds file size, nesting depth, rules
    per file and files per pack; other than the defaults, it bypasses the compiled-pack
    cache, so that a pack cached under the defaults is checked against them again."""
    text = _resolve_target(target)
    roots = tuple(os.fspath(r) for r in roots)
    use_cache = _use_cache(limits, use_cache)
    if use_cache:
        net = cache.lookup(text, roots)
        if net is not None:
            return CompiledPack(net)
    from ._loader import load_packs

    packset = load_packs(text, roots, limits=limits)
    net = _compile(packset)
    if use_cache:
        cache.store(text, roots, packset, net)
    return CompiledPack(net)


def loads(text: str, *, name: str = "<text>", roots=(), use_cache: bool = True,
          limits=None) -> CompiledPack:
    """Check and compile a pack held in memory, as :func:`load` does a file: its
    ``import`` lines are looked up in ``roots``, then the shipped packs. ``name`` is where
    diagnostics say the text is (no file of that name is read).

    Raises DiagnosticError with every diagnostic on errors. The compiled-pack cache keys
    the entry by the text itself (with the name, the roots and the imported files)."""
    from ._loader import TEXT_NAME, load_text

    if not isinstance(text, str):
        raise TypeError(f"text: expected str, got {type(text).__name__}")
    name = name or TEXT_NAME
    roots = tuple(os.fspath(r) for r in roots)
    use_cache = _use_cache(limits, use_cache)
    if use_cache:
        net = cache.lookup_text(text, name, roots)
        if net is not None:
            return CompiledPack(net, (text, name, roots))
    packset = load_text(text, name, roots, limits=limits)
    net = _compile(packset)
    if use_cache:
        cache.store_text(text, name, roots, packset, net)
    return CompiledPack(net, (text, name, roots))


def check_text(text: str, *, name: str = "<text>", roots=(), limits=None) -> tuple[Diagnostic, ...]:
    """Every diagnostic (errors and warnings, in source order) for a pack held in memory,
    with its imports looked up in ``roots`` as :func:`loads` does; empty when it is clean.
    Never raises for bad rule text."""
    from ._check import check_pack
    from ._loader import TEXT_NAME, load_text

    if limits is not None and not isinstance(limits, PackLimits):
        raise TypeError(f"limits: expected imgrules._limits.PackLimits, got {type(limits).__name__}")
    packset = load_text(text, name or TEXT_NAME, tuple(os.fspath(r) for r in roots), limits=limits)
    return tuple(check_pack(packset).diagnostics)


class _NoRuleText:
    """Stands for the checked pack when its text no longer checks: the explanation gives
    the engine's own account rather than reading some file of the same name."""

    def rule(self, rule_id: str):
        return None


def profile_data(pack: CompiledPack, profile, as_of: dt.date | None = None, partial: bool = False):
    """Validated profile data (raises ProfileError with ``$.path`` issues)."""
    return _profile_data(profile, pack.schema, partial=partial, today=as_of)


def evaluate(pack, profile, as_of: dt.date | None = None, *, limits: Limits | None = None,
             tracer=None) -> Results:
    """Evaluate one profile. ``pack`` is a CompiledPack or anything :func:`load` takes;
    ``as_of`` overrides the profile's own date."""
    if not isinstance(pack, CompiledPack):
        pack = load(pack)
    # checked for this evaluation alone: the session keeps the records the check makes
    data = _profile_data(profile, pack.schema, today=as_of, record=Rec)
    return Session._evaluate_handed_over(pack.network, data, as_of, limits=limits, tracer=tracer)


def explain(pack, profile, rule_id: str, as_of: dt.date | None = None):
    """Why ``rule_id`` fired (its derivation trees) or why not (the closest partial match)."""
    from ._explanation import explain_rule  # lazy: it imports the checker

    if not isinstance(pack, CompiledPack):
        pack = load(pack)
    data = profile_data(pack, profile, as_of)
    checked = None
    if pack.text_source is not None:
        from ._check import check_pack
        from ._loader import load_text

        text, name, roots = pack.text_source
        checked = check_pack(load_text(text, name, roots))
        if not checked.ok:  # an import changed since: explain without the rule text
            checked = _NoRuleText()
    return explain_rule(pack.network, data, rule_id, as_of=as_of, checked=checked)
