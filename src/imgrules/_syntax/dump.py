"""A stable, readable dump of an AST without spans, for golden files and debugging.

One node per line, fields indented under it; small nodes whose fields are all plain
values stay on one line (``Ident 'letters'``, ``Literal 3``, ``TMonth(months=5)``).
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["dump_ast"]

_SKIP = ("span", "comments", "written")


def dump_ast(node) -> str:
    """The dump of ``node`` (any AST node, or a tuple of them), ending with a newline."""
    lines: list[str] = []
    _dump(node, 0, "", lines)
    return "\n".join(lines) + "\n"


def _scalar(value) -> str | None:
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"date {value.isoformat()}"
    return None


def _fields(node) -> list[tuple[str, object]]:
    return [(f.name, getattr(node, f.name)) for f in attrs.fields(type(node)) if f.name not in _SKIP]


def _inline(node) -> str | None:
    """``Name 'x'``-style one-liners for nodes made of plain values only."""
    if not attrs.has(type(node)):
        return _scalar(node)
    fields = _fields(node)
    name = type(node).__name__
    if len(fields) == 1:
        inner = _inline(fields[0][1])
        if inner is None:
            return None
        if not attrs.has(type(fields[0][1])):
            return f"{name} {inner}"
        return f"{name}({inner})" if len(inner) < 40 else None
    values = [(k, _scalar(v)) for k, v in fields]
    if all(v is not None for _, v in values):
        return f"{name}(" + ", ".join(f"{k}={v}" for k, v in values) + ")"
    return None


def _dump(value, depth: int, label: str, lines: list[str]) -> None:
    pad = "  " * depth
    inline = _inline(value) if not isinstance(value, tuple) else None
    if inline is not None:
        lines.append(f"{pad}{label}{inline}")
        return
    if isinstance(value, tuple):
        if not value:
            lines.append(f"{pad}{label}[]")
            return
        lines.append(f"{pad}{label}[")
        for item in value:
            _dump(item, depth + 1, "", lines)
        lines.append(f"{pad}]")
        return
    lines.append(f"{pad}{label}{type(value).__name__}")
    for key, item in _fields(value):
        _dump(item, depth + 1, f"{key}: ", lines)
