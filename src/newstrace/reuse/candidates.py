"""Candidate article pairs from shared fingerprints: sort-based grouping over numpy arrays.

A fingerprint shared by many articles would make quadratic numbers of pairs. Its holders are ranked
by article id (the order they came in): the first `df_cap` pair with each other, and each later one
only with the first `df_hubs` (0: with none), so a text republished by hundreds of sites still makes
a story at a cost linear in its copies. A pair becomes a candidate when it shares at least
`min_shared` fingerprints, or one sentence-end key (`fingerprints.sentence_keys`: a copy that kept a
single sentence) among the key's first `df_cap` holders. New articles are matched against an
existing index and among themselves, so a full run is the incremental run with an empty index, and
both give the same pairs and shared counts whatever the split (a pair is made when its later article
comes in, when every fingerprint of both is known).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .fingerprints import KEY_BIT
from .params import ReuseParams


def postings(ids: Sequence[int], fingerprints: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(hash, article) arrays sorted by hash then article, one row per fingerprint of each article."""
    if not ids:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    lens = np.fromiter((len(f) for f in fingerprints), dtype=np.int64, count=len(ids))
    h = np.concatenate(list(fingerprints)) if len(fingerprints) else np.zeros(0, dtype=np.uint64)
    a = np.repeat(np.asarray(ids, dtype=np.int64), lens)
    order = np.lexsort((a, h))
    return h[order].astype(np.uint64), a[order]


