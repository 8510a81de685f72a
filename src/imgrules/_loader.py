"""Pack files and their imports: a target file or pack name -> a :class:`PackSet`.

``import img.core`` names the file ``<root>/img/core.rules`` in the first pack root that
has it. Roots are searched in order: the roots the caller gives, the root implied by the
target file's own ``pack`` name (``rules/img/x.rules`` with ``pack img.x`` implies
``rules/``), and the shipped packs (:func:`imgrules._resources.rules_dir`).

Problems in the rule text (a missing import, a cycle, a file too large) become
diagnostics on the ``import`` line; only a target that cannot be read at all raises
:class:`LoadError`. Each file is read and parsed once, keyed by its resolved path.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from . import ast
from ._resources import rules_dir
from ._diagnostics import Diagnostic, did_you_mean, error
from ._errors import LoadError  # noqa: F401 - defined low so that `import imgrules` need not parse
from ._limits import DEFAULT_MAX_FILE_BYTES, PackLimits
from ._packnames import _display, find_pack, is_pack_name, pack_name_of  # noqa: F401 - API
from ._source import Source, Span
from ._syntax.guard import parse_limited as parse
from ._syntax.guard import strip_bom

DEFAULT_MAX_FILE_SIZE = DEFAULT_MAX_FILE_BYTES


@attrs.frozen
class PackSet:
    """A root pack and everything it imports, parsed.

    ``packs`` holds the files that parsed, dependencies first and the root last;
    ``sources`` every file read (by the path its spans use); ``diagnostics`` the syntax
    and import problems found on the way.
    """

    packs: tuple[ast.Pack, ...]
    sources: Mapping[str, Source]
    diagnostics: tuple[Diagnostic, ...]
    root_path: str = ""
    roots: tuple[str, ...] = ()  # the roots imports were looked up in, in order (absolute)

    @property
    def root(self) -> ast.Pack | None:
        """The target pack, or None when it did not parse."""
        if self.packs and self.packs[-1].path == self.root_path:
            return self.packs[-1]
        return None


def pack_location(pack: ast.Pack) -> str:
    """Where a pack file is, as people read it whatever the install or working directory:
    relative to its pack root (``img/core.rules`` for ``pack img.core``), or just the file
    name when its ``pack`` name does not match its path."""
    path = Path(pack.path)
    root = _implied_root(path, pack)
    if root == path.parent:
        return path.name
    return path.relative_to(root).as_posix()


class _Loader:
    """One load: the parse cache, the order packs finish in, the diagnostics."""

    def __init__(self, roots: list[Path], limits: PackLimits,
                 texts: Mapping[Path, str] | None = None):
        self.roots = roots
        self.texts = dict(texts or {})
        self.limits = limits
        self.max_file_size = limits.max_file_bytes
        self.max_files = limits.max_files
        self.parsed: dict[Path, ast.Pack | None] = {}
        self.display: dict[Path, str] = {}
        self.sources: dict[str, Source] = {}
        self.order: list[ast.Pack] = []
        self.done: set[Path] = set()
        self.diagnostics: list[Diagnostic] = []
        self.too_many_reported = False

    def read(self, resolved: Path, shown: str, at: Span | None) -> ast.Pack | None:
        """Parse a file once. Problems go to diagnostics at ``at`` (or raise for the target)."""
        if resolved in self.parsed:
            return self.parsed[resolved]
        if len(self.parsed) >= self.max_files:
            if not self.too_many_reported and at is not None:
                self.diagnostics.append(error(
                    "E109", f"too many pack files: the limit is {self.max_files}", at,
                    "raise the limit with max_files if this is intended"))
                self.too_many_reported = True
            return None
        try:
            text = self._text(resolved, shown)
        except LoadError as exc:
            if at is None:
                raise
            self.diagnostics.append(error("E108", str(exc), at))
            self.parsed[resolved] = None
            return None
        self.sources[shown] = Source(shown, text)
        pack, diagnostics = parse(text, shown, self.limits)
        self.diagnostics.extend(diagnostics)
        self.parsed[resolved] = pack
        self.display[resolved] = shown
        return pack

    def _text(self, resolved: Path, shown: str) -> str:
        """The file's text (UTF-8, a byte-order mark dropped); LoadError says why not.

        Reads at most one byte past the limit, so a file that grows, or a device that
        never ends, cannot exhaust memory.
        """
        limit = self.max_file_size
        if resolved in self.texts:  # an editor's unsaved text stands for the file
            text = self.texts[resolved]
            if len(text.encode("utf-8", "surrogatepass")) > limit:
                raise LoadError(f"{shown} is too large (the limit is {limit} bytes)")
            return strip_bom(text)
        try:
            if not resolved.is_file():
                raise LoadError(f"cannot read {shown}: not a regular file")
            size = resolved.stat().st_size
            with open(resolved, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise LoadError(f"cannot read {shown}: {exc.strerror or exc}") from None
        if size > limit or len(data) > limit:
            raise LoadError(f"{shown} is too large ({max(size, len(data))} bytes; the limit is "
                            f"{limit} bytes)")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LoadError(f"cannot read {shown}: it is UTF-16 text; save it as UTF-8")
        try:
            return strip_bom(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise LoadError(f"cannot read {shown}: it is not UTF-8 text (byte 0x{data[exc.start]:02x} "
                            f"at offset {exc.start}); save it as UTF-8") from None

    def find(self, name: str) -> tuple[Path, str] | None:
        """The first root holding pack ``name``, as (resolved path, displayed path)."""
        return find_pack(self.roots, name)

    def known_names(self) -> list[str]:
        names = set()
        for root in self.roots:
            if not root.is_dir():
                continue
            for path in root.rglob("*.rules"):
                rel = path.relative_to(root).with_suffix("")
                dotted = ".".join(rel.parts)
                if is_pack_name(dotted):
                    names.add(dotted)
        return sorted(names)

    def visit(self, resolved: Path, pack: ast.Pack, stack: list[tuple[Path, str]]) -> None:
        """Load ``pack``'s imports depth-first, then append it (dependencies first)."""
        if resolved in self.done:
            return
        stack.append((resolved, pack_name_of(pack)))
        for imp in pack.imports:
            self.visit_import(imp, stack)
        stack.pop()
        self.done.add(resolved)
        self.order.append(pack)

    def visit_import(self, imp: ast.Import, stack: list[tuple[Path, str]]) -> None:
        name = imp.name.text
        if not is_pack_name(name):
            self.diagnostics.append(error("E106", f"'{name}' is not a pack name", imp.name.span,
                                          "a pack name is dotted identifiers, like img.core"))
            return
        found = self.find(name)
        if found is None:
            parts = name.split(".")
            looked = ", ".join(_display(r.joinpath(*parts[:-1], parts[-1] + ".rules"))
                               for r in self.roots)
            self.diagnostics.append(error(
                "E105", f"cannot find pack '{name}'", imp.name.span, f"looked in {looked}",
                did_you_mean(name, self.known_names())))
            return
        resolved, shown = found
        on_stack = [p for p, _ in stack]
        if resolved in on_stack:
            names = [n for _, n in stack[on_stack.index(resolved):]] + [name]
            self.diagnostics.append(error("E107", "import cycle: " + " -> ".join(names),
                                          imp.name.span, "packs cannot import each other in a circle"))
            return
        if resolved in self.done:
            return
        pack = self.read(resolved, shown, imp.name.span)
        if pack is None:
            return
        declared = pack_name_of(pack)
        if pack.header is not None and declared != name:
            self.diagnostics.append(error(
                "E106", f"{shown} declares pack '{declared}' but is imported as '{name}'",
                imp.name.span, "a pack's name must match its path under the pack root"))
        self.visit(resolved, pack, stack)


