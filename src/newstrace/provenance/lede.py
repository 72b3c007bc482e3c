"""Which of two articles kept the other's lede: copies keep the top of what they take and put their own text above.

A wire report, a newspaper story, a blog post are copied from the top: an aggregator truncates the tail, a
blog excerpts the first paragraphs, a newspaper cuts paragraphs further down. What a copy adds in front is
its own (an intro, "Here is what the agency reported:", the source's headline as a subhead, a sentence
inserted into the first paragraph). So when one article's shared text starts at its very top and the other
holds its own text before the shared text, the first is likely the source. On the synthetic corpora this holds
for 93-98% of the true (source, copy) pairs where exactly one side has such a lead.

How far to trust it is learnt from the corpus like the dates (`learn_lede_reliability`): over the pairs where
exactly one article credits the other, how often the lede agrees with the credit. Its weight is
`LEDE_WEIGHT`, lowered when the corpus's pages agree less often than that weight assumes (newspapers that
rewrite agency ledes), never raised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..models import Article, ArticlePair, Evidence, Passage
from . import _spans
from ._spans import Spans
from .changes import side_spans
from .evidence import PRIOR, credits_naming

__all__ = ["LEDE_WEIGHT", "MIN_LEAD_CHARS", "LedeReliability", "credit_ranges", "credited_pairs",
           "learn_lede_reliability", "learn_ledes", "lede_evidence", "pair_leads", "unshared_lead"]

LEDE_WEIGHT = 0.5  # about a date's weight at 30% date noise: a lean other evidence can overrule
MIN_LEAD_CHARS = 40  # own text before the shared text that counts as a lead (shorter: alignment edges)
LEDE_MIN_PAIRS = 20  # fewer credited pairs with a lead than this: the weight is used as it is


def credit_ranges(article: Article) -> Spans:
    """Where the article's credit lines sit in its text: copies share these with each other, not with the origin."""
    text = article.text
    out = []
    for stmt in article.attributions:
        t = (stmt.text or "").strip()
        if len(t) < 8:
            continue
        i = text.find(t)
        while i >= 0:
            out.append((i, i + len(t)))
            i = text.find(t, i + len(t))
    return _spans.merge(out)


def unshared_lead(shared: Spans, excluded: Spans, text: str | None = None, other: str | None = None) -> int | None:
    """Characters of the article's own text before the first shared range (`excluded`: boilerplate and credit
    lines, which do not count); None when nothing is shared.

    With `text` (the article's) and `other` (the other article's), a sentence of the lead that the other article
    holds as well is not the article's own: the alignment left it out (one site's stock intro is boilerplate
    on that site alone), but both pages carry it, so it says nothing about who added text above."""
    if not shared:
        return None
    first = min(s for s, _e in shared)
    lead = _spans.subtract([(0, first)], excluded)
    if text is None or other is None or not lead:
        return _spans.total(lead)
    theirs = _norm_whole(other)
    own = 0
    for start, end in lead:
        for piece in _SENTENCE_END.split(text[start:end]):
            key = _norm(piece)
            if len(key) >= MIN_SHARED_SENTENCE and key in theirs:
                continue
            own += len(piece)
    return own


_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])\s+|(?<=[。！？])|\n")
MIN_SHARED_SENTENCE = 20  # a lead sentence at least this long, found in the other article, is not own text


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# the other article's whole text, normalised once for all its pairs (every pair asks both ways, in both sets of
# trees): this was a tenth of provenance time at 100k articles
_norm_whole = lru_cache(maxsize=1024)(_norm)


def pair_leads(a: Article, b: Article, passages: list[Passage], bp_a: Spans, bp_b: Spans
               ) -> tuple[int | None, int | None]:
    """Each article's lead (`unshared_lead`) in the passages it shares with the other (ids must be set)."""
    ex_a, ex_b = (_spans.merge([*bp, *credit_ranges(x)]) for x, bp in ((a, bp_a), (b, bp_b)))
    sa = _spans.subtract(side_spans(passages, a.id or -1), ex_a)
    sb = _spans.subtract(side_spans(passages, b.id or -1), ex_b)
    return unshared_lead(sa, ex_a, a.text, b.text), unshared_lead(sb, ex_b, b.text, a.text)


