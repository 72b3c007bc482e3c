"""Fingerprints of an article's own text: winnowed hashes of normalised token n-grams.

Winnowing (Schleimer, Wilkerson & Aiken 2003) keeps the smallest n-gram hash in every window
of `winnow` consecutive n-grams, so any run of ngram + winnow - 1 shared tokens shares at least
one fingerprint while keeping about 2 / (winnow + 1) of the n-grams. N-grams touching a
boilerplate token are dropped, so boilerplate never makes two articles candidates.

Beside them, each sentence long enough to be an excerpt gets a **sentence-end key**: the hash of
its last `excerpt_words` words (top bit set; n-gram fingerprints keep it clear). A copy that kept
one whole sentence of a report shares that key with it even where the report's sentence began
after a dateline, and one shared key is enough for a candidate, while an n-gram fingerprint
shared by chance needs `min_shared`.

A page's headline gives **headline keys** (top bit set too): the hashes of its cores
(`newstrace.headlines`), so a page that kept or dressed up another's headline shares one with it.
They have no place in the text (span 0-0, never inside boilerplate).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..headlines import headline_cores, headline_hash
from .params import ReuseParams
from .tokens import CHAR, Tokens, _codes, _tables, mix64, ngram_hashes, range_hashes

_MAX = np.iinfo(np.uint64).max
KEY_BIT = np.uint64(1 << 63)  # set on sentence-end keys, clear on n-gram fingerprints
LOW_BITS = np.uint64((1 << 63) - 1)
_KEY_SALT = np.uint64(0x5EC7E2CE5EC7E2CE)
_ENDS = np.zeros(0x10000, dtype=bool)  # characters that end a sentence: . ! ? (CJK and Arabic forms too), … and \n
_ENDS[[ord(c) for c in ".!?\n\u3002\uff01\uff1f\u2026\u061f\u06d4"]] = True


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
    return np.unique(picked[picked != _MAX] & LOW_BITS)


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
    return g[pos] & LOW_BITS, tokens.starts[pos], tokens.ends[pos + params.ngram - 1]


def sentence_keys(tokens: Tokens, words: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sentence-end keys of every sentence of at least `words` words (twice as many tokens where a
    token is one character, as in Chinese): (key, character start, character end, first token).

    A sentence ends at . ! ? (and their CJK and Arabic forms), an ellipsis or a line break."""
    n = len(tokens)
    z = np.zeros(0, dtype=np.int64)
    if words <= 0 or n == 0 or tokens.codes is None:
        return np.zeros(0, dtype=np.uint64), z, z.copy(), z.copy()
    codes = np.minimum(tokens.codes, 0xFFFF)
    last = sentence_ends(tokens)
    first = np.concatenate(([True], last[:-1]))
    begin = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    stop = np.nonzero(last)[0]
    need = np.where(_tables().cls[codes[tokens.starts[stop]]] == CHAR, 2 * words, words)
    ok = stop - begin[stop] + 1 >= need
    e = stop[ok] + 1
    s = e - need[ok]
    keys = mix64(range_hashes(tokens.hashes, s, e) ^ _KEY_SALT) | KEY_BIT
    return keys, tokens.starts[s], tokens.ends[e - 1], s


def headline_keys(title: str) -> np.ndarray:
    """Sorted unique keys of the headline's cores (none for a headline too short to name a story)."""
    cores = headline_cores(title)
    if not cores:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.fromiter((headline_hash(c) for c in cores), dtype=np.uint64, count=len(cores)) | KEY_BIT)


def sentence_ends(tokens: Tokens, text: str = "") -> np.ndarray:
    """For each token, whether it ends its sentence: a sentence-ending character (or a line break) lies between it
    and the next token, or it is the last token. `text` is needed only when the tokens carry no code points."""
    n = len(tokens)
    codes = np.minimum(tokens.codes if tokens.codes is not None else _codes(text), 0xFFFF)
    ends_before = np.concatenate(([0], np.cumsum(_ENDS[codes], dtype=np.int64)))
    last = np.ones(n, dtype=bool)
    last[:-1] = ends_before[tokens.starts[1:]] > ends_before[tokens.ends[:-1]]
    return last


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
