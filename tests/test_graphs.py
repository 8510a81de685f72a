"""Strongly connected components: the order every dependency-ordering stage relies on."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from imgrules._graphs import strongly_connected


def test_components_come_after_what_they_point_to():
    graph = {"a": ["b"], "b": ["c", "a"], "c": ["d"], "d": ["c"], "e": ["a"]}
    assert strongly_connected(sorted(graph), graph) == [["c", "d"], ["a", "b"], ["e"]]


def test_members_sorted_by_key_and_unknown_successors_are_leaves():
    graph = {"x": ["y"], "y": ["x", "z"]}
    assert strongly_connected(["x"], graph, key=lambda n: -ord(n)) == [["z"], ["y", "x"]]


def test_a_chain_far_deeper_than_the_recursion_limit():
    n = sys.getrecursionlimit() * 20
    graph = {i: [i + 1] for i in range(n)}
    graph[n] = [0]  # one cycle through every node
    before = sys.getrecursionlimit()
    (component,) = strongly_connected([0], graph)
    assert len(component) == n + 1
    assert sys.getrecursionlimit() == before


@given(st.dictionaries(st.integers(0, 12), st.lists(st.integers(0, 12), max_size=4), max_size=13))
def test_agrees_with_mutual_reachability(graph):
    nodes = sorted(set(graph) | {w for ws in graph.values() for w in ws})

    def reach(start):
        seen, todo = {start}, [start]
        while todo:
            for w in graph.get(todo.pop(), ()):
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen

    reachable = {v: reach(v) for v in nodes}
    components = strongly_connected(nodes, graph)
    assert sorted(v for c in components for v in c) == nodes
    position = {v: i for i, c in enumerate(components) for v in c}
    for v in nodes:
        for w in nodes:
            same = w in reachable[v] and v in reachable[w]
            assert (position[v] == position[w]) is same
            if w in reachable[v] and not same:
                assert position[w] < position[v]  # what v reaches comes first
