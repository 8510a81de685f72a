"""Run the tests written inside packs (``test NAME "title" given ... expect ...``).

Each test builds its profile from the pack's data (partial profiles are allowed: what a
test leaves out is missing), evaluates the compiled pack on it, and checks every
expectation against the results in the output contract's JSON form. A failing test
reports the test's file and line, what was expected, what was derived instead, and the
explanation of the rule in question.
"""

from __future__ import annotations

import fnmatch
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from .. import ast
from .data import given_data, profile_value


@attrs.frozen
class ExpectationResult:
    expect: ast.Expect
    ok: bool
    detail: str  # what was expected, and what was found instead when it failed


@attrs.frozen
class TestOutcome:
    """One pack test: ``status`` is passed, failed or error (the test could not run)."""

    pack: str
    path: str
    name: str
    title: str
    line: int
    status: str
    expectations: tuple[ExpectationResult, ...] = ()
    message: str = ""
    seconds: float = 0.0
    explanation: str = ""

    @property
    def id(self) -> str:
        return f"{self.path}::{self.name}"


def describe_expect(expect: ast.Expect, field_order: Mapping[str, tuple[str, ...]]) -> str:
    target = expect.target
    neg = "no " if expect.negated else ""
    if isinstance(target, ast.ExpectFact):
        args = ", ".join(f"{k}: {v}" for k, v in _fact_args(target, field_order).items())
        return f"{neg}{target.fact.text}({args})"
    if isinstance(target, ast.ExpectRule):
        if target.data is not None:
            shown = ", ".join(f"{k}: {_shown(v)}" for k, v in _data_args(target).items())
            return f"{neg}rule {target.rule.text} with {{{shown}}}"
        return f"{neg}rule {target.rule.text}"
    status = f" {target.status.text}" if target.status is not None else ""
    return f"{neg}{target.kind} {target.name.text}{status}"


def _arg_value(expr) -> Any:
    if isinstance(expr, ast.Name):
        return expr.ident.text
    if isinstance(expr, ast.Literal):
        value = expr.value
        return value.isoformat() if hasattr(value, "isoformat") else value
    if isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Literal):
        return -expr.operand.value
    if isinstance(expr, ast.SetLit):
        return [_arg_value(i) for i in expr.items]
    raise ValueError("expected values in tests are names, numbers, text or dates")


def _data_args(target: ast.ExpectRule) -> dict[str, Any]:
    """``expect rule r with {k: v}`` as the output's ``data`` holds values (dates as ISO
    text, enum values as their names)."""
    out: dict[str, Any] = {}
    for key, value in target.data.entries:
        plain = profile_value(value)
        out[key.text] = plain.isoformat() if hasattr(plain, "isoformat") else plain
    return out


def _shown(value: Any) -> str:
    """A data value as the rule text writes it: "text", true, null, 3."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    return str(value)


def _fact_args(target: ast.ExpectFact, field_order: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    fields = field_order.get(target.fact.text, ())
    out: dict[str, Any] = {}
    for index, arg in enumerate(target.args):
        name = arg.name.text if arg.name is not None else (fields[index] if index < len(fields) else f"#{index}")
        out[name] = _arg_value(arg.value)
    return out


def _rules_of(item: Mapping[str, Any]) -> set[str]:
    """The rules behind a finding or derived fact (a fact may have several derivations)."""
    provenance = item.get("provenance") or []
    if isinstance(provenance, Mapping):
        provenance = [provenance]
    rules = {p.get("rule") for p in provenance if isinstance(p, Mapping)}
    if item.get("rule"):
        rules.add(item["rule"])
    rules.discard(None)
    return rules


def check_expectation(expect: ast.Expect, result: Mapping[str, Any],
                      field_order: Mapping[str, tuple[str, ...]]) -> ExpectationResult:
    """Whether one expectation holds in a result (the output contract's JSON form)."""
    target = expect.target
    derived = result.get("derived", [])
    findings = result.get("findings", [])
    wanted = describe_expect(expect, field_order)
    if isinstance(target, ast.ExpectFact):
        args = _fact_args(target, field_order)
        same_type = [d for d in derived if d.get("type") == target.fact.text]
        hits = [d for d in same_type if all(d.get(k) == v for k, v in args.items())]
        found = bool(hits)
        seen = "; ".join(_fact_text(d, field_order) for d in same_type) or f"no {target.fact.text} facts"
    elif isinstance(target, ast.ExpectRule) and target.data is not None:
        rule, wanted_data = target.rule.text, _data_args(target)
        mine = [f for f in findings if f.get("rule") == rule]
        found = any(_same_data(f.get("data") or {}, wanted_data) for f in mine)
        seen = ("findings of " + rule + ": " + "; ".join(
            "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in (f.get("data") or {}).items()) + "}"
            for f in mine)) if mine else f"rule {rule} gave no finding"
    elif isinstance(target, ast.ExpectRule):
        rule = target.rule.text
        found = any(rule in _rules_of(x) for x in [*findings, *derived])
        fired = sorted(set().union(*(_rules_of(x) for x in [*findings, *derived])))
        seen = "rules that fired: " + (", ".join(fired) if fired else "none")
    else:
        name = target.name.text
        mine = [f for f in findings if name in _rules_of(f) and f.get("kind") in ("milestone", "window")]
        found = any(target.status is None or f.get("status") == target.status.text for f in mine)
        seen = (f"{target.kind} {name} is " + ", ".join(str(f.get('status')) for f in mine)
                if mine else f"{target.kind} {name} did not apply")
    ok = found != expect.negated
    detail = f"expected {wanted}" + ("" if ok else f"; found {seen}")
    return ExpectationResult(expect, ok, detail)


