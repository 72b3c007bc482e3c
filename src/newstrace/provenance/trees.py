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

from ..bylines import byline_keys
from ..models import Article, ArticlePair, AttributionStatement, Copy, Evidence, Passage
from . import _spans, bridges, translations
from ._spans import Spans
from .arborescence import max_arborescence
from .changes import describe_changes, side_spans
from .choice import source_choices
from .components import story_components
from .credit import carried_lines, copy_credit, credit_strength, roots_outside_credits, story_credits
from .evidence import (
    Bylines,
    DateReliability,
    Direction,
    SiteRoles,
    article_time,
    byline_evidence,
    count_bylines,
    count_roles,
    credits_naming,
    infer_direction,
    learn_date_reliability,
    pair_decisions,
    published_time,
)
from .lede import LedeReliability, credit_ranges, learn_ledes, lede_evidence, unshared_lead
from .origin import (
    SiteOrigins,
    count_origins,
    credited_uncrediting,
    crediting_sites,
    dateline_named,
    most_credited,
    norm_title,
    origin_lean,
    story_sites,
    wrapping_titles,
)
from .readings import Readings
from .repair import transitive
from .why import why_through

__all__ = ["StoryTree", "SecondarySource", "TreeOptions", "story_components", "build_story", "trace_stories",
           "pair_key", "pair_decisions", "story_sites"]

_ROOT = -1


@dataclass(frozen=True, slots=True)
class TreeOptions:
    """Thresholds and weights for stories and trees (defaults tuned on the synthetic corpus).

    An edge's weight is a log-score: log(direction probability) plus text terms, each saturating at
    `text_scale` characters so that a clear stretch of distinguishing text counts fully whatever the length.
    """

    min_coverage: float = 0.05  # a pair of two sites joins a story when either side is this much shared...
    same_site_coverage: float = 0.15  # ...two pages of one site (furniture boilerplate learning missed) this much
    min_words: int = 6  # ...and they share at least this many words (reuse's `linked_words`, its shortest pair)
    min_direction: float = 0.2  # an orientation below this probability is no candidate edge
    likely_direction: float = 0.5  # earlier articles this sure of coming first explain (or fail to) the copy's text
    root_score: float = -4.0  # score of "copies nothing" (the virtual root's edges)
    single_origin: bool = True  # a story (connected by shared text) has one origin: a second root costs...
    extra_root_score: float = -12.0  # ...this, so every other article takes some source, weak ones included
    weak_penalty: float = 1.0  # an orientation below `min_direction`, used only to avoid a second root
    weak_floor: float = 0.01  # its probability is counted at least this
    text_scale: int = 150  # characters of distinguishing text that count fully
    exclusive_weight: float = 3.0  # the copy holds text only this candidate has (among earlier ones)
    exclusive_among_candidates: bool = True  # ...among all candidates, not only the likely ones
    missing_weight: float = 3.0  # the copy holds text an earlier article has and this candidate lacks
    cover_weight: float = 0.5  # share of the copy this candidate covers
    title_weight: float = 2.5  # the copy kept this candidate's own headline
    byline_weight: float = 2.0  # the copy kept this candidate's byline (and some other likely candidate's differs)
    derived_title: float = 0.5  # share of the title weight for a shared headline that wraps an earlier one
    derived_from_kept: bool = True  # ...asked of the headline kept (False: of the copy's own headline)
    wrapped_title_source: bool = True  # a copy's headline wrapping a candidate's counts as keeping it
    dressed_source_penalty: float = 3.0  # a candidate whose headline wraps the copy's is no source of it
    fidelity_weight: float = 1.5  # the copy differs from this candidate where a rival agrees with it...
    fidelity_words: float = 3.0  # ...counts fully from this many differing readings (a copy carries its
    # source's typos and rewordings; `readings.py`), either way: fewer than every rival counts as a bonus
    readings: bool = True  # False: the old measure, words differing inside all passages shared with a candidate
    credit_weight: float = 1.0  # the copy names this candidate's outlet (a dateline counts a fifth)...
    credit_passed_down: bool = True  # ...unless it also names a later candidate that copied this one
    copy_penalty: float = 0.4  # the candidate is itself a copy (prefer the nearer-to-root explanation)...
    copy_from_tree: bool = True  # ...as a first tree of the whole story says, not as its pairwise directions do
    origin_role_weight: float = 2.0  # the site's log-odds of being the source leans the choice of origin
    site_origin_weight: float = 2.0  # ...and its log-odds of starting the stories it is in (a first set of trees)
    credited_origin: float = 2.0  # others credit this article's outlet and it credits nobody here: the origin...
    credited_origin_cap: int = 3  # ...times the square root of how many sites credit it, counted up to this many
    dateline_origin: float = 3.0  # another member's dateline names this article's site: likely the origin
    most_credited_origin: bool = True  # ...these two leans go to the member credited by the most members only
    outside_origin: bool = True  # a root crediting an outlet outside the story is an intermediary for credit classes
    wrapped_title_origin: float = 4.0  # this article's headline wraps another member's ("Breaking: ..."): a copy
    loud_title: bool = True  # ...or shouts it (capitals, an exclamation mark added)
    lede: bool = True  # an article holding its own text above the shared text copied the other (`lede.py`)
    min_exclusive_chars: int = 40  # shorter leftovers are alignment noise at passage edges
    one_hop_repair: bool = False  # text C shares with S that S shares with P counts as shared with P (`repair.py`):
    # off since the fifth round, when it cost parent accuracy (-0.2 points on twelve corpora, -0.4 on four new
    # ones) and most of the time of large stories
    secondary_chars: int = 80  # a second source must explain at least this much text...
    secondary_share: float = 0.05  # ...and this share of the copy
    max_candidates: int = 12  # per article, the strongest candidate sources kept for Edmonds
    max_neighbours: int = 40  # per article, the neighbours (most shared text first) weighed as sources...
    earliest_neighbours: int = 10  # ...and, past that many, also the earliest published ones
    bridges: int = 10  # per article, pages published before all its neighbours, bridged through a hub...
    bridge_hub: int = 40  # ...a neighbour with at least this many neighbours (`bridges.py`)


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
        """Hours from the first to the last publication in the story."""
        if self.first_published and self.last_published:
            return (self.last_published - self.first_published).total_seconds() / 3600
        return None


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _content_length(article: Article, boilerplate: Spans) -> int:
    n = len(article.text)
    return max(1, n - _spans.total(_spans.clip(boilerplate, 0, n)))


