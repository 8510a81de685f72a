"""What the applicant reads, in reading order, before any format lays it out.

:func:`build` turns one result of the JSON output contract into a :class:`Report`:

1. **This month: the few things to do** -- at most :data:`TOP_N` items, ranked by severity
   and date (overdue and due deadlines and critical or high findings first), one per topic
   before a second of any topic;
2. **where the applicant stands** -- tiers, diagnosis, how far the countdown has come;
3. **the rest by topic**, the topic of the strongest finding first, repeats of one rule
   folded into one entry;
4. **tell us** -- the facts the profile does not record that a check waits on.

The short report (the default) keeps a few entries per topic; ``full`` keeps everything.
The ``applicant`` view says everything in plain words; the ``advisor`` view adds rule ids,
reasons with their bindings and pack-relative locations. Everything is a pure function of
the result dict (and the profile data, for reasons that show values).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import attrs

from . import _common as c
from . import words

VIEWS = ("applicant", "advisor")
TOP_N = 5
PER_TOPIC = 3  # entries per topic in the short report
ASKS = 6  # "tell us" lines in the short report
SEVERITY = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
_STATUS = {"flag": 0, "overdue": 1, "due": 2, "active": 3}


def strength(finding: Mapping[str, Any]) -> str:
    """The severity a finding is ranked by: its own; a deadline's declared severity only
    while it is overdue or due (without one such a deadline counts as "high"); for the rest
    of what is still to do "low" (upcoming windows "info")."""
    own = finding.get("severity")
    kind, status = finding.get("kind"), finding.get("status")
    if kind == "milestone":
        if status not in ("overdue", "due"):
            return "low"
        return str(own) if own in SEVERITY else "high"
    if own in SEVERITY:
        return str(own)
    if kind == "flag":
        return "medium"
    if kind == "window" and status != "active":
        return "info"
    return "low"


def rank(finding: Mapping[str, Any]) -> tuple:
    """Sort key, strongest first: severity; at one severity a flag (the file as it stands
    now), then overdue, due, active; then the date."""
    status = "flag" if finding.get("kind") == "flag" else str(finding.get("status"))
    return (SEVERITY[strength(finding)], _STATUS.get(status, 4),
            str(finding.get("due_date") or "9999-99-99"), str(finding.get("rule", "")))


def is_urgent(finding: Mapping[str, Any]) -> bool:
    """Worth a place among the few things to do this month."""
    if finding.get("kind") == "milestone" and finding.get("status") in ("overdue", "due"):
        return True
    sev = strength(finding)
    return sev in ("critical", "high") or (finding.get("kind") == "flag" and sev == "medium")


@attrs.frozen(eq=False)
class Entry:
    """One finding as the report shows it (with the number of findings of the same rule
    and title folded into it)."""

    finding: Mapping[str, Any] = attrs.field(eq=False)
    topic: str
    count: int = 1

    @property
    def rule(self) -> str:
        return str(self.finding.get("rule", ""))

    @property
    def kind(self) -> str:
        return str(self.finding.get("kind", ""))

    @property
    def status(self) -> str:
        return str(self.finding.get("status") or "")

    @property
    def severity(self) -> str:
        return strength(self.finding)

    @property
    def tag(self) -> str:
        """``overdue``, ``due``, ``now``, ``next``, a flag's severity, ``tip``."""
        kind, status = self.kind, self.status
        if kind == "milestone":
            return {"overdue": "overdue", "due": "due", "done": "done"}.get(status, "next")
        if kind == "window":
            return {"active": "now", "past": "past"}.get(status, "soon")
        if kind == "flag":
            return self.severity
        return {"recommendation": "tip", "reminder": "now"}.get(kind, kind or "note")

    @property
    def when(self) -> str:
        """The entry's date in words: ``since 2026-09-15`` (overdue), ``by 2026-12-15``,
        ``until 2027-02-15`` (a window), ``now`` for a finding about today."""
        due = self.finding.get("due_date")
        if self.kind == "milestone" and due:
            return f"since {due}" if self.status == "overdue" else f"by {due}"
        if self.kind == "window" and due:
            return f"until {due}"
        return ""

    def title(self, view: str) -> str:
        text = c.finding_title({"title": self.finding.get("title")}) or c.finding_title(
            self.finding)
        text = text if view == "advisor" else words.plain(text)
        return text + (f" ({self.count} times)" if self.count > 1 else "")

    def message(self, view: str) -> str:
        text = str(self.finding.get("message") or "")
        return text if view == "advisor" else words.plain(text)


