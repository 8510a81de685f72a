"""The built Lark parser, kept between runs in the user's private cache directory.

Building the LALR tables from ``grammar/imgrules.lark`` costs a few hundred milliseconds
on every start; loading them back costs a tenth of that. Lark's own ``cache=True`` writes
a pickle into the shared temp directory, where another local user could plant one, so
the tables go instead into the user's private cache directory
(:mod:`imgrules._cachedir`: a private directory, no symlinks followed, files of other
owners ignored), in a file keyed by the grammar's text, Lark's version, the parser
options and Python's version.

The file is Lark's serialised form (plain dicts, lists, tuples, strings and numbers)
behind a magic header and an HMAC-SHA256 signature under the user's secret key (so a
file planted or restored from elsewhere is ignored unread), and is unpickled with an
unpickler that refuses every global, so even a file that got through could not name a
class or function to call.
Anything wrong with it (missing, corrupt, foreign, unreadable, unwritable) means
building the tables as before; it never fails a parse.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import sys

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from .._resources import grammar_text
from .._cachedir import CacheDir, seal, unseal, user_key

OPTIONS = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True,
           "maybe_placeholders": True, "start": ["start", "expr"]}
MAGIC = b"IMGRULES-LARK\n"


def cache_name(grammar: str) -> str:
    """The file name for this grammar with this Lark, these options and this Python."""
    key = json.dumps([grammar, lark.__version__, OPTIONS, sys.version_info[:2]], sort_keys=True)
    return f"lark-{hashlib.sha256(key.encode()).hexdigest()[:32]}.bin"


def build(grammar: str) -> Lark:
    """Build the parser from the grammar text (the slow way)."""
    return Lark(grammar, cache=False, **OPTIONS)


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: any reference to a class or function is refused."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"global '{module}.{name}' is not allowed in the parser cache")


def _dump(parser: Lark) -> bytes:
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    return pickle.dumps({"data": data, "memo": memo}, protocol=pickle.HIGHEST_PROTOCOL)


def _load(payload: bytes) -> Lark | None:
    try:
        blob = _PlainUnpickler(io.BytesIO(payload)).load()
        return Lark._load_from_dict(blob["data"], blob["memo"])
    except Exception:  # noqa: BLE001 - any damage just means building the parser again
        return None


def load_parser() -> Lark:
    """The parser: from the private cache when a valid entry is there, else built (and
    stored for the next run when the cache directory is usable)."""
    grammar = grammar_text()
    name = cache_name(grammar)
    d = CacheDir.open(create=True)
    if d is None:
        return build(grammar)
    with d:
        key = user_key()
        if key is None:
            return build(grammar)
        payload = unseal(MAGIC, d.read(name), key)
        parser = _load(payload) if payload is not None else None
        if parser is not None:
            return parser
        parser = build(grammar)
        try:
            d.write(name, seal(MAGIC, _dump(parser), key))
        except (OSError, pickle.PicklingError):
            pass  # an unwritable cache just means building again next time
    return parser