@dataclass(slots=True)
class _Context:
    """Per-story working data: directions, and for each (copy, candidate) the copy's ranges it explains."""

    directions: dict[tuple[int, int], Direction]
    spans: dict[tuple[int, int], Spans]  # (child, neighbour) -> child's ranges shared with neighbour
    mismatch: dict[tuple[int, int], float]  # pair -> words that differ inside the shared passages
    passages: dict[tuple[int, int], list[Passage]]
    neighbours: dict[int, set[int]]
    length: dict[int, int]
    readings: Readings
    shared_twice: dict[int, Spans] = field(default_factory=dict)  # member -> its text two or more others share

    def p_first(self, p: int, c: int) -> float:
        return self.directions[pair_key(p, c)].prob_first(p)


def _context(members: set[int], articles: dict[int, Article], pairs: list[ArticlePair], passages: list[Passage],
             boilerplate: dict[int, Spans], roles: SiteRoles | None = None,
             dates: DateReliability | None = None, ledes: LedeReliability | None = None,
             bylines: Bylines | None = None, repair: bool = False, readings: Readings | None = None) -> _Context:
    by_pair: dict[tuple[int, int], list[Passage]] = defaultdict(list)
    for ps in passages:
        if ps.a_id in members and ps.b_id in members:
            by_pair[pair_key(ps.a_id, ps.b_id)].append(ps)
    directions: dict[tuple[int, int], Direction] = {}
    spans: dict[tuple[int, int], Spans] = {}
    neighbours: dict[int, set[int]] = defaultdict(set)
    bp = {m: _spans.merge([*boilerplate.get(m, []), *credit_ranges(articles[m])]) for m in members}
    for pr in pairs:
        if pr.a_id not in members or pr.b_id not in members or pr.a_id == pr.b_id:
            continue
        key = pair_key(pr.a_id, pr.b_id)
        if key in directions:
            continue
        neighbours[pr.a_id].add(pr.b_id)
        neighbours[pr.b_id].add(pr.a_id)
        for x, y in ((pr.a_id, pr.b_id), (pr.b_id, pr.a_id)):
            spans[(x, y)] = _spans.subtract(side_spans(by_pair.get(key, []), x), bp[x])
        lede = None if ledes is None else lede_evidence(
            pr.a_id, unshared_lead(spans[(pr.a_id, pr.b_id)], bp[pr.a_id], articles[pr.a_id].text,
                                   articles[pr.b_id].text),
            pr.b_id, unshared_lead(spans[(pr.b_id, pr.a_id)], bp[pr.b_id], articles[pr.b_id].text,
                                   articles[pr.a_id].text), ledes)
        byline = byline_evidence(articles[pr.a_id], articles[pr.b_id], bylines)
        directions[key] = infer_direction(articles[pr.a_id], articles[pr.b_id], pr, roles, dates, [lede, byline])
    length = {m: _content_length(articles[m], bp[m]) for m in members}
    mismatch = {k: sum((1.0 - p.similarity) * max(p.a_words, p.b_words) for p in v) for k, v in by_pair.items()}
    if repair and len(members) <= TRANSITIVE_LIMIT:
        spans = transitive(spans, by_pair, neighbours, bp)
    if readings is None:
        readings = Readings({m: articles[m].text for m in members}, passages)
    return _Context(directions, spans, mismatch, dict(by_pair), neighbours, length, readings)


