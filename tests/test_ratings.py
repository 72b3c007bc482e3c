"""Domain rating sets: reading them as published, storing them without duplicates, finding a site's ratings,
and showing them in the CLI and the web UI (escaped: a set's notes are text from elsewhere)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_or_skip
from newstrace.cli import app
from newstrace.ratings import RatingsError, describe, normalise_domain, parent_domains, read_ratings
from newstrace.store import Store

runner = CliRunner()

LIN = """domain,pc1,afm,mbfc
reuters.com,1,0.9626,1
https://www.rt.com/,0.293277424671587,0.5967,0.4167
bbc.co.uk,0.718306150148359,0.896,0.679
not a domain,0.5,1,1
RT.com,0.9,1,1
badscore.example,1.7,1,1
westernjournal.com/commentary,0.64,1,1
westernjournal.com,0.21,1,1
"""

OPENSOURCES = """,type,2nd type,3rd type,Source Notes (things to know?),
rt.com,state,bias,,"<script>alert(1)</script> funded by the state",
infowars.com,conspiracy,fake,,,
Silver-Coin-Investor. com,bias,,,,
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_domains_are_normalised_and_walk_up() -> None:
    assert normalise_domain("https://www.Example.COM:8080/a?b#c") == "example.com"
    assert normalise_domain("user@news.example.org/x") == "news.example.org"
    assert normalise_domain("www.com") == "www.com"  # a two-label name keeps its "www"
    assert normalise_domain("Silver-Coin-Investor. com") is None
    assert normalise_domain("") is None and normalise_domain("localhost") is None
    assert normalise_domain("пример.рф") == "пример.рф"
    assert parent_domains("news.bbc.co.uk") == ["news.bbc.co.uk", "bbc.co.uk"]
    assert parent_domains("a.b.example.org") == ["a.b.example.org", "b.example.org", "example.org"]
    assert parent_domains("someblog.blogspot.com") == ["someblog.blogspot.com"]  # not the platform's rating
    assert parent_domains("x.wire-one.example") == ["x.wire-one.example", "wire-one.example"]


def test_lin_set_is_read_as_published(tmp_path: Path) -> None:
    rated = read_ratings(_write(tmp_path, "lin.csv", LIN))
    assert (rated.name, rated.kind, rated.score_column) == ("lin", "lin2023", "pc1")
    by = {r.domain: r for r in rated.rows}
    assert set(by) == {"reuters.com", "rt.com", "bbc.co.uk", "westernjournal.com"}
    assert by["westernjournal.com"].score == 0.21  # the site's own row, not its section's
    assert by["rt.com"].score == pytest.approx(0.2933, abs=1e-4)  # the first line naming it is kept
    assert by["reuters.com"].fields == {"afm": "0.9626", "mbfc": "1"} and by["reuters.com"].labels == []
    reasons = dict(rated.skipped)
    assert reasons[5].startswith("not a domain name") and "already rated" in reasons[6]
    assert "not a number from 0 to 1" in reasons[7] and "rates a part of a site" in reasons[8]


def test_opensources_and_generic_tables(tmp_path: Path) -> None:
    rated = read_ratings(_write(tmp_path, "os.csv", OPENSOURCES), name="opensources")
    assert rated.kind == "opensources" and rated.score_column is None
    by = {r.domain: r for r in rated.rows}
    assert by["rt.com"].labels == ["state", "bias"] and by["rt.com"].score is None
    assert "funded by the state" in by["rt.com"].fields["Source Notes (things to know?)"]
    assert [line for line, _ in rated.skipped] == [4]
    tsv = _write(tmp_path, "mine.tsv", "Site\tReliability\tCategory\nexample.org\t0.4\tpartisan; tabloid\n"
                                       "example.net\tn/a\tsatire\nexample.com\t\t\n")
    gen = read_ratings(tsv)
    assert gen.kind == "csv" and gen.score_column == "Reliability"
    by = {r.domain: r for r in gen.rows}
    assert by["example.org"].score == 0.4 and by["example.org"].labels == ["partisan", "tabloid"]
    assert by["example.com"].score is None and "example.net" not in by
    assert describe({"set": "mine", "score": 0.4, "labels": ["partisan"]}) == "0.40 partisan (mine)"
    assert describe({"set": "mine", "score": None, "labels": []}) == "listed (mine)"


@pytest.mark.parametrize("content, message", [
    ("name,score\nx,1\n", "no domain column"),
    ("", "empty file"),
    (b"\x00\x01binary", "not a text file"),
    ('domain,score\n"unterminated,1\n' + "x" * 200_000 + "\n", "line"),
])
def test_files_that_are_no_rating_set(tmp_path: Path, content: str | bytes, message: str) -> None:
    with pytest.raises(RatingsError, match=message):
        read_ratings(_write(tmp_path, "bad.csv", content))


