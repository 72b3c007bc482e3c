"""Quotes in the store (tables, incremental runner, trails) and the `quotes`, `speakers`, `quote-trail` commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.models import Article
from newstrace.quotes.runner import update
from newstrace.store import Store

runner = CliRunner()
QUOTE = "We will not allow the pipeline to be built across our farmland this year"


def _articles() -> list[Article]:
    return [
        Article(url="https://wire.example/a", title="Pipeline", site="wire.example",
                published=datetime(2024, 5, 1, tzinfo=UTC),
                paragraphs=[f"“{QUOTE},” said Maria Petrova, the mayor of Riga.",
                            "Officials said the route would be reviewed."]),
        Article(url="https://blog.example/b", title="Pipeline copy", site="blog.example",
                published=datetime(2024, 5, 2, tzinfo=UTC),
                paragraphs=[f"“{QUOTE.replace('not', 'never')},” Ivan Sokolov said.",
                            "Maria Petrova said the council would vote in June."]),
        Article(url="https://blog.example/c", title="No quotes", site="blog.example",
                published=datetime(2024, 5, 3, tzinfo=UTC), paragraphs=["The weather was fine on Sunday."]),
    ]


def test_runner_store_and_trails(store: Store) -> None:
    arts = _articles()
    store.write_articles(arts)
    r1 = update(store)
    assert (r1.articles, r1.skipped, r1.attributions, r1.trails) == (3, 0, 4, 1)
    assert update(store).articles == 0 and update(store).skipped == 3  # incremental
    rows = store.quote_attributions_for(arts[0].id)
    assert [r["speaker_name"] for r in rows] == ["Maria Petrova", None]
    assert rows[0]["role"] == "mayor of Riga" and rows[0]["direct"] and rows[1]["kind"] == "anonymous"
    top = store.top_speakers()
    assert top[0]["speaker"] == "Maria Petrova" and top[0]["attributions"] == 2 and top[0]["sites"] == 2
    assert [(r["speaker"], r["named"]) for r in store.top_speakers(site="wire.example")] == [
        ("Maria Petrova", True), ("anonymous", False)]
    assert [r["speaker"] for r in store.top_speakers(site="wire.example", named_only=True)] == ["Maria Petrova"]
    [found] = store.search_quotes("pipeline to be BUILT")
    trail = store.quote_trail(found["id"])
    assert trail["first_article_id"] == arts[0].id and [a["site"] for a in trail["appearances"]] == [
        "wire.example", "blog.example"]
    kinds = {c["kind"]: c for c in trail["changes"]}
    assert kinds["words"]["removed"] == ["not"] and kinds["words"]["added"] == ["never"]
    assert kinds["speaker"]["speaker_after"] == "Ivan Sokolov"
    assert store.quote_trail(999) is None


def test_cli_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    arts = _articles()
    with Store(db) as st:
        st.write_articles(arts)
    # `quotes` reads an article never processed: it extracts and stores it on the way
    r = runner.invoke(app, ["--db", db, "quotes", str(arts[0].id), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["article_id"] == arts[0].id and data["attributions"][0]["speaker_name"] == "Maria Petrova"
    r = runner.invoke(app, ["--db", db, "quotes", "https://wire.example/a"])
    assert r.exit_code == 0 and "Maria Petrova" in r.output and "named-person" in r.output
    assert runner.invoke(app, ["--db", db, "quotes", "424242"]).exit_code == 1

    r = runner.invoke(app, ["--db", db, "quotes-update"])
    assert r.exit_code == 0 and "2 articles read (1 already done)" in r.output
    r = runner.invoke(app, ["--db", db, "speakers", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)[0]["speaker"] == "Maria Petrova"
    r = runner.invoke(app, ["--db", db, "speakers", "--site", "blog.example"])
    assert r.exit_code == 0 and "Ivan Sokolov" in r.output
    r = runner.invoke(app, ["--db", db, "speakers", "--site", "wire.example"])
    assert "unnamed" in r.output
    assert "unnamed" not in runner.invoke(app, ["--db", db, "speakers", "--named"]).output

    r = runner.invoke(app, ["--db", db, "quote-trail", "allow the pipeline", "--json"])
    assert r.exit_code == 0, r.output
    [trail] = json.loads(r.output)
    assert trail["appearances"][0]["site"] == "wire.example"
    r = runner.invoke(app, ["--db", db, "quote-trail", str(trail["id"])])
    assert r.exit_code == 0 and "re-attributed" in r.output and "never" in r.output
    r = runner.invoke(app, ["--db", db, "quote-trail", "words nobody said"])
    assert r.exit_code == 1


def test_one_bad_article_never_stops_the_run(store: Store, monkeypatch) -> None:
    import newstrace.quotes.runner as runner_mod

    arts = _articles()
    store.write_articles(arts)
    real = runner_mod.extract_attributions

    def flaky(text: str, language: str | None = "en"):
        if "weather" in text:
            raise ValueError("broken text")
        return real(text, language)

    monkeypatch.setattr(runner_mod, "extract_attributions", flaky)
    report = update(store)
    assert report.articles == 2 and report.errors == [f"article {arts[2].id}: ValueError: broken text"]
    assert arts[2].id not in store.quote_done_ids()  # retried next time
    monkeypatch.setattr(runner_mod, "extract_attributions", real)
    again = update(store)
    assert again.articles == 1 and again.skipped == 2 and not again.errors


def test_quote_search_through_the_word_index_finds_what_a_substring_scan_finds(tmp_path: Path) -> None:
    """The word index only narrows the search: for needles cut anywhere (parts of words at both ends, one word,
    Chinese), the results are exactly the quotes whose key holds the needle."""
    from sqlalchemy import select, text

    from newstrace.ingest import ingest
    from newstrace.quotes.trail import normalise
    from newstrace.store.quotes import quotes
    from newstrace.synth import SynthConfig, generate

    generate(SynthConfig(articles=150, seed=4), tmp_path / "corpus")
    with Store(tmp_path / "s.db") as store:
        ingest([str(tmp_path / "corpus" / "html")], store, workers=1)
        update(store)
        with store.engine.connect() as conn:
            keys = dict(conn.execute(select(quotes.c.id, quotes.c.key)).all())
        assert len(keys) > 15 and any("\u4e00" <= k[:1] <= "\u9fff" for k in keys.values())
        with store.engine.connect() as conn:  # the index is kept by triggers as the trails are rebuilt
            assert conn.execute(text("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH 'the'")).scalar() == sum(
                "the" in k.split() for k in keys.values())
        needles = []
        for k in list(keys.values())[::7]:
            words = k.split()
            if len(words) >= 6:
                needles.append(" ".join(words[1:5])[2:-1])  # parts of words at both ends
            needles.append(words[len(words) // 2])
        for needle in needles:
            got = {q["id"] for q in store.search_quotes(needle, limit=10_000)}
            assert got == {i for i, k in keys.items() if normalise(needle) in k}, needle


def test_a_store_made_before_the_quote_index_gets_it_filled_on_opening(tmp_path: Path) -> None:
    from sqlalchemy import text

    db = tmp_path / "old.db"
    with Store(db) as st:
        st.write_articles(_articles())
        update(st)
        with st.engine.begin() as conn:  # as the store was before migration 0301: no index, its record gone
            for trigger in ("ai", "ad", "au"):
                conn.execute(text(f"DROP TRIGGER quotes_fts_{trigger}"))
            conn.execute(text("DROP TABLE quotes_fts"))
            conn.execute(text("DELETE FROM migrations WHERE name = '0301_quote_search'"))
    with Store(db) as st:
        [found] = st.search_quotes("the pipeline to be built across")  # inner words go through the index
        assert "pipeline" in found["key"]
