"""Provenance on hand-built fixtures: direction evidence, trees (chain vs star), multiple sources, credit, changes."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from newstrace.models import Article, ArticlePair, AttributionStatement, Passage
from newstrace.provenance import (
    CREDITED,
    INTERMEDIARY,
    ORIGIN,
    UNCREDITED,
    build_story,
    credit_class,
    infer_direction,
    story_components,
    trace_stories,
)
from newstrace.provenance._naive_reuse import align_all
from newstrace.provenance._spans import intersect, merge, subtract, within
from newstrace.provenance.changes import describe_changes
from newstrace.provenance.evidence import ROLE_PER_ARTICLE, count_roles

BODY = [
    "The harbour authority confirmed on Monday that three cargo ships had been held outside the port for a week.",
    "Officials said the delay was caused by a dispute over inspection fees between the port and two shipping firms.",
    "A spokesman for one of the firms said the new fees had been introduced without any warning or consultation.",
    "Dock workers told reporters that queues of lorries now stretched for several kilometres along the coast road.",
    "The regional governor is expected to meet both sides on Wednesday in an attempt to settle the disagreement.",
]
BLOG_INTRO = "Readers have asked us why nobody is talking about this port scandal, so here is the full report below."
BLOG_COMMENT = "Our view is simple: the fees are a hidden tax, and the authorities owe us a clear explanation now."
OTHER = [
    "Separately, the national weather service warned that gales of ninety kilometres an hour would hit the coast.",
    "Forecasters advised small boats to stay in harbour until the storm had passed late on Thursday evening.",
]


def art(aid: int, site: str, paragraphs: list[str], day: int, hour: int = 9, title: str = "Ships held at port",
        source: str | None = "metadata", attributions: list[AttributionStatement] | None = None,
        site_name: str | None = None, canonical: str | None = None) -> Article:
    published = datetime(2024, 3, day, hour, tzinfo=UTC) if source else None
    return Article(id=aid, url=f"https://{site}/story-{aid}", title=title, paragraphs=paragraphs, site=site,
                   site_name=site_name, published=published, published_source=source,
                   attributions=attributions or [], canonical_url=canonical)


def credit(outlet: str, kind: str = "source") -> AttributionStatement:
    return AttributionStatement(kind=kind, text=f"Source: {outlet}", outlet=outlet)


def run(arts: list[Article], boilerplate: dict[int, list[tuple[int, int]]] | None = None):
    pairs, passages = align_all(arts, boilerplate=boilerplate)
    stories = trace_stories({a.id: a for a in arts}, pairs, passages, boilerplate)  # type: ignore[misc]
    return stories, pairs, passages


# -- spans ------------------------------------------------------------------------------------------

def test_span_algebra():
    a = merge([(5, 10), (0, 3), (8, 12)])
    assert a == [(0, 3), (5, 12)]
    assert subtract(a, [(2, 6), (11, 20)]) == [(0, 2), (6, 11)]
    assert intersect(a, [(1, 6)]) == [(1, 3), (5, 6)]
    assert within([(0, 2), (6, 9)], a) and within([], a) and not within([(2, 6)], a) and not within([(11, 13)], a)
    rng = random.Random(3)
    for _ in range(2000):  # within() is `not subtract()`, stopping early
        x, y = (merge((s, s + rng.randint(0, 20)) for s in rng.sample(range(100), rng.randint(0, 5))) for _ in "xy")
        assert within(x, y) == (not subtract(x, y))


# -- direction ----------------------------------------------------------------------------------------

def test_direction_follows_dates_when_nothing_else_is_known():
    o = art(1, "origin.example", BODY, day=1)
    c = art(2, "copy.example", BODY[:4], day=2)
    d = infer_direction(c, o)
    assert (d.source_id, d.copy_id) == (1, 2)
    assert d.confidence > 0.7
    assert d.conflict is None
    assert any(e.kind == "date" and e.favours == 1 for e in d.evidence)


def test_clock_skew_credit_beats_date_and_conflict_is_recorded():
    """A copy dated a day before its source, but crediting it: the credit wins, with a lower confidence."""
    o = art(1, "origin.example", BODY, day=5, site_name="Origin Daily")
    c = art(2, "copy.example", BODY, day=4, attributions=[credit("Origin Daily", "original-source")])
    d = infer_direction(o, c)
    assert (d.source_id, d.copy_id) == (1, 2)
    assert d.conflict and "date" in d.conflict and "credit" in d.conflict
    plain = infer_direction(art(1, "origin.example", BODY, day=3),
                            art(2, "copy.example", BODY, day=4, attributions=[credit("Origin Daily")]))
    assert d.confidence < plain.confidence
    assert 0.5 < d.confidence < 0.9


def test_urdu_dateline_naming_the_agency_by_its_spelled_initials_orders_the_pair():
    """A newspaper's "اسلام آباد (اے پی پی)" credits APP (its initials spelled out in Urdu), undated pages
    included; the agency's own dateline on its own page is no credit."""
    from newstrace.credits import detect_statements

    body = ["اسلام آباد (اے پی پی) وفاقی وزیر نے کہا کہ بندرگاہ پر جہاز روک لیے گئے ہیں اور تحقیقات جاری ہیں۔"]
    agency = art(1, "app.com.pk", body, day=1, source=None, site_name="APP",
                 attributions=detect_statements(body, None, "https://app.com.pk/story-1", "APP"))
    assert agency.attributions == []
    paper_body = ["لاہور (اے پی پی) وفاقی وزیر نے کہا کہ بندرگاہ پر جہاز روک لیے گئے ہیں۔", "مزید تفصیلات جلد۔"]
    paper = art(2, "dailypaper.pk", paper_body, day=1, source=None,
                attributions=detect_statements(paper_body, None, "https://dailypaper.pk/story-2", "Daily Paper"))
    d = infer_direction(paper, agency)
    assert (d.source_id, d.copy_id) == (1, 2)
    assert any(e.kind == "dateline" and e.favours == 1 for e in d.evidence)


