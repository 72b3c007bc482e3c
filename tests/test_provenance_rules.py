"""The evidence rules added for accuracy: one origin per story, the site's origin lean, dates calibrated by credits."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from newstrace.models import Article, AttributionStatement
from newstrace.provenance import TreeOptions, build_story, trace_stories
from newstrace.provenance._naive_reuse import align_all
from newstrace.provenance.credit import standalone_credit
from newstrace.provenance.evidence import (
    DateReliability,
    byline_evidence,
    byline_key,
    count_bylines,
    credits_naming,
    infer_direction,
    learn_date_reliability,
)
from newstrace.provenance.lede import LedeReliability, learn_lede_reliability, lede_evidence, unshared_lead
from newstrace.provenance.origin import count_origins, louder
from newstrace.provenance.trees import story_sites

BODY = [
    "The harbour authority confirmed on Monday that three cargo ships had been held outside the port for a week.",
    "Officials said the delay was caused by a dispute over inspection fees between the port and two shipping firms.",
    "A spokesman for one of the firms said the new fees had been introduced without any warning or consultation.",
    "Dock workers told reporters that queues of lorries now stretched for several kilometres along the coast road.",
]
INTRO = "Readers have asked us why nobody is talking about this port scandal, so here is the full report below."
T0 = datetime(2024, 3, 5, 12, tzinfo=UTC)


def art(aid: int, site: str, paragraphs: list[str], hours: float, credits: list[str] | None = None) -> Article:
    return Article(id=aid, url=f"https://{site}/s-{aid}", title=f"Ships held {aid}", paragraphs=paragraphs, site=site,
                   published=T0 + timedelta(hours=hours), published_source="metadata",
                   attributions=[AttributionStatement("source", f"Source: {c}", c) for c in credits or []])


def tree(arts: list[Article], options: TreeOptions = TreeOptions(), roles=None, dates=None):
    pairs, passages = align_all(arts)
    return build_story({a.id for a in arts}, {a.id: a for a in arts}, pairs, passages, None, options, roles, dates)


def test_a_misdated_uncredited_copy_is_no_second_origin():
    # 1 the origin; 2 copies it with credit; 3 copies 2 (its intro too) but its clock says it came first
    arts = [art(1, "agency.example", BODY, 0), art(2, "blog.example", [INTRO, *BODY], 4, ["agency.example"]),
            art(3, "mirror.example", [INTRO, *BODY[:3]], -6)]
    roles = {"agency.example": (20, 2)}  # the agency is the source in most of its confident pairs
    t = tree(arts, roles=roles)
    assert t.roots == [1] and t.parent[2] == 1 and 3 in t.parent
    assert t.credit[2] == "credited" and t.credit[3] == "uncredited"
    old = tree(arts, TreeOptions(single_origin=False, lede=False), roles=roles)
    assert 3 in old.roots  # without the rule (nor the lede) the misdated copy stands as an origin of its own


def test_site_habits_lean_the_choice_of_origin():
    # the aggregator's page says it came 8 h before the agency's, nothing else tells them apart
    arts = [art(1, "agency.example", BODY, 0), art(2, "aggregator.example", BODY[:3], -8)]
    roles = {"agency.example": (20, 2), "aggregator.example": (2, 20)}
    assert tree(arts, roles=roles).root == 1
    assert tree(arts, TreeOptions(origin_role_weight=0.0), roles=roles).root == 2  # the date alone decides


def test_dates_calibrated_by_credits():
    pairs = []
    for i in range(40):  # the credited article is dated first in 24 of 40 credited pairs
        src = art(100 + 2 * i, "agency.example", BODY, 0)
        cp = art(101 + 2 * i, "blog.example", BODY, 3 if i < 24 else -3, ["agency.example"])
        pairs.append((src, cp))
    rel = learn_date_reliability(pairs)
    assert rel.near == (24, 40) and rel.far == (0, 0)
    assert rel.factor(3) < 0.5 and rel.factor(60) == 1.0  # no far pairs: far dates keep their weight
    assert learn_date_reliability(pairs[:24]).factor(3) == 1.0  # dates that always agree keep full weight
    a, b = art(1, "x.example", BODY, 0), art(2, "y.example", BODY, 5)
    plain, calibrated = infer_direction(a, b), infer_direction(a, b, dates=rel)
    assert calibrated.source_id == 1 and calibrated.confidence < plain.confidence
    assert DateReliability().factor(3) == 1.0


def test_a_credit_line_carried_over_from_the_source_credits_the_source():
    # the proxy credits the agency; the aggregator keeps the proxy's line word for word and adds "via Proxy"
    line = AttributionStatement("original-source", "The original source of this article is Agency", "Agency")
    agency = art(1, "agency.example", BODY, 0)
    agency.site_name = "Agency"
    proxy = art(2, "proxy.example", BODY, 2)
    proxy.site_name, proxy.attributions = "Proxy", [line]
    agg = art(3, "aggregator.example", BODY, 4)
    agg.attributions = [line, AttributionStatement("via", "via Proxy", "Proxy")]
    t = tree([agency, proxy, agg])
    assert t.parent == {2: 1, 3: 2}
    assert t.credit[3] == "credited"  # it names the origin (in the carried line) as well as the proxy


def test_an_article_others_credit_and_that_credits_nobody_is_the_origin():
    # the agency's page has only a day (from its URL); an uncredited copy has an exact time that morning
    agency = art(1, "agency.example", BODY, 0)
    agency.site_name = "Agency"
    agency.published, agency.published_source = datetime(2024, 3, 5, tzinfo=UTC), "url"
    early = art(2, "mirror.example", BODY[:3], -4)
    later = art(3, "blog.example", [INTRO, *BODY], 2, ["Agency"])
    t = tree([agency, early, later])
    assert t.roots == [1] and t.parent == {2: 1, 3: 1}
    assert tree([agency, early, later], TreeOptions(credited_origin=0.0)).root == 2


def test_a_shared_headline_that_wraps_the_source_headline_counts_half():
    # two copies of one report both dress its headline up as "Breaking: ..."; the second credits the report
    title = "Ships held at the port for a week"
    src = art(1, "agency.example", BODY, 0)
    src.title, src.site_name = title, "Agency"
    first = art(2, "aggregator.example", BODY, 2)
    second = art(3, "mirror.example", BODY, 3, ["Agency"])
    first.title = second.title = f"Breaking: {title}"
    assert tree([src, first, second]).parent == {2: 1, 3: 1}
    assert tree([src, first, second], TreeOptions(derived_title=1.0)).parent[3] == 2


def test_a_copy_dressing_up_a_blogs_new_headline_came_through_the_blog_though_it_credits_the_agency():
    # the blog gave the report a headline of its own; the digest ran "Watch: <the blog's headline>" and credits
    # the agency (as copies through an intermediary often do): the headline it dressed up is the blog's alone,
    # so it counts fully. Counted half (as for "Breaking: X" over the agency's own "X"), the credit decides
    src = art(1, "agency.example", BODY, 0)
    src.title, src.site_name = "Ships held at the port for a week", "Agency"
    blog = art(2, "blog.example", BODY, 2)
    blog.title = "Why is nobody talking about the harbour scandal"
    digest = art(3, "digest.example", BODY, 4, ["Agency"])
    digest.title = f"Watch: {blog.title}"
    assert tree([src, blog, digest]).parent == {2: 1, 3: 2}
    assert tree([src, blog, digest], TreeOptions(derived_from_kept=False)).parent[3] == 1


def test_an_article_whose_headline_wraps_another_members_is_no_origin():
    # the copy dressed the report's headline up as "BREAKING: ..." and its clock says it came 8 h before, in a
    # corpus whose dates agree with the credit lines in 4 of 5 near pairs (about 30% of pages misdated)
    dates = DateReliability(near=(160, 200), far=(160, 200))
    title = "Ships held at the port for a week"
    src = art(1, "agency.example", BODY, 0)
    copy = art(2, "mirror.example", [INTRO, *BODY[:3]], -8)
    src.title, copy.title = title, f"BREAKING: {title.upper()}"
    no_lede = TreeOptions(lede=False)
    assert tree([src, copy], no_lede, dates=dates).roots == [1]
    alone = TreeOptions(wrapped_title_origin=0.0, lede=False, dressed_source_penalty=0.0)
    assert tree([src, copy], alone, dates=dates).roots == [2]  # the date decides
    copy.title = "Port dispute: the full story"  # a new headline of its own says nothing about the order
    assert tree([src, copy], no_lede, dates=dates).roots == [2]


def test_which_candidates_are_copies_is_asked_of_the_story_tree():
    # the agency's report is the origin (others credit it and it credits nobody), but a mirror's clock puts the
    # mirror's verbatim copy 2 h earlier: pairwise, the agency looks like the copy. A digest holding the same
    # text then took it from the origin, not from the misdated mirror
    dates = DateReliability(near=(160, 200), far=(160, 200))
    agency = art(1, "agency.example", BODY, 2)
    agency.site_name = "Agency"
    arts = [agency, art(2, "mirror.example", BODY, 0), art(3, "blog.example", [INTRO, *BODY], 6, ["Agency"]),
            art(4, "digest.example", BODY[:3], 8)]
    assert tree(arts, dates=dates).parent == {2: 1, 3: 1, 4: 1}
    assert tree(arts, TreeOptions(copy_from_tree=False), dates=dates).parent[4] == 2


def test_a_headline_dressed_up_from_a_candidates_headline_points_at_that_candidate():
    # a blog reposts the report as "BREAKING: <headline>"; a digest asks "Is breaking: <headline>?" of the
    # blog's headline: it took the blog's page, though the text is the report's too
    title = "Ships held at the port for a week"
    arts = [art(1, "agency.example", BODY, 0), art(2, "blog.example", BODY, 2), art(3, "digest.example", BODY, 4)]
    arts[0].title, arts[1].title, arts[2].title = title, f"BREAKING: {title}", f"Is breaking: {title.lower()}?"
    assert tree(arts).parent == {2: 1, 3: 2}
    assert tree(arts, TreeOptions(wrapped_title_source=False)).parent[3] == 1
    arts[2].title = "Port dispute: the full story"  # a headline of its own points at neither
    assert tree(arts).parent[3] == 1


def test_a_credit_to_the_source_of_another_credited_candidate_is_passed_down():
    # the digest names the blog and the agency; the blog copied the agency: the text came through the blog
    agency, blog = art(1, "agency.example", BODY, 0), art(2, "blog.example", BODY, 2)
    agency.site_name, blog.site_name = "Agency", "Blog"
    digest = art(3, "digest.example", BODY, 4, ["Blog", "Agency"])
    assert tree([agency, blog, digest]).parent == {2: 1, 3: 2}
    assert tree([agency, blog, digest], TreeOptions(credit_passed_down=False)).parent[3] == 1
    digest.attributions = digest.attributions[1:]  # naming the agency alone: nothing points at the blog
    assert tree([agency, blog, digest]).parent[3] == 1


def test_text_held_by_a_candidate_of_unclear_direction_is_no_ones_own():
    # the blog reposted the agency's report under a new headline; its page has only a day, so whether it came
    # before the digest (which kept the blog's headline) is unclear. The report's text is the blog's as much as
    # the agency's: it must not outweigh the headline the digest took from the blog
    agency = art(1, "agency.example", BODY, -10)
    blog = art(2, "blog.example", BODY, 0)
    blog.published, blog.published_source = datetime(2024, 3, 5, tzinfo=UTC), "url"
    digest = art(3, "digest.example", BODY[:3], -2)
    agency.title, blog.title = "Ships held at the port for a week", "Port row: what the fees dispute means"
    digest.title = blog.title
    assert tree([agency, blog, digest]).parent == {2: 1, 3: 2}
    assert tree([agency, blog, digest], TreeOptions(exclusive_among_candidates=False)).parent[3] == 1


def test_a_root_crediting_an_outlet_outside_the_story_is_an_intermediary():
    # the earliest page here translated (or copied unpaired) a Wire One report, and says so: copies naming only
    # it credit an intermediary, a copy naming Wire One credits the origin
    root = art(1, "mirror.example", BODY, 0, ["Wire One"])
    root.site_name = "Mirror"
    arts = [root, art(2, "blog.example", BODY, 2, ["Mirror"]), art(3, "digest.example", BODY, 3, ["Wire One"]),
            art(4, "daily.example", BODY, 4)]
    t = tree(arts)
    assert t.roots == [1] and set(t.parent.values()) == {1}
    assert [t.credit[i] for i in (1, 2, 3, 4)] == ["credited", "intermediary", "credited", "uncredited"]
    old = tree(arts, TreeOptions(outside_origin=False))
    # the root taken for the origin: naming it credits the origin, and naming only Wire One, outside the story,
    # credits a source the story lacks (`copy_credit`)
    assert [old.credit[i] for i in (2, 3, 4)] == ["credited", "credited", "uncredited"]
    root.attributions = [AttributionStatement("copyright", "© Photo Agency", "Photo Agency")]  # a picture's credit
    t = tree(arts)
    assert t.credit[2] == "credited" and t.credit[1] == "origin"


def test_an_article_naming_a_source_it_shares_no_text_with_is_a_credited_copy():
    # a page in no story (its source is not in the corpus, or it kept too little to be paired) that says
    # "Source: Wire One" is a copy by its own account; one with only a byline or its own copyright is an origin
    copy = art(5, "mirror.example", BODY[:1], 0, ["Wire One"])
    assert standalone_credit(copy)[0] == "credited"
    assert [st.outlet for st in standalone_credit(copy)[1]] == ["Wire One"]
    own = art(6, "wire.example", BODY, 0)
    own.attributions = [AttributionStatement("byline", "By Ann Reporter", "Ann Reporter"),
                        AttributionStatement("copyright", "© Wire One", "Wire One", None, "wire.example"),
                        AttributionStatement("source", "Source: wire.example", None, None, "wire.example")]
    assert standalone_credit(own) == ("origin", [])
    # a credit naming a member of its own story is no outside source
    assert standalone_credit(copy, [art(7, "daily.example", BODY, -1)])[0] == "credited"
    assert standalone_credit(copy, [art(7, "wire-one.example", BODY, -1)])[0] == "origin"  # the name matches the site
    named = art(8, "wire.example", BODY, -1)
    named.site_name = "Wire One"
    assert standalone_credit(copy, [named])[0] == "origin"


def test_a_copy_naming_only_an_outlet_outside_its_story_credits_a_source_the_story_lacks():
    # 1 (a translation that credits nobody, or a page whose own source is not in the corpus) is copied by 2, 3
    # and 4. 2 names the report 1 was made from, outside the story: by its own account a credited copy, as a root
    # naming it would be. 3 names nothing; 4 names only a site known to copy others (an intermediary)
    arts = [art(1, "mirror.example", BODY, 0), art(2, "blog.example", BODY, 2, ["Wire One"]),
            art(3, "digest.example", BODY, 3), art(4, "daily.example", BODY, 4, ["Angry Blog"])]
    t = tree(arts)
    assert t.roots == [1] and set(t.parent.values()) == {1}
    assert [t.credit[i] for i in (1, 2, 3, 4)] == ["origin", "credited", "uncredited", "credited"]
    t = tree(arts, roles={"angryblog.example": (1, 12)})
    assert t.credit[4] == "intermediary" and t.credit[2] == "credited"
    arts[1].attributions = [AttributionStatement("copyright", "© Photo Agency", "Photo Agency")]  # no credit line
    assert tree(arts).credit[2] == "uncredited"
    # a link in the body ("as the Guardian reported") says nothing of where the copy's text came from
    arts[1].attributions = [AttributionStatement("credit-link", "as The Guardian reported", "The Guardian",
                                                 "https://www.theguardian.com/world/x", "theguardian.com")]
    assert tree(arts).credit[2] == "uncredited"


def test_a_self_declared_copy_naming_only_a_known_copier_credits_an_intermediary():
    relay = art(5, "mirror.example", BODY[:1], 0, ["Angry Blog"])
    assert standalone_credit(relay)[0] == "credited"  # nothing known about the blog
    copier = {"angryblog.example": (1, 12)}  # copied from once, copied others 12 times
    assert standalone_credit(relay, None, copier)[0] == "intermediary"
    assert standalone_credit(relay, None, {"angryblog.example": (12, 1)})[0] == "credited"  # an origin-type site
    assert standalone_credit(relay, None, {"angryblog.example": (0, 2)})[0] == "credited"  # too few to judge
    both = art(6, "mirror.example", BODY[:1], 0, ["Angry Blog", "Wire One"])  # names the agency too
    assert standalone_credit(both, None, {**copier, "wireone.example": (30, 0)})[0] == "credited"
    # inside a story: a root crediting only a known copier
    arts = [art(1, "mirror.example", BODY, 0, ["Angry Blog"]), art(2, "daily.example", BODY, 3)]
    assert tree(arts, roles=copier).credit[1] == "intermediary"
    assert tree(arts).credit[1] == "credited"


def test_the_article_that_kept_the_others_lede_came_first():
    # the blog put an intro above the report's first paragraphs and has a headline of its own; its clock says it
    # came 8 h before the report, in a corpus whose dates agree with the credits in 4 of 5 near pairs
    dates = DateReliability(near=(160, 200), far=(160, 200))
    src, copy = art(1, "agency.example", BODY, 0), art(2, "blog.example", [INTRO, *BODY[:3]], -8)
    src.title, copy.title = "Ships held at the port for a week", "Port dispute: the full story"
    assert tree([src, copy], dates=dates).roots == [1]
    assert tree([src, copy], TreeOptions(lede=False), dates=dates).roots == [2]  # the date alone decides
    assert tree([src, art(2, "blog.example", BODY[:3], -8)], dates=dates).roots == [2]  # no intro: no lede
    # the same lede on both sides (each holds its own text on top) says nothing
    desk = "Filed by our correspondent at the port this morning, with additional reporting from the capital."
    both = [art(1, "agency.example", [desk, *BODY], 0), art(2, "blog.example", [INTRO, *BODY], -8)]
    assert tree(both, dates=dates).roots == [2]


def test_the_lede_is_weighed_by_how_often_it_agreed_with_credits():
    assert unshared_lead([(120, 300)], [(0, 30)]) == 90 and unshared_lead([], []) is None
    ev = lede_evidence(1, 0, 2, 120)
    assert ev is not None and ev.favours == 1 and ev.weight > 0
    assert lede_evidence(1, 0, 2, 10) is None and lede_evidence(1, 100, 2, 120) is None
    assert learn_lede_reliability([(0, 120)] * 40).factor() == 1.0  # always agreed: full weight
    weak = learn_lede_reliability([(0, 120)] * 24 + [(120, 0)] * 16)  # right 3 times in 5
    assert 0 < weak.factor() < 0.5 and lede_evidence(1, 0, 2, 120, weak).weight < ev.weight
    assert lede_evidence(1, 0, 2, 120, learn_lede_reliability([(120, 0)] * 30)) is None  # mostly wrong: unused
    assert LedeReliability(agree=3, counted=4).factor() == 1.0  # too few pairs to judge


def test_a_lead_sentence_the_other_article_also_holds_is_not_own_text():
    # a stock intro one site's pages repeat is boilerplate there and left out of the alignment; the other page
    # holds the same sentence unmasked above the shared text. Both carry it: it is no lead of its own
    intro = "Editor's note: the report below has been shared widely."
    text = intro + " " + " ".join(BODY)
    other = "All our articles can be read in 32 languages. " + text
    shared = [(len(intro) + 1, len(text))]
    assert unshared_lead(shared, []) == len(intro) + 1  # without the texts: counted as the article's own lead
    assert unshared_lead(shared, [], text, other) == 0
    own = "Here is what the agency told reporters this morning, in full."
    assert unshared_lead([(len(own) + 1, len(own) + 50)], [], own + " " + text, other) == len(own)


def test_of_two_members_credit_lines_single_out_the_most_credited_is_the_origin():
    # two copies credit the agency; the daily copied the agency too (a headline of its own), and the daily's one
    # copy carries a dateline naming the daily. Both "others credit it, it credits nobody"; the dateline would
    # make the daily the origin, but the agency is the one most members name
    agency = art(1, "agency.example", BODY, 0)
    agency.site_name = "Agency"
    agency.published, agency.published_source = datetime(2024, 3, 5, tzinfo=UTC), "url"
    daily = art(4, "daily.example", BODY, 1)
    daily.site_name, daily.title = "Daily", "Port dispute: the full story"
    relay = art(5, "relay.example", BODY, 5)
    relay.title = daily.title
    relay.attributions = [AttributionStatement("dateline", "PORT CITY (Daily) -", "Daily")]
    arts = [agency, art(2, "blog.example", BODY[:3], 2, ["Agency"]), art(3, "mirror.example", BODY, 3, ["Agency"]),
            daily, relay]
    t = tree(arts)
    assert t.roots == [1] and t.parent[4] == 1 and t.parent[5] == 4
    assert t.credit[2] == t.credit[3] == "credited" and t.credit[5] == "intermediary"
    assert tree(arts, TreeOptions(most_credited_origin=False)).roots == [4]


def test_a_headline_shouted_from_another_members_is_no_origin():
    # the copy's headline is the report's in capitals (or with "!" added); its clock says it came 8 h first
    dates = DateReliability(near=(160, 200), far=(160, 200))
    title = "Ships held at the port for a week"
    for loud in (title.upper(), f"{title}!"):
        src, copy = art(1, "agency.example", BODY, 0), art(2, "mirror.example", BODY[:3], -8)
        src.title, copy.title = title, loud
        assert tree([src, copy], dates=dates).roots == [1]
        assert tree([src, copy], TreeOptions(loud_title=False), dates=dates).roots == [2]  # the date decides
    assert louder("SHIPS HELD", "Ships held") and louder("Ships held!", "Ships held")
    assert not louder("Ships held", "SHIPS HELD") and not louder("SHIPS HELD!", "SHIPS HELD!")


def test_a_dressed_up_headline_outweighs_a_misdated_page():
    # "BREAKING: <headline>" on a page whose clock puts it 20 h before the report, in a corpus with noisy dates
    dates = DateReliability(near=(160, 200), far=(160, 200))
    title = "Ships held at the port for a week"
    src, copy = art(1, "agency.example", BODY, 0), art(2, "mirror.example", BODY[:3], -20)
    src.title, copy.title = title, f"BREAKING: {title}"
    assert tree([src, copy], dates=dates).roots == [1]
    old = TreeOptions(wrapped_title_origin=2.0, dressed_source_penalty=0.0)
    assert tree([src, copy], old, dates=dates).roots == [2]  # the old weight


def _story_text(seed: int) -> list[str]:
    """Four paragraphs of words no other story's text shares (each story its own)."""
    rng = random.Random(seed)
    words = [f"{w}{seed}" for w in ("port", "ship", "fee", "dock", "crew", "cargo", "quay", "tide", "harbour", "berth")]
    return [" ".join(rng.choice(words) for _ in range(24)) + "." for _ in range(4)]


