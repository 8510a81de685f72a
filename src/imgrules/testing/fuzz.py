"""Property checks of a pack (``imgrules test --fuzz N``): random profiles from the pack's
declared types, evaluated; every ``invariant`` must hold and evaluation must not fail.

Hypothesis draws the profiles (:func:`~imgrules.testing.strategies.profiles`) and, on a
failure, shrinks it to a minimal counterexample, which is printed as a YAML profile and
as a ``given { ... }`` clause to paste into a pack test. Runs are reproducible: without a
seed Hypothesis is derandomized (the same examples every run), with ``seed`` it draws
from that seed. Hypothesis is imported only here, when fuzzing is asked for.
"""

from __future__ import annotations

import datetime as dt

import attrs
import yaml

from .. import _types as T
from .._engine import Session
from .._facts import ProfileError
from .._facts.validate import validate_profile


@attrs.frozen
class FuzzFailure:
    """A minimal profile on which an invariant failed or evaluation raised."""

    kind: str  # invariant | error
    rule: str  # the invariant's id ("" for an error)
    title: str
    at: str  # file:line of the invariant
    message: str
    profile: dict

    def yaml(self) -> str:
        return yaml.safe_dump(self.profile, sort_keys=False, default_flow_style=False, allow_unicode=True)


@attrs.frozen
class FuzzResult:
    path: str
    examples: int
    invariants: tuple[str, ...]
    failure: FuzzFailure | None = None
    given: str = ""  # the counterexample as a pack test's `given { ... }`

    @property
    def ok(self) -> bool:
        return self.failure is None

    def text(self) -> str:
        head = f"fuzz {self.path}: {self.examples} profiles, {len(self.invariants)} invariant(s)"
        f = self.failure
        if f is None:
            return head + ": ok"
        if f.kind == "invariant":
            lines = [f"{head}: invariant {f.rule} \"{f.title}\" ({f.at}) does not hold"]
        else:
            lines = [f"{head}: evaluation failed: {f.message}"]
        lines.append("  minimal counterexample (a YAML profile):")
        lines += ["    " + line for line in f.yaml().splitlines()]
        lines.append("  in a pack test:")
        lines.append("    " + self.given)
        return "\n".join(lines)


class _Found(Exception):
    """Raised inside the property so that Hypothesis shrinks the example."""


def _ordered(data: dict, rtype: T.RecordType | None) -> dict:
    """Profile data in the declared field order (records inside too), for printing."""
    if rtype is None:
        return data
    out = {}
    for field in rtype.fields:
        if field.name in data:
            out[field.name] = _ordered_value(data[field.name], field.type)
    return out


def _ordered_value(value, t):
    if isinstance(value, dict):
        return _ordered(value, t if isinstance(t, T.RecordType) else None)
    if isinstance(value, list):
        item = t.item if isinstance(t, T.ListType) else None
        return [_ordered_value(v, item) for v in value]
    return value


def rules_object(value, t) -> str:
    """Profile data written in the rule language's object syntax (enum values bare)."""
    if isinstance(value, dict):
        rtype = t if isinstance(t, T.RecordType) else None
        parts = []
        for k, v in value.items():
            field = rtype.field(k) if rtype is not None else None
            parts.append(f"{k}: {rules_object(v, field.type if field else None)}")
        return "{ " + ", ".join(parts) + " }" if parts else "{}"
    if isinstance(value, list):
        item = t.item if isinstance(t, T.ListType) else None
        return "[" + ", ".join(rules_object(v, item) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if isinstance(t, T.EnumType):
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return repr(value) if isinstance(value, float) else str(value)


def fuzz_pack(network, checked, examples: int, seed: int | None = None, path: str = "") -> FuzzResult:
    """Check the pack's invariants (and that evaluation never raises) on ``examples``
    generated profiles; the failure, if any, is shrunk."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as with_seed

    from .strategies import profiles

    schema = network.schema
    invariants = tuple(network.rules[i].id for i in network.invariants)
    last: list[FuzzFailure] = []

    def check(profile: dict) -> None:
        failure = None
        try:
            data = validate_profile(profile, schema, False).data
            results = Session.evaluate(network, data)
        except ProfileError as exc:
            failure = FuzzFailure("error", "", "", "", f"a generated profile is invalid: {exc}", profile)
        except Exception as exc:  # noqa: BLE001 - any failure of evaluation is the finding
            failure = FuzzFailure("error", "", "", "", f"{type(exc).__name__}: {exc}", profile)
        else:
            if results.violations:
                rule = results.violations[0]
                entry = checked.rule(rule) if checked is not None else None
                decl = entry.decl if entry is not None else None
                at = f"{entry.path}:{decl.span.line}" if entry is not None else ""
                failure = FuzzFailure("invariant", rule, decl.title if decl is not None else "", at,
                                      "", profile)
        if failure is not None:
            last.append(failure)
            raise _Found(failure.rule or failure.message)

    test = settings(max_examples=examples, database=None, deadline=None, derandomize=seed is None,
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    print_blob=False)(given(profiles(schema))(check))
    if seed is not None:
        test = with_seed(seed)(test)
    try:
        test()
    except _Found:
        pass
    if not last:
        return FuzzResult(path, examples, invariants)
    found = last[-1]  # Hypothesis replays the shrunk example last
    profile = _ordered(found.profile, schema.profile)
    found = attrs.evolve(found, profile=profile)
    return FuzzResult(path, examples, invariants, found, "given " + rules_object(profile, schema.profile))
