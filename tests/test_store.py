from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import text

from newstrace.models import Article, AttributionStatement, IngestError
from newstrace.store import DUPLICATE, NEW, VERSION, Store


def art(url: str = "https://a.example/1", title: str = "Title", paras: list[str] | None = None,
        site: str = "a.example", **kw) -> Article:
    return Article(url=url, title=title, paragraphs=paras or ["First paragraph.", "Second one."], site=site, **kw)


def test_write_and_read_back(store: Store) -> None:
    pub = datetime(2021, 7, 22, 14, 30, tzinfo=timezone(timedelta(hours=3)))
    a = art(authors=["Ann Author"], published=pub, published_source="metadata", language="en",
            raw_html=b"<html><p>First paragraph.</p></html>", site_name="A News",
            attributions=[AttributionStatement("via", "via B News", "B News", "https://b.example/x", "b.example")])
    [res] = store.write_articles([a])
    assert res.status == NEW
    got = store.get_article(res.article_id, with_html=True)
    assert got is not None
    assert got.paragraphs == a.paragraphs
    assert got.published == pub.astimezone(UTC)
    assert got.published_source == "metadata"
    assert got.authors == ["Ann Author"]
    assert got.raw_html == a.raw_html
    assert got.site == "a.example" and got.site_name == "A News"
    assert [s.outlet for s in got.attributions] == ["B News"]
    assert store.find_article("https://a.example/1").id == res.article_id  # type: ignore[union-attr]
    assert store.find_article(str(res.article_id)).title == "Title"  # type: ignore[union-attr]


def test_same_page_twice_is_stored_once_and_changes_become_versions(store: Store) -> None:
    [r1] = store.write_articles([art()])
    [r2] = store.write_articles([art()])
    assert (r1.status, r2.status) == (NEW, DUPLICATE) and r1.article_id == r2.article_id
    [r3] = store.write_articles([art(paras=["First paragraph.", "Second one, corrected."])])
    assert r3.status == VERSION and r3.article_id != r1.article_id
    assert store.article_count() == 2
    assert store.find_article("https://a.example/1").paragraphs[-1] == "Second one, corrected."  # type: ignore[union-attr]
    # Whitespace differences do not make a new version.
    [r4] = store.write_articles([art(paras=["First   paragraph.", "Second one, corrected. "])])
    assert r4.status == DUPLICATE


def test_one_batch_with_repeats_versions_and_credits_maps_each_row_to_its_id(store: Store) -> None:
    """The batch is inserted in one statement: every result and credit line must land on its own row."""
    via = [AttributionStatement("via", "via B News", "B News", None, "b.example")]
    batch = [
        art(url="https://a.example/1"),
        art(url="https://a.example/2", paras=["Other text."], attributions=via),
        art(url="https://a.example/1"),  # repeat of the first, in the same batch
        art(url="https://a.example/1", paras=["First paragraph.", "Changed."]),  # a new version of it
        art(url="https://a.example/1?ref=x"),  # same site, same text as the first
        art(url="https://c.example/3", site="c.example", paras=["Third."]),
    ]
    res = store.write_articles(batch)
    assert [r.status for r in res] == [NEW, NEW, DUPLICATE, VERSION, DUPLICATE, NEW]
    assert res[2].article_id == res[0].article_id == res[4].article_id
    assert len({res[0].article_id, res[1].article_id, res[3].article_id, res[5].article_id}) == 4
    for r, a in zip(res, batch, strict=True):
        got = store.get_article(r.article_id)
        assert got is not None and got.url == (batch[0].url if r.status == DUPLICATE else a.url)
        if r.status != DUPLICATE:
            assert a.id == r.article_id and got.text == a.text
    assert [s.outlet for s in store.get_article(res[1].article_id).attributions] == ["B News"]  # type: ignore[union-attr]
    assert store.get_article(res[0].article_id).attributions == []  # type: ignore[union-attr]


