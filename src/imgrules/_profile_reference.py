"""The profile reference: every field of a pack's profile and the shared definitions, in Markdown.

For each field of the profile and of the records it holds: the type, whether it is
required, its meaning (the field's doc comment in the pack) and the rules of the given
packs that read it, directly or through a ``let``. Then what a pack importing the
profile's pack may use instead of writing it again: its lets, maps, enums, fact types
and examples. The docs build writes it (``docs/_generated/profile.md``); it is generated
from the packs, so it cannot fall behind them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

from . import ast
from . import _types as T
from ._check import check_pack
from ._check.model import CheckedPack
from ._comments import DocComments
from ._loader import load_packs, pack_name_of
from ._lsp.index import SymbolIndex
from ._syntax.printexpr import field_bound, type_ref

_MD_SPECIAL = re.compile(r"([\\*_{}\[\]<>#|$])")


def _md(text: str) -> str:
    """Markdown for a comment: code spans kept, everything else shown as written."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return _MD_SPECIAL.sub(r"\\\1", text.replace("`", "'"))
    return "`".join(p if i % 2 else _MD_SPECIAL.sub(r"\\\1", p) for i, p in enumerate(parts))


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def rule_label(pack: str, rule_id: str) -> str:
    """The catalog's label of a rule (``imgrules.catalog``), to link to its entry."""
    return re.sub(r"[^a-z0-9]+", "-", f"catalog-{pack}-{rule_id}".lower()).strip("-")


