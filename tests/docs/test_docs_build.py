"""The documentation builds with warnings as errors, its examples run, its links resolve."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_parser")
pytest.importorskip("furo")

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts and "_generated" not in p.parts)


def sphinx(builder: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", builder,
         "-d", str(out / "doctrees"), str(DOCS), str(out / builder)],
        capture_output=True, text=True, cwd=REPO, timeout=300)


def test_html_build_has_no_warnings(tmp_path):
    """-W with nitpicky: every warning, unresolved reference or unlexable rule example fails."""
    done = sphinx("html", tmp_path)
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "html" / "catalog.html").read_text(encoding="utf-8")
    assert 'id="catalog-img-core-step2-ck-tier"' in html
    cli = (tmp_path / "html" / "cli.html").read_text(encoding="utf-8")
    assert "imgrules eval" in cli
    reference = (tmp_path / "html" / "profile-reference.html").read_text(encoding="utf-8")
    assert 'href="catalog.html#catalog-img-core-step2-ck-tier"' in reference  # a rule reading a field


def test_doctests_pass(tmp_path):
    done = sphinx("doctest", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert re.search(r"\b0 failures in tests", report), report


FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{[\w-]+\}|[\w-]+)?", re.M)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_python_examples_are_executed(page: Path):
    """A Python example must be a ``{doctest}`` block, so the doctest build runs it."""
    langs = {m.group(2) for m in FENCE.finditer(page.read_text(encoding="utf-8"))}
    assert not langs & {"python", "py", "pycon", "python3"}, page


LINK = re.compile(r"\]\(([^)#\s]+\.md)(#[^)]*)?\)|\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_internal_links_resolve(page: Path):
    """Every Markdown link to a page and every {doc} role names a page that exists."""
    text = page.read_text(encoding="utf-8")
    missing = []
    for match in LINK.finditer(text):
        target = match.group(1) or match.group(3)
        if target.startswith(("http://", "https://")):
            continue
        base = DOCS if target.startswith("/") else page.parent
        path = (base / target.lstrip("/"))
        if not (path.exists() or path.with_suffix(".md").exists()):
            missing.append(target)
    assert missing == []