def test_a_site_that_never_starts_a_story_here_does_not_start_a_misdated_one():
    # four stories the daily started and the mirror reposted (its pages undated, an intro above the daily's
    # text): the first trees learn that the daily's pages start stories and the mirror's never do. In a fifth
    # story the mirror's page says it came 8 h before the daily's (in a corpus with noisy dates), with nothing
    # else to tell them apart
    background: list[Article] = []
    for i in range(4):
        text = _story_text(i)
        daily, mirror = art(10 * i + 1, "daily.example", text, 0), art(10 * i + 2, "mirror.example", [INTRO, *text], 3)
        mirror.published = None
        background += [daily, mirror]
    by_id = {a.id: a for a in background}
    trees = trace_stories(by_id, *align_all(background))
    assert sorted(t.root for t in trees) == [1, 11, 21, 31]
    origins = count_origins(story_sites(t, by_id) for t in trees)
    assert origins == {"daily.example": (4, 0), "mirror.example": (0, 4)}
    dates = DateReliability(near=(160, 200), far=(160, 200))
    text = _story_text(9)
    arts = [art(91, "daily.example", text, 0), art(92, "mirror.example", text[:3], -8)]
    pairs, passages = align_all(arts)
    story = {a.id: a for a in arts}
    assert build_story({91, 92}, story, pairs, passages, dates=dates, origins=origins).roots == [91]
    assert build_story({91, 92}, story, pairs, passages, dates=dates).roots == [92]  # the date decides
    assert build_story({91, 92}, story, pairs, passages, options=TreeOptions(site_origin_weight=0.0), dates=dates,
                       origins=origins).roots == [92]
    assert count_origins([("a.example", ["a.example", "b.example"]), ("a.example", ["a.example", "c.example"])]) == {
        "a.example": (2, 0), "b.example": (0, 1), "c.example": (0, 1)}