def test_spreadsheet_encoding_is_read(tmp_path: Path) -> None:
    rated = read_ratings(_write(tmp_path, "cp.csv", "domain,notes\nexample.org,caf\xe9 owner\n".encode("cp1252")))
    assert rated.rows[0].fields == {"notes": "café owner"}


def test_store_replaces_a_set_and_finds_parents(tmp_path: Path, store: Store) -> None:
    lin = read_ratings(_write(tmp_path, "lin.csv", LIN))
    assert store.load_ratings(lin, "lin.csv") == 4
    assert store.load_ratings(lin, "lin.csv") == 4  # again: replaced, not duplicated
    store.load_ratings(read_ratings(_write(tmp_path, "os.csv", OPENSOURCES), name="os"))
    assert [(s["name"], s["domains"]) for s in store.rating_sets()] == [("lin", 4), ("os", 2)]
    found = store.ratings_for(["rt.com", "news.bbc.co.uk", "unrated.example"])
    assert [(r["set"], r["score"], r["labels"]) for r in found["rt.com"]] == [
        ("lin", pytest.approx(0.2933, abs=1e-4), []), ("os", None, ["state", "bias"])]
    [bbc] = found["news.bbc.co.uk"]
    assert bbc["rated_domain"] == "bbc.co.uk" and "unrated.example" not in found
    # a subdomain's own rating wins over its parent's
    store.load_ratings(read_ratings(_write(tmp_path, "lin.csv", "domain,pc1\nnews.bbc.co.uk,0.2\nbbc.co.uk,0.9\n")))
    [bbc] = store.ratings_for(["news.bbc.co.uk"])["news.bbc.co.uk"]
    assert (bbc["rated_domain"], bbc["score"]) == ("news.bbc.co.uk", 0.2)
    assert [r["set"] for r in store.ratings_for(["rt.com"])["rt.com"]] == ["os"]  # the new "lin" lacks it
    assert store.remove_ratings("os") and not store.remove_ratings("os")
    assert store.ratings_for(["rt.com"]) == {}


