"""`newstrace reuse`, `copies` and `compare` through typer's CliRunner on a small store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.models import Article
from newstrace.store import Store
from test_reuse_fixtures import FOOTER, story

runner = CliRunner()


def _store(path: Path) -> dict[str, int]:
    wire = story(1)
    w = wire[1].split()
    w[5] = "CHANGED"
    arts = [Article(url=f"https://blog.example/p{k}", title=f"p{k}", paragraphs=story(100 + k, 2) + [FOOTER],
                    site="blog.example") for k in range(5)]
    arts += [
        Article(url="https://wire.example/w", title="Wire story", paragraphs=wire, site="wire.example"),
        Article(url="https://blog.example/copy", title="Blog copy",
                paragraphs=story(60, 2) + [wire[0], " ".join(w), wire[2]] + [FOOTER], site="blog.example"),
    ]
    with Store(path) as st:
        st.write_articles(arts)
    return {a.title: a.id for a in arts if a.id is not None}


def test_reuse_copies_compare(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    ids = _store(tmp_path / "x.db")
    r = runner.invoke(app, ["--db", db, "reuse", "--json", "--workers", "1"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["new_articles"] == 7 and report["pairs"] == 1 and not report["noop"]
    r = runner.invoke(app, ["--db", db, "reuse", "--workers", "1"])
    assert r.exit_code == 0 and "up to date" in r.output

    r = runner.invoke(app, ["--db", db, "copies", "https://wire.example/w", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["article"]["id"] == ids["Wire story"]
    [c] = data["copies"]
    assert c["article_id"] == ids["Blog copy"] and c["site"] == "blog.example"
    assert 0.4 < c["coverage_this"] < 0.55 and 0.55 < c["coverage_other"] < 0.7  # 3 of 6; 3 of 5 (footer aside)
    r = runner.invoke(app, ["--db", db, "copies", str(ids["Wire story"])])
    assert r.exit_code == 0 and "blog.example" in r.output

    r = runner.invoke(app, ["--db", db, "compare", str(ids["Blog copy"]), str(ids["Wire story"]), "--json"])
    assert r.exit_code == 0, r.output
    cmp_ = json.loads(r.output)
    [p] = cmp_["passages"]
    assert p["a_id"] == ids["Blog copy"] and p["a_text"].replace("CHANGED", "") != p["b_text"]
    assert {"op": "substitute", "a_text": "CHANGED", "b_text": story(1)[1].split()[5]} in p["edits"]
    assert cmp_["boilerplate"][str(ids["Blog copy"])]
    r = runner.invoke(app, ["--db", db, "compare", str(ids["Wire story"]), str(ids["Blog copy"])])
    assert r.exit_code == 0 and "shared passages" in r.output and "CHANGED" in r.output
    assert " ".join(story(60, 2)[0].split()[:2]) in r.output  # the copy's own text is shown too

    r = runner.invoke(app, ["--db", db, "copies", "999"])
    assert r.exit_code == 1 and "no article" in r.output
    r = runner.invoke(app, ["--db", db, "reuse", "--mode", "fuzzy"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["--db", db, "reuse", "--excerpt-words", "3"])
    assert r.exit_code == 2 and "excerpt_words" in r.output  # shorter than any passage kept: refused


def test_excerpt_words_option_pairs_or_skips_a_one_sentence_excerpt(tmp_path: Path) -> None:
    from test_reuse_short_copies import _short_copy

    source, copy, _ = _short_copy(45, 13)
    for option, pairs in (("12", 1), ("0", 0)):
        db = tmp_path / f"e{option}.db"
        with Store(db) as st:
            st.write_articles([Article("https://wire.example/a", "Report", source.split("\n"), "wire.example"),
                               Article("https://blog.example/b", "Excerpt", copy.split("\n"), "blog.example")])
        r = runner.invoke(app, ["--db", str(db), "reuse", "--json", "--workers", "1", "--excerpt-words", option])
        assert r.exit_code == 0, r.output
        assert json.loads(r.output)["pairs"] == pairs


def test_reuse_in_chunks_shows_a_chunk_bar_and_finds_the_same_pair(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    _store(tmp_path / "x.db")
    r = runner.invoke(app, ["--db", db, "reuse", "--workers", "1", "--chunk-size", "2"])
    assert r.exit_code == 0, r.output
    assert "chunks" in r.output and "4/4" in r.output
    assert "7 new articles" in r.output and "1 pairs sharing text" in " ".join(r.output.split())
    r = runner.invoke(app, ["--db", db, "reuse", "--chunk-size", "0"])
    assert r.exit_code == 2


def test_linked_words_option_pairs_or_skips_a_linked_excerpt(tmp_path: Path) -> None:
    from test_reuse_short_copies import _linked_excerpt, _page

    source, copy, _ = _linked_excerpt(67, 10)
    for option, pairs in (("8", 1), ("0", 0)):
        db = tmp_path / f"l{option}.db"
        with Store(db) as st:
            st.write_articles([_page("https://wire.example/a", "wire.example", source),
                               _page("https://blog.example/b", "blog.example", copy, link="https://wire.example/a")])
        r = runner.invoke(app, ["--db", str(db), "reuse", "--json", "--workers", "1", "--linked-words", option])
        assert r.exit_code == 0, r.output
        assert json.loads(r.output)["pairs"] == pairs
    r = runner.invoke(app, ["--db", str(tmp_path / "l8.db"), "reuse", "--min-words", "5", "--rebuild", "--json"])
    assert r.exit_code == 0, r.output  # a shorter --min-words takes the linked length down with it
    r = runner.invoke(app, ["--db", str(tmp_path / "l8.db"), "reuse", "--linked-words", "30"])
    assert r.exit_code == 2 and "linked_words" in r.output


def test_df_cap_and_hubs_options_find_a_story_run_by_more_sites_than_the_cap(tmp_path: Path) -> None:
    """14 sites run one wire story; with --df-cap 5 every page still pairs through the hubs, in one run or in
    chunks (the runner's incremental path); with --df-hubs 0 only the first five pair."""
    wire = story(7, 4)
    arts = [Article(url=f"https://site{k}.example/a", title=f"Wire story {k}", paragraphs=wire + story(300 + k, 1),
                    site=f"site{k}.example") for k in range(14)]
    results = {}
    for name, options in (("one", []), ("chunks", ["--chunk-size", "4"]), ("off", ["--df-hubs", "0"])):
        db = tmp_path / f"{name}.db"
        with Store(db) as st:
            st.write_articles(arts)
        r = runner.invoke(app, ["--db", str(db), "reuse", "--json", "--workers", "1", "--df-cap", "5", *options])
        assert r.exit_code == 0, r.output
        with Store(db) as st:
            results[name] = {(p.a_id, p.b_id) for p in st.all_pairs()}
    assert len(results["one"]) == 10 + 9 * 5  # all pairs among the first five, the other nine with those five
    assert {i for pair in results["one"] for i in pair} == set(range(1, 15))
    assert results["chunks"] == results["one"]
    assert results["off"] == {(i, j) for i in range(1, 6) for j in range(i + 1, 6)}
    r = runner.invoke(app, ["--db", str(tmp_path / "one.db"), "reuse", "--df-cap", "5", "--df-hubs", "6"])
    assert r.exit_code == 2 and "df_hubs" in r.output


def test_compare_shows_the_copys_own_text_where_it_stands(tmp_path: Path) -> None:
    """The blog's own opening paragraphs come before the shared passage in the comparison, as in the blog."""
    db = str(tmp_path / "y.db")
    ids = _store(tmp_path / "y.db")
    assert runner.invoke(app, ["--db", db, "reuse", "--workers", "1"]).exit_code == 0
    r = runner.invoke(app, ["--db", db, "compare", str(ids["Wire story"]), str(ids["Blog copy"])],
                      env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    own = story(60, 2)[0].split()[:3]  # the blog's first words
    shared = story(1)[0].split()[:3]  # the wire's first words, shared
    rows = r.output.split("\n")
    first_own = next(i for i, line in enumerate(rows) if " ".join(own) in line)
    first_shared = next(i for i, line in enumerate(rows) if " ".join(shared) in line)
    assert first_own < first_shared
    assert "Follow us on Twitter" in r.output  # the footer (after the passages) is still shown
