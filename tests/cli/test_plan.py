"""``imgrules plan``: options, exit codes, formats, goldens."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from .helpers import EXAMPLES, FIRST_TIMER, ROOT, check_golden, example_as_of, run, write


@pytest.mark.parametrize("args, needle", [
    (["plan", "{p}", "--format", "markdown"], "--format: 'markdown' is not one of text, html, json"),
    (["plan", "{p}", "--as-of", "soon"], "--as-of: 'soon' is not a date"),
    (["plan", "{p}", "{p}"], "unexpected extra argument"),
    (["plan", "nowhere.yaml"], "nowhere.yaml: no such file"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, capsys, args, needle):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, *[a.replace("{p}", profile) for a in args])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("imgrules plan: error: ") and needle.lower() in err.lower()



def test_text_lists_thirteen_months(tmp_path, capsys):
    code, out, err = run(capsys, "plan", write(tmp_path, "p.yaml", FIRST_TIMER))
    assert code == 0, err
    heads = [line.split()[0] for line in out.splitlines()
             if line.lstrip().startswith("T-") and " .. " in line]
    assert heads == [f"T-{k}" for k in range(12, -1, -1)]
    assert "T-9  2026-11-16 .. 2026-12-15  Building  <- you are here" in out


def test_json_matches_the_evaluation(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "plan", path, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert [m["k"] for m in plan["months"]] == list(range(12, -1, -1))
    assert [m["k"] for m in plan["months"] if m["current"]] == [9]
    _, evaluated, _ = run(capsys, "eval", path, "--format", "json")
    milestones = {f["rule"]: f["status"] for f in json.loads(evaluated)["findings"]
                  if f["kind"] == "milestone"}
    planned = {d["rule"]: d["status"] for m in plan["months"] for d in m["deadlines"]}
    planned.update({d["rule"]: d["status"] for d in plan["other_deadlines"]})
    assert planned == milestones


def test_html_is_a_timeline_with_no_script(tmp_path, capsys):
    target = tmp_path / "plan.html"
    code, out, err = run(capsys, "plan", write(tmp_path, "p.yaml", FIRST_TIMER), "--format",
                         "html", "--out", str(target))
    assert code == 0 and out == "", err
    page = target.read_text(encoding="utf-8")
    tags = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)
    parser.feed(page)
    assert "svg" in tags and "script" not in tags


def test_bad_profile_exit_1(tmp_path, capsys):
    bad = FIRST_TIMER.replace("score: 245", "score: high")
    code, out, err = run(capsys, "plan", write(tmp_path, "bad.yaml", bad))
    assert code == 1 and out == "" and "$.exams.step2_ck.score" in err


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden_json(example, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "plan", str(example.relative_to(ROOT)), "--format", "json",
                         "--as-of", example_as_of(example))
    assert code == 0, err
    check_golden("plan", example, out)


def test_no_stale_goldens():
    names = {p.stem for p in EXAMPLES}
    stale = [p.name for p in (ROOT / "tests" / "golden" / "plan").glob("*.json")
             if p.stem not in names]
    assert not stale, f"golden files without an example: {stale}"