def test_link_to_the_article_and_canonical_count_as_evidence():
    o = art(1, "origin.example", BODY, day=1, source=None)
    link = AttributionStatement(kind="credit-link", text="Read more", url="https://origin.example/story-1",
                                domain="origin.example")
    c = art(2, "copy.example", BODY, day=1, source=None, attributions=[link])
    d = infer_direction(o, c)
    assert d.source_id == 1 and any(e.kind == "link" for e in d.evidence)
    c2 = art(3, "copy2.example", BODY, day=1, source=None, canonical="https://origin.example/story-1")
    d2 = infer_direction(c2, o)
    assert d2.source_id == 1 and any(e.kind == "canonical" for e in d2.evidence)


def test_no_evidence_is_a_coin_toss_not_a_claim():
    a = art(1, "a.example", BODY, day=1, source=None)
    b = art(2, "b.example", BODY, day=1, source=None)
    d = infer_direction(a, b)
    assert d.confidence == pytest.approx(0.5)


def test_day_only_dates_are_windows_not_instants():
    """A URL date (midnight, day precision) cannot order two pages published the same day."""
    exact = art(1, "a.example", BODY, day=5, hour=15)
    day_only = art(2, "b.example", BODY, day=5, hour=0, source="url")
    d = infer_direction(exact, day_only)
    dates = [e for e in d.evidence if e.kind == "date"]
    assert dates and dates[0].weight < 0.3  # a lean at most
    next_week = art(3, "c.example", BODY, day=12, hour=0, source="url")
    assert infer_direction(exact, next_week).source_id == 1


def test_fetch_time_bounds_an_undated_page_from_above():
    undated = art(1, "a.example", BODY, day=1, source=None)
    undated.fetched_at = datetime(2024, 3, 2, tzinfo=UTC)
    later = art(2, "b.example", BODY, day=9)
    assert infer_direction(undated, later).source_id == 1
    earlier = art(3, "c.example", BODY, day=1)  # published before the fetch: the fetch says nothing
    assert infer_direction(undated, earlier).confidence == pytest.approx(0.5)


def test_site_roles_break_ties_between_undated_pages():
    wire = art(1, "wire.example", BODY, day=1, source=None)
    agg = art(2, "agg.example", BODY, day=1, source=None)
    assert infer_direction(agg, wire).confidence == pytest.approx(0.5)
    roles = count_roles([("wire.example", "x.example", 0.9)] * 5 + [("y.example", "agg.example", 0.9)] * 5
                        + [("wire.example", "agg.example", 0.6)])  # unconfident decisions are not counted
    assert roles["wire.example"] == (5, 0) and roles["agg.example"] == (0, 5)
    d = infer_direction(agg, wire, roles=roles)
    assert d.source_id == 1 and any(e.kind == "site-role" for e in d.evidence)


