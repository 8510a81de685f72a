"""The rule catalog: every rule, deadline, window, table and invariant of some packs, in words.

Advisors read the catalog to find which rule encodes which piece of guidance without
reading rule text. :func:`build_catalog` parses pack files (syntax only, so a catalog can
be made of packs that do not check yet) into :class:`Entry` records;
:func:`condition_in_words` renders a condition as an English phrase
(``exams.step2_ck.score < 225 or attempts > 1`` reads "Step 2 CK score is below 225 or
attempts is more than 1"); :func:`render_markdown` writes the page the docs build
includes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from . import ast
from ._diagnostics import Diagnostic
from ._semantics.milestones import month_text
from ._syntax import parse

__all__ = ["Catalog", "Entry", "build_catalog", "condition_in_words", "render_markdown"]


@attrs.frozen
class Entry:
    """One catalogued declaration: what it is, when it applies and what it encodes."""

    pack: str
    kind: str  # rule | deadline | window | table | invariant
    id: str
    title: str
    condition: str  # the condition in words ("" when there is none)
    timing: str  # "from T-11", "by T-5", "during T-8..T-7" or ""
    outcome: tuple[str, ...]  # what it produces, in words
    cites: tuple[str, ...]
    covers: tuple[str, ...]
    path: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@attrs.frozen
class Catalog:
    """The entries of every pack read, in file order, and the problems met reading them."""

    packs: tuple[tuple[str, str, str | None], ...]  # (name, path, title)
    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...]

    def by_checklist_id(self) -> dict[str, tuple[Entry, ...]]:
        """Each checklist id with the entries that cover it, ids sorted."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries:
            for item in entry.covers:
                found.setdefault(item, []).append(entry)
        return {key: tuple(found[key]) for key in sorted(found)}


def build_catalog(paths: Iterable[Path | str], root: Path | str | None = None) -> Catalog:
    """Parse each pack file and catalogue its rule-like declarations.

    ``root``, when given, makes the recorded paths relative to it (``rules/img/core.rules``).
    Files that do not parse contribute their diagnostics instead of entries.
    """
    packs, parsed, diagnostics = [], [], []
    for path in sorted(Path(p) for p in paths):
        shown = _relative(path, root)
        pack, problems = parse(path.read_text(encoding="utf-8"), shown)
        diagnostics.extend(problems)
        if pack is None:
            continue
        name = pack.header.name.text if pack.header else path.stem
        packs.append((name, shown, pack.header.title if pack.header else None))
        parsed.append((name, pack))
    facts = {decl.name.text: tuple(f.name.text for f in decl.fields)
             for _, pack in parsed for decl in pack.declarations
             if isinstance(decl, ast.RecordDecl) and decl.kind == "fact"}
    entries = [_entry(name, decl, facts) for name, pack in parsed for decl in pack.declarations
               if isinstance(decl, (ast.Rule, ast.Deadline, ast.Window, ast.Table, ast.Invariant))]
    return Catalog(tuple(packs), tuple(entries), tuple(diagnostics))