def test_same_text_on_another_site_is_a_copy_not_a_duplicate(store: Store) -> None:
    store.write_articles([art()])
    [r] = store.write_articles([art(url="https://b.example/copy", site="b.example")])
    assert r.status == NEW
    [r2] = store.write_articles([art(url="https://a.example/1?utm=x")])  # same site, same text
    assert r2.status == DUPLICATE


def test_full_text_search_and_filters(store: Store) -> None:
    store.write_articles([
        art("https://a.example/1", "Helicopters over the north", ["Unmarked helicopters were seen."], language="en",
            published=datetime(2021, 7, 22, tzinfo=UTC)),
        art("https://b.example/2", "Other news", ["Nothing to see: weather (\"sunny\")."], site="b.example",
            language="de", published=datetime(2021, 7, 25, tzinfo=UTC)),
    ])
    assert [r["url"] for r in store.list_articles(search="helicopters")] == ["https://a.example/1"]
    assert [r["url"] for r in store.list_articles(search='"sunny" (weather')] == ["https://b.example/2"]
    assert [r["url"] for r in store.list_articles(site="b.example")] == ["https://b.example/2"]
    assert [r["url"] for r in store.list_articles(language="en")] == ["https://a.example/1"]
    assert [r["url"] for r in store.list_articles(since="2021-07-24")] == ["https://b.example/2"]


def test_errors_recorded_once_per_source_and_reason(store: Store) -> None:
    e = IngestError("/x/page.html", "file is empty", "empty")
    store.write_articles([], [e])
    store.write_articles([], [e])
    [row] = store.list_errors()
    assert row["count"] == 2 and row["kind"] == "empty"


def test_migrations_recorded_and_idempotent(tmp_path) -> None:
    s = Store(tmp_path / "m.db")
    with s.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("select name from migrations order by name"))]
        mode = conn.execute(text("PRAGMA journal_mode")).scalar()
    assert "0001_foundation" in names and "0002_article_search" in names
    assert mode == "wal"
    s.close()
    s2 = Store(tmp_path / "m.db")
    assert s2.migrate() == []
    s2.close()


def test_done_signatures_roundtrip(store: Store) -> None:
    store.write_articles([], done_sources=[("/a.html", "10:1")])
    store.write_articles([], done_sources=[("/a.html", "11:2")])
    assert store.done_signatures(["/a.html", "/b.html"]) == {"/a.html": "11:2"}


def test_search_finds_words_inside_chinese_runs(store) -> None:
    """Chinese is written without spaces: a search reads it as substrings, not as whole runs between marks."""
    from newstrace.models import Article

    store.write_articles([
        Article(url="https://zh.example/1", title="新华社北京3月13日电", paragraphs=["国际的比较研究显示，增长放缓。"],
                site="zh.example", language="zh"),
        Article(url="https://zh.example/2", title="另一篇", paragraphs=["没有这个词。"], site="zh.example",
                language="zh"),
        Article(url="https://en.example/3", title="100% pure_text", paragraphs=["English words only."],
                site="en.example", language="en"),
    ])
    assert [r["url"] for r in store.list_articles(search="的比较")] == ["https://zh.example/1"]
    assert store.count_articles(search="北京 增长") == 1 and store.count_articles(search="北京 没有") == 0
    assert store.count_articles(search="English") == 1  # other scripts still go through the word index
    store.write_articles([Article(url="https://en.example/4", title="Talks", paragraphs=["Macron met 习近平 today."],
                                  site="en.example", language="en")])
    assert [r["url"] for r in store.list_articles(search="习近平")] == ["https://en.example/4"]  # the word index


def test_word_counts_in_scripts_without_spaces() -> None:
    from newstrace.store.articles import count_words

    assert count_words("Ships held at port") == 4
    assert count_words("国际的比较研究显示，增长放缓。") == 7  # 13 characters, half a word each, rounded up
    assert count_words("是") == 1
    assert count_words("新华社北京3月13日电 Reuters report") == 8  # 8 characters, and 3, 13, Reuters, report
