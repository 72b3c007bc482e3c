"""Local alignment of two articles into shared passages, with the edits inside each.

Anchors are seed n-grams that occur exactly once in each text (outside boilerplate). Sorted by
their position in A, consecutive anchors that advance in both texts by at most `max_gap` tokens
form a chain; a jump backwards in B (a reordered paragraph) or a long gap (a cut, a long
insertion) starts a new chain. Chains are then merged when they abut, kept when long enough,
and the unmatched stretches between their anchors become the edits (a word-level difflib diff
inside each small gap). No global alignment, so reordering never breaks a passage.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..headlines import headline_cores
from ..models import ArticlePair, Edit, Passage
from .boilerplate import merge_ranges
from .fingerprints import sentence_ends, token_mask, valid_ngrams
from .params import ReuseParams
from .tokens import CHAR, Tokens, _tables, ngram_hashes, tokenize

_MAX_DIFF_GAP = 60  # tokens: larger gaps are reported as one substitution without a word diff
_PUNCT_EXTEND = 3  # characters of punctuation (quotes, full stops) taken in at each end of a passage


@dataclass(slots=True)
class Prepared:
    """One article ready for alignment: its text, tokens, boilerplate mask and unique seed n-grams."""

    id: int
    text: str
    tokens: Tokens
    ranges: list[tuple[int, int]]
    seed_hash: np.ndarray  # sorted unique seed n-gram hashes occurring once, outside boilerplate
    seed_pos: np.ndarray  # token position of each
    word_weight: float = 1.0  # what a token is worth in words: 0.5 for one character of Chinese, Thai...
    site: str = ""  # the article's site, where known: an excerpt never pairs two pages of one site
    headline: str = ""  # the normalised headline ...
    cores: frozenset[str] = frozenset()  # ... and its cores (`newstrace.headlines`)

    def headline_kept(self, other: Prepared) -> bool:
        """Whether one of the two pages kept, or dressed up, the other's whole headline."""
        return bool((self.headline and self.headline in other.cores)
                    or (other.headline and other.headline in self.cores))


def prepare(article_id: int, text: str, ranges: Sequence[tuple[int, int]], params: ReuseParams,
            tokens: Tokens | None = None, site: str = "", title: str = "") -> Prepared:
    tokens = tokens if tokens is not None else tokenize(text)
    mask = token_mask(tokens, ranges)
    g = ngram_hashes(tokens.hashes, params.seed_ngram)
    pos = np.nonzero(valid_ngrams(mask, params.seed_ngram))[0]
    g = g[pos]
    uniq, first, cnt = np.unique(g, return_index=True, return_counts=True)
    once = cnt == 1
    weight = 1.0
    if len(tokens) and tokens.codes is not None:
        first_code = np.minimum(tokens.codes[tokens.starts], 0xFFFF)
        weight = 1.0 - 0.5 * float(np.mean(_tables().cls[first_code] == CHAR))
    cores = headline_cores(title) if title and params.linked_words else []
    return Prepared(article_id, text, tokens, list(ranges), uniq[once], pos[first[once]], weight, site,
                    cores[0] if cores else "", frozenset(cores))


def _extend(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in adjacent punctuation (a closing full stop, opening quotes) but never spaces or words."""
    k = 0
    while k < _PUNCT_EXTEND and end < len(text) and not text[end].isspace() and not text[end].isalnum():
        end += 1
        k += 1
    k = 0
    while k < _PUNCT_EXTEND and start > 0 and not text[start - 1].isspace() and not text[start - 1].isalnum():
        start -= 1
        k += 1
    return start, end


def _common(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices into two sorted unique arrays of their common values (`intersect1d` without the sort)."""
    if len(x) > len(y):
        iy, ix = _common(y, x)
        return ix, iy
    if len(x) == 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z.copy()
    k = np.searchsorted(y, x)
    np.minimum(k, len(y) - 1, out=k)
    hit = y[k] == x
    return np.nonzero(hit)[0], k[hit]


def _chains(i: np.ndarray, j: np.ndarray, s: int, gap: int) -> list[tuple[int, int]]:
    """Index ranges [lo, hi) of anchors (sorted by i) that form monotone chains."""
    if len(i) == 0:
        return []
    di = i[1:] - i[:-1]
    dj = j[1:] - j[:-1]
    brk = (di > gap + s) | (dj <= 0) | (dj > gap + s)
    cuts = np.concatenate(([0], np.nonzero(brk)[0] + 1, [len(i)]))
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))