def test_a_page_whose_headline_dresses_up_the_copys_is_no_source_of_it():
    # the mirror dressed the daily's headline up ("EXCLUSIVE: ...") and its clock says it came 8 h first; a
    # digest links to the mirror (so the mirror is credited and credits nobody). The daily, whose plain headline
    # the mirror's holds, did not copy the mirror: it would have kept or dressed up its headline, not stripped it
    title = "Ships held at the port for a week"
    daily, mirror = art(1, "daily.example", BODY, 0), art(2, "mirror.example", BODY, -8)
    digest = art(3, "digest.example", BODY[:3], 5)
    daily.title, mirror.site_name = title, "Mirror"
    mirror.title = digest.title = f"EXCLUSIVE: {title}"
    digest.attributions = [AttributionStatement("credit-link", "Read it at Mirror", "Mirror", mirror.url)]
    t = tree([daily, mirror, digest])
    assert t.roots == [1] and t.parent == {2: 1, 3: 2}
    old = tree([daily, mirror, digest], TreeOptions(dressed_source_penalty=0.0))
    assert old.roots == [2] and old.parent[1] == 2


def test_two_outlet_names_sharing_initials_do_not_name_each_other():
    # "Время Онлайн" and "Вести Онлайн" both shorten to "ВО": a credit to the first names its site only
    first = art(1, "vremya-online.example", BODY, 0)
    second = art(2, "vesti-online.example", BODY, 1)
    first.site_name, second.site_name = "Время Онлайн", "Вести Онлайн"
    copy = art(3, "digest.example", BODY[:3], 3, ["Время Онлайн"])
    assert credits_naming(copy, first) and not credits_naming(copy, second)
    assert credits_naming(art(4, "digest.example", BODY, 3, ["Вести Онлайн"]), second)
    t = tree([first, second, copy])
    assert t.parent[3] == 1 and t.credit[3] == "credited"


