"""One editor buffer, checked: its diagnostics, its symbol index, its doc comments.

:func:`analyze` runs the same loader and checker as ``imgrules check`` on the text the
editor holds (unsaved buffers of other open packs stand in for their files), so the
squiggles are exactly the command's diagnostics. Like ``imgrules check rules/``, an
"unused" warning on a declaration that another pack of the workspace imports and uses
is dropped. Nothing here raises for a problem in the text: a file that cannot even be
read becomes one diagnostic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from .. import ast
from .._check import check_pack, unused
from .._check.model import CheckedPack
from .._comments import DocComments
from .._diagnostics import Diagnostic, error
from .._loader import LoadError, load_packs
from .._source import Source
from .index import SymbolIndex

_IMPORT = re.compile(r"^\s*import\s+([A-Za-z_][\w.]*)", re.M)
_PACK = re.compile(r"^\s*pack\s+([A-Za-z_][\w.]*)", re.M)


def same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@attrs.define
class Analysis:
    """What one check of a buffer found. ``checked`` is None when the file could not be read."""

    path: str
    text: str
    checked: CheckedPack | None
    index: SymbolIndex | None
    diagnostics: list[Diagnostic]
    _docs: dict[str, DocComments] = attrs.field(factory=dict)

    @property
    def parsed(self) -> bool:
        """Whether the buffer parsed (hover and navigation need a tree)."""
        return self.checked is not None and self.root_pack is not None

    @property
    def root_pack(self) -> ast.Pack | None:
        if self.checked is None:
            return None
        for pack in self.checked.packs:
            if same_file(pack.path, self.path):
                return pack
        return None

    def source(self, path: str) -> Source | None:
        return self.checked.sources.get(path) if self.checked is not None else None

    def doc_comment(self, node) -> str:
        """The doc comment of a node of any file of the pack set."""
        path = node.span.path
        if path not in self._docs:
            pack = next((p for p in self.checked.packs if p.path == path), None) \
                if self.checked is not None else None
            source = self.source(path)
            if pack is None or source is None:
                return ""
            self._docs[path] = DocComments(pack, source.text)
        return self._docs[path].doc_comment(node)

    @property
    def span_path(self) -> str:
        """The path the checker's spans use for this buffer."""
        pack = self.root_pack
        return pack.path if pack is not None else self.path


def analyze(path: str, text: str, roots: Iterable[str] = (), open_texts: Mapping[str, str] | None = None,
            workspace: Iterable[str] = ()) -> Analysis:
    """Check ``text`` as the content of the pack file ``path``.

    ``roots`` are extra pack roots (like ``--pack-root``); ``open_texts`` maps other open
    files to their buffers; ``workspace`` lists the workspace's .rules files, searched for
    packs that import this one (their uses silence "unused" warnings).
    """
    texts = dict(open_texts or {})
    texts[path] = text
    try:
        packset = load_packs(path, list(roots), texts=texts)
    except LoadError as exc:
        source = Source(path, text)
        return Analysis(path, text, None, None, [error("E108", str(exc), source.span(0, 0))])
    checked = check_pack(packset)
    mine = [d for d in checked.diagnostics if same_file(d.span.path, path)]
    if any(d.code in unused.UNUSED_CODES for d in mine):
        used = _used_by_importers(path, text, list(roots), texts, workspace)
        mine = [d for d in mine if not (d.code in unused.UNUSED_CODES and d.span.start in used)]
    index = SymbolIndex(checked)
    return Analysis(path, text, checked, index, mine)


def _used_by_importers(path: str, text: str, roots: list[str], texts: Mapping[str, str],
                       workspace: Iterable[str]) -> set[int]:
    """Offsets (in ``path``) of declarations that workspace packs importing it use."""
    found = _PACK.search(text)
    name = found.group(1) if found else Path(path).stem
    used: set[int] = set()
    for other in workspace:
        if same_file(other, path):
            continue
        other_text = texts.get(other)
        if other_text is None:
            try:
                other_text = Path(other).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
        if name not in _IMPORT.findall(other_text):
            continue
        try:
            checked = check_pack(load_packs(other, roots, texts=texts))
        except LoadError:
            continue
        used |= {start for where, start in unused.uses(checked) if same_file(where, path)}
    return used
