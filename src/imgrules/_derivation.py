"""Why a rule fired, as an advisor reads it: the engine's provenance turned into a
derivation tree whose facts are written in the language's own syntax
(``tier(component: step2_ck, level: borderline)``), whose matched ``$.paths`` show the
values they had in the profile, and whose table steps name the row that matched and
the fact it derived.

:func:`derivation_tree` gives one JSON-ready node per firing; :func:`tree_lines` renders
it as the indented text ``imgrules explain`` prints.
"""

from __future__ import annotations

from . import ast
from ._results import DerivedFact, Provenance
from ._syntax.printexpr import cell, const
from ._trace.factsyntax import fact_text, literal_text
from ._trace.paths import json_data, lookup, path_value_text


def binding_text(value, schema=None) -> str:
    """A rule variable's value: a derived fact in fact syntax, a profile record by its
    ``$.path``, anything else as a constant."""
    if isinstance(value, dict) and "type" in value:
        return fact_text(str(value["type"]), [(k, v) for k, v in value.items() if k != "type"], schema)
    return literal_text(value)


def _table_row(checked, p: Provenance):
    """(1-based row number, row) of table ``p.rule`` written on ``p.line``, or None."""
    entry = checked.rule(p.rule) if checked is not None else None
    if entry is None or not isinstance(entry.decl, ast.Table):
        return None
    for k, row in enumerate(entry.decl.rows, 1):
        if row.span.line == p.line:
            return k, row
    return None


def row_text(row) -> str:
    """A table row as written: its cells, ``=>``, its outputs."""
    return ", ".join(cell(c) for c in row.cells) + " => " + ", ".join(const(o) for o in row.outputs)


def derivation_tree(p: Provenance, data, checked=None, derived: DerivedFact | None = None,
                    depth: int = 0) -> dict:
    """One firing as a JSON-ready node: the rule and where it (or its table row) is
    written, its bindings and matched paths with their values, the row that matched,
    the fact it ``derived``, and below it the facts it rests on with their own trees.
    ``data`` is the profile data the paths are read in; ``checked`` (the checked pack,
    or None) gives the tables' rows and which fact fields are strings."""
    schema = checked.schema if checked is not None else None
    row = _table_row(checked, p)
    node = {
        "rule": p.rule, "file": p.file, "line": p.line,
        "row": {"number": row[0], "text": row_text(row[1])} if row is not None else None,
        "derived": fact_text(derived.type, derived.fields, schema) if derived is not None else None,
        "bindings": {k: binding_text(v, schema) for k, v in p.bindings},
        "matched": [{"path": path, "value": json_data(lookup(data, path)),
                     "text": path_value_text(path, lookup(data, path))} for path in p.matched],
        "rests_on": [],
    }
    for fact in p.rests_on:
        subs = [derivation_tree(sub, data, checked, fact, depth + 1) for sub in fact.provenance] \
            if depth < 32 else []
        node["rests_on"].append({"fact": fact_text(fact.type, fact.fields, schema), "derivations": subs})
    return node


def tree_lines(node: dict, depth: int = 1) -> list[str]:
    """A derivation node as indented lines of text."""
    pad = "  " * depth
    out = [f"{pad}- by {node['rule']} at {node['file']}:{node['line']}"]
    row, derived = node["row"], node["derived"]
    if row is not None:
        line = f"{pad}  row {row['number']} ({row['text']})"
        out.append(f"{line} derived {derived}" if derived else line)
    elif derived:
        out.append(f"{pad}  derived {derived}")
    if node["bindings"]:
        out.append(pad + "  with " + ", ".join(f"{k} = {v}" for k, v in node["bindings"].items()))
    if node["matched"]:
        out.append(pad + "  matched " + ", ".join(m["text"] for m in node["matched"]))
    for fact in node["rests_on"]:
        out.append(f"{pad}  rests on {fact['fact']}")
        for sub in fact["derivations"]:
            out.extend(tree_lines(sub, depth + 2))
    return out
