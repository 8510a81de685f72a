"""Diagnostics: every problem found in rule text, with a code, a span and notes.

Checkers never raise for a problem in the user's text; they append a
:class:`Diagnostic` to a list. :func:`render` shows one the way a compiler does::

    rules/img/core.rules:12:8: error[E201]: unknown field 'scroe' on Step2
      12 |   when exams.step2_ck.scroe < 225
         |                       ^^^^^
      = help: did you mean 'score'?
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Mapping

import attrs

from ._errors import Error
from ._safetext import escape_controls
from ._source import Source, Span, render_snippet


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Diagnostic:
    """One problem: a stable code (``E101``), a message, where, and notes for help."""

    code: str
    severity: Severity
    message: str
    span: Span
    notes: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.start, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "notes": list(self.notes),
        }


def error(code: str, message: str, span: Span, *notes: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, tuple(n for n in notes if n))


def warning(code: str, message: str, span: Span, *notes: str) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, span, tuple(n for n in notes if n))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A "did you mean 'x'?" note for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.7)
    return f"did you mean '{close[0]}'?" if close else ""


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """By file and position, duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def render(diagnostic: Diagnostic, sources: Mapping[str, Source] | None = None,
           color: bool = False) -> str:
    """Render one diagnostic: ``path:line:col: severity[code]: message``, snippet, notes."""
    label = diagnostic.severity.value
    if color:
        tint = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}[label]
        label = f"{tint}{label}\x1b[0m"
    # the message and notes may quote the text (a name, a key): control characters escaped
    out = [f"{escape_controls(str(diagnostic.span))}: {label}[{diagnostic.code}]: "
           f"{escape_controls(diagnostic.message)}"]
    snippet = render_snippet((sources or {}).get(diagnostic.span.path), diagnostic.span)
    if snippet:
        out.append(snippet)
    out.extend(f"     = {'help' if note.startswith('did you mean') else 'note'}: {escape_controls(note)}"
               for note in diagnostic.notes)
    return "\n".join(out)


def render_all(diagnostics: Iterable[Diagnostic], sources: Mapping[str, Source] | None = None,
               color: bool = False) -> str:
    return "\n\n".join(render(d, sources, color) for d in sort_diagnostics(diagnostics))


class DiagnosticError(Error):
    """Raised by the public API when text has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic],
                 sources: Mapping[str, Source] | None = None):
        self.diagnostics = sort_diagnostics(diagnostics)
        self.sources = dict(sources or {})
        super().__init__(render_all(self.diagnostics, self.sources))