TRANSITIVE_LIMIT = 150  # stories larger than this skip the one-hop repair (quadratic in the story's size)


def _passed_down(copy: Article, cands: list[int], articles: dict[int, Article], ctx: _Context,
                 options: TreeOptions) -> set[int]:
    """Credited candidates whose credit says nothing about the copy's immediate source: the copy also credits
    another candidate that itself shares text with this one and came after it ("Source: Blog, originally
    Agency", the blog being a copy of the agency). Naming the blog only makes sense if the text came through
    it; naming the agency as well is the original credit passed down."""
    named = [q for q in cands if credits_naming(copy, articles[q])]
    if len(named) < 2:
        return set()
    return {q for q in named if any(r != q and r in ctx.neighbours.get(q, ())
                                    and ctx.p_first(q, r) >= options.likely_direction for r in named)}


Weights = tuple[dict[int, float], dict[int, float]]  # (candidates, weak candidates), before the copy penalty


def _candidate_weights(c: int, ctx: _Context, articles: dict[int, Article], options: TreeOptions) -> Weights:
    """Log-score of each plausible main source of article `c` (higher is more likely), and of its weak sources.

    log(direction probability) + credit + text terms; the text terms compare the candidates with each other (the
    best candidate's are 0), so they choose among sources but never invent one. The copy penalty depends on the
    tree, so `_penalised` applies it (with the cut to `max_candidates`).
    """
    nbrs = ctx.neighbours.get(c, set())
    if len(nbrs) > options.max_neighbours:
        # a viral story: the articles sharing most text with `c`, and the earliest ones. Copies of a wire story
        # share its text and each other's credit line, so on text alone the wire itself may rank below them all
        by_text = sorted(nbrs, key=lambda q: -_spans.total(ctx.spans.get((c, q), [])))
        early = sorted(nbrs, key=lambda q: _time_key(articles[q]))[: options.earliest_neighbours]
        nbrs = set(by_text[: options.max_neighbours]) | set(early)
    earlier = {q: ctx.p_first(q, c) for q in nbrs}
    cands = [p for p in nbrs if earlier[p] >= options.min_direction]
    weak = _weak_weights(c, [p for p in nbrs if earlier[p] < options.min_direction and _same_text(ctx, p, c)],
                         earlier, articles, options) if options.single_origin else {}
    if not cands:
        return {}, weak
    likely = [q for q in nbrs if earlier[q] >= options.likely_direction]
    likely_set = set(likely)
    only_one, anywhere = _spans.levels([ctx.spans.get((c, q), []) for q in likely])
    if options.exclusive_among_candidates:
        # text a candidate alone explains, against every candidate that may have come first: a likely source
        # does not own text that a candidate of unclear direction (two day-only dates) holds as well
        only_one = _spans.levels([ctx.spans.get((c, q), []) for q in cands])[0]
    own_title = norm_title(articles[c].title)
    titles = {q: norm_title(articles[q].title) for q in nbrs}
    # the candidates whose headline the copy kept, or dressed up ("Is <headline>?"): the longest such headline
    # is the most specific (a copy of "BREAKING: X" keeps or wraps that, not the plain "X" it was made from)
    kept = {q: len(titles[q]) for q in nbrs if own_title and (titles[q] == own_title or (
        options.wrapped_title_source and len(titles[q]) >= 15 and titles[q] in own_title))}
    top = max(kept.values(), default=0)
    other_titles = sum(1 for q in likely if kept.get(q) != top)
    # a shared headline that wraps an earlier article's headline ("BREAKING: ...") may be two copies dressing up
    # the same source's headline alike: it counts half
    if options.derived_from_kept:  # ...that is, the headline kept (or wrapped) itself wraps a likely candidate's
        tops = {titles[q] for q, n in kept.items() if n == top}
        derived = any(len(titles[q]) >= 15 and titles[q] not in tops and any(titles[q] in t for t in tops)
                      for q in likely)
    else:
        derived = any(len(titles[q]) >= 15 and titles[q] != own_title and titles[q] in own_title for q in likely)
    title_value = options.derived_title if derived else 1.0
    # the candidates whose byline the copy kept: a republisher that keeps the author's name keeps the one on
    # the page it took the text from (counted only where some likely candidate carries another byline)
    own_by = byline_keys(articles[c].authors) if options.byline_weight else set()
    kept_by = {q for q in cands if own_by & byline_keys(articles[q].authors)}
    if not kept_by or all(q in kept_by for q in likely):
        kept_by = set()
    n = ctx.length[c]
    scale = float(options.text_scale)
    text: dict[int, float] = {}
    rivals = [q for q in cands if q in likely_set]
    for p in cands:
        mine = ctx.spans.get((c, p), [])
        # text of `c` that only `p` explains among the earlier articles
        if options.exclusive_among_candidates or p in likely_set:
            alone = _spans.intersect(mine, only_one)
        else:
            alone = _spans.subtract(mine, anywhere)
        exclusive = _spans.total(_spans.drop_short(alone, options.min_exclusive_chars))
        missing = _spans.total(_spans.drop_short(_spans.subtract(anywhere, mine), options.min_exclusive_chars))
        cover = min(1.0, _spans.total(mine) / n)
        title = title_value if kept.get(p) == top and other_titles > 0 else 0.0
        if options.readings:
            # readings `p` has where a likely rival agrees with the copy, less the other way round (the worst
            # rival counts): a copy carries its source's typos and rewordings. Bounded both ways, as a few
            # alignment slips must not outweigh every other term
            differ = max(-options.fidelity_words,
                         max((float(ctx.readings.excess(c, p, q)) for q in rivals if q != p), default=0.0))
        else:
            differ = ctx.mismatch.get(pair_key(p, c), 0.0)
        # text only `p` shares with `c` says "p is the source" only as far as `p` surely came first: with the
        # direction unknown, `p` may as well have copied `c`'s own additions
        sure = min(1.0, max(0.0, (earlier[p] - 0.5) / 0.3))
        text[p] = (options.exclusive_weight * sure * min(1.0, exclusive / scale)
                   - options.fidelity_weight * min(1.0, differ / options.fidelity_words)
                   - options.missing_weight * min(1.0, missing / scale)
                   + options.cover_weight * cover + options.title_weight * title
                   + options.byline_weight * (p in kept_by))
    best = max(text.values())
    out: dict[int, float] = {}
    carried = carried_lines(articles[c], cands, articles)
    passed = _passed_down(articles[c], cands, articles, ctx, options) if options.credit_passed_down else set()
    for p in cands:
        credit = 0.0 if p in passed else options.credit_weight * credit_strength(articles[c], articles[p],
                                                                                   carried.get(p))
        out[p] = math.log(earlier[p]) + (text[p] - best) + credit
    # a page whose headline dresses up the copy's ("BREAKING: <the copy's headline>") is no source of it: a copy
    # keeps or dresses up its source's headline, it does not strip the dressing off
    dressing = {q for q in nbrs if len(own_title) >= 15 and titles[q] != own_title and own_title in titles[q]}
    fix = {q: options.dressed_source_penalty for q in dressing}
    return {q: w - fix.get(q, 0.0) for q, w in out.items()}, {q: w - fix.get(q, 0.0) for q, w in weak.items()}


