"""The reuse engine's batch entry points: pure functions over plain articles (id, site, text).

Both runners call these and nothing else: the local runner (`runner.py`, a process pool and the
store) and a Spark runner (batches in `mapPartitions`). The flow for a batch of new articles:

1. `analyse` each article (one tokenisation: paragraph/sentence units, winnowed fingerprints with
   their spans) → `count_units` (per-site document frequencies, merged with the prior) →
   `learn_boilerplate` → a `BoilerplateModel`;
2. `finish` each article → its boilerplate ranges and the fingerprints outside them;
3. `postings` + `find_candidates` (against the index of earlier articles, and among the new);
4. `align_pairs` for the candidate pairs → `Passage`s and an `ArticlePair` per pair sharing text; pairs
   where one page links to the other in a credit line (`split_linked`) are aligned under looser rules.

`reuse_in_memory` runs all four on one list of articles (tests, benchmarks, small corpora).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from ..models import ArticlePair, Passage
from .align import Prepared, align, prepare, summarise
from .boilerplate import (
    BoilerplateModel,
    UnitCounts,
    Units,
    article_units,
    boilerplate_ranges,
    count_units,
    learn_boilerplate,
    units_and_paragraphs,
)
from .candidates import FingerprintIndex, find_candidates, postings
from .fingerprints import (
    LOW_BITS,
    drop_repeats,
    fingerprint_spans,
    headline_keys,
    outside,
    sentence_keys,
    window_argmins,
)
from .params import ReuseParams
from .tokens import cut, ngram_hashes, tokenize, tokenize_many

Ranges = list[tuple[int, int]]


@dataclass(slots=True)
class Doc:
    """The plain article the engine needs: id, site (registered domain) and text."""

    id: int
    site: str
    text: str
    title: str = ""  # the headline: a page that kept or dressed up another's says it is related (`headlines`)


@dataclass(slots=True)
class Analysed:
    """One article after its single tokenisation: boilerplate units and unmasked fingerprints."""

    id: int
    site: str
    units: Units
    fp_hash: np.ndarray
    fp_start: np.ndarray
    fp_end: np.ndarray
    error: str | None = None  # set by a runner when the text could not be analysed


def analyse(doc: Doc, params: ReuseParams) -> Analysed:
    """Everything the batch needs from an article's text, from one tokenisation."""
    tokens = tokenize(doc.text)
    u = article_units(doc.text, tokens)
    units = Units(u.hashes, u.starts.astype(np.int32), u.ends.astype(np.int32), u.words.astype(np.int32))
    h, s, e = fingerprint_spans(tokens, params)
    kh, ks, ke, _ = sentence_keys(tokens, params.excerpt_words)
    h, s, e = np.concatenate((h, kh)), np.concatenate((s, ks)), np.concatenate((e, ke))
    h, s, e = _with_headline(h, s, e, doc.title, params)
    return Analysed(doc.id, doc.site, units, h, s.astype(np.int32), e.astype(np.int32))


