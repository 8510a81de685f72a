"""What every renderer of an evaluation shares: phases, sections, "because" lines.

Renderers work on the JSON output contract (``Results.to_json()``, see
``shared/spec/applicant-profile.md``), not on Python result classes, so that a result read
back from a file renders exactly like a fresh one. Everything here is a pure function of
that dict; the format modules only lay it out.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


from .._safetext import escape_json_text
from .._paths import ABSENT, walk

# (first k, last k, name): the countdown's phases, T-12 first.
PHASES: tuple[tuple[int, int, str], ...] = (
    (12, 10, "Foundation"),
    (9, 5, "Building"),
    (4, 3, "Consolidation"),
    (2, 0, "Application"),
)

# The order of the fixed tier components (the profile contract); others follow by name.
TIER_ORDER = ("step1", "step2_ck", "yog", "usce", "lors")


def phase_name(months_to_go: int | None) -> str:
    """The countdown phase of T-k, or what lies outside the countdown."""
    if months_to_go is None:
        return "unknown"
    for first, last, name in PHASES:
        if last <= months_to_go <= first:
            return name
    return "Before the countdown" if months_to_go > 12 else "After T-0"


def month_label(k: int) -> str:
    """``T-5``; after the application date ``T+2``."""
    return f"T-{k}" if k >= 0 else f"T+{-k}"


def date_words(iso: str) -> str:
    """``2027-03-04`` as ``4 March 2027``; text that is not a date as it is."""
    try:
        day = _dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{day.day} {day:%B %Y}"


def value_text(value: Any) -> str:
    """A fact value as a person reads it: no quotes, lists comma-separated."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _short_path(path: str) -> str:
    return path[2:] if path.startswith("$.") else path


def _fact_items(facts: Any) -> list[tuple[str, Any]]:
    """Matched facts as (path, value) pairs, from a mapping or a list of entries."""
    items: list[tuple[str, Any]] = []
    if isinstance(facts, Mapping):
        items.extend((str(k), v) for k, v in facts.items())
    elif isinstance(facts, Sequence) and not isinstance(facts, str):
        for entry in facts:
            if isinstance(entry, Mapping):
                path = entry.get("path") or entry.get("name") or "?"
                items.append((str(path), entry.get("value", ABSENT)))
            else:
                items.append((str(entry), ABSENT))
    return items


def derived_label(fact: Mapping[str, Any]) -> str:
    """``tier(step2_ck) = borderline``; a fact with other fields lists them."""
    fields = {k: v for k, v in fact.items() if k not in ("type", "provenance")}
    kind = str(fact.get("type", "fact"))
    if kind == "tier" and "component" in fields and "level" in fields:
        return f"tier({value_text(fields['component'])}) = {value_text(fields['level'])}"
    if len(fields) == 1:
        (name, value), = fields.items()
        return f"{kind}: {value_text(value)}"
    return f"{kind}(" + ", ".join(f"{k}: {value_text(v)}" for k, v in fields.items()) + ")"


# matched by nearly every timed rule: no reason a person needs to read
_TRIVIAL = ("$.as_of", "$.application_date")


def short_value(value: Any) -> str:
    """A value as a reason shows it: a record by its name or id, a long list by its size."""
    if isinstance(value, Mapping):
        for key in ("name", "id", "writer", "title"):
            if value.get(key) is not None:
                return value_text(value[key])
        if len(value) <= 3 and not any(isinstance(v, (Mapping, list, tuple))
                                       for v in value.values()):
            return value_text(value)
        return "{...}"
    if isinstance(value, (list, tuple)):
        if len(value) > 3 or any(isinstance(v, (Mapping, list, tuple)) for v in value):
            return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    return value_text(value)


