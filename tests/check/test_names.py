"""The names pass: every name resolved, every expression typed, enum values by context."""

from __future__ import annotations

from imgrules import ast
from imgrules import _types as T
from imgrules._check import check_pack
from imgrules._check.model import node_key
from imgrules._loader import load_packs

from .helpers import diags, PACKS, PRELUDE, check_text, codes, messages


def _walk(node):
    """Every AST node below ``node`` (attrs fields, tuples), depth first."""
    yield node
    if isinstance(node, ast.Given):  # profile data, typed by the tests pass as constants
        return
    for name in getattr(type(node), "__attrs_attrs__", ()):
        if name.name == "span":
            continue
        value = getattr(node, name.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, tuple):
                for sub in item:
                    if hasattr(type(sub), "__attrs_attrs__"):
                        yield from _walk(sub)
            elif hasattr(type(item), "__attrs_attrs__"):
                yield from _walk(item)


EXPR_TYPES = (ast.Literal, ast.Duration, ast.Name, ast.Member, ast.Index, ast.Call, ast.Neg, ast.Not,
              ast.Arith, ast.Compare, ast.BoolOp, ast.Range, ast.In, ast.IsMissing, ast.SetLit,
              ast.Filter, ast.Aggregate, ast.IfExpr)


def test_clean_pack_has_no_diagnostics_and_complete_tables():
    checked = check_pack(load_packs(PACKS / "mini" / "core.rules"))
    assert [d.message for d in diags(checked)] == []
    pack = checked.packs[-1]
    names = calls = exprs = 0
    for decl in pack.declarations:
        if isinstance(decl, (ast.EnumDecl, ast.RecordDecl, ast.Example, ast.MapDecl, ast.Table)):
            continue
        for node in _walk(decl):
            if isinstance(node, ast.Name):
                names += 1
                assert node_key(node) in checked.refs, node
            if isinstance(node, ast.Call):
                calls += 1
                assert node_key(node) in checked.refs, node
            if isinstance(node, EXPR_TYPES):
                exprs += 1
                assert node_key(node) in checked.types, node
    assert names > 50 and calls > 5 and exprs > 100


def test_refs_kinds_and_scopes(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let recent(l) = l.requested_on > as_of - 6 weeks
let pending = letters where status == requested
rule r "R"
  for t in tier
  when t.level == concerning and count(pending) > 0 and months_to_go < 5 and recent(letters[0])
  then derive tier(component: yog, level: borderline)
""")
    assert messages(checked) == []
    by_name = {}
    for key, ref in checked.refs.items():
        by_name.setdefault(ref.name, set()).add((ref.kind, ref.scope[:1]))
    assert by_name["tier"] == {("facts", ())}
    assert by_name["t"] == {("var", ("Binding",))}
    assert by_name["status"] == {("field", ("Filter",))}
    assert by_name["l"] == {("param", ("LetDecl",))}
    assert by_name["concerning"] == {("enum_value", ("Level",))}
    assert by_name["yog"] == {("enum_value", ("Component",))}
    assert by_name["months_to_go"] == {("builtin", ())}
    assert by_name["recent"] == {("let", ())}
    assert by_name["pending"] == {("let", ())}
    assert by_name["as_of"] == {("profile", ())}
    assert checked.types[next(k for k, r in checked.refs.items() if r.name == "pending")] == \
        T.ListType(checked.schema.records["Letter"])


def test_enum_value_wins_over_let_where_enum_expected(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let usce = letters where us_based
rule r "R"
  when count(usce) > 1
  then derive tier(component: usce, level: borderline)
""")
    assert messages(checked) == []
    kinds = sorted(r.kind for r in checked.refs.values() if r.name == "usce")
    assert kinds == ["enum_value", "let"]


def test_unknown_field_with_did_you_mean(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  when exams.step2_ck.scroe < 225
  then recommend "x"
""")
    [diag] = diags(checked)
    assert diag.code == "E110"
    assert diag.message == "unknown field 'scroe' on Step2"
    assert "did you mean 'score'?" in diag.notes


def test_wrong_enum_value_lists_allowed_values(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  for t in tier
  when t.level == concerned
  then recommend "x"
""")
    [diag] = diags(checked)
    assert diag.code == "E103"
    assert "did you mean 'concerning'?" in diag.notes
    assert "allowed values of Level: competitive, borderline, concerning" in diag.notes


def test_field_access_on_list_is_an_error(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  when letters.status == planned
  then recommend "x"
""")
    assert codes(checked) == ["E202"]
    assert messages(checked) == ["letters is a list; use count(...)/exists(...) or for l in letters"]


def test_unknown_name_function_and_arity(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let gap(a, b) = months_between(a, b)
rule r "R"
  when yaer(as_of) > 2020 and gap(as_of) > 1 and year(as_of, as_of) > 1 and graduaton_year > 1
  then recommend "x"
""")
    by_code = {d.code: d for d in diags(checked)}
    assert sorted(by_code) == ["E101", "E111", "E112"]
    assert "did you mean 'year'?" in by_code["E111"].notes
    assert "did you mean 'graduation_year'?" in by_code["E101"].notes
    assert sum(1 for d in diags(checked) if d.code == "E112") == 2


def test_derive_field_problems(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R"
  then derive tier(component: yog, levle: borderline)
       derive tier(yog, level: borderline, component: step1)
       derive tier(level: borderline, yog)
       derive teir(yog, borderline)
""")
    got = sorted((d.code, d.message) for d in diags(checked))
    assert ("E110", "unknown field 'levle' on tier") in got
    assert ("E113", "derive tier(...) leaves out level") in got
    assert ("E114", "field 'component' is given twice") in got
    assert ("E114", "a positional value after a named one") in got
    assert ("E115", "unknown fact type 'teir'") in got


def test_let_with_parameters_takes_first_call_types(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let since(d) = months_between(d, as_of)
rule r "R"
  when since(application_date) > 1 and since(3) > 1
  then recommend "x"
""")
    assert codes(checked) == ["E212"]
