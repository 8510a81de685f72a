"""source.text_as_written: a message as its author wrote it, holes and all (what the plan
shows before evaluation and what the compiled rules keep of a message)."""

from __future__ import annotations

from imgrules import ast
from imgrules._source import Source, text_as_written
from imgrules._syntax.parser import parse

PACK = '''pack demo

rule hello "Write to your writers"
  at T-9
  then remind "Dear {  applicant.name }, write to {count(letters)} writers"
'''


def _message(pack: ast.Pack) -> ast.Text:
    rule = next(d for d in pack.declarations if isinstance(d, ast.Rule))
    return rule.actions[0].message


def test_holes_show_the_expression_as_written():
    pack, diagnostics = parse(PACK, "demo.rules")
    assert pack is not None and not diagnostics, diagnostics
    sources = {"demo.rules": Source("demo.rules", PACK)}
    assert text_as_written(_message(pack), sources) == (
        "Dear {applicant.name}, write to {count(letters)} writers")


def test_without_the_source_a_hole_is_an_ellipsis_and_no_message_is_empty():
    pack, _ = parse(PACK, "demo.rules")
    assert text_as_written(_message(pack)) == "Dear {\u2026}, write to {\u2026} writers"
    assert text_as_written(None) == ""
