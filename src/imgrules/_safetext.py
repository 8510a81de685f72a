"""Untrusted text made safe to show: the one helper every message and output uses.

Profiles, file names and rule text come from people and programs we do not trust. A
control character written raw to a terminal moves the cursor, sets the window title
(``ESC ] 0 ; ... BEL``) or clears the screen; in a document, bidirectional overrides
(U+202E) and zero-width characters make text read differently from what it is. Every
such character is shown escaped instead, the way Python writes it in a string
(``\\x1b``, ``\\u202e``), so that the reader sees that it is there.

Escaped: the C0 and C1 controls and DEL (Unicode category Cc), format characters (Cf:
direction marks and overrides, zero-width space, the byte-order mark...), lone
surrogates (Cs) and the line and paragraph separators (Zl, Zp). The zero-width joiner
and non-joiner (U+200C, U+200D) are kept: names in Persian, Hindi or emoji need them and
they move nothing.
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "escape_json_text"]

_UNSAFE_BUT_C0 = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f")
_UNSAFE = re.compile(f"[\x00-\x1f{_UNSAFE_BUT_C0}]")
# in JSON text a raw line break is the indent's (json.dumps escapes every C0 control in a
# string): not matched, so that an indented document without unsafe text costs one search
_UNSAFE_IN_JSON = re.compile(f"[\x00-\x09\x0b-\x1f{_UNSAFE_BUT_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _python_escape(char: str) -> str:
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_controls(text: str, keep: str = "") -> str:
    """``text`` with every unsafe character written as its escape (``\\x1b``, ``\\u202e``).

    Characters in ``keep`` (say ``"\\n"`` for text that may span lines) stay as they are.
    Text without such characters is returned unchanged (the common case costs one search).
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group(0) if m.group(0) in keep else _python_escape(m.group(0)), text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xd800 + (code >> 10):04x}\\u{0xdc00 + (code & 0x3ff):04x}"


def escape_json_text(document: str) -> str:
    """JSON text with every unsafe character that ``json.dumps(ensure_ascii=False)`` left
    raw written as a ``\\uXXXX`` escape: the same JSON value, safe on a terminal.

    Only valid where such characters can occur inside JSON strings, which is everywhere
    in JSON text that ``json.dumps`` wrote (it never puts them between tokens).
    """
    if not _UNSAFE_IN_JSON.search(document):
        return document
    return _UNSAFE_IN_JSON.sub(lambda m: _json_escape(m.group(0)), document)