def _implied_root(path: Path, pack: ast.Pack | None) -> Path:
    """The root a file's own name implies; the file's folder when the name does not fit."""
    if pack is not None and pack.header is not None and is_pack_name(pack.header.name.text):
        parts = pack.header.name.text.split(".")
        tail = (*parts[:-1], parts[-1] + ".rules")
        if path.parts[-len(tail):] == tail:
            return Path(*path.parts[:-len(tail)]) if len(path.parts) > len(tail) else Path(".")
    return path.parent


def load_packs(target: str | os.PathLike, roots: Iterable[str | os.PathLike] = (), *,
               max_file_size: int | None = None, max_files: int | None = None,
               limits: PackLimits | None = None,
               texts: Mapping[str | os.PathLike, str] | None = None) -> PackSet:
    """Read the pack ``target`` (a ``.rules`` path or a dotted pack name) and its imports.

    ``limits`` bounds file size, nesting, rules per file and files per load (see
    ``imgrules._limits``); ``max_file_size`` and ``max_files`` override the first and
    last. ``texts`` maps file paths to text read instead of the file (an editor's unsaved
    buffers). Raises :class:`LoadError` only when the target itself cannot be found or read.
    """
    limits = limits or PackLimits()
    if max_file_size is not None:
        limits = attrs.evolve(limits, max_file_bytes=max_file_size)
    if max_files is not None:
        limits = attrs.evolve(limits, max_files=max_files)
    explicit = [Path(r) for r in roots]
    shipped: list[Path] = []
    try:
        shipped = [rules_dir()]
    except FileNotFoundError:
        shipped = []
    text = os.fspath(target)
    overlay = {Path(p).resolve(): t for p, t in (texts or {}).items()}
    loader = _Loader(explicit + shipped, limits, overlay)
    if text.endswith(".rules") or os.sep in text or "/" in text or Path(text).exists():
        path = Path(text)
        if not path.exists() and path.resolve() not in overlay:
            raise LoadError(f"cannot read {text}: No such file")
        if path.is_dir():
            raise LoadError(f"cannot read {text}: it is a directory")
        resolved = path.resolve()
        shown = text
    else:
        if not is_pack_name(text):
            raise LoadError(f"'{text}' is neither a .rules file nor a pack name")
        found = loader.find(text)
        if found is None:
            note = did_you_mean(text, loader.known_names())
            raise LoadError(f"cannot find pack '{text}' in "
                            + (", ".join(_display(r) for r in loader.roots) or "any root")
                            + (f" ({note})" if note else ""))
        resolved, shown = found
        path = Path(shown)
    pack = loader.read(resolved, shown, None)
    if pack is not None:
        implied = _implied_root(path, pack)
        if all(implied.resolve() != r.resolve() for r in loader.roots):
            loader.roots = explicit + [implied] + shipped
        loader.visit(resolved, pack, [])
    return PackSet(tuple(loader.order), dict(loader.sources), tuple(loader.diagnostics), shown,
                   tuple(os.path.abspath(r) for r in loader.roots))


