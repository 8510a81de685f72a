"""Static facts about checked rules that the network is built from.

- what each rule *reads* (profile fields, fact types; through lets too), split into the
  collections its ``for`` bindings iterate (an element-wise change re-runs only the
  bindings of that element) and the rest (any change re-runs the whole rule);
- the order of evaluation: strongly connected components of the "derives a fact type
  another rule reads" graph, in topological order (ties by stratum, then id);
- the profile paths a condition mentions (``matched`` paths in provenance);
- gates: a conjunct ``path == const`` / ``path in {..}`` / ``path in lo..hi`` / timing on
  a profile value, so a pack of many rules dispatches on the value through an index;
- hash joins: ``x.f == <expr over earlier variables>`` for a later ``for x in C``.
"""

from __future__ import annotations

from .. import ast
from .._check.model import CheckedPack, node_key
from .._graphs import strongly_connected
from .network import ORDERED, Gate

PHASE_READS = frozenset({"p:as_of", "p:application_date"})


class NotConst(Exception):
    """Raised by ``ExprWriter.const_value`` for an expression that is not a constant."""


def children(node):
    """The direct sub-expressions of an expression node."""
    if isinstance(node, (ast.Member,)):
        return (node.obj,)
    if isinstance(node, ast.Index):
        return (node.obj, node.index)
    if isinstance(node, ast.Call):
        return node.args
    if isinstance(node, (ast.Neg, ast.Not)):
        return (node.operand,)
    if isinstance(node, (ast.Arith, ast.Compare)):
        return (node.left, node.right)
    if isinstance(node, ast.BoolOp):
        return node.operands
    if isinstance(node, ast.Range):
        return tuple(x for x in (node.low, node.high) if x is not None)
    if isinstance(node, ast.In):
        return (node.item, node.target)
    if isinstance(node, ast.IsMissing):
        return (node.operand,)
    if isinstance(node, ast.SetLit):
        return node.items
    if isinstance(node, ast.Filter):
        return tuple(x for x in (node.source, node.predicate) if x is not None)
    if isinstance(node, ast.Aggregate):
        return tuple(x for x in (node.source, node.predicate, node.value, node.within) if x is not None)
    if isinstance(node, ast.IfExpr):
        return (node.cond, node.then, node.orelse)
    if isinstance(node, ast.Text):
        return tuple(p for p in node.parts if not isinstance(p, str))
    return ()


def walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


class Reads:
    """Collections read by expressions: ``p:<profile field>`` and ``f:<fact type>``."""

    def __init__(self, checked: CheckedPack):
        self.checked = checked
        self._lets: dict[str, frozenset] = {}

    def of(self, node) -> frozenset:
        out = set()
        for n in walk(node):
            if isinstance(n, ast.TMonth):
                out.add("p:application_date")
            elif isinstance(n, (ast.Name, ast.Call)):
                ref = self.checked.refs.get(node_key(n))
                if ref is None:
                    continue
                if ref.kind == "profile":
                    out.add("p:" + ref.name)
                elif ref.kind == "facts":
                    out.add("f:" + ref.name)
                elif ref.kind == "builtin" and ref.name == "months_to_go":
                    out |= PHASE_READS
                elif ref.kind == "let":
                    out |= self.let(ref.name)
        return frozenset(out)

    def let(self, name: str) -> frozenset:
        if name not in self._lets:
            self._lets[name] = frozenset()  # cut recursion (the checker rejects cycles)
            decl = self.checked.lets.get(name)
            self._lets[name] = self.of(decl.body) if decl is not None else frozenset()
        return self._lets[name]


def plain_collection(checked: CheckedPack, node) -> str | None:
    """``letters`` or ``tier`` written alone: the collection key it names, else None."""
    if isinstance(node, ast.Name):
        ref = checked.refs.get(node_key(node))
        if ref is not None and ref.kind == "facts":
            return "f:" + ref.name
        if ref is not None and ref.kind == "profile":
            field = checked.schema.profile.field(ref.name) if checked.schema.profile else None
            ftype = field.type if field is not None else None
            if type(ftype).__name__ == "ListType" and type(ftype.item).__name__ == "RecordType":
                return "p:" + ref.name  # records only: scalars have no identity to pin
    return None


def conjuncts(node) -> tuple:
    if node is None:
        return ()
    if isinstance(node, ast.BoolOp) and node.op == "and":
        return node.operands
    return (node,)


def profile_path(checked: CheckedPack, node) -> str | None:
    """``exams.step2_ck.score`` -> ``"$.exams.step2_ck.score"``; ``months_to_go`` -> ``"@mtg"``.

    None unless the expression is a chain of field accesses on a profile field.
    """
    if isinstance(node, ast.Member):
        inner = profile_path(checked, node.obj)
        return None if inner is None or inner.startswith("@") else f"{inner}.{node.field.text}"
    if isinstance(node, ast.Name):
        ref = checked.refs.get(node_key(node))
        if ref is None:
            return None
        if ref.kind == "profile":
            return "$." + ref.name
        if ref.kind == "builtin" and ref.name == "months_to_go":
            return "@mtg"
    return None


