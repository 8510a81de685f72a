"""The cohort summary: counts gathered while results stream past, in bounded memory.

A worker boils each result down to a :class:`Digest` (tiers, diagnoses, overdue
deadlines, flags); :class:`CohortSummary` adds digests up. It keeps counters and the few
applicants that need attention first (a bounded heap), never the results themselves, so
a summary of a million profiles costs what one of a thousand does.
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter
from collections.abc import Mapping
from typing import Any

import attrs

from .._render import TIER_ORDER
from .._render.report import strength

LEVELS = ("competitive", "borderline", "concerning")
URGENT_SEVERITIES = ("critical", "high")
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@attrs.frozen
class Digest:
    """What the summary needs from one result."""

    tiers: tuple[tuple[str, str], ...] = ()
    diagnoses: tuple[str, ...] = ()
    overdue: tuple[tuple[str, str], ...] = ()  # (rule, message), in the result's order
    flags: tuple[tuple[str, str, str], ...] = ()  # (rule, severity, message)
    worst: int = len(SEVERITY_RANK)  # rank of the most severe finding (0 = critical)
    overdue_since: str = ""  # the earliest due date of an overdue deadline

    @property
    def urgent_flags(self) -> int:
        return sum(1 for _, severity, _ in self.flags if severity in URGENT_SEVERITIES)


def digest(result: Mapping[str, Any] | None) -> Digest | None:
    """The :class:`Digest` of one result in the output contract's form."""
    if not isinstance(result, Mapping):
        return None
    tiers, diagnoses, overdue, flags = [], [], [], []
    for fact in result.get("derived") or ():
        if not isinstance(fact, Mapping):
            continue
        if fact.get("type") == "tier":
            tiers.append((str(fact.get("component")), str(fact.get("level"))))
        elif fact.get("type") == "diagnosis":
            diagnoses.append(str(fact.get("code")))
    worst, since = len(SEVERITY_RANK), ""
    for finding in result.get("findings") or ():
        if not isinstance(finding, Mapping):
            continue
        message = str(finding.get("message") or "")
        kind, status = finding.get("kind"), finding.get("status")
        if kind == "milestone" and status == "overdue":
            overdue.append((str(finding.get("rule")), message))
            due = str(finding.get("due_date") or "")
            since = min(since, due) if since and due else (since or due)
        elif kind == "flag":
            flags.append((str(finding.get("rule")), str(finding.get("severity") or "none"), message))
        if kind in ("flag", "milestone") and status not in ("done", "needs_info"):
            # ranked as the applicant's own report ranks it (an overdue deadline is high)
            worst = min(worst, SEVERITY_RANK[strength(finding)])
    return Digest(tuple(sorted(set(tiers))), tuple(diagnoses), tuple(overdue), tuple(flags),
                  worst, since)


@attrs.frozen
class Attention:
    """An applicant who needs attention: the severity of their most severe finding, how
    many deadlines are overdue (and since when), how many critical and high flags, and
    the first few of them."""

    index: int
    id: str | None
    source: str
    overdue: int
    critical: int
    high: int
    reasons: tuple[str, ...]
    worst: int = len(SEVERITY_RANK)  # SEVERITY_RANK of the most severe finding
    overdue_since: str = ""

    def sort_key(self) -> tuple:
        """Most severe finding first (a file a program will screen out before a late
        task), then more critical and high flags, then more overdue deadlines, the
        longest overdue first; ties in input order."""
        return (self.worst, -self.critical, -self.high, -self.overdue,
                self.overdue_since or "9999-99-99", self.index)


@attrs.frozen
class Row:
    """A counted item of the summary: a rule with the message of its first occurrence."""

    rule: str
    message: str
    count: int
    severity: str = ""


