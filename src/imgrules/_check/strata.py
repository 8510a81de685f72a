"""Pass ``strata``: order rule-likes so that negation and aggregates see complete facts.

A rule-like *reads* a fact type where its expressions name it (directly or through a
let), and *derives* it with ``derive`` (a table through its output). Each read is an edge
from every deriver of the type to the reader: *positive* when the reader binds the type
directly in ``for x in F``, *negative* anywhere else (inside count/exists/all/sum/min/
max/not/where, or any other use that needs the complete set). A cycle through a
negative edge has no meaning and is an error naming the cycle rule by rule. Otherwise
each strongly connected component gets a stratum: the largest over its incoming edges of
the source's stratum, plus one for a negative edge.
"""

from __future__ import annotations

from collections import deque

import attrs

from .. import ast
from .._graphs import strongly_connected
from .._source import Span
from .context import Context
from .model import node_key
from .walk import children, decl_exprs

WRAPPERS = {ast.Not: "not", ast.Filter: "where"}


@attrs.frozen
class Read:
    """``reader`` reads fact type ``fact``; ``how`` is '' (a for binding) or the construct."""

    reader: str
    fact: str
    how: str
    span: Span

    @property
    def negative(self) -> bool:
        return self.how != ""


def reads_of(ctx: Context, decl) -> list[Read]:
    """Every read of a fact type by ``decl``, following lets (each let once)."""
    out: list[Read] = []
    rule_id = decl.name.text
    seen_lets: set[str] = set()
    direct = set()
    if isinstance(decl, ast.Rule):
        for binding in decl.bindings:
            if isinstance(binding.source, ast.Name):
                ref = ctx.ref_of(binding.source)
                if ref is not None and ref.kind == "facts":
                    out.append(Read(rule_id, ref.name, "", binding.source.span))
                    direct.add(node_key(binding.source))

    def visit(expr, how: str) -> None:
        if isinstance(expr, ast.Name) and node_key(expr) not in direct:
            ref = ctx.ref_of(expr)
            if ref is not None and ref.kind == "facts":
                out.append(Read(rule_id, ref.name, how or "read as a whole", expr.span))
            elif ref is not None and ref.kind == "let":
                follow(ref.name, how)
        if isinstance(expr, ast.Call):
            ref = ctx.ref_of(expr)
            if ref is not None and ref.kind == "let":
                follow(ref.name, how)
        inner = how
        if isinstance(expr, ast.Aggregate):
            inner = expr.func
        elif type(expr) in WRAPPERS:
            inner = WRAPPERS[type(expr)]
        for child in children(expr):
            visit(child, inner)

    def follow(name: str, how: str) -> None:
        if name in seen_lets or name not in ctx.lets:
            return
        seen_lets.add(name)
        visit(ctx.lets[name].body, how or f"read through let {name}")

    for expr in decl_exprs(decl):
        visit(expr, "")
    return out


def derives_of(decl) -> set[str]:
    if isinstance(decl, ast.Rule):
        return {a.fact.text for a in decl.actions if isinstance(a, ast.Derive)}
    if isinstance(decl, ast.Table) and decl.output is not None:
        return {decl.output.fact.text}
    return set()


def run(ctx: Context) -> None:
    ids = list(ctx.rule_decls)
    derivers: dict[str, list[str]] = {}
    for rule_id in ids:
        for fact in sorted(derives_of(ctx.rule_decls[rule_id][0])):
            derivers.setdefault(fact, []).append(rule_id)
    edges: dict[str, list[tuple[str, Read]]] = {r: [] for r in ids}  # source -> [(target, read)]
    for rule_id in ids:
        for read in reads_of(ctx, ctx.rule_decls[rule_id][0]):
            for source in derivers.get(read.fact, ()):
                edges[source].append((rule_id, read))
    components = strongly_connected(ids, {s: [t for t, _ in out] for s, out in edges.items()})
    comp_of = {r: i for i, comp in enumerate(components) for r in comp}
    for comp in components:
        members = set(comp)
        bad = [(s, t, read) for s in comp for t, read in edges[s] if t in members and read.negative]
        if bad:
            source, target, read = min(bad, key=lambda b: (b[2].span.path, b[2].span.start))
            ctx.error("E301", "cycle through negation: " + _describe_cycle(ctx, edges, members, source, target, read),
                      read.span, "a rule cannot count, test or aggregate facts that it (indirectly) derives; "
                      "split the fact type or bind it with 'for'")
    # Tarjan lists components sinks first: walk them in reverse for a topological order.
    stratum_of_comp: dict[int, int] = {}
    incoming: dict[int, list[tuple[int, bool]]] = {}
    for s, out in edges.items():
        for t, read in out:
            if comp_of[s] != comp_of[t]:
                incoming.setdefault(comp_of[t], []).append((comp_of[s], read.negative))
    for index in reversed(range(len(components))):
        stratum_of_comp[index] = max((stratum_of_comp[src] + (1 if neg else 0)
                                      for src, neg in incoming.get(index, ())), default=0)
    ctx.strata = {r: stratum_of_comp[comp_of[r]] for r in ids}


def _describe_cycle(ctx: Context, edges, members: set[str], source: str, target: str, read: Read) -> str:
    """'a derives tier, used under count by b, which derives x, used by a'."""
    path = _path(edges, members, target, source) or [target]
    steps = [(source, target, read)]
    for a, b in zip(path, path[1:]):
        step = next(r for t, r in edges[a] if t == b)
        steps.append((a, b, step))
    parts = []
    for i, (a, b, r) in enumerate(steps):
        use = f"used under {r.how}" if r.how in ("count", "exists", "all", "sum", "min", "max", "not", "where") \
            else ("used" if not r.how else f"{r.how}")
        lead = a if i == 0 else "which"
        parts.append(f"{lead} derives {r.fact}, {use} by {b}")
    return ", ".join(parts)


def _path(edges, members: set[str], start: str, goal: str) -> list[str] | None:
    """The shortest path start -> goal inside one component (BFS)."""
    if start == goal:
        return [start]
    previous = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for t, _ in edges[node]:
            if t in members and t not in previous:
                previous[t] = node
                if t == goal:
                    out = [t]
                    while previous[out[-1]] is not None:
                        out.append(previous[out[-1]])
                    return out[::-1]
                queue.append(t)
    return None
