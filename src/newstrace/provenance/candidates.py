"""Each copy's candidate sources and the evidence for each: the working data of one story (`Context`), the terms
of each candidate (`Terms`, `candidate_terms`) and their scores (`scores`, `penalised`) for Edmonds' choice in
`trees.build_story`."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..bylines import byline_keys
from ..models import Article, ArticlePair, Passage
from . import _spans
from ._spans import Spans
from .changes import side_spans
from .credit import carried_lines, credit_strength
from .evidence import (
    Bylines,
    DateReliability,
    Direction,
    SiteRoles,
    article_time,
    byline_evidence,
    credits_naming,
    infer_direction,
)
from .lede import LedeReliability, credit_ranges, lede_evidence, unshared_lead
from .options import TreeOptions
from .origin import norm_title
from .readings import Readings
from .repair import transitive

__all__ = ["Context", "Terms", "Weights", "candidate_terms", "pair_key", "penalised", "scores", "story_context",
           "time_key", "TRANSITIVE_LIMIT"]


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _content_length(article: Article, boilerplate: Spans) -> int:
    n = len(article.text)
    return max(1, n - _spans.total(_spans.clip(boilerplate, 0, n)))


@dataclass(slots=True)
class Context:
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


def story_context(members: set[int], articles: dict[int, Article], pairs: list[ArticlePair], passages: list[Passage],
             boilerplate: dict[int, Spans], roles: SiteRoles | None = None,
             dates: DateReliability | None = None, ledes: LedeReliability | None = None,
             bylines: Bylines | None = None, repair: bool = False, readings: Readings | None = None) -> Context:
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
    return Context(directions, spans, mismatch, dict(by_pair), neighbours, length, readings)


TRANSITIVE_LIMIT = 150  # stories larger than this skip the one-hop repair (quadratic in the story's size)


def _passed_down(copy: Article, cands: list[int], articles: dict[int, Article], ctx: Context,
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


@dataclass(slots=True)
class Terms:
    """The evidence for one candidate source of one copy, each term on its own scale (see `scores`).

    Kept apart from the weights so that a benchmark can ask how far any weighting of this evidence could go."""

    logp: float  # log of the probability that the candidate came first (floored for a weak candidate)
    exclusive: float = 0.0  # text of the copy only this candidate explains, 0..1 of `text_scale`, times how sure
    differ: float = 0.0  # readings the candidate has where a rival agrees with the copy, -1..1
    missing: float = 0.0  # text an earlier article explains and this candidate lacks, 0..1 of `text_scale`
    cover: float = 0.0  # share of the copy the candidate covers
    title: float = 0.0  # the copy kept (or dressed up) this candidate's headline: 1, or `derived_title`
    byline: bool = False  # the copy kept this candidate's byline
    credit: float = 0.0  # how strongly the copy's credit lines name the candidate's outlet
    dressing: bool = False  # the candidate's headline dresses up the copy's: no source of it
    weak: bool = False  # the direction says the candidate probably came later (kept against a second origin)


Weights = tuple[dict[int, float], dict[int, float]]  # (candidates, weak candidates), before the copy penalty


def candidate_terms(c: int, ctx: Context, articles: dict[int, Article], options: TreeOptions) -> dict[int, Terms]:
    """The evidence for each plausible main source of article `c`, and for its weak sources."""
    nbrs = ctx.neighbours.get(c, set())
    if len(nbrs) > options.max_neighbours:
        # a viral story: the articles sharing most text with `c`, and the earliest ones. Copies of a wire story
        # share its text and each other's credit line, so on text alone the wire itself may rank below them all
        by_text = sorted(nbrs, key=lambda q: -_spans.total(ctx.spans.get((c, q), [])))
        early = sorted(nbrs, key=lambda q: time_key(articles[q]))[: options.earliest_neighbours]
        nbrs = set(by_text[: options.max_neighbours]) | set(early)
    earlier = {q: ctx.p_first(q, c) for q in nbrs}
    cands = [p for p in nbrs if earlier[p] >= options.min_direction]
    # sources the direction evidence says probably came later: kept (low, no text terms) so that an article whose
    # date is wrong still hangs under its story rather than becoming a second origin (`penalised` keeps 3)
    weak = {p: Terms(math.log(max(earlier[p], options.weak_floor)), credit=credit_strength(articles[c], articles[p]),
                     weak=True)
            for p in nbrs if earlier[p] < options.min_direction and _same_text(ctx, p, c)} \
        if options.single_origin else {}
    if not cands:
        return weak
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
    out: dict[int, Terms] = {}
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
        out[p] = Terms(math.log(earlier[p]), exclusive=sure * min(1.0, exclusive / scale),
                       differ=min(1.0, differ / options.fidelity_words), missing=min(1.0, missing / scale),
                       cover=cover, title=title, byline=p in kept_by)
    carried = carried_lines(articles[c], cands, articles)
    passed = _passed_down(articles[c], cands, articles, ctx, options) if options.credit_passed_down else set()
    for p in cands:
        out[p].credit = 0.0 if p in passed else credit_strength(articles[c], articles[p], carried.get(p))
    # a page whose headline dresses up the copy's ("BREAKING: <the copy's headline>") is no source of it: a copy
    # keeps or dresses up its source's headline, it does not strip the dressing off
    for q, t in (*out.items(), *weak.items()):
        t.dressing = len(own_title) >= 15 and titles[q] != own_title and own_title in titles[q]
    return {**weak, **out}


def scores(terms: dict[int, Terms], options: TreeOptions) -> Weights:
    """Log-score of each plausible main source (higher is more likely), and of each weak one.

    log(direction probability) + credit + text terms; the text terms compare the candidates with each other (the
    best candidate's are 0), so they choose among sources but never invent one. The copy penalty depends on the
    tree, so `penalised` applies it (with the cut to `max_candidates`).
    """
    o = options
    text = {p: (o.exclusive_weight * t.exclusive - o.fidelity_weight * t.differ - o.missing_weight * t.missing
                + o.cover_weight * t.cover + o.title_weight * t.title + o.byline_weight * t.byline)
            for p, t in terms.items() if not t.weak}
    best = max(text.values(), default=0.0)
    main: dict[int, float] = {}
    weak: dict[int, float] = {}
    for p, t in terms.items():
        if t.weak:
            weak[p] = t.logp - o.weak_penalty + o.credit_weight * t.credit - o.dressed_source_penalty * t.dressing
        else:
            main[p] = t.logp + (text[p] - best) + o.credit_weight * t.credit - o.dressed_source_penalty * t.dressing
    return main, weak


def penalised(weights: Weights, is_copy: dict[int, bool], options: TreeOptions) -> dict[int, float]:
    """The candidate scores less the copy penalty: the `max_candidates` best, and at most 3 weak ones."""
    main, weak = ({p: w - options.copy_penalty * is_copy[p] for p, w in ws.items()} for ws in weights)
    if len(main) > options.max_candidates:
        main = {k: main[k] for k in sorted(main, key=lambda k: -main[k])[: options.max_candidates]}
    return {**dict(sorted(weak.items(), key=lambda kv: -kv[1])[:3]), **main}


def _same_text(ctx: Context, p: int, c: int, share: float = 0.5) -> bool:
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


def time_key(article: Article) -> tuple[int, str, int]:
    t, _, _ = article_time(article)
    return (0 if t else 1, t.isoformat() if t else "", article.id or 0)