def test_cli_loads_a_batch_past_a_bad_file(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    good = _write(tmp_path, "lin.csv", LIN)
    bad = _write(tmp_path, "bad.csv", "name,score\nx,1\n")
    r = runner.invoke(app, ["--db", db, "ratings", "load", str(bad), str(good)])
    out = " ".join(r.output.split())  # rich wraps long lines at the terminal's width
    assert r.exit_code == 1 and "no domain column" in out and "lin: 4 domains" in out
    assert "line 5: not a domain name" in out
    r = runner.invoke(app, ["--db", db, "ratings", "show", "https://www.rt.com/x", "news.bbc.co.uk", "a.example"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "0.29 (lin)" in out and "(as bbc.co.uk)" in out and "not rated by any loaded set" in out
    r = runner.invoke(app, ["--db", db, "ratings", "show", "rt.com", "--json"])
    assert json.loads(r.output)["rt.com"][0]["score"] == pytest.approx(0.2933, abs=1e-4)
    r = runner.invoke(app, ["--db", db, "ratings", "list", "--json"])
    assert [s["name"] for s in json.loads(r.output)] == ["lin"]
    few = runner.invoke(app, ["--db", db, "ratings", "load", str(good), "--show-skipped", "1"])
    assert few.exit_code == 0 and "… and 3 more (--show-skipped N lists more)" in " ".join(few.output.split())
    assert runner.invoke(app, ["--db", db, "ratings", "show", "not a domain"]).exit_code == 2
    assert runner.invoke(app, ["--db", db, "ratings", "remove", "nope"]).exit_code == 1
    assert runner.invoke(app, ["--db", db, "ratings", "remove", "lin"]).exit_code == 0


def test_sites_and_trace_show_ratings(tmp_path: Path) -> None:
    from newstrace.web.app import create_app
    from test_web_api import Client, web_corpus

    db = tmp_path / "web.db"
    shutil.copy(web_corpus(tmp_path.parent), db)
    with Store(db) as st:
        sites = [s for s, _ in sorted(st.site_network().nodes(data=True), key=lambda n: -n[1].get("articles", 0))]
        rated, other = sites[0], sites[1]
        st.load_ratings(read_ratings(_write(tmp_path, "mine.csv",
                                            f"domain,score,type,notes\n{rated},0.25,state,<b>bold</b> claim\n")))
        c = Client(create_app(st))
        try:
            prof = c.get(f"/api/sites/{rated}").json()
            assert [(r["set"], r["score"], r["labels"]) for r in prof["ratings"]] == [("mine", 0.25, ["state"])]
            assert c.get(f"/api/sites/{other}").json()["ratings"] == []
            page = c.get(f"/sites/{rated}").text
            assert "0.25" in page and "&lt;b&gt;bold&lt;/b&gt; claim" in page and "<b>bold</b>" not in page
            assert "not rated by any loaded set" in c.get(f"/sites/{other}").text
            listing = c.get("/api/sites", params={"limit": 50}).json()["items"]
            assert next(s for s in listing if s["site"] == rated)["ratings"][0]["score"] == 0.25
            art = st.list_articles(site=rated, limit=50)
            story_article = next(a["id"] for a in art if st.story_of(a["id"]) is not None)
            story_id = st.story_of(story_article)["id"]
            assert c.get(f"/api/stories/{story_id}").json()["site_ratings"][rated][0]["set"] == "mine"
            assert 'title="mine">0.25 state</span>' in c.get(f"/stories/{story_id}").text
        finally:
            c.close()
    r = runner.invoke(app, ["--db", str(db), "trace", str(story_article)])
    assert r.exit_code == 0, r.output
    assert "rated 0.25 state (mine)" in " ".join(r.output.split())
    r = runner.invoke(app, ["--db", str(db), "sites", "--site", rated, "--json"])
    assert json.loads(r.output)["ratings"][0]["set"] == "mine"


@pytest.mark.realdata
def test_published_sets_load(store: Store) -> None:
    lin = read_ratings(shared_or_skip("data", "ratings", "lin2023_domain_ratings.csv"))
    os_ = read_ratings(shared_or_skip("data", "ratings", "opensources_sources.csv"))
    assert lin.kind == "lin2023" and len(lin.rows) > 11_000 and os_.kind == "opensources" and len(os_.rows) > 800
    store.load_ratings(lin)
    store.load_ratings(os_)
    found = store.ratings_for(["reuters.com", "rt.com", "www.globalresearch.ca"])
    assert found["reuters.com"][0]["score"] == 1.0
    assert {r["set"] for r in found["rt.com"]} == {lin.name, os_.name}
    assert "state" in next(r for r in found["rt.com"] if r["set"] == os_.name)["labels"]
    assert found["www.globalresearch.ca"][0]["rated_domain"] == "globalresearch.ca"


def test_hostile_and_broken_tables(tmp_path: Path, store: Store) -> None:
    """Extra cells, a duplicate column, a huge cell, an unclosed quote, an address: each handled, nothing lost
    silently; a file that reads as no rating at all never replaces a good set of the same name."""
    table = ("domain,score,notes,notes\n"
             "extra.example,0.5,a,b,c,d\n"  # more cells than the header: named "column 5", "column 6"
             f"huge.example,0.4,{'A' * 200_000},x\n"
             'quoted.example,0.3,"unclosed\nlost.example,0.2,x,y\n')
    rated = read_ratings(_write(tmp_path, "t.csv", table), name="t")
    by = {r.domain: r for r in rated.rows}
    assert by["extra.example"].fields == {"notes": "a", "notes (4)": "b", "column 5": "c", "column 6": "d"}
    assert len(by["huge.example"].fields["notes"]) == 2000
    assert "quoted.example" not in by and any("unclosed quote" in why for _, why in rated.skipped)
    store.load_ratings(rated)
    with pytest.raises(RatingsError, match="no usable row"):  # a 0-100 scale: every score out of range
        read_ratings(_write(tmp_path, "t2.csv", "domain,score\nextra.example,50\n"), name="t")
    assert store.rating_sets()[0]["domains"] == 2  # the good set is still there
    assert parent_domains("1.2.3.4") == ["1.2.3.4"]


def test_a_page_is_rated_by_its_own_host(tmp_path: Path, store: Store) -> None:
    """Every blog on blogspot.com is stored under the site "blogspot.com"; a page is rated as its own blog."""
    from newstrace.models import Article
    from newstrace.web.app import create_app
    from test_web_api import Client

    store.write_articles([Article(url="https://someblog.blogspot.com/2024/03/post.html", title="A post",
                                  paragraphs=["A blog post about many things that matter today."],
                                  site="blogspot.com")])
    store.load_ratings(read_ratings(_write(tmp_path, "r.csv", "domain,score\nblogspot.com,0.67\n"
                                                              "someblog.blogspot.com,0.49\n")))
    [art] = store.list_articles()
    assert art["site"] == "blogspot.com"
    c = Client(create_app(store))
    try:
        [r] = c.get(f"/api/articles/{art['id']}").json()["site_ratings"]
        assert (r["score"], r["rated_domain"]) == (0.49, "someblog.blogspot.com")
    finally:
        c.close()
