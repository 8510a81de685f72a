"""min/max of values, round and str: argument types and result types."""

from __future__ import annotations

from imgrules import ast
from imgrules._check.model import node_key

from .helpers import PRELUDE, check_text, codes, messages


def _let_types(checked) -> dict[str, str]:
    return {d.name.text: checked.types[node_key(d.body)].describe()
            for p in checked.packs for d in p.declarations if isinstance(d, ast.LetDecl)}


def test_result_types(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = min(graduation_year, 2020)
let b = max(graduation_year, gpa, 2)
let c = max(as_of, application_date)
let d = min(2 weeks, 10 days)
let e = round(gpa, 1)
let f = round(graduation_year, -1)
let g = str(gpa)
let h = abs(-3)
rule r "R" when a > 0 and b > 0 and c > as_of and d > 1 day and e > 1 and f > 1 and g == "x" and h > 0
  then remind "x"
""")
    assert codes(checked) == []
    assert _let_types(checked) == {"a": "int", "b": "float", "c": "date", "d": "duration",
                                   "e": "float", "f": "int", "g": "str", "h": "int"}


def test_min_max_take_ordered_values_of_one_kind(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = min("a", "b")
let b = max(as_of, 3)
rule r "R" when a == "a" and b > as_of then remind "x"
""")
    assert codes(checked) == ["E212", "E212"]
    assert messages(checked) == ["min() takes numbers, dates or durations, but this is str",
                                 "max() mixes date and int"]


def test_an_aggregate_of_several_values_says_what_it_takes(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = count(letters, letters)
rule r "R" when a > 1 then remind "x"
""")
    assert codes(checked) == ["E112"]
    assert messages(checked) == ["count() takes one collection, but 2 values are given"]


def test_round_and_str_argument_types(tmp_path):
    checked = check_text(tmp_path, PRELUDE + """
let a = round(gpa, 1.5)
let b = str(letters)
let c = round(as_of, 1)
rule r "R" when a > 1 and b == "x" and c > 1 then remind "x"
""")
    assert codes(checked) == ["E212", "E212", "E212"]
    assert messages(checked)[1] == "str() expects one value, but argument 1 is list[Letter]"
