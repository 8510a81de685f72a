"""The report an applicant reads: plain words, the few urgent things first, two screens.

Unit tests of :mod:`imgrules._render.words` and :mod:`imgrules._render.report`, then every
example persona through the shipped packs, then generated profiles (a property test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from imgrules import _api as api
from imgrules._render import html, markdown, report, text, words
from imgrules.testing import profiles

from .conftest import make_result

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN_AS_OF = "2026-11-22"


# ------------------------------------------------------------------ words


@pytest.mark.parametrize("value, shown", [
    ("internal_medicine", "Internal Medicine"), ("step2_ck", "Step 2 CK"), ("usce", "USCE"),
    ("img_friendly", "IMG Friendly"), ("eras_account", "ERAS Account"), ("nrmp", "NRMP"),
    ("soap", "SOAP"), ("ecfmg", "ECFMG"), ("pediatrics", "Pediatrics"),
    ("Already Words", "Already Words"),
])
def test_label(value, shown):
    assert words.label(value) == shown


def test_plain_turns_ids_into_labels_and_drops_quoted_paths():
    assert words.plain("Rotations in internal_medicine (exams.step2_ck.score)") == (
        "Rotations in Internal Medicine")
    assert words.plain("Take step2_ck early") == "Take Step 2 CK early"


@pytest.mark.parametrize("n, text", [(0, "0 interview invites"), (1, "1 interview invite"),
                                     (2, "2 interview invites")])
def test_plural(n, text):
    assert words.plural(n, "interview invite") == text


@pytest.mark.parametrize("path, phrase", [
    ("$.documents.gap_list", "whether you have a gap list"),
    ("$.letters[0].upload_confirmed", "whether your upload is confirmed for each of your letters"),
    ("$.letters[2].writer_oversees_residents",
     "writer oversees residents for each of your letters"),
    ("$.exams.step1", "your Step 1 result"),
    ("$.exams.step2_ck.score", "your Step 2 CK score"),
    ("$.applicant.clinically_active_until", "until when you were clinically active"),
    ("$.applicant.specialty_locked", "whether your specialty is locked"),
    ("$.applicant.target_program_types", "your target program types"),
    ("$.mentors", "your mentors"),
    ("$.reapply.main_activity", "your main activity"),
    ("$.reapply", "your decisions for this re-application"),
    ("$.applicant.nontraditional", "whether you are nontraditional"),
    ("$.applicant.visa_required", "whether your visa is required"),
])
def test_record_phrase(path, phrase):
    assert words.record_phrase(path) == phrase


def test_location_is_relative_to_the_pack_folder():
    prov = {"pack": "img.reapplication", "file": "/home/x/rules/img/reapplication.rules",
            "line": 359}
    assert words.location(prov) == "img/reapplication.rules:359"
    assert words.location({"pack": "mine", "file": "/tmp/p/other.rules", "line": 3}) == (
        "other.rules:3")
    assert words.location(None) == ""


@pytest.mark.parametrize("finding, name", [
    ({"rule": "fa_lor_snapshot", "title": "A one-page snapshot for writers"}, "Letters"),
    ({"rule": "ra_10_step3_schedule", "title": "Register and schedule Step 3"}, "Exams"),
    ({"rule": "ra_9_usce_arranged", "title": "Arrange 2-3 months of USCE"},
     "US clinical experience"),
    ({"rule": "fa_contact_mentors", "title": "Email potential mentors"}, "Mentors"),
    ({"rule": "ra_12_autopsy_borderline", "title": "A component of last cycle's file is "
      "borderline"}, "Your last cycle"),
    ({"rule": "x", "title": "Something else", "topic": "my_topic"}, "My Topic"),
    ({"rule": "x", "title": "Something else"}, words.OTHER_TOPIC),
])
def test_topic(finding, name):
    assert words.topic(finding) == name


# ------------------------------------------------------------------ the report


def _milestone(rule, status, due, title=None, **extra):
    return {"kind": "milestone", "rule": rule, "title": title or rule, "message": "m",
            "status": status, "due_date": due, **extra}


def test_the_few_things_rank_by_severity_then_date_one_per_topic_first():
    result = {"months_to_go": 9, "findings": [
        _milestone("letter_a", "overdue", "2026-10-15"),
        _milestone("letter_b", "overdue", "2026-09-15"),
        _milestone("program_a", "due", "2026-12-15"),
        {"kind": "flag", "rule": "exam_flag", "title": "exam", "severity": "critical"},
        {"kind": "flag", "rule": "low_flag", "title": "mentor", "severity": "low"},
        _milestone("research_a", "upcoming", "2027-01-15"),
    ]}
    rep = report.build(result)
    assert [e.rule for e in rep.top] == ["exam_flag", "letter_b", "letter_a", "program_a"]
    rest = [e.rule for t in rep.topics for e in t.entries]
    assert set(rest) == {"low_flag", "research_a"}  # nothing said twice


def test_a_deadline_ranks_by_its_declared_severity_while_overdue_or_due():
    result = {"months_to_go": 9, "findings": [
        _milestone("letter_a", "overdue", "2026-09-15"),
        _milestone("program_a", "due", "2026-12-15", severity="critical"),
        _milestone("research_a", "overdue", "2026-08-15", severity="low"),
        _milestone("exam_a", "upcoming", "2027-01-15", severity="critical"),
    ]}
    rep = report.build(result)
    # critical before the default high before low; every overdue or due one is to do now
    assert [e.rule for e in rep.top] == ["program_a", "letter_a", "research_a"]
    assert [e.severity for e in rep.top] == ["critical", "high", "low"]
    # an upcoming deadline is not urgent, whatever its severity
    assert [e.rule for t in rep.topics for e in t.entries] == ["exam_a"]
    assert report.strength(_milestone("x", "done", "2026-01-15", severity="critical")) == "low"


def test_at_most_five_and_the_strongest_topic_does_not_crowd_out_others():
    findings = [_milestone(f"letter_{i}", "overdue", f"2026-0{i + 1}-15") for i in range(7)]
    findings.append(_milestone("program_x", "due", "2026-12-15"))
    rep = report.build({"findings": findings})
    assert len(rep.top) == 5
    assert "program_x" in [e.rule for e in rep.top]


def test_repeats_of_one_rule_fold_into_one_entry():
    flag = {"kind": "flag", "rule": "img_friendly", "title": "A label without evidence",
            "severity": "low"}
    rep = report.build({"findings": [dict(flag), dict(flag), dict(flag)]})
    (topic,) = rep.topics
    (entry,) = topic.entries
    assert entry.count == 3 and entry.title("applicant").endswith("(3 times)")


def test_tell_us_groups_checks_by_the_fact_they_wait_on():
    result = {"findings": [
        _milestone("a", "needs_info", "2027-01-15", "First", missing=["$.documents.gap_list"]),
        _milestone("b", "needs_info", "2027-02-15", "Second", missing=["$.documents.gap_list"]),
        {"kind": "needs_info", "rule": "c", "title": "Third", "missing": ["$.exams.step1"]},
    ], "undecided": [{"rule": "d", "needs_info": ["$.exams.step1"]}]}
    rep = report.build(result)
    assert [(a.text, a.checks, a.rules) for a in rep.asks] == [
        ("Record whether you have a gap list so we can check this.", ("First", "Second"),
         ("a", "b")),
        ("Record your Step 1 result so we can check this.", ("Third",), ("c", "d"))]
    assert not rep.top and not rep.topics  # waiting is not overdue


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError, match="view must be one of"):
        report.build(make_result(), view="secret")


# ------------------------------------------------------------------ the example personas

_PACKS: dict[str, object] = {}


def _evaluate(path: Path) -> tuple[dict, dict]:
    import datetime as dt

    from imgrules._facts.reader import load_profile_file
    from imgrules._tracks import pack_for_data

    raw = load_profile_file(str(path))
    name = pack_for_data(raw.data)
    if name not in _PACKS:
        _PACKS[name] = api.load(name)
    as_of = None if raw.data.get("as_of") else dt.date.fromisoformat(GOLDEN_AS_OF)
    return api.evaluate(_PACKS[name], raw, as_of=as_of).to_json(), raw.data


_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_FACT = re.compile(r"\b[a-z_]+\((?:[a-z_]+: )")


def internals(result: dict, shown: str) -> list[str]:
    """What of the engine's internals a view shows: rule ids, snake_case ids, fact syntax,
    pack file names, reasons with bindings."""
    rules = {f["rule"] for f in result["findings"]} | {u["rule"] for u in result["undecided"]}
    found = [r for r in rules if re.search(rf"\b{re.escape(r)}\b", shown)]
    found += _SNAKE.findall(shown) + _FACT.findall(shown)
    found += re.findall(r"because [\w.\[\]]+ (?:=|not given)", shown)  # a reason's bindings
    found += [w for w in (".rules", "$.", str(ROOT)) if w in shown]
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_persona_fits_two_screens_in_plain_words(example):
    result, data = _evaluate(example)
    out = text.render([("", result, data)], text.Style(width=80))
    lines = out.splitlines()
    assert len(lines) <= text.MAX_LINES, f"{example.name}: {len(lines)} lines"
    assert max(len(line) for line in lines) <= 80
    assert internals(result, out) == []
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings[1:3] == ["This month: the few things to do", "Where you stand"] or \
        headings[1] == "Where you stand"
    asks = [i for i, line in enumerate(lines) if line == "Tell us: facts to record"]
    if asks:  # last but for the footer
        assert all(not h or h.startswith(("Shortened", "Also:"))
                   for h in headings[headings.index("Tell us: facts to record") + 1:])
    top = out.split("This month: the few things to do\n")[1].split("\n\n")[0].splitlines()
    assert 1 <= len(top) <= report.TOP_N
    for line in top:  # one line each, with its date (a flag is about now)
        assert re.search(r"\((since|by) \d{4}-\d\d-\d\d\)$|\(now\)$", line), line
    page = html.render([("", result, data)])
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
    for view in (markdown.render([("", result, data)]), visible):
        assert internals(result, view) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_all_shows_every_finding_once_and_the_advisor_view_shows_where(example):
    result, data = _evaluate(example)
    flat = lambda out: " ".join(out.split())  # noqa: E731 (lines wrap anywhere)
    full = flat(text.render([("", result, data)], text.Style(width=100), full=True))
    for finding in result["findings"]:
        if finding.get("kind") != "needs_info" and finding.get("status") != "needs_info":
            assert words.plain(finding["title"]) in full, finding["rule"]
    advisor = flat(text.render([("", result, data)], text.Style(width=100), view="advisor",
                               full=True))
    for finding in result["findings"]:
        if finding.get("kind") != "needs_info" and finding.get("status") != "needs_info":
            prov = finding["provenance"]
            assert f"[{finding['rule']} {words.location(prov)}]" in advisor
    assert str(ROOT) not in advisor and "rules/img/" not in advisor


# two more personas: a re-applicant at T-13, the week after a failed match, and a first-time
# applicant at T-1 who has recorded no exams at all
MORE_PERSONAS = {
    "reapplicant-t13": """\
