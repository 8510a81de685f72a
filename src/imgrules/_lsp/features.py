"""The language features, as functions of an :class:`~.analysis.Analysis` and a position.

Each returns ``lsprotocol`` values (or None); :mod:`.server` only wires them to the
protocol. Positions are converted between the checker's offsets (characters) and the
protocol's (line, UTF-16 code unit) here and nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types as lsp

from .. import ast
from .. import _types as T
from .._builtins import FUNCTIONS, VALUES
from .._check.context import KIND_WORD
from .._check.model import node_key
from .._check.testcases import STATUSES
from .._diagnostics import Diagnostic, DiagnosticError, Severity
from .._source import Span
from .._syntax.printer import format_text
from .._syntax.printexpr import field_bound, type_ref
from .analysis import Analysis, same_file
from .index import RULE_LIKE, SymbolKey

KEYWORDS = ("pack", "import", "enum", "record", "fact", "profile", "let", "map", "rule", "deadline",
            "window", "table", "invariant", "example", "test", "version", "title", "source", "cite",
            "covers", "priority", "severity", "at", "from", "until", "during", "for", "when", "then", "by",
            "require", "message", "hit", "given", "row", "expect", "no", "with", "where", "as",
            "derive", "flag", "recommend", "remind", "needs_info", "any", "and", "or", "not", "in",
            "is", "missing", "present", "true", "false", "null")
AGGREGATES = ("count", "exists", "all", "sum", "min", "max")
# the two forms that read a collection of spans: name -> (detail, documentation)
SPAN_AGGREGATES = {
    "union_months": ("aggregate over spans", "`union_months(S for x in C where P, within: W)`: the "
                     "whole 4-week months the spans `S` (each `span(start, end)`) cover together "
                     "inside the window `W`, overlaps counted once."),
    "longest_gap_months": ("aggregate over spans", "`longest_gap_months(S for x in C where P, within: W)`: "
                           "the longest stretch of the window `W` that no span `S` covers, in whole "
                           "calendar months; `within:` is required."),
}
# clause forms offered at the start of a line of the declaration kind they belong to:
# kind -> (label, text inserted, detail, documentation)
CLAUSES = {
    "deadline": (
        ("by T-k", "by T-", "deadline due at a month of the countdown", "`by T-5`: due five months "
         "before the application date."),
        ("by DATE - DURATION", "by ", "deadline anchored on a date", "`by exams.step3.date - 3 weeks`: "
         "due on a date the profile gives, moved by a duration; `needs_info` while the date is unknown."),
    ),
    "window": (
        ("during T-a..T-b", "during T-", "window over months of the countdown", "`during T-8..T-7`: "
         "active while 7 <= months_to_go <= 8."),
        ("during DATE .. DATE", "during ", "window between two dates", "`during eras_open .. eras_open + "
         "2 weeks`: active from the first date through the second; `needs_info` while a date is unknown."),
    ),
    "rule": (
        ("during T-a..T-b", "during T-", "rule timing", "`during T-8..T-7`: the rule applies while "
         "7 <= months_to_go <= 8."),
    ),
    "test": (
        ("expect FACT(field: value)", "expect ", "a derived fact", "`expect tier(component: yog, level: "
         "competitive)`: the evaluation derived this fact."),
        ("expect no FACT(field: value)", "expect no ", "no such derived fact",
         "`expect no tier(component: yog, level: borderline)`"),
        ("expect rule NAME", "expect rule ", "the rule fired", "`expect rule step3_if_weak_step2`"),
        ("expect rule NAME with {name: value}", "expect rule ", "the rule fired with this data",
         "`expect rule weak_letter with {letter: \"L2\"}`: one of its findings carries this data "
         "(its `with {...}`)."),
        ("expect no rule NAME", "expect no rule ", "the rule did not fire", "`expect no rule some_rule`"),
        ("expect deadline NAME STATUS", "expect deadline ", "a deadline's status",
         "`expect deadline request_lors overdue`: done, upcoming, due, overdue or needs_info."),
        ("expect window NAME STATUS", "expect window ", "a window's status",
         "`expect window first_wave active`: upcoming, active, past or needs_info."),
    ),
}
_LOCATION = re.compile(r"([^\s:;,()]+\.rules):(\d+)(?::(\d+))?")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

# ------------------------------------------------------------------ positions


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position_of(text: str, offset: int) -> lsp.Position:
    """The protocol position of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line=line, character=_utf16_len(text[start:offset]))