def _by(a: Article, *authors: str) -> Article:
    a.authors = list(authors)
    return a


def test_a_kept_byline_says_which_page_the_copy_came_through():
    # the agency's report; the daily reposts it under its own writer's name; the aggregator reposts the daily's
    # page keeping that byline. The text alone cannot tell "from the daily" from "from the agency" (the copy
    # takes the agency's words and nothing the daily added); the byline can
    agency = _by(art(1, "agency.example", BODY, 0), "Wire Staff")
    daily = _by(art(2, "daily.example", BODY, 2), "Maria Lopez")
    aggregator = _by(art(3, "aggregator.example", BODY[:3], 5), "maria  LOPEZ")
    t = tree([agency, daily, aggregator])
    assert t.root == 1 and t.parent[2] == 1 and t.parent[3] == 2
    why = [e for cp in t.copies if (cp.source_id, cp.copy_id) == (2, 3) for e in cp.evidence if e.kind == "kept-byline"]
    assert [(e.favours, e.detail) for e in why] == [(2, "keeps this page's byline 'Maria Lopez', not its source's")]
    plain = tree([agency, daily, aggregator], TreeOptions(byline_weight=0.0))
    assert plain.parent[3] == 1  # without it, the nearer-to-the-root explanation wins
    # a byline every candidate carries tells nothing apart
    same = [_by(art(1, "agency.example", BODY, 0), "Wire Staff"), _by(art(2, "daily.example", BODY, 2), "Wire Staff"),
            _by(art(3, "aggregator.example", BODY[:3], 5), "Wire Staff")]
    assert tree(same).parent[3] == 1


