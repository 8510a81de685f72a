"""Problems in profile data: each one a ``$.path`` and a message, all reported together.

A profile is data written by people and other programs, so its problems are not
diagnostics on rule text: they point into the document with a JSONPath-like path
(``$.letters[2].status``), and the line where the reader knows it.
"""

from __future__ import annotations

import attrs

from .._errors import Error
from .._safetext import escape_controls


@attrs.frozen
class ProfileIssue:
    """One problem: where in the document (``$.exams.step2_ck.score``) and what is wrong."""

    path: str
    message: str
    line: int | None = attrs.field(default=None, eq=False)

    def render(self, source: str | None = None) -> str:
        text = printable(f"{self.path}: {self.message}")
        return f"{source}: {text}" if source else text

    def to_json(self) -> dict:
        return {"path": self.path, "message": self.message, "line": self.line}


class ProfileError(Error):
    """A profile that cannot be used: every issue found, one per line in ``str()``."""

    def __init__(self, issues, source: str | None = None):
        self.issues: tuple[ProfileIssue, ...] = tuple(issues)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(issue.render(self.source) for issue in self.issues)


class ProfileReadError(ProfileError):
    """The profile file itself cannot be read (missing, a directory, unreadable).

    Kept apart from :class:`ProfileError` so that the CLI can tell an I/O problem (exit 2)
    from bad data (exit 1).
    """


def printable(text: str) -> str:
    """``text`` with control characters escaped, so that one issue stays on one line."""
    return escape_controls(text)


def join(path: str, key: str | int) -> str:
    """``$.a`` + ``b`` -> ``$.a.b``; ``$.a`` + ``2`` -> ``$.a[2]``; odd keys are quoted."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key.isidentifier():
        return f"{path}.{key}"
    escaped = printable(key.replace("\\", "\\\\").replace("'", "\\'"))
    return f"{path}['{escaped}']"