def _lede_first(a_id: int, lead_a: int | None, b_id: int, lead_b: int | None) -> int | None:
    """The article that kept the other's lede: its shared text starts at its top while the other's does not."""
    if lead_a is None or lead_b is None or (lead_a >= MIN_LEAD_CHARS) == (lead_b >= MIN_LEAD_CHARS):
        return None
    return a_id if lead_b >= MIN_LEAD_CHARS else b_id


@dataclass(frozen=True, slots=True)
class LedeReliability:
    """Over the corpus's pairs where exactly one article credits the other and one has a lead: how often the
    article without a lead was the credited one (agreeing, counted)."""

    agree: int = 0
    counted: int = 0

    def factor(self) -> float:
        """What `LEDE_WEIGHT` is multiplied by: the weight whose lone decision would be right as often as the
        lede was here, against `LEDE_WEIGHT`, between 0 and 1; 1 with fewer than `LEDE_MIN_PAIRS` pairs."""
        if self.counted < LEDE_MIN_PAIRS:
            return 1.0
        rate = (self.agree + 1) / (self.counted + 2)
        w = (2 * PRIOR * rate - PRIOR) / max(1e-6, 1 - rate)
        return round(max(0.0, min(1.0, w / LEDE_WEIGHT)), 4)


def lede_evidence(a_id: int, lead_a: int | None, b_id: int, lead_b: int | None,
                  reliability: LedeReliability | None = None) -> Evidence | None:
    """The lede's lean for one pair, or None when both or neither article hold their own text on top."""
    first = _lede_first(a_id, lead_a, b_id, lead_b)
    if first is None:
        return None
    factor = reliability.factor() if reliability is not None else 1.0
    if factor <= 0:
        return None
    second, lead = (b_id, lead_b) if first == a_id else (a_id, lead_a)
    note = f"; ledes agreed with credits in {factor:.0%} of the weight here" if factor < 1 else ""
    return Evidence("lede", first, round(LEDE_WEIGHT * factor, 4),
                    f"article {second} holds {lead} characters of its own above the text it shares with article "
                    f"{first}, whose shared text starts at its top (a copy keeps the lede and adds above it{note})")


def credited_pairs(articles: dict[int, Article], pairs: Iterable[ArticlePair]) -> list[tuple[int, int]]:
    """(credited, crediting) for the pairs where exactly one article credits or links the other."""
    out = []
    for p in pairs:
        a, b = articles.get(p.a_id), articles.get(p.b_id)
        if a is None or b is None:
            continue
        ab, ba = bool(credits_naming(a, b)), bool(credits_naming(b, a))
        if ab != ba:
            out.append((p.b_id, p.a_id) if ab else (p.a_id, p.b_id))
    return out


def learn_lede_reliability(samples: Iterable[tuple[int | None, int | None]]) -> LedeReliability:
    """Count, over (lead of the credited article, lead of the crediting one) samples, how often the lede puts
    the credited article first where it says anything."""
    agree = counted = 0
    for lead_src, lead_copy in samples:
        first = _lede_first(0, lead_src, 1, lead_copy)
        if first is None:
            continue
        counted += 1
        agree += first == 0
    return LedeReliability(agree, counted)


def learn_ledes(articles: dict[int, Article], pairs: Iterable[ArticlePair], passages: Iterable[Passage],
                boilerplate: dict[int, Spans]) -> LedeReliability:
    """`learn_lede_reliability` over the pairs where exactly one article credits the other (`passages` need
    only cover those pairs)."""
    by_pair: dict[tuple[int, int], list[Passage]] = defaultdict(list)
    for ps in passages:
        by_pair[(min(ps.a_id, ps.b_id), max(ps.a_id, ps.b_id))].append(ps)
    return learn_lede_reliability(
        pair_leads(articles[s], articles[c], by_pair.get((min(s, c), max(s, c)), []), boilerplate.get(s, []),
                   boilerplate.get(c, [])) for s, c in credited_pairs(articles, pairs))
