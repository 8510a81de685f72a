"""Rules of one shape share generated code and keep their own constants (_compile/shapes.py):
each rule still means exactly what it says, whatever kind of constant differs."""

from __future__ import annotations

import datetime as dt

import pytest

from imgrules._compile import compile_pack

from .helpers import D, checked_of, profile, run

# each pair: two rules of one shape (only constants differ), and a profile telling them apart
CASES = [
    ("score > 200", "score > 300", {"score": 250}),
    ('name == "Ann"', 'name == "Bob"', {"name": "Ann"}),
    ("exams.step2.score in 200..220", "exams.step2.score in 221..260",
     {"exams": {"step2": {"score": 210}}}),
    ("count(letters where status == received) >= 1", "count(letters where status == planned) >= 1",
     {"letters": [{"id": "a", "status": "received"}]}),
    ("exists(letters where status in {received, requested})", "exists(letters where status in {planned})",
     {"letters": [{"id": "a", "status": "requested"}]}),
    ("as_of + 2 months < application_date", "as_of + 20 months < application_date", {}),
    ("as_of < 2027-01-01", "as_of < 2026-01-01", {}),
    ("score > -5", "score > 5", {"score": 0}),
]


@pytest.mark.parametrize("first, second, data", CASES)
def test_rules_of_one_shape_keep_their_constants(first, second, data):
    text = (f'rule a "A" when {first} then flag low "first: {{score}} a"\n'
            f'rule b "B" when {second} then flag high "second: {{score}} b"\n')
    r = run(text, profile(**data))
    assert [(f.rule, f.severity, f.message.split(":")[0]) for f in r.findings] == [("a", "low", "first")]


def test_many_rules_of_one_shape():
    n = 300
    text = "\n".join(f'rule r{i} "R{i}" for l in letters when l.weeks == {i} and score > {i} '
                     f'then recommend "{i}: {{l.id}}"' for i in range(n)) + "\n"
    letters = [{"id": f"x{w}", "status": "received", "weeks": w} for w in (3, 150, 299)]
    r = run(text, profile(letters=letters, score=200))
    assert sorted(f.message for f in r.findings) == ["150: x150", "3: x3"]
    assert sorted(f.rule for f in r.findings) == ["r150", "r3"]


def test_an_internal_error_in_shared_code_names_its_own_rule(monkeypatch):
    from imgrules._engine import EvaluationError, Session

    # z is written first, so its text is the shape's; a is evaluated first (by id)
    text = ('rule z "Z" when score > 1 then recommend "z"\n'
            'rule a "A" when score > 2 then recommend "a"\n')
    checked = checked_of(text)
    line_of_a = next(e.decl.span.line for e in checked.rules if e.id == "a")
    net = compile_pack(checked)

    def broken(op, a, b):
        raise RuntimeError("boom")

    monkeypatch.setitem(net.ns, "compare", broken)
    with pytest.raises(EvaluationError, match=rf":{line_of_a}: internal error.*boom"):
        Session(net).set_profile(profile()).run()  # score is missing: compare is called


def test_dates_and_durations_are_constants_of_their_rule():
    text = ('rule a "A" when application_date - 3 months > as_of then recommend "3"\n'
            'rule b "B" when application_date - 12 months > as_of then recommend "12"\n')
    r = run(text, profile(as_of=D(2027, 1, 1), application_date=dt.date(2027, 9, 15)))
    assert [f.message for f in r.findings] == ["3"]
