"""``if C then A else B``: the condition is a truth value, the branches have one type."""

from __future__ import annotations

from imgrules import ast

from .helpers import PRELUDE, check_text, codes, messages


def _let_type(checked, name: str):
    decl = next(d for p in checked.packs for d in p.declarations
                if isinstance(d, ast.LetDecl) and d.name.text == name)
    from imgrules._check.model import node_key

    return checked.types[node_key(decl.body)]


def test_branches_of_one_type_give_that_type(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let floor = if graduation_year > 2020 then 220 else 230
let ratio = if gpa is present then gpa else 3
let level = if floor > 225 then concerning else if floor > 200 then borderline else competitive
let maybe = if gpa is present then null else 2
rule r "R" when floor > 0 and ratio > 0 and maybe > 1 then derive tier(component: yog, level: level)
""")
    assert codes(checked) == []
    assert [_let_type(checked, n).describe() for n in ("floor", "ratio", "level", "maybe")] == [
        "int", "float", "Level", "int"]


def test_branches_of_different_types_are_an_error(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let odd = if gpa > 3 then "high" else 3
rule r "R" when odd == 3 then remind "x"
""")
    assert codes(checked) == ["E213"]
    assert messages(checked) == ["the branches of 'if' differ: str after 'then', int after 'else'"]


def test_the_condition_must_be_true_or_false(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let odd = if graduation_year then 1 else 2
rule r "R" when odd == 1 then remind "x"
""")
    assert codes(checked) == ["E203"]
    assert messages(checked)[0].startswith("the condition of 'if' must be true or false")


def test_a_bare_enum_word_takes_the_type_of_the_other_branch(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
rule r "R" for t in tier when (if gpa > 3 then competitive else t.level) == borderline
  then remind "x"
""")
    assert codes(checked) == []
