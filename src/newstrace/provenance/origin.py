"""Story-level signs of which member is the origin, each a lean on the virtual root's edge to that member.

A page others' datelines name, a page others credit that credits nobody, the site's habit of being the source
lean towards the origin; a headline dressed up from another member's leans away from it. `trees.build_story`
adds them to the "copies nothing" edge of each member.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..headlines import norm_title
from ..models import Article, AttributionStatement
from .evidence import SiteRoles, names_article

__all__ = ["SiteOrigins", "count_origins", "credit_counts", "credited_uncrediting", "dateline_named", "louder",
           "most_credited", "norm_title", "origin_lean", "story_sites", "wrapping_titles"]


def dateline_named(members: set[int], articles: dict[int, Article]) -> set[int]:
    """Members whose site another member's dateline names ("MOSCOW, March 3 (Northwire) -"): a claim of origin."""
    lines = {(o, stmt.outlet or "", stmt.domain or "", stmt.url or "")
             for o in members for stmt in articles[o].attributions if stmt.kind == "dateline"}
    out = set()
    for m in members:
        art = articles[m]
        for o, outlet, domain, url in lines:
            if o != m and articles[o].site != art.site and names_article(
                    AttributionStatement("dateline", "", outlet or None, url or None, domain or None), art):
                out.add(m)
                break
    return out


def _crediting_by_site(members: set[int], articles: dict[int, Article]) -> tuple[dict[str, list[int]],
                                                                                  dict[str, set[int]]]:
    """(members by site, the members whose credit lines name each site): credit lines (datelines included,
    bylines not) are matched once per site, not per article, so the cost grows with statements x sites."""
    groups: dict[str, list[int]] = defaultdict(list)
    for m in members:
        groups[articles[m].site].append(m)
    by: dict[str, set[int]] = defaultdict(set)
    named: dict[tuple[str | None, str | None, str | None], list[str]] = {}  # one match per distinct credit line
    for o in members:
        own = articles[o].site
        for stmt in articles[o].attributions:
            if stmt.kind == "byline":
                continue
            key = (stmt.url, stmt.domain, stmt.outlet)
            if key not in named:
                named[key] = [site for site, ms in groups.items() if names_article(stmt, articles[ms[0]])]
            for site in named[key]:
                if site != own:
                    by[site].add(o)
    return groups, by


def credited_uncrediting(members: set[int], articles: dict[int, Article]) -> set[int]:
    """Members whose outlet other members credit, that themselves credit no member: each credit says "this came
    first", and a page that names no source here is where the story starts, whatever its date says."""
    groups, by = _crediting_by_site(members, articles)
    named = {m for site in by for m in groups[site]}
    crediting = set().union(*by.values()) if by else set()
    return named - crediting


def credit_counts(members: set[int], articles: dict[int, Article]) -> dict[int, int]:
    """For each member, how many other members' credit lines (datelines included, bylines not) name its outlet."""
    _groups, by = _crediting_by_site(members, articles)
    return {m: len(by.get(articles[m].site, ())) for m in members}


def crediting_sites(members: set[int], articles: dict[int, Article]) -> dict[int, int]:
    """For each member, how many other sites' pages credit its outlet: three pages of one site crediting it say it
    once."""
    _groups, by = _crediting_by_site(members, articles)
    return {m: len({articles[o].site for o in by.get(articles[m].site, ())}) for m in members}


def most_credited(found: set[int], members: set[int], articles: dict[int, Article]) -> set[int]:
    """Of the members that credit lines single out as the origin (`dateline_named`, `credited_uncrediting`), those
    credited by the most members: the report every copy names is where the story starts, not the newspaper
    whose one copy's dateline names it (a copy of a copy credits its own source)."""
    if len(found) < 2:
        return found
    counts = credit_counts(members, articles)
    best = max(counts[m] for m in found)
    return {m for m in found if counts[m] == best}


def wrapping_titles(members: set[int], articles: dict[int, Article], loud: bool = True) -> set[int]:
    """Members whose headline holds another member's whole headline and more ("BREAKING: <headline>", "Is
    <headline>?"): a headline dressed up from one already in the story, so not where the story starts. Compared
    once per distinct headline (copies mostly keep theirs), shortest first. With `loud`, a headline that is
    another member's in capitals or with an exclamation mark added is dressed up too (`louder`)."""
    titles = {m: norm_title(articles[m].title) for m in members}
    plain = sorted({t for t in titles.values() if len(t) >= 15}, key=len)
    wrapping = {t for t in set(titles.values()) if any(len(q) < len(t) and q in t for q in plain)}
    out = {m for m, t in titles.items() if t in wrapping}
    if loud:
        same: dict[str, set[str]] = defaultdict(set)
        for m, t in titles.items():
            if len(t) >= 15:
                same[t].add((articles[m].title or "").strip())
        out |= {m for m, t in titles.items() if len(same.get(t, ())) > 1
                and any(louder(articles[m].title, o) for o in same[t])}
    return out


def louder(title: str, other: str) -> bool:
    """Whether `title` is `other` (the same words) shouted: in capitals where `other` is not, or with an
    exclamation mark `other` lacks ("Ships held!", "SHIPS HELD" from "Ships held")."""
    def caps(t: str) -> bool:
        letters = [ch for ch in t if ch.lower() != ch.upper()]
        return bool(letters) and all(ch.isupper() for ch in letters)

    t, o = (title or "").strip(), (other or "").strip()
    return (caps(t) and not caps(o)) or (t.endswith(("!", "！")) and not o.endswith(("!", "！")))


def origin_lean(article: Article, roles: SiteRoles | None, weight: float = 0.3, origins: SiteOrigins | None = None,
                origin_weight: float = 0.0) -> float:
    """How much likelier this article is the story's origin, from its site's habits: the log-odds of the site
    being the source in the corpus's confident pairs (an agency that is the source in 95% of its pairs leans
    +2.9, an aggregator that copies 90% of the time -2.2), times `weight`; with `origins`, plus the log-odds of
    the site's articles being where their stories start (`count_origins`), times `origin_weight`; a dated page
    over an undated one."""
    lean = 0.05 if article.published is not None else 0.0
    if roles:
        src, cp = roles.get(article.site, (0, 0))
        if src + cp >= 3:
            lean += weight * math.log((src + 1) / (cp + 1))
    if origins and origin_weight:
        first, later = origins.get(article.site, (0, 0))
        if first + later >= 3:
            lean += origin_weight * math.log((first + 1) / (later + 1))
    return lean


SiteOrigins = dict[str, tuple[int, int]]  # site -> (stories its article starts, its articles that copy in stories)


def story_sites(tree: Any, articles: dict[int, Article]) -> tuple[str, list[str]]:
    """(origin site, member sites) of a tree (`trees.StoryTree`): what `count_origins` learns from."""
    return articles[tree.root].site, [articles[m].site for m in tree.articles]


def count_origins(stories: Iterable[tuple[str, list[str]]]) -> SiteOrigins:
    """Per site, how many stories start with its article and how many of its articles in stories are copies,
    from (origin site, member sites) of each story of a first set of trees. A site whose pages never start a
    story here (a republisher) is then unlikely to start one whose dates or credits are unclear."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for root_site, sites in stories:
        out[root_site][0] += 1
        for s in sites:
            out[s][1] += 1
        out[root_site][1] -= 1
    return {k: (v[0], v[1]) for k, v in out.items()}
