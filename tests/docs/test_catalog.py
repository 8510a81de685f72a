"""The rule catalog: entries from pack files, conditions in English, the Markdown page."""

from __future__ import annotations

import re

import pytest

from imgrules._resources import rules_dir
from imgrules.catalog import build_catalog, condition_in_words, render_markdown
from imgrules._syntax import parse


def when_of(condition: str):
    pack, problems = parse(f'rule r "T"\n  when {condition}\n  then remind "x"\n', "t.rules")
    assert problems == []
    return pack.declarations[0].when


@pytest.mark.parametrize("condition, words", [
    ("exams.step2_ck.score < 225 or exams.step2_ck.attempts > 1",
     "Step 2 CK score is below 225 or Step 2 CK attempts is more than 1"),
    ("years_out >= 6", "years out is at least 6"),
    ("l.status == planned", "l's status is planned"),
    ("t.level in {borderline, concerning}", "t's level is borderline or concerning"),
    ("x not in {a, b}", "x is neither a nor b"),
    ("score in 225..239", "score is between 225 and 239"),
    ("n in ..2", "n is at most 2"),
    ("exams.step1 is missing", "Step 1 is missing"),
    ("exams.step1 is present", "Step 1 is given"),
    ("e.end < as_of - 24 months", "e's end is before 24 months before the evaluation date"),
    ("count(letters where status != planned) >= 2",
     "the number of letters where status is not planned is at least 2"),
    ("not exists(letters where us_based)", "there are no letters where US based"),
    ("(a or b) and c", "(a or b) and c"),
    ("coalesce(exams.step2_ck.attempts, 1) > 1", "Step 2 CK attempts (1 when missing) is more than 1"),
    ("letters[-1].status == received", "the status of the last of letters is received"),
    ("months_to_go <= 5", "months to go is at most 5"),
])
def test_condition_in_words(condition, words):
    assert condition_in_words(when_of(condition)) == words


PACK = '''pack demo.letters
  title "Demo"

fact tier { component: Component, level: Level }

rule late "Letters are late"
  cite "Month 5: Lock Letters"
  covers FA-5-request-lors, FA-5-ask-at-peak
  from T-5
  for l in letters
  when l.status == planned
  then flag high "Ask {l.writer} now"

deadline request "Request your letters"
  covers FA-5-request-lors
  by T-5
  require count(letters where status != planned) >= 2
  message "Ask near the end of a rotation"

window wave "First *wave* <now>" during T-8..T-7

table yog "Years out"
  hit unique
  given years_out
  derive tier(component: yog)
  row ..2  => competitive
  row 3..5 => borderline
  row 6..  => concerning

invariant one "One tier" require count(tier) <= 5
'''


@pytest.fixture
def demo(tmp_path):
    (tmp_path / "demo.rules").write_text(PACK, encoding="utf-8")
    (tmp_path / "broken.rules").write_text('rule r "x"\n  when x >\n  then remind "y"\n',
                                           encoding="utf-8")
    return build_catalog(sorted(tmp_path.glob("*.rules")), root=tmp_path)


def test_one_entry_per_rule_like_declaration(demo):
    assert [(e.kind, e.id, e.line) for e in demo.entries] == [
        ("rule", "late", 6), ("deadline", "request", 14), ("window", "wave", 20),
        ("table", "yog", 22), ("invariant", "one", 30)]
    assert {e.path for e in demo.entries} == {"demo.rules"}


def test_entry_fields(demo):
    late = demo.entries[0]
    assert late.title == "Letters are late"
    assert late.timing == "from T-5"
    assert late.condition == "for each l in letters, when l's status is planned"
    assert late.outcome == ('flags (high) "Ask {l\'s writer} now"',)
    assert late.cites == ("Month 5: Lock Letters",)
    assert late.covers == ("FA-5-request-lors", "FA-5-ask-at-peak")
    assert late.location == "demo.rules:6"
    request = demo.entries[1]
    assert request.timing == "by T-5"
    assert request.outcome[0] == "done when the number of letters where status is not planned is at least 2"
    assert demo.entries[2].timing == "during T-8..T-7"


def test_months_after_the_application_date_read_t_plus(tmp_path):
    (tmp_path / "after.rules").write_text(
        'pack after\nprofile { as_of: date\n  application_date: date }\n'
        'rule follow "Follow up" during T-1..T+2 then remind "x"\n'
        'deadline thanks "Thank-you notes" by T+1 require as_of is present\n'
        'window match "Match week" during T+1..T+2\n', encoding="utf-8")
    entries = build_catalog([tmp_path / "after.rules"], root=tmp_path).entries
    assert [e.timing for e in entries] == ["during T-1..T+2", "by T+1", "during T+1..T+2"]


def test_table_rows_name_the_fields_they_fill(demo):
    rows = demo.entries[3].outcome
    assert rows[0] == "reads years out (hit policy: unique)"
    assert rows[1:] == ("tier(component: yog, level: competitive) when years out is 2 or less",
                        "tier(component: yog, level: borderline) when years out is between 3 and 5",
                        "tier(component: yog, level: concerning) when years out is 6 or more")


def test_unparsable_file_gives_diagnostics_not_entries(demo):
    assert [d.span.path for d in demo.diagnostics] == ["broken.rules"]
    assert [p[0] for p in demo.packs] == ["demo.letters"]


def test_checklist_index(demo):
    index = demo.by_checklist_id()
    assert list(index) == ["FA-5-ask-at-peak", "FA-5-request-lors"]
    assert [e.id for e in index["FA-5-request-lors"]] == ["late", "request"]


def test_markdown_labels_and_escaping(demo):
    text = render_markdown(demo)
    assert "## Pack `demo.letters`" in text
    assert "(catalog-demo-letters-late)=\n### `late`: Letters are late" in text
    assert "[`request`](#catalog-demo-letters-request)" in text
    assert "File `demo.rules`, 1 rule, 1 deadline, 1 window, 1 table, 1 invariant." in text
    assert "l's status is planned" in text
    # Markdown-special characters in rule text are escaped, not interpreted
    assert r"### `wave`: First \*wave\* \<now\>" in text


def test_shipped_catalog_points_at_each_declaration():
    packs = sorted(rules_dir().glob("img/*.rules"))
    if not packs:
        pytest.skip("no shipped packs")
    catalog = build_catalog(packs, root=rules_dir().parent)
    assert catalog.diagnostics == ()
    assert catalog.entries
    for entry in catalog.entries:
        line = (rules_dir().parent / entry.path).read_text(encoding="utf-8").splitlines()[entry.line - 1]
        assert re.match(rf"\s*{entry.kind}\s+{entry.id}\b", line), (entry.location, line)
        assert entry.title
