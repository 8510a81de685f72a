"""Memory for a long string literal stays a small multiple of its size.

A 4 MiB literal used to peak at 1.45 GB: the regular expressions that read strings (the
lexer's STRING, the comment finder, the token scans) kept backtracking state for every
character, and a message's text was built a character at a time. Measured with
tracemalloc (Python allocations), as a ratio to the text's size, never as a time.
"""

from __future__ import annotations

import tracemalloc

import pytest

import imgrules
from imgrules._syntax import format_text, parse

SIZE = 256 * 1024
BOUND = 16  # bytes allocated at the peak per character of the file
ALLOWANCE = 1024 * 1024  # for what parsing any text costs, however short
HEAD = "pack t\nprofile {\n  as_of: date\n}\n"
SHAPES = {
    "plain": HEAD + 'let s = "' + "a" * SIZE + '"\n',
    "escaped quotes": HEAD + 'let s = "' + 'a\\"' * (SIZE // 3) + '"\n',
    "backslashes": HEAD + 'let s = "' + "\\\\" * (SIZE // 2) + '"\n',
    "message": HEAD + 'rule r "R"\n  when as_of > 2020-01-01\n  then recommend "' + 'a\\"' * (SIZE // 3)
    + '{as_of}"\n',
    "quotes in a comment": HEAD + "# " + '"' * SIZE + "\nlet s = 1\n",
    "unterminated": HEAD + 'let s = "' + 'a\\"' * (SIZE // 3) + "\n",
}


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory):
    """Load the parser's tables and the compiler once: only the literal is measured."""
    small = tmp_path_factory.mktemp("warm") / "w.rules"
    small.write_text(HEAD + 'rule r "R"\n  when as_of > 2020-01-01\n  then recommend "x {as_of}"\n')
    imgrules.load(str(small), use_cache=False)
    format_text(small.read_text(), "w.rules")


def _within(peak: int, text: str) -> bool:
    return peak <= BOUND * len(text) + ALLOWANCE


def _peak(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", SHAPES)
def test_parsing_and_formatting_a_long_literal_stay_within_a_multiple_of_its_size(shape):
    text = SHAPES[shape]
    peak = _peak(lambda: parse(text, f"{shape}.rules"))  # a new path: parse remembers results
    assert _within(peak, text), f"{peak / len(text):.1f} bytes per character"
    if shape != "unterminated":
        peak = _peak(lambda: format_text(text, f"{shape}-fmt.rules"))
        assert _within(peak, text), f"{peak / len(text):.1f} bytes per character"


@pytest.mark.parametrize("shape", ["plain", "message"])
def test_loading_a_pack_with_a_long_literal_stays_within_a_multiple_of_its_size(tmp_path, shape):
    """Loading (check and compile included) has a fixed cost of its own: what the literal
    adds to it is measured against the same pack with a short literal."""
    text = SHAPES[shape]
    short = text.replace("a" * SIZE, "a").replace('a\\"' * (SIZE // 3), 'a\\"')
    path, small = tmp_path / "p.rules", tmp_path / "small.rules"
    path.write_text(text)
    small.write_text(short)
    base = _peak(lambda: imgrules.load(str(small), use_cache=False))
    peak = _peak(lambda: imgrules.load(str(path), use_cache=False))
    assert peak - base <= BOUND * len(text), f"{(peak - base) / len(text):.1f} bytes per character"


def test_the_long_literal_is_read_exactly():
    pack, diagnostics = parse(SHAPES["escaped quotes"], "exact.rules")
    assert diagnostics == []
    [let] = [d for d in pack.declarations if d.name.text == "s"]
    assert let.body.value == 'a"' * (SIZE // 3)
