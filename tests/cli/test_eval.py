"""``imgrules eval``: options, exit codes, formats, several profiles, goldens."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from imgrules import _api as api

from .helpers import (EXAMPLES, FIRST_TIMER, REAPPLICANT, ROOT, check_golden, example_as_of,
                      run, write)

# ------------------------------------------------------------------ usage (no engine needed)


@pytest.mark.parametrize("args, needle", [
    (["eval", "{p}", "--format", "pdf"], "--format: 'pdf' is not one of text, json, markdown, html"),
    (["eval", "{p}", "--as-of", "22/11/2026"], "--as-of: '22/11/2026' is not a date"),
    (["eval", "{p}", "--bogus"], "No such option"),
    (["eval"], "Missing argument"),
    (["eval", "nowhere.yaml"], "nowhere.yaml: no such file"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path, capsys, args, needle):
    profile = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, *[a.replace("{p}", profile) for a in args])
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("imgrules eval: error: ") and needle in err


def test_a_directory_is_not_a_profile(tmp_path, capsys):
    code, _, err = run(capsys, "eval", str(tmp_path))
    assert code == 2 and "is a directory" in err


# ------------------------------------------------------------------ with the engine



def test_text_by_default(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, err = run(capsys, "eval", write(tmp_path, "p.yaml", FIRST_TIMER))
    assert code == 0, err
    assert out.startswith("You are at T-9 (Building)")
    assert "Where you stand" in out and "Step 2 CK: competitive" in out
    assert "step2_ck" not in out and "fa_" not in out  # the applicant's view: no internals
    assert "\x1b" not in out  # captured stdout is not a terminal


def test_view_and_all(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    _, short, _ = run(capsys, "eval", path)
    code, everything, err = run(capsys, "eval", path, "--all")
    assert code == 0, err
    assert len(short.splitlines()) <= 80 < len(everything.splitlines())
    assert "--all" in short and "--all" not in everything
    code, advisor, err = run(capsys, "eval", path, "--view", "advisor", "--format", "markdown")
    assert code == 0, err
    assert "rule `fa_" in advisor and "img/first_application.rules:" in advisor
    code, _, err = run(capsys, "eval", path, "--view", "nobody")
    assert code == 2 and err.startswith("imgrules eval: error: ") and "nobody" in err
    # the JSON contract is the same whatever the view
    _, plain_json, _ = run(capsys, "eval", path, "--format", "json")
    _, advisor_json, _ = run(capsys, "eval", path, "--format", "json", "--view", "advisor",
                             "--all")
    assert plain_json == advisor_json


def test_json_is_the_results_contract(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "eval", path, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert list(data)[:4] == ["as_of", "application_date", "months_to_go", "packs"]
    assert data["months_to_go"] == 9
    assert "img.first_application" in [p["name"] for p in data["packs"]]
    compiled = api.load("img.first_application")
    expected = api.evaluate(compiled, path).to_json()
    assert data == json.loads(json.dumps(expected, default=str))


def test_the_pack_follows_the_track(tmp_path, capsys):
    code, out, err = run(capsys, "eval", write(tmp_path, "r.yaml", REAPPLICANT), "--format", "json")
    assert code == 0, err
    assert "img.reapplication" in [p["name"] for p in json.loads(out)["packs"]]


def test_as_of_overrides_the_profile(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, out, err = run(capsys, "eval", path, "--format", "json", "--as-of", "2027-06-01")
    assert code == 0, err
    data = json.loads(out)
    assert data["as_of"] == "2027-06-01" and data["months_to_go"] == 3


def test_several_profiles(tmp_path, capsys):
    a = write(tmp_path, "a.yaml", FIRST_TIMER)
    b = write(tmp_path, "b.yaml", REAPPLICANT)
    code, out, err = run(capsys, "eval", a, b, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2
    code, out, _ = run(capsys, "eval", a, b)
    assert out.index(f"{a}: You are at") < out.index(f"{b}: You are at")


def test_markdown_and_html_escape_the_profile(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, md, _ = run(capsys, "eval", path, "--format", "markdown")
    assert code == 0 and md.startswith("# You are at") and "<script>" not in md
    code, page, _ = run(capsys, "eval", path, "--format", "html")
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    tags = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)
    parser.feed(page)
    assert "script" not in tags


def test_out_writes_the_file_and_nothing_to_stdout(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    target = tmp_path / "report.html"
    code, out, err = run(capsys, "eval", path, "--format", "html", "--out", str(target))
    assert code == 0, err
    assert out == "" and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] != [] and not list(tmp_path.glob("*.tmp"))


def test_out_into_a_missing_folder_is_an_io_error(tmp_path, capsys):
    path = write(tmp_path, "p.yaml", FIRST_TIMER)
    code, _, err = run(capsys, "eval", path, "--out", str(tmp_path / "no" / "x.txt"))
    assert code == 2 and err.startswith("imgrules eval: error: --out")


def test_bad_profile_lists_every_issue_with_its_path(tmp_path, capsys):
    bad = FIRST_TIMER.replace("track: first_time", "track: sometimes").replace(
        "strength: strong", "strength: mighty")
    path = write(tmp_path, "bad.yaml", bad)
    code, out, err = run(capsys, "eval", path)
    assert code == 1 and out == ""
    assert "$.track" in err and "first_time" in err and "reapplicant" in err
    assert "$.letters[0].strength" in err
    assert "Traceback" not in err


def test_bad_pack_is_reported_with_its_position(tmp_path, capsys):
    pack = write(tmp_path, "broken.rules", "pack broken\nrule x \"X\"\n  when\n")
    code, _, err = run(capsys, "eval", write(tmp_path, "p.yaml", FIRST_TIMER), "--pack", pack)
    assert code == 1
    assert "broken.rules:" in err and "Traceback" not in err


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden_json(example, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    relative = str(example.relative_to(ROOT))
    code, out, err = run(capsys, "eval", relative, "--format", "json",
                         "--as-of", example_as_of(example))
    assert code == 0, err
    check_golden("eval", example, out)


def test_no_stale_goldens():
    names = {p.stem for p in EXAMPLES}
    stale = [p.name for p in (ROOT / "tests" / "golden" / "eval").glob("*.json")
             if p.stem not in names]
    assert not stale, f"golden files without an example: {stale}"


def test_reports_use_the_labels_the_pack_declares(tmp_path, capsys):
    pack = write(tmp_path, "labels.rules", """pack labels
enum Specialty { ob_gyn "Obstetrics and Gynecology", family_medicine }
profile { as_of: date
  application_date: date
  specialty: Specialty }
rule r "Check your ob_gyn letters"
  then recommend "Your {specialty} letters; family_medicine too"
""")
    profile = write(tmp_path, "p.yaml", "as_of: 2026-11-22\napplication_date: 2027-09-15\n"
                    "specialty: ob_gyn\n")
    code, out, _ = run(capsys, "eval", profile, "--pack", pack, "--all")
    assert code == 0
    # the message's hole by the engine; the ids in the pack's own text by the report
    assert "Your Obstetrics and Gynecology letters; Family Medicine too" in out
    assert "Check your Obstetrics and Gynecology letters" in out
    code, out, _ = run(capsys, "eval", profile, "--pack", pack, "--format", "json")
    assert json.loads(out)["findings"][0]["message"] == (
        "Your Obstetrics and Gynecology letters; family_medicine too")
