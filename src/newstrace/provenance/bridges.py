"""Pairs reuse did not align, bridged through a page both share the text with.

Reuse pairs the later holders of a passage held by more than `df_cap` pages only with its first `df_hubs`
holders (`reuse.candidates`): in a story run by hundreds of sites, a copy shares text with ten hubs, and the wire
every copy took the text from need not be one of them. Text C shares with hub H that H shares with W is text C
shares with W, so `bridge_pairs` gives C the earliest such pages as pairs of their own, their passages mapped
through H. Only hubs (pages with many neighbours) bridge, and only to pages published before every neighbour C
already has: in a story whose pages each share text with only a few others, nothing is added.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from ..models import ArticlePair, Passage

__all__ = ["KIND", "bridge_pairs", "detail", "extend", "hub_of", "through"]

_Key = tuple[int, int]
KIND = "bridge"  # the evidence kind of a bridged edge
MIN_CHARS = 40  # a mapped piece shorter than this on either side is a sliver of two passage edges
_DETAIL = re.compile(r"mapped through #(\d+)")


def detail(hub: int) -> str:
    """The words of a bridged edge's evidence (`hub_of` reads the hub back)."""
    return (f"shared text mapped through #{hub}, which holds it too: reuse pairs the later pages of a passage on "
            "very many pages with its first ones only")


def hub_of(text: str | None) -> int | None:
    """The hub a bridged edge's evidence `detail` names."""
    m = _DETAIL.search(text or "")
    return int(m.group(1)) if m else None


def _sides(p: Passage, x: int) -> tuple[int, int, int, int, int, int, float]:
    """(x start, x end, other start, other end, x words, other words, similarity) of passage `p` seen from `x`."""
    if p.a_id == x:
        return p.a_start, p.a_end, p.b_start, p.b_end, p.a_words, p.b_words, p.similarity
    return p.b_start, p.b_end, p.a_start, p.a_end, p.b_words, p.a_words, p.similarity


