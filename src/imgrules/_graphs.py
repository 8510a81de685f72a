"""Strongly connected components of a directed graph, for every stage that orders things
by what they depend on (the checker's strata, the compiler's evaluation order).

Tarjan's algorithm written with an explicit stack, so that a long dependency chain in a
pack needs no recursion (and no change to Python's recursion limit).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

Node = TypeVar("Node", bound=Hashable)


def strongly_connected(nodes: Iterable[Node], successors: Mapping[Node, Iterable[Node]],
                       key: Callable[[Node], Any] | None = None) -> list[list[Node]]:
    """The components of the graph ``successors`` (node -> the nodes it points to), each
    after every component it points to (sinks first). Nodes are visited in the order
    given, their successors in the order listed, so the result is deterministic; each
    component's members are sorted (by ``key`` when given). A successor missing from
    ``successors`` is a node with no edges of its own."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    out: list[list[Node]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors.get(root, ())))]
        while work:
            node, pending = work[-1]
            for succ in pending:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(successors.get(succ, ()))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(sorted(component, key=key))
    return out
