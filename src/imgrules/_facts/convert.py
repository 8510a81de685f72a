"""imgrules' own cattrs converter: Python objects <-> the plain data profiles are made of.

Python users may hand ``evaluate`` an attrs or dataclass instance instead of a file.
:func:`to_plain` unstructures it into the same plain data a YAML file gives (dates stay
``datetime.date``, enums become their values, tuples and sets become lists), and the
profile validator then checks it like any other profile. :func:`structure` goes the
other way for users who want their own classes back, and turns cattrs' errors into
``$.path: message`` issues.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import enum
import threading
import typing
from typing import Any, TypeVar

import cattrs

from .errors import ProfileError, ProfileIssue

C = TypeVar("C")


def make_converter() -> cattrs.Converter:
    """A fresh converter (never a shared module-level one) with imgrules' hooks."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(dt.datetime, lambda value: value)
    converter.register_unstructure_hook(dt.date, lambda value: value)
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda value: value.value)
    converter.register_unstructure_hook_func(
        lambda t: _is_class(t, (set, frozenset, collections.abc.Set)),
        lambda value: [converter.unstructure(v) for v in sorted(value, key=repr)])
    converter.register_unstructure_hook_func(
        lambda t: _is_class(t, tuple) and not hasattr(_origin(t), "_fields"),
        lambda value: [converter.unstructure(v) for v in value])
    converter.register_unstructure_hook_func(
        lambda t: t is dict, lambda value: {k: converter.unstructure(v) for k, v in value.items()})
    converter.register_unstructure_hook_func(
        lambda t: t is list, lambda value: [converter.unstructure(v) for v in value])
    converter.register_structure_hook(dt.date, _structure_date)
    return converter


def _origin(t: Any) -> Any:
    """``tuple[int, ...]`` -> ``tuple``; a plain class stays itself."""
    return typing.get_origin(t) or t


def _is_class(t: Any, classes: type | tuple[type, ...]) -> bool:
    origin = _origin(t)
    return isinstance(origin, type) and issubclass(origin, classes)


def _structure_date(value: Any, _type: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date (YYYY-MM-DD), got a date and time {value.isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date ({exc})") from None
    raise ValueError(f"expected a date (YYYY-MM-DD), got {type(value).__name__}")


def to_plain(obj: Any, converter: cattrs.Converter | None = None) -> Any:
    """An attrs/dataclass instance (or a mapping holding them) as plain data."""
    return (converter or _unstructuring()).unstructure(obj)


_LOCAL = threading.local()


def _unstructuring() -> cattrs.Converter:
    """This thread's converter for :func:`to_plain`: making one costs milliseconds (cattrs
    inspects every hook), more than evaluating a profile, and unstructuring changes
    nothing in it but its own caches."""
    converter = getattr(_LOCAL, "converter", None)
    if converter is None:
        converter = _LOCAL.converter = make_converter()
    return converter


def structure(data: Any, cls: type[C], converter: cattrs.Converter | None = None,
              source: str | None = None) -> C:
    """Plain data -> an instance of ``cls``; raises ProfileError with ``$.path`` issues."""
    try:
        return (converter or make_converter()).structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise ProfileError(issues_from_cattrs(exc), source) from None


def issues_from_cattrs(exc: BaseException) -> list[ProfileIssue]:
    """cattrs' ``transform_error`` lines ("msg @ $.a.b") as ProfileIssues, in order."""
    if not isinstance(exc, cattrs.BaseValidationError):
        return [ProfileIssue("$", str(exc) or type(exc).__name__)]
    issues = []
    for line in cattrs.transform_error(exc, path="$"):
        message, _, path = line.rpartition(" @ ")
        issues.append(ProfileIssue(path or "$", message or line))
    return issues
