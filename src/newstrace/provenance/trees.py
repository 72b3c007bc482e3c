"""Stories and their republication trees: which article each copy took its text from.

A **story** is a connected component of the reuse graph (pairs above a coverage threshold). Within a story
each article gets its most likely *immediate* source, chosen globally with Edmonds' maximum spanning
arborescence (networkx) over a virtual root:

- an edge P -> C exists for every neighbour P of C that may have come first (direction probability from
  `evidence.infer_direction`, both orientations kept while the evidence is not decisive);
- its weight is direction probability x specificity. Specificity rewards the text of C that P explains and
  no other earlier neighbour of C does (a blog's added headline, intro, commentary carried on by the copy
  says the copy came from the blog, not from the agency the blog copied), the share of C that P covers, and
  a credit in C naming P's outlet; it is lowered a little when P is itself a copy, so that with nothing to
  tell them apart the nearer-to-the-root explanation (a star) wins over an unsupported chain (which members
  are copies is read from a first tree of the whole story, then the tree is built again);
- the virtual root links to every article with a small weight, so an article with no plausible earlier
  source becomes a root (an origin); the leans of `origin.py` (credit lines, dressed-up headlines, the site's
  habits, among them how often its pages start stories in a first set of trees) weigh which one.

Text of C that its chosen source does not explain but another earlier article does makes that article a
**secondary source**, recorded with the ranges it explains.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime

from ..models import Article, ArticlePair, AttributionStatement, Copy, Evidence, Passage
from . import _spans, bridges, candidates, translations
from ._spans import Spans
from .arborescence import max_arborescence
from .candidates import Context, Weights, pair_key, story_context, time_key
from .changes import describe_changes
from .choice import source_choices
from .components import story_components
from .credit import copy_credit, roots_outside_credits, story_credits
from .evidence import (
    Bylines,
    DateReliability,
    SiteRoles,
    count_bylines,
    count_roles,
    infer_direction,
    learn_date_reliability,
    pair_decisions,
    published_time,
)
from .lede import LedeReliability, learn_ledes
from .options import TreeOptions
from .origin import (
    SiteOrigins,
    count_origins,
    credited_uncrediting,
    crediting_sites,
    dateline_named,
    most_credited,
    origin_lean,
    story_sites,
    wrapping_titles,
)
from .readings import Readings
from .why import why_through

__all__ = ["StoryTree", "SecondarySource", "TreeOptions", "story_components", "build_story", "trace_stories",
           "pair_key", "pair_decisions", "story_sites"]

_ROOT = -1


@dataclass(slots=True)
class SecondarySource:
    """A second article a copy drew text from, with the copy's ranges that only it explains."""

    copy_id: int
    source_id: int
    spans: Spans
    chars: int


@dataclass(slots=True)
class StoryTree:
    """One story: its articles, their main sources, secondary sources and the copies (edges) in detail."""

    articles: list[int]  # earliest first
    roots: list[int]  # articles that copy nothing here (normally one); the first is the story's origin
    parent: dict[int, int]  # copy -> its main source
    secondary: list[SecondarySource] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)  # main edges, then secondary ones
    credit: dict[int, str] = field(default_factory=dict)  # article -> origin/credited/intermediary/uncredited
    choice: dict[int, tuple[float, list[tuple[int, float]]]] = field(default_factory=dict)  # `choice.py`
    first_published: datetime | None = None
    last_published: datetime | None = None

    @property
    def root(self) -> int:
        return self.roots[0]

    @property
    def size(self) -> int:
        return len(self.articles)

    def ancestors(self, article_id: int) -> list[int]:
        """The chain of main sources from the article up to its root, nearest first."""
        out: list[int] = []
        cur = self.parent.get(article_id)
        while cur is not None and cur not in out:
            out.append(cur)
            cur = self.parent.get(cur)
        return out

    def depth(self, article_id: int) -> int:
        return len(self.ancestors(article_id))

    def spread_hours(self) -> float | None:
        """Hours from the story's start (its origin's publication) to its last publication."""
        if self.first_published and self.last_published:
            return max(0.0, (self.last_published - self.first_published).total_seconds() / 3600)
        return None