def align(a: Prepared, b: Prepared, params: ReuseParams) -> list[Passage]:
    """All passages shared by two prepared articles, A-side order; ids as given (no reordering).

    Two pages of two sites one of which kept or dressed up the other's headline share that already: they
    pair under `params.linked()`, as if one linked the other in a credit line."""
    if params.linked_words and params.min_words > params.linked_words and not (a.site and a.site == b.site) \
            and a.headline_kept(b):
        params = params.linked()
    ia, ib = _common(a.seed_hash, b.seed_hash)
    if len(ia) < max(2, (params.min_words - params.seed_ngram + 1) // 3):
        return []  # too few anchors for any passage of min_words, even with edits every few words
    i = a.seed_pos[ia]
    j = b.seed_pos[ib]
    order = np.argsort(i, kind="stable")
    i, j = i[order], j[order]
    s = params.seed_ngram
    gap = params.max_gap
    chains = [(lo, hi) for lo, hi in _chains(i, j, s, gap) if hi - lo >= 2 or s >= params.min_words]
    # merge chains that abut in both texts (a stray anchor between them had split them)
    merged: list[list[int]] = []
    for lo, hi in chains:
        if merged:
            plo, phi = merged[-1]
            ai_end, bj_end = int(i[phi - 1]) + s, int(j[phi - 1]) + s
            ga, gb = int(i[lo]) - ai_end, int(j[lo]) - bj_end
            if -s < ga <= gap and -s < gb <= gap:
                merged[-1][1] = hi
                continue
        merged.append([lo, hi])
    out: list[Passage] = []
    best = 0.0
    run = (0, 0, 0)  # the longest unbroken verbatim run: tokens, first token in A, first token in B
    weight = (a.word_weight + b.word_weight) / 2
    for lo, hi in merged:
        ci = i[lo:hi]
        cj = j[lo:hi]
        keep = np.concatenate(([True], cj[1:] > cj[:-1]))  # after merging, keep B monotone
        ci, cj = ci[keep], cj[keep]
        p = _passage(a, b, ci, cj, s)
        if min(p.a_words, p.b_words) * weight >= params.min_extra_words:
            out.append(p)
            best = max(best, p.similarity * (p.a_words + p.b_words) / 2 * weight)  # matching words
            run = max(run, _longest_run(ci, cj, s))
    # short passages count only beside a long one: once B is known to copy A, a moved 15-word
    # paragraph is part of the copy; on its own it may be a stock phrase. The long one is judged
    # on its matching words, so two stock phrases a few words apart do not make a pair. A short
    # copy that kept one sentence (16-19 words) has no such passage, but its sentence is one
    # unbroken verbatim run: that is enough from `min_exact_share` of `min_words` on, while
    # stock phrases joined across a gap never are. Shorter still, an excerpt: one whole sentence
    # of `excerpt_words`, word for word and a sentence on both sides (a stock phrase is a piece
    # of a sentence; a blog quoting one line of a report keeps the line whole). Never between two
    # pages of one site: a sentence a site repeats is its furniture (a video notice, a sign-off)
    # that a small sample of its pages does not yet show as boilerplate.
    long_enough = best >= params.min_words or run[0] * weight >= params.min_exact_share * params.min_words
    if not long_enough and not _is_excerpt(a, b, run, weight, params):
        return []
    return out


def _is_excerpt(a: Prepared, b: Prepared, run: tuple[int, int, int], weight: float, params: ReuseParams) -> bool:
    if not params.excerpt_words or run[0] * weight < params.excerpt_words or (a.site and a.site == b.site):
        return False
    return excerpt_words(a, b, *run) * weight >= params.excerpt_words


def _longest_run(ci: np.ndarray, cj: np.ndarray, s: int) -> tuple[int, int, int]:
    """The longest gap-free verbatim stretch of a chain (anchors on one diagonal that abut or overlap):
    (tokens, first token in A, first token in B)."""
    if len(ci) == 0:
        return (0, 0, 0)
    dx, dy = ci[1:] - ci[:-1], cj[1:] - cj[:-1]
    brk = np.nonzero(~((dx == dy) & (dx <= s)))[0]
    first = np.concatenate(([0], brk + 1))
    last = np.concatenate((brk, [len(ci) - 1]))
    k = int(np.argmax(ci[last] - ci[first]))
    return (int(ci[last[k]] - ci[first[k]]) + s, int(ci[first[k]]), int(cj[first[k]]))


def _boundaries(p: Prepared, start: int, n: int) -> list[bool]:
    """For k in 0..n: whether a sentence ends between token start+k-1 and token start+k (the text's ends count)."""
    ends = sentence_ends(p.tokens, p.text)
    return [k <= 0 or k >= len(ends) or bool(ends[k - 1]) for k in range(start, start + n + 1)]


def excerpt_words(a: Prepared, b: Prepared, n: int, ia: int, ib: int) -> int:
    """Tokens of the longest stretch of a verbatim run of `n` tokens (from token `ia` in A, `ib` in B) that is
    whole sentences in one text and begins or ends a sentence in the other too: a copy that kept one sentence
    of a report whose first sentence follows a dateline ("MOSCOW, March 5 (Agency) - The ministry said ...")."""
    ba, bb = _boundaries(a, ia, n), _boundaries(b, ib, n)
    best = 0
    for s in range(n):
        if not (ba[s] or bb[s]):
            continue
        for e in range(n, s + best, -1):
            whole = (ba[s] and ba[e]) or (bb[s] and bb[e])
            if whole and ((ba[s] and bb[s]) or (ba[e] and bb[e])):
                best = e - s
                break
    return best


def _passage(a: Prepared, b: Prepared, ci: np.ndarray, cj: np.ndarray, s: int) -> Passage:
    """One passage from a chain of anchors; anchors that disagree with the chain so far are skipped."""
    dx, dy = ci[1:] - ci[:-1], cj[1:] - cj[:-1]
    cont = (dx == dy) & (dx <= s)  # the same diagonal, overlapping or abutting: all matched
    jump = ~cont & (dx >= s) & (dy >= s)  # a gap on one side or both: diff what lies between
    edits: list[Edit] = []
    if bool(np.all(cont | jump)):  # the usual case, without a Python loop over every anchor
        matched = s + int(dx[cont].sum()) + s * int(jump.sum())
        for k in np.nonzero(jump)[0].tolist():
            px, py, x, y = int(ci[k]), int(cj[k]), int(ci[k + 1]), int(cj[k + 1])
            matched += _gap_edits(a, b, px + s, x, py + s, y, edits)
        a0, b0, a1, b1 = int(ci[0]), int(cj[0]), int(ci[-1]) + s, int(cj[-1]) + s
    else:
        px, py = int(ci[0]), int(cj[0])
        a0, b0 = px, py
        matched = s
        for x, y in zip(ci[1:].tolist(), cj[1:].tolist(), strict=True):
            ddx, ddy = x - px, y - py
            if ddx == ddy and ddx <= s:
                matched += ddx
            elif ddx >= s and ddy >= s:
                matched += _gap_edits(a, b, px + s, x, py + s, y, edits) + s
            else:  # overlaps the previous anchor on a shifted diagonal (a repeated word): ambiguous
                continue
            px, py = x, y
        a1, b1 = px + s, py + s
    a_words, b_words = a1 - a0, b1 - b0
    sa, ea = _extend(a.text, int(a.tokens.starts[a0]), int(a.tokens.ends[a1 - 1]))
    sb, eb = _extend(b.text, int(b.tokens.starts[b0]), int(b.tokens.ends[b1 - 1]))
    sim = min(1.0, 2.0 * matched / (a_words + b_words))
    return Passage(a.id, b.id, sa, ea, sb, eb, a_words, b_words, round(sim, 4), edits)


def _span(p: Prepared, lo: int, hi: int) -> str:
    return p.text[int(p.tokens.starts[lo]):int(p.tokens.ends[hi - 1])] if hi > lo else ""


def _gap_edits(a: Prepared, b: Prepared, a0: int, a1: int, b0: int, b1: int, edits: list[Edit]) -> int:
    """Edits for the unmatched tokens a[a0:a1] vs b[b0:b1]; returns the tokens that still match inside."""
    la, lb = a1 - a0, b1 - b0
    if la == 0 and lb == 0:
        return 0
    if la == 0 or lb == 0 or la > _MAX_DIFF_GAP or lb > _MAX_DIFF_GAP:
        op = "insert" if la == 0 else "delete" if lb == 0 else "substitute"
        edits.append(Edit(op, _span(a, a0, a1), _span(b, b0, b1)))
        return 0
    if la == lb and np.array_equal(a.tokens.hashes[a0:a1], b.tokens.hashes[b0:b1]):
        return la  # the same words where no unique anchor fell (repeated n-grams): nothing to diff
    ha = a.tokens.hashes[a0:a1].tolist()
    hb = b.tokens.hashes[b0:b1].tolist()
    sm = difflib.SequenceMatcher(None, ha, hb, autojunk=False)
    same = 0
    for tag, x0, x1, y0, y1 in sm.get_opcodes():
        if tag == "equal":
            same += x1 - x0
            continue
        op = {"replace": "substitute", "delete": "delete", "insert": "insert"}[tag]
        edits.append(Edit(op, _span(a, a0 + x0, a0 + x1), _span(b, b0 + y0, b0 + y1)))
    return same


def align_pair(a_text: str, b_text: str, a_masks: Sequence[tuple[int, int]] = (),
               b_masks: Sequence[tuple[int, int]] = (), params: ReuseParams | None = None,
               a_id: int = 0, b_id: int = 1) -> list[Passage]:
    """Passages shared by two texts (boilerplate ranges excluded), offsets into each text."""
    params = params or ReuseParams()
    return align(prepare(a_id, a_text, a_masks, params), prepare(b_id, b_text, b_masks, params), params)


def _covered(ranges: list[tuple[int, int]], minus: list[tuple[int, int]]) -> int:
    """Characters in the union of `ranges` that are outside `minus`."""
    total = 0
    union = merge_ranges(ranges)
    for s, e in union:
        total += e - s
        for ms, me in minus:
            lo, hi = max(s, ms), min(e, me)
            if hi > lo:
                total -= hi - lo
    return total


def summarise(a_id: int, b_id: int, passages: Sequence[Passage], a_len: int, b_len: int,
              a_masks: Sequence[tuple[int, int]] = (), b_masks: Sequence[tuple[int, int]] = ()) -> ArticlePair:
    """The pair's summary; coverage = share of each side's non-boilerplate characters in passages."""
    am, bm = merge_ranges(a_masks), merge_ranges(b_masks)
    a_own = max(1, a_len - sum(e - s for s, e in am))
    b_own = max(1, b_len - sum(e - s for s, e in bm))
    cov_a = _covered([(p.a_start, p.a_end) for p in passages], am) / a_own
    cov_b = _covered([(p.b_start, p.b_end) for p in passages], bm) / b_own
    words = sum(min(p.a_words, p.b_words) for p in passages)
    sim = sum(p.similarity * min(p.a_words, p.b_words) for p in passages) / words if words else 0.0
    return ArticlePair(a_id, b_id, len(passages), words, round(min(1.0, cov_a), 4), round(min(1.0, cov_b), 4),
                       round(sim, 4))
