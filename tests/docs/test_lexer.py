"""The imgrules Pygments lexer: every shipped pack lexes cleanly, tokens are classified."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pygments.token import Comment, Error, Keyword, Literal, Name, Number, Operator, String

from imgrules._resources import rules_dir
from imgrules.pygments_lexer import ImgrulesLexer

SAMPLE = '''# a sample of every construct
pack img.sample
  version "1.0.0"
import img.core

enum Level { competitive, borderline }
record Letter { id: str, weeks_known: int?, tags: list[str] }
fact tier { component: Component, level: Level }
let old = as_of - 24 months
let months_in(e) = months_between(e.start, coalesce(e.end, as_of))
map parent: Specialty -> Specialty { cardiology: internal_medicine }

rule late "Letters are late"
  cite "Month 5"
  covers FA-5-request-lors, RA-9-ask-letter-wk3-4
  priority 10
  during T-8..T-7
  for l in letters
  when l.status == planned and l.requested_on < 2027-04-15 or not (l.weeks_known in 1..3)
  then flag high "Letter {l.id} is {l.status}: {{ask}} now"
       recommend "Ask by T-5"

deadline request "Request" by T-5 require count(letters where status != planned) >= 2
  message "Ask near the end"
window wave "Wave" during T-8..T-7 when exists(experiences as e where e.country == "US")
table t "T" hit first given exams.step2_ck.score derive tier(component: step2_ck)
  row ..224 => concerning
  row < 240 => borderline
  row not {1, 2} => competitive
invariant one "One" require all(tier as t where count(tier where component == t.component) == 1)
example base { as_of: 2026-11-22, letters: [ { id: "l1", status: planned } ], n: -3 }
test late_fires "fires"
  given base with { as_of: 2027-05-20 }
  expect rule late
  expect no tier(component: yog, level: borderline)
  expect deadline request overdue
'''


def tokens(text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in ImgrulesLexer().get_tokens(text) if v.strip()]


def kind_of(text: str, word: str):
    return next(t for t, v in tokens(text) if v == word)


def test_sample_pack_has_no_error_tokens():
    errors = [(t, v) for t, v in tokens(SAMPLE) if t in Error]
    assert errors == []


@pytest.mark.parametrize("path", sorted(rules_dir().rglob("*.rules")), ids=lambda p: p.name)
def test_shipped_packs_lex_without_errors(path: Path):
    errors = [v for t, v in tokens(path.read_text(encoding="utf-8")) if t in Error]
    assert errors == []


@pytest.mark.parametrize("word, expected", [
    ("rule", Keyword.Declaration),
    ("deadline", Keyword.Declaration),
    ("late", Name.Function),
    ("Level", Name.Class),
    ("when", Keyword),
    ("then", Keyword),
    ("require", Keyword),
    ("and", Operator.Word),
    ("not", Operator.Word),
    ("str", Keyword.Type),
    ("count", Name.Builtin),
    ("T-5", Name.Constant),
    ("2027-04-15", Literal.Date),
    ("FA-5-request-lors", Name.Label),
    ("RA-9-ask-letter-wk3-4", Name.Label),
    ("# a sample of every construct", Comment.Single),
    ("img.core", Name.Namespace),
    ("high", Name.Constant),
])
def test_classification(word, expected):
    assert kind_of(SAMPLE, word) is expected


def test_duration_amount_and_unit():
    toks = tokens("let old = as_of - 24 months")
    assert (Number.Integer, "24") in toks
    assert (Keyword.Pseudo, "months") in toks


def test_field_after_dot_is_never_a_keyword():
    toks = tokens("when l.status == planned and x.date > as_of and y.message is present")
    assert (Name.Attribute, "status") in toks
    assert (Name.Attribute, "date") in toks
    assert (Name.Attribute, "message") in toks


def test_message_holes_are_expressions():
    toks = tokens('then remind "Letter {l.id} is late; {{literal}}"')
    assert (String.Interpol, "{") in toks and (String.Interpol, "}") in toks
    assert (Name.Attribute, "id") in toks
    assert (String.Escape, "{{") in toks
    assert not any(t in Error for t, _ in toks)


def test_checklist_ids_only_after_covers():
    # outside `covers`, `a-b` is a subtraction, not an id
    toks = tokens("let d = gap-1")
    assert (Name, "gap") in toks and (Operator, "-") in toks
    assert not any(t is Name.Label for t, _ in toks)


def test_unterminated_string_is_an_error_token():
    raw = ImgrulesLexer().get_tokens('then flag high "no end\nrule x "y"')
    assert any(t in Error for t, _ in raw)


def test_pygmentize_runs_the_lexer(tmp_path):
    source = tmp_path / "x.rules"
    source.write_text(SAMPLE, encoding="utf-8")
    lexer = Path(__file__).resolve().parents[2] / "src" / "imgrules" / "pygments_lexer.py"
    out = subprocess.run([sys.executable, "-m", "pygments", "-x", "-l", f"{lexer}:ImgrulesLexer",
                          "-f", "html", str(source)], capture_output=True, text=True, check=True)
    assert '<span class="kd">rule</span>' in out.stdout


def test_entry_point_is_registered():
    names = {ep.name for ep in entry_points(group="pygments.lexers")}
    assert "imgrules" in names
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("imgrules"), ImgrulesLexer)
    assert isinstance(get_lexer_for_filename("core.rules"), ImgrulesLexer)


def test_field_bounds_are_keywords_only_as_bounds():
    toks = tokens('record R { n: int in 0.., t: list[str] size ..2, c: str matches "[A-Z]{2}", size: int }')
    assert (Keyword, "size") in toks and (Keyword, "matches") in toks
    assert (Name, "size") in toks  # the field called size
    assert not any(t in Error for t, _ in toks)