def test_a_staff_writers_byline_on_a_copy_points_to_the_writers_site():
    home = _by(art(1, "daily.example", BODY, 0), "Maria Lopez")
    away = _by(art(2, "aggregator.example", BODY[:3], 0), "Maria Lopez")  # same minute: the dates say nothing
    others = [_by(art(10 + i, "daily.example", ["Other story."], -24 * i), "Maria Lopez") for i in range(1, 3)]
    bylines = count_bylines([home, away, *others])
    assert bylines["maria lopez"] == {"daily.example": 3, "aggregator.example": 1}
    ev = byline_evidence(away, home, bylines)
    assert ev is not None and ev.favours == 1 and ev.detail.startswith("Maria Lopez writes for daily.example")
    assert infer_direction(away, home, extra=[ev]).source_id == 1
    assert byline_evidence(away, home, count_bylines([home, away])) is None  # nowhere at home: no lean
    # the name is most at home on a third site (the agency); a digest that often reposts the agency carries it
    # on two pages, a mirror on one: it does not make the digest the writer's home
    third = {"maria lopez": {"agency.example": 30, "daily.example": 2, "aggregator.example": 1}}
    assert byline_evidence(away, home, third) is None
    assert byline_key("  Maria   LOPEZ ") == "maria lopez" and byline_key("AP") == "" and byline_key("Staff") == ""
    assert byline_key("Reuters Staff") == byline_key("Associated Press") == byline_key("Редакция РИА") == ""


