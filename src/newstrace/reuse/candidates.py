"""Candidate article pairs from shared fingerprints: sort-based grouping over numpy arrays.

A fingerprint shared by too many articles (document frequency above `df_cap`) says nothing about
who copied whom and would make quadratic numbers of pairs, so it is ignored; a pair becomes a
candidate when it shares at least `min_shared` of the remaining fingerprints. New articles are
matched against an existing index and among themselves, so a full run is the incremental run
with an empty index, and both give the same pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

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
    so a lookup touches only the pages it needs.
    """

    segments: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    dead: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # sorted article ids

    def add(self, hashes: np.ndarray, articles: np.ndarray) -> None:
        if len(hashes):
            self.segments.append((hashes, articles))

    def __len__(self) -> int:
        return sum(len(h) for h, _ in self.segments)

    def lookup(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For sorted unique `query` hashes: count of live postings per hash, and (query index, article)."""
        counts = np.zeros(len(query), dtype=np.int64)
        qs: list[np.ndarray] = []
        arts: list[np.ndarray] = []
        for h, a in self.segments:
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
            if len(self.dead):
                live = ~np.isin(ai, self.dead)
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
    codes: list[np.ndarray] = []
    # pairs among new articles: groups of equal size handled as one 2-D block
    gsel = np.nonzero(keep & (cn >= 2))[0]
    for size in np.unique(cn[gsel]):
        g = gsel[cn[gsel] == size]
        block = new_articles[starts[g][:, None] + np.arange(size)]
        iu, ju = np.triu_indices(int(size), 1)
        codes.append(_pair_codes(block[:, iu].ravel(), block[:, ju].ravel()))
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
            codes.append(_pair_codes(newa[diff], olda[diff]))
    if not codes:
        return np.zeros((0, 3), dtype=np.int64)
    allc = np.concatenate(codes)
    pc, shared = np.unique(allc, return_counts=True)
    sel = shared >= params.min_shared
    pc, shared = pc[sel], shared[sel]
    return np.stack([pc >> 32, pc & 0xFFFFFFFF, shared], axis=1).astype(np.int64)