def static_paths(checked: CheckedPack, nodes) -> tuple[str, ...]:
    """Profile paths an expression mentions (for provenance), through lets, sorted."""
    out: set[str] = set()
    seen_lets: set[str] = set()
    stack = [n for n in nodes if n is not None]
    while stack:
        node = stack.pop()
        for n in walk(node):
            path = profile_path(checked, n) if isinstance(n, (ast.Member, ast.Name)) else None
            if path is not None and not path.startswith("@"):
                out.add(path)
            elif path == "@mtg" or isinstance(n, ast.TMonth):
                out.add("$.application_date")
                if path == "@mtg":
                    out.add("$.as_of")
            if isinstance(n, (ast.Name, ast.Call)):
                ref = checked.refs.get(node_key(n))
                if ref is not None and ref.kind == "let" and ref.name not in seen_lets:
                    seen_lets.add(ref.name)
                    decl = checked.lets.get(ref.name)
                    if decl is not None:
                        stack.append(decl.body)
    # keep the longest paths only: "$.exams.step2_ck.score" makes "$.exams" redundant
    longest = {p for p in out if not any(q != p and q.startswith(p + ".") for q in out)}
    return tuple(sorted(longest))


def timing_gate(timing: ast.Timing | None) -> Gate | None:
    if timing is None:
        return None
    k = timing.start.months
    if timing.kind == "at":
        return Gate("@mtg", None, frozenset({k}))
    if timing.kind == "from":
        return Gate("@mtg", None, None, high=k)
    if timing.kind == "until":
        return Gate("@mtg", None, None, low=k)
    end = timing.end.months if timing.end is not None else k
    return Gate("@mtg", None, None, low=min(k, end), high=max(k, end))


def find_gate(checked: CheckedPack, writer, when) -> Gate | None:
    """The first conjunct of ``when`` usable as a gate (equality first, then ranges)."""
    found = find_gates(checked, writer, when)
    return found[0] if found else None


def choose_gates(options: dict[int, tuple[Gate, ...]]) -> dict[int, Gate]:
    """Per rule, the gate expected to let the fewest rules of the pack through for a
    profile (so the rules visited are the ones that can match, whatever the pack's size);
    ties keep the order of :func:`find_gates`. Any conjunct is a valid gate: a rule with a
    false conjunct neither fires nor is undecided.

    An equality or set gate lets through the rules gated on the same value; a range gate
    the rules whose ranges contain the profile's value: about half of the ranges on its
    path for an open range (``score > t``), the share of the path's span it covers for a
    closed one. The rules of an equality's bucket are indexed again on another path they
    have gates on (:func:`~.network.build_group`), so an equality lets through its share
    of the bucket: ``score > t_k and year == k`` is gated on the year, then on the score
    (half of the year's rules), unless the years' buckets are larger than half the
    pack."""
    count: dict = {}
    keys = {i: [_gate_keys(g) for g in gates] for i, gates in options.items()}
    for per_rule in keys.values():
        for ks in per_rule:
            for k in ks:
                count[k] = count.get(k, 0) + 1
    spans = _range_spans(options)
    on_path: dict = {}  # path -> rules with a gate on it
    for gates in options.values():
        for p in {g.path for g in gates}:
            on_path[p] = on_path.get(p, 0) + 1
    chosen = {}
    for i, gates in options.items():
        est = [_expected(g, keys[i][j], count, spans) for j, g in enumerate(gates)]
        share: dict = {}  # path -> the least share of its rules one of this rule's gates lets through
        for g, e in zip(gates, est):
            if g.path != "@mtg":
                share[g.path] = min(share.get(g.path, 1.0), e / on_path[g.path])
        for j, g in enumerate(gates):
            if g.values is not None:  # its bucket is indexed again on another path
                est[j] *= min((s for p, s in share.items() if p != g.path), default=1.0)
        chosen[i] = gates[min(range(len(gates)), key=lambda j: (est[j], j))]
    return chosen


def _gate_keys(g: Gate) -> tuple:
    if g.values is not None:
        return tuple((g.path, "=", type(v).__name__, v) for v in sorted(g.values, key=repr))
    return ((g.path, "range", repr(g.low), g.low_strict, repr(g.high), g.high_strict),)


def _expected(g: Gate, keys: tuple, count: dict, spans: dict) -> float:
    """How many rules gate ``g``'s group is expected to let through with it."""
    if g.values is not None:
        return float(sum(count[k] for k in keys))
    ranges, low, high = spans.get(g.path, (1, None, None))
    if g.low is None or g.high is None:
        return ranges / 2
    try:
        return max(ranges * _width(g.low, g.high) / _width(low, high), 1.0)
    except (TypeError, ZeroDivisionError):
        return ranges / 2


def _width(low, high) -> float:
    width = high - low
    return float(getattr(width, "days", width))