# Topic, Ask and Report are named tuples: one costs a fifth of an attrs class to define,
# which `imgrules eval` pays on every start. Entry stays an attrs class for its identity
# equality (entries are looked up with `in`, their findings are not compared).


class Topic(NamedTuple):
    name: str
    entries: tuple[Entry, ...]
    hidden: int = 0  # entries left out of the short report


class Ask(NamedTuple):
    """A fact to record: what it is (in words and as profile paths) and which checks wait."""

    what: str
    paths: tuple[str, ...]
    checks: tuple[str, ...]  # titles of the findings waiting on it
    rules: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"Record {self.what} so we can check this."


class Report(NamedTuple):
    view: str
    full: bool
    label: str
    months_to_go: int | None
    application_date: str
    as_of: str
    packs: str
    top: tuple[Entry, ...]
    tiers: tuple[tuple[str, str], ...]  # (component label, level)
    diagnoses: tuple[str, ...]
    progress: str  # "3 of 40 milestones done, 2 overdue or due"; '' without milestones
    derived: tuple[str, ...]  # other derived facts (advisor view)
    topics: tuple[Topic, ...]
    more_topics: tuple[tuple[str, int], ...]  # topics left out of the short report
    done: tuple[Entry, ...]
    asks: tuple[Ask, ...]
    asks_hidden: int
    empty: bool

    @property
    def where(self) -> str:
        k = self.months_to_go
        return f"{c.month_label(k)} ({c.phase_name(k)})" if isinstance(k, int) else "unknown"

    @property
    def phase(self) -> str:
        """``Building phase, T-9 to T-5``, or '' outside the countdown."""
        k = self.months_to_go
        for first, last, name in c.PHASES:
            if isinstance(k, int) and last <= k <= first:
                return f"{name} phase, {c.month_label(first)} to {c.month_label(last)}"
        return ""

    @property
    def left(self) -> str:
        k = self.months_to_go
        if not isinstance(k, int):
            return "months to go unknown"
        if k >= 0:
            return f"{words.plural(k, 'month')} to your application date {self.application_date}"
        return f"{words.plural(-k, 'month')} past your application date {self.application_date}"

    @property
    def shortened(self) -> bool:
        return bool(self.more_topics or self.asks_hidden or any(t.hidden for t in self.topics))


def _fold(findings: list[Mapping[str, Any]]) -> list[Entry]:
    """Entries in rank order, one per (rule, title, status)."""
    out: dict[tuple, Entry] = {}
    for f in sorted(findings, key=rank):
        key = (f.get("rule"), f.get("title") or f.get("message"), f.get("status"))
        if key in out:
            out[key] = attrs.evolve(out[key], count=out[key].count + 1)
        else:
            out[key] = Entry(f, words.topic(f))
    return list(out.values())


def _paths(finding: Mapping[str, Any]) -> tuple[str, ...]:
    missing = finding.get("missing")
    if isinstance(missing, str):
        missing = [missing]
    if not missing:
        prov = finding.get("provenance")
        missing = (prov or {}).get("matched") if isinstance(prov, Mapping) else ()
        missing = [m for m in missing or () if m not in ("$.as_of", "$.application_date")]
    return tuple(dict.fromkeys(str(m) for m in missing or ()))


def _asks(waiting: list[Mapping[str, Any]], undecided: list[Mapping[str, Any]],
          view: str) -> list[Ask]:
    """The "tell us" lines: one per missing fact (or set of facts), the checks waiting on
    it, in the order the facts first come up."""
    groups: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    for f in sorted(waiting, key=rank):
        paths = _paths(f) or ("$",)
        titles, rules = groups.setdefault(paths, ([], []))
        title = str(f.get("title") or f.get("message") or f.get("rule") or "")
        title = title if view == "advisor" else words.plain(title)
        if title not in titles:
            titles.append(title)
        rules.append(str(f.get("rule", "")))
    for u in undecided:
        paths = tuple(dict.fromkeys(str(p) for p in u.get("needs_info") or ())) or ("$",)
        titles, rules = groups.setdefault(paths, ([], []))
        if str(u.get("rule")) not in rules:
            rules.append(str(u.get("rule", "")))
    out = []
    for paths, (titles, rules) in groups.items():
        phrases = list(dict.fromkeys(words.record_phrase(p) for p in paths))
        what = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        out.append(Ask(what, paths, tuple(titles), tuple(dict.fromkeys(rules))))
    return out


