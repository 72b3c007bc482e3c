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

from ..models import Article, ArticlePair, Copy, Evidence
from ..sites import page_key
from .evidence import DateReliability, SiteRoles, infer_direction

__all__ = ["KIND", "KINDS", "Target", "copies", "from_articles", "hang", "is_link", "link_pairs"]

KIND = "translation"  # the evidence kind of a link pair's edge
KINDS = ("original-source", "originally-published", "source", "via", "republished", "dateline")
Target = tuple[int, str | None, int, str | None]  # (page, its language, page its credit line links, its language)


def is_link(pair: ArticlePair) -> bool:
    """A link pair (no passage, no word shared), as opposed to a pair of aligned text."""
    return pair.passages == 0 and pair.shared_words == 0


def link_pairs(targets: Iterable[Target], pairs: Iterable[ArticlePair] = ()) -> list[ArticlePair]:
    """A link pair for each credit linking a page in another language, unless the two already share text."""
    have = {(p.a_id, p.b_id) for p in pairs}
    out: dict[tuple[int, int], ArticlePair] = {}
    for copy_id, copy_lang, target_id, target_lang in targets:
        if copy_id == target_id or not copy_lang or not target_lang or _lang(copy_lang) == _lang(target_lang):
            continue
        key = (min(copy_id, target_id), max(copy_id, target_id))
        if key not in have and key not in out:
            out[key] = ArticlePair(key[0], key[1], passages=0, shared_words=0, coverage_a=0.0, coverage_b=0.0,
                                   similarity=0.0)
    return sorted(out.values(), key=lambda p: (p.a_id, p.b_id))


def _lang(code: str) -> str:
    """"en-GB" and "en" are one language."""
    return code.lower().replace("_", "-").split("-", 1)[0]


def from_articles(articles: Mapping[int, Article]) -> list[Target]:
    """The credit links among articles in memory, resolved the way the store resolves them (`page_key`)."""
    where: dict[str, int] = {}
    for i, a in sorted(articles.items()):
        for u in (a.canonical_url, a.url):
            if (k := page_key(u)):
                where[k] = i  # the newest page of a URL wins, as in `Store.credit_link_targets`
    out = []
    for i, a in articles.items():
        for st in a.attributions:
            t = where.get(page_key(st.url)) if st.kind in KINDS and st.url else None
            if t is not None and t != i:
                out.append((i, a.language, t, articles[t].language))
    return out


def hang(parent: dict[int, int], roots: list[int], links: Iterable[ArticlePair], articles: Mapping[int, Article],
         time_key: Callable[[int], Any]) -> dict[int, tuple[int, int]]:
    """Hang each root of the tree under the page in another language that its part of the tree credits by link.

    The tree is first built from shared text alone, so each language's pages form their own part, with its own
    root; the root of a part holding a page whose credit line links a page outside the part (most often its own
    root, the translation; sometimes a copy that kept a credit line the translation dropped) is hung under that
    page (the one most of the part's pages link; the earliest of those). Latest roots first, so the first page
    stays the story's origin. `parent` and `roots` are changed in place; returns root -> (its new source, the
    page whose credit line says so)."""
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
    hung: dict[int, tuple[int, int]] = {}
    for r in sorted(roots, key=time_key, reverse=True):
        part, stack = set(), [r]
        while stack:
            x = stack.pop()
            part.add(x)
            stack.extend(kids.get(x, ()))
        votes: dict[int, list[int]] = defaultdict(list)  # linked page -> the part's pages linking it
        for x in sorted(part, key=lambda m: (m != r, time_key(m))):
            for y in linked.get(x, ()):
                if y not in part:
                    votes[y].append(x)
        if votes and len(roots) > 1:
            b = min(votes, key=lambda y: (-len(votes[y]), time_key(y)))
            parent[r] = b
            kids[b].append(r)
            roots.remove(r)
            hung[r] = (b, votes[b][0])
    return hung


def _credits_link(page: Article, other: Article) -> bool:
    targets = {page_key(other.url), page_key(other.canonical_url)} - {""}
    return any(st.kind in KINDS and page_key(st.url) in targets for st in page.attributions if st.url)


def copies(hung: dict[int, tuple[int, int]], articles: Mapping[int, Article], credit: Mapping[int, str],
           roles: SiteRoles | None = None, dates: DateReliability | None = None) -> list[Copy]:
    """The copy records of the hung edges: a translation's text is not aligned with its source's, so what it
    kept, added or changed is not known; the direction's evidence (dates, the credit) and the credit line that
    joined them are kept."""
    out = []
    for r, (b, via) in sorted(hung.items()):
        src, cp = articles[b], articles[r]
        d = infer_direction(src, cp, None, roles, dates)
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
