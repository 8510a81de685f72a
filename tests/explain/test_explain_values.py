"""What an advisor reads in an explanation: the values matched paths had, the table row
that matched and what it derived, facts in the language's syntax, and the JSON tree."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from imgrules import _api as api
from imgrules._cli import main

PACK = """\
pack v

enum Level { low, mid, high }

record Exam {
  score: int?
  attempts: int?
}

record Exams { step2_ck: Exam? }

profile {
  as_of: date
  application_date: date
  exams: Exams?
}

fact band { level: Level }
fact label { name: str, level: Level }

table band "Band"
  hit first
  given exams.step2_ck.score, coalesce(exams.step2_ck.attempts, 1)
  derive band()
  row ..224, any => low
  row 225..239, 1 => mid
  row 240.., 1 => high

rule labelled "Label the band"
  for b in band
  then derive label(name: "Step 2", level: b.level)

rule mid_band "Mid band"
  for l in label
  when l.level == mid
  then flag medium "mid"
"""

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def prof(**exam):
    return {"as_of": "2026-11-22", "application_date": "2027-08-15", "exams": {"step2_ck": exam}}


@pytest.fixture
def pack(tmp_path, monkeypatch):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    path = tmp_path / "v.rules"
    path.write_text(PACK, encoding="utf-8")
    return path


def explain(pack, data, rule):
    return api.explain(api.load(pack), data, rule)


def test_why_shows_rows_derived_facts_and_matched_values(pack):
    out = explain(pack, prof(score=232), "mid_band").text().replace(str(pack), "v.rules")
    assert out == textwrap.dedent("""\
        mid_band (v.rules:33) "Mid band" fired 1 time(s):
          - by mid_band at v.rules:33
            with l = label(name: "Step 2", level: mid)
            rests on label(name: "Step 2", level: mid)
              - by labelled at v.rules:29
                derived label(name: "Step 2", level: mid)
                with b = band(level: mid)
                rests on band(level: mid)
                  - by band at v.rules:26
                    row 2 (225..239, 1 => mid) derived band(level: mid)
                    matched $.exams.step2_ck.attempts is missing, $.exams.step2_ck.score = 232""")


def test_why_json_tree_has_values_rows_and_fact_text(pack):
    data = explain(pack, prof(score=245, attempts=1), "band").to_json()
    (tree,) = data["tree"]
    assert tree["row"] == {"number": 3, "text": "240.., 1 => high"}
    assert tree["derived"] == "band(level: high)"
    assert tree["matched"] == [
        {"path": "$.exams.step2_ck.attempts", "value": 1, "text": "$.exams.step2_ck.attempts = 1"},
        {"path": "$.exams.step2_ck.score", "value": 245, "text": "$.exams.step2_ck.score = 245"}]
    # the engine's provenance is still there, unchanged, for programs that read it
    assert data["derivations"][0]["matched"] == ["$.exams.step2_ck.attempts", "$.exams.step2_ck.score"]


def test_why_not_shows_the_values_of_the_paths_it_read(pack):
    out = explain(pack, prof(score=250, attempts=2), "band")
    assert out.text().splitlines()[1:] == [
        '  closest row 3 (240.., 1 => high) was false: coalesce(exams.step2_ck.attempts, 1) is 2, not 1']
    out = explain(pack, prof(attempts=1), "band")
    (failure,) = out.to_json()["failed"][:1]
    assert failure["detail"] == "$.exams.step2_ck.score is missing"
    assert failure["values"] == {"$.exams.step2_ck.score": None}


def test_shipped_pack_tiers_read_in_fact_syntax(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("IMGRULES_CACHE_DIR", str(tmp_path / "cache"))
    main(["explain", str(EXAMPLES / "reapplicant-thirteen-months-out.yaml"), "ra_12_autopsy_borderline"])
    out = capsys.readouterr().out
    assert "with t = tier(component: yog, level: borderline)" in out
    assert "row 2 (3..5 => borderline) derived tier(component: yog, level: borderline)" in out
    assert "matched $.applicant.graduation_year = 2021, $.as_of = 2026-11-22" in out
    assert "{'type'" not in out and "'component'" not in out


def test_why_not_closest_binding_is_a_fact_in_the_languages_syntax(pack):
    out = explain(pack, prof(score=200), "mid_band").text().replace(str(pack), "v.rules")
    assert out.splitlines()[1:] == [
        '  closest match: l = label(name: "Step 2", level: low)',
        "  l.level == mid was false: l.level is low"]


BASE = {"as_of": "2026-11-22", "application_date": "2027-08-15"}


def _small_pack(tmp_path, monkeypatch, rest: str):
    """A pack whose profile has the dates and ``score: int?``, then ``rest`` (which closes
    the profile)."""
    monkeypatch.setenv("IMGRULES_CACHE_DIR", "")
    path = tmp_path / "small.rules"
    path.write_text("pack small\nprofile { as_of: date\n  application_date: date\n  score: int?\n"
                    + textwrap.dedent(rest), encoding="utf-8")
    return api.load(path)


def test_why_not_tells_two_calls_of_one_let_apart(tmp_path, monkeypatch):
    """Each call of a let shows the values it saw: the events of its body are kept by the
    call they were reached through, not only by the body's condition."""
    pack = _small_pack(tmp_path, monkeypatch, """\
        other: int? }
        let big(n) = n > 3
        rule o "O" when big(score) or big(other) then remind "y"
        """)
    out = api.explain(pack, dict(BASE, score=1, other=2), "o")
    assert out.text().splitlines()[1:] == ["  n > 3 was false: n is 1", "  n > 3 was false: n is 2"]
    out = api.explain(pack, dict(BASE, other=2), "o")  # the first call cannot be decided
    assert out.to_json()["missing"] == ["$.score"]
    assert [f["outcome"] for f in out.to_json()["failed"]] == ["unknown"]


def test_why_not_of_an_invariant_says_violated_or_undecided(tmp_path, monkeypatch):
    """An invariant that is false is violated; one that cannot be decided is not (it is not
    in ``violations``), and its explanation says what it needs instead."""
    pack = _small_pack(tmp_path, monkeypatch, """\
        }
        invariant low "Scores stay low" require score < 300
        """)
    assert api.evaluate(pack, dict(BASE, score=400)).violations == ("low",)
    violated = api.explain(pack, dict(BASE, score=400), "low").to_json()
    assert violated["reason"] == "it does not hold" and violated["missing"] == []
    assert api.evaluate(pack, BASE).violations == ()
    undecided = api.explain(pack, BASE, "low").to_json()
    assert undecided["reason"].startswith("it cannot be decided") and undecided["missing"] == ["$.score"]