as_of: 2026-08-10
application_date: 2027-09-15
track: reapplicant
applicant: {id: R-13, graduation_year: 2019, target_specialties: [pediatrics],
            specialty_locked: false, visa_required: true}
exams:
  step1: {result: pass, attempts: 1}
  step2_ck: {score: 231, attempts: 1, result: pass}
experiences:
  - {id: obs-1, kind: observership, country: US, specialty: pediatrics, setting: outpatient,
     start: 2025-06-02, end: 2025-07-01}
letters:
  - {id: lor-1, writer: Dr. Okafor, specialty: pediatrics, us_based: true, weeks_known: 4,
     strength: standard, status: uploaded}
prior_cycles:
  - {year: 2026, specialties: [pediatrics], programs_applied: 90, interviews: 3,
     matched: false}
""",
    "first-timer-t1-no-exams": """\
as_of: 2027-08-01
application_date: 2027-09-15
track: first_time
applicant: {id: F-1, graduation_year: 2024, target_specialties: [family_medicine],
            specialty_locked: true, visa_required: false}
experiences: []
letters: []
programs: []
""",
}


@pytest.mark.parametrize("name", sorted(MORE_PERSONAS))
def test_more_personas_fit_two_screens_in_plain_words(name, tmp_path):
    path = tmp_path / f"{name}.yaml"
    path.write_text(MORE_PERSONAS[name], encoding="utf-8")
    result, data = _evaluate(path)
    out = text.render([("", result, data)], text.Style(width=80))
    assert len(out.splitlines()) <= text.MAX_LINES
    assert internals(result, out) == []
    assert "This month: the few things to do" in out or not any(
        report.is_urgent(f) for f in result["findings"])
    topics = [t.name for t in report.build(result, data).topics]
    assert len(topics) == len(set(topics))  # each topic once


# ------------------------------------------------------------------ generated profiles


@pytest.mark.parametrize("pack", ["img.first_application", "img.reapplication"])
def test_no_internals_in_the_applicant_view_of_any_profile(pack):
    compiled = api.load(pack)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(profiles(compiled.schema))
    def check(profile):
        result = api.evaluate(compiled, profile).to_json()
        for full in (False, True):
            out = text.render([("", result, profile)], text.Style(width=80), full=full)
            assert internals(result, out) == []
            if not full:
                assert len(out.splitlines()) <= text.MAX_LINES

    check()


def test_declared_labels_come_before_the_humanised_id():
    compiled = api.load("img.first_application")
    labels = words.declared_labels(compiled.schema)
    assert labels["ob_gyn"] == "Obstetrics and Gynecology"
    assert words.label("ob_gyn") == "OB GYN"  # outside a rendering: the humanised id
    with words.declared(labels):
        assert words.label("ob_gyn") == "Obstetrics and Gynecology"
        assert words.plain("Letters in ob_gyn and hospital_medicine") == (
            "Letters in Obstetrics and Gynecology and Hospital Medicine")
        assert words.label("no_such_value") == "No Such Value"
    assert words.label("ob_gyn") == "OB GYN"


def test_the_report_names_tiers_and_diagnoses_by_their_declared_labels():
    result = {"months_to_go": 9, "findings": [], "derived": [
        {"type": "diagnosis", "code": "interview_or_fit"},
        {"type": "tier", "component": "usce", "level": "concerning"}]}
    with words.declared({"interview_or_fit": "Interviews or fit, not the file",
                         "usce": "US clinical experience (declared)"}):
        rep = report.build(result)
    assert rep.diagnoses == ("Interviews or fit, not the file",)
    assert rep.tiers == (("US clinical experience (declared)", "concerning"),)
    assert report.build(result).diagnoses == ("Interview or fit",)
