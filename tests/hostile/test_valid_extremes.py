"""Valid but extreme input never reaches an internal error (exit 70).

Numbers with more digits than Python converts, floats beyond a double, dates at the ends
of Python's calendar, date offsets that overflow it: each is refused with its position or
its ``$.path`` (or handled), through the API and the command line. ``imgrules.parse``
never raises, and ``fmt`` prints a float as the number written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import imgrules
from imgrules._facts.validate import DATE_FIRST, DATE_LAST
from imgrules._syntax import format_text

from .helpers import ROOT, run

HEAD = "pack t\nprofile {\n  as_of: date\n  application_date: date\n  x: float\n}\n"
BIG = "9" * 5000


def _rule(when: str) -> str:
    return HEAD + f'rule r "R"\n  when {when}\n  then recommend "ok"\n'


@pytest.mark.parametrize("text", [
    _rule(f"x > {BIG}"), _rule(f"x > {BIG}.5"), _rule(f"x > 0.{BIG}"), _rule(f"x in {{-{BIG}}}"),
    _rule(f"as_of + {BIG} days > as_of"),
    HEAD + f'deadline d "D"\n  by T-{BIG}\n  require x > 1\n',
    HEAD + f'rule r "R"\n  priority {BIG}\n  when x > 1\n  then recommend "ok"\n',
    HEAD + f'rule r "R"\n  at T+{BIG}\n  when x > 1\n  then recommend "ok"\n',
    HEAD + f'rule r "R"\n  when x > 1\n  then recommend "x {{x + {BIG}}}"\n',
    HEAD + f'table t "T"\n  hit unique\n  given x\n  derive tier(level: _)\n  row {BIG} => 1\n',
    HEAD + f'example e {{ x: {BIG} }}\n',
])
def test_a_number_beyond_the_bound_is_an_error_at_its_position_never_an_exception(text):
    pack, diagnostics = imgrules.parse(text, "big.rules")
    assert pack is None
    [located] = diagnostics
    # inside a message hole the number is reported as the hole's error (E005)
    assert located.code in ("E011", "E005"), located
    assert re.search(r"a number of 5,00[01] digits \(at most 300\)", located.message), located
    line = text.splitlines()[located.span.line - 1]
    assert BIG[:50] in line[located.span.column - 1:]


_PIECES = ["pack t", "\n", " ", "let", "rule", "r", '"R"', "when", "then", "recommend", "by", "deadline",
           "T-", "T+", BIG, "9" * 301, "1e308", ".", "..", "0", "-", "{", "}", "(", ")", '"{x', "}\"", "x",
           "as_of", "+", "days", "years", "2026-02-30", "0001-01-01", "\\", '"', "#", "\x00", "\u202e",
           "\ud800", "\t", "\r", "and", "or", "not", "in", "where", "count(", "for", ",", ":", "=", "==",
           "profile {", "x: int", "table", "row", "=>", "given", "example", "test", "expect"]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "", "\n", "\n  "])), max_size=40))
def test_imgrules_parse_never_raises(pieces):
    pack, diagnostics = imgrules.parse("".join(a + b for a, b in pieces), "soup.rules")
    assert pack is not None or any(d.severity.value == "error" for d in diagnostics)


def test_the_bound_itself_is_accepted():
    pack, diagnostics = imgrules.parse(_rule(f"x > {'9' * 300} or x > {'9' * 299}.5"), "ok.rules")
    assert diagnostics == [] and pack is not None


@pytest.mark.parametrize("written", ["12345678901234567890.5", "0.1", "1" + "0" * 298 + ".0",
                                     "0." + "1" * 299, "123456789.123456789123456789"])
def test_fmt_prints_a_float_as_written(written):
    formatted = format_text(_rule(f"x > {written} or x in {{-{written}}}"), "f.rules")
    assert f"x > {written}" in formatted and f"{{-{written}}}" in formatted


@settings(max_examples=200, deadline=None, database=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=0, max_value=Decimal("1e40")))
def test_fmt_keeps_every_float_literal_exactly(value):
    digits = format(value, "f")
    if "." not in digits:
        digits += ".0"
    formatted = format_text(_rule(f"x > {digits}"), "f.rules")
    printed = re.search(r"x > ([0-9.]+)", formatted).group(1)
    assert Decimal(printed) == Decimal(digits)
    assert format_text(formatted, "f.rules") == formatted


@pytest.mark.parametrize("when, message", [
    ("as_of + 1001 years > as_of", "1,001 years is too long a duration (at most 1,000 years)"),
    ("as_of - 365001 days < as_of", "365,001 days is too long a duration (at most 365,000 days)"),
    ("as_of + 12001 months > as_of", "12,001 months is too long a duration (at most 12,000 months)"),
    ("as_of + 52001 weeks > as_of", "52,001 weeks is too long a duration (at most 52,000 weeks)"),
])
def test_a_constant_offset_beyond_the_calendar_is_a_checker_error(tmp_path, when, message):
    pack = tmp_path / "p.rules"
    pack.write_text(_rule(when))
    with pytest.raises(imgrules.DiagnosticError) as caught:
        imgrules.load(str(pack), use_cache=False)
    [diag] = caught.value.diagnostics
    assert (diag.code, diag.message, diag.span.line, diag.span.column) == ("E231", message, 8, 16)


def test_stacked_durations_are_bounded_by_their_running_total():
    """Each duration within the bound, the chain past it: an error at the link that goes
    too far; a chain that stays within on the way, or that moves a duration (not a date),
    is accepted."""
    head = "pack t\nprofile {\n  as_of: date\n  grad: date?\n  wait: duration\n}\n"

    def diags(when):
        return [(d.code, d.message, d.span.line, d.span.column, d.span.end_column)
                for d in imgrules.check_text(head + f'rule r "R"\n  when {when}\n  then recommend "ok"\n')
                if d.is_error]

    assert diags("grad + 900 years + 900 years + 1 days > as_of") == [
        ("E231", "these offsets move the date by 1,800 years in all (at most 1,000 years)",
         8, 8, 8 + len("grad + 900 years + 900 years"))]
    assert diags("as_of + 1000 years - 1000 years - 1000 years < as_of") == []
    assert diags("as_of + (wait + 900 years + 900 years) > as_of") == []


def test_deadlines_and_timings_beyond_the_calendar(tmp_path):
    pack = tmp_path / "p.rules"
    pack.write_text(HEAD + 'deadline d "D"\n  by T-12001\n  require x > 1\n\n'
                    'rule r "R"\n  at T+99999\n  when x > 1\n  then recommend "ok"\n\n'
                    'rule fine "F"\n  at T-12000\n  when as_of + 1000 years > as_of\n  then recommend "ok"\n')
    with pytest.raises(imgrules.DiagnosticError) as caught:
        imgrules.load(str(pack), use_cache=False)
    assert [(d.code, d.span.line, d.message) for d in caught.value.diagnostics] == [
        ("E231", 8, "T-12,001 is too far from the application date (at most 12,000 months)"),
        ("E231", 12, "T+99,999 is too far from the application date (at most 12,000 months)")]


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _profile(tmp_path, example, **dates) -> str:
    data = yaml.safe_load(example.read_text())
    data.update(dates)
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


OUTSIDE = [dt.date.min, dt.date.max, DATE_FIRST - dt.timedelta(days=1), DATE_LAST + dt.timedelta(days=1)]
# A pack without declared date bounds that moves dates as far as the checker allows.
FAR = (HEAD + 'deadline far_before "D"\n  by T-12000\n  require x > 1\n\n'
       'deadline far_after "D"\n  by T+12000\n  require x > 1\n\n'
       'rule far "R"\n  during T-12000..T+12000\n'
       '  when as_of + 1000 years > application_date - 365000 days\n'
       '    or as_of - 12000 months < application_date + 52000 weeks\n'
       '  then recommend "far"\n')


@pytest.mark.parametrize("field", ["as_of", "application_date"])
@pytest.mark.parametrize("day", OUTSIDE)
def test_a_date_outside_the_window_is_refused_with_its_path(capsys, tmp_path, field, day):
    pack = tmp_path / "far.rules"
    pack.write_text(FAR)
    data = {"as_of": dt.date(2026, 1, 1), "application_date": dt.date(2026, 9, 1), "x": 3.0, field: day}
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump(data))
    code, out, err = run(capsys, "eval", "--pack", str(pack), str(profile))
    assert code == 1 and out == ""
    assert f"$.{field}: {day.isoformat()} is out of range (dates from 1800-01-01 to 2999-12-31)" in err


@pytest.mark.parametrize("as_of, application_date", [(DATE_FIRST, DATE_LAST), (DATE_LAST, DATE_FIRST),
                                                     (DATE_FIRST, DATE_FIRST), (DATE_LAST, DATE_LAST)])
def test_the_ends_of_the_window_survive_the_largest_offsets(capsys, tmp_path, as_of, application_date):
    pack = tmp_path / "far.rules"
    pack.write_text(FAR)
    profile = tmp_path / "profile.yaml"
    profile.write_text(yaml.safe_dump({"as_of": as_of, "application_date": application_date, "x": 3.0}))
    code, out, err = run(capsys, "eval", "--pack", str(pack), "--all", "--format", "json", str(profile))
    assert (code, err) == (0, "")
    assert {f["rule"] for f in json.loads(out)["findings"]} >= {"far_before", "far_after"}


@pytest.mark.parametrize("field", ["as_of", "application_date"])
@pytest.mark.parametrize("day", OUTSIDE)
def test_the_shipped_packs_refuse_dates_outside_with_their_path(capsys, tmp_path, field, day):
    profile = _profile(tmp_path, EXAMPLES[0], **{field: day})
    code, out, err = run(capsys, "eval", profile)
    assert code == 1 and out == "" and f"$.{field}: {day.isoformat()} is " in err


def test_as_of_given_on_the_command_line_is_bounded_too(capsys):
    code, out, err = run(capsys, "eval", "--as-of", "0001-01-01", str(EXAMPLES[0]))
    assert code == 1 and "$.as_of: 0001-01-01 is out of range" in err