def test_an_undated_copy_neither_stretches_the_story_nor_gets_a_delay():
    from newstrace.provenance.runner import _hours

    src, blog = art(1, "agency.example", BODY, 0), art(2, "blog.example", [INTRO, *BODY], 5, ["agency.example"])
    undated = art(3, "mirror.example", BODY[:3], 0)
    undated.published, undated.published_source = None, None
    undated.fetched_at = T0 + timedelta(days=900)  # crawled years later
    t = tree([src, blog, undated])
    assert t.root == 1 and 3 in t.parent  # still placed in the story (ordered by its fetch time)
    assert t.last_published == T0 + timedelta(hours=5) and t.spread_hours() == 5
    assert _hours(undated, src) is None and _hours(blog, src) == 5


def test_a_copy_carrying_a_pages_typo_and_rewording_came_through_that_page():
    # the blog reposts the agency with a typo and a reworded phrase; the mirror carries both, another page keeps
    # the agency's wording. Neither copy adds text: only the variant readings tell their sources apart
    from newstrace.reuse.engine import Doc, reuse_in_memory

    blog_text = [BODY[0], BODY[1].replace("dispute", "dipsute"),
                 BODY[2].replace("without any warning", "with no warning"), BODY[3]]
    # the mirror rewords its first paragraph as well: differences from every candidate alike, which swamp the
    # two it inherited when differences are only counted, not placed
    own = (BODY[0].replace("confirmed", "said").replace("three", "3").replace("held", "kept")
           .replace("for a week", "for seven days"))
    arts = [art(1, "agency.example", BODY, 0), art(2, "blog.example", blog_text, 2),
            art(3, "mirror.example", [own, *blog_text[1:3]], 5), art(4, "paper.example", BODY[:3], 6)]
    found = reuse_in_memory([Doc(a.id, a.site, a.text) for a in arts])

    def trace(options: TreeOptions):
        return build_story({a.id for a in arts}, {a.id: a for a in arts}, found.pairs, found.passages, None, options)

    t = trace(TreeOptions())
    assert t.root == 1 and t.parent == {2: 1, 3: 2, 4: 1}
    assert trace(TreeOptions(readings=False)).parent[3] == 1  # passage similarity alone: the nearer-to-root one
    # the edge says why, in words a reader can check; a copy straight from the origin has no such reason
    why = {(cp.source_id, cp.copy_id): [e for e in cp.evidence if e.kind == "readings"] for cp in t.copies}
    assert [e.favours for e in why[(2, 3)]] == [2] and "'dipsute'" in why[(2, 3)][0].detail
    assert "agency.example" in why[(2, 3)][0].detail and not why[(1, 4)] and not why[(1, 2)]
    from rich.console import Console

    from newstrace.cli.provenance import render_tree

    story = {"id": 1, "size": 2, "sites": 2, "copies": [
        {"source_id": 2, "copy_id": 3, "main": True, "coverage": 0.9, "confidence": 0.8, "credit": "uncredited",
         "evidence": [{"kind": e.kind, "favours": e.favours, "weight": e.weight, "detail": e.detail}
                      for e in why[(2, 3)]]}],
        "articles": [{"id": 2, "parent_id": None, "site": "blog.example", "credit": "origin", "title": "T"},
                     {"id": 3, "parent_id": 2, "site": "mirror.example", "credit": "uncredited", "title": "T"}]}
    console = Console(width=200, record=True)
    console.print(render_tree(story))
    assert "carries 1 reading of this page that its source agency.example lacks: 'dipsute'" in console.export_text()


