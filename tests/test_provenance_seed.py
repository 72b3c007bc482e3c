"""The seed page's pattern, end to end: agency -> blog -> aggregator, the aggregator crediting only the blog.

Three pages written for this test (invented text in the style of the seed, not its sentences) go through the
real pipeline: extraction -> store -> reuse -> provenance. The tree must come out as a chain, the blog credited
(it names the agency) and the aggregator flagged intermediary (it names only the blog).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newstrace.models import RawDocument
from newstrace.store import Store

extract = pytest.importorskip("newstrace.extract")
reuse_runner = pytest.importorskip("newstrace.reuse.runner")

AGENCY_URL = "https://northwire.example/world/2024/03/03/ministry-says-flights-seen"
BLOG_URL = "https://frontlinewatch.example/2024/03/04/is-the-coalition-flying-for-militants/"
AGG_URL = "https://globalmirror.example/is-the-coalition-flying-for-militants/5512"

STATEMENT = [
    "The Foreign Ministry has information about unmarked transport aircraft landing at airstrips in the north of "
    "Beloria where armed groups were operating, ministry spokeswoman Irina Volkova told a briefing on Thursday.",
    "\u201cSuch flights could not have gone unnoticed by the coalition, which controlled the whole airspace of the "
    "region,\u201d Volkova said, adding that local witnesses had seen supplies unloaded and fighters flown out.",
    "Earlier, the head of the ministry's Third Department, Oleg Marin, told a round table organised by the Baltic "
    "Dialogue Forum that Moscow had received concrete information about contacts between the coalition and the groups.",
    "A security source in the region, who asked not to be named, said the night flights had continued for at least "
    "two months and had stopped only after local journalists began asking questions about them.",
]
DATELINE = "MOSCOW, March 3 (Northwire) - "
BLOG_INTRO = ("The report below from the Northwire agency deserves far more attention than it has had in the western "
              "press, which has not mentioned it once in three days of coverage.")
BLOG_COMMENT = ("If the ministry is right, the coalition has some explaining to do, and we will keep asking the "
                "questions that the big newspapers prefer to leave alone.")


def page(url: str, title: str, published: str, site_name: str, paragraphs: list[str]) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site_name}">
<meta property="article:published_time" content="{published}"><link rel="canonical" href="{url}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>{title}</h1>
{body}
</article><footer><p>&copy; {site_name}</p></footer></body></html>""".encode()


def seed_pages() -> list[tuple[str, bytes]]:
    agency = page(AGENCY_URL, "Ministry says coalition aircraft seen at militant airstrips", "2024-03-03T09:00:00Z",
                  "Northwire", [DATELINE + STATEMENT[0], *STATEMENT[1:]])
    blog = page(BLOG_URL, "Is the Coalition Flying for the Militants in Beloria?", "2024-03-04T11:30:00Z",
                "Frontline Watch",
                [BLOG_INTRO, "Ministry says coalition aircraft seen at militant airstrips \u2014 spokeswoman",
                 DATELINE + STATEMENT[0], *STATEMENT[1:], BLOG_COMMENT, "Source: Northwire"])
    aggregator = page(
        AGG_URL, "Is the Coalition Flying for the Militants in Beloria?", "2024-03-05T08:15:00Z", "Global Mirror",
        ["By Daniel Hart", "Global Mirror, March 5, 2024", "Frontline Watch 4 March 2024",
         "All Global Mirror articles can be read in 40 languages by activating the Translate Website menu on the "
         "top banner of our home page.",
         "Visit and follow us on Telegram at @globalmirror.",
         BLOG_INTRO, *STATEMENT, BLOG_COMMENT,
         "The original source of this article is Frontline Watch",
         "Copyright \u00a9 Daniel Hart, Frontline Watch, 2024",
         "Disclaimer: The contents of this article are of sole responsibility of the author(s). Global Mirror will "
         "not be responsible for any inaccurate or incorrect statement in this article.",
         "globalmirror.example contains copyrighted material the use of which has not always been specifically "
         "authorized by the copyright owner. We are making such material available to our readers under the "
         "provisions of fair use in an effort to advance a better understanding of political issues."])
    return [(AGENCY_URL, agency), (BLOG_URL, blog), (AGG_URL, aggregator)]


@pytest.fixture
def seed_store(tmp_path):
    store = Store(tmp_path / "seed.db")
    arts = []
    for url, html in seed_pages():
        doc = RawDocument(source=url, ingest_source="html", url=url, html=html,
                          fetched_at=datetime(2024, 3, 6, tzinfo=UTC))
        art = extract.extract_article(doc)
        assert not hasattr(art, "reason"), getattr(art, "reason", "")
        arts.append(art)
    store.write_articles(arts)
    reuse_runner.run_reuse(store, workers=1)
    yield store, {a.url: a.id for a in arts}
    store.close()


def test_seed_case_is_a_chain_with_the_aggregator_flagged_intermediary(seed_store):
    from newstrace.provenance.runner import update_provenance

    store, ids = seed_store
    agency, blog, agg = ids[AGENCY_URL], ids[BLOG_URL], ids[AGG_URL]
    report = update_provenance(store)
    assert report.errors == [] and report.stories == 1
    tree = store.story_tree(store.story_of(agg)["id"])
    members = {a["id"]: a for a in tree["articles"]}
    assert tree["root_id"] == agency
    assert members[blog]["parent_id"] == agency
    assert members[agg]["parent_id"] == blog  # a chain, not a star around the agency
    assert members[blog]["credit"] == "credited"
    assert members[agg]["credit"] == "intermediary"
    edge = next(c for c in store.copies_of(agg)["as_copy"] if c["main"])
    assert edge["source_id"] == blog and edge["credit"] == "intermediary"
    assert "footer" in edge["added"]  # credit line, copyright and disclaimers after the copied text
    assert "cut" in edge["removed"]  # the aggregator dropped the blog's sub-heading and the agency dateline
    blog_edge = next(c for c in store.copies_of(blog)["as_copy"] if c["main"])
    assert "headline" in blog_edge["added"] and "intro" in blog_edge["added"]
    # why the aggregator hangs under the blog and not the agency, in words a reader can check
    why = {e["kind"]: e["detail"] for e in edge["evidence"] if e["favours"] == blog}
    assert "keeps this page's headline 'Is the Coalition" in why["kept-headline"]
    assert why["own-text"].startswith("holds ") and "northwire.example lacks" in why["own-text"]
    assert not any(e["kind"] in ("kept-headline", "own-text") for e in blog_edge["evidence"])  # straight from the root
