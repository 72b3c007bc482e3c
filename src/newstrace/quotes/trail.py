"""Quotes across the corpus: the same quote in many articles, where it first appeared, and how it changed.

Works from quote contents alone (the reuse engine's alignments can refine it later): contents are
normalised to words, indexed by word trigrams (so matching is never all-pairs), grouped when most
of the shorter quote's trigrams appear in the longer one, and each later appearance is diffed word
by word against the first. An appearance whose speaker differs from the first one's is re-attributed.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .models import Alteration, Attribution, QuoteAppearance, QuoteTrail

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# one character of Chinese or Japanese is one word (they are written without spaces); elsewhere runs of letters
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:['’][^\W{_CJK}]+)*", re.UNICODE)
N = 3  # words per shingle


@dataclass(slots=True)
class ArticleQuotes:
    """One article's attributions with what the trail needs to order them."""

    article_id: int
    published: datetime | None
    attributions: list[Attribution] = field(default_factory=list)
    site: str | None = None


def words(content: str) -> list[str]:
    """Lower-cased words of a quote (one per character in Chinese and Japanese), apostrophes unified,
    punctuation dropped."""
    return [w.replace("’", "'") for w in _WORD_RE.findall(content.lower())]


def normalise(content: str) -> str:
    """The key a quote is known by: its words, lower-cased, joined by single spaces."""
    return " ".join(words(content))


def shingles(ws: list[str], n: int = N) -> set[tuple[str, ...]]:
    if len(ws) < n:
        return {tuple(ws)} if ws else set()
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def word_containment(a: list[str], b: list[str]) -> float:
    """Share of the shorter word list that lines up with the longer one, in order (robust to one changed word)."""
    if not a or not b:
        return 0.0
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return sum(block.size for block in sm.get_matching_blocks()) / min(len(a), len(b))


def word_diff(before: list[str], after: list[str]) -> tuple[list[str], list[str], float]:
    """(word runs removed, word runs added, similarity 0..1) between two quotes' words."""
    sm = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("replace", "delete") and i2 > i1:
            removed.append(" ".join(before[i1:i2]))
        if op in ("replace", "insert") and j2 > j1:
            added.append(" ".join(after[j1:j2]))
    return removed, added, round(sm.ratio(), 4)


def _same_speaker(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True  # an unknown speaker is no evidence of re-attribution
    a, b = a.lower(), b.lower()
    return a == b or a.split()[-1] == b.split()[-1]


def compare(first: QuoteAppearance, later: QuoteAppearance) -> list[Alteration]:
    """What changed between a quote's first appearance and a later one (empty when nothing did)."""
    out: list[Alteration] = []
    a, b = words(first.content), words(later.content)
    if a != b:
        removed, added, sim = word_diff(a, b)
        out.append(Alteration(later.article_id, "words", removed, added, similarity=sim))
    if not _same_speaker(first.speaker_name, later.speaker_name):
        out.append(Alteration(later.article_id, "speaker", speaker_before=first.speaker_name,
                              speaker_after=later.speaker_name))
    return out


def _order_key(a: ArticleQuotes | QuoteAppearance) -> tuple[bool, datetime, int]:
    """Earliest published first, undated last (naive times are UTC)."""
    pub = a.published
    if pub is not None and pub.tzinfo is None:
        pub = pub.replace(tzinfo=UTC)
    return (pub is None, pub or datetime.max.replace(tzinfo=UTC), a.article_id)


def root_trails(trails: list[QuoteTrail], sources: Mapping[int, int]) -> list[QuoteTrail]:
    """Make each trail start where provenance says the quote came from: when an appearance's page is an
    ancestor (by main sources, `sources`: copy -> source) of the first one's, the earliest such ancestor is the
    first appearance, whatever its date says (a copy dated before its source by a wrong clock is no origin).
    The other appearances' changes are measured against it again."""
    for trail in trails:
        by_article = {a.article_id: a for a in trail.appearances}
        first, seen, cur = trail.first, {trail.first.article_id}, sources.get(trail.first.article_id)
        while cur is not None and cur not in seen:
            seen.add(cur)
            if cur in by_article:
                first = by_article[cur]
            cur = sources.get(cur)
        if first is trail.first:
            continue
        later = sorted((a for a in trail.appearances if a is not first), key=_order_key)
        trail.first, trail.later, trail.alterations = first, later, []
        for app in later:
            alts = compare(first, app)
            app.similarity = next((x.similarity for x in alts if x.kind == "words"), 1.0)
            trail.alterations.extend(alts)
    return trails


def build_trails(articles: list[ArticleQuotes], min_words: int = 5, threshold: float = 0.75,
                 direct_only: bool = False) -> list[QuoteTrail]:
    """Group the quotes of many articles into trails, first appearance = earliest published article
    (`root_trails` then corrects it by provenance).

    Candidate trails are those sharing a word trigram with the quote; it joins the one whose first
    appearance lines up best word by word, when at least `threshold` of the shorter one's words line
    up; otherwise it starts a new trail.
    Only trails with two or more articles are returned.
    """
    trails: list[QuoteTrail] = []
    keys: list[list[str]] = []  # the first appearance's words, per trail
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for art in sorted(articles, key=_order_key):
        seen_here: set[int] = set()
        for att in art.attributions:
            if direct_only and not att.direct:
                continue
            ws = words(att.content)
            if len(ws) < min_words:
                continue
            sig = shingles(ws)
            votes: dict[int, int] = defaultdict(int)
            for sh in sig:
                for t in index.get(sh, ()):
                    votes[t] += 1
            best, best_score = None, 0.0
            for t, _v in sorted(votes.items(), key=lambda kv: -kv[1])[:10]:
                score = word_containment(ws, keys[t])
                if score > best_score:
                    best, best_score = t, score
            app = QuoteAppearance(art.article_id, art.published, att.content, att.speaker_name, att.content_start,
                                  att.content_end, art.site)
            if best is not None and best_score >= threshold:
                if best in seen_here:
                    continue  # the same quote twice in one article: one appearance
                trail = trails[best]
                alts = compare(trail.first, app)
                app.similarity = next((x.similarity for x in alts if x.kind == "words"), 1.0)
                trail.later.append(app)
                trail.alterations.extend(alts)
                seen_here.add(best)
                continue
            trails.append(QuoteTrail(" ".join(ws), app))
            keys.append(ws)
            for sh in sig:
                index[sh].append(len(trails) - 1)
            seen_here.add(len(trails) - 1)
    return [t for t in trails if t.later]
