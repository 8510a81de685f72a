"""Lexical scopes for name lookup inside expressions.

A :class:`Scope` is an immutable stack of frames, innermost last: variables bound by
``for``/``as``, the fields of the element of an enclosing ``where`` or aggregate, and the
parameters of a ``let``. What is not found here falls through to the pack-wide names
(lets, profile fields, fact types, builtins, enum values) in the expression checker.
"""

from __future__ import annotations

import attrs

from .. import _types as T


@attrs.frozen
class Frame:
    """One binding level: ``kind`` is ``var``, ``param`` or ``fields``."""

    kind: str
    key: tuple  # node_key of the binding node (Binding, Filter, Aggregate, LetDecl)
    name: str = ""  # for var and param
    type: T.Type = T.UNKNOWN  # for var and param
    record: T.RecordType | None = None  # for fields


@attrs.frozen
class Scope:
    frames: tuple[Frame, ...] = ()

    def push(self, frame: Frame) -> Scope:
        return Scope(self.frames + (frame,))

    def lookup(self, name: str) -> tuple[Frame, T.Type] | None:
        """The innermost frame defining ``name`` and the type it gives the name."""
        for frame in reversed(self.frames):
            if frame.kind == "fields":
                field = frame.record.field(name) if frame.record is not None else None
                if field is not None:
                    return frame, field.type
            elif frame.name == name:
                return frame, frame.type
        return None

    def names(self) -> list[str]:
        out: list[str] = []
        for frame in self.frames:
            if frame.kind == "fields" and frame.record is not None:
                out.extend(frame.record.field_names)
            elif frame.name:
                out.append(frame.name)
        return out


EMPTY = Scope()
