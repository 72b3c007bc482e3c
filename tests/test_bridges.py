"""Bridged pairs: text a copy shares with a hub that the hub shares with an earlier page (`provenance.bridges`)."""

from __future__ import annotations

import random

from newstrace.models import ArticlePair, Passage
from newstrace.provenance.bridges import bridge_pairs

W, H, C = 1, 2, 3  # the wire, a hub, a copy paired with the hub only


def _pair(a: int, b: int, cov_a: float = 0.8, cov_b: float = 0.8) -> ArticlePair:
    return ArticlePair(min(a, b), max(a, b), 1, 20, cov_a, cov_b, 0.95)


def _passage(x: int, xs: int, xe: int, y: int, ys: int, ye: int, sim: float = 0.95) -> Passage:
    if x > y:
        x, xs, xe, y, ys, ye = y, ys, ye, x, xs, xe
    return Passage(x, y, xs, xe, ys, ye, 20, 20, sim)


def _times(order: list[int]):
    rank = {m: i for i, m in enumerate(order)}
    return lambda m: rank[m]


def test_the_shared_stretch_of_the_hub_maps_to_both_pages() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    passages = [_passage(H, 0, 100, W, 10, 110, sim=0.9), _passage(C, 50, 150, H, 0, 100)]
    new_pairs, new_passages, via = bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=2)
    assert via == {(W, C): H}
    assert [(p.a_id, p.b_id) for p in new_pairs] == [(W, C)]
    assert [(p.a_id, p.a_start, p.a_end, p.b_id, p.b_start, p.b_end) for p in new_passages] == [
        (W, 10, 110, C, 50, 150)]
    assert new_passages[0].similarity == 0.9  # the weaker of the two alignments
    assert new_pairs[0].coverage_a == 0.8 and new_pairs[0].coverage_b == 0.8


def test_part_of_a_passage_maps_in_proportion() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    # the hub's 50..100 is the copy's 0..50; the wire's 0..200 is the hub's 0..100, so 50..100 is the wire's 100..200
    passages = [_passage(H, 0, 100, W, 0, 200), _passage(C, 0, 50, H, 50, 100)]
    _, new_passages, via = bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=2)
    assert via == {(W, C): H}
    p = new_passages[0]
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (100, 200, 0, 50)


def test_no_bridge_without_a_hub_or_to_a_later_page_or_over_little_text() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    passages = [_passage(H, 0, 100, W, 10, 110), _passage(C, 50, 150, H, 0, 100)]
    # the hub has two neighbours: below the degree that makes it a hub, reuse would have paired the others itself
    assert bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=3) == ([], [], {})
    # the other page is published after the copy's own neighbour: nothing earlier to reach
    assert bridge_pairs({W, H, C}, pairs, passages, _times([H, W, C]), min_degree=2)[2] == {}
    # the wire shares a tenth of what the copy shares with the hub
    thin = [_passage(H, 90, 100, W, 0, 10), _passage(C, 50, 150, H, 0, 100)]
    assert bridge_pairs({W, H, C}, pairs, thin, _times([W, H, C]), min_degree=2)[2] == {}
    assert bridge_pairs({W, H, C}, pairs, thin, _times([W, H, C]), min_degree=2, min_share=0.05)[2] == {(W, C): H}


def test_a_viral_story_bridges_the_earliest_pages_the_same_whatever_the_order() -> None:
    """Twenty early pages paired with each other and two hubs; forty later copies paired with the hubs only."""
    early, hubs, late = list(range(10, 30)), [1, 2], list(range(100, 140))
    pairs = [_pair(a, b) for i, a in enumerate(early) for b in early[i + 1:]]
    passages = [_passage(a, 0, 300, b, 0, 300) for i, a in enumerate(early) for b in early[i + 1:]]
    for h in hubs:
        for m in early + late:
            pairs.append(_pair(h, m))
            passages.append(_passage(h, 0, 300, m, 0, 300))
    members = set(early) | set(hubs) | set(late)
    times = _times(early + hubs + late)
    new_pairs, new_passages, via = bridge_pairs(members, pairs, passages, times, limit=5, min_degree=10)
    assert len(via) == 40 * 5 and all(a in early[:5] and b in late for a, b in via)  # the five earliest each
    assert all(h == 1 for h in via.values())  # ties: the lowest id
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(pairs)
        rng.shuffle(passages)
        again = bridge_pairs(members, pairs, passages, times, limit=5, min_degree=10)
        assert sorted((p.a_id, p.b_id) for p in again[0]) == sorted((p.a_id, p.b_id) for p in new_pairs)
        assert sorted(again[1], key=lambda p: (p.a_id, p.b_id)) == sorted(new_passages, key=lambda p: (p.a_id, p.b_id))
        assert again[2] == via
