"""Checked pack -> :class:`~imgrules._compile.network.Network`.

``compile_pack(checked)`` generates one Python module for the whole pack (see
:mod:`.generate`), compiles it once, and indexes the rules: evaluation units in dependency
order, gate groups for rules that test a profile value against constants.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from .._gcpause import paused_gc
from .network import Network, RuleInfo

__all__ = ["compile_pack", "Network"]

_RULEINFO_FIELDS = tuple(a.name for a in attrs.fields(RuleInfo))

# A pack with fewer rules in gate groups than this is not indexed: looking its gates up
# costs every evaluation more than the match functions of the few rules it would skip
# (measured: 3 gated rules of 30, +8% per evaluation; the shipped packs' 111 and 131, -3%)
MIN_GATED_RULES = 32


def compile_pack(checked) -> Network:
    """Compile a checked pack without errors. Raises CompileError if the contract is broken.

    (Imports are local so that loading a cached Network never imports the checker or Lark.)
    The cyclic garbage collector is paused meanwhile: compiling makes many objects that
    all live on, and on a large pack its full passes over them cost a third of the time.
    """
    with paused_gc():
        return _compile(checked)


def _compile(checked) -> Network:
    from .._engine.profile import shape_of
    from . import analysis as A
    from .writer import CompileError
    from .generate import Generator
    from .network import Gate, build_group, make_network
    from .._loader import pack_location
    if not checked.ok:
        raise CompileError("cannot compile a pack with errors; check it first")
    gen = Generator(checked)
    gen.lets()
    gen.share_shapes()
    infos: list[RuleInfo] = [gen.rule(i, entry) for i, entry in enumerate(checked.rules)]
    # what people read: pack-relative locations (img/core.rules), the same for every install
    where = {p.path: pack_location(p) for p in checked.packs}
    infos = [_evolve(i, file=where[i.file]) if i.file in where else i for i in infos]
    # evaluation order
    ids = [r.id for r in infos]
    by_id = {r.id: r for r in infos}
    units_ids = A.order_units(ids, {r.id: r.reads for r in infos},
                              {r.id: r.derives for r in infos}, {r.id: r.stratum for r in infos})
    units: list[tuple[int, ...]] = []
    unit_of = [0] * len(infos)

    for u, comp in enumerate(units_ids):
        idxs = tuple(by_id[rid].idx for rid in comp)
        units.append(idxs)
        recursive = len(comp) > 1 or bool(by_id[comp[0]].derives & by_id[comp[0]].reads)
        for idx in idxs:
            unit_of[idx] = u
            if u or recursive:  # (0 and False are the defaults)
                infos[idx] = _evolve(infos[idx], unit=u, recursive=recursive)
    # gates: the most selective conjunct of each rule, pack-wide
    for idx, gate in A.choose_gates(gen.gate_options).items():
        if infos[idx].gate is not gate:
            infos[idx] = _evolve(infos[idx], gate=gate)
    # gates: only single, non-recursive rules; a group per path, an equality bucket
    # nested on a second path its rules have gates on (network.build_group)
    groups: dict[str, list] = {}
    nodes: dict[str, object] = {}  # path -> an expression of it (for its gate function)
    for info in infos:
        if info.kind == "rule" and info.gate is not None and not info.recursive:
            options = gen.gate_options.get(info.idx, (info.gate,))
            for gate in options:
                if gate.node is not None:
                    nodes.setdefault(gate.path, gate.node)
            rest = tuple(gate.bare() for gate in options if gate is not info.gate)
            groups.setdefault(info.gate.path, []).append(
                (info.idx, info.gate, rest, A.uncovered(checked.rules[info.idx], options)))
    if sum(map(len, groups.values())) < MIN_GATED_RULES:
        groups = {}  # every rule is visited: its match function tests its condition
    gate_groups = []
    rule_group: dict[int, int] = {}
    fn_of = {path: g for g, path in enumerate(sorted(groups))}
    for g, path in enumerate(sorted(groups)):
        members = groups[path]
        first = next(gate for _, gate, _, _ in members)
        gen.gate_fn(g, first)
        gate_groups.append(build_group(path, g, members, fn_of))
        for idx, gate, _, _ in members:
            rule_group[idx] = g
            # the network keeps no AST node (the path is compiled: gate_<g>), so loading
            # it needs no AST classes
            if gate.node is not None:
                infos[idx] = _evolve(infos[idx], gate=gate.bare())
    for path, k in fn_of.items():  # the paths only nested groups are on
        if k >= len(groups):
            gen.gate_fn(k, Gate(path, nodes.get(path), None))
    for info in infos:  # gates of rules that are not in a group (recursive rules)
        if info.gate is not None and info.gate.node is not None:
            infos[info.idx] = _evolve(info, gate=attrs.evolve(info.gate, node=None))
    ungated = tuple(u for u, idxs in enumerate(units)
                    if not all(i in rule_group for i in idxs))
    profile_shape = shape_of(checked.schema.profile) if checked.schema.profile else None
    # source
    filename = f"<imgrules {checked.root.name}>"
    source, line_map, code = _module(gen.fns, filename)
    let_reads = {i: tuple(sorted(gen.reads.let(name))) for name, i in gen.let_ids.items()}
    let_reads.update({i: tuple(sorted(gen.reads.of(node))) for i, node in gen.hoisted.values()})
    maps = []
    for name in sorted(checked.maps):
        decl = checked.maps[name]
        maps.append({gen.writer.const_value(e.key): gen.writer.const_value(e.value)
                     for e in decl.entries})
    line_map = [(where.get(o[0], o[0]), o[1]) if o is not None else None for o in line_map]
    infos_by_pack = tuple((i.name, i.version) for i in checked.infos)
    state = dict(
        name=checked.root.name, version=checked.root.version, packs=infos_by_pack,
        rules=tuple(infos), units=tuple(units), ungated=ungated, gate_groups=tuple(gate_groups),
        rule_group=rule_group, unit_of=tuple(unit_of),
        fact_fields={n: r.field_names for n, r in sorted(checked.schema.facts.items())},
        profile_shape=profile_shape,
        let_reads=let_reads, schema=checked.schema,
        files=tuple(str(Path(p.path).resolve()) for p in checked.packs),
        invariants=tuple(i.idx for i in infos if i.kind == "invariant"), source=source, filename=filename, line_map=tuple(line_map),
        consts=tuple(gen.pool.values), maps=tuple(maps), shared=gen.shared,
    )
    return make_network(state, code)


def _evolve(info, **changes):
    """``attrs.evolve`` for RuleInfo, without its per-call introspection (thousands of
    rules are evolved while compiling a large pack)."""
    values = {name: getattr(info, name) for name in _RULEINFO_FIELDS}
    values.update(changes)
    return RuleInfo(**values)


def _module(fns: list, filename: str) -> tuple[str, list, object]:
    """The generated functions as one module: its source, line map and code object."""
    from .network import compile_source

    lines: list[str] = []
    line_map: list = []
    for fn in fns:
        for code, span in fn.finished():
            origin = (span.path, span.line) if span is not None else None
            lines.append(code + (f"  # rule line {span.line}" if span is not None else ""))
            line_map.append(origin)
        lines.append("")
        line_map.append(None)
    source = "\n".join(lines) + "\n"
    return source, line_map, compile_source(source, filename)
