"""Syntax from other languages, recognised in a syntax error: "did you mean" the imgrules form.

People who write Python, JavaScript or SQL bring ``&&``, ``||``, ``!``, ``elif``, the
conditional ``A if C else B``, and lines of ``=`` signs under a heading. Each is a syntax
error in imgrules; these functions turn the generic "unexpected ..." into a message that
names the imgrules form. Each returns ``(message, notes, (start, end))`` with offsets in
the parsed text, or None when the error is not one of these.
"""

from __future__ import annotations

import re

_RULE_LINE = re.compile(r"^[ \t]*(={2,})[ \t]*$", re.M)

# character -> (what was written, what imgrules writes, an example)
_OPERATORS = {
    "&": ("&&", "and", "when a and b"),
    "|": ("||", "or", "when a or b"),
    "!": ("!", "not", "when not a"),
}

Hint = tuple[str, list[str], tuple[int, int]]


def foreign_character(text: str, offset: int) -> Hint | None:
    """``&&``, ``||`` or ``!`` where the lexer found no token (``!=`` is imgrules)."""
    char = text[offset:offset + 1]
    if char not in _OPERATORS or text.startswith("!=", offset):
        return None
    written, imgrules_form, example = _OPERATORS[char]
    end = offset + (2 if text.startswith(char * 2, offset) else 1)
    shown = written if end - offset == 2 or char == "!" else char
    return (f"'{shown}' is not an imgrules operator; did you mean '{imgrules_form}'?",
            [f"for example: {example}"], (offset, end))


def foreign_word(value: str, start: int, end: int, after_value: bool) -> Hint | None:
    """``elif``, or ``if`` right after a value (Python's ``A if C else B``)."""
    if value == "elif":
        return ("'elif' is not imgrules; did you mean 'else if'?",
                ["for example: if a then 1 else if b then 2 else 3"], (start, end))
    if value == "if" and after_value:
        return ("imgrules has no 'A if CONDITION else B'; did you mean "
                "'if CONDITION then A else B'?", [], (start, end))
    return None


def rule_line(text: str, error_at: int) -> Hint | None:
    """A line of only ``=`` signs (a heading's underline, or ``==`` left on a line of its own)
    on the error's line or the line before it that is not blank: it was read as a comparison."""
    line_start = text.rfind("\n", 0, error_at) + 1
    before = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    while before > 0 and not text[before:line_start].strip():
        before = text.rfind("\n", 0, before - 1) + 1
    line_end = text.find("\n", error_at)
    line_end = len(text) if line_end < 0 else line_end
    match = _RULE_LINE.search(text, before if line_start else 0, line_end)
    if match is None:
        return None
    signs = match.group(1)
    return (f"a line of only '{signs}' is read as a comparison; did you mean a comment, "
            f"'# {signs}'?", ["comments start with '#'; '==' compares the values either side of it"],
            (match.start(1), match.end(1)))
