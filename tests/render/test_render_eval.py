"""Renderers of one evaluation (text, Markdown, HTML, JSON) on hand-built result dicts."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest

from imgrules._paths import ABSENT, walk
from imgrules._render import _common, html, markdown, text

from .conftest import EVIL, make_result

SECTIONS = ["This month: the few things to do", "Where you stand", "Tell us: facts to record"]


class _Tree(HTMLParser):
    """Collects start tags and the text outside tags (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:
            self.text.append(data)


def parse_html(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


# ------------------------------------------------------------------ common


@pytest.mark.parametrize("k, name", [(13, "Before the countdown"), (12, "Foundation"),
                                     (10, "Foundation"), (9, "Building"), (5, "Building"),
                                     (4, "Consolidation"), (3, "Consolidation"),
                                     (2, "Application"), (0, "Application"), (-1, "After T-0")])
def test_phase_names(k, name):
    assert _common.phase_name(k) == name


def test_because_reads_missing_derived_bindings_and_matched_values(result, profile):
    by_rule = {f["rule"]: f for f in result["findings"]}
    because = lambda rule: _common.because(by_rule[rule], profile)
    assert because("lock_specialty") == "applicant.specialty_locked = no"
    assert because("book_rotations") == "experiences = []"
    assert because("stale_observership") == "tier(usce) = concerning"
    # a bound record shows by its id; paths under it are not repeated
    assert because("weak_letter") == "l = lor-1"
    assert because("step3_if_weak") == "exams.step2_ck.score = 232"
    # what is missing, not the path matched to find it out
    assert because("step1_needs_info") == "missing exams.step1"
    assert because("month9_reminder") == ""  # as_of alone is no reason


def test_because_without_the_profile_names_the_paths(result):
    by_rule = {f["rule"]: f for f in result["findings"]}
    assert _common.because(by_rule["lock_specialty"]) == "applicant.specialty_locked"
    assert _common.because(by_rule["weak_letter"]) == "l = letters[0]"


def test_because_is_short():
    finding = {"provenance": {"matched": [f"$.a{i}" for i in range(6)]}}
    profile = {f"a{i}": i for i in range(6)}
    assert _common.because(finding, profile) == "a0 = 0; a1 = 1; a2 = 2 (+3 more)"


@pytest.mark.parametrize("path, value", [
    ("$.exams.step2_ck.score", 232), ("$.letters[0].id", "lor-1"), ("$.letters[-1].id", "lor-1"),
    ("$.letters[1]", None), ("$.nope.x", None), ("$.experiences[0]", None), ("exams", None),
    ("$", "whole"),
])
def test_walk(profile, path, value):
    found = walk(profile, path)
    if value == "whole":
        assert found is profile
    elif value is None:
        assert found is ABSENT
    else:
        assert found == value


def test_tiers_in_contract_order(result):
    assert _common.tiers(result) == [("step2_ck", "competitive"), ("yog", "borderline"),
                                     ("usce", "concerning"), ("lors", "borderline")]


# ------------------------------------------------------------------ text


def test_text_reads_top_standing_topics_then_tell_us(result):
    out = text.render([("p", result)], text.Style(width=100))
    positions = [out.index(f"\n{title}\n") for title in SECTIONS]
    assert positions == sorted(positions)
    assert out.startswith("You are at T-9 (Building)")
    top = out.split("This month: the few things to do\n")[1].split("\n\n")[0].splitlines()
    # overdue and due deadlines and the high flag, strongest first, one line each, dated
    assert top == ["  1. [high] One observership from years ago isn't a US narrative (now)",
                   "  2. [overdue] Lock your specialty (since 2026-09-15)",
                   "  3. [due] Book your US rotations (by 2026-12-15)",
                   "  4. [medium] Letter from <script>alert(1)</script> is generic (now)"]
    assert "- Record your Step 1 result so we can check this." in out
    assert "  Building phase, T-9 to T-5; 1 of 5 milestones done, 2 overdue or due" in out
    assert "\x1b[" not in out


def test_text_applicant_view_has_no_internals_and_advisor_view_has_them(result):
    applicant = text.render([("p", result)], text.Style(width=100))
    advisor = text.render([("p", result)], text.Style(width=100), view="advisor")
    for internal in ("lock_specialty", "first_application.rules", "because", "l = ",
                     "tier(usce)", "img.core"):
        assert internal not in applicant
    assert "[lock_specialty img/first_application.rules:40]" in advisor
    assert "because applicant.specialty_locked" in advisor
    assert "tier(usce) = concerning" in advisor


def test_text_all_shows_every_message_and_the_done_list(result):
    short = text.render([("p", result)], text.Style(width=100))
    full = text.render([("p", result)], text.Style(width=100), full=True)
    assert "Done\n  Audit your profile; Old window" in full
    assert "Done\n" not in short
    assert "see \u201cMonth 12: Commit and Clarify\u201d" in full


def test_text_wraps_to_width(result):
    for width in (40, 60, 100):
        out = text.render([("p", result)], text.Style(width=width))
        assert max(len(line) for line in out.splitlines()) <= width


def test_text_colour_only_when_asked(result):
    coloured = text.render([("p", result)], text.Style(color=True, width=80))
    assert "\x1b[31m[overdue]\x1b[0m" in coloured
    plain = text.render([("p", result)], text.Style(color=False, width=80))
    assert "\x1b" not in plain


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_terminal_style_follows_tty_and_no_color():
    assert text.terminal_style(_Tty(), environ={}).color is True
    assert text.terminal_style(_Tty(), environ={"NO_COLOR": "1"}).color is False
    assert text.terminal_style(io.StringIO(), environ={}).color is False
    assert text.terminal_style(io.StringIO(), environ={"COLUMNS": "64"}).width == 64
    assert text.terminal_style(io.StringIO(), environ={"COLUMNS": "500"}).width == 100


def test_text_escapes_control_characters_from_data(result):
    result["findings"][0]["message"] = "evil\x1b[2Jtext\nnext\u202eend"
    out = text.render([("p", result)])
    assert "\x1b" not in out and "\u202e" not in out
    assert "evil\\x1b[2Jtext next\\u202eend" in out


def test_text_several_profiles_are_separate_labelled_sections(result, empty_result):
    out = text.render([("a.yaml", result), ("b.yaml", empty_result)])
    assert out.index("a.yaml: You are at") < out.index("-" * 20) < out.index("b.yaml: You are at")
    assert "Nothing to report." in out.split("b.yaml")[1]


def test_text_after_the_application_date(result):
    result["months_to_go"] = -2
    out = text.render([("p", result)])
    assert out.startswith("You are at T+2 (After T-0)")
    assert "2 months past your application date 2027-09-15" in out


# ------------------------------------------------------------------ markdown


def test_markdown_escapes_what_markdown_reads():
    assert markdown.escape("a|b") == r"a\|b"
    assert markdown.escape("*x* _y_ `c`") == r"\*x\* \_y\_ \`c\`"
    assert markdown.escape(EVIL) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert markdown.escape("# not a heading") == r"\# not a heading"
    assert markdown.escape("1. not a list") == r"1\. not a list"
    assert markdown.escape("two\nlines") == "two lines"
    assert markdown.escape("T-10 Dr. Chen") == "T-10 Dr. Chen"


def test_markdown_sections_table_and_escaped_findings(result):
    out = markdown.render([("p", result)], full=True)
    for title in SECTIONS:
        assert f"## {title}\n" in out
    assert "|---|---|\n| Step 2 CK | competitive |" in out
    assert "<script>" not in out
    assert r"Schedule Step 3 \*between\* T-7 and T-5 \| \`soon\`" in out
    assert r"see *Month 5 \| Letters*" in out
    # table rows keep exactly two cells whatever the data says
    result["derived"].append({"type": "tier", "component": "a|b", "level": "x|y"})
    rows = [line for line in markdown.render([("p", result)]).splitlines() if "a\\|b" in line]
    assert rows == [r"| a\|b | x\|y |"]


def test_markdown_advisor_view_names_rules_and_places(result):
    out = markdown.render([("p", result)], view="advisor")
    assert "rule `lock_specialty` at `img/first_application.rules:40`" in out
    assert "lock_specialty" not in markdown.render([("p", result)])


def test_markdown_several_profiles(result, empty_result):
    out = markdown.render([("a.yaml", result), ("b.yaml", empty_result)])
    assert out.startswith("# Evaluation of 2 profiles")
    assert "## a.yaml: You are at T-9 (Building)" in out
    assert "## b.yaml: You are at" in out


# ------------------------------------------------------------------ html


def test_html_is_one_page_with_every_section(result):
    page = html.render([("p", result)])
    tree = parse_html(page)
    body = " ".join(tree.text)
    for title in SECTIONS:
        assert title in body
    assert body.index(SECTIONS[0]) < body.index(SECTIONS[1]) < body.index(SECTIONS[-1])
    assert tree.tags.count("html") == 1 and "style" in tree.tags
    assert "script" not in tree.tags and "link" not in tree.tags and "img" not in tree.tags
    assert "http://" not in page and "https://" not in page
    assert "@media print" in page


def test_html_keeps_a_script_in_the_data_as_text(result):
    result["findings"][0]["cite"] = EVIL
    result["derived"].append({"type": "tier", "component": EVIL, "level": "x\" onclick=\"y"})
    page = html.render([(EVIL, result)], full=True)
    tree = parse_html(page)
    assert "script" not in tree.tags
    body = "".join(tree.text)
    assert f"Letter from {EVIL} is generic" in body
    assert body.count(EVIL) >= 3  # finding message, cite, tier
    assert 'onclick="y' not in page


def test_html_several_profiles(result, empty_result):
    tree = parse_html(html.render([("a.yaml", result), ("b.yaml", empty_result)]))
    assert tree.tags.count("section") == 2
    assert "Evaluation of 2 profiles" in " ".join(tree.text)


# ------------------------------------------------------------------ json


def test_json_round_trips_and_keeps_unicode_and_key_order():
    data = make_result()
    data["findings"][0]["message"] = "Résumé \u2014 naïve"
    out = _common.dumps(data)
    assert "Résumé \u2014 naïve" in out
    assert json.loads(out) == data
    assert list(json.loads(out)) == list(data)


def test_renderers_survive_a_minimal_result():
    minimal = {"as_of": "2026-01-01", "application_date": "2026-09-15"}
    assert "You are at unknown" in text.render([("m", minimal)])
    assert "Nothing to report." in markdown.render([("m", minimal)])
    assert "Nothing to report." in html.render([("m", minimal)])


def test_because_says_what_the_profile_does_not_give(profile):
    finding = {"provenance": {"matched": ["$.documents.gap_list", "$.exams.step2_ck.score"]}}
    assert _common.because(finding, profile) == ("documents.gap_list not given; "
                                                 "exams.step2_ck.score = 232")


def test_because_shows_a_bound_derived_fact_once():
    fact = {"type": "tier", "component": "lors", "level": "borderline"}
    finding = {"provenance": {"rests_on": [fact], "bindings": {"t": fact}}}
    assert _common.because(finding) == "tier(lors) = borderline"
