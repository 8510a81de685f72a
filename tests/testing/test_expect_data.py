"""``expect rule r with {letter: "L2"}``: a pack test checks the data a rule's findings
carry; the checker refuses a name the rule's ``with`` does not give, or a value of the
wrong type; the formatter prints it back."""

from __future__ import annotations

from imgrules._check import check_pack
from imgrules._loader import load_packs
from imgrules._syntax.printer import format_text
from imgrules._syntax import parse
from imgrules.testing import run_tests

PACK = """\
pack demo

enum Strength { weak, strong }

record Letter {
  id: str
  strength: Strength
  due: date?
  us: bool
}

profile {
  as_of: date
  application_date: date
  letters: list[Letter]
}

rule weak_letter "A weak letter"
  for l in letters
  when l.strength == weak
  then flag medium "Letter {l.id} is weak"
         with {letter: l.id, strength: l.strength, due: l.due, us: l.us, n: 2}

example two { as_of: 2026-11-22, application_date: 2027-09-15, letters: [
  { id: "L1", strength: strong, us: true },
  { id: "L2", strength: weak, due: 2027-01-01, us: false },
] }
{extra}
"""


def write(tmp_path, extra: str):
    path = tmp_path / "demo.rules"
    path.write_text(PACK.replace("{extra}", extra), encoding="utf-8")
    return path


def outcomes(tmp_path, extra: str) -> dict:
    (run,) = run_tests([write(tmp_path, extra)])
    return {o.name: o for o in run.outcomes}


def test_data_that_a_finding_carries_passes(tmp_path):
    got = outcomes(tmp_path, """
test weak "L2 is the weak one"
  given two
  expect rule weak_letter with {letter: "L2"}
  expect rule weak_letter with {letter: "L2", strength: weak, due: 2027-01-01, us: false, n: 2}
  expect no rule weak_letter with {letter: "L1"}
""")
    assert got["weak"].status == "passed", [r.detail for r in got["weak"].expectations]


def test_data_no_finding_carries_fails_and_says_what_was_found(tmp_path):
    got = outcomes(tmp_path, """
test wrong "wrong letter, wrong flag, wrong number"
  given two
  expect rule weak_letter with {letter: "L1"}
  expect rule weak_letter with {letter: "L2", us: true}
  expect rule weak_letter with {letter: "L2", n: 3}
  expect no rule weak_letter with {letter: "L2"}
""")
    wrong = got["wrong"]
    assert wrong.status == "failed"
    assert [r.ok for r in wrong.expectations] == [False, False, False, False]
    found = ('findings of weak_letter: {letter: "L2", strength: "weak", due: "2027-01-01", '
             'us: false, n: 2}')
    assert wrong.expectations[0].detail == \
        f'expected rule weak_letter with {{letter: "L1"}}; found {found}'
    assert wrong.expectations[3].detail.startswith('expected no rule weak_letter with {letter: "L2"}')


def test_a_missing_value_is_null_and_a_rule_that_gave_nothing_says_so(tmp_path):
    got = outcomes(tmp_path, """
test unknown_due "an unknown value is null in the data"
  given { as_of: 2026-11-22, application_date: 2027-09-15, letters: [{ id: "L3", strength: weak, us: true }] }
  expect rule weak_letter with {letter: "L3", due: null}

test none "no weak letter"
  given { as_of: 2026-11-22, application_date: 2027-09-15, letters: [] }
  expect rule weak_letter with {letter: "L3"}
""")
    assert got["unknown_due"].status == "passed"
    assert got["none"].expectations[0].detail == \
        'expected rule weak_letter with {letter: "L3"}; found rule weak_letter gave no finding'


def check(tmp_path, extra: str):
    checked = check_pack(load_packs(write(tmp_path, extra)))
    return [(d.code, d.message, d.span.line) for d in checked.diagnostics if d.code.startswith("E")]


def test_a_name_the_rule_does_not_give_is_an_error_at_its_place(tmp_path):
    errors = check(tmp_path, """
test bad "bad names"
  given two
  expect rule weak_letter with {leter: "L2", n: "two", n: 2}
""")
    assert ("E602", "the findings of weak_letter carry no data named 'leter'", 31) in errors
    assert ("E201", "the data 'n' must be an int, not a str", 31) in errors
    assert ("E104", "'n' is given twice", 31) in errors
    checked = check_pack(load_packs(write(tmp_path, """
test bad "bad names"
  given two
  expect rule weak_letter with {leter: "L2"}
""")))
    (diag,) = [d for d in checked.diagnostics if d.code == "E602"]
    assert (diag.span.line, diag.span.column) == (31, 33)
    assert any("did you mean 'letter'?" in note for note in diag.notes)


def test_a_rule_without_data_says_it_gives_none(tmp_path):
    errors = check(tmp_path, """
rule plain "No data" then remind "x"

test bad "no data at all"
  given two
  expect rule plain with {letter: "L2"}
""")
    assert [e[:2] for e in errors] == [("E602", "the findings of plain carry no data named 'letter'")]


def test_the_formatter_prints_it_back(tmp_path):
    text = PACK.replace("{extra}", """
test weak "L2"
  given two
  expect rule weak_letter with {letter: "L2", due: 2027-01-01}
""")
    formatted = format_text(text, "demo.rules")
    assert '  expect rule weak_letter with { letter: "L2", due: 2027-01-01 }\n' in formatted
    assert parse(formatted, "demo.rules")[0] == parse(text, "demo.rules")[0]