def test_readings_count_differences_only_where_both_candidates_align():
    from newstrace.models import Edit, Passage
    from newstrace.provenance.readings import Readings

    copy, p, q = "one two three four five six seven", "one two tree four five six seven", "one two three four"
    passages = [Passage(1, 2, 0, len(copy), 0, len(p), 7, 7, 0.86, [Edit("substitute", "three", "tree")]),
                Passage(1, 3, 0, 18, 0, len(q), 4, 4, 1.0)]  # against q: its first four words, the same
    r = Readings({1: copy, 2: p, 3: q}, passages)
    assert r.diff(1, 2) == ([(0, len(copy))], [8])  # one difference, placed at 'three'
    assert r.diff(1, 3) == ([(0, 18)], [])
    assert r.excess(1, 2, 3) == 1 and r.excess(1, 3, 2) == -1
    # the copy on the passage's b side: its words are the edit's b side
    flipped = Readings({1: p, 2: copy, 3: q}, [Passage(1, 2, 0, len(p), 0, len(copy), 7, 7, 0.86,
                                                       [Edit("substitute", "tree", "three")])])
    assert flipped.diff(2, 1)[1] == [8] and flipped.diff(1, 2)[1] == [8]
    late = "one two three four five sx seven"  # differs from the copy where q does not reach: no evidence
    r = Readings({1: copy, 2: late, 3: q}, [Passage(1, 2, 0, len(copy), 0, len(late), 7, 7, 0.86,
                                                    [Edit("substitute", "six", "sx")]), passages[1]])
    assert r.diff(1, 2)[1] == [24] and r.excess(1, 2, 3) == 0


