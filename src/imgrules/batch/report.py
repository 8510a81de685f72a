"""The cohort summary as text or Markdown (HTML is in :mod:`.report_html`).

Every string that comes from a profile or a pack (ids, sources, messages, rule ids)
passes through the Markdown renderer's ``escape`` in Markdown; plain text shows it with
control characters made visible, so a name cannot move the cursor or fake a line.
"""

from __future__ import annotations

from .._facts.errors import printable
from .._render import markdown_escape as escape
from .report_html import render_html
from .summary import CohortSummary, share, who

FORMATS = ("text", "markdown", "html")


def render(summary: CohortSummary, fmt: str, title: str = "Cohort summary") -> str:
    if fmt == "markdown":
        return render_markdown(summary, title)
    if fmt == "html":
        return render_html(summary, title)
    return render_text(summary, title)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row):
        return "  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                         for i, (cell, w) in enumerate(zip(row, widths))).rstrip()

    return [fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


def render_text(summary: CohortSummary, title: str = "Cohort summary") -> str:
    t = printable
    s = summary
    out = [title, "=" * len(title), "",
           f"Profiles: {s.total}  evaluated: {s.evaluated}  failed: {s.failed}", ""]
    levels = s.levels()
    if s.tiers:
        out += ["Tiers (applicants per level)", ""]
        rows = [[t(c), *(str(v) for v in s.tier_row(c).values())] for c in s.components()]
        out += _table(["component", *levels, "none"], rows) + [""]
    if s.diagnoses:
        out += ["Diagnoses (last cycle)", ""]
        out += _table(["diagnosis", "applicants", "share"],
                      [[t(code), str(n), share(n, s.evaluated)] for code, n in s.diagnosis_rows()])
        out += [""]
    overdue = s.top_overdue()
    if overdue:
        out += ["Most common overdue deadlines", ""]
        out += [f"{row.count:>6}  {t(row.rule)}: {t(row.message)}" for row in overdue] + [""]
    flags = s.top_flags()
    if flags:
        out += ["Most common flags", ""]
        out += [f"{row.count:>6}  [{t(row.severity)}] {t(row.rule)}: {t(row.message)}"
                for row in flags] + [""]
    people = s.attention()
    if people:
        out += ["Applicants needing attention first", ""]
        for p in people:
            out.append(f"- {t(who(p.id, p.source))}: {p.overdue} overdue, "
                       f"{p.critical} critical, {p.high} high")
            out += [f"    {t(reason)}" for reason in p.reasons]
        out += [""]
    if s.errors:
        out += [f"Profiles that failed ({s.failed})", ""]
        out += [f"- {t(who(ident, source))}: {t(issue)}" for _, ident, source, issue in s.errors]
        if s.failed > len(s.errors):
            out.append(f"- ... and {s.failed - len(s.errors)} more")
        out += [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render_markdown(summary: CohortSummary, title: str = "Cohort summary") -> str:
    e = escape
    s = summary
    out = [f"# {e(title)}", "",
           f"- Profiles: {s.total}", f"- Evaluated: {s.evaluated}", f"- Failed: {s.failed}", ""]
    if s.tiers:
        out += ["## Tiers", ""]
        rows = [[e(c), *(str(v) for v in s.tier_row(c).values())] for c in s.components()]
        out += _md_table(["component", *(e(x) for x in s.levels()), "none"], rows) + [""]
    if s.diagnoses:
        out += ["## Diagnoses", ""]
        out += _md_table(["diagnosis", "applicants", "share"],
                         [[e(code), str(n), share(n, s.evaluated)]
                          for code, n in s.diagnosis_rows()]) + [""]
    overdue = s.top_overdue()
    if overdue:
        out += ["## Most common overdue deadlines", ""]
        out += _md_table(["deadline", "applicants", "example"],
                         [[e(r.rule), str(r.count), e(r.message)] for r in overdue]) + [""]
    flags = s.top_flags()
    if flags:
        out += ["## Most common flags", ""]
        out += _md_table(["flag", "severity", "applicants", "example"],
                         [[e(r.rule), e(r.severity), str(r.count), e(r.message)]
                          for r in flags]) + [""]
    people = s.attention()
    if people:
        out += ["## Applicants needing attention first", ""]
        for p in people:
            out.append(f"- **{e(who(p.id, p.source))}**: {p.overdue} overdue, "
                       f"{p.critical} critical, {p.high} high")
            out += [f"  - {e(reason)}" for reason in p.reasons]
        out += [""]
    if s.errors:
        out += [f"## Profiles that failed ({s.failed})", ""]
        out += [f"- {e(who(ident, source))}: {e(issue)}" for _, ident, source, issue in s.errors]
        if s.failed > len(s.errors):
            out.append(f"- ... and {s.failed - len(s.errors)} more")
        out += [""]
    return "\n".join(out).rstrip("\n") + "\n"