@dataclass
class FingerprintIndex:
    """An inverted index of fingerprints: sorted segments of (hash, article), searched by bisection.

    Segments may be numpy memory maps (the store keeps them as .npy files beside the database),
    so a lookup touches only the pages it needs. `dead[k]` (sorted article ids) are articles whose
    postings in segment k are obsolete: they were redone and posted again in a later segment, and
    are dropped when the segments are merged, so segments stay immutable files.
    """

    segments: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    dead: list[np.ndarray] = field(default_factory=list)

    def add(self, hashes: np.ndarray, articles: np.ndarray, dead: np.ndarray | None = None) -> None:
        if len(hashes):
            self.dead += [_NONE] * (len(self.segments) - len(self.dead))
            self.segments.append((hashes, articles))
            self.dead.append(_NONE if dead is None else np.asarray(dead, dtype=np.int64))

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self.segments)

    def _dead(self, k: int) -> np.ndarray:
        return self.dead[k] if k < len(self.dead) else _NONE

    def lookup(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For sorted unique `query` hashes: count of live postings per hash, and (query index, article)."""
        counts = np.zeros(len(query), dtype=np.int64)
        qs: list[np.ndarray] = []
        arts: list[np.ndarray] = []
        for k, (h, a) in enumerate(self.segments):
            lo = np.searchsorted(h, query, side="left")
            hi = np.searchsorted(h, query, side="right")
            n = hi - lo
            hit = np.nonzero(n)[0]
            if len(hit) == 0:
                continue
            reps = n[hit]
            qi = np.repeat(hit, reps)
            pos = np.repeat(lo[hit], reps) + _ramp(reps)
            ai = np.asarray(a[pos], dtype=np.int64)
            dead = self._dead(k)
            if len(dead):
                live = ~np.isin(ai, dead)
                qi, ai = qi[live], ai[live]
            counts += np.bincount(qi, minlength=len(query))
            qs.append(qi)
            arts.append(ai)
        if not qs:
            return counts, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        qi = np.concatenate(qs)
        ai = np.concatenate(arts)
        order = np.lexsort((ai, qi))
        return counts, qi[order], ai[order]


_NONE = np.zeros(0, dtype=np.int64)
MERGE_BLOCK = 1 << 22  # postings per segment per block of a streaming merge (~50 MB of working memory)


def live_postings(segments: Sequence[tuple[np.ndarray, np.ndarray]], dead: Sequence[np.ndarray],
                  block: int = MERGE_BLOCK) -> int:
    """How many postings `merge_segments` will yield (read a block at a time)."""
    total = 0
    for k, (h, a) in enumerate(segments):
        d = dead[k] if k < len(dead) else _NONE
        total += len(h)
        if len(d):
            for i in range(0, len(a), block):
                total -= int(np.isin(np.asarray(a[i:i + block], dtype=np.int64), d).sum())
    return total


def merge_segments(segments: Sequence[tuple[np.ndarray, np.ndarray]], dead: Sequence[np.ndarray],
                   block: int = MERGE_BLOCK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The live postings of sorted segments as consecutive sorted blocks (hash, then article).

    A streaming k-way merge by hash range: pivots are every (`block` / number of segments)-th hash
    of every segment, so one block holds at most about `block` postings whatever the segments'
    sizes, and equal hashes never straddle two blocks. Memory follows the block, not the index.
    """
    segs = [(h, a) for h, a in segments]
    if not segs:
        return
    step = max(1, block // len(segs))
    piv = np.unique(np.concatenate([np.asarray(h[step::step], dtype=np.uint64) for h, _ in segs]))
    cuts = [np.searchsorted(h, piv, side="left") for h, _ in segs]
    bounds = [np.concatenate(([0], c, [len(h)])) for c, (h, _) in zip(cuts, segs, strict=True)]
    for b in range(len(piv) + 1):
        hs: list[np.ndarray] = []
        arts: list[np.ndarray] = []
        for k, (h, a) in enumerate(segs):
            lo, hi = int(bounds[k][b]), int(bounds[k][b + 1])
            if hi <= lo:
                continue
            hh = np.asarray(h[lo:hi], dtype=np.uint64)
            aa = np.asarray(a[lo:hi], dtype=np.int64)
            d = dead[k] if k < len(dead) else _NONE
            if len(d):
                live = ~np.isin(aa, d)
                hh, aa = hh[live], aa[live]
            hs.append(hh)
            arts.append(aa)
        if not hs:
            continue
        hh, aa = np.concatenate(hs), np.concatenate(arts)
        if len(hh):
            order = np.lexsort((aa, hh))
            yield hh[order], aa[order]


def _wide_pairs(old: np.ndarray, new: np.ndarray, cap: int, hubs: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes for one fingerprint held by more than `cap` articles, from its indexed holders `old` and new ones
    `new`. Holders are ranked by id (a redone article keeps its place); holders i < j pair when j < cap or
    i < hubs, and only pairs with a new side are made here (the others were made when their later side was new).
    Returns (all codes, codes among the first `cap` holders)."""
    holders = np.concatenate((old, new)).astype(np.int64)
    is_new = np.concatenate((np.zeros(len(old), dtype=bool), np.ones(len(new), dtype=bool)))
    order = np.argsort(holders, kind="stable")
    holders, is_new = holders[order], is_new[order]
    n = len(holders)
    top = min(n, cap)
    first = np.zeros(0, dtype=np.int64)
    if is_new[:top].any():  # the first `cap` holders pair with each other
        iu, ju = _triu(top)
        sel = is_new[iu] | is_new[ju]
        first = _pair_codes(holders[iu[sel]], holders[ju[sel]])
    out = [first]
    if n > cap and hubs:  # every later holder pairs with the hubs
        hub, hub_new = holders[:hubs], is_new[:hubs]
        later, later_new = holders[cap:], is_new[cap:]
        for side, with_hubs in ((later[later_new], hub[~hub_new]), (later, hub[hub_new])):
            if len(side) and len(with_hubs):
                out.append(_pair_codes(np.repeat(side, len(with_hubs)), np.tile(with_hubs, len(side))))
    codes = np.concatenate(out)
    keep = (codes >> 32) != (codes & 0xFFFFFFFF)
    return codes[keep], first[(first >> 32) != (first & 0xFFFFFFFF)]


@lru_cache(maxsize=8)
def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, 1)


class _Tally:
    """Pair codes with the number of fingerprints behind each, compacted as they grow: a story on tens of
    thousands of sites makes the same hub pairs once per fingerprint, and memory must follow the distinct pairs."""

    def __init__(self, limit: int = 1 << 22) -> None:
        self.codes: list[np.ndarray] = []
        self.counts: list[np.ndarray | None] = []
        self.pending = 0
        self.limit = limit

    def add(self, codes: np.ndarray) -> None:
        if len(codes):
            self.codes.append(codes)
            self.counts.append(None)
            self.pending += len(codes)
            if self.pending > self.limit:
                self._compact()

    def _compact(self) -> None:
        c = np.concatenate(self.codes)
        w = np.concatenate([np.ones(len(x), dtype=np.int64) if k is None else k
                            for x, k in zip(self.codes, self.counts, strict=True)])
        pc, inv = np.unique(c, return_inverse=True)
        self.codes, self.counts = [pc], [np.bincount(inv, weights=w, minlength=len(pc)).astype(np.int64)]
        self.pending = 0
        self.limit = max(self.limit, 2 * len(pc))

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.codes:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if len(self.codes) > 1 or self.counts[0] is None:
            self._compact()
        counts = self.counts[0]
        assert counts is not None
        return self.codes[0], counts


def _ramp(reps: np.ndarray) -> np.ndarray:
    """0..r-1 for each r in reps, concatenated."""
    total = int(reps.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.cumsum(reps) - reps
    return np.arange(total, dtype=np.int64) - np.repeat(starts, reps)


def _pair_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    return (lo << 32) | hi


def find_candidates(new_hashes: np.ndarray, new_articles: np.ndarray, params: ReuseParams,
                    index: FingerprintIndex | None = None) -> np.ndarray:
    """Candidate pairs among the new postings and between them and `index`: rows (a_id, b_id, shared).

    `new_hashes`/`new_articles` come from `postings` (sorted). a_id < b_id in every row.
    """
    if len(new_hashes) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    starts = np.concatenate(([0], np.nonzero(np.diff(new_hashes))[0] + 1))
    uniq = new_hashes[starts]
    cn = np.diff(np.concatenate((starts, [len(new_hashes)])))
    if index is not None and len(index):
        co, oq, oa = index.lookup(uniq)
    else:
        co, oq, oa = np.zeros(len(uniq), dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    df = cn + co
    keep = (df >= 2) & (df <= params.df_cap)
    wide = np.nonzero(df > params.df_cap)[0]
    hubs = min(params.df_hubs, params.df_cap)
    rare = keep & ((uniq & KEY_BIT) != 0)  # one sentence-end key is enough: an excerpt shares little else
    tally = _Tally()
    rare_codes: list[np.ndarray] = []
    # pairs among new articles: groups of equal size handled as one 2-D block
    gsel = np.nonzero(keep & (cn >= 2))[0]
    for size in np.unique(cn[gsel]):
        g = gsel[cn[gsel] == size]
        block = new_articles[starts[g][:, None] + np.arange(size)]
        iu, ju = np.triu_indices(int(size), 1)
        c = _pair_codes(block[:, iu].ravel(), block[:, ju].ravel())
        tally.add(c)
        rare_codes.append(c.reshape(len(g), -1)[rare[g]].ravel())
    # widely shared fingerprints: all pairs among the first df_cap holders, then each later one with the hubs; a
    # key makes a candidate on its own among the first df_cap holders only
    if len(wide):
        ocount_all = np.bincount(oq, minlength=len(uniq)) if len(oq) else np.zeros(len(uniq), dtype=np.int64)
        ooff_all = np.cumsum(ocount_all) - ocount_all
        for u in wide.tolist():
            old = oa[ooff_all[u]:ooff_all[u] + ocount_all[u]]
            new = new_articles[starts[u]:starts[u] + cn[u]]
            c, first = _wide_pairs(old, new, params.df_cap, hubs)
            tally.add(c)
            if int(uniq[u]) & int(KEY_BIT):
                rare_codes.append(first)
    # pairs between new and indexed articles
    if len(oq):
        okeep = keep[oq]
        oq, oa = oq[okeep], oa[okeep]
        ocount = np.bincount(oq, minlength=len(uniq))
        ooff = np.cumsum(ocount) - ocount
        qidx = np.repeat(np.arange(len(uniq)), cn)  # query index of each new posting
        reps = ocount[qidx]
        if reps.sum():
            newa = np.repeat(new_articles, reps)
            olda = oa[np.repeat(ooff[qidx], reps) + _ramp(reps)]
            diff = newa != olda
            c = _pair_codes(newa[diff], olda[diff])
            tally.add(c)
            rare_codes.append(c[np.repeat(rare[qidx], reps)[diff]])
    pc, shared = tally.result()
    if not len(pc):
        return np.zeros((0, 3), dtype=np.int64)
    sel = shared >= params.min_shared
    if rare_codes:
        sel |= np.isin(pc, np.concatenate(rare_codes))
    pc, shared = pc[sel], shared[sel]
    return np.stack([pc >> 32, pc & 0xFFFFFFFF, shared], axis=1).astype(np.int64)
