"""One test per semantic point of the engine: timing, deadlines, windows, tables,
three-valued logic, needs_info paths, provenance, refraction, ordering, limits."""

from __future__ import annotations

import pytest

from imgrules._engine import EvaluationLimitError, Limits, Session

from .helpers import D, network, profile, run

LETTERS = [
    {"id": "a", "writer": "Ann", "status": "received", "strong": True},
    {"id": "b", "status": "planned"},
    {"id": "c", "writer": "Cy", "status": "requested", "strong": False},
]


def test_months_to_go_contract_formula():
    r = run('rule r "R" then remind "x"', profile(as_of=D(2026, 11, 22), application_date=D(2027, 9, 15)))
    assert r.months_to_go == 9  # 12*1 + (9-11) = 10, minus 1 because 15 < 22
    r = run('rule r "R" then remind "x"', profile(as_of=D(2027, 10, 20), application_date=D(2027, 9, 15)))
    assert r.months_to_go == -2


@pytest.mark.parametrize("timing, fires", [
    ("at T-9", True), ("at T-8", False), ("from T-9", True), ("from T-8", False),
    ("until T-9", True), ("until T-10", False), ("during T-10..T-9", True), ("during T-8..T-7", False),
])
def test_timing(timing, fires):
    r = run(f'rule r "R" {timing} then remind "go"')
    assert r.fired("r") is fires


def test_deadline_statuses_and_due_date():
    text = '''
deadline d "Ask letters" by T-{k} require count(letters where status != planned) >= {n} message "ask {{len(letters)}}"
'''
    for k, n, status in [(10, 9, "overdue"), (9, 9, "due"), (8, 9, "upcoming"), (8, 1, "done")]:
        r = run(text.format(k=k, n=n), profile(letters=LETTERS))
        f = r.finding("d")
        assert (f.kind, f.status) == ("milestone", status)
        assert f.due_date == D(2027, 9, 15).replace(month=9 - k) if k < 9 else f.due_date is not None
        assert f.message == "ask 3"
    r = run(text.format(k=10, n=1), profile(letters=LETTERS))
    assert r.finding("d").due_date == D(2026, 11, 15)


def test_deadline_when_and_unknown_requirement():
    r = run('deadline d "D" by T-3 when score > 100 require score > 1000', profile(score=5))
    assert r.finding("d") is None
    r = run('deadline d "D" by T-3 require score > 1000', profile())
    f = r.finding("d")
    assert f.status == "needs_info" and f.missing == ("$.score",)


def test_window_statuses():
    for window, status in [("T-12..T-10", "past"), ("T-10..T-9", "active"), ("T-8..T-7", "upcoming")]:
        r = run(f'window w "W" during {window} message "m"')
        assert r.finding("w").status == status


def test_three_valued_logic_and_needs_info_paths():
    text = '''
rule a "A" when score > 3 or name == "x" then remind "a"
rule b "B" when score > 3 and name == "x" then remind "b"
rule c "C" when exams.step2.score < 225 then flag high "low"
rule d "D" when score is missing then needs_info "give score"
rule e "E" when not (score > 3) then remind "e"
'''
    r = run(text, profile(name="x"))
    assert r.fired("a")  # unknown or true = true
    assert not r.fired("b") and not r.fired("e")
    und = {u.rule: u.missing for u in r.undecided}
    assert und["b"] == ("$.score",)
    assert und["c"] == ("$.exams",)
    assert und["e"] == ("$.score",)
    assert r.finding("d").kind == "needs_info"
    r = run(text, profile(name="y", score=1, exams={"step2": {"attempts": 1}}))
    assert not r.fired("b") and "b" not in {u.rule for u in r.undecided}  # false and unknown
    assert {u.rule: u.missing for u in r.undecided}["c"] == ("$.exams.step2.score",)