def _range_spans(options: dict) -> dict:
    """Per gate path: the number of rules with a range gate on it and the span of their
    bounds (low, high), or None bounds where they cannot be ordered."""
    bounds: dict = {}
    for gates in options.values():
        for g in gates:
            if g.values is None:
                bounds.setdefault(g.path, []).append((g.low, g.high))
    out = {}
    for path, found in bounds.items():
        ends = [v for lo, hi in found for v in (lo, hi) if v is not None]
        try:
            out[path] = (len(found), min(ends), max(ends)) if ends else (len(found), None, None)
        except TypeError:
            out[path] = (len(found), None, None)
    return out


def find_gates(checked: CheckedPack, writer, when) -> list[Gate]:
    """The conjuncts of ``when`` usable as gates (equality first, then ranges)."""
    found = []
    for c in conjuncts(when):
        try:
            if isinstance(c, ast.Compare) and c.op in ("==", "<", "<=", ">", ">="):
                left, right, op = c.left, c.right, c.op
                path = profile_path(checked, left)
                if path is None:
                    left, right = right, left
                    op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
                    path = profile_path(checked, left)
                if path is None:
                    continue
                value = writer.const_value(right)
                if value is None or isinstance(value, (bool, frozenset)):
                    continue
                if op == "==":
                    found.append((0, Gate(path, left, frozenset({value}))))
                elif op in ("<", "<="):
                    found.append((1, Gate(path, left, None, high=value, high_strict=op == "<")))
                else:
                    found.append((1, Gate(path, left, None, low=value, low_strict=op == ">")))
            elif isinstance(c, ast.In) and not c.negated:
                path = profile_path(checked, c.item)
                if path is None:
                    continue
                if isinstance(c.target, ast.SetLit):
                    values = writer.const_value(c.target)
                    if any(isinstance(v, bool) for v in values):
                        continue
                    found.append((0, Gate(path, c.item, values)))
                elif isinstance(c.target, ast.Range):
                    low = writer.const_value(c.target.low) if c.target.low is not None else None
                    high = writer.const_value(c.target.high) if c.target.high is not None else None
                    if low is None and high is None:
                        continue
                    found.append((1, Gate(path, c.item, None, low=low, high=high)))
        except NotConst:
            continue
    found.sort(key=lambda x: x[0])
    return [g for _, g in found]


def uncovered(entry, gates) -> int | None:
    """How many conjuncts of a rule's condition its chosen gate leaves to the others (the
    gate index can decide the rule when the gates on its way cover them all), or None
    when gates cannot decide it: a timing or ``for`` bindings, a gate on months_to_go, a
    constant of another type than int, float, str and date (bool included)."""
    decl = entry.decl
    if not isinstance(decl, ast.Rule) or decl.timing is not None or decl.bindings or decl.when is None:
        return None
    for g in gates:
        if g.path == "@mtg":
            return None
        for v in (g.values if g.values is not None else (g.low, g.high)):
            if v is not None and (type(v) not in ORDERED or v != v):
                return None
    return len(conjuncts(decl.when)) - 1


def join_key(checked: CheckedPack, when, binding_key, var: str, earlier: set) -> tuple | None:
    """For ``for x in C`` (not first): a conjunct ``x.f == e`` with ``e`` over earlier variables.

    Returns ``(field, e)`` or None.
    """
    for c in conjuncts(when):
        if not (isinstance(c, ast.Compare) and c.op == "=="):
            continue
        for mine, other in ((c.left, c.right), (c.right, c.left)):
            if not (isinstance(mine, ast.Member) and isinstance(mine.obj, ast.Name)):
                continue
            ref = checked.refs.get(node_key(mine.obj))
            if ref is None or ref.kind != "var" or ref.scope != binding_key:
                continue
            if _only_earlier(checked, other, earlier):
                return mine.field.text, other
    return None


def _only_earlier(checked: CheckedPack, node, earlier: set) -> bool:
    for n in walk(node):
        if isinstance(n, (ast.Filter, ast.Aggregate)):
            return False
        if isinstance(n, ast.Name):
            ref = checked.refs.get(node_key(n))
            if ref is None or ref.kind in ("field", "param"):
                return False
            if ref.kind == "var" and ref.scope not in earlier:
                return False
    return True


def order_units(ids: list[str], reads: dict[str, frozenset], derives: dict[str, frozenset],
                strata: dict[str, int]) -> list[list[str]]:
    """Rules grouped into strongly connected components, in an order where every rule comes
    after the rules deriving what it reads (deterministic: ties by stratum, id)."""
    producers: dict[str, list[str]] = {}
    for rid in ids:
        for t in derives[rid]:
            producers.setdefault(t, []).append(rid)

    def order(r):
        return (strata[r], r)

    deps = {}
    for rid in ids:
        found = {p for t in reads[rid] for p in producers.get(t, ())}
        deps[rid] = sorted(found, key=order) if len(found) > 1 else list(found)
    return strongly_connected(sorted(ids, key=order), deps, key=order)