class _Reference:
    def __init__(self, core: CheckedPack, readers: Sequence[CheckedPack], link_rules: bool):
        self.core = core
        self.link_rules = link_rules
        self.indexes = [SymbolIndex(c) for c in readers] or [SymbolIndex(core)]
        self.pack_of: dict[str, str] = {}
        for checked in [core, *readers]:
            for entry in checked.rules:
                self.pack_of.setdefault(entry.id, entry.pack)
        root = next(p for p in core.packs if p.path == core.root.path)
        self.root = root
        self.docs = DocComments(root, core.sources[root.path].text)

    def readers(self, key) -> list[str]:
        found: set[str] = set()
        for index in self.indexes:
            found.update(index.readers(key))
        return sorted(found)

    def rule_links(self, ids: Iterable[str]) -> str:
        if not self.link_rules:
            return ", ".join(f"`{i}`" for i in ids)
        return ", ".join(f"{{ref}}`{i} <{rule_label(self.pack_of[i], i)}>`" for i in ids)

    def record_table(self, owner: str, decl: ast.RecordDecl, record: T.RecordType) -> list[str]:
        lines = ["| field | type | meaning | read by |", "|---|---|---|---|"]
        for field_decl in decl.fields:
            field = record.field(field_decl.name.text)
            if field is None:
                continue
            written = type_ref(field_decl.type) + "".join(  # the type with its bounds, as written
                " " + field_bound(b) for b in field_decl.bounds if b.word.text != "message")
            if field.optional:
                kind = f"`{_cell(written)}` (optional)"
            elif isinstance(field.type, T.ListType):
                kind = f"`{_cell(written)}` (empty when left out)"
            else:
                kind = f"`{_cell(written)}` (required)"
            if isinstance(field.type, T.EnumType):
                kind += f", one of {', '.join(field.type.values)}"
            readers = self.readers(("field", owner, field.name))
            read_by = (f"{len(readers)}: " + self.rule_links(readers)) if readers else "no rule"
            lines.append(f"| `{field.name}` | {kind} | {_cell(_md(self.docs.doc_comment(field_decl)))} "
                         f"| {_cell(read_by)} |")
        return lines

    def render(self, h: str) -> str:
        core = self.core
        schema = core.schema
        out: list[str] = []
        decls = [d for d in self.root.declarations if isinstance(d, ast.RecordDecl)]
        profile_decl = next((d for d in decls if d.kind == "profile"), None)
        if profile_decl is None or schema.profile is None:
            return f"The pack `{core.root.name}` declares no profile.\n"
        out += [f"{h} The profile", ""]
        doc = self.docs.doc_comment(profile_decl)
        if doc:
            out += [_md(doc), ""]
        out += self.record_table("profile", profile_decl, schema.profile) + [""]
        out += [f"{h} Records", "",
                "The records the profile's fields hold, in the order the pack declares them.", ""]
        for decl in decls:
            record = schema.records.get(decl.name.text)
            if decl.kind != "record" or record is None:
                continue
            out += [f"{h}# `{decl.name.text}`", ""]
            doc = self.docs.doc_comment(decl)
            if doc:
                out += [_md(doc), ""]
            out += self.record_table(decl.name.text, decl, record) + [""]
        out += self.shared(h)
        return "\n".join(out)

    def shared(self, h: str) -> list[str]:
        root, docs = self.root, self.docs
        name = pack_name_of(root)
        out = [f"{h} Shared definitions of `{name}`", "",
               f"A pack that imports `{name}` can use these instead of defining its own (a "
               "second definition of the same name is an error).", ""]
        lets = [d for d in root.declarations if isinstance(d, ast.LetDecl)]
        if lets:
            out += [f"{h}# Lets", ""]
            source = self.core.sources[root.path].text
            for decl in lets:
                text = " ".join(source[decl.span.start:decl.span.end].split())
                out += [f"`{decl.name.text}`", f": `{text.replace('`', '')}`"]
                doc = docs.doc_comment(decl)
                if doc:
                    out += ["", "  " + _md(doc).replace("\n", " ")]
                out.append("")
        maps = [d for d in root.declarations if isinstance(d, ast.MapDecl)]
        if maps:
            out += [f"{h}# Maps", "", "| map | from -> to | entries | meaning |", "|---|---|---|---|"]
            for decl in maps:
                out.append(f"| `{decl.name.text}` | `{type_ref(decl.key_type)} -> {type_ref(decl.value_type)}` "
                           f"| {len(decl.entries)} | {_cell(_md(docs.doc_comment(decl)))} |")
            out.append("")
        enums = [d for d in root.declarations if isinstance(d, ast.EnumDecl)]
        if enums:
            out += [f"{h}# Enums", "", "| enum | values | meaning |", "|---|---|---|"]
            for decl in enums:
                values = ", ".join(f"`{m.text}`" for m in decl.members)
                out.append(f"| `{decl.name.text}` | {values} | {_cell(_md(docs.doc_comment(decl)))} |")
            out.append("")
        facts = [d for d in root.declarations if isinstance(d, ast.RecordDecl) and d.kind == "fact"]
        if facts:
            out += [f"{h}# Fact types", "",
                    "Derived by the rules of the pack; read them with `for x in name` or "
                    "`count(name where ...)`.", "", "| fact type | fields | meaning |", "|---|---|---|"]
            for decl in facts:
                fields = ", ".join(f"`{f.name.text}: {type_ref(f.type)}`" for f in decl.fields)
                out.append(f"| `{decl.name.text}` | {fields} | {_cell(_md(docs.doc_comment(decl)))} |")
            out.append("")
        examples = [d for d in root.declarations if isinstance(d, ast.Example)]
        if examples:
            out += [f"{h}# Examples", "",
                    "Profiles to start a test from (`given name with {...}`); their names are "
                    "taken, so a pack's own examples need other names.", ""]
            out += [f"- `{d.name.text}`" + (f": {_md(docs.doc_comment(d))}" if docs.doc_comment(d) else "")
                    for d in examples]
            out.append("")
        return out


def profile_reference(profile_pack: str | os.PathLike, reading_packs: Sequence[str | os.PathLike] = (),
                      heading_level: int = 2, link_rules: bool = False) -> str:
    """Markdown for the profile declared by ``profile_pack`` and the rules of
    ``reading_packs`` (and of the profile's pack) that read each field.

    ``link_rules`` links rule ids to their entries in the rule catalog (the docs build).
    Raises ValueError when a pack has errors.
    """
    def checked(target) -> CheckedPack:
        result = check_pack(load_packs(target))
        if not result.ok:
            raise ValueError(f"{target} has errors: run imgrules check on it")
        return result

    core = checked(profile_pack)
    readers = [core] + [checked(p) for p in reading_packs]
    return _Reference(core, readers, link_rules).render("#" * heading_level) + "\n"


__all__ = ["profile_reference", "rule_label"]
