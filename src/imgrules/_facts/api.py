"""One entry point for every way a profile can arrive: a file, a mapping or a Python object."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Mapping
from typing import Any

import attrs

from .. import _types as T
from .errors import ProfileError, ProfileIssue
from .reader import DEFAULT_MAX_BYTES, RawProfile, load_profile_file
from .validate import Profile, check_profile, fast_check, validate_profile


def load_profile(path: str | os.PathLike, schema: T.Schema, *, partial: bool = False,
                 max_bytes: int = DEFAULT_MAX_BYTES, today: dt.date | None = None) -> Profile:
    """Read and validate a profile file; issues carry the line where the format gives one."""
    raw = load_profile_file(path, max_bytes=max_bytes)
    return validate_profile(raw.data, schema, partial, source=raw.source, lines=raw.lines, today=today)


def coerce_profile(obj: Any, schema: T.Schema, *, partial: bool = False,
                   today: dt.date | None = None) -> Profile:
    """A validated Profile from a Profile, a RawProfile, a file path, a mapping, or an
    attrs/dataclass instance (unstructured with imgrules' cattrs converter)."""
    if isinstance(obj, Profile):
        return obj
    if isinstance(obj, RawProfile):
        return validate_profile(obj.data, schema, partial, source=obj.source, lines=obj.lines, today=today)
    if isinstance(obj, (str, os.PathLike)):
        return load_profile(obj, schema, partial=partial, today=today)
    if isinstance(obj, Mapping):
        return _from_mapping(obj, schema, partial, today, validate_profile)
    if attrs.has(type(obj)) or dataclasses.is_dataclass(obj):
        return _from_objects(obj, schema, partial, today)
    raise ProfileError([ProfileIssue("$", f"cannot read a profile from a value of type "
                                          f"{type(obj).__name__}: give a file path, a mapping, "
                                          "or an attrs/dataclass instance")])


def profile_data(obj: Any, schema: T.Schema, *, partial: bool = False,
                 today: dt.date | None = None, record: type | None = None) -> Mapping[str, Any]:
    """``coerce_profile(...).data``; a dict the fast path takes costs no Profile, nor the
    type tests that tell a path from a mapping (evaluating a profile given as data), and
    its records are made as ``record`` (a dict subclass) when that is given."""
    if type(obj) is dict:
        data = fast_check(obj, schema, partial, today, record)
        if data is not None:
            return data
        return _from_mapping(obj, schema, partial, today, check_profile).data
    return coerce_profile(obj, schema, partial=partial, today=today).data


def _from_mapping(obj: Mapping, schema: T.Schema, partial: bool, today: dt.date | None, check) -> Profile:
    """A mapping checked with ``check``: most often data as a file gives it, with nothing
    to convert; else converted from the Python objects it holds (attrs instances, enums...)."""
    try:
        return check(obj, schema, partial, today=today)
    except ProfileError:
        if _plain(obj):  # the data's own problems
            raise
    return _from_objects(obj, schema, partial, today)


def _from_objects(obj: Any, schema: T.Schema, partial: bool, today: dt.date | None) -> Profile:
    from .convert import to_plain  # cattrs, only for Python objects

    return validate_profile(to_plain(obj), schema, partial, today=today)


_PLAIN = (str, int, float, bool, type(None), dt.date)


def _plain(value) -> bool:
    """Whether ``value`` is data as a profile file gives it (mappings with text keys,
    lists, scalars, dates): then it needs no conversion from Python objects."""
    if isinstance(value, _PLAIN):
        return True
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if type(value) is list:
        return all(_plain(v) for v in value)
    return False