def test_site_roles_count_each_article_a_bounded_number_of_times():
    # one wire article copied by forty pages (reuse pairs the pages of a story run by hundreds of sites with a few
    # hubs, so those hubs are in many pairs) adds at most ROLE_PER_ARTICLE observations of its site as a source
    decisions = [("wire.example", f"p{k}.example", 0.9, 1, 100 + k) for k in range(40)]
    decisions += [("wire.example", "blog.example", 0.9, 1, 7), ("blog.example", "agg.example", 0.9, 7, 8),
                  ("blog.example", "agg2.example", 0.9, 7, 9), ("wire.example", "p0.example", 0.9, 2, 100)]
    roles = count_roles(decisions)
    assert roles["wire.example"] == (ROLE_PER_ARTICLE + 1, 0)  # article 1, capped, and article 2
    assert roles["blog.example"] == (2, 1) and roles["p0.example"] == (0, 2)
    assert count_roles([d[:3] for d in decisions])["wire.example"] == (42, 0)  # without ids: per decision


def test_own_site_copyright_is_not_a_credit():
    a = art(1, "same.example", BODY, day=2, site_name="Same", attributions=[credit("Same", "copyright")])
    b = art(2, "same.example", BODY, day=1, site_name="Same", attributions=[credit("Same", "copyright")])
    d = infer_direction(a, b)
    assert d.source_id == 2  # dates decide, self-credits cancel nothing


# -- trees ---------------------------------------------------------------------------------------------

def chain_and_star() -> list[Article]:
    origin = art(1, "origin.example", BODY, day=1, site_name="Origin Daily")
    blog = art(2, "blog.example", [BLOG_INTRO, *BODY, BLOG_COMMENT], day=2, site_name="Port Blog",
               title="Is the port hiding a scandal?", attributions=[credit("Origin Daily")])
    proxy = art(3, "proxy.example", [BLOG_INTRO, *BODY[:4]], day=3, title="Is the port hiding a scandal?",
                attributions=[credit("Port Blog", "original-source")])
    direct = art(4, "direct.example", BODY[:5], day=4)  # took the origin's text, not the blog's
    return [origin, blog, proxy, direct]


def test_chain_not_star_and_star_not_chain():
    stories, _, _ = run(chain_and_star())
    assert len(stories) == 1
    t = stories[0]
    assert t.root == 1 and t.roots == [1]
    assert t.parent == {2: 1, 3: 2, 4: 1}
    assert t.ancestors(3) == [2, 1]
    assert t.credit == {1: ORIGIN, 2: CREDITED, 3: INTERMEDIARY, 4: UNCREDITED}


def test_chain_even_when_the_proxy_is_misdated_before_the_blog():
    arts = chain_and_star()
    arts[2].published = datetime(2024, 3, 1, 12, tzinfo=UTC)  # proxy claims to predate the blog (clock skew)
    stories, _, _ = run(arts)
    t = stories[0]
    assert t.parent[3] == 2
    edge = next(c for c in t.copies if (c.source_id, c.copy_id) == (2, 3))
    assert edge.conflict and "date" in edge.conflict
    assert edge.confidence < 0.9


def test_multiple_sources_are_recorded_with_their_passages():
    origin = art(1, "origin.example", BODY, day=1)
    weather = art(2, "weather.example", OTHER, day=1, hour=8, title="Gales")
    roundup = art(3, "roundup.example", [*BODY[:3], *OTHER], day=2, title="Round-up")
    stories, _, _ = run([origin, weather, roundup])
    t = stories[0]
    assert set(t.articles) == {1, 2, 3}
    assert t.parent[3] == 1
    sec = [s for s in t.secondary if s.copy_id == 3]
    assert len(sec) == 1 and sec[0].source_id == 2
    text = roundup.text
    taken = "".join(text[s:e] for s, e in sec[0].spans)
    assert "gales of ninety" in taken and "harbour authority" not in taken
    kinds = {(c.source_id, c.copy_id) for c in t.copies}
    assert kinds == {(1, 3), (2, 3)}
    # an origin with no earlier neighbour stays a root
    assert set(t.roots) == {1, 2}


def test_components_respect_thresholds():
    pairs = [ArticlePair(1, 2, 3, 200, 0.9, 0.8, 1.0), ArticlePair(3, 4, 1, 8, 0.05, 0.04, 1.0),
             ArticlePair(2, 5, 2, 100, 0.5, 0.3, 1.0)]
    assert story_components(pairs) == [{1, 2, 5}]
    # an excerpt: one sentence of 13 words, 8% of a blog post and 3% of the report, joins the report's story
    # when the two are pages of two sites; the same words as 4% and 3% never do
    excerpt, faint = ArticlePair(2, 6, 1, 13, 0.03, 0.08, 1.0), ArticlePair(2, 7, 1, 13, 0.03, 0.04, 1.0)
    sites = {1: "wire.example", 2: "paper.example", 5: "blog.example", 6: "aggregator.example", 7: "x.example"}
    assert story_components([*pairs, excerpt, faint], sites=sites) == [{1, 2, 5, 6}]
    assert story_components([*pairs, excerpt], sites={**sites, 6: "paper.example"}) == [{1, 2, 5}]  # one site
    assert story_components([*pairs, excerpt]) == [{1, 2, 5}]  # sites unknown: only the stronger rule


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="without an article"):
        build_story({1, 2}, {1: art(1, "a.example", BODY, 1)}, [], [])
    with pytest.raises(ValueError, match="id set"):
        infer_direction(Article(url="u", title="t", paragraphs=[], site="s"), art(1, "a.example", BODY, 1))


