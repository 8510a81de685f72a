"""The base of every error imgrules raises on purpose.

A caller catches all of them with ``except imgrules.Error``: rule text with errors
(:class:`~imgrules.DiagnosticError`), a pack that cannot be read
(:class:`~imgrules.LoadError`), a profile that cannot be used
(:class:`~imgrules.ProfileError`), an evaluation past a limit or failing
(:class:`~imgrules.EvaluationLimitError`, :class:`~imgrules.EvaluationError`), an
unknown rule name (:class:`~imgrules.UnknownRuleError`), batch inputs that cannot be
used (:class:`imgrules.batch.InputError`), a batch worker process that was killed
(:class:`imgrules.batch.WorkerKilled`). Errors from misuse of the API itself (a wrong
argument type) stay Python's own ``TypeError``/``ValueError``.

This module imports nothing of the package, so every stage can subclass :class:`Error`
without importing the stages above it; errors that more than one stage raises live here.
"""

from __future__ import annotations


class Error(Exception):
    """The base of every error imgrules raises on purpose."""


class LoadError(Error):
    """A pack target that cannot be read at all (missing, a directory, unreadable, too
    large, not UTF-8). Problems inside a pack are diagnostics instead."""
