"""Pass ``tests``: examples and tests against the profile and the pack's ids.

Given data (inline, an example, or an example with overrides) must use profile fields
with values of their types (profiles in tests may be partial, so nothing is required);
expectations must name existing fact types, rules, deadlines and windows, with valid
statuses. Fact patterns in ``expect`` are typed by the names pass.
"""

from __future__ import annotations

from .. import ast
from .._diagnostics import did_you_mean
from .._semantics import DEADLINE_STATUSES, WINDOW_STATUSES
from .. import _types as T
from .consts import check_const, check_object
from .model import node_key
from .context import KIND_WORD, Context

STATUSES = {"deadline": DEADLINE_STATUSES, "window": WINDOW_STATUSES}
_TARGET = {"deadline": ast.Deadline, "window": ast.Window}


def run(ctx: Context) -> None:
    profile = ctx.schema.profile
    for _pack, decl in ctx.declarations():
        if isinstance(decl, ast.Example) and profile is not None:
            check_object(ctx, decl.data, profile, "")
    for _path, test in ctx.tests:
        given = test.given
        if given.example is not None and given.example.text not in ctx.examples:
            ctx.error("E115", f"unknown example '{given.example.text}'", given.example.span,
                      did_you_mean(given.example.text, ctx.examples)
                      or (f"examples: {', '.join(sorted(ctx.examples))}" if ctx.examples else "no example is declared"))
        if given.data is not None and profile is not None:
            check_object(ctx, given.data, profile, "")
        for expect in test.expectations:
            _expectation(ctx, expect.target)


def _expectation(ctx: Context, target) -> None:
    if isinstance(target, ast.ExpectRule):
        name = target.rule.text
        found = ctx.rule_decls.get(name)
        if found is None:
            candidates = [n for n, (d, *_r) in ctx.rule_decls.items() if isinstance(d, (ast.Rule, ast.Table))]
            ctx.error("E115", f"unknown rule '{name}'", target.rule.span, did_you_mean(name, candidates))
        elif not isinstance(found[0], (ast.Rule, ast.Table)):
            kind = KIND_WORD[type(found[0])]
            hint = f"write: expect {kind} {name} <status>" if kind in STATUSES else ""
            ctx.error("E115", f"{name} is a {kind}, not a rule", target.rule.span, hint)
        elif target.data is not None:
            _expected_data(ctx, found[0], target.data)
    elif isinstance(target, ast.ExpectStatus):
        name = target.name.text
        found = ctx.rule_decls.get(name)
        wanted = _TARGET[target.kind]
        if found is None or not isinstance(found[0], wanted):
            candidates = [n for n, (d, *_r) in ctx.rule_decls.items() if isinstance(d, wanted)]
            what = f"unknown {target.kind} '{name}'" if found is None else \
                f"{name} is a {KIND_WORD[type(found[0])]}, not a {target.kind}"
            ctx.error("E115", what, target.name.span, did_you_mean(name, candidates))
        statuses = STATUSES[target.kind]
        if target.status is not None and target.status.text not in statuses:
            ctx.error("E601", f"'{target.status.text}' is not a {target.kind} status", target.status.span,
                      did_you_mean(target.status.text, statuses), f"{target.kind} statuses: {', '.join(statuses)}")


def _expected_data(ctx: Context, decl, data: ast.ObjectLit) -> None:
    """``expect rule r with {k: v}``: every ``k`` is a name of the data r's findings carry
    (``with {k: ...}`` on one of its actions), and ``v`` fits that value's type."""
    name = decl.name.text
    items = {}
    for action in getattr(decl, "actions", ()):
        for item in getattr(action, "data", ()):
            items.setdefault(item.name.text, item)
    seen: set[str] = set()
    for key, value in data.entries:
        if key.text in seen:
            ctx.error("E104", f"'{key.text}' is given twice", key.span)
            continue
        seen.add(key.text)
        item = items.get(key.text)
        if item is None:
            hint = (f"{name}'s findings carry: {', '.join(items)}" if items else
                    f"{name} gives its findings no data (no 'with {{...}}' on its actions)")
            ctx.error("E602", f"the findings of {name} carry no data named '{key.text}'", key.span,
                      did_you_mean(key.text, list(items)), hint)
            continue
        check_const(ctx, value, ctx.types.get(node_key(item.value), T.UNKNOWN), f"the data '{key.text}'")