def test_per_element_missing_paths_and_message_holes():
    r = run('rule r "R" for l in letters when l.strong then recommend "{l.writer} is strong"',
            profile(letters=LETTERS))
    assert [f.message for f in r.findings] == ["Ann is strong"]
    assert [u.missing for u in r.undecided] == [("$.letters[1].strong",)]
    assert r.findings[0].provenance.matched == ("$.letters[0]",)
    assert r.findings[0].provenance.bindings == (("l", "$.letters[0]"),)


def test_a_fold_over_many_unknown_elements_names_each_missing_path():
    """A fold merges the unknown of every undecided element: with hundreds of them each
    missing path is still named once (merging joins long lists of references instead of
    copying them)."""
    letters = [{"id": f"l{i}", "status": "received"} for i in range(300)]
    r = run('deadline d "D" by T-12 require count(letters where strong) >= 200',
            profile(letters=letters))
    (finding,) = r.findings
    assert finding.status == "needs_info"
    assert len(finding.missing) == 300
    assert set(finding.missing) == {f"$.letters[{i}].strong" for i in range(300)}
    assert r.to_json()["findings"][0]["missing"][:3] == [f"$.letters[{i}].strong" for i in range(3)]


def test_aggregates_decide_when_the_known_part_decides():
    # letters: a strong, b strong unknown, c not strong: 1 or 2 strong letters
    def fired(condition):
        r = run(f'rule r "R" when {condition} then remind "n"', profile(letters=LETTERS))
        return r.fired("r"), [u.missing for u in r.undecided]

    assert fired("count(letters where strong) >= 1") == (True, [])
    assert fired("count(letters where strong) >= 2") == (False, [("$.letters[1].strong",)])
    assert fired("count(letters where strong) >= 3") == (False, [])
    assert fired("count(letters where strong) == 0") == (False, [])
    assert fired("count(letters where strong) != 0") == (True, [])
    assert fired("count(letters where strong) < 3") == (True, [])
    assert fired("count(letters where strong) == 1") == (False, [("$.letters[1].strong",)])
    assert fired("0 < count(letters where strong)") == (True, [])
    assert fired("count(letters where strong) in 1..2") == (True, [])
    assert fired("count(letters where strong) not in 3..5") == (True, [])
    assert fired("count(letters where strong) in 2..5") == (False, [("$.letters[1].strong",)])
    # a combination loses the bounds: unknown, not a guess
    assert fired("count(letters where strong) + 1 >= 2") == (False, [("$.letters[1].strong",)])
    assert fired("exists(letters where strong)") == (True, [])  # one true element decides
    assert fired("all(letters where strong)") == (False, [])  # one false element decides


def test_chained_derivations_provenance_tree_and_set_semantics():
    text = '''
rule t1 "T1" for l in letters when l.status == received then derive tier("lors", competitive)
rule t2 "T2" when score >= 240 then derive tier(component: "lors", level: competitive)
rule use "Use" for t in tier when t.level == competitive then recommend "{t.component} is {t.level}"
'''
    r = run(text, profile(letters=LETTERS, score=250))
    assert len(r.derived) == 1  # one fact, two supporting derivations
    fact = r.derived[0]
    assert {p.rule for p in fact.provenance} == {"t1", "t2"}
    f = r.finding("use")
    assert f.message == "lors is competitive"
    tree = f.provenance.rests_on[0]
    assert tree.type == "tier" and tree.provenance[0].rule == "t1"
    assert tree.provenance[0].matched == ("$.letters[0]",)


def test_negation_sees_complete_lower_stratum():
    text = '''
rule t1 "T1" for l in letters when l.status == received then derive tier(l.id, competitive)
rule none "None" when not exists(tier where level == competitive) then flag high "none"
rule two "Two" when count(tier) >= 1 then remind "some"
'''
    assert run(text, profile(letters=LETTERS)).fired("two")
    assert not run(text, profile(letters=LETTERS)).fired("none")
    assert run(text, profile(letters=[])).fired("none")


