"""Test data written in packs (``example`` and ``test ... given``) as plain profile data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ast


def profile_value(node: ast.Const) -> Any:
    """A constant of test data as a profile holds it (plain data, as YAML would give it):
    words are enum values (str), durations text, lists lists and objects dicts."""
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, ast.NegLit):
        return node.value
    if isinstance(node, ast.Duration):
        return f"{node.amount} {node.unit}s"
    if isinstance(node, ast.ListLit):
        return [profile_value(item) for item in node.items]
    if isinstance(node, ast.ObjectLit):
        return {key.text: profile_value(value) for key, value in node.entries}
    raise TypeError(f"not a constant: {type(node).__name__}")


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it: records merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def given_data(given: ast.Given, examples: Mapping[str, ast.Example]) -> dict[str, Any]:
    """The profile a test is given: an inline object, or an example merged with overrides."""
    data: dict[str, Any] = {}
    if given.example is not None:
        example = examples.get(given.example.text)
        if example is None:  # the checker reports it; a runner given an unchecked pack says so
            raise KeyError(given.example.text)
        data = profile_value(example.data)
    if given.data is not None:
        data = deep_merge(data, profile_value(given.data))
    return data
