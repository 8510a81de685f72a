"""Limits on what one input may cost, with their defaults in one place.

Rule packs and profiles come from people and from other programs; a few are wrong and
some may be hostile. Every stage bounds what it accepts and reports the bound it hit as
a diagnostic (rule text) or a ``$.path`` issue (profile data), never as a crash or a hang:

======================  ============  ===================================================
limit                   default       enforced by
======================  ============  ===================================================
``max_file_bytes``      5 MiB         :func:`imgrules._syntax.guard.parse_limited`, loader
``max_depth``           100           the parser (brackets, prefix operators, chains)
``max_rules``           10,000        the parser (rules, tables, deadlines... per file)
``max_files``           256           the loader (files one pack imports, transitively)
digits in a number      300           the parser (E011; a float that long still fits a double)
date offset             1,000 years   the checker (E231: ``T-k``, durations, their chains)
profile dates           1800..2999    :mod:`imgrules._facts.validate` (``$.path`` issue)
profile bytes           10 MiB        :mod:`imgrules._facts.reader`
profile values / depth  200,000 / 64  :mod:`imgrules._facts.reader`
derived facts           1,000,000     :class:`imgrules._engine.Limits` ``max_facts``
firings                 5,000,000     :class:`imgrules._engine.Limits` ``max_firings``
evaluation time         60 s          :class:`imgrules._engine.Limits` ``max_seconds``
======================  ============  ===================================================

The shipped packs stay far below each bound (their deepest expression is 12 nodes).
The depth bound keeps every later stage (checker, formatter, compiler, generated code)
well inside Python's recursion limit.
"""

from __future__ import annotations

import attrs

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 100
DEFAULT_MAX_RULES = 10_000
DEFAULT_MAX_FILES = 256

__all__ = ["PackLimits", "DEFAULT_MAX_FILE_BYTES", "DEFAULT_MAX_DEPTH", "DEFAULT_MAX_RULES",
           "DEFAULT_MAX_FILES"]


def _positive(instance, attribute, value) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{attribute.name} must be a positive whole number, got {value!r}")


@attrs.frozen
class PackLimits:
    """Bounds on rule text: bytes per file, nesting depth, rules per file, files per load."""

    max_file_bytes: int = attrs.field(default=DEFAULT_MAX_FILE_BYTES, validator=_positive)
    max_depth: int = attrs.field(default=DEFAULT_MAX_DEPTH, validator=_positive)
    max_rules: int = attrs.field(default=DEFAULT_MAX_RULES, validator=_positive)
    max_files: int = attrs.field(default=DEFAULT_MAX_FILES, validator=_positive)
