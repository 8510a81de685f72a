"""Deadlines and windows anchored on dates in the plan and the report: a deadline in the
month its date falls in, its date in words; one whose date is unknown listed apart (the
report asks for it), never as overdue; a window until its last date."""

from __future__ import annotations

import datetime as dt

import imgrules
from imgrules._cli import main
from imgrules._plan import build_plan
from imgrules._render import plan_html, plan_text
from imgrules._render.text import Style

PACK = """\
pack dated
record Exam { date: date? }
profile {
  as_of: date
  application_date: date
  opens: date?
  step3: Exam?
  booked: bool?
}
deadline book "Book Step 3" by step3.date - 3 weeks require booked == true
deadline month "Monthly one" by T-5 require booked == true
window early "Submit early" during opens .. opens + 2 weeks
"""

BASE = {"as_of": dt.date(2027, 3, 1), "application_date": dt.date(2027, 9, 15), "booked": False}


def plan_of(profile):
    compiled = imgrules.loads(PACK, name="dated.rules")
    return build_plan(compiled, imgrules.evaluate(compiled, profile))


def test_a_dated_deadline_sits_in_the_month_of_its_date_with_the_date_in_words():
    plan = plan_of({**BASE, "step3": {"date": dt.date(2027, 3, 25)}, "opens": dt.date(2027, 6, 5)})
    (month,) = [m for m in plan.months if any(d.rule == "book" for d in m.deadlines)]
    assert month.k == 6 and month.start <= dt.date(2027, 3, 4) <= month.end
    (book,) = [d for d in month.deadlines if d.rule == "book"]
    assert (book.status, book.due_date, book.dated) == ("due", "2027-03-04", True)
    assert book.to_json()["by"] == "2027-03-04" and book.to_json()["dated"] is True
    text = plan_text.render(plan, Style(width=100))
    assert "[!] Book Step 3 (due 4 March 2027)" in text
    assert "Monthly one (upcoming, due 2027-04-15)" in text  # T-k deadlines as before
    assert "Submit early (window until 19 June 2027, upcoming)" in text
    html = plan_html.render(plan)
    assert "due 4 March 2027" in html and "until 19 June 2027" in html


def test_an_unknown_date_is_listed_apart_and_never_overdue():
    plan = plan_of({**BASE, "as_of": dt.date(2027, 8, 1)})
    assert not any(d.rule == "book" for m in plan.months for d in m.deadlines)
    (book,) = plan.other_deadlines
    assert (book.rule, book.status, book.k, book.due_date) == ("book", "needs_info", None, "")
    assert book.to_json()["by"] is None
    assert not any(w.rule == "early" for w in plan.windows)  # no dates: no place on the calendar
    text = plan_text.render(plan, Style(width=100))
    assert "Dates not known yet\n       [?] Book Step 3 (needs info, date not known yet)" in text
    assert "Outside T-12..T-0" not in text and "overdue" not in text.split("Dates not known yet")[1]
    assert "<h2>Dates not known yet</h2>" in plan_html.render(plan)


def test_the_report_asks_for_the_date_and_calls_nothing_overdue(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "dated.rules").write_text(PACK, encoding="utf-8")
    (tmp_path / "p.yaml").write_text("as_of: 2027-03-01\napplication_date: 2027-09-15\n"
                                     "booked: false\n", encoding="utf-8")
    main(["eval", "--pack", str(tmp_path / "dated.rules"), str(tmp_path / "p.yaml"),
          "--format", "text"])
    out = capsys.readouterr().out
    assert "- Record your Step 3 so we can check this." in out
    assert "overdue" not in out.lower()
