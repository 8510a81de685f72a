"""A finding's data, ``then flag medium "..." with {letter: l.id}``: typed names with
values, in the output's ``data`` (null for an unknown value), in explanations, and
printed back by the formatter."""

from __future__ import annotations

import imgrules
from imgrules._syntax.printer import format_text

from .helpers import PRELUDE, check_text, codes, messages

PACK = PRELUDE + """
rule pending "A letter is pending"
  for l in letters
  when l.status != received
  then flag medium "Letter {l.id} is {l.status}"
         with {letter: l.id, writer: l.writer, weeks: l.weeks_known, asked: l.requested_on}
       recommend "Follow up"
"""

PROFILE = {"as_of": "2026-11-22", "application_date": "2027-09-15", "graduation_year": 2020,
           "exams": {}, "letters": [
               {"id": "a", "writer": "Dr Lee", "us_based": True, "status": "requested", "weeks_known": 8,
                "requested_on": "2026-10-01"},
               {"id": "b", "us_based": False, "status": "planned"},
               {"id": "c", "us_based": False, "status": "received"}]}


def test_data_is_checked_as_plain_named_values(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R" for l in letters when l.us_based
  then flag low "x" with {all: letters, who: l, n: 1, n: 2, gap: 3 days, nope: nothing}
""")
    assert codes(checked) == ["E214", "E214", "E104", "E214", "E101"]
    assert messages(checked)[:4] == [
        "the finding's data 'all' must be one plain value, but letters is list[Letter]",
        "the finding's data 'who' must be one plain value, but l is Letter",
        "'n' is given twice in the finding's data",
        "the finding's data 'gap' must be one plain value, but 3 days is duration"]


def test_data_in_json_with_unknown_values_null(tmp_path):
    result = imgrules.evaluate(imgrules.loads(PACK), PROFILE).to_json()
    flags = [f for f in result["findings"] if f["kind"] == "flag"]
    assert [f["data"] for f in flags] == [
        {"letter": "a", "writer": "Dr Lee", "weeks": 8, "asked": "2026-10-01"},
        {"letter": "b", "writer": None, "weeks": None, "asked": None}]
    assert all("data" not in f for f in result["findings"] if f["kind"] != "flag")


def test_data_in_explanations(tmp_path):
    pack = imgrules.loads(PACK)
    why = imgrules.explain(pack, PROFILE, "pending")
    assert [f["data"]["letter"] for f in why.to_json()["findings"] if "data" in f] == ["a", "b"]
    text = why.text()
    assert "data of 'Letter a is requested': letter = a, writer = Dr Lee, weeks = 8, asked = 2026-10-01" in text
    assert "data of 'Letter b is planned': letter = b, writer = missing, weeks = missing, asked = missing" in text


def test_the_formatter_prints_data_under_its_action_and_reads_back_the_same():
    text = PACK.replace("\n         with", " with").replace("Follow up\"", "Follow up\" with {n:1,}")
    once = format_text(text)
    assert "         with {letter: l.id, writer: l.writer, weeks: l.weeks_known, asked: l.requested_on}\n" in once
    assert "       recommend \"Follow up\"\n         with {n: 1}\n" in once
    assert format_text(once) == once
