"""Rules kept as data (no bindings, tests of profile paths against constants; see
imgrules.compile.simple) behave exactly like generated code: against the reference
evaluator, and with the missing paths of undecided rules."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgrules.compile import compile_pack
from imgrules.engine import Session

from tests.reference import engine_view, reference_run
from .helpers import checked_of, profile
from .test_differential import _norm_ref

PATHS = ["score", "exams.step2.score", "exams.step2.attempts"]
test = st.one_of(
    st.builds(lambda p, op, k: f"{p} {op} {k}", st.sampled_from(PATHS),
              st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), st.integers(0, 6)),
    st.builds(lambda k, op, p: f"{k} {op} {p}", st.integers(0, 6),
              st.sampled_from(["==", "<", ">="]), st.sampled_from(PATHS)),
    st.builds(lambda p, neg, ks: f"{p} {neg}in {{{', '.join(map(str, ks))}}}", st.sampled_from(PATHS),
              st.sampled_from(["", "not "]), st.lists(st.integers(0, 6), min_size=1, max_size=3)),
    st.builds(lambda p, neg, a, b: f"{p} {neg}in {a}..{b}", st.sampled_from(PATHS),
              st.sampled_from(["", "not "]), st.integers(0, 3), st.integers(3, 6)),
    st.builds(lambda p, k: f"{p} in ..{k}", st.sampled_from(PATHS), st.integers(0, 6)),
    st.builds(lambda n: f'name == "{n}"', st.sampled_from(["a", "b"])),
)
action = st.sampled_from(['flag high "weak"', 'recommend "plan"', 'derive tier("a", borderline)',
                          'derive tier(component: "b", level: concerning) remind "later"'])
rule = st.builds(lambda tests, act: (" and ".join(tests), act), st.lists(test, min_size=1, max_size=3),
                 action)
exam = st.fixed_dictionaries({}, optional={"score": st.integers(0, 6), "attempts": st.integers(0, 6)})
prof = st.builds(
    lambda score, name, exams: profile(**{k: v for k, v in (("score", score), ("name", name),
                                                            ("exams", exams)) if v is not None}),
    st.one_of(st.none(), st.integers(0, 6)), st.one_of(st.none(), st.sampled_from(["a", "b"])),
    st.one_of(st.none(), st.fixed_dictionaries({}, optional={"step2": exam})))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(rule, min_size=1, max_size=5), prof)
def test_simple_rules_equal_reference(rules, data):
    text = "\n".join(f'rule r{i} "R{i}" when {cond} then {act}' for i, (cond, act) in enumerate(rules))
    checked = checked_of(text + "\n")
    net = compile_pack(checked)
    assert len(net.simple) == len(rules)  # every rule runs as data, not generated code
    got = engine_view(Session(net).set_profile(data).run())
    assert got == _norm_ref(checked, reference_run(checked, data))


FORMS = ["score == 3", "score != 3", "score < 3", "score <= 3", "score > 3", "score >= 3",
         "3 < score", "3 >= score", "score in {1, 3}", "score not in {1, 3}", "score in 2..4",
         "score not in 2..4", "score in ..2", "score in 4..", "exams.step2.score == 3"]


def test_every_test_form_on_every_value():
    text = "\n".join(f'rule r{i} "R{i}" when {form} then flag high "f{i}"'
                     for i, form in enumerate(FORMS))
    checked = checked_of(text + "\n")
    net = compile_pack(checked)
    assert len(net.simple) == len(FORMS)
    for score in (None, 0, 1, 2, 3, 4, 5, 6):
        data = profile() if score is None else profile(score=score, exams={"step2": {"score": score}})
        got = engine_view(Session(net).set_profile(data).run())
        assert got == _norm_ref(checked, reference_run(checked, data)), score


def test_undecided_simple_rule_names_the_missing_path():
    net = compile_pack(checked_of('rule r "R" when name == "a" and exams.step2.score > 3 '
                                  'then flag high "x"\n'))
    assert net.simple
    r = Session(net).set_profile(profile(name="a", exams={"step2": {}})).run()
    assert r.findings == ()
    assert [(u.rule, u.missing) for u in r.undecided] == [("r", ("$.exams.step2.score",))]
    r = Session(net).set_profile(profile(name="b")).run()
    assert r.undecided == () and r.findings == ()
    r = Session(net).set_profile(profile(name="a", exams={"step2": {"score": 4}})).run()
    assert [(f.rule, f.message, f.provenance.matched) for f in r.findings] == [
        ("r", "x", ("$.exams.step2.score", "$.name"))]


def test_the_most_selective_conjunct_gates_each_rule():
    # every rule tests name == "a"; the ranges tell them apart, so the ranges gate them
    rules = [f'rule r{i} "R" when name == "a" and score in {i}..{i} then flag high "f{i}"'
             for i in range(6)]
    checked = checked_of("\n".join(rules) + "\n")
    net = compile_pack(checked)
    assert {r.gate.path for r in net.rules} == {"$.score"}
    for data in (profile(name="a", score=3), profile(name="b", score=3), profile(score=2),
                 profile(name="a")):
        got = engine_view(Session(net).set_profile(data).run())
        assert got == _norm_ref(checked, reference_run(checked, data))


def test_long_and_or_chains_in_rules_with_bindings_compile_and_decide():
    ands = " and ".join(f"l.weeks > {i}" for i in range(-300, 0))
    ors = " or ".join(f"l.weeks == {i}" for i in range(100, 400)) + " or l.weeks == 2"
    net = compile_pack(checked_of(f'rule a "A" for l in letters when {ands} then flag high "a {{l.id}}"\n'
                                  f'rule o "O" for l in letters when {ors} then flag high "o {{l.id}}"\n'))
    data = profile(letters=[{"id": "x", "status": "received", "weeks": 2},
                            {"id": "y", "status": "received", "weeks": -7},
                            {"id": "z", "status": "received"}])
    r = Session(net).set_profile(data).run()
    assert sorted(f.message for f in r.findings) == ["a x", "o x"]
    assert sorted((u.rule, u.missing) for u in r.undecided) == [
        ("a", ("$.letters[2].weeks",)), ("o", ("$.letters[2].weeks",))]