def build(result: Mapping[str, Any], profile: Mapping | None = None, *, label: str = "",
          view: str = "applicant", full: bool = False, per_topic: int = PER_TOPIC,
          asks: int = ASKS) -> Report:
    """The :class:`Report` of one result (see the module's docstring)."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, not {view!r}")
    findings = [f for f in result.get("findings") or () if isinstance(f, Mapping)]
    waiting = [f for f in findings if f.get("kind") == "needs_info"
               or f.get("status") == "needs_info"]
    closed = [f for f in findings if f not in waiting and (
        (f.get("kind") == "milestone" and f.get("status") == "done")
        or (f.get("kind") == "window" and f.get("status") == "past"))]
    open_ = [f for f in findings if f not in waiting and f not in closed]
    entries = _fold(open_)

    top: list[Entry] = []
    urgent = [e for e in entries if is_urgent(e.finding)]
    for e in urgent:  # the strongest of each topic first, then the next strongest
        if len(top) < TOP_N and all(t.topic != e.topic for t in top):
            top.append(e)
    for e in urgent:
        if len(top) < TOP_N and e not in top:
            top.append(e)
    top.sort(key=lambda e: rank(e.finding))

    by_topic: dict[str, list[Entry]] = {}
    for e in entries:
        if e not in top:
            by_topic.setdefault(e.topic, []).append(e)
    topics = []
    for name, items in by_topic.items():  # entries are in rank order: so are the topics
        keep = items if full else items[:per_topic]
        topics.append(Topic(name, tuple(keep), len(items) - len(keep)))

    reported = {str(f.get("rule")) for f in findings}
    undecided = [u for u in result.get("undecided") or ()
                 if isinstance(u, Mapping) and str(u.get("rule")) not in reported]
    all_asks = _asks(waiting, undecided, view)
    shown_asks = all_asks if full else all_asks[:asks]

    milestones = [f for f in findings if f.get("kind") == "milestone"]
    done_count = sum(1 for f in milestones if f.get("status") == "done")
    late = sum(1 for f in milestones if f.get("status") in ("overdue", "due"))
    progress = ""
    if milestones:
        progress = f"{done_count} of {words.plural(len(milestones), 'milestone')} done"
    if late:
        progress += f", {late} overdue or due"
    diagnoses = tuple(dict.fromkeys(
        words.declared_label(d.get("code")) or words.sentence(d.get("code"))
        for d in result.get("derived") or ()
        if isinstance(d, Mapping) and d.get("type") == "diagnosis" and d.get("code")))
    derived = tuple(c.derived_label(d) for d in c.other_derived(result)
                    if d.get("type") != "diagnosis") if view == "advisor" else ()
    return Report(
        view=view, full=full, label=label, months_to_go=result.get("months_to_go"),
        application_date=str(result.get("application_date") or "?"),
        as_of=str(result.get("as_of") or "?"), packs=c.pack_names(result), top=tuple(top),
        tiers=tuple((words.declared_label(comp) or words.COMPONENTS.get(comp, words.label(comp)), lvl)
                    for comp, lvl in c.tiers(result)),
        diagnoses=diagnoses, progress=progress, derived=derived, topics=tuple(topics),
        more_topics=(), done=tuple(_fold(closed)), asks=tuple(shown_asks),
        asks_hidden=len(all_asks) - len(shown_asks), empty=not findings)


def trimmed(report: Report, topics: int) -> Report:
    """The report with only its first ``topics`` topics; the rest named with their sizes."""
    if report.full or len(report.topics) <= topics:
        return report
    rest = report.topics[topics:]
    return report._replace(topics=report.topics[:topics], more_topics=tuple(
        (t.name, len(t.entries) + t.hidden) for t in rest))


def reasons(entry: Entry, profile: Mapping | None) -> str:
    """The advisor's reason line: the finding's ``because``, its guidance and location."""
    parts = []
    why = c.because(entry.finding, profile)
    if why:
        parts.append(f"because {why}")
    cite = c.cite_text(entry.finding)
    if cite:
        parts.append(f"see \u201c{cite}\u201d")
    where = words.location(entry.finding.get("provenance"))
    parts.append(f"[{entry.rule}{' ' + where if where else ''}]")
    return "; ".join(parts[:-1]) + (" " if len(parts) > 1 else "") + parts[-1]

