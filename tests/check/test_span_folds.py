"""``span(start, end)``, ``union_months(...)`` and ``longest_gap_months(...)``: what the
checker accepts, what it says otherwise, and how the sweep reads spans (days included at
both ends, overlaps counted once, windows clipping)."""

from __future__ import annotations

import datetime as dt

from imgrules._semantics.intervals import Span, covered_days, longest_gap, longest_gap_months, union_months
from imgrules._semantics.values import Unk

from .helpers import PRELUDE, check_text, codes, messages

d = dt.date


def test_spans_of_letters_check_and_give_whole_months(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let asked = union_months(span(l.requested_on, as_of) for l in letters where l.us_based,
  within: span(T-12, T-0))
let gap = longest_gap_months(span(l.requested_on, as_of) for l in letters, within: span(date(graduation_year, 7, 1), as_of))
rule r "R" when asked >= 2 and gap < 6 then remind "{asked} {gap}"
""")
    assert codes(checked) == []


def test_what_is_not_a_span_is_said_where_it_is_written(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = union_months(l.requested_on for l in letters)
let b = union_months(span(l.requested_on, as_of) for l in letters, within: 3)
let c = longest_gap_months(span(l.requested_on, as_of) for l in letters)
let e = span(as_of, 3)
rule r "R" when a > 1 and b > 1 and c > 1 and e == e then remind "x"
""")
    assert codes(checked) == ["E207", "E207", "E207", "E212"]
    assert messages(checked) == [
        "union_months(...) needs spans of days, but the values are date",
        "within: needs a span of days, but this is int",
        "longest_gap_months(...) needs the stretch to look in",
        "span() expects a date, but argument 2 is int"]


def test_both_days_count_and_overlaps_count_once():
    rotation = Span(d(2026, 10, 5), d(2026, 11, 1))  # Mon - Sun: 4 weeks
    assert covered_days([rotation]) == 28
    assert union_months([rotation], None) == 1
    assert union_months([rotation, rotation, Span(d(2026, 10, 20), d(2026, 10, 25))], None) == 1
    assert union_months([Span(d(2026, 10, 5), d(2026, 10, 31))], None) == 0
    # days next to each other join; one that ends before it starts covers nothing
    assert covered_days([Span(d(2026, 1, 1), d(2026, 1, 10)), Span(d(2026, 1, 11), d(2026, 1, 20)),
                         Span(d(2026, 5, 1), d(2026, 4, 1))]) == 20


def test_a_window_clips_the_spans():
    window = Span(d(2026, 1, 1), d(2026, 1, 31))
    assert covered_days([Span(d(2025, 12, 1), d(2026, 1, 10)), Span(d(2026, 1, 25), d(2026, 3, 1))],
                        window) == 17
    assert union_months([Span(d(2025, 1, 1), d(2027, 1, 1))], None, window) == 1
    assert union_months([Span(d(2025, 1, 1), d(2027, 1, 1))], None, Span(d(2026, 2, 1), d(2026, 1, 1))) == 0


def test_gaps_run_from_one_covered_day_to_the_next():
    window = Span(d(2025, 7, 1), d(2026, 11, 22))
    spans = [Span(d(2025, 9, 15), d(2026, 1, 31)), Span(d(2026, 9, 1), d(2026, 12, 1))]
    assert longest_gap(spans, window) == 7  # 2026-01-31 to 2026-09-01
    assert longest_gap([], window) == 16
    assert longest_gap([Span(d(2025, 1, 1), d(2027, 1, 1))], window) == 0


def test_unknown_spans_leave_a_range():
    window = Span(d(2026, 1, 1), d(2026, 4, 22))  # 112 days: 4 months
    known = [Span(d(2026, 1, 1), d(2026, 2, 25))]  # 56 days: 2 months
    result = union_months(known, Unk(("$.x",)), window)
    assert (type(result), result.lo, result.hi) == (Unk, 2, 4)
    assert union_months([window], Unk(("$.x",)), window) == 4  # already covered: decided
    assert union_months(known, Unk(("$.x",))).hi == float("inf")  # no window, no upper bound
    assert union_months(known, None, Unk(("$.from",))).paths() == ("$.from",)
    gap = longest_gap_months(known, Unk(("$.x",)), window)
    assert (gap.lo, gap.hi) == (0, 1)  # 2026-02-25 to 2026-04-22
    assert longest_gap_months([window], Unk(("$.x",)), window) == 0
