"""Profile ``$.paths`` as explanations read them: the value a path holds in the profile
data, and how an advisor reads that value.

Paths are the ones the engine writes (``$.exams.step2_ck.score``, ``$.letters[2].status``);
a path that does not lead to a value reads as missing.
"""

from __future__ import annotations

import datetime as dt

from .._paths import ABSENT, walk


def lookup(data, path: str):
    """The value at ``path`` in ``data`` (plain profile data), or ``None`` when it is absent."""
    value = walk(data, path)
    return None if value is ABSENT else value


def value_text(value) -> str:
    """A profile value as an explanation shows it: scalars as the why-not lines show
    them (dates ISO, true/false), a record or a list of records by its size, absence as
    "missing"."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "a record"
    if isinstance(value, (list, tuple)):
        if any(isinstance(x, dict) for x in value):
            return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}"
        return "[" + ", ".join(value_text(x) for x in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def path_value_text(path: str, value) -> str:
    """``$.path = value``, ``$.path is missing``, a record by its path alone and a list of
    records by its size (``$.letters (3 entries)``): the record's own fields are the
    paths that matter, and those are matched on their own."""
    if value is None:
        return f"{path} is missing"
    if isinstance(value, dict):
        return path
    if isinstance(value, (list, tuple)) and any(isinstance(x, dict) for x in value):
        return f"{path} ({value_text(value)})"
    return f"{path} = {value_text(value)}"


def json_data(value):
    """A profile value as JSON data (dates ISO)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_data(v) for v in value]
    return value