def offset_of(text: str, position: lsp.Position) -> int:
    """The character offset of a protocol position (clamped to the text)."""
    start = 0
    for _ in range(position.line):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def range_of(text: str, span: Span) -> lsp.Range:
    return lsp.Range(start=position_of(text, span.start), end=position_of(text, span.end))


def uri_of(path: str) -> str:
    return Path(path).resolve().as_uri()


def _location(analysis: Analysis, span: Span) -> lsp.Location:
    source = analysis.source(span.path)
    text = source.text if source is not None else ""
    return lsp.Location(uri=uri_of(span.path), range=range_of(text, span))


# ------------------------------------------------------------------ diagnostics


def to_lsp_diagnostic(analysis: Analysis, diagnostic: Diagnostic) -> lsp.Diagnostic:
    """The checker's diagnostic: code, range, message; notes that name a place become
    related information, the others follow the message; "did you mean" is kept as data."""
    severity = {Severity.ERROR: lsp.DiagnosticSeverity.Error,
                Severity.WARNING: lsp.DiagnosticSeverity.Warning}.get(
        diagnostic.severity, lsp.DiagnosticSeverity.Information)
    message = [diagnostic.message]
    related = []
    data = None
    for note in diagnostic.notes:
        place = _LOCATION.search(note)
        if place is not None and Path(place.group(1)).exists():
            line = int(place.group(2)) - 1
            column = int(place.group(3) or 1) - 1
            related.append(lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=uri_of(place.group(1)), range=lsp.Range(
                    start=lsp.Position(line=line, character=column),
                    end=lsp.Position(line=line, character=column))),
                message=note))
            continue
        suggestion = re.fullmatch(r"did you mean '([^']+)'\?", note)
        if suggestion is not None:
            data = {"did_you_mean": suggestion.group(1)}
        message.append(("help: " if suggestion else "note: ") + note)
    return lsp.Diagnostic(range=range_of(analysis.text, diagnostic.span), message="\n".join(message),
                          severity=severity, code=diagnostic.code, source="imgrules",
                          related_information=related or None, data=data)


