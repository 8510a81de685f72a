"""How values read: inside messages, in explanations, and as JSON data.

Records are shown by their ``$.path`` when they have a place in the profile (a
``path()`` method) and as ``type(field: value, ...)`` when they are derived facts
(a mapping with a ``k`` key ``(type, values)`` or a ``fact`` type name).
"""

from __future__ import annotations

import datetime as dt

from .intervals import Span
from .values import Dur, Unk


def _duration(value: Dur) -> str:
    amount, unit = value
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def _record_path(value):
    where = getattr(value, "path", None)
    if callable(where):
        return where()
    return where if isinstance(where, str) else None


def _fact_type(value) -> str:
    k = getattr(value, "k", None)
    if isinstance(k, tuple) and k:
        return k[0]
    return getattr(value, "fact", None) or "record"


def message_text(value) -> str:
    """A value inside a message (``{hole}``): unknown reads "unknown", sets are sorted,
    lists and sets are comma-separated. (An enum value whose enum declares a display
    label is shown by that label: the generated code looks it up in a constant map
    before it gets here.)"""
    if type(value) is str:  # the usual case (enum values, ids, names)
        return value
    if type(value) is int:  # counts, scores
        return str(value)
    if type(value) is Unk:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Dur):
        return _duration(value)
    if isinstance(value, Span):
        return f"{value[0].isoformat()} to {value[1].isoformat()}"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        path = _record_path(value)
        if path is not None:
            return path
        inner = ", ".join(f"{k}: {message_text(v)}" for k, v in value.items())
        return f"{_fact_type(value)}({inner})"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [message_text(v) for v in value]
        if isinstance(value, (set, frozenset)):
            items.sort()
        return ", ".join(items)
    return str(value)


def explain_text(value) -> str:
    """A value as an explanation shows it: unknown reads "missing", lists in brackets,
    sets in braces."""
    if type(value) is Unk:
        return "missing"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(explain_text(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)) and not isinstance(value, (Dur, Span)):
        return "[" + ", ".join(explain_text(v) for v in value) + "]"
    if isinstance(value, dict) or hasattr(value, "data"):
        path = _record_path(value)
        if path is not None:
            return path
        fields = value.items() if isinstance(value, dict) else value.data.items()
        inner = ", ".join(f"{k}: {explain_text(v)}" for k, v in fields)
        return f"{_fact_type(value)}({inner})"
    return message_text(value)


def json_value(value):
    """A value as JSON data: dates ISO, records by path, derived facts as objects."""
    t = type(value)
    if t is str or t is int or t is bool or t is float or value is None:
        return value
    if t is Unk:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Dur):
        return _duration(value)
    if isinstance(value, Span):
        return {"start": value[0].isoformat(), "end": value[1].isoformat()}
    if isinstance(value, dict):
        path = _record_path(value)
        if path is not None:
            return path
        return {"type": _fact_type(value), **{k: json_value(v) for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((json_value(v) for v in value), key=repr)
    return value