def _penalised(weights: Weights, is_copy: dict[int, bool], options: TreeOptions) -> dict[int, float]:
    """The candidate scores less the copy penalty: the `max_candidates` best, and at most 3 weak ones."""
    main, weak = ({p: w - options.copy_penalty * is_copy[p] for p, w in ws.items()} for ws in weights)
    if len(main) > options.max_candidates:
        main = {k: main[k] for k in sorted(main, key=lambda k: -main[k])[: options.max_candidates]}
    return {**dict(sorted(weak.items(), key=lambda kv: -kv[1])[:3]), **main}


def _same_text(ctx: _Context, p: int, c: int, share: float = 0.5) -> bool:
    """Whether the text `p` shares with `c` is (mostly) text `p` also shares with its other neighbours: one
    story's text. A round-up that joined two unrelated reports holds each one's text in its own region, and
    the report it did not take its main text from is a second origin, not a misdated copy.

    Inside what `p` shares with `c`, another neighbour shares it too exactly where two or more neighbours do, so
    that region is computed once per `p` (a hub of a story on thousands of sites has thousands of neighbours)."""
    mine = ctx.spans.get((p, c), [])
    if not mine or not ctx.neighbours.get(p, set()) - {c}:
        return True
    twice = ctx.shared_twice.get(p)
    if twice is None:
        one, anywhere = _spans.levels([ctx.spans.get((p, q), []) for q in ctx.neighbours.get(p, ())])
        twice = ctx.shared_twice[p] = _spans.subtract(anywhere, one)
    return _spans.total(_spans.intersect(mine, twice)) >= share * _spans.total(mine)


