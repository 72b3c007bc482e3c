"""Translations: a page in another language whose credit line links a page of the corpus.

Reuse aligns text within a language, so a translation shares no passage with the report it translated: it and
the pages copying it would form a story apart, rooted at the translation. The pages say where they came from: a
credit line ("Source: …", "Originally published at …", "Via …", a dateline) linking a stored page in another
language. `link_pairs` turns each such credit into a *link pair*, an `ArticlePair` with no passage, which joins
the two stories (`story_components`). The tree is still built from shared text alone, so each language's pages
form a part of it with its own root; `hang` then puts the root of a part under the page its pages link (the
translation's own credit line, or a copy's that kept one the translation dropped), and `copies` records that
edge, its direction weighed from dates and credits like any other.

Only credit lines count, not any link in the body ("credit-link": a page citing a report in another language is
not its translation), nor bylines and copyright lines. Two pages of one language, or of an unknown language,
never make a link pair: between them a copy shares text, and reuse finds it. Link pairs teach nothing about the
sites' habits (`runner._learn_roles`): a site translating others' reports is still the origin of its language's
copies of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..language import normalise_language
from ..models import Article, ArticlePair, Copy, Evidence
from ..sites import resolve_links
from .credit import CREDIT_LINES
from .evidence import Direction, names_article

__all__ = ["KIND", "KINDS", "Hung", "Target", "copies", "from_articles", "hang", "is_link", "link_pairs"]

KIND = "translation"  # the evidence kind of a link pair's edge
KINDS = CREDIT_LINES  # the statements whose link joins a translation to its source
Target = tuple[int, str | None, int, str | None]  # (page, its language, page its credit line links, its language)


def is_link(pair: ArticlePair) -> bool:
    """A link pair (no passage, no word shared), as opposed to a pair of aligned text."""
    return pair.passages == 0 and pair.shared_words == 0


def link_pairs(targets: Iterable[Target]) -> list[ArticlePair]:
    """A link pair for each credit linking a page in another language (once per two pages). Two pages that also
    share a little text (a quoted name, a figure) keep both: the text pair may be too small to join a story."""
    out: dict[tuple[int, int], ArticlePair] = {}
    for copy_id, copy_lang, target_id, target_lang in targets:
        a, b = normalise_language(copy_lang), normalise_language(target_lang)
        if copy_id == target_id or not a or not b or a == b:
            continue
        key = (min(copy_id, target_id), max(copy_id, target_id))
        if key not in out:
            out[key] = ArticlePair(key[0], key[1], passages=0, shared_words=0, coverage_a=0.0, coverage_b=0.0,
                                   similarity=0.0)
    return sorted(out.values(), key=lambda p: (p.a_id, p.b_id))


def from_articles(articles: Mapping[int, Article]) -> list[Target]:
    """The credit links among articles in memory, resolved the way the store resolves them: a page at that URL
    (the newest), else a page claiming it as its canonical URL, compared as `page_key` compares them."""
    links = [(i, st.url) for i, a in articles.items() for st in a.attributions if st.kind in KINDS and st.url]
    pages = ((i, a.url, a.canonical_url) for i, a in articles.items())
    return [(i, articles[i].language, t, articles[t].language) for i, t in resolve_links(links, pages)]


Hung = dict[int, tuple[int, int, Direction]]  # root -> (its new source, the page whose credit says so, direction)


def hang(parent: dict[int, int], roots: list[int], links: Iterable[ArticlePair], articles: Mapping[int, Article],
         time_key: Callable[[int], Any], direction: Callable[[Article, Article], Direction]) -> Hung:
    """Hang each root of the tree under the page in another language that its part of the tree credits by link.

    The tree is first built from shared text alone, so each language's pages form their own part, with its own
    root. A part's root is hung under a page outside the part that the root's own credit line links; failing that,
    under the one most of the part's pages link (the earliest of those): a copy may keep the credit line its
    translation dropped. Never under a page the evidence says came after the root (`direction(page, root)`): an
    English copy crediting a Russian translation of its own origin does not make that origin a translation. Latest
    roots first. `parent` and `roots` are changed in place; returns root -> (its new source, the page whose credit
    line says so, the direction between the two)."""
    linked: dict[int, list[int]] = defaultdict(list)  # page -> the pages in another language it credits by link
    for p in links:
        for x, y in ((p.a_id, p.b_id), (p.b_id, p.a_id)):
            if x in articles and y in articles and _credits_link(articles[x], articles[y]):
                linked[x].append(y)
    if not linked:
        return {}
    kids: dict[int, list[int]] = defaultdict(list)
    for c, p_ in parent.items():
        kids[p_].append(c)
    hung: Hung = {}
    for r in sorted(roots, key=time_key, reverse=True):
        if len(roots) < 2:
            break
        part, stack = set(), [r]
        while stack:
            x = stack.pop()
            part.add(x)
            stack.extend(kids.get(x, ()))
        votes: dict[int, list[int]] = defaultdict(list)  # linked page -> the part's pages linking it
        lang = normalise_language(articles[r].language)
        for x in sorted(part, key=lambda m: (m != r, time_key(m))):
            for y in linked.get(x, ()):  # (a part holding a hung translation holds pages of two languages)
                if y not in part and normalise_language(articles[y].language) != lang:
                    votes[y].append(x)
        # the root's own credit first, then by votes, then the earliest
        for b in sorted(votes, key=lambda y: (votes[y][0] != r, -len(votes[y]), time_key(y))):
            d = direction(articles[b], articles[r])
            if d.prob_first(b) >= 0.5:
                parent[r] = b
                kids[b].append(r)
                roots.remove(r)
                hung[r] = (b, votes[b][0], d)
                break
    return hung


def _credits_link(page: Article, other: Article) -> bool:
    return any(st.kind in KINDS and names_article(st, other) == "url" for st in page.attributions)


def copies(hung: Hung, articles: Mapping[int, Article], credit: Mapping[int, str]) -> list[Copy]:
    """The copy records of the hung edges: a translation's text is not aligned with its source's, so what it
    kept, added or changed is not known; the direction's evidence (dates, the credit) and the credit line that
    joined them are kept."""
    out = []
    for r, (b, via, d) in sorted(hung.items()):
        src, cp = articles[b], articles[r]
        if via == r:
            why = f"a credit line links #{b} ({src.language}) from this page in {cp.language}: a translation"
        else:
            why = (f"#{via}, which took its text from this page, credits #{b} ({src.language}) by link: this page "
                   f"({cp.language}) is where its text came into {cp.language}, a translation")
        out.append(Copy(source_id=b, copy_id=r, confidence=round(d.prob_first(b), 4), credit=credit[r],
                        evidence=[*d.evidence, Evidence(KIND, b, 0.0, why + " (text across languages is not "
                                                        "aligned, so what it kept or changed is not known)")],
                        added=[], removed=[], changed=[f"translated ({src.language or '?'} → {cp.language or '?'})"],
                        coverage=0.0, conflict=d.conflict, kind=KIND))
    return out
