"""The cohort summary: counts by hand, the attention list, escaping in every format."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser

import pytest

from imgrules.batch import CohortSummary, digest
from imgrules.batch.output import Progress
from imgrules.batch.report import render
from imgrules._cli import main

from .cohort import EXAMPLES, cohort, write_jsonl


def tier(component, level):
    return {"type": "tier", "component": component, "level": level, "provenance": []}


def flag(rule, severity, message="m"):
    return {"kind": "flag", "rule": rule, "severity": severity, "message": message}


def milestone(rule, status, message="do it"):
    return {"kind": "milestone", "rule": rule, "status": status, "message": message}


# three hand-made results: every count below is worked out by reading them
RESULTS = [
    {"derived": [tier("step1", "competitive"), tier("yog", "borderline"),
                 {"type": "diagnosis", "code": "structural"}],
     "findings": [milestone("m_a", "overdue", "first A"), milestone("m_b", "overdue"),
                  flag("f_x", "high", "x is high"), milestone("m_c", "done")]},
    {"derived": [tier("step1", "concerning"), tier("yog", "borderline")],
     "findings": [milestone("m_a", "overdue", "second A"), flag("f_y", "critical"),
                  flag("f_x", "high"), flag("f_z", "info")]},
    {"derived": [tier("yog", "competitive"), {"type": "diagnosis", "code": "structural"}],
     "findings": [milestone("m_b", "upcoming")]},
]


@pytest.fixture()
def summary():
    s = CohortSummary(attention=2)
    for i, result in enumerate(RESULTS):
        s.add_result(i, f"P-{i}", f"p{i}.yaml", result)
    s.add_result(3, None, "bad.yaml", None, {"issues": [{"path": "$.track", "message": "bad"},
                                                         {"path": "$.as_of", "message": "bad"}]})
    return s


def test_counts_by_hand(summary):
    assert (summary.total, summary.evaluated, summary.failed) == (4, 3, 1)
    assert summary.components() == ["step1", "yog"]
    assert summary.tier_row("step1") == {"competitive": 1, "borderline": 0, "concerning": 1,
                                         "none": 1}
    assert summary.tier_row("yog") == {"competitive": 1, "borderline": 2, "concerning": 0,
                                       "none": 0}
    assert summary.diagnosis_rows() == [("structural", 2), ("none", 1)]
    assert [(r.rule, r.count, r.message) for r in summary.top_overdue()] == [
        ("m_a", 2, "first A"), ("m_b", 1, "do it")]
    assert [(r.rule, r.severity, r.count) for r in summary.top_flags()] == [
        ("f_y", "critical", 1), ("f_x", "high", 2), ("f_z", "info", 1)]
    # P-1 has a critical flag: it comes before P-0, whose worst is high (more overdue)
    people = summary.attention()
    assert [(p.id, p.overdue, p.critical, p.high) for p in people] == [
        ("P-1", 1, 1, 1), ("P-0", 2, 0, 1)]
    assert people[0].reasons[0] == "critical flag: m"
    assert summary.errors == [(3, None, "bad.yaml", "$.track: bad (+1 more)")]


def due(rule, status, date):
    return {**milestone(rule, status), "due_date": date}


def test_attention_ranks_the_most_severe_finding_before_the_overdue_count():
    s = CohortSummary(attention=5)
    many_late = [due(f"m{k}", "overdue", f"2026-{1 + k % 9:02d}-15") for k in range(23)]
    s.add_result(0, "late", "x", {"findings": many_late})
    s.add_result(1, "screened-out", "x", {"findings": [flag("f", "critical")]})
    s.add_result(2, "one-late-early", "x", {"findings": [due("m", "overdue", "2026-01-15"),
                                                          flag("g", "medium")]})
    s.add_result(3, "one-late-recent", "x", {"findings": [due("m", "overdue", "2026-06-15")]})
    s.add_result(4, "high-flag", "x", {"findings": [flag("h", "high")]})
    s.add_result(5, "waiting", "x", {"findings": [due("m", "needs_info", "2026-01-15")]})
    assert [p.id for p in s.attention()] == [
        "screened-out", "high-flag", "late", "one-late-early", "one-late-recent"]
    # the heap keeps the same ones whatever the order they come in
    s2 = CohortSummary(attention=2)
    for i, rows in reversed(list(enumerate([many_late, [flag("f", "critical")],
                                            [due("m", "overdue", "2026-01-15")]]))):
        s2.add_result(i, str(i), "x", {"findings": rows})
    assert [p.id for p in s2.attention()] == ["1", "0"]


def test_attention_keeps_only_the_most_urgent():
    s = CohortSummary(attention=3)
    for i in range(50):
        overdue = [milestone(f"m{k}", "overdue") for k in range(i % 7)]
        s.add_result(i, f"P-{i}", "x", {"findings": overdue})
    got = [(p.overdue, p.index) for p in s.attention()]
    assert got == [(6, 6), (6, 13), (6, 20)]


def test_text_and_markdown_show_the_counts(summary):
    text = render(summary, "text")
    assert "Profiles: 4  evaluated: 3  failed: 1" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line.strip()}
    assert rows["component"] == ["competitive", "borderline", "concerning", "none"]
    assert rows["step1"] == ["1", "0", "1", "1"] and rows["yog"] == ["1", "2", "0", "0"]
    assert "m_a: first A" in text
    markdown = render(summary, "markdown")
    assert "| yog | 1 | 2 | 0 | 0 |" in markdown
    assert "| structural | 2 | 67% |" in markdown
    assert "**P-1 (p1.yaml)**: 1 overdue, 1 critical, 1 high" in markdown


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


EVIL = "<script>alert(1)</script>"


def evil_summary():
    s = CohortSummary()
    result = {"derived": [tier("<b>comp</b>", "level\"><svg onload=x>")],
              "findings": [milestone("m_<i>", "overdue", EVIL), flag("f", "high", "<img src=x>")]}
    s.add_result(0, EVIL, "<dir>/p.yaml", result)
    s.add_result(1, "*bold* | pipe", "q.yaml", None, {"issues": [{"path": "$", "message": EVIL}]})
    return s


def test_html_escapes_every_profile_string():
    page = render(evil_summary(), "html")
    parser = Collect()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags and "b" not in parser.tags
    assert parser.tags.count("svg") >= 1 and "i" not in parser.tags
    text = "".join(parser.text)
    assert EVIL in text and "<img src=x>" in text and "<dir>/p.yaml" in text
    # self-contained: nothing fetched, nothing run
    assert not [a for a in parser.attrs if a[0] in ("src", "href") or a[0].startswith("on")]


def test_markdown_and_text_escape_too():
    markdown = render(evil_summary(), "markdown")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "\\*bold\\* \\| pipe" in markdown
    text = render(evil_summary(), "text")
    assert EVIL in text  # plain text shows it as written


def test_digest_reads_the_contract():
    d = digest(RESULTS[1])
    assert d.tiers == (("step1", "concerning"), ("yog", "borderline"))
    assert d.overdue == (("m_a", "second A"),)
    assert d.urgent_flags == 2
    assert digest(None) is None


def test_cli_summary_matches_the_results(capsys, tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", cohort(12))
    out, report = tmp_path / "out.jsonl", tmp_path / "summary.md"
    code = main(["batch", str(source), "--out", str(out), "--summary", str(report),
                 "--summary-format", "markdown", "-j", "2"])
    capsys.readouterr()
    assert code == 0
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    levels = Counter((d["component"], d["level"]) for r in records for d in r["derived"]
                     if d["type"] == "tier")
    step2 = [levels[("step2_ck", lvl)] for lvl in ("competitive", "borderline", "concerning")]
    none = len(records) - sum(step2)
    md = report.read_text(encoding="utf-8")
    assert f"| step2\\_ck | {' | '.join(map(str, step2))} | {none} |" in md
    overdue = Counter(f["rule"] for r in records for f in r["findings"]
                      if f["kind"] == "milestone" and f["status"] == "overdue")
    rule, count = sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    assert f"| {rule.replace('_', chr(92) + '_')} | {count} |" in md


def test_cli_html_summary(capsys, tmp_path):
    report = tmp_path / "s.html"
    code = main(["batch", *map(str, EXAMPLES), "--summary", str(report),
                 "--summary-format", "html", "-j", "1"])
    capsys.readouterr()
    assert code == 0
    parser = Collect()
    parser.feed(report.read_text(encoding="utf-8"))
    assert "svg" in parser.tags and str(len(EXAMPLES)) in parser.text


def test_progress_line():
    import io

    ticks = iter([0.0, 0.0, 1.0, 2.0, 2.0, 2.0])
    stream = io.StringIO()
    bar = Progress(stream, total=4, width=4, clock=lambda: next(ticks))
    bar.update()
    bar.update(failed=True)
    assert bar.line() == "[##..] 2/4  50%  1.0/s  ETA 0:02  1 failed"
    assert "\r" in stream.getvalue()
    unknown = Progress(io.StringIO(), total=None, clock=lambda: 2.0)
    unknown.start = 0.0
    unknown.done = 5
    assert unknown.line() == "5 profiles  2.5/s"
