"""The rule examples of docs/language.md and docs/language-reference.md run as tests.

A fenced block the page marks with an HTML comment right before it (invisible in the
built docs) is an example that must hold:

    <!-- example -->                      the block checks without errors
    <!-- example
    given: {exams: {step3: {status: scheduled, date: 2027-03-25}}}
    findings:
    - {rule: book_step3, status: upcoming, due_date: '2027-03-04'}
    derived:
    - {type: tier, component: step2_ck, level: concerning}
    -->

With ``given`` (YAML: top-level keys laid over ``examples/strong-first-timer.yaml``; the
whole profile for a block that is a pack of its own) the block is evaluated too: each of ``findings`` / ``derived`` must match one finding /
derived fact of the result on the keys it gives. A list of such runs may be given under
``runs:``. A block that does not start with ``pack`` is checked as if written in a pack
that imports ``img.core`` (the shipped schema: ``letters``, ``exams``, ``tier``, ...).
A broken example (a typo, a type error, a changed meaning) fails its test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import imgrules

REPO = Path(__file__).resolve().parents[2]
PAGES = ("docs/language.md", "docs/language-reference.md")
RULES = REPO / "rules"
BASE = REPO / "examples" / "strong-first-timer.yaml"

# the marker comment, blank lines, then a fenced block (``` or ```imgrules / ```text)
MARKED = re.compile(r"^<!-- example(?P<spec>.*?)-->\n(?:[ \t]*\n)*"
                    r"(?P<fence>`{3,})[a-z]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def examples(text: str) -> list[tuple[int, dict, str]]:
    """(line, spec, rule text) of each marked example of a page."""
    out = []
    for match in MARKED.finditer(text):
        spec = yaml.safe_load(match.group("spec")) or {}
        if not isinstance(spec, dict):
            raise ValueError(f"line {text.count(chr(10), 0, match.start()) + 1}: the example's "
                             f"spec must be a mapping, not {spec!r}")
        out.append((text.count("\n", 0, match.start()) + 1, spec, match.group("body")))
    return out


def pack_text(body: str) -> str:
    if body.lstrip().startswith("pack "):
        return body
    return "pack docs_example\nimport img.core\n\n" + body


def run_example(body: str, spec: dict) -> list[str]:
    """What is wrong with one example: its diagnostics (errors), then each expectation of
    its runs that the evaluation does not meet; empty when it holds."""
    text = pack_text(body)
    errors = [f"{d.code} line {d.span.line}: {d.message}" for d in
              imgrules.check_text(text, name="example.rules", roots=[RULES]) if d.is_error]
    if errors:
        return errors
    runs = spec.get("runs") or ([spec] if "given" in spec else [])
    if not runs:
        return []
    compiled = imgrules.loads(text, name="example.rules", roots=[RULES])
    # a pack of its own is given its whole profile; one on img.core a change to the base
    base = {} if text is body else yaml.safe_load(BASE.read_text(encoding="utf-8"))
    problems = []
    for run in runs:
        result = imgrules.evaluate(compiled, {**base, **(run.get("given") or {})}).to_json()
        for key in ("findings", "derived"):
            for wanted in run.get(key) or ():
                wanted = {k: _json(v) for k, v in wanted.items()}
                if not any(all(item.get(k) == v for k, v in wanted.items()) for item in result[key]):
                    near = [{k: item.get(k) for k in wanted} for item in result[key]
                            if item.get("rule", item.get("type")) in
                            (wanted.get("rule"), wanted.get("type"))]
                    problems.append(f"given {run.get('given')}: no {key[:-1]} {wanted}; found {near}")
    return problems


def _json(value):
    """YAML dates as the JSON output writes them."""
    return value.isoformat() if hasattr(value, "isoformat") else value


CASES = [pytest.param(page, line, spec, body, id=f"{Path(page).name}:{line}")
         for page in PAGES
         for line, spec, body in examples((REPO / page).read_text(encoding="utf-8"))]


def test_the_pages_mark_their_examples():
    """The #17 forms each have a marked example: if/else, min/max/round/str, date(),
    table cells missing/present, findings with data, date-anchored deadlines and windows."""
    text = "\n".join(body for _, _, _, body in (c.values for c in CASES))
    for form in ("if ", "min(", "round(", "str(", "date(", "row missing", "row present",
                 "with {", "by exams.", "during eras_open"):
        assert form in text, form


@pytest.mark.parametrize("page, line, spec, body", CASES)
def test_example_holds(page, line, spec, body):
    assert run_example(body, spec) == [], f"{page}:{line}"


BROKEN = """\
Some prose.

<!-- example
given: {exams: {step2_ck: {score: 231, attempts: 1}}}
findings:
- {rule: weak, message: weak}
-->

```
rule weak "Weak" when exams.step2_ck.score < 225 then flag low "weak"
```

<!-- example -->
```
let floor = if track == reapplicant then 230 else "220"
```
"""


def test_a_broken_example_fails():
    """A wrong expectation and an example that no longer checks are both reported."""
    (_, wrong_spec, wrong), (_, _, bad) = examples(BROKEN)
    assert run_example(wrong, wrong_spec) == [
        "given {'exams': {'step2_ck': {'score': 231, 'attempts': 1}}}: "
        "no finding {'rule': 'weak', 'message': 'weak'}; found []"]
    assert run_example(bad, {})[0].startswith("E213 line 4: ")
    right = {"given": {"exams": {"step2_ck": {"score": 220, "attempts": 1}}},
             "findings": [{"rule": "weak", "severity": "low"}]}
    assert run_example(wrong, right) == []