def _relative(path: Path, root: Path | str | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _entry(pack: str, decl, facts: dict[str, tuple[str, ...]]) -> Entry:
    meta: ast.Meta = decl.meta
    common = dict(pack=pack, id=decl.name.text, title=decl.title, cites=meta.cites,
                  covers=tuple(c.text for c in meta.covers), path=decl.span.path,
                  line=decl.span.line)
    if isinstance(decl, ast.Rule):
        condition = ", ".join(f"for each {b.var.text} in {_words(b.source)}" for b in decl.bindings)
        if decl.when is not None:
            when = condition_in_words(decl.when)
            condition = f"{condition}, when {when}" if condition else when
        return Entry(kind="rule", condition=condition, timing=_timing(decl.timing),
                     outcome=tuple(_action(a) for a in decl.actions), **common)
    if isinstance(decl, ast.Deadline):
        outcome = [f"done when {condition_in_words(decl.require)}"]
        if decl.message is not None:
            outcome.append(f"says {_text(decl.message)}")
        timing = f"by {_words(decl.by)}" if ast.anchored(decl) else f"by {month_text(decl.by.months)}"
        return Entry(kind="deadline", condition=_maybe(decl.when), timing=timing,
                     outcome=tuple(outcome), **common)
    if isinstance(decl, ast.Window):
        outcome = (f"says {_text(decl.message)}",) if decl.message is not None else ()
        return Entry(kind="window", condition=_maybe(decl.when),
                     timing=(f"from {_words(decl.start)} to {_words(decl.end)}" if ast.anchored(decl)
                             else f"during {month_text(decl.start.months)}..{month_text(decl.end.months)}"),
                     outcome=outcome, **common)
    if isinstance(decl, ast.Table):
        return Entry(kind="table", condition=_maybe(decl.when), timing="",
                     outcome=_table_rows(decl, facts.get(decl.output.fact.text, ())), **common)
    return Entry(kind="invariant", condition="", timing="",
                 outcome=(f"always: {condition_in_words(decl.require)}",), **common)


def _maybe(expr: ast.Expr | None) -> str:
    return "" if expr is None else condition_in_words(expr)


def _timing(timing: ast.Timing | None) -> str:
    if timing is None:
        return ""
    start = month_text(timing.start.months)
    if timing.kind == "during" and timing.end is not None:
        return f"during {start}..{month_text(timing.end.months)}"
    return f"{timing.kind} {start}"


def _action(action: ast.Action) -> str:
    if isinstance(action, ast.Derive):
        return f"derives {_derive(action)}"
    if isinstance(action, ast.Flag):
        return f"flags ({action.severity.text}) {_text(action.message)}"
    verb = {ast.Recommend: "recommends", ast.Remind: "reminds",
            ast.NeedsInfo: "asks for information"}[type(action)]
    return f"{verb} {_text(action.message)}"


def _derive(derive: ast.Derive, extra: Sequence[str] = ()) -> str:
    args = [(f"{a.name.text}: " if a.name else "") + _const_or_expr(a.value) for a in derive.args]
    return f"{derive.fact.text}({', '.join([*args, *extra])})"


def _const_or_expr(value) -> str:
    if isinstance(value, ast.Name):
        return value.ident.text
    return _words(value)


def _table_rows(table: ast.Table, fields: Sequence[str]) -> tuple[str, ...]:
    """One line per row: "tier(component: step2_ck, level: concerning) when ... is 224 or less".

    ``fields`` is the output fact's field order (empty when the fact type is declared in a
    pack not read): a row's outputs fill the fields the ``derive`` leaves out, in order.
    """
    named = {a.name.text for a in table.output.args if a.name is not None}
    left_out = [f for f in fields if f not in named]
    given = ", ".join(_words(e) for e in table.inputs)
    lines = [f"reads {given} ({table.hit.text} matching row wins)" if table.hit.text == "first"
             else f"reads {given} (hit policy: {table.hit.text})"]
    for row in table.rows:
        tests = [_cell(_words(expr), cell) for expr, cell in zip(table.inputs, row.cells)
                 if not isinstance(cell, ast.AnyCell)]
        outputs = [_const(o) for o in row.outputs]
        if len(left_out) == len(outputs):
            outputs = [f"{f}: {o}" for f, o in zip(left_out, outputs)]
        result = _derive(table.output, outputs)
        lines.append(f"{result} when {' and '.join(tests)}" if tests else f"{result} otherwise")
    return tuple(lines)


def _cell(subject: str, cell) -> str:
    if isinstance(cell, ast.PresenceCell):
        return f"{subject} is {'given' if cell.present else 'missing'}"
    if isinstance(cell, ast.EqCell):
        if isinstance(cell.value, ast.Literal) and isinstance(cell.value.value, bool):
            return subject if cell.value.value else f"not {subject}"
        return f"{subject} is {_const(cell.value)}"
    if isinstance(cell, ast.RangeCell):
        if cell.low is None:
            return f"{subject} is {_const(cell.high)} or less"
        if cell.high is None:
            return f"{subject} is {_const(cell.low)} or more"
        return f"{subject} is between {_const(cell.low)} and {_const(cell.high)}"
    if isinstance(cell, ast.CmpCell):
        return f"{subject} {_COMPARE[cell.op]} {_const(cell.value)}"
    values = _either([_const(v) for v in cell.values])
    return f"{subject} is {'not ' if cell.negated else ''}{values}"


# ------------------------------------------------------------------ expressions in words

_COMPARE = {"==": "is", "!=": "is not", "<": "is below", "<=": "is at most", ">": "is more than",
            ">=": "is at least"}
_COMPARE_DATES = {"<": "is before", "<=": "is on or before", ">": "is after",
                  ">=": "is on or after"}
_ACRONYMS = {"ck": "CK", "us": "US", "usce": "USCE", "yog": "YOG", "lor": "LoR", "lors": "LoRs",
             "img": "IMG", "eras": "ERAS", "qi": "QI", "icu": "ICU", "ecfmg": "ECFMG",
             "pd": "PD", "apd": "APD", "ps": "PS", "cv": "CV", "gi": "GI"}
_CONTAINERS = {"exams", "applicant", "documents"}
_NAMES = {"as_of": "the evaluation date", "application_date": "the application date",
          "months_to_go": "months to go"}
_BUILTINS = {"year": "the year of {0}", "month": "the month of {0}", "day": "the day of {0}",
             "months_between": "the whole months from {0} to {1}",
             "days_between": "the days from {0} to {1}", "weeks_between": "the weeks from {0} to {1}",
             "len": "the number of {0}", "abs": "the size of {0}", "ceil": "{0} rounded up",
             "floor": "{0} rounded down", "lower": "{0}", "span": "the days from {0} to {1}"}
_AGGREGATES = {"sum": "the total of", "min": "the smallest", "max": "the largest"}
_SPAN_FOLDS = {"union_months": "the months (of 4 weeks) covered by",
               "longest_gap_months": "the longest stretch in months not covered by"}


def condition_in_words(expr: ast.Expr) -> str:
    """An English reading of an expression, for people who do not read rule text."""
    return _words(expr)


def humanize(name: str) -> str:
    """``step2_ck`` -> "Step 2 CK", ``internal_medicine`` -> "internal medicine"."""
    if name in _NAMES:
        return _NAMES[name]
    words = []
    for part in name.split("_"):
        step = re.fullmatch(r"step(\d)", part)
        words.append(f"Step {step.group(1)}" if step else _ACRONYMS.get(part, part))
    return " ".join(w for w in words if w)


def _words(expr, parent: str | None = None) -> str:
    """Render ``expr``; ``parent`` is the enclosing boolean operator, for parentheses."""
    if isinstance(expr, ast.Literal):
        return _literal(expr.value)
    if isinstance(expr, ast.Duration):
        return _duration(expr)
    if isinstance(expr, ast.Name):
        return humanize(expr.ident.text)
    if isinstance(expr, ast.TMonth):
        return month_text(expr.months)
    if isinstance(expr, ast.Member):
        return _member(expr)
    if isinstance(expr, ast.Index):
        return _index(expr)
    if isinstance(expr, ast.Call):
        return _call(expr)
    if isinstance(expr, ast.Neg):
        return f"minus {_words(expr.operand)}"
    if isinstance(expr, ast.Not):
        inner = expr.operand
        if isinstance(inner, ast.Aggregate) and inner.func == "exists":
            return f"there are no {_collection(inner)}"
        return f"not ({_words(inner)})" if isinstance(inner, ast.BoolOp) else f"not {_words(inner)}"
    if isinstance(expr, ast.Arith):
        return _arith(expr)
    if isinstance(expr, ast.Compare):
        table = _COMPARE_DATES if _is_date(expr.left) or _is_date(expr.right) else _COMPARE
        op = table.get(expr.op, _COMPARE[expr.op])
        return f"{_words(expr.left)} {op} {_words(expr.right)}"
    if isinstance(expr, ast.BoolOp):
        text = f" {expr.op} ".join(_words(o, expr.op) for o in expr.operands)
        return f"({text})" if parent is not None and parent != expr.op else text
    if isinstance(expr, ast.In):
        return _membership(expr)
    if isinstance(expr, ast.IsMissing):
        return f"{_words(expr.operand)} is {'given' if expr.negated else 'missing'}"
    if isinstance(expr, ast.SetLit):
        return _either([_words(i) for i in expr.items])
    if isinstance(expr, ast.Range):
        return _range(expr)
    if isinstance(expr, ast.Filter):
        return _collection(expr)
    if isinstance(expr, ast.Aggregate):
        return _aggregate(expr)
    if isinstance(expr, ast.IfExpr):
        return f"{_words(expr.then)} if {_words(expr.cond)}, else {_words(expr.orelse)}"
    return type(expr).__name__  # pragma: no cover - every Expr node is handled above


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _duration(expr: ast.Duration) -> str:
    return f"{expr.amount} {expr.unit}{'' if expr.amount == 1 else 's'}"


def _member(expr: ast.Member) -> str:
    path = []
    node = expr
    while isinstance(node, ast.Member):
        path.append(node.field.text)
        node = node.obj
    path.reverse()
    if isinstance(node, ast.Name):
        root = node.ident.text
        if root in _CONTAINERS:
            return humanize("_".join(path)) if len(path) > 1 else humanize(path[0])
        if len(root) <= 2:  # a loop variable: "l's status"
            return f"{root}'s {' '.join(humanize(p) for p in path)}"
        return " ".join(humanize(p) for p in [root, *path])
    return f"the {' '.join(humanize(p) for p in path)} of {_words(node)}"


_ORDINALS = {0: "first", 1: "second", 2: "third", -1: "last"}


def _index(expr: ast.Index) -> str:
    index = expr.index
    value = index.value if isinstance(index, ast.Literal) else None
    if isinstance(index, ast.Neg) and isinstance(index.operand, ast.Literal):
        value = -index.operand.value
    if isinstance(value, int) and value in _ORDINALS:
        return f"the {_ORDINALS[value]} of {_words(expr.obj)}"
    return f"item {_words(index)} of {_words(expr.obj)}"


def _call(expr: ast.Call) -> str:
    args = [_words(a) for a in expr.args]
    name = expr.func.text
    if name in _BUILTINS and len(args) == _BUILTINS[name].count("{"):
        return _BUILTINS[name].format(*args)
    if name == "coalesce" and len(args) > 1:
        return f"{args[0]} ({', or else '.join(args[1:])} when missing)"
    return f"{humanize(name)} of {' and '.join(args)}" if args else humanize(name)


def _arith(expr: ast.Arith) -> str:
    if isinstance(expr.right, ast.Duration) and expr.op in "+-":
        side = "after" if expr.op == "+" else "before"
        return f"{_duration(expr.right)} {side} {_words(expr.left)}"
    left, right = _words(expr.left), _words(expr.right)
    if isinstance(expr.right, ast.Arith):
        right = f"({right})"
    return f"{left} {expr.op} {right}"


def _is_date(expr) -> bool:
    if isinstance(expr, ast.Literal):
        return isinstance(expr.value, dt.date)
    if isinstance(expr, ast.TMonth):
        return True
    if isinstance(expr, ast.Name):
        return expr.ident.text in ("as_of", "application_date")
    if isinstance(expr, ast.Arith):
        return isinstance(expr.right, ast.Duration) or _is_date(expr.left)
    return False


def _membership(expr: ast.In) -> str:
    item = _words(expr.item)
    target = expr.target
    if isinstance(target, ast.Range):
        phrase = _range(target, bounds=True)
        return f"{item} is {'not ' if expr.negated else ''}{phrase}"
    if isinstance(target, ast.SetLit):
        items = [_words(i) for i in target.items]
        if expr.negated:
            return f"{item} is neither {' nor '.join(items)}" if len(items) > 1 else f"{item} is not {items[0]}"
        return f"{item} is {_either(items)}"
    return f"{item} is {'not ' if expr.negated else ''}one of {_words(target)}"


def _range(expr: ast.Range, bounds: bool = False) -> str:
    low = _words(expr.low) if expr.low is not None else None
    high = _words(expr.high) if expr.high is not None else None
    if low is None:
        return f"at most {high}" if bounds else f"up to {high}"
    if high is None:
        return f"at least {low}" if bounds else f"{low} or more"
    return f"between {low} and {high}"


def _either(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items) or "nothing"
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _collection(expr) -> str:
    """``letters where status == planned`` -> "letters whose status is planned"."""
    source = _words(expr.source)
    if expr.predicate is None:
        return source
    named = f" (each as {expr.var.text})" if expr.var is not None else ""
    return f"{source}{named} where {_words(expr.predicate)}"


def _aggregate(expr: ast.Aggregate) -> str:
    if expr.func in _SPAN_FOLDS:
        spans = f"{_words(expr.value)} for each of {_collection(expr)}" if expr.value is not None \
            else _collection(expr)
        within = f" within {_words(expr.within)}" if expr.within is not None else ""
        return f"{_SPAN_FOLDS[expr.func]} {spans}{within}"
    if expr.value is not None:  # sum(v for x in C where P)
        over = _words(expr.source)
        where = f" where {_words(expr.predicate)}" if expr.predicate is not None else ""
        return f"{_AGGREGATES[expr.func]} {_words(expr.value)} over {over}{where}"
    if expr.func == "count":
        return f"the number of {_collection(expr)}"
    if expr.func == "exists":
        return f"there are {_collection(expr)}"
    if expr.func == "all":
        source = _words(expr.source)
        if expr.predicate is None:
            return f"all of {source} hold"
        named = f" {expr.var.text}" if expr.var is not None else ""
        return f"for every one{named} of {source}, {_words(expr.predicate)}"
    return f"{_AGGREGATES[expr.func]} of {_collection(expr)}"


def _text(text: ast.Text) -> str:
    """A message as written, holes shown as ``{...}`` around the hole's words."""
    out = []
    for part in text.parts:
        out.append(part if isinstance(part, str) else "{" + _words(part) + "}")
    return '"' + "".join(out) + '"'


def _const(const) -> str:
    if isinstance(const, ast.Word):
        return const.text
    if isinstance(const, ast.NegLit):
        return str(const.value)
    if isinstance(const, (ast.Literal, ast.Duration)):
        return _words(const)
    if isinstance(const, ast.ListLit):
        return "[" + ", ".join(_const(i) for i in const.items) + "]"
    return "{...}"


# ------------------------------------------------------------------ markdown


def render_markdown(catalog: Catalog, heading_level: int = 2) -> str:
    """The catalog as MyST Markdown: a section per pack, an entry per declaration, then an
    index from checklist ids to the entries that cover them. Labels are
    ``catalog-<pack>-<id>`` so other pages can link to an entry."""
    h = "#" * heading_level
    out: list[str] = []
    for name, path, title in catalog.packs:
        out += [f"{h} Pack `{name}`", ""]
        if title:
            out += [_md(title), ""]
        entries = [e for e in catalog.entries if e.pack == name]
        out += [f"File `{path}`, {_count(entries)}.", ""]
        for entry in entries:
            out += _entry_markdown(entry, h + "#")
    index = catalog.by_checklist_id()
    if index:
        out += [f"{h} Checklist index", "",
                "Every checklist id the packs cover, with the entries that encode it.", "",
                "| checklist id | encoded by |", "|---|---|"]
        for item, entries in index.items():
            links = ", ".join(f"[`{e.id}`](#{_label(e)})" for e in entries)
            out.append(f"| `{item}` | {links} |")
        out.append("")
    return "\n".join(out)


def _count(entries: Sequence[Entry]) -> str:
    kinds: dict[str, int] = {}
    for entry in entries:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    if not kinds:
        return "no rules yet"
    return ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in kinds.items())


def _label(entry: Entry) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"catalog-{entry.pack}-{entry.id}".lower()).strip("-")


def _entry_markdown(entry: Entry, h: str) -> list[str]:
    lines = [f"({_label(entry)})=", f"{h} `{entry.id}`: {_md(entry.title)}", ""]
    facts = [f"**{entry.kind}**"]
    if entry.timing:
        facts.append(f"timing `{entry.timing}`")
    facts.append(f"defined at `{entry.location}`")
    lines.append("- " + ", ".join(facts))
    if entry.condition:
        lines.append(f"- **When:** {_md(entry.condition)}")
    for item in entry.outcome:
        lines.append(f"- **Then:** {_md(item)}" if entry.kind != "table" or item.startswith("reads")
                     else f"  - {_md(item)}")
    for cite in entry.cites:
        lines.append(f"- **Guidance:** {_md(cite)}")
    if entry.covers:
        lines.append("- **Covers:** " + ", ".join(f"`{c}`" for c in entry.covers))
    return [*lines, ""]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$])")


def _md(text: str) -> str:
    """Escape text so Markdown shows it as written."""
    return _MD_SPECIAL.sub(r"\\\1", text)