def because(finding: Mapping[str, Any], profile: Mapping[str, Any] | None = None,
            limit: int = 3) -> str:
    """A short reason from a finding's provenance: what is missing, the derived facts it
    rests on, its bound values and the profile facts it matched (with their values when
    the ``profile`` data is given). Returns '' when there is nothing a person can use."""
    prov = finding.get("provenance")
    prov = prov if isinstance(prov, Mapping) else {}
    parts: list[str] = []
    missing = finding.get("missing") or prov.get("missing") or ()
    if isinstance(missing, str):
        missing = (missing,)
    if missing:
        parts.append("missing " + ", ".join(_short_path(str(m)) for m in missing))
    derived = prov.get("rests_on") or prov.get("derived") or ()
    if isinstance(derived, Sequence) and not isinstance(derived, str):
        parts.extend(derived_label(d) if isinstance(d, Mapping) else str(d) for d in derived)
    bound: list[str] = []
    bindings = prov.get("bindings")
    if isinstance(bindings, Mapping):
        for name, value in bindings.items():
            if isinstance(value, Mapping) and "type" in value:  # a derived fact
                parts.append(derived_label(value))
                continue
            if isinstance(value, str) and value.startswith("$"):
                bound.append(value)
                found = walk(profile, value) if profile is not None else ABSENT
                value = _short_path(value) if found is ABSENT else short_value(found)
            parts.append(f"{name} = {value_text(value)}")
    items = _fact_items(prov.get("matched")) + _fact_items(prov.get("facts"))
    for path, value in items:
        if path in _TRIVIAL or any(path == m or path.startswith((m + ".", m + "["))
                                   for m in missing) or any(path == b or path.startswith(b + ".")
                                                      or path.startswith(b + "[") for b in bound):
            continue
        if value is ABSENT and profile is not None:
            value = walk(profile, path)
            if value is ABSENT:
                parts.append(f"{_short_path(path)} not given")
                continue
        parts.append(_short_path(path) if value is ABSENT
                     else f"{_short_path(path)} = {short_value(value)}")
    # the same reason can arrive by two roads (a fact and a binding of it)
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    if not seen:
        return ""
    shown = seen[:limit]
    more = len(seen) - len(shown)
    return "; ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def cite_text(finding: Mapping[str, Any]) -> str:
    cite = finding.get("cite")
    if isinstance(cite, (list, tuple)):
        return "; ".join(str(c) for c in cite if c)
    return str(cite) if cite else ""


def tiers(result: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(component, level) of every derived tier, the contract's components first."""
    rows = [(str(d.get("component")), str(d.get("level")))
            for d in result.get("derived") or ()
            if isinstance(d, Mapping) and d.get("type") == "tier"]

    def key(row: tuple[str, str]) -> tuple[int, str, str]:
        order = TIER_ORDER.index(row[0]) if row[0] in TIER_ORDER else len(TIER_ORDER)
        return (order, row[0], row[1])

    return sorted(set(rows), key=key)


def other_derived(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Derived facts other than tiers and the phase (diagnosis, a pack's own), in order."""
    return [d for d in result.get("derived") or ()
            if isinstance(d, Mapping) and d.get("type") not in ("tier", "phase")]


def pack_names(result: Mapping[str, Any]) -> str:
    names = []
    for pack in result.get("packs") or ():
        if isinstance(pack, Mapping):
            version = pack.get("version")
            names.append(f"{pack.get('name')} {version}" if version else str(pack.get("name")))
        else:
            names.append(str(pack))
    return ", ".join(names)


def finding_title(finding: Mapping[str, Any]) -> str:
    return str(finding.get("message") or finding.get("title") or finding.get("rule") or "")


def dumps(obj: Any) -> str:
    """The canonical JSON text of a result or plan: keys in their order, UTF-8 kept but
    control characters escaped (``\\u001b``, ``\\u202e``: the same JSON value)."""
    return escape_json_text(json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default)) + "\n"


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (_dt.date, _dt.datetime)):
        return obj.isoformat()
    if hasattr(obj, "to_json"):
        return obj.to_json()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=str)
    return str(obj)


def labelled(results: Iterable[tuple]) -> list[tuple[str, Mapping, Mapping | None]]:
    """``(label, result)`` or ``(label, result, profile data)`` items as triples."""
    out = []
    for item in results:
        label, result, *rest = item
        out.append((str(label), result, rest[0] if rest else None))
    return out
