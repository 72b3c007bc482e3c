"""Maximum spanning arborescence (Chu–Liu/Edmonds) over plain dicts.

networkx's `maximum_spanning_arborescence` is general (any graph, any root, branchings) and copies multigraphs
at every contraction: it took about 45% of provenance time at 100k articles. A story's graph is small and
always has one root with an edge to every member, so the textbook algorithm on dicts does the same job.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["max_arborescence"]


def max_arborescence(root: int, incoming: Mapping[int, Mapping[int, float]]) -> dict[int, int]:
    """The parent of every node in the heaviest arborescence rooted at `root`.

    `incoming[v]` maps each possible parent `u` of `v` to the weight of the edge u -> v; every node other than
    the root needs at least one. Among equal choices the parent listed first wins, so the result is
    deterministic for a given input order. Raises ValueError when some node cannot be reached from the root.
    """
    graph: dict[int, dict[int, float]] = {v: dict(ins) for v, ins in incoming.items() if v != root}
    for v, ins in graph.items():
        if not ins:
            raise ValueError(f"node {v} has no incoming edge")
        stray = [u for u in ins if u != root and u not in graph]
        if stray:
            raise ValueError(f"edges into {v} come from nodes with no incoming edge: {stray[:5]}")
    next_id = min([root, *graph, *(u for ins in graph.values() for u in ins)]) - 1
    undo: list[tuple[int, list[int], dict[int, int], dict[int, int], dict[int, int]]] = []
    while True:
        best = {v: _first_max(ins) for v, ins in graph.items()}
        cycle = _find_cycle(best, root)
        if cycle is None:
            break
        members = set(cycle)
        new = next_id
        next_id -= 1
        kept = {v: graph[v][best[v]] for v in cycle}
        enters: dict[int, int] = {}  # outside source -> the cycle node its best edge into the cycle enters
        leaves: dict[int, int] = {}  # outside target -> the cycle node its best edge from the cycle leaves
        contracted: dict[int, dict[int, float]] = {}
        into: dict[int, float] = {}
        for v, ins in graph.items():
            if v in members:
                for u, w in ins.items():
                    if u in members:
                        continue
                    gain = w - kept[v]  # taking u -> v breaks the cycle at v
                    if u not in into or gain > into[u]:
                        into[u], enters[u] = gain, v
                continue
            out: dict[int, float] = {}
            for u, w in ins.items():
                if u in members:
                    if new not in out or w > out[new]:
                        out[new], leaves[v] = w, u
                else:
                    out[u] = w
            contracted[v] = out
        if not into:
            raise ValueError(f"nodes {sorted(members)} cannot be reached from the root")
        contracted[new] = into
        undo.append((new, cycle, {v: best[v] for v in cycle}, enters, leaves))
        graph = contracted
    parent = best
    for new, cycle, inner, enters, leaves in reversed(undo):
        expanded: dict[int, int] = {}
        for v, u in parent.items():
            if v == new:
                expanded[enters[u]] = u
            elif u == new:
                expanded[v] = leaves[v]
            else:
                expanded[v] = u
        for v in cycle:
            expanded.setdefault(v, inner[v])
        parent = expanded
    return parent


def _first_max(ins: dict[int, float]) -> int:
    best_u, best_w = None, 0.0
    for u, w in ins.items():
        if best_u is None or w > best_w:
            best_u, best_w = u, w
    assert best_u is not None
    return best_u


def _find_cycle(parent: dict[int, int], root: int) -> list[int] | None:
    """One cycle of the parent function, if any (the nodes on it, in order)."""
    state: dict[int, int] = {}  # 1: on the current walk, 2: done
    for start in parent:
        if start in state:
            continue
        walk: list[int] = []
        v = start
        while v != root and v not in state:
            state[v] = 1
            walk.append(v)
            v = parent.get(v, root)
        if v != root and state.get(v) == 1:
            return walk[walk.index(v):]
        for w in walk:
            state[w] = 2
    return None