def test_tables_hit_policies():
    table = '''
table step2 "S2" hit {hit} given score derive tier(component: "step2")
  row ..224 => concerning
  row 220..239 => borderline
  row 240.. => competitive
'''
    r = run(table.format(hit="first"), profile(score=222))
    assert [d.get("level") for d in r.derived] == ["concerning"]
    from .helpers import HEADER

    row_line = len(("pack t\n" + HEADER + table.split("row ..224")[0]).splitlines())
    assert r.derived[0].provenance[0].line == row_line  # the row's own line
    r = run(table.format(hit="collect"), profile(score=222))
    assert sorted(d.get("level") for d in r.derived) == ["borderline", "concerning"]
    r = run(table.format(hit="first"), profile())
    assert r.derived == () and r.undecided[0].missing == ("$.score",)


def test_joins_match_each_pair_once():
    text = '''
rule t "T" for l in letters then derive tier(l.id, borderline)
rule j "J" for l in letters, t in tier when t.component == l.id and l.status != planned then remind "{l.id}"
'''
    r = run(text, profile(letters=LETTERS))
    assert sorted(f.message for f in r.findings) == ["a", "c"]


def test_findings_order():
    text = '''
rule low "L" then flag low "l"
rule crit "C" then flag critical "c"
rule rec "R" then recommend "r"
deadline late "Late" by T-10 require false
deadline soon "Soon" by T-5 require false
'''
    r = run(text)
    assert [f.rule for f in r.findings] == ["late", "crit", "low", "soon", "rec"]


def test_limits_trip_and_name_the_rule():
    text = '''
fact n { v: int }
rule seed "S" then derive n(0)
rule grow "G" for x in n when x.v < 100000 then derive n(x.v + 1)
'''
    net = network(text)
    with pytest.raises(EvaluationLimitError) as err:
        Session(net, limits=Limits(max_facts=500)).set_profile(profile()).run()
    assert err.value.rule == "grow" and "grow" in str(err.value)


def test_results_json_contract_shape():
    r = run('deadline d "D" cite "Month 5" by T-5 require false', profile())
    data = r.to_json()
    assert list(data)[:6] == ["as_of", "application_date", "months_to_go", "packs", "derived", "findings"]
    f = data["findings"][0]
    assert f["due_date"] == "2027-04-15" and f["status"] == "upcoming" and f["cite"] == ["Month 5"]
    assert data["as_of"] == "2026-11-22"


@pytest.mark.parametrize("condition", [
    # a binding loop nested three deep, no firing until the end
    "exists(letters as m where m.weeks > l.weeks and exists(letters as k where k.weeks > m.weeks))",
    # a let with a parameter called per element of an aggregate
    "count(letters as m where later(m.weeks - l.weeks)) > 1000000",
])
def test_the_time_limit_holds_inside_one_rule(condition):
    pack = f'''
let later(w) = exists(letters as k where k.weeks > w and k.id != "none")
rule slow "Slow" for l in letters when {condition} then remind "never"
'''
    net = network(pack)
    many = [{"id": f"x{i}", "status": "received", "weeks": i % 97} for i in range(300)]
    with pytest.raises(EvaluationLimitError, match=r"max_seconds.*while evaluating 'slow'"):
        Session(net, limits=Limits(max_seconds=0.0)).set_profile(profile(letters=many)).run()


def test_date_arithmetic_that_leaves_the_calendar_stops_with_the_rule_named():
    from imgrules._engine import DateOutOfRange

    net = network('let later(d) = d + 999 years\n'
                  'rule far "Far" when later(later(later(later(later(later(later(later(later(as_of)))))))))'
                  ' > as_of then remind "far"\n')
    with pytest.raises(DateOutOfRange, match=r":\d+: evaluation stopped: .* leaves the calendar.*'far'") as err:
        Session(net).set_profile(profile()).run()
    assert err.value.rule == "far"
