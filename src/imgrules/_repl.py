"""The REPL's work: expressions and conditions of the language evaluated against a profile.

An expression typed at the prompt (``years_out``, ``count(us_letters) >= 3``) is checked
as the body of a ``let`` added at the end of the pack's own text, in memory: it sees the
pack's lets, maps, profile fields and fact types exactly as a rule of the pack would,
and gets the checker's diagnostics when it is wrong. Its value is computed by the
explanations' interpreter (:mod:`imgrules._trace.interp`) over the profile and the facts
the engine derived from it. ``why RULE`` shows ``imgrules explain``'s answer. Nothing
typed is ever run as Python.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

import attrs

from . import _api as api
from . import _types as T
from ._builtins import FUNCTIONS, VALUES
from ._check import check_pack
from ._check.model import CheckedPack, node_key
from ._diagnostics import Diagnostic, did_you_mean
from ._loader import load_packs
from ._trace.interp import Interpreter
from ._trace.replay import facts_from_results
from ._trace.values import render

QUERY = "repl_query__"  # the name of the let an expression is checked as
HELP = """\
Type an expression or a condition of the rule language; its value for the profile is shown:
  years_out
  count(us_letters) >= 3
  exams.step2_ck.score
Commands:
  why RULE     why a rule fired, or why not (as imgrules explain)
  :type EXPR   the type of an expression, without evaluating it
  :help        this text
  :quit        leave (or Ctrl-D)"""


@attrs.frozen
class Answer:
    """What one line gave: ``text`` to show, and whether it was an error."""

    text: str
    error: bool = False


class Workbench:
    """A pack and a profile, loaded once, to ask many questions of."""

    def __init__(self, pack: str | os.PathLike, profile: str | os.PathLike | None = None,
                 roots: Iterable[str | os.PathLike] = (), as_of: dt.date | None = None):
        self.roots = tuple(os.fspath(r) for r in roots)
        self.compiled = api.load(pack, self.roots)
        packset = load_packs(pack, self.roots)
        self.path = packset.root_path
        self.text = packset.sources[self.path].text
        self.as_of = as_of
        self.results = None  # without a profile every field is missing and nothing is derived
        if profile is None:
            self.data = api.profile_data(self.compiled, {}, as_of, partial=True)
        else:
            self.data = api.profile_data(self.compiled, profile, as_of)
            self.results = api.evaluate(self.compiled, self.data, as_of)
        self.checked = check_pack(packset)
        self.rule_ids = sorted(entry.id for entry in self.checked.rules)

    # ------------------------------------------------------------------ answers

    def answer(self, line: str) -> Answer | None:
        """The answer to one line; None for a blank line."""
        line = line.strip()
        if not line:
            return None
        if line in (":help", "help", "?"):
            return Answer(HELP)
        if line.startswith("why ") or line.startswith(":why "):
            return self.why(line.split(None, 1)[1].strip())
        if line.startswith(":type "):
            return self.type_of(line[len(":type "):])
        if line.startswith(":"):
            return Answer(f"unknown command {line.split()[0]} (type :help)", error=True)
        return self.evaluate(line)

    def why(self, rule_id: str) -> Answer:
        if self.results is None:
            return Answer("start the REPL with a profile to ask why a rule fired", error=True)
        if rule_id not in self.rule_ids:
            hint = did_you_mean(rule_id, self.rule_ids)
            return Answer(f"no rule '{rule_id}' in {self.compiled.name}" + (f" ({hint})" if hint else ""),
                          error=True)
        return Answer(api.explain(self.compiled, self.data, rule_id, as_of=self.as_of).text().rstrip())

    def type_of(self, text: str) -> Answer:
        checked, body, problem = self._check(text)
        if problem is not None:
            return problem
        return Answer(checked.types.get(node_key(body), T.UNKNOWN).describe())

    def evaluate(self, text: str) -> Answer:
        checked, body, problem = self._check(text)
        if problem is not None:
            return problem
        facts = facts_from_results(checked, self.results) if self.results is not None else {}
        interpreter = Interpreter(checked, dict(self.data), facts=facts)
        return Answer(_shown(render(interpreter.ev(body, {}))))

    # ------------------------------------------------------------------ checking

    def _check(self, text: str):
        """(checked pack, the expression's node, None) or (None, None, an error Answer)."""
        text = text.strip()
        if "\n" in text or "\r" in text:
            return None, None, Answer("one line at a time", error=True)
        prefix = self.text.rstrip("\n") + f"\n\nlet {QUERY} = "
        offset = len(prefix)
        packset = load_packs(self.path, self.roots, texts={self.path: prefix + text + "\n"})
        checked = check_pack(packset)
        mine = [d for d in checked.diagnostics
                if d.is_error and d.span.path == self.path and d.span.start >= offset - len(f"let {QUERY} = ")]
        if mine:
            return None, None, Answer(_render(mine, text, offset), error=True)
        let = checked.lets.get(QUERY)
        if let is None:
            return None, None, Answer("not an expression", error=True)
        return checked, let.body, None

    # ------------------------------------------------------------------ completion

    def words(self) -> list[str]:
        """Names worth completing: lets, maps, profile fields, fact types, enum values,
        builtins and the commands."""
        checked: CheckedPack = self.checked
        schema = checked.schema
        names = set(checked.lets) | set(checked.maps) | set(FUNCTIONS) | set(VALUES)
        names |= {"count", "exists", "all", "sum", "min", "max", "where", "as", "for", "in", "and",
                  "or", "not", "is", "missing", "present", "true", "false", "null", "why", ":type",
                  ":help", ":quit"}
        if schema.profile is not None:
            names |= set(schema.profile.field_names)
        names |= set(schema.facts)
        for enum in schema.enums.values():
            names |= set(enum.values)
        names |= set(self.rule_ids)
        return sorted(names)


def _shown(text: str) -> str:
    return text if text else "(empty)"


def _render(diagnostics: list[Diagnostic], text: str, offset: int) -> str:
    """Diagnostics about the typed line, with a caret under the line as typed."""
    out = []
    for d in diagnostics:
        column = max(0, d.span.start - offset)
        width = max(1, min(d.span.end, offset + len(text)) - d.span.start) if d.span.end > d.span.start else 1
        out.append(f"error[{d.code}]: {d.message}")
        out.append(f"  {text}")
        out.append("  " + " " * min(column, len(text)) + "^" * min(width, max(1, len(text) - column)))
        out.extend(f"  = {'help' if n.startswith('did you mean') else 'note'}: {n}" for n in d.notes)
    return "\n".join(out)