TEXT_NAME = "<text>"


def load_text(text: str, name: str = TEXT_NAME, roots: Iterable[str | os.PathLike] = (), *,
              limits: PackLimits | None = None) -> PackSet:
    """Parse a pack held in memory and read its imports from ``roots`` (then the shipped
    packs). ``name`` is where diagnostics say the text is (a file name as people read it);
    no file of that name is read. Never raises for bad text: it all becomes diagnostics.
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected str, got {type(text).__name__}")
    if not isinstance(name, str) or not name:
        raise TypeError("name: expected a non-empty str")
    limits = limits or PackLimits()
    explicit = [Path(r) for r in roots]
    try:
        shipped = [rules_dir()]
    except FileNotFoundError:
        shipped = []
    loader = _Loader(explicit + shipped, limits)
    # a key no file on disk can have: the text's imports can never be this "file"
    key = Path("\0text", name)
    text = strip_bom(text)
    loader.sources[name] = Source(name, text)
    pack, diagnostics = parse(text, name, limits)
    loader.diagnostics.extend(diagnostics)
    loader.parsed[key] = pack
    loader.display[key] = name
    if pack is not None:
        loader.visit(key, pack, [])
    return PackSet(tuple(loader.order), dict(loader.sources), tuple(loader.diagnostics), name,
                   tuple(os.path.abspath(r) for r in loader.roots))
