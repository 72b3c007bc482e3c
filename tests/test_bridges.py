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
    passages = [_passage(H, 0, 1000, W, 100, 1100, sim=0.9), _passage(C, 500, 1500, H, 0, 1000)]
    new_pairs, new_passages, via = bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=2)
    assert via == {(W, C): H}
    assert [(p.a_id, p.b_id) for p in new_pairs] == [(W, C)]
    assert [(p.a_id, p.a_start, p.a_end, p.b_id, p.b_start, p.b_end) for p in new_passages] == [
        (W, 100, 1100, C, 500, 1500)]
    assert new_passages[0].similarity == 0.9  # the weaker of the two alignments
    assert new_pairs[0].coverage_a == 0.8 and new_pairs[0].coverage_b == 0.8


def test_sides_follow_the_ids_when_the_copy_has_the_lower_one() -> None:
    w, h, c = 9, 5, 2  # the earlier page has the higher id: the bridged pair is (c, w), c on side a
    pairs = [_pair(w, h), _pair(h, c, cov_a=0.5, cov_b=0.9)]
    passages = [_passage(h, 0, 1000, w, 200, 1200), _passage(c, 300, 1300, h, 0, 1000)]
    new_pairs, new_passages, via = bridge_pairs({w, h, c}, pairs, passages, _times([w, h, c]), min_degree=2)
    assert via == {(c, w): h}
    p = new_passages[0]
    assert (p.a_id, p.a_start, p.a_end, p.b_id, p.b_start, p.b_end) == (c, 300, 1300, w, 200, 1200)
    assert (new_pairs[0].a_id, new_pairs[0].coverage_a) == (c, 0.5)  # the copy's share stays the copy's


def test_part_of_a_passage_maps_in_proportion() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    # the hub's 500..1000 is the copy's 0..500; the wire's 0..2000 is the hub's 0..1000, so that is its 1000..2000
    passages = [_passage(H, 0, 1000, W, 0, 2000), _passage(C, 0, 500, H, 500, 1000)]
    _, new_passages, via = bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=2)
    assert via == {(W, C): H}
    p = new_passages[0]
    assert (p.a_start, p.a_end, p.b_start, p.b_end) == (1000, 2000, 0, 500)


def test_slivers_where_two_passages_barely_overlap_are_dropped() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    # the hub's 0..990 and 985..2000 go to the wire; the copy holds the hub's 0..2000: a 5-character overlap
    # of the copy's passage with the wire's first one maps to nothing, the rest maps whole
    passages = [_passage(H, 0, 990, W, 0, 990), _passage(H, 985, 2000, W, 1500, 2515),
                _passage(C, 0, 2000, H, 0, 2000)]
    _, new_passages, _ = bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=2)
    assert sorted((p.a_start, p.a_end, p.b_start, p.b_end) for p in new_passages) == [
        (0, 990, 0, 990), (1500, 2515, 985, 2000)]


def test_no_bridge_without_a_hub_or_to_a_later_page_or_over_little_text() -> None:
    pairs = [_pair(W, H), _pair(H, C)]
    passages = [_passage(H, 0, 1000, W, 100, 1100), _passage(C, 500, 1500, H, 0, 1000)]
    # the hub has two neighbours: below the degree that makes it a hub, reuse would have paired the others itself
    assert bridge_pairs({W, H, C}, pairs, passages, _times([W, H, C]), min_degree=3) == ([], [], {})
    # the other page is published after the copy's own neighbour: nothing earlier to reach
    assert bridge_pairs({W, H, C}, pairs, passages, _times([H, W, C]), min_degree=2)[2] == {}
    # the wire shares a tenth of what the copy shares with the hub
    thin = [_passage(H, 900, 1000, W, 0, 100), _passage(C, 500, 1500, H, 0, 1000)]
    assert bridge_pairs({W, H, C}, pairs, thin, _times([W, H, C]), min_degree=2)[2] == {}
    assert bridge_pairs({W, H, C}, pairs, thin, _times([W, H, C]), min_degree=2, min_share=0.05)[2] == {(W, C): H}


def test_a_viral_story_bridges_the_earliest_pages_the_same_whatever_the_order() -> None:
    """Twenty early pages paired with each other and two hubs; forty later copies paired with the hubs only."""
    early, hubs, late = list(range(10, 30)), [1, 2], list(range(100, 140))
    rng = random.Random(7)
    pairs = [_pair(a, b) for i, a in enumerate(early) for b in early[i + 1:]]
    passages = [_passage(a, 0, 3000, b, 0, 3000) for i, a in enumerate(early) for b in early[i + 1:]]
    for h in hubs:
        for m in early + late:
            pairs.append(_pair(h, m))
            # each page holds the hub's text in two passages at offsets of its own
            cut, off = rng.randrange(1000, 2000), rng.randrange(0, 500)
            passages += [_passage(h, 0, cut, m, off, off + cut), _passage(h, cut, 3000, m, off + cut + 50, off + 3050)]
    members = set(early) | set(hubs) | set(late)
    times = _times(early + hubs + late)
    new_pairs, new_passages, via = bridge_pairs(members, pairs, passages, times, limit=5, min_degree=10)
    assert set(via) == {(a, b) for a in early[:5] for b in late}  # the five earliest, for each late copy
    assert all(h == 1 for h in via.values())  # equal shares: the lower id is tried first
    assert len(new_passages) > 2 * len(new_pairs)  # two passages on each side, mostly cut at different places

    def key(p):
        return (p.a_id, p.b_id, p.a_start, p.b_start)

    for _ in range(3):
        rng.shuffle(pairs)
        rng.shuffle(passages)
        again = bridge_pairs(members, pairs, passages, times, limit=5, min_degree=10)
        assert sorted(again[0], key=lambda p: (p.a_id, p.b_id)) == sorted(new_pairs, key=lambda p: (p.a_id, p.b_id))
        assert sorted(again[1], key=key) == sorted(new_passages, key=key)
        assert again[2] == via