def build_story(members: set[int], articles: dict[int, Article], pairs: list[ArticlePair], passages: list[Passage],
                boilerplate: dict[int, Spans] | None = None, options: TreeOptions = TreeOptions(),
                roles: SiteRoles | None = None, dates: DateReliability | None = None,
                ledes: LedeReliability | None = None, origins: SiteOrigins | None = None,
                bylines: Bylines | None = None, readings: Readings | None = None, details: bool = True) -> StoryTree:
    """The republication tree of one story (pure: plain data in, plain data out).

    `roles` (see `evidence.count_roles`) are the sites' habits as source or copy across the corpus; `dates`
    (`evidence.learn_date_reliability`) how far its dates can be trusted; `ledes` (`lede.learn_lede_reliability`)
    how far the lede can be (None: at full weight); `origins` (`origin.count_origins`) how often each site's
    articles start the stories they are in; `bylines` (`Store.byline_sites`) on which sites each author's name
    appears, and how often; `readings` the story's variant readings from an earlier tree of it (else computed).
    `details=False` gives the tree alone (no credit classes, secondary sources or copy records): what a first
    set of trees needs to learn which sites start stories.
    """
    missing = [m for m in members if m not in articles]
    if missing:
        raise ValueError(f"story members without an article: {sorted(missing)[:10]}")
    bp = boilerplate or {}
    links = [p for p in pairs if translations.is_link(p)]  # two languages joined by a credit line's link
    pairs = [p for p in pairs if not translations.is_link(p)]
    via: dict[tuple[int, int], int] = {}
    if options.bridges:
        aligned = passages
        pairs, passages, via = bridges.extend(members, pairs, passages, lambda m: time_key(articles[m]),
                                              options.bridges, options.bridge_hub)
        if via and readings is None:  # from the aligned passages only: a bridged one knows no word edits
            readings = Readings({m: articles[m].text for m in members}, aligned)
    ctx = story_context(members, articles, pairs, passages, bp, roles, dates,
                   (ledes or LedeReliability()) if options.lede else None, bylines, options.one_hop_repair, readings)
    for key, h in via.items():
        ctx.directions[key].evidence.append(Evidence(bridges.KIND, None, 0.0, bridges.detail(h)))
    named = dateline_named(members, articles)
    claimed = credited_uncrediting(members, articles) if options.credited_origin else set()
    if options.most_credited_origin:  # several members claimed as the origin by credits: the most credited
        top = most_credited(named | claimed, members, articles)
        named, claimed = named & top, claimed & top
    wrapping = wrapping_titles(members, articles, options.loud_title) if options.wrapped_title_origin else set()
    is_copy = {m: max((ctx.p_first(r, m) for r in ctx.neighbours.get(m, ())), default=0.0) > 0.5 for m in members}
    root_w = options.extra_root_score if options.single_origin else options.root_score
    root_edges: dict[int, float] = {}
    credits = crediting_sites(members, articles) if claimed else {}  # each site crediting it says so again
    for m in members:
        lean = (origin_lean(articles[m], roles, options.origin_role_weight, origins, options.site_origin_weight)
                + options.dateline_origin * (m in named)
                + options.credited_origin * (m in claimed) * math.sqrt(min(credits.get(m) or 1,
                                                                               max(1, options.credited_origin_cap)))
                - options.wrapped_title_origin * (m in wrapping))
        root_edges[m] = root_w + lean
    weights = {m: candidates.scores(candidates.candidate_terms(m, ctx, articles, options), options)
               for m in members}
    incoming = _incoming(root_edges, weights, options, is_copy, root_w)
    arb = max_arborescence(_ROOT, incoming)
    if options.copy_from_tree and options.copy_penalty:
        # one pairwise direction pointing at a candidate (a misdated or day-only page) makes it "a copy" though
        # the story's tree has it as the origin, and spares a copy no neighbour clearly predates: ask the tree
        tree_copy = {m: arb[m] != _ROOT for m in members}
        if tree_copy != is_copy:
            incoming = _incoming(root_edges, weights, options, tree_copy, root_w)
            arb = max_arborescence(_ROOT, incoming)
    parent = {v: u for v, u in arb.items() if u != _ROOT}
    roots = [v for v, u in arb.items() if u == _ROOT]
    hung = translations.hang(parent, roots, links, articles, lambda m: time_key(articles[m]),
                             lambda a, b: infer_direction(a, b, None, roles, dates))
    order = sorted(members, key=lambda m: time_key(articles[m]))
    rank = {m: i for i, m in enumerate(order)}
    kids: dict[int, list[int]] = defaultdict(list)
    for m, u in parent.items():
        kids[u].append(m)
    walk, stack = [], list(roots)
    while stack:  # every member once, each after its source
        x = stack.pop()
        walk.append(x)
        stack.extend(kids.get(x, ()))
    size = dict.fromkeys(members, 1)
    for x in reversed(walk):  # subtree sizes, leaves first
        if x in parent:
            size[parent[x]] += size[x]
    roots.sort(key=lambda r: (-size[r], rank[r]))
    tree = StoryTree(articles=order, roots=roots, parent=parent)
    times = [t for m in members if (t := published_time(articles[m])) is not None]
    # the story starts with its origin: a copy dated before it (a wrong clock the tree overruled) does not move
    # the start earlier, nor lengthen the spread
    start = published_time(articles[tree.root])
    tree.first_published = start if start is not None else min(times) if times else None
    tree.last_published = max(times) if times else None
    if not details:
        return tree

    tree.choice = source_choices(parent, incoming)
    outside = roots_outside_credits(tree.roots, [articles[m] for m in members]) if options.outside_origin else {}
    tree.credit = story_credits(order, tree.ancestors, articles, outside, roles)
    _secondary_sources(tree, ctx, options)
    _copies(tree, ctx, articles, bp, outside, hung, roles)
    tree.copies += translations.copies(hung, articles, tree.credit)
    return tree