def code_actions(text: str, uri: str, diagnostics: list[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """A quick fix for each diagnostic with a "did you mean": the suggested name."""
    actions = []
    for diagnostic in diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
        suggestion = data.get("did_you_mean")
        if not suggestion:
            continue
        start = offset_of(text, diagnostic.range.start)
        end = offset_of(text, diagnostic.range.end)
        # the whole range when it is a (dotted) name, as for a pack name; else its first
        # word, as for a type written `Letter?`
        word = _DOTTED.fullmatch(text, start, end) or _WORD.match(text, start)
        if word is None:
            continue
        edit = lsp.TextEdit(range=lsp.Range(start=position_of(text, start),
                                            end=position_of(text, word.end())), new_text=suggestion)
        actions.append(lsp.CodeAction(
            title=f"Change '{word.group(0)}' to '{suggestion}'", kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[diagnostic], is_preferred=True,
            edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
    return actions


# ------------------------------------------------------------------ hover


def _type_text(analysis: Analysis, t: T.Type | None) -> str:
    return t.describe() if t is not None else "unknown"


def _binder_type(analysis: Analysis, node) -> T.Type | None:
    source = analysis.checked.types.get(node_key(node.source))
    return source.item if isinstance(source, T.ListType) else None


def _decl_text(analysis: Analysis, node) -> str:
    source = analysis.source(node.span.path)
    return source.text[node.span.start:node.span.end] if source is not None else ""


def describe(analysis: Analysis, key: SymbolKey) -> str | None:  # noqa: C901 - one branch per kind
    """Markdown for a symbol: its signature, then its doc comment and facts about it."""
    found = analysis.index.definition(key)
    if found is None:
        return None
    _span, node = found
    checked = analysis.checked
    kind = key[0]
    lines: list[str] = []
    doc = ""
    if kind == "field":
        owner, name = key[1], key[2]
        bounds = "".join(" " + field_bound(b) for b in node.bounds if b.word.text != "message")
        code = f"{'profile' if owner == 'profile' else owner}.{name}: {type_ref(node.type)}{bounds}"
        doc = analysis.doc_comment(node)
        record = checked.schema.profile if owner == "profile" else checked.schema.records.get(owner)
        field = record.field(name) if record is not None else None
        if field is not None and isinstance(field.type, T.EnumType):
            lines.append("values: " + ", ".join(f"`{v}`" for v in field.type.values))
        if field is not None and isinstance(field.type, T.ListType) and \
                isinstance(field.type.item, T.EnumType):
            lines.append("values: " + ", ".join(f"`{v}`" for v in field.type.item.values))
        readers = analysis.index.readers(key)
        if readers:
            shown = ", ".join(readers[:8]) + (f" and {len(readers) - 8} more" if len(readers) > 8 else "")
            lines.append(f"read by {len(readers)} rule{'s' if len(readers) != 1 else ''}: {shown}")
    elif kind == "type" and isinstance(node, ast.EnumDecl):
        code = f"enum {key[1]} {{ {', '.join(m.text for m in node.members)} }}"
        doc = analysis.doc_comment(node)
    elif kind == "type":
        word = "profile" if key[1] == "profile" else f"{node.kind} {key[1]}"
        fields = "\n".join(f"  {f.name.text}: {type_ref(f.type)}" for f in node.fields)
        code = f"{word} {{\n{fields}\n}}"
        doc = analysis.doc_comment(node)
    elif kind == "enum_value":
        code = f"{key[2]}  # a value of enum {key[1]}"
        enum = analysis.index.definition(("type", key[1]))
        doc = analysis.doc_comment(enum[1]) if enum is not None else ""
    elif kind == "let":
        code = _decl_text(analysis, node)
        doc = analysis.doc_comment(node)
        lines.append(f"type: `{_type_text(analysis, checked.types.get(node_key(node.body)))}`")
    elif kind == "map":
        code = f"map {key[1]}: {type_ref(node.key_type)} -> {type_ref(node.value_type)}"
        doc = analysis.doc_comment(node)
        lines.append(f"{len(node.entries)} entries")
    elif kind == "rule":
        word = {ast.Rule: "rule", ast.Deadline: "deadline", ast.Window: "window", ast.Table: "table",
                ast.Invariant: "invariant"}[type(node)]
        code = f'{word} {key[1]} "{node.title}"'
        doc = analysis.doc_comment(node)
        if node.meta.cites:
            lines.append("cite: " + "; ".join(node.meta.cites))
        if node.meta.covers:
            lines.append("covers: " + ", ".join(f"`{c.text}`" for c in node.meta.covers))
    elif kind == "pack":
        header = node.header
        code = f"pack {key[1]}"
        lines.extend(f"{label}: {value}" for label, value in
                     (("title", header.title), ("version", header.version), ("source", header.source))
                     if value)
    elif kind == "example":
        code = f"example {key[1]}"
        doc = analysis.doc_comment(node)
    elif kind == "var":
        code = f"{key[2]}: {_type_text(analysis, _binder_type(analysis, node))}"
    elif kind == "param":
        code = f"{key[2]}  # a parameter of let {key[1]}"
    else:
        return None
    parts = [f"```imgrules\n{code}\n```"]
    if doc:
        parts.append(doc)
    if lines:
        parts.append("\n\n".join(lines))
    return "\n\n".join(parts)


def hover(analysis: Analysis, offset: int) -> lsp.Hover | None:
    if not analysis.parsed:
        return None
    occurrence = analysis.index.at(analysis.span_path, offset)
    if occurrence is not None:
        text = describe(analysis, occurrence.key)
        if text is not None:
            return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                             range=range_of(analysis.text, occurrence.span))
    word = _word_at(analysis.text, offset)
    if word is not None and word in FUNCTIONS:
        builtin = FUNCTIONS[word]
        return lsp.Hover(contents=lsp.MarkupContent(
            kind=lsp.MarkupKind.Markdown, value=f"```imgrules\n{word}(...)\n```\n\n{builtin.doc}"))
    if word is not None and word in VALUES:
        return lsp.Hover(contents=lsp.MarkupContent(
            kind=lsp.MarkupKind.Markdown, value=f"```imgrules\n{word}\n```\n\n{VALUES[word][1]}"))
    return None


def _word_at(text: str, offset: int) -> str | None:
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    match = _WORD.match(text, start)
    return match.group(0) if match is not None and match.end() >= offset else None


# ------------------------------------------------------------------ navigation


def definition(analysis: Analysis, offset: int) -> lsp.Location | None:
    if not analysis.parsed:
        return None
    occurrence = analysis.index.at(analysis.span_path, offset)
    if occurrence is None:
        return None
    found = analysis.index.definition(occurrence.key)
    return _location(analysis, found[0]) if found is not None else None


def references(analyses: list[Analysis], offset: int, include_declaration: bool) -> list[lsp.Location]:
    """Uses of the symbol under ``offset`` in the first analysis, in it and the others
    (the workspace packs that import it)."""
    first = analyses[0]
    if not first.parsed:
        return []
    occurrence = first.index.at(first.span_path, offset)
    if occurrence is None:
        return []
    seen: set[tuple[str, int]] = set()
    out = []
    for analysis in analyses:
        if not analysis.parsed:
            continue
        for span in analysis.index.references(occurrence.key, include_declaration):
            where = (str(Path(span.path).resolve()), span.start)
            if where not in seen:
                seen.add(where)
                out.append(_location(analysis, span))
    return out


# ------------------------------------------------------------------ outline


_SYMBOL_KIND = {ast.EnumDecl: lsp.SymbolKind.Enum, ast.LetDecl: lsp.SymbolKind.Variable,
                ast.MapDecl: lsp.SymbolKind.Object, ast.Rule: lsp.SymbolKind.Function,
                ast.Deadline: lsp.SymbolKind.Event, ast.Window: lsp.SymbolKind.Event,
                ast.Table: lsp.SymbolKind.Function, ast.Invariant: lsp.SymbolKind.Boolean,
                ast.Example: lsp.SymbolKind.Constant, ast.Test: lsp.SymbolKind.Method}


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    pack = analysis.root_pack
    if pack is None:
        return []
    text = analysis.text

    def symbol(name: str, detail: str, kind, span: Span, selection: Span, children=None):
        return lsp.DocumentSymbol(name=name, detail=detail or None, kind=kind,
                                  range=range_of(text, span), selection_range=range_of(text, selection),
                                  children=children)

    out = []
    for decl in pack.declarations:
        if isinstance(decl, ast.RecordDecl):
            fields = [symbol(f.name.text, type_ref(f.type), lsp.SymbolKind.Field, f.span, f.name.span)
                      for f in decl.fields]
            kind = lsp.SymbolKind.Struct if decl.kind != "fact" else lsp.SymbolKind.Class
            out.append(symbol(decl.name.text, decl.kind, kind, decl.span, decl.name.span, fields))
        elif isinstance(decl, ast.EnumDecl):
            members = [symbol(m.text, "", lsp.SymbolKind.EnumMember, m.span, m.span) for m in decl.members]
            out.append(symbol(decl.name.text, "enum", lsp.SymbolKind.Enum, decl.span, decl.name.span, members))
        elif type(decl) in _SYMBOL_KIND:
            word = type(decl).__name__.lower().replace("decl", "")
            title = getattr(decl, "title", "")
            out.append(symbol(decl.name.text, f"{word} {title}".strip(), _SYMBOL_KIND[type(decl)],
                              decl.span, decl.name.span))
    return out


# ------------------------------------------------------------------ formatting


def formatting(text: str, path: str) -> list[lsp.TextEdit]:
    """The whole buffer in the canonical layout; nothing when it does not parse."""
    try:
        formatted = format_text(text, path)
    except DiagnosticError:
        return []
    if formatted == text:
        return []
    end = position_of(text, len(text))
    return [lsp.TextEdit(range=lsp.Range(start=lsp.Position(line=0, character=0), end=end),
                         new_text=formatted)]


# ------------------------------------------------------------------ completion


_MEMBER = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(\w*)$")
_FOR_IN = re.compile(r"\bfor\s+\w+\s+in\s+(\w*)$")
_COMPARED = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:==|!=)\s*(\w*)$")
_DERIVE_ARG = re.compile(r"\b(?:derive|expect)\s+(\w+)\((?:[^()]*,)?\s*(\w+)\s*:\s*(\w*)$")
_IN_SET = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s+(?:not\s+)?in\s*\{[^}]*?(\w*)$")
# in a test: `expect [no] rule|deadline|window NAME` and a deadline's or window's status
_EXPECTED = re.compile(r"^\s*expect\s+(?:no\s+)?(rule|deadline|window)\s+(\w*)$")
_EXPECTED_STATUS = re.compile(r"^\s*expect\s+(?:no\s+)?(deadline|window)\s+\w+\s+(\w*)$")


def _name_type(analysis: Analysis, name: str, offset: int) -> T.Type | None:
    """The type of a name as written at ``offset``: a variable, a let or a profile field."""
    checked, index = analysis.checked, analysis.index
    best = None
    for key, (span, node) in index.definitions.items():
        if key[0] == "var" and key[2] == name and same_file(span.path, analysis.path):
            # prefer the binding closest before the cursor (the last good tree may be stale)
            if span.start <= offset and (best is None or span.start > best[0]):
                best = (span.start, node)
    if best is not None:
        return _binder_type(analysis, best[1])
    if name in checked.lets:
        return checked.types.get(node_key(checked.lets[name].body))
    profile = checked.schema.profile
    field = profile.field(name) if profile is not None else None
    return field.type if field is not None else None


def _chain_type(analysis: Analysis, chain: str, offset: int) -> T.Type | None:
    head, *rest = chain.split(".")
    t = _name_type(analysis, head, offset)
    for name in rest:
        field = t.field(name) if isinstance(t, T.RecordType) else None
        if field is None:
            return None
        t = field.type
    return t


def _expected_items(analysis: Analysis, line: str) -> list[lsp.CompletionItem] | None:
    """In a test's ``expect`` line: the ids of the declarations of the kind it names (a
    rule's are its rules and tables), or after a deadline's or window's id its statuses;
    None elsewhere."""
    found = _EXPECTED.search(line)
    if found is not None:
        kinds = _EXPECTABLE[found.group(1)]
        return [_item(entry.id, lsp.CompletionItemKind.Reference, KIND_WORD[type(entry.decl)],
                      getattr(entry.decl, "title", None) or "")
                for entry in sorted(analysis.checked.rules, key=lambda e: e.id)
                if isinstance(entry.decl, kinds)]
    found = _EXPECTED_STATUS.search(line)
    if found is not None:
        return [_item(status, lsp.CompletionItemKind.EnumMember, f"{found.group(1)} status")
                for status in STATUSES[found.group(1)]]
    return None


_EXPECTABLE = {"rule": (ast.Rule, ast.Table), "deadline": (ast.Deadline,), "window": (ast.Window,)}


def _item(label: str, kind, detail: str = "", doc: str = "") -> lsp.CompletionItem:
    return lsp.CompletionItem(label=label, kind=kind, detail=detail or None,
                              documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc)
                              if doc else None)


def _field_items(analysis: Analysis, record: T.RecordType) -> list[lsp.CompletionItem]:
    items = []
    for field in record.fields:
        found = analysis.index.definition(("field", record.name, field.name))
        doc = analysis.doc_comment(found[1]) if found is not None else ""
        detail = field.type.describe() + ("?" if field.optional else "")
        items.append(_item(field.name, lsp.CompletionItemKind.Field, detail, doc))
    return items


def _enum_items(enum: T.EnumType) -> list[lsp.CompletionItem]:
    return [_item(v, lsp.CompletionItemKind.EnumMember, enum.name) for v in enum.values]


def _clause_items(text: str, line: str, start: int) -> list[lsp.CompletionItem]:
    """The clause forms of the declaration the cursor is in, when it is at the start of
    an indented line (the declaration is the last unindented line above)."""
    if not re.fullmatch(r"[ \t]+\w*", line):
        return []
    kind = ""
    for above in reversed(text[:start].splitlines()):
        if above and not above[0].isspace() and not above.startswith("#"):
            kind = above.split()[0]
            break
    return [lsp.CompletionItem(label=label, kind=lsp.CompletionItemKind.Snippet, detail=detail,
                               insert_text=insert, filter_text=insert.split()[0],
                               documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=doc))
            for label, insert, detail, doc in CLAUSES.get(kind, ())]


