"""The store on PostgreSQL: the same behaviour as on SQLite, including full-text search.

Runs when NEWSTRACE_TEST_POSTGRES names a reachable server (CI starts one); skips otherwise.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from newstrace.models import Article
from newstrace.store import DUPLICATE, NEW, VERSION, Store

URL = os.environ.get("NEWSTRACE_TEST_POSTGRES", "postgresql://newstrace:newstrace@127.0.0.1:5432/newstrace_test")


@pytest.fixture
def pg_store():
    """A fresh store in a schema of its own per test worker: `make test` runs tests two at a time, and two
    tests sharing one schema would drop each other's tables."""
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'newstrace[postgres]'")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"newstrace_test_{worker}"
    engine = create_engine(URL.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:
        pytest.skip(f"no PostgreSQL server reachable at {URL} ({type(exc).__name__}); set NEWSTRACE_TEST_POSTGRES")
    finally:
        engine.dispose()
    s = Store(f"{URL}{'&' if '?' in URL else '?'}options=-csearch_path%3D{schema}")
    yield s
    s.close()


def test_postgres_store_roundtrip_versions_and_search(pg_store: Store) -> None:
    a = Article(url="https://a.example/1", title="Helicopters seen", paragraphs=["Unmarked helicopters flew north."],
                site="a.example", published=datetime(2021, 7, 22, 10, tzinfo=UTC), published_source="metadata",
                raw_html=b"<p>x</p>")
    assert pg_store.write_articles([a])[0].status == NEW
    assert pg_store.write_articles([a])[0].status == DUPLICATE
    b = Article(url="https://a.example/1", title="Helicopters seen", paragraphs=["Unmarked helicopters flew south."],
                site="a.example")
    assert pg_store.write_articles([b])[0].status == VERSION
    hits = pg_store.list_articles(search="helicopters")
    assert len(hits) == 2
    got = pg_store.find_article("https://a.example/1")
    assert got is not None and got.paragraphs == ["Unmarked helicopters flew south."]
    first = pg_store.get_article(hits[-1]["id"], with_html=True)
    assert first is not None and first.published == datetime(2021, 7, 22, 10, tzinfo=UTC)
    assert pg_store.migrate() == []
    assert pg_store.stats()["articles"] == 2
    c = Article(url="https://b.example/2", title="Seen", paragraphs=["Seen again."], site="b.example",
                authors=["Ann  Smith", "AP"])
    pg_store.write_articles([c])
    assert pg_store.byline_sites() == {"ann smith": {"b.example": 1}}


def test_whole_pipeline_on_postgres_matches_sqlite(pg_store: Store, tmp_path, monkeypatch) -> None:
    """Ingest, reuse, provenance and quotes give the same answers on PostgreSQL as on SQLite."""
    from newstrace.ingest import ingest
    from newstrace.pipeline import analyse
    from newstrace.synth import SynthConfig, generate

    generate(SynthConfig(articles=120, seed=5), tmp_path / "corpus")
    results = []
    done: list[Store] = []
    for name, store in (("pg", pg_store), ("sqlite", Store(tmp_path / "s.db"))):
        monkeypatch.setenv("NEWSTRACE_REUSE_DIR", str(tmp_path / f"reuse-{name}"))
        rep = ingest([str(tmp_path / "corpus" / "html")], store, workers=1)
        assert rep.ok and rep.new == 120
        analyse(store, workers=1)
        stories = store.list_stories(limit=1000)
        # a rebuild keeps every story's id (inserted explicitly), and new stories still get fresh ids after it
        from newstrace.provenance.runner import update_provenance
        from newstrace.store.provenance import StoryRecord

        update_provenance(store, rebuild=True)
        assert sorted(s["id"] for s in store.list_stories(limit=1000)) == sorted(s["id"] for s in stories)
        [fresh] = store.save_stories([StoryRecord(root_id=stories[0]["root_id"], signature="t", members=[], copies=[])])
        assert fresh not in {s["id"] for s in stories}
        store.save_stories([], replace=[fresh])
        results.append((store.reuse_stats()["pairs"], store.story_count(),
                        sorted(s["size"] for s in stories), len(store.top_speakers(limit=1000))))
        done.append(store)
    assert results[0] == results[1]
    assert results[0][0] > 0 and results[0][1] > 0
    # quote search through each database's word index (tsvector, FTS5): a needle cut inside words at both ends
    key = max((q["key"] for q in done[1].search_quotes("", limit=1000)), key=lambda k: len(k.split()))
    needle = " ".join(key.split()[1:5])[1:-1]
    found = [sorted(q["id"] for q in st.search_quotes(needle, limit=1000)) for st in done]
    assert found[0] == found[1] and found[0]
    done[1].close()


def test_postgres_ratings_replace_and_walk_up(pg_store: Store, tmp_path) -> None:
    from newstrace.ratings import read_ratings

    p = tmp_path / "mine.csv"
    p.write_text("domain,score,type\nbbc.co.uk,0.7,public\nrt.com,0.3,state\n", encoding="utf-8")
    for _ in range(2):  # loading again replaces the set
        assert pg_store.load_ratings(read_ratings(p), str(p)) == 2
    assert [s["domains"] for s in pg_store.rating_sets()] == [2]
    found = pg_store.ratings_for(["news.bbc.co.uk", "rt.com", "x.example"])
    assert found["news.bbc.co.uk"][0]["rated_domain"] == "bbc.co.uk" and found["rt.com"][0]["labels"] == ["state"]
    assert "x.example" not in found and pg_store.remove_ratings("mine")


def test_postgres_chinese_substring_search(pg_store: Store) -> None:
    pg_store.write_articles([
        Article(url="https://zh.example/1", title="新华社北京3月13日电", paragraphs=["国际的比较研究显示，增长放缓。"],
                site="zh.example", language="zh"),
        Article(url="https://zh.example/2", title="另一篇", paragraphs=["没有这个词。"], site="zh.example",
                language="zh"),
    ])
    assert [r["url"] for r in pg_store.list_articles(search="的比较")] == ["https://zh.example/1"]
    assert pg_store.count_articles(search="北京 增长") == 1 and pg_store.count_articles(search="北京 没有") == 0