def _incoming(root_edges: dict[int, float], weights: dict[int, Weights], options: TreeOptions,
              is_copy: dict[int, bool], root_w: float) -> dict[int, dict[int, float]]:
    """Edmonds' input: each member's edges from the virtual root and from its candidate sources."""
    incoming: dict[int, dict[int, float]] = {}
    for m, w in root_edges.items():
        ins = {_ROOT: w}
        for p, pw in candidates.penalised(weights.get(m, ({}, {})), is_copy, options).items():
            if pw > root_w:
                ins[p] = pw
        incoming[m] = ins
    return incoming


def _secondary_sources(tree: StoryTree, ctx: Context, options: TreeOptions) -> None:
    descendants: dict[int, set[int]] = defaultdict(set)
    for c in tree.articles:
        for a in tree.ancestors(c):
            descendants[a].add(c)
    for c, p in tree.parent.items():
        explained = list(ctx.spans.get((c, p), []))
        cands = [q for q in ctx.neighbours.get(c, ()) if q != p and q not in descendants[c]
                 and ctx.p_first(q, c) >= 0.5]
        chosen = True
        while chosen and cands:
            chosen = False
            base = _spans.merge(explained)
            best, best_spans = None, []
            for q in cands:
                rest = _spans.drop_short(_spans.subtract(ctx.spans.get((c, q), []), base), options.min_exclusive_chars)
                if _spans.total(rest) > _spans.total(best_spans):
                    best, best_spans = q, rest
            n = _spans.total(best_spans)
            if best is not None and n >= options.secondary_chars and n / ctx.length[c] >= options.secondary_share:
                tree.secondary.append(SecondarySource(c, best, best_spans, n))
                explained += best_spans
                cands.remove(best)
                chosen = True