class CohortSummary:
    """Adds up digests (or whole results) one by one; its methods (:meth:`tier_row`,
    :meth:`top_overdue`, :meth:`attention`, ...) give the numbers the reports show.

    Memory is bounded: counters keyed by component, level, code and rule, the first
    message seen per rule, and a heap of the ``attention`` applicants scoring highest.
    """

    def __init__(self, attention: int = 10, errors_kept: int = 20):
        self.total = 0
        self.failed = 0
        self.tiers: Counter[tuple[str, str]] = Counter()
        self.diagnoses: Counter[str] = Counter()
        self.overdue: Counter[str] = Counter()
        self.flags: Counter[tuple[str, str]] = Counter()
        self.messages: dict[str, str] = {}
        self.errors: list[tuple[int, str | None, str, str]] = []
        self._attention = attention
        self._errors_kept = errors_kept
        self._heap: list[tuple[tuple, int, Attention]] = []

    def add_result(self, index: int, ident: str | None, source: str,
                   result: Mapping | None, error: Mapping | None = None) -> None:
        """Count one BatchResult-like outcome."""
        self.add(index, ident, source, digest(result) if error is None else None, error)

    def add(self, index: int, ident: str | None, source: str, dig: Digest | None,
            error: Mapping | None = None) -> None:
        self.total += 1
        if dig is None:
            self.failed += 1
            if len(self.errors) < self._errors_kept:
                self.errors.append((index, ident, source, _first_issue(error)))
            return
        self.tiers.update(dig.tiers)
        self.diagnoses.update(dig.diagnoses or ("none",))
        for rule, message in dig.overdue:
            self.overdue[rule] += 1
            self.messages.setdefault(rule, message)
        for rule, severity, message in dig.flags:
            self.flags[(rule, severity)] += 1
            self.messages.setdefault(rule, message)
        critical = sum(1 for _, s, _ in dig.flags if s == "critical")
        high = sum(1 for _, s, _ in dig.flags if s == "high")
        if len(dig.overdue) + critical + high == 0 or self._attention <= 0:
            return
        urgent = sorted((f for f in dig.flags if f[1] in URGENT_SEVERITIES),
                        key=lambda f: SEVERITY_RANK.get(f[1], 9))
        reasons = tuple(f"{s} flag: {m}" for _, s, m in urgent[:3]) + tuple(
            f"overdue: {m}" for _, m in dig.overdue[:max(0, 3 - len(urgent))])
        person = Attention(index, ident, source, len(dig.overdue), critical, high, reasons,
                           dig.worst, dig.overdue_since)
        # a min-heap on "how urgent", so the least urgent kept is popped first
        entry = (_Reversed(person.sort_key()), index, person)
        if len(self._heap) < self._attention:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:
            heapq.heapreplace(self._heap, entry)

    # ---------------------------------------------------------------- reading

    @property
    def evaluated(self) -> int:
        return self.total - self.failed

    def components(self) -> list[str]:
        """Tier components seen, the contract's first."""
        seen = {c for c, _ in self.tiers}
        ordered = [c for c in TIER_ORDER if c in seen]
        return ordered + sorted(seen - set(ordered))

    def levels(self) -> list[str]:
        seen = {lvl for _, lvl in self.tiers}
        return list(LEVELS) + sorted(seen - set(LEVELS))

    def tier_row(self, component: str) -> dict[str, int]:
        """Counts per level for one component, and ``none`` for evaluated profiles
        without a tier for it."""
        row = {lvl: self.tiers.get((component, lvl), 0) for lvl in self.levels()}
        row["none"] = self.evaluated - sum(row.values())
        return row

    def diagnosis_rows(self) -> list[tuple[str, int]]:
        return sorted(self.diagnoses.items(), key=lambda kv: (kv[0] == "none", -kv[1], kv[0]))

    def top_overdue(self, limit: int = 10) -> list[Row]:
        rows = sorted(self.overdue.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [Row(rule, self.messages.get(rule, ""), count) for rule, count in rows]

    def top_flags(self, limit: int = 10) -> list[Row]:
        rows = sorted(self.flags.items(),
                      key=lambda kv: (SEVERITY_RANK.get(kv[0][1], 9), -kv[1], kv[0][0]))
        return [Row(rule, self.messages.get(rule, ""), count, severity)
                for (rule, severity), count in rows[:limit]]

    def attention(self) -> list[Attention]:
        return sorted((person for _, _, person in self._heap), key=Attention.sort_key)


@functools.total_ordering
class _Reversed:
    """A sort key ordered backwards, so that a min-heap keeps the largest keys' owners."""

    __slots__ = ("key",)

    def __init__(self, key: tuple):
        self.key = key

    def __eq__(self, other) -> bool:
        return self.key == other.key

    def __lt__(self, other) -> bool:
        return self.key > other.key


def share(count: int, total: int) -> str:
    """``count`` as a whole percentage of ``total`` (``-`` of nothing), as the reports show it."""
    return f"{100 * count / total:.0f}%" if total else "-"


def who(ident: str | None, source: str) -> str:
    """How the reports name an applicant: the id and where it came from, or the source alone."""
    return f"{ident} ({source})" if ident else source


def _first_issue(error: Mapping | None) -> str:
    issues = (error or {}).get("issues") or ()
    if not issues:
        return "could not be evaluated"
    first = issues[0]
    text = f"{first.get('path', '$')}: {first.get('message', '')}"
    return text + (f" (+{len(issues) - 1} more)" if len(issues) > 1 else "")