def completion(analysis: Analysis, text: str, offset: int) -> list[lsp.CompletionItem]:
    """Names that fit at ``offset`` of ``text`` (the current buffer; ``analysis`` may be
    the last one that parsed)."""
    start = text.rfind("\n", 0, offset) + 1
    line = text[start:offset]
    if analysis.checked is None:
        return _clause_items(text, line, start) + [_item(k, lsp.CompletionItemKind.Keyword) for k in KEYWORDS]
    member = _MEMBER.search(line)
    if member is not None:
        t = _chain_type(analysis, member.group(1), offset)
        return _field_items(analysis, t) if isinstance(t, T.RecordType) else []
    expected = _expected_items(analysis, line)
    if expected is not None:
        return expected
    schema = analysis.checked.schema
    if _FOR_IN.search(line):
        items = [_item(name, lsp.CompletionItemKind.Class, "fact type") for name in sorted(schema.facts)]
        if schema.profile is not None:
            items += [_item(f.name, lsp.CompletionItemKind.Field, f.type.describe())
                      for f in schema.profile.fields if isinstance(f.type, T.ListType)]
        items += [_item(name, lsp.CompletionItemKind.Variable, t.describe())
                  for name, decl in sorted(analysis.checked.lets.items())
                  if decl.params is None
                  and isinstance(t := analysis.checked.types.get(node_key(decl.body)), T.ListType)]
        return items
    argument = _DERIVE_ARG.search(line)
    if argument is not None:
        record = schema.records.get(argument.group(1))
        field = record.field(argument.group(2)) if record is not None else None
        if field is not None and isinstance(field.type, T.EnumType):
            return _enum_items(field.type)
    for pattern in (_IN_SET, _COMPARED):
        found = pattern.search(line)
        if found is not None:
            t = _chain_type(analysis, found.group(1), offset)
            if isinstance(t, T.ListType):
                t = t.item
            if isinstance(t, T.EnumType):
                return _enum_items(t)
    items = _clause_items(text, line, start)
    items += [_item(k, lsp.CompletionItemKind.Keyword) for k in KEYWORDS]
    items += [_item(f, lsp.CompletionItemKind.Function, "aggregate") for f in AGGREGATES]
    items += [_item(f, lsp.CompletionItemKind.Function, detail, doc) for f, (detail, doc) in SPAN_AGGREGATES.items()]
    items += [_item(name, lsp.CompletionItemKind.Function, "builtin", b.doc) for name, b in FUNCTIONS.items()]
    items += [_item(name, lsp.CompletionItemKind.Constant, "builtin", doc) for name, (_t, doc) in VALUES.items()]
    for name, decl in sorted(analysis.checked.lets.items()):
        items.append(_item(name, lsp.CompletionItemKind.Variable, "let", analysis.doc_comment(decl)))
    items += [_item(name, lsp.CompletionItemKind.Function, "map") for name in sorted(analysis.checked.maps)]
    if schema.profile is not None:
        items += _field_items(analysis, schema.profile)
    items += [_item(name, lsp.CompletionItemKind.Class, "fact type") for name in sorted(schema.facts)]
    items += [_item(name, lsp.CompletionItemKind.Enum, "enum") for name in sorted(schema.enums)]
    items += [_item(name, lsp.CompletionItemKind.Struct, "record") for name, r in sorted(schema.records.items())
              if r.kind == "record"]
    return items


__all__ = ["RULE_LIKE", "code_actions", "completion", "definition", "describe", "document_symbols",
           "formatting", "hover", "offset_of", "position_of", "references", "to_lsp_diagnostic"]
