"""Imports point down the pipeline: no cycles between imgrules' modules, and
function-local imports of our own modules only where docs/internals.md says laziness is
the point. Imports are read from the source (every ``import`` statement, at any depth),
not from what happens to be loaded."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import imgrules
from imgrules._graphs import strongly_connected

PACKAGE = Path(imgrules.__file__).resolve().parent
INTERNALS = Path(__file__).resolve().parent.parent / "docs" / "internals.md"

KNOWN_EXCEPTION: tuple[str, ...] = ()  # modules left out of the cycle test: none


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module an import names: the longest known prefix of ``name``."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str):
    """(imported module, at module level?) for every import of imgrules in ``name``."""
    path, is_package = MODULES[name]
    package = name if is_package else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = {id(node) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
             for node in ast.walk(fn)}
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names if alias.name.split(".")[0] == "imgrules"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] == "imgrules":
                # `from . import x` names a submodule; `from .m import f` names m
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module
                           for a in node.names]
        for target in targets:
            resolved = _resolve(target)
            if resolved is not None and resolved != name:
                yield resolved, id(node) not in local


def _outside_the_exception(name: str) -> bool:
    return not name.startswith(KNOWN_EXCEPTION)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module."""
    return [c for c in strongly_connected(sorted(graph), {v: sorted(ws) for v, ws in graph.items()})
            if len(c) > 1]


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = {name: {target for target, _ in _imports(name) if _outside_the_exception(target)}
             for name in MODULES if _outside_the_exception(name)}
    assert _cycles(graph) == []


def _documented_lazy_modules() -> list[str]:
    text = INTERNALS.read_text(encoding="utf-8")
    section = text.split("## Imports", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `(imgrules[\w.*]*)`", section, re.M) + \
        re.findall(r"^- `imgrules[\w.*]*`, `(imgrules[\w.*]*)`", section, re.M)


def test_local_imports_only_where_laziness_is_documented():
    documented = _documented_lazy_modules()
    assert "imgrules._api" in documented and "imgrules._cli.*" in documented

    def allowed(name: str) -> bool:
        return any(name == d or (d.endswith(".*") and name.startswith(d[:-1])) for d in documented)

    lazy = sorted({name for name in MODULES
                   if _outside_the_exception(name)
                   for _, top in _imports(name) if not top})
    assert [name for name in lazy if not allowed(name)] == []
    # and the list names no module that no longer needs it
    assert [d for d in documented if not any(allowed(name) and (name == d or d.endswith(".*"))
                                             for name in lazy)] == []
