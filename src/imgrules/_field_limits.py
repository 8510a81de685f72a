"""A value against the bounds its field declares (:class:`imgrules._types.Limits`, made from
the pack by :func:`imgrules._bounds.limits_of`): the profile loader's side of field bounds.

:func:`violations` gives each problem as ``(path, message)`` with the path of the value
(``$.letters``) or of the item that breaks it (``$.prior_cycles[0].interviews``). It needs
no AST, so loading a profile for a compiled pack imports none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from . import _types as T


def show(value) -> str:
    """A bound or value as a message shows it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def violations(value: Any, limits: T.Limits, path: str) -> Iterator[tuple[str, str]]:
    """Each way a checked value breaks ``limits``, as ``(path, message)``; the field's own
    ``message``, when it declares one, follows the plain statement of the problem."""
    for where, problem in _violations(value, limits, path):
        yield where, problem + (f". {limits.message}" if limits.message else "")


def _violations(value: Any, limits: T.Limits, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, list) and limits.unique is not None:
        yield from _duplicates(value, limits.unique, path)
    if isinstance(value, list):
        count = len(value)
        if limits.size_low is not None and count < limits.size_low:
            yield path, f"{_items(count)}, fewer than the minimum {limits.size_low}"
        if limits.size_high is not None and count > limits.size_high:
            yield path, f"{_items(count)}, more than the maximum {limits.size_high}"
        for i, item in enumerate(value):
            yield from _scalar(item, limits, f"{path}[{i}]")
    else:
        yield from _scalar(value, limits, path)


def _duplicates(items: list, key: str, path: str) -> Iterator[tuple[str, str]]:
    """Each item whose ``key`` an earlier item already has (items without it are skipped)."""
    first: dict = {}
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or item.get(key) is None:
            continue
        value = item[key]
        if value in first:
            yield f"{path}[{i}].{key}", f"{show(value)} is already the {key} of {path}[{first[value]}]"
        else:
            first[value] = i


def _items(count: int) -> str:
    return f"{count} item" + ("" if count == 1 else "s")


def _scalar(value: Any, limits: T.Limits, path: str) -> Iterator[tuple[str, str]]:
    if limits.low is not None and _orderable(value, limits.low) and value < limits.low:
        yield path, f"{show(value)} is below the minimum {show(limits.low)}"
    if limits.high is not None and _orderable(value, limits.high) and value > limits.high:
        yield path, f"{show(value)} is above the maximum {show(limits.high)}"
    if limits.pattern is not None and isinstance(value, str) and not re.fullmatch(limits.pattern, value):
        rule = "" if limits.message else f" (it must match {limits.pattern})"  # the message says it in words
        yield path, f"{_short(value)} does not have the required form{rule}"


def _orderable(value: Any, end: Any) -> bool:
    if isinstance(end, dt.date):
        return isinstance(value, dt.date)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")