def test_each_page_crediting_an_uncrediting_page_adds_to_its_claim_to_be_the_origin() -> None:
    """A diary that usually copies starts this story: three copies credit it and it credits nobody, but its site
    seldom starts stories and a day-only page of a site that often does shares its text. One crediting page was
    worth as much as three; now each adds (square root of their number, up to three)."""
    def page(i: int, site: str, hour: int | None, credit: str | None = None, name: str | None = None,
             paras: list[str] = BODY) -> Article:
        when = datetime(2024, 3, 2, hour or 0, tzinfo=UTC)
        return Article(id=i, url=f"https://{site}/s{i}", title="Ships held at port", paragraphs=paras, site=site,
                       site_name=name, published=when, published_source="metadata" if hour is not None else "url",
                       attributions=[AttributionStatement("source", f"Source: {credit}", outlet=credit)]
                       if credit else [])

    arts = {a.id: a for a in [page(1, "diary.example", 9, name="Diary"), page(2, "frontline.example", None)]
            + [page(i, f"c{i}.example", 12 + i, credit="Diary", paras=BODY[:3]) for i in (3, 4, 5)]}
    pairs, passages = align_all(list(arts.values()))
    origins = {"diary.example": (1, 6), "frontline.example": (4, 2)}  # starts 1 story in 7; 4 in 6
    assert build_story(set(arts), arts, pairs, passages, None, TreeOptions(), origins=origins).root == 1
    once = TreeOptions(credited_origin_cap=1)  # as before: one credit or three, the same lean
    assert build_story(set(arts), arts, pairs, passages, None, once, origins=origins).root == 2
    # three pages of one site crediting the diary say it once
    one_site = {i: replace(a, site="c.example", url=f"https://c.example/s{i}") if i > 2 else a
                for i, a in arts.items()}
    pairs, passages = align_all(list(one_site.values()))
    assert build_story(set(one_site), one_site, pairs, passages, None, TreeOptions(), origins=origins).root == 2
