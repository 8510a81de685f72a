"""Rendered source snippets are safe for a terminal and stay readable.

Control characters are escaped and the caret still points at the right character; a
very long line is clipped around the caret; messages name odd characters once.
"""

from __future__ import annotations

from imgrules._diagnostics import error, render
from imgrules._source import SNIPPET_WIDTH, Source, render_snippet
from imgrules._syntax import parse


def _lines(source: Source, start: int, end: int) -> tuple[str, str]:
    text, marker = render_snippet(source, source.span(start, end)).split("\n")
    return text, marker


def _under(text: str, marker: str) -> str:
    """The characters of ``text`` above the carets."""
    return "".join(t for t, m in zip(text, marker) if m == "^")


def test_control_characters_are_escaped_and_the_caret_follows():
    source = Source("x.rules", 'let a = "red \x1b[31m text" + bad\n')
    start = source.text.index("bad")
    text, marker = _lines(source, start, start + 3)
    assert "\x1b" not in text and "\\x1b[31m" in text
    assert _under(text, marker) == "bad"


def test_a_tab_is_one_space_and_keeps_the_caret_aligned():
    source = Source("x.rules", "let\ta =\t\tbad\n")
    start = source.text.index("bad")
    text, marker = _lines(source, start, start + 3)
    assert text.endswith("let a =  bad") and _under(text, marker) == "bad"


def test_direction_marks_and_other_invisible_characters_are_escaped():
    source = Source("x.rules", "let a = \u202eevil\u2066 + \ufeffx\n")
    start = source.text.index("x\n")
    text, marker = _lines(source, start, start + 1)
    assert "\\u202e" in text and "\\u2066" in text and "\\ufeff" in text
    assert "\u202e" not in text and _under(text, marker) == "x"


def test_a_huge_line_is_clipped_around_the_caret():
    line = "x" * 5_000_000 + "BAD" + "y" * 5_000_000
    source = Source("big.rules", line)
    start = line.index("BAD")
    text, marker = _lines(source, start, start + 3)
    assert len(text) < SNIPPET_WIDTH + 20 and len(marker) < SNIPPET_WIDTH + 20
    assert "..." in text and text.rstrip().endswith("...")
    assert _under(text, marker) == "BAD"


def test_a_long_line_is_clipped_at_its_start_and_end():
    line = "B" + "x" * 1000 + "E"
    source = Source("x.rules", line)
    text, marker = _lines(source, 0, 1)
    assert not text.split("| ", 1)[1].startswith("...") and text.endswith("...")
    assert _under(text, marker) == "B"
    text, marker = _lines(source, len(line) - 1, len(line))
    assert "| ..." in text and not text.endswith("...") and _under(text, marker) == "E"


def test_a_caret_after_the_end_of_the_line_stays_there():
    source = Source("x.rules", "let a =\n")
    text, marker = _lines(source, 7, 7)
    assert marker.index("^") == len(text)


def test_short_plain_lines_are_unchanged():
    source = Source("x.rules", "let a = scroe + 1\n")
    start = source.text.index("scroe")
    rendered = render(error("E201", "unknown name 'scroe'", source.span(start, start + 5)),
                      {"x.rules": source})
    assert rendered == ("x.rules:1:9: error[E201]: unknown name 'scroe'\n"
                        "   1 | let a = scroe + 1\n"
                        "     |         ^^^^^")


def test_an_unexpected_invisible_character_is_named_once():
    pack, diagnostics = parse("let a = \ufeff1\n", "x.rules")
    assert pack is None
    [diagnostic] = diagnostics
    assert diagnostic.message == "unexpected character U+FEFF"
