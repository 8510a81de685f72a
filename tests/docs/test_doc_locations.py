"""Locations in the shipped packs that the docs quote still point at what they name.

The docs show real output (`explain`, the advisor view, coverage), and that output names
places in ``rules/`` such as ``img/core.rules:776``. Editing a pack moves its lines, and
such a location then silently points at something else. Each location quoted in
``docs/**/*.md`` of a shipped pack file must:

- with a name next to it (``NAME (img/x.rules:L)``, ``by NAME at img/x.rules:L``,
  ``[NAME img/x.rules:L]``): fall inside the declaration of NAME in that file (its first
  line, or an indented line of it, such as a table's row);
- with a column and a quoted condition (``img/x.rules:L:C: condition `TEXT```): have TEXT
  at that column;
- otherwise: be the first line of a declaration.

Locations of packs that are only examples in the docs (``img/demo.rules``) are not checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"
PAGES = sorted(p for p in (REPO / "docs").rglob("*.md")
               if not {"_build", "_generated"} & set(p.relative_to(REPO / "docs").parts))
SHIPPED = sorted(p.relative_to(RULES).as_posix() for p in RULES.rglob("*.rules"))

LOCATION = re.compile(r"(?:rules/)?(?P<path>" + "|".join(map(re.escape, SHIPPED))
                      + r"):(?P<line>\d+)(?::(?P<col>\d+))?(?P<after>[^\n]*)")
# the name a location is quoted with, right before it
NAMED = re.compile(r"(?:\b(?P<a>\w+) \(|\bby (?P<b>\w+) at |\[(?P<c>\w+)\s+)$")
CONDITION = re.compile(r"^: condition `(?P<text>[^`]+)`")
DECLARATION = re.compile(r"^[a-z]+\s+(?P<name>\w+)")


def declarations(lines: list[str]) -> dict[str, tuple[int, int]]:
    """name -> (first line, last line) of each top-level declaration of a pack file: from
    its first line to the line before the next declaration."""
    starts = [(n, m.group("name")) for n, text in enumerate(lines, 1)
              if (m := DECLARATION.match(text))]
    return {name: (start, (starts[i + 1][0] - 1) if i + 1 < len(starts) else len(lines))
            for i, (start, name) in enumerate(starts)}


def quoted() -> list[tuple[str, re.Match, str | None]]:
    """(page:line, location match, name quoted with it) of every location in the docs."""
    out = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in LOCATION.finditer(text):
            named = NAMED.search(text, max(0, match.start() - 100), match.start())
            name = named and (named.group("a") or named.group("b") or named.group("c"))
            where = f"{page.relative_to(REPO).as_posix()}:{text.count(chr(10), 0, match.start()) + 1}"
            out.append((where, match, name))
    return out


LOCATIONS = quoted()


def test_docs_quote_locations():
    """The check below is not vacuous: the docs do quote pack locations, named and not."""
    assert any(name for _, _, name in LOCATIONS)
    assert any(name is None for _, _, name in LOCATIONS)


@pytest.mark.parametrize("where,match,name", LOCATIONS,
                         ids=[f"{w} {m.group(0).split()[0]}" for w, m, _ in LOCATIONS])
def test_location_points_at_what_it_names(where: str, match: re.Match, name: str | None):
    lines = (RULES / match.group("path")).read_text(encoding="utf-8").splitlines()
    line = int(match.group("line"))
    assert 1 <= line <= len(lines), f"{where}: {match.group('path')} has {len(lines)} lines"
    text = lines[line - 1]
    decls = declarations(lines)
    if name:
        assert name in decls, f"{where}: {match.group('path')} declares no {name!r}"
        first, last = decls[name]
        assert first <= line <= last, (
            f"{where}: line {line} is not in {name} (lines {first}-{last}): {text!r}")
    elif match.group("col") and (condition := CONDITION.match(match.group("after"))):
        col = int(match.group("col"))
        assert text[col - 1:].startswith(condition.group("text")), (
            f"{where}: column {col} of line {line} is not `{condition.group('text')}`: {text!r}")
    else:
        assert (m := DECLARATION.match(text)) and decls.get(m.group("name"), (0,))[0] == line, (
            f"{where}: line {line} does not start a declaration: {text!r}")
