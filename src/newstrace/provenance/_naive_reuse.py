"""A deliberately small exact-match aligner (word 5-grams) for tests and benchmarks.

The real engine is `newstrace.reuse`; this one only exists so provenance can be exercised on
hand-built fixtures and on pairs that are already known to be related, without the engine's index.
"""

from __future__ import annotations

import re

from ..models import Article, ArticlePair, Passage
from . import _spans

_WORD = re.compile(r"\w+", re.UNICODE)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def align(a: Article, b: Article, n: int = 5) -> list[Passage]:
    """Passages of identical word runs (at least `n` words) between two articles."""
    if a.id is None or b.id is None:
        raise ValueError("align needs stored articles (id set)")
    ta, tb = _tokens(a.text), _tokens(b.text)
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(ta) - n + 1):
        index.setdefault(tuple(t[0] for t in ta[i:i + n]), []).append(i)
    used_b: set[int] = set()
    out: list[Passage] = []
    j = 0
    while j <= len(tb) - n:
        hits = index.get(tuple(t[0] for t in tb[j:j + n]))
        if not hits or j in used_b:
            j += 1
            continue
        best_i, best_len = hits[0], 0
        for i in hits:
            k = 0
            while i + k < len(ta) and j + k < len(tb) and ta[i + k][0] == tb[j + k][0]:
                k += 1
            if k > best_len:
                best_i, best_len = i, k
        i, k = best_i, best_len
        out.append(Passage(a.id, b.id, ta[i][1], ta[i + k - 1][2], tb[j][1], tb[j + k - 1][2], k, k, 1.0))
        used_b.update(range(j, j + k))
        j += k
    return out


def summarise(a: Article, b: Article, passages: list[Passage],
              boilerplate: dict[int, list[tuple[int, int]]] | None = None) -> ArticlePair:
    """The undirected pair (smaller id first) with each side's coverage of non-boilerplate text."""
    bp = boilerplate or {}
    if (a.id or 0) > (b.id or 0):
        a, b = b, a
    cov = []
    for art in (a, b):
        spans = _spans.merge((p.a_start, p.a_end) if p.a_id == art.id else (p.b_start, p.b_end) for p in passages)
        own_bp = _spans.merge(bp.get(art.id or -1, []))
        n = max(1, len(art.text) - _spans.total(_spans.clip(own_bp, 0, len(art.text))))
        cov.append(min(1.0, _spans.total(_spans.subtract(spans, own_bp)) / n))
    words = sum(p.a_words for p in passages)
    return ArticlePair(a.id or 0, b.id or 0, len(passages), words, round(cov[0], 4), round(cov[1], 4),
                       1.0 if passages else 0.0)


def align_all(articles: list[Article], n: int = 5,
              boilerplate: dict[int, list[tuple[int, int]]] | None = None) -> tuple[list[ArticlePair], list[Passage]]:
    """Every pair of the given articles that shares text (quadratic: for small fixtures only)."""
    pairs: list[ArticlePair] = []
    passages: list[Passage] = []
    arts = sorted(articles, key=lambda x: x.id or 0)
    for i, a in enumerate(arts):
        for b in arts[i + 1:]:
            ps = align(a, b, n)
            if ps:
                pairs.append(summarise(a, b, ps, boilerplate))
                passages += ps
    return pairs, passages
