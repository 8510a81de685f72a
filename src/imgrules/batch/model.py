"""The values a batch run passes around: what goes in, what comes out, which pack applies.

Everything here is a frozen attrs class and picklable, because items travel to worker
processes (or Dask workers) and results travel back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import attrs

# re-exported: batch callers pick packs by track exactly as `eval` does
from .. import _api as api
from .._tracks import FALLBACK_PACK, TRACK_PACKS, pack_for_data  # noqa: F401


@attrs.frozen
class ProfileText:
    """One profile as text (a JSON Lines line, a document from elsewhere).

    ``source`` names it in results (``people.jsonl:12``); ``format`` is ``json``, ``yaml``
    or ``toml``. ``own_lines`` is False when ``source`` already carries the line (JSON
    Lines), so issues do not repeat a meaningless ``line 1``.
    """

    source: str
    text: str | bytes
    format: str = "json"
    own_lines: bool = False


@attrs.frozen
class BatchResult:
    """The outcome for the profile at ``index`` (0-based, input order): ``result_json`` is
    the output contract of one evaluation (``Results.to_json()``), or ``error`` is
    ``{"issues": [{"path", "message"}, ...]}`` when the profile could not be evaluated.
    ``id`` is the profile's ``applicant.id`` where it could be read."""

    index: int
    id: str | None
    source: str
    result_json: dict | None = None
    error: dict | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def record(self) -> dict:
        """The JSON Lines record: ``{"id", "source", **result}`` or ``{"id", "source",
        "error"}``."""
        head = {"id": self.id, "source": self.source}
        if self.error is not None:
            return {**head, "error": self.error}
        return {**head, **(self.result_json or {})}


@attrs.frozen
class Encoded:
    """What a worker sends back to the command line: the record already as one JSON line
    (cheap to pickle, nothing left to do in the parent but write it) and the small
    :class:`~imgrules.batch.summary.Digest` the cohort summary needs."""

    index: int
    id: str | None
    source: str
    line: str
    failed: bool
    internal: bool = False
    digest: Any = None
    error: dict | None = None


@attrs.frozen
class PackChoice:
    """Which compiled pack evaluates a profile: ``fixed`` for every profile, or by
    ``track`` from ``by_name`` (the shipped packs, see :func:`pack_for_data`)."""

    fixed: Any = None
    by_name: Mapping[str, Any] = attrs.field(factory=dict)

    def pick(self, data: Any):
        if self.fixed is not None:
            return self.fixed
        return self.by_name[pack_for_data(data)]


def choice_for(pack) -> PackChoice:
    """A PackChoice from what the API takes: a CompiledPack, anything ``api.load`` takes
    (a path or a pack name), a PackChoice, or ``None`` for "the shipped pack of each
    profile's track"."""
    if isinstance(pack, PackChoice):
        return pack
    if pack is None:
        names = sorted({*TRACK_PACKS.values(), FALLBACK_PACK})
        return PackChoice(by_name={name: api.load(name) for name in names})
    if isinstance(pack, api.CompiledPack):
        return PackChoice(fixed=pack)
    if isinstance(pack, (str, os.PathLike)):
        return PackChoice(fixed=api.load(pack))
    raise TypeError(f"pack: expected a CompiledPack, a pack path or name, or None; "
                    f"got {type(pack).__name__}")
