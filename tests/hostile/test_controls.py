"""Control characters from a profile, a file name or a pack never reach the terminal or
a document raw: every message and output format shows them escaped (``\\x1b``,
``\\u202e``), through the one helper :mod:`imgrules._safetext`; JSON keeps the value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgrules._safetext import escape_controls, escape_json_text

from .helpers import CORPUS, run

PACK = str(CORPUS / "pack" / "hostile.rules")
UNSAFE = ["\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\x85", "\x7f"]
WRITER = "A\x1b]0;pwned\x07B\x00C\x9b2JD\u202eE\u2066F\u200bG"
SHOWN = r"A\x1b]0;pwned\x07B\x00C\x9b2JD\u202eE\u2066F\u200bG"


def _raw(text: str) -> list[str]:
    return [c for c in UNSAFE if c in text]


def _profile(tmp_path, **extra) -> str:
    data = {"as_of": "2026-01-15", "track": "first_time", "year": 2020, "score": 10.0,
            "letters": [{"id": "l1", "writer": WRITER}]}
    data.update(extra)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_profile_key_that_sets_the_window_title_is_shown_escaped(capsys, tmp_path):
    profile = _profile(tmp_path, **{"\x1b]0;pwned\x07": 1})
    code, out, err = run(capsys, "eval", "--pack", PACK, profile)
    assert code == 1 and _raw(err) == []
    assert r"unknown field '\x1b]0;pwned\x07'" in err


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_values_are_escaped_in_every_document_format(capsys, tmp_path, fmt):
    code, out, err = run(capsys, "eval", "--pack", PACK, "--all", "--format", fmt, _profile(tmp_path))
    assert code == 0 and _raw(out) == [] and _raw(err) == []
    shown = SHOWN.replace("\\", "\\\\").replace("]", "\\]") if fmt == "markdown" else SHOWN
    assert shown in out


def test_json_keeps_the_value_and_escapes_the_characters(capsys, tmp_path):
    code, out, err = run(capsys, "eval", "--pack", PACK, "--format", "json", _profile(tmp_path))
    assert code == 0 and _raw(out) == []
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert any(WRITER in m for m in messages)


def test_batch_lines_escape_them_too(capsys, tmp_path):
    profile = _profile(tmp_path)
    lines = tmp_path / "in.jsonl"
    lines.write_text(open(profile, encoding="utf-8").read().replace("\n", "") + "\n", encoding="utf-8")
    out_path = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "batch", "--pack", PACK, str(lines), "--out", str(out_path))
    text = out_path.read_text(encoding="utf-8")
    assert code == 0 and _raw(text) == [] and _raw(err) == []
    [record] = [json.loads(line) for line in text.splitlines()]
    assert any(WRITER in s for s in _strings(record))  # the value itself is kept


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_a_file_name_with_control_characters_is_escaped_in_messages(capsys, tmp_path):
    path = tmp_path / "bad\x1b[2Jname\u202e.rules"
    path.write_text("let = 1\n")
    code, out, err = run(capsys, "check", str(path))
    assert code == 1 and _raw(out + err) == []
    assert r"bad\x1b[2Jname\u202e.rules:1:5" in out


@settings(max_examples=300, deadline=None, database=None)
@given(st.text())
def test_escaping_leaves_no_unsafe_character_and_json_keeps_every_value(text):
    assert _raw(escape_controls(text)) == []
    document = escape_json_text(json.dumps({"k": text}, ensure_ascii=False))
    assert _raw(document) == [] and json.loads(document) == {"k": text}
    # indented: the indent's line breaks stay as they are, the strings' unsafe characters do not
    value = {"k": [text, {text: text}]}
    indented = json.dumps(value, ensure_ascii=False, indent=2)
    document = escape_json_text(indented)
    assert _raw(document) == [] and json.loads(document) == value
    assert document.count("\n") == indented.count("\n") == 7
