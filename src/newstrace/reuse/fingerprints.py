"""Fingerprints of an article's own text: winnowed hashes of normalised token n-grams.

Winnowing (Schleimer, Wilkerson & Aiken 2003) keeps the smallest n-gram hash in every window
of `winnow` consecutive n-grams, so any run of ngram + winnow - 1 shared tokens shares at least
one fingerprint while keeping about 2 / (winnow + 1) of the n-grams. N-grams touching a
boilerplate token are dropped, so boilerplate never makes two articles candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .params import ReuseParams
from .tokens import Tokens, ngram_hashes

_MAX = np.iinfo(np.uint64).max


def token_mask(tokens: Tokens, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    """True for each token that starts inside one of the (sorted, disjoint) character ranges."""
    if not ranges or len(tokens) == 0:
        return np.zeros(len(tokens), dtype=bool)
    rs = np.fromiter((r[0] for r in ranges), dtype=np.int64, count=len(ranges))
    re_ = np.fromiter((r[1] for r in ranges), dtype=np.int64, count=len(ranges))
    k = np.searchsorted(rs, tokens.starts, side="right") - 1
    return (k >= 0) & (tokens.starts < re_[np.maximum(k, 0)])


def valid_ngrams(mask: np.ndarray, n: int) -> np.ndarray:
    """For each n-gram start, whether none of its n tokens is masked."""
    m = len(mask) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=bool)
    c = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return (c[n:n + m] - c[:m]) == 0


def window_argmins(hashes: np.ndarray, window: int) -> np.ndarray:
    """Position of the leftmost minimum of every full window (len(hashes) - window + 1 >= 1 values).

    `window` shifted minima beat an argmin over a strided 2-D view on short arrays."""
    k = len(hashes) - window + 1
    low = hashes[:k].copy()
    for r in range(1, window):
        np.minimum(low, hashes[r:r + k], out=low)
    pick = np.full(k, window - 1, dtype=np.int64)
    for r in range(window - 2, -1, -1):
        pick[hashes[r:r + k] == low] = r
    pick += np.arange(k)
    return pick


def drop_repeats(picks: np.ndarray) -> np.ndarray:
    """Window minima positions never move left, so their unique values are the non-repeats."""
    return picks[np.concatenate(([True], picks[1:] != picks[:-1]))] if len(picks) else picks


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions picked by winnowing (the minimum of each window; ties take the leftmost)."""
    m = len(hashes)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    if m <= window:
        return np.array([int(np.argmin(hashes))], dtype=np.int64)
    return drop_repeats(window_argmins(hashes, window))


def fingerprint(tokens: Tokens, mask: np.ndarray, params: ReuseParams) -> np.ndarray:
    """Sorted unique 64-bit fingerprints of an article's non-boilerplate text."""
    g = ngram_hashes(tokens.hashes, params.ngram)
    if len(g) == 0:
        return np.zeros(0, dtype=np.uint64)
    ok = valid_ngrams(mask, params.ngram)
    g = np.where(ok, g, np.uint64(_MAX))
    picked = g[winnow(g, params.winnow)]
    return np.unique(picked[picked != _MAX])


def fingerprint_spans(tokens: Tokens, params: ReuseParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Winnowed n-gram hashes with the character span of each n-gram, before any boilerplate is known.

    Computing these in the same pass as the boilerplate units (one tokenisation per article) and
    dropping the ones inside boilerplate later (`outside`) is what makes the batch pass cheap.
    """
    g = ngram_hashes(tokens.hashes, params.ngram)
    if len(g) == 0:
        z = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), z, z.copy()
    pos = winnow(g, params.winnow)
    return g[pos], tokens.starts[pos], tokens.ends[pos + params.ngram - 1]


def outside(hashes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
            ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    """Sorted unique hashes of the fingerprints whose span touches none of the (sorted, disjoint) ranges."""
    if ranges and len(hashes):
        rs = np.fromiter((r[0] for r in ranges), dtype=np.int64, count=len(ranges))
        re_ = np.fromiter((r[1] for r in ranges), dtype=np.int64, count=len(ranges))
        k = np.searchsorted(re_, starts, side="right")  # first range ending after the span starts
        hit = (k < len(rs)) & (rs[np.minimum(k, len(rs) - 1)] < ends)
        hashes = hashes[~hit]
    return np.unique(hashes)