def _weak_weights(c: int, weak: list[int], earlier: dict[int, float], articles: dict[int, Article],
                  options: TreeOptions) -> dict[int, float]:
    """Sources the direction evidence says probably came later: kept (low, no text terms) so that an article
    whose date is wrong still hangs under its story rather than becoming a second origin (`_penalised` keeps 3)."""
    return {p: math.log(max(earlier[p], options.weak_floor)) - options.weak_penalty
            + options.credit_weight * credit_strength(articles[c], articles[p]) for p in weak}


def _time_key(article: Article) -> tuple[int, str, int]:
    t, _, _ = article_time(article)
    return (0 if t else 1, t.isoformat() if t else "", article.id or 0)


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
        pairs, passages, via = bridges.extend(members, pairs, passages, lambda m: _time_key(articles[m]),
                                              options.bridges, options.bridge_hub)
        if via and readings is None:  # from the aligned passages only: a bridged one knows no word edits
            readings = Readings({m: articles[m].text for m in members}, aligned)
    ctx = _context(members, articles, pairs, passages, bp, roles, dates,
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
    weights = {m: _candidate_weights(m, ctx, articles, options) for m in members}
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
    hung = translations.hang(parent, roots, links, articles, lambda m: _time_key(articles[m]),
                             lambda a, b: infer_direction(a, b, None, roles, dates))
    order = sorted(members, key=lambda m: _time_key(articles[m]))
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
    tree.first_published = min(times) if times else None
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
        for p, pw in _penalised(weights.get(m, ({}, {})), is_copy, options).items():
            if pw > root_w:
                ins[p] = pw
        incoming[m] = ins
    return incoming


def _secondary_sources(tree: StoryTree, ctx: _Context, options: TreeOptions) -> None:
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


def _copies(tree: StoryTree, ctx: _Context, articles: dict[int, Article], bp: dict[int, Spans],
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