def _copies(tree: StoryTree, ctx: Context, articles: dict[int, Article], bp: dict[int, Spans],
            outside: dict[int, list[AttributionStatement]], hung: Container[int], roles: SiteRoles | None) -> None:
    arts = [articles[m] for m in tree.articles]
    names = {a.site: a.site_name for a in arts if a.site_name}  # the story's sites, as in `story_credits`
    extra: dict[int, Spans] = defaultdict(list)
    for s in tree.secondary:
        extra[s.copy_id] += s.spans
    edges = [(p, c, True) for c, p in tree.parent.items() if c not in hung]
    edges += [(s.source_id, s.copy_id, False) for s in tree.secondary]
    for p, c, main in edges:
        d = ctx.directions[pair_key(p, c)]
        conf = d.prob_first(p)
        conflict = d.conflict
        if d.source_id != p:
            conflict = (f"the tree reverses the pairwise direction ({conf:.2f}); " + (d.conflict or "")).strip("; ")
        copy_art, src_art = articles[c], articles[p]
        pass_ = ctx.passages.get(pair_key(p, c), [])
        others = extra[c] if main else ctx.spans.get((c, tree.parent[c]), []) if c in tree.parent else []
        ch = describe_changes(copy_art, src_art, pass_, bp, explained=others)
        if main:
            credit = tree.credit[c]
        else:
            chain = [p, *tree.ancestors(p)]
            credit = copy_credit(copy_art, [articles[a] for a in chain], outside.get(chain[-1]), arts, roles, names)
        evidence = list(d.evidence)
        grand = tree.parent.get(p)
        if main and grand is not None and (c, grand) in ctx.spans:  # why not straight from the source's source
            evidence += why_through(copy_art, src_art, articles[grand], ctx.spans, ctx.readings)
        tree.copies.append(Copy(
            source_id=p, copy_id=c, confidence=round(conf, 4), credit=credit, evidence=evidence,
            added=ch.added, removed=ch.removed, changed=ch.changed,
            coverage=round(min(1.0, _spans.total(ctx.spans.get((c, p), [])) / ctx.length[c]), 4),
            conflict=conflict, choice=sure[0] if (sure := tree.choice.get(c) if main else None) else None,
            alternatives=sure[1] if sure else [],
        ))


def trace_stories(articles: dict[int, Article], pairs: list[ArticlePair], passages: list[Passage],
                  boilerplate: dict[int, Spans] | None = None, options: TreeOptions = TreeOptions(),
                  learn_roles: bool = True) -> list[StoryTree]:
    """Every story in the pairs, with its tree. Pairs naming unknown articles are skipped.

    With `learn_roles`, the sites' habits are first counted over all pairs' confident directions.
    """
    known = [p for p in pairs if p.a_id in articles and p.b_id in articles]
    joined = known + translations.link_pairs(translations.from_articles(articles))  # and across languages
    comps = story_components(joined, options, {i: a.site for i, a in articles.items()})
    roles = count_roles(pair_decisions(articles, known)) if learn_roles else None
    dates = learn_date_reliability((articles[p.a_id], articles[p.b_id]) for p in known) if learn_roles else None
    ledes = learn_ledes(articles, known, passages, boilerplate or {}) if learn_roles else LedeReliability()
    bylines = count_bylines(articles.values()) if learn_roles else None
    trees = [build_story(comp, articles, joined, passages, boilerplate, options, roles, dates, ledes,
                         bylines=bylines) for comp in comps]
    if not learn_roles or not options.site_origin_weight:
        return trees
    origins = count_origins(story_sites(t, articles) for t in trees)
    return [build_story(comp, articles, joined, passages, boilerplate, options, roles, dates, ledes, origins, bylines)
            for comp in comps]

