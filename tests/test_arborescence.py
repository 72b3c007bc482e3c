"""Edmonds on dicts against networkx's implementation, which it replaced for speed."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from newstrace.provenance.arborescence import max_arborescence

ROOT = -1


def _random_story(rng: random.Random, n: int) -> dict[int, dict[int, float]]:
    """A story's shape: a root edge into every member and up to 8 candidate sources, with many tied weights."""
    incoming: dict[int, dict[int, float]] = {}
    for v in range(n):
        ins = {ROOT: rng.uniform(-15, -3)}
        for u in rng.sample(range(n), min(n, rng.randint(0, 8))):
            if u != v:
                ins[u] = rng.choice([rng.uniform(-5, 3), 0.5, 1.0, -1.0])
        incoming[v] = ins
    return incoming


def _check_tree(parent: dict[int, int], nodes: set[int]) -> None:
    assert set(parent) == nodes
    for v in parent:
        seen = set()
        while v != ROOT:
            assert v not in seen, "cycle"
            seen.add(v)
            v = parent[v]


def test_same_total_weight_as_networkx_on_random_stories() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 20)
        incoming = _random_story(rng, n)
        parent = max_arborescence(ROOT, incoming)
        _check_tree(parent, set(range(n)))
        g = nx.DiGraph()
        for v, ins in incoming.items():
            for u, w in ins.items():
                g.add_edge(u, v, weight=w)
        arb = nx.maximum_spanning_arborescence(g, attr="weight")
        want = sum(g[u][v]["weight"] for u, v in arb.edges())
        got = sum(incoming[v][u] for v, u in parent.items())
        assert got == pytest.approx(want, abs=1e-9)


def test_a_cycle_of_best_sources_is_broken_where_it_costs_least() -> None:
    # 1 and 2 each prefer the other (a pair with unclear direction); 1's root edge is the better way in
    incoming = {1: {ROOT: -2.0, 2: 5.0}, 2: {ROOT: -6.0, 1: 5.0}, 3: {ROOT: -9.0, 2: 4.0, 1: 1.0}}
    assert max_arborescence(ROOT, incoming) == {1: ROOT, 2: 1, 3: 2}


def test_nested_cycles_expand_to_a_tree() -> None:
    incoming = {
        1: {ROOT: -10.0, 2: 3.0, 4: 1.0},
        2: {ROOT: -10.0, 1: 3.0},
        3: {ROOT: -10.0, 2: 2.0, 4: 4.0},
        4: {ROOT: -1.0, 3: 4.0},
    }
    parent = max_arborescence(ROOT, incoming)
    _check_tree(parent, {1, 2, 3, 4})
    assert parent == {4: ROOT, 3: 4, 1: 4, 2: 1}


def test_ties_go_to_the_source_listed_first() -> None:
    assert max_arborescence(ROOT, {1: {ROOT: 0.0}, 2: {ROOT: 0.0}, 3: {2: 1.0, 1: 1.0, ROOT: -5.0}})[3] == 2
    assert max_arborescence(ROOT, {1: {ROOT: 0.0}, 2: {ROOT: 0.0}, 3: {1: 1.0, 2: 1.0, ROOT: -5.0}})[3] == 1


def test_unreachable_nodes_are_an_error() -> None:
    with pytest.raises(ValueError, match="no incoming edge"):
        max_arborescence(ROOT, {1: {ROOT: 0.0}, 2: {}})
    with pytest.raises(ValueError, match="cannot be reached"):
        max_arborescence(ROOT, {1: {2: 1.0}, 2: {1: 1.0}})
    with pytest.raises(ValueError, match="no incoming edge"):
        max_arborescence(ROOT, {1: {ROOT: 0.0, 9: 2.0}})
