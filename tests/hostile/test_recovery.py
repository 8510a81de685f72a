"""Error recovery after a syntax error costs work linear in the file.

After a syntax error the parser cuts the file at each declaration and parses every piece
again to report one error per broken declaration. Each piece must be parsed on its own:
the count of characters handed to the parser's recognizer must stay a small multiple of
the file, whatever the number of pieces (it was quadratic: every piece was padded with the
blanked text before it). Wall-clock figures are in ``benchmarks/recovery.py``.
"""

from __future__ import annotations

import pytest

from imgrules._syntax import parse
from imgrules._syntax import recovery


def _bad_first_line(n: int) -> str:
    return "let = 1\n" + "".join(f"let v{i} = {i}\n" for i in range(n))


def _characters_parsed_again(monkeypatch, text: str) -> tuple[int, list]:
    seen = []
    recognize = recovery.recognize

    def counting(piece, start):
        seen.append(len(piece))
        return recognize(piece, start)

    monkeypatch.setattr(recovery, "recognize", counting)
    pack, diagnostics = parse(text, "big.rules")
    assert pack is None
    return sum(seen), diagnostics


@pytest.mark.parametrize("n", [500, 4000])
def test_recovery_parses_each_character_a_bounded_number_of_times(monkeypatch, n):
    text = _bad_first_line(n)
    parsed, diagnostics = _characters_parsed_again(monkeypatch, text)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("E002", 1, 5)]
    assert parsed <= 2 * len(text), (parsed, len(text))


def test_errors_far_down_the_file_keep_their_positions(monkeypatch):
    lines = ["let v%d = %d" % (i, i) for i in range(3000)]
    lines[0] = "let = 1"
    lines[1500] = "let w = (1"
    lines[2999] = "rule r \"R\" when"
    text = "\n".join(lines) + "\n"
    parsed, diagnostics = _characters_parsed_again(monkeypatch, text)
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics][:2] == [("E002", 1, 5),
                                                                             ("E004", 1501, 11)]
    assert diagnostics[-1].span.line == 3000
    assert parsed <= 2 * len(text)
