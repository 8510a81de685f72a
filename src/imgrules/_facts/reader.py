"""Reading profile files: YAML, JSON or TOML bytes -> plain Python data, safely.

Nothing in a profile can run code or exhaust memory: YAML is composed into nodes with a
safe loader and then built by hand (standard tags only, no object construction),
duplicate keys are errors with their path and line, and alias expansion is counted so
that a "billion laughs" document is refused before it is built. JSON duplicate keys are
caught through ``object_pairs_hook``. A UTF-8 byte-order mark and CRLF line ends are
accepted; other encodings are refused with a clear message.

YAML is composed by libyaml (``CSafeLoader``) when PyYAML has it, which is several times
faster; text it refuses (and text with characters the pure-Python reader refuses) is
composed again by the pure-Python ``SafeLoader``, whose messages the errors quote; the
few characters libyaml reads differently (a tab, ``?``, ``!``) send text to it directly.
Nothing is remembered between reads: callers read a file once and pass the RawProfile on.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import attrs
import yaml

from .errors import ProfileError, ProfileIssue, ProfileReadError, join

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000      # values in the expanded document (aliases counted each time used)
MAX_DEPTH = 64           # nesting of mappings and lists
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


@attrs.frozen
class RawProfile:
    """A profile as read, before validation: plain data and where it came from.

    ``lines`` maps a ``$.path`` to the line it starts on, where the format tells us
    (YAML); validation uses it to give issues a line.
    """

    data: dict
    source: str
    format: str
    lines: dict = attrs.field(factory=dict, eq=False, repr=False)


def load_profile_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES,
                      format: str | None = None) -> RawProfile:
    """Read a profile file; the format comes from the extension unless ``format`` is given.

    Raises :class:`ProfileReadError` when the file cannot be read and
    :class:`ProfileError` when its content is not a usable document.
    """
    source = str(path)
    fmt = format or FORMATS.get(Path(source).suffix.lower())
    if fmt is None:
        raise ProfileError([ProfileIssue("$", f"unknown profile format '{Path(source).suffix}': "
                                              "use a .yaml, .yml, .json or .toml file")], source)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ProfileReadError([ProfileIssue("$", "no such file")], source) from None
    except IsADirectoryError:
        raise ProfileReadError([ProfileIssue("$", "is a directory, not a profile file")], source) from None
    except OSError as exc:
        raise ProfileReadError([ProfileIssue("$", f"cannot read: {exc.strerror or exc}")], source) from None
    return load_profile_text(data, fmt, source, max_bytes=max_bytes)


def load_profile_text(text: str | bytes, format: str, source: str = "<input>", *,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> RawProfile:
    """Parse profile text (``format`` is ``yaml``, ``json`` or ``toml``) into a RawProfile."""
    if format not in ("yaml", "json", "toml"):
        raise ProfileError([ProfileIssue("$", f"unknown profile format '{format}': "
                                              "use yaml, json or toml")], source)
    text = _decode(text, source, max_bytes)
    text = text.replace("\r\n", "\n")
    data, lines = _READERS[format](text, source)
    bad_text = _lone_surrogates(data)
    if bad_text:
        raise ProfileError(bad_text, source)
    if not isinstance(data, dict):
        got = "nothing (the document is empty)" if data is None else _kind(data)
        raise ProfileError([ProfileIssue("$", f"a profile must be a mapping of fields, got {got}")],
                           source)
    return RawProfile(data, source, format, lines)


def _decode(text: str | bytes, source: str, max_bytes: int) -> str:
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise ProfileError([ProfileIssue("$", f"the file is larger than the limit of {max_bytes} bytes")],
                           source)
    if isinstance(text, str):
        return text.removeprefix("\ufeff")
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ProfileError([ProfileIssue("$", "the file is UTF-16; save it as UTF-8")], source)
    try:
        return text.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ProfileError([ProfileIssue("$", f"the file is not UTF-8 text (byte 0x{text[exc.start]:02x} "
                                              f"at offset {exc.start}); save it as UTF-8")], source) from None


def _lone_surrogates(data: Any) -> list[ProfileIssue]:
    """Text that is not valid Unicode (a JSON ``\\ud800`` escape with no pair) is refused
    here, at its ``$.path``, so that no output (JSON, HTML, a terminal) has to cope with it."""
    issues = []
    stack = [("$", data)]
    while stack:
        path, value = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            sub = join(path, key)
            for text in (key, item):
                if isinstance(text, str) and _SURROGATE.search(text):
                    char = _SURROGATE.search(text).group(0)
                    issues.append(ProfileIssue(sub, f"the text contains a lone surrogate (U+{ord(char):04X}), "
                                                    "which is not valid Unicode"))
                    break
            else:
                stack.append((sub, item))
    return sorted(issues, key=lambda i: i.path)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _kind(value: Any) -> str:
    """How a value is named in messages: 'a list', 'text', 'an integer'..."""
    if isinstance(value, (dict, _Pairs)):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


# ------------------------------------------------------------------ YAML

class _Loader(yaml.SafeLoader):
    """Composes nodes only; :class:`_YamlBuilder` turns them into data."""


_FastLoader = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it
# Text composed by the pure-Python loader only: characters its reader refuses, and those
# where libyaml reads differently (a tab after ``key:`` or ``?`` in a flow mapping are
# accepted, an empty ``!`` tag is a string, a byte-order mark inside the text), so that
# every document reads the same with or without libyaml (a differential fuzz agrees).
# That set is a large Unicode class, slow to compile: it is compiled on the first text
# that is not ASCII; ASCII text, the usual case, is tested by _PURE_ONLY_ASCII, the same
# set within ASCII (a test checks the two agree on every ASCII character).
_PURE_ONLY_ASCII = re.compile("[^\t\n\r\x20-\x7e]|[\t?!]")


@functools.cache
def _pure_only() -> re.Pattern:
    return re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern + "|[\t?!\ufeff]")


def _pure_only_text(text: str) -> bool:
    """Whether ``text`` must be composed by the pure-Python loader (see above)."""
    pattern = _PURE_ONLY_ASCII if text.isascii() else _pure_only()
    return pattern.search(text) is not None


_TAG = "tag:yaml.org,2002:"


class _YamlBuilder:
    def __init__(self, loader: _Loader, source: str):
        self.loader = loader
        self.source = source
        self.issues: list[ProfileIssue] = []
        self.lines: dict[str, int] = {}
        self.count = 0
        self.active: set[int] = set()

    def fail(self, path: str, message: str, node: yaml.Node) -> None:
        self.issues.append(ProfileIssue(path, message, node.start_mark.line + 1))

    def build(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(path, node)
        if depth > MAX_DEPTH:
            self.fail(path, f"nested more than {MAX_DEPTH} levels deep", node)
            return None
        self.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.active:
            self.fail(path, "an alias refers to a value that contains it (a recursive document)", node)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _TAG + "seq":
                    self.fail(path, f"unsupported YAML tag '{node.tag}'", node)
                    return None
                return [self.build(item, join(path, i), depth + 1) for i, item in enumerate(node.value)]
            if node.tag != _TAG + "map":
                self.fail(path, f"unsupported YAML tag '{node.tag}'", node)
                return None
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> dict:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[tuple[yaml.Node, str]] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _TAG + "merge":
                merges.append((value_node, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(path, "a key must be a plain word, not a list or mapping", key_node)
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.fail(join(path, key), f"duplicate key '{key}' (line {line}; first at line "
                                           f"{first_line[key]})", key_node)
                continue
            first_line[key] = line
            result[key] = self.build(value_node, join(path, key), depth + 1)
        for value_node, at in merges:  # explicit keys win over merged ones (YAML merge keys)
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for merged in sources:
                value = self.build(merged, at, depth + 1)
                if not isinstance(value, dict):
                    self.fail(at, "'<<' must merge a mapping or a list of mappings", merged)
                    continue
                for key, item in value.items():
                    result.setdefault(key, item)
        return result

    def scalar(self, node: yaml.ScalarNode, path: str) -> Any:
        tag = node.tag
        if tag == _TAG + "str":
            return node.value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return self.loader.construct_yaml_bool(node)
        if tag == _TAG + "int":
            try:
                return self.loader.construct_yaml_int(node)
            except ValueError:
                self.fail(path, f"the number {node.value[:40]!r} is too long", node)
                return None
        if tag == _TAG + "float":
            return self.loader.construct_yaml_float(node)
        if tag == _TAG + "timestamp":
            try:
                return self.loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return node.value  # '2026-02-30': validation says what is wrong with it
        self.fail(path, f"unsupported YAML tag '{tag}'", node)
        return None


class _TooBig(Exception):
    def __init__(self, path: str, node: yaml.Node):
        self.path, self.node = path, node


def _read_yaml(text: str, source: str) -> tuple[Any, dict]:
    node = loader = None
    if _FastLoader is not None and not _pure_only_text(text):
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
        except (yaml.YAMLError, RecursionError):  # composed again below, for the message
            loader.dispose()
            loader = None
    if loader is None:
        loader, node = _compose_pure(text, source)
    try:
        if node is None:
            return None, {}
        builder = _YamlBuilder(loader, source)
        try:
            data = builder.build(node, "$", 0)
        except _TooBig as exc:
            raise ProfileError([ProfileIssue(exc.path, f"the document expands to more than {MAX_NODES} "
                                                       "values (are aliases repeating a large block?)",
                                             exc.node.start_mark.line + 1)], source) from None
        if builder.issues:
            raise ProfileError(builder.issues, source)
        return data, builder.lines
    finally:
        loader.dispose()


def _compose_pure(text: str, source: str) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """The pure-Python loader and the document's node; ProfileError with PyYAML's
    message, line and column when the text is not one valid YAML document."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, most controls)
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        raise ProfileError([ProfileIssue("$", f"invalid YAML at line {line}: {shown} is not allowed in "
                                              "YAML text", line)], source) from None
    try:
        return loader, loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        issue = ProfileIssue("$", f"invalid YAML at {where}{problem}", mark.line + 1 if mark else None)
    except yaml.YAMLError as exc:
        issue = ProfileIssue("$", f"invalid YAML: {exc}")
    except RecursionError:
        issue = ProfileIssue("$", "the document is nested too deeply")
    loader.dispose()
    raise ProfileError([issue], source)