def _with_headline(h: np.ndarray, s: np.ndarray, e: np.ndarray, title: str,
                   params: ReuseParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fingerprints and the headline's keys, which sit at no place in the text (span 0-0)."""
    if not params.linked_words or not title:
        return h, s, e
    hk = headline_keys(title)
    z = np.zeros(len(hk), dtype=s.dtype if len(s) else np.int64)
    return np.concatenate((h, hk)), np.concatenate((s, z)), np.concatenate((e, z))


PREPARE_WINDOW = 128  # candidate pairs whose articles are prepared together
ANALYSE_BATCH = 256  # articles tokenised together: per-call numpy overhead dominates on ~250-token articles


def analyse_many(docs: Sequence[Doc], params: ReuseParams) -> list[Analysed]:
    """`analyse` for many articles, equal results: tokens and units come from one pass over the texts
    joined by newlines (token and unit hashes do not depend on where a text sits, and a newline
    ends a paragraph anyway), then are cut back per article; fingerprints stay per article."""
    out: list[Analysed] = []
    for b in range(0, len(docs), ANALYSE_BATCH):
        out += _analyse_batch(docs[b:b + ANALYSE_BATCH], params)
    return out


def _analyse_batch(docs: Sequence[Doc], params: ReuseParams) -> list[Analysed]:
    if len(docs) <= 1:
        return [analyse(d, params) for d in docs]
    tokens, off, _ = tokenize_many([d.text for d in docs])
    tb = np.searchsorted(tokens.starts, off)
    u, n_par = units_and_paragraphs("", tokens)
    art = np.searchsorted(off, u.starts, side="right") - 1
    order = np.lexsort((np.arange(len(u.hashes)) >= n_par, art))  # per article: paragraphs, then sentences
    art = art[order]
    ub = np.searchsorted(art, np.arange(len(docs) + 1))
    uh, us, ue, uw = u.hashes[order], u.starts[order], u.ends[order], u.words[order]
    # n-grams and window minima over the whole stream; an article keeps those lying inside it
    n, w = params.ngram, params.winnow
    g = ngram_hashes(tokens.hashes, n)
    picks = window_argmins(g, w) if len(g) > w else np.zeros(0, dtype=np.int64)
    kh, ks, ke, kt = sentence_keys(tokens, params.excerpt_words)  # a key never crosses the newline between texts
    kb = np.searchsorted(kt, tb)
    out = []
    for k, d in enumerate(docs):
        o, u0, u1, t0 = int(off[k]), int(ub[k]), int(ub[k + 1]), int(tb[k])
        units = Units(uh[u0:u1], (us[u0:u1] - o).astype(np.int32), (ue[u0:u1] - o).astype(np.int32),
                      uw[u0:u1].astype(np.int32))
        m = int(tb[k + 1]) - t0 - n + 1  # the article's own n-grams start at t0
        if m > w and len(picks):
            pos = drop_repeats(picks[t0:t0 + m - w + 1])
            h, s, e = g[pos] & LOW_BITS, tokens.starts[pos] - o, tokens.ends[pos + n - 1] - o
        else:  # short articles (one window or none): as on its own
            h, s, e = fingerprint_spans(cut(tokens, off, tb, k), params)
        k0, k1 = int(kb[k]), int(kb[k + 1])
        if k1 > k0:
            h, s, e = (np.concatenate((h, kh[k0:k1])), np.concatenate((s, ks[k0:k1] - o)),
                       np.concatenate((e, ke[k0:k1] - o)))
        h, s, e = _with_headline(h, s, e, d.title, params)
        out.append(Analysed(d.id, d.site, units, h, s.astype(np.int32), e.astype(np.int32)))
    return out


def finish(doc: Doc, an: Analysed, model: BoilerplateModel) -> tuple[Ranges, np.ndarray]:
    """Boilerplate ranges of an analysed article and its fingerprints outside them."""
    ranges = boilerplate_ranges(doc.text, an.units, doc.site, model)
    return ranges, outside(an.fp_hash, an.fp_start, an.fp_end, ranges)


def units_of(doc: Doc) -> tuple[str, Units]:
    """(site, paragraph and sentence hashes) of one article, for boilerplate counting."""
    return doc.site, article_units(doc.text, tokenize(doc.text))


def mark_and_fingerprint(doc: Doc, model: BoilerplateModel, params: ReuseParams) -> tuple[Ranges, np.ndarray]:
    """Boilerplate ranges of an article and the fingerprints of the rest (`analyse` then `finish`)."""
    return finish(doc, analyse(doc, params), model)


def mark(doc: Doc, model: BoilerplateModel) -> Ranges:
    """Boilerplate ranges only (to check whether a changed model changes an old article)."""
    tokens = tokenize(doc.text)
    return boilerplate_ranges(doc.text, article_units(doc.text, tokens), doc.site, model)


@dataclass(slots=True)
class PairResult:
    pair: ArticlePair
    passages: list[Passage]


def align_pairs(pairs: Iterable[tuple[int, int]], text_of: Callable[[int], str], ranges_of: Callable[[int], Ranges],
                params: ReuseParams, cache_size: int = 512,
                site_of: Callable[[int], str] | None = None,
                title_of: Callable[[int], str] | None = None) -> list[PairResult]:
    """Align candidate pairs (a < b); pairs sorted by `a` reuse each prepared article.

    Pairs whose alignment finds no passage of `min_words` are dropped: sharing a few
    fingerprints is not reuse. `site_of` (the site of an article, "" when unknown) keeps
    one-sentence excerpts to pairs across sites; `title_of` (its headline) lets a page that kept
    another's headline pair with it on less text (`align.align`).
    """
    out: list[PairResult] = []
    cache: dict[int, Prepared] = {}
    it = iter(pairs)
    while window := list(islice(it, PREPARE_WINDOW)):
        # prepare the window's articles together (one tokenisation), keeping those still needed
        need = list(dict.fromkeys(i for ab in window for i in ab))
        wanted = set(need)
        cache = {i: p for i, p in cache.items() if i not in wanted} | {i: cache[i] for i in need if i in cache}
        while len(cache) > cache_size:  # forget the least recently used that this window does not use
            cache.pop(next(i for i in cache if i not in wanted))
        missing = [i for i in need if i not in cache]
        if missing:
            texts = [text_of(i) for i in missing]
            tokens, off, tb = tokenize_many(texts)
            for k, i in enumerate(missing):
                cache[i] = prepare(i, texts[k], ranges_of(i), params, cut(tokens, off, tb, k),
                                   site_of(i) if site_of else "", title_of(i) if title_of else "")
        for a_id, b_id in window:
            a, b = cache[a_id], cache[b_id]
            passages = align(a, b, params)
            if passages:
                pair = summarise(a_id, b_id, passages, len(a.text), len(b.text), a.ranges, b.ranges)
                out.append(PairResult(pair, passages))
    return out


def split_linked(cand: np.ndarray, links: Iterable[tuple[int, int]], site_of: Callable[[int], str],
                 params: ReuseParams) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(candidate pairs aligned under the usual rules, pairs aligned under `params.linked()`), each as (a < b).

    The second are the pairs of two sites where one page links to the other in a credit line (`links`, either
    order), candidates or not: a one-sentence excerpt with a typo shares too few fingerprints to be a candidate,
    but its link names the page it came from."""
    linked: set[tuple[int, int]] = set()
    if params.linked_words:
        for x, y in links:
            a, b = (int(x), int(y)) if x < y else (int(y), int(x))
            sa = site_of(a)
            if a != b and not (sa and sa == site_of(b)):
                linked.add((a, b))
    plain = [(int(x), int(y)) for x, y, _ in cand]
    if linked:
        plain = [ab for ab in plain if ab not in linked]
    return plain, sorted(linked)


@dataclass
class ReuseResult:
    """Everything one in-memory run finds."""

    model: BoilerplateModel
    counts: UnitCounts
    boilerplate: dict[int, Ranges]
    fingerprints: dict[int, np.ndarray]
    candidates: np.ndarray
    pairs: list[ArticlePair] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)


def reuse_in_memory(docs: Sequence[Doc], params: ReuseParams | None = None,
                    index: FingerprintIndex | None = None, prior: UnitCounts | None = None,
                    known: Mapping[int, tuple[str, Ranges]] | None = None,
                    links: Iterable[tuple[int, int]] = ()) -> ReuseResult:
    """The whole pass on a list of articles, single process.

    `index`, `prior` and `known` (id -> (text, boilerplate ranges) of indexed articles) make it
    incremental: new docs are matched against the index and among themselves. `links`: pairs of
    articles one of which links to the other in a credit line (`split_linked`).
    """
    params = params or ReuseParams()
    params.validate()
    analysed = analyse_many(docs, params)
    counts = count_units(((an.site, an.units) for an in analysed), prior)
    model = learn_boilerplate(counts, params)
    bp: dict[int, Ranges] = {}
    fps: dict[int, np.ndarray] = {}
    for d, an in zip(docs, analysed, strict=True):
        bp[d.id], fps[d.id] = finish(d, an, model)
    del analysed
    ids = [d.id for d in docs]
    h, a = postings(ids, [fps[i] for i in ids])
    cand = find_candidates(h, a, params, index)
    texts = {d.id: d.text for d in docs}
    known = known or {}

    def text_of(i: int) -> str:
        return texts[i] if i in texts else known[i][0]

    def ranges_of(i: int) -> Ranges:
        return bp[i] if i in bp else known[i][1]

    sites = {d.id: d.site for d in docs}
    titles = {d.id: d.title for d in docs}
    plain, linked = split_linked(cand, links, lambda i: sites.get(i, ""), params)
    results = align_pairs(plain, text_of, ranges_of, params, site_of=lambda i: sites.get(i, ""),
                          title_of=lambda i: titles.get(i, ""))
    if linked:
        results += align_pairs(linked, text_of, ranges_of, params.linked(), site_of=lambda i: sites.get(i, ""),
                               title_of=lambda i: titles.get(i, ""))
    return ReuseResult(model, counts, bp, fps, cand, [r.pair for r in results],
                       [p for r in results for p in r.passages])