def through(c: int, h: int, w: int, ch: list[Passage], hw: list[Passage]) -> list[Passage]:
    """Passages of (c, w) from those of (c, h) and (h, w): where two cover the same stretch of h, the stretches
    of c and w they align with it (offsets mapped linearly inside each passage; slivers under `MIN_CHARS` on
    either side dropped). Their similarity is the lower of the two; their word edits are not known."""
    out = []
    for p in ch:
        hs, he, cs, ce, _hw, cwords, s1 = _sides(p, h)
        if he <= hs or ce <= cs:
            continue
        for q in hw:
            hs2, he2, ws, we, _h2, wwords, s2 = _sides(q, h)
            lo, hi = max(hs, hs2), min(he, he2)
            if hi <= lo or we <= ws or he2 <= hs2:
                continue
            c0 = cs + (lo - hs) * (ce - cs) // (he - hs)
            c1 = cs + (hi - hs) * (ce - cs) // (he - hs)
            w0 = ws + (lo - hs2) * (we - ws) // (he2 - hs2)
            w1 = ws + (hi - hs2) * (we - ws) // (he2 - hs2)
            if c1 - c0 < MIN_CHARS or w1 - w0 < MIN_CHARS:
                continue
            cw = max(1, cwords * (c1 - c0) // (ce - cs))
            ww = max(1, wwords * (w1 - w0) // (we - ws))
            if c < w:
                out.append(Passage(c, w, c0, c1, w0, w1, cw, ww, min(s1, s2)))
            else:
                out.append(Passage(w, c, w0, w1, c0, c1, ww, cw, min(s1, s2)))
    return out


def _chars(ps: Iterable[Passage], x: int) -> int:
    return sum(max(0, _sides(p, x)[1] - _sides(p, x)[0]) for p in ps)


def _coverage(pair: ArticlePair, x: int) -> float:
    return pair.coverage_a if pair.a_id == x else pair.coverage_b


def bridge_pairs(members: set[int], pairs: Iterable[ArticlePair], passages: Iterable[Passage],
                 time_key: Callable[[int], object], limit: int = 10, min_degree: int = 40,
                 min_share: float = 0.5, max_looked: int = 50, max_hubs: int = 10
                 ) -> tuple[list[ArticlePair], list[Passage], dict[_Key, int]]:
    """Bridged pairs and their passages, and the page each bridge goes through, keyed (lower id, higher id).

    For each member C, the members published before C and before every neighbour of C (`time_key` orders
    them; at most `max_looked` looked at, `limit` bridged) that share a neighbour H with C, H having at least
    `min_degree` neighbours (a hub: in a story small enough for reuse to pair everything, a missing pair means
    too little shared text). C's hubs are tried sharing most text with C first (at most `max_hubs`); the bridge
    goes through the first whose mapped passages cover at least `min_share` of what C shares with it.
    Pure, and the same whatever order the pairs come in.
    """
    nbrs: dict[int, set[int]] = defaultdict(set)
    pair_of: dict[_Key, ArticlePair] = {}
    for pr in pairs:
        if pr.a_id in members and pr.b_id in members and pr.a_id != pr.b_id:
            nbrs[pr.a_id].add(pr.b_id)
            nbrs[pr.b_id].add(pr.a_id)
            pair_of[(min(pr.a_id, pr.b_id), max(pr.a_id, pr.b_id))] = pr
    if not any(len(v) >= min_degree for v in nbrs.values()):  # no hub: every story small enough for reuse
        return [], [], {}
    by_pair: dict[_Key, list[Passage]] = defaultdict(list)
    for ps in passages:
        key = (min(ps.a_id, ps.b_id), max(ps.a_id, ps.b_id))
        if key in pair_of:
            by_pair[key].append(ps)
    for ps_list in by_pair.values():
        ps_list.sort(key=lambda p: (p.a_start, p.b_start, p.a_end, p.b_end))
    order = sorted(members, key=time_key)
    rank = {m: i for i, m in enumerate(order)}
    new_pairs: dict[_Key, ArticlePair] = {}
    new_passages: dict[_Key, list[Passage]] = {}
    via: dict[_Key, int] = {}
    for c in order:
        nb = nbrs.get(c)
        hubs = [h for h in nb or () if len(nbrs[h]) >= min_degree]
        if not hubs:
            continue
        before = min(rank[c], min(rank[q] for q in nb))
        if not before:
            continue
        held = {h: _chars(by_pair.get((min(c, h), max(c, h)), []), c) for h in hubs}  # what c shares with each
        hubs = sorted(hubs, key=lambda h: (-held[h], h))[:max_hubs]  # ...the hubs sharing most first
        added = 0
        for w in order[: min(before, max_looked)]:
            if added >= limit:
                break
            w_nbrs = nbrs.get(w, set())
            best: tuple[int, int, list[Passage]] | None = None
            for h in hubs:  # the first hub through which w holds enough of c's text
                if h not in w_nbrs:
                    continue
                mapped = through(c, h, w, by_pair.get((min(c, h), max(c, h)), []),
                                 by_pair.get((min(h, w), max(h, w)), []))
                got = _chars(mapped, c)
                if got and got >= min_share * held[h]:
                    best = (got, h, mapped)
                    break
            if best is None:
                continue
            got, h, mapped = best
            key = (min(c, w), max(c, w))  # never a stored pair: w came before every neighbour of c
            ch_pair, hw_pair = pair_of[(min(c, h), max(c, h))], pair_of[(min(h, w), max(h, w))]
            cov_c = _coverage(ch_pair, c) * got / max(1, held[h])
            w_got = _chars(mapped, w)
            cov_w = _coverage(hw_pair, w) * w_got / max(1, _chars(by_pair[(min(h, w), max(h, w))], w))
            words = sum(p.a_words if p.a_id == c else p.b_words for p in mapped)
            sim = min(p.similarity for p in mapped)
            a_cov, b_cov = (cov_c, cov_w) if c < w else (cov_w, cov_c)
            new_pairs[key] = ArticlePair(key[0], key[1], len(mapped), words, round(min(1.0, a_cov), 4),
                                         round(min(1.0, b_cov), 4), sim)
            new_passages[key] = mapped
            via[key] = h
            added += 1
    return list(new_pairs.values()), [p for ps in new_passages.values() for p in ps], via


def extend(members: set[int], pairs: list[ArticlePair], passages: list[Passage], time_key: Callable[[int], object],
           limit: int = 10, min_degree: int = 40) -> tuple[list[ArticlePair], list[Passage], dict[_Key, int]]:
    """The story's pairs and passages with its bridged ones added, and the hub of each bridge (`bridge_pairs`)."""
    more_pairs, more_passages, via = bridge_pairs(members, pairs, passages, time_key, limit, min_degree)
    return ([*pairs, *more_pairs], [*passages, *more_passages], via) if via else (pairs, passages, via)