# ------------------------------------------------------------------ JSON

class _Pairs(list):
    """A JSON object as its key/value pairs, so that duplicate keys can be reported."""


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(text: str, source: str) -> tuple[Any, dict]:
    try:
        raw = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ProfileError([ProfileIssue("$", f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                                              f"{exc.msg}", exc.lineno)], source) from None
    except RecursionError:
        raise ProfileError([ProfileIssue("$", "the document is nested too deeply")], source) from None
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        message = ("a number has too many digits (over 4300)" if "integer string conversion" in str(exc)
                   else str(exc))
        raise ProfileError([ProfileIssue("$", f"invalid JSON: {message}")], source) from None
    issues: list[ProfileIssue] = []
    data = _unpair(raw, "$", issues, 0)
    if issues:
        raise ProfileError(issues, source)
    return data, {}


def _unpair(value: Any, path: str, issues: list[ProfileIssue], depth: int) -> Any:
    if depth > MAX_DEPTH and isinstance(value, list):
        issues.append(ProfileIssue(path, f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if isinstance(value, _Pairs):
        result: dict[str, Any] = {}
        for key, item in value:
            if key in result:
                issues.append(ProfileIssue(join(path, key), f"duplicate key '{key}'"))
                continue
            result[key] = _unpair(item, join(path, key), issues, depth + 1)
        return result
    if isinstance(value, list):
        return [_unpair(item, join(path, i), issues, depth + 1) for i, item in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):  # 1e999
        issues.append(ProfileIssue(path, "the number is too large"))
        return None
    return value


# ------------------------------------------------------------------ TOML

def _read_toml(text: str, source: str) -> tuple[Any, dict]:
    import tomllib  # here: most profiles are YAML, and the CLI starts faster without it

    try:
        return tomllib.loads(text), {}
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError([ProfileIssue("$", f"invalid TOML: {exc}")], source) from None
    except RecursionError:
        raise ProfileError([ProfileIssue("$", "the document is nested too deeply")], source) from None


_READERS = {"yaml": _read_yaml, "json": _read_json, "toml": _read_toml}


__all__ = ["DEFAULT_MAX_BYTES", "RawProfile", "load_profile_file", "load_profile_text"]