def _same_data(data: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Each wanted name is in the finding's data with an equal value (1 equals 1.0, as
    JSON numbers do; a bool is not a number)."""
    for key, value in wanted.items():
        if key not in data:
            return False
        have = data[key]
        if isinstance(have, bool) != isinstance(value, bool) or have != value:
            return False
    return True


def _fact_text(item: Mapping[str, Any], field_order: Mapping[str, tuple[str, ...]]) -> str:
    fields = field_order.get(item.get("type", ""), ())
    shown = ", ".join(f"{k}: {item.get(k)}" for k in fields if k in item)
    return f"{item.get('type')}({shown})"


def select(name: str, expression: str | None) -> bool:
    """pytest-like ``-k``: words joined by and/or/not, each a substring or glob of the test id."""
    if not expression:
        return True
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)
    pos = 0

    def atom() -> bool:
        nonlocal pos
        token = tokens[pos]
        pos += 1
        if token == "not":
            return not atom()
        if token == "(":
            value = disjunction()
            pos += 1  # ')'
            return value
        return token in name or fnmatch.fnmatch(name, token)

    def conjunction() -> bool:
        nonlocal pos
        value = atom()
        while pos < len(tokens) and tokens[pos] == "and":
            pos += 1
            rhs = atom()
            value = value and rhs
        return value

    def disjunction() -> bool:
        nonlocal pos
        value = conjunction()
        while pos < len(tokens) and tokens[pos] == "or":
            pos += 1
            rhs = conjunction()
            value = value or rhs
        return value

    try:
        return disjunction()
    except IndexError:
        return expression in name


def run_pack_tests(tests: Iterable[tuple[str, str, ast.Test]], examples: Mapping[str, ast.Example],
                   evaluate: Callable[[dict], Mapping[str, Any]],
                   field_order: Mapping[str, tuple[str, ...]],
                   explain: Callable[[dict, str], str] | None = None,
                   keyword: str | None = None) -> list[TestOutcome]:
    """Run ``(pack, path, test)`` triples; ``evaluate`` maps profile data to contract JSON."""
    outcomes = []
    for pack, path, test in tests:
        if not select(f"{path}::{test.name.text}", keyword):
            continue
        started = time.perf_counter()
        try:
            data = given_data(test.given, examples)
            result = evaluate(data)
        except Exception as exc:  # noqa: BLE001 - a broken test is reported, not raised
            outcomes.append(TestOutcome(pack, path, test.name.text, test.title, test.span.line, "error",
                                        message=_one_line(exc), seconds=time.perf_counter() - started))
            continue
        results = tuple(check_expectation(e, result, field_order) for e in test.expectations)
        failed = [r for r in results if not r.ok]
        explanation = ""
        if failed and explain is not None:
            explanation = "\n".join(_explain_for(r.expect, data, explain) for r in failed)
        outcomes.append(TestOutcome(pack, path, test.name.text, test.title, test.span.line,
                                    "failed" if failed else "passed", results,
                                    seconds=time.perf_counter() - started, explanation=explanation))
    return outcomes


def _explain_for(expect: ast.Expect, data: dict, explain: Callable[[dict, str], str]) -> str:
    target = expect.target
    rule = (target.rule.text if isinstance(target, ast.ExpectRule) else
            target.name.text if isinstance(target, ast.ExpectStatus) else None)
    if rule is None:
        return ""
    try:
        return explain(data, rule)
    except Exception as exc:  # noqa: BLE001
        return f"(no explanation: {_one_line(exc)})"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if "\n" not in text else text.splitlines()[0] + " ..." if len(text) > 2000 else text


def summary_line(outcomes: Iterable[TestOutcome]) -> str:
    outcomes = list(outcomes)
    passed = sum(o.status == "passed" for o in outcomes)
    failed = len(outcomes) - passed
    return f"{passed} passed, {failed} failed"
