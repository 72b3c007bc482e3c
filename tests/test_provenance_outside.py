"""A story's root that names a source outside the story (a rewrite linking the report it rewrote, sharing no
sentence with it): `trace` and the article page say which page that is when the corpus holds it. (A page in another
language linking its source joins that source's story instead: tests/test_provenance_translations.py.)"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.models import Article, AttributionStatement
from newstrace.provenance.credit import named_site
from newstrace.provenance.runner import update_provenance
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store
from views import flat, web_page

REPORT = "https://wire.example/2024/03/01/minister-resigns"

def _corpus() -> list[Article]:
    rng = random.Random(5)
    en = [f"w{i}" for i in range(2000)]
    own = [f"v{i}" for i in range(2000)]  # the rewrite's own words

    def para(vocab: list[str], k: int = 40) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k)) + "."

    t0 = datetime(2024, 3, 1, 8, tzinfo=UTC)
    report = Article(url=REPORT, title="Minister resigns", paragraphs=[para(en) for _ in range(4)],
                     site="wire.example", site_name="Wire", published=t0, published_source="meta", language="en")
    body = [para(own) for _ in range(4)]
    credit = AttributionStatement("source", "Source: Wire", outlet="Wire", url=REPORT, domain="wire.example")
    rewrite = Article(url="https://vesti.example/news/1", title="Minister quits",
                      paragraphs=[*body, "Source: Wire"], site="vesti.example", language="en",
                      published=t0 + timedelta(hours=3), published_source="meta", attributions=[credit])
    copy = Article(url="https://kurier.example/a/2", title="Minister quits",
                   paragraphs=[para(own, 20), *body], site="kurier.example", language="en",
                   published=t0 + timedelta(hours=5), published_source="meta")
    return [report, rewrite, copy]


def _trace(db, arts: list[Article], url: str = "https://kurier.example/a/2") -> tuple[dict[str, int], str]:
    """Store the pages, run reuse and provenance, and print the tree around `url`: (ids by URL, the tree flat)."""
    with Store(db) as st:
        st.write_articles(arts)
        run_reuse(st, workers=1)
        update_provenance(st)
        ids = {a.url: a.id for batch in st.iter_articles() for a in batch}
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(ids[url])], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    return ids, flat(out.output)


def test_trace_and_the_article_page_name_the_page_a_root_credits(tmp_path) -> None:
    db = tmp_path / "t.db"
    with Store(db) as st:
        st.write_articles(_corpus())
        run_reuse(st, workers=1)
        update_provenance(st)
        report = st.find_article(REPORT)
        rewrite = st.find_article("https://vesti.example/news/1")
        copy = st.find_article("https://kurier.example/a/2")
        story = st.story_of(copy.id)
        assert story is not None and story["root_id"] == rewrite.id  # the report shares no text: own story
        assert st.story_of(report.id) is None
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(copy.id)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert f"names Wire (source: “Source: Wire”) → #{report.id} wire.example, en, in no story" in flat(out.output)
    assert f'<a href="/articles/{report.id}">#{report.id} in this corpus</a>' in web_page(db, f"/articles/{rewrite.id}")
    api = web_page(db, f"/api/articles/{rewrite.id}")
    assert f'"article_id":{report.id}' in api.replace(" ", "")


def test_credit_text_is_printed_as_text_and_relative_hrefs_link_nothing(tmp_path) -> None:
    """A credit line is scraped text: rich markup in it is printed, not obeyed; an href "1" is
    no page (not article 1)."""
    arts = _corpus()
    hostile = "Source: [bold red]Wire[/bold red] [link=http://127.0.0.1/]here[/link]"
    arts[1].attributions = [AttributionStatement("source", hostile, outlet="[b]Wire[/b]", url=REPORT,
                                                 domain="wire.example"),
                            AttributionStatement("via", "via more", outlet="more", url="1")]
    db = tmp_path / "h.db"
    with Store(db) as st:
        st.write_articles(arts)
        run_reuse(st, workers=1)
        update_provenance(st)
        rewrite = st.find_article("https://vesti.example/news/1")
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(rewrite.id)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    assert "names [b]Wire[/b] (source: “Source: [bold red]Wire[/bold red] [link=http://127.0.0.1/]here[/link]”)" \
        in flat(out.output), out.output
    assert "names more" in out.output and "→ not in the corpus" in flat(out.output)  # "1" is no link to article 1
    attributions = json.loads(web_page(db, f"/api/articles/{rewrite.id}"))["attributions"]
    assert [a["article_id"] is None for a in attributions] == [False, True]


def test_a_credit_naming_a_stored_site_without_a_link_points_to_its_pages_just_before(tmp_path) -> None:
    arts = _corpus()
    arts[1].attributions = [AttributionStatement("source", "Source: Wire", outlet="Wire")]  # named, not linked
    db = tmp_path / "t.db"
    ids, tree = _trace(db, arts)
    assert (f"names Wire (source: “Source: Wire”) → not linked; wire.example is in the corpus: its pages in the 72 h "
            f"before: #{ids[REPORT]} en, 3 h before") in tree
    arts[0].published = arts[1].published + timedelta(hours=1)  # the wire's page came after: no lead
    _ids, tree = _trace(tmp_path / "u.db", arts)
    assert "not linked; wire.example is in the corpus (no page of it in the 72 h before)" in tree


def test_a_credit_line_linking_an_unstored_page_of_a_stored_site_says_so(tmp_path) -> None:
    arts = _corpus()
    arts[1].attributions = [AttributionStatement("source", "Source: Wire", outlet="Wire",
                                                 url="https://wire.example/2024/02/01/other", domain="wire.example")]
    db = tmp_path / "t.db"
    _ids, tree = _trace(db, arts)
    assert "→ its link is to no stored page; wire.example is in the corpus" in tree


def test_a_credit_names_the_site_whose_name_it_is_before_one_whose_name_starts_with_it() -> None:
    names = {"wire.example": "Wire", "wirenews.example": "Wire News", "daily.example": "Daily"}
    assert named_site(AttributionStatement("source", "Source: Wire", outlet="Wire"), names) == "wire.example"
    assert named_site(AttributionStatement("source", "Source: Wire News", outlet="Wire News"), names) == \
        "wirenews.example"
    assert named_site(AttributionStatement("source", "Source: Nobody", outlet="Nobody"), names) is None
    assert named_site(AttributionStatement("via", "via x", domain="daily.example"), names) == "daily.example"