# -- credit and changes ------------------------------------------------------------------------------

def test_credit_classes():
    o = art(1, "wire.example", BODY, 1, site_name="Wire One")
    b = art(2, "blog.example", BODY, 2, site_name="Blog Two")
    named_origin = art(3, "c.example", BODY, 3, attributions=[credit("Wire One", "dateline")])
    named_blog = art(4, "d.example", BODY, 3, attributions=[credit("Blog Two", "original-source")])
    named_none = art(5, "e.example", BODY, 3, attributions=[credit("Somebody Else")])
    assert credit_class(o, []) == ORIGIN
    assert credit_class(named_origin, [b, o]) == CREDITED
    assert credit_class(named_blog, [b, o]) == INTERMEDIARY
    assert credit_class(named_blog, [b]) == CREDITED  # the blog is the origin here
    assert credit_class(named_none, [b, o]) == UNCREDITED


def test_changes_added_cut_reworded():
    src = art(1, "origin.example", BODY, 1, title="Ships held at port")
    footer = "The original source of this article is Origin Daily"
    cp = art(2, "copy.example", [BLOG_INTRO, BODY[0], BODY[1], BLOG_COMMENT, BODY[3], footer], 2,
             title="Why is the port blocking ships?",
             attributions=[AttributionStatement("original-source", footer, "Origin Daily")])
    pairs, passages = align_all([src, cp])
    passages.append(Passage(1, 2, 0, 5, 0, 5, 1, 1, 0.8))
    ch = describe_changes(cp, src, passages)
    assert ch.added == ["headline", "intro", "commentary", "footer"]
    assert ch.removed == ["cut"] and BODY[2] in ch.removed_text and BODY[4] in ch.removed_text
    assert "reword" in ch.changed
    unchanged = describe_changes(art(3, "c.example", BODY, 2), src, align_all([src, art(3, "c.example", BODY, 2)])[1])
    assert unchanged.added == [] and unchanged.removed == [] and unchanged.changed == []


def test_one_hop_repair_maps_text_through_a_sibling():
    from newstrace.models import Passage
    from newstrace.provenance.repair import transitive

    # copy 1 shares 0-50 with source 3 directly; its 60-90 the alignment missed with 3, but 1 shares 60-90 with
    # sibling 2 (at 2's 60-90), and 2 shares that with 3: one hop says 1's 60-90 is shared with 3 too
    by_pair = {(1, 2): [Passage(1, 2, 60, 90, 60, 90, 5, 5, 1.0)], (1, 3): [Passage(1, 3, 0, 50, 0, 50, 9, 9, 1.0)],
               (2, 3): [Passage(2, 3, 60, 90, 70, 100, 5, 5, 1.0)]}
    spans = {(1, 3): [(0, 50)], (3, 1): [(0, 50)], (1, 2): [(60, 90)], (2, 1): [(60, 90)], (2, 3): [(60, 90)],
             (3, 2): [(70, 100)]}
    neighbours = {1: {2, 3}, 2: {1, 3}, 3: {1, 2}}
    out = transitive(spans, by_pair, neighbours, {1: [], 2: [], 3: []})
    assert out[(1, 3)] == [(0, 50), (60, 90)]
    assert transitive(spans, by_pair, neighbours, {1: [(60, 90)], 2: [], 3: []})[(1, 3)] == [(0, 50)]  # boilerplate


def test_a_story_starts_with_its_origin_not_a_misdated_copy():
    """A copy whose clock says it predates the story's origin (the tree overrules it) moves neither the story's
    start nor its spread."""
    arts = chain_and_star()
    origin_time = arts[0].published
    arts[2].published = datetime(2024, 2, 20, 12, tzinfo=UTC)  # ten days before everything else
    [t] = run(arts)[0]
    assert t.root == 1 and t.first_published == origin_time
    assert t.last_published == max(a.published for a in arts if a.published)
    assert 0 <= t.spread_hours() < 24 * 5
