"""Already fact-checked claims: reading sets, matching sentences, storing matches incrementally, the CLI and the
web views (claims are text from elsewhere: escaped like everything else)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_or_skip
from newstrace.claims import ClaimIndex, ClaimsError, FactCheck, read_claims, sentence_spans, tokens, update_matches
from newstrace.cli import app
from newstrace.models import Article
from newstrace.store import Store

runner = CliRunner()

CLEF_LIKE = ("\tvclaim\ttitle\n"
             "0\t122 detainees released from Guantanamo Bay under President Obama returned to terrorism.\t"
             "Did 122 Prisoners Return to the Battlefield?\n"
             "1\tDrinking bleach cures the coronavirus infection.\tBleach cure\n"
             "2\tConficker\tworm\n"
             "1\tA duplicate id with words enough to match.\tdup\n")

CLAIMREVIEW = [
    {"claimReviewed": "The moon landing in 1969 was staged in a film studio <script>alert(1)</script>",
     "reviewRating": {"alternateName": "False"}, "url": "https://factcheck.example/moon",
     "author": "x", "publisher": "Fact Check Example", "date": "2020-01-02"},
    {"claimReviewed": "Wind turbines cause cancer in people living nearby", "rating": "Pants on fire",
     "url": "javascript:alert(1)"},
]

ARTICLE_TEXT = [
    "Officials repeated on Monday that 122 detainees released from Guantanamo Bay under President Obama "
    "returned to terrorism, which experts dispute.",
    "Elsewhere, the weather stayed mild and the market for bleach was calm.",
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _claimreview(tmp_path: Path) -> Path:
    lines = [json.dumps(r) for r in CLAIMREVIEW] + ["{not json", "[1, 2]"]
    return _write(tmp_path, "cr.jsonl", "\n".join(lines) + "\n")


def test_tokens() -> None:
    assert tokens("The 122 detainees, released in 2009!") == ["122", "detainees", "released", "2009"]
    assert tokens("Он сказал, что это неправда") == ["сказал", "неправда"]
    assert tokens("外交部发言人") == ["外交", "交部", "部发", "发言", "言人"]


def test_sets_are_read_as_published(tmp_path: Path) -> None:
    clef = read_claims(_write(tmp_path, "verified.tsv", CLEF_LIKE))
    assert [c.ext_id for c in clef.rows] == ["0", "1"] and clef.rows[0].title.startswith("Did 122")
    assert [why.split(":")[0] for _, why in clef.skipped] == ["too short to match", "id '1' already used on an "
                                                              "earlier line (the first is kept)"]
    cr = read_claims(_claimreview(tmp_path), name="cr")
    by = {c.claim[:8]: c for c in cr.rows}
    assert by["The moon"].verdict == "False" and by["The moon"].url == "https://factcheck.example/moon"
    assert by["The moon"].publisher == "Fact Check Example" and by["The moon"].published == "2020-01-02"
    assert by["Wind tur"].verdict == "Pants on fire" and by["Wind tur"].url is None  # not an http(s) link
    assert [(line, why.split(" (")[0]) for line, why in cr.skipped] == [(3, "not valid JSON"),
                                                                        (4, "not a JSON object")]
    listed = read_claims(_write(tmp_path, "list.json", json.dumps(CLAIMREVIEW)))
    assert len(listed.rows) == 2


@pytest.mark.parametrize("content, message", [
    ("name,score\nx,1\n", "no claim column"),
    ("", "empty file"),
    ("[not json", "not a JSON list of claims"),
])
def test_files_that_are_no_set(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(ClaimsError, match=message):
        read_claims(_write(tmp_path, "bad.csv", content))


def test_a_sentence_repeating_a_claim_matches_and_a_neighbour_does_not() -> None:
    checks = [FactCheck("0", "122 detainees released from Guantanamo Bay under President Obama returned to "
                             "terrorism.", id=10),
              FactCheck("1", "Drinking bleach cures the coronavirus infection.", id=11),
              FactCheck("2", "The market for organic eggs collapsed in March.", id=12)]
    index = ClaimIndex(checks)
    text = "\n".join(ARTICLE_TEXT)
    found = index.match(text, sentence_spans(text))
    assert [m.fact_check_id for m in found] == [10]
    [m] = found
    assert text[m.start:m.end] == ARTICLE_TEXT[0] and m.coverage > 0.8
    # the second sentence shares "bleach" and "market" with two claims: not enough of either. Three of a claim's
    # five words are never enough, whatever the threshold (the shape of a chance overlap: "born", "man", "mother");
    # four are, from a coverage threshold of 0.8 down
    half = "Drinking bleach is dangerous, doctors said of the infection."
    assert index.match(half, [(0, len(half))], min_coverage=0.1) == []
    four = "Drinking bleach cures the infection, a post claims."
    [m4] = index.match(four, [(0, len(four))])
    assert m4.fact_check_id == 11 and m4.coverage == pytest.approx(0.8)  # all five words equally rare
    assert index.match(four, [(0, len(four))], min_coverage=0.9) == []
    short = FactCheck("3", "Vaccines contain microchips.", id=13)
    said = "He said vaccines contain microchips."
    assert [m.fact_check_id for m in ClaimIndex([*checks, short]).match(said, [(0, len(said))])] == [13]


def _store(path: Path) -> Store:
    st = Store(path)
    st.write_articles([
        Article(url="https://a.example/1", title="Obama-era detainees", paragraphs=ARTICLE_TEXT, site="a.example"),
        Article(url="https://b.example/2", title="Drinking bleach cures the coronavirus infection, says a post",
                paragraphs=["Doctors warn against it."], site="b.example"),
        Article(url="https://c.example/3", title="Nothing here", paragraphs=["Rain all day."], site="c.example"),
    ])
    return st


def test_matches_are_stored_incrementally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    st = _store(tmp_path / "m.db")
    assert update_matches(st).sets == 0  # nothing loaded: nothing to do
    st.load_claims(read_claims(_write(tmp_path, "verified.tsv", CLEF_LIKE)))
    first = update_matches(st, batch_size=2)
    assert (first.articles, first.matched, first.matches) == (3, 2, 2)
    [a1] = st.claim_matches_for(1)
    assert a1["ext_id"] == "0" and (a1["sentence_start"], a1["sentence_end"]) == (0, len(ARTICLE_TEXT[0]))
    [b2] = st.claim_matches_for(2)
    assert b2["ext_id"] == "1" and (b2["sentence_start"], b2["sentence_end"]) == (-1, -1)  # in the headline
    assert update_matches(st).articles == 0  # nothing new
    st.write_articles([Article(url="https://d.example/4", title="Again",
                               paragraphs=[ARTICLE_TEXT[0]], site="d.example")])
    assert (update_matches(st).articles, st.claim_match_counts()) == (1, {"articles": 3, "matches": 3})
    assert [r["articles"] for r in st.top_matched_claims()] == [2, 1]
    # reloading a set makes every article due again; a failing article is reported and the rest stored
    st.load_claims(read_claims(_write(tmp_path, "verified.tsv", CLEF_LIKE)))
    assert st.claim_match_counts()["matches"] == 0
    real = ClaimIndex.match_many

    def flaky(self: ClaimIndex, items: list[tuple[str, object]], *a: object, **k: object) -> object:
        if any("Rain all day" in text for text, _ in items):
            raise ValueError("boom")
        return real(self, items, *a, **k)

    monkeypatch.setattr(ClaimIndex, "match_many", flaky)
    again = update_matches(st)
    assert again.articles == 4 and again.errors == ["article 3: ValueError: boom"]
    assert st.claim_match_counts() == {"articles": 3, "matches": 3}
    assert st.remove_claims("verified") and st.claim_match_counts()["matches"] == 0
    st.close()


def test_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    _store(tmp_path / "cli.db").close()
    assert runner.invoke(app, ["--db", db, "claims", "match"]).exit_code == 1  # no set yet
    bad = _write(tmp_path, "bad.csv", "name,score\nx,1\n")
    r = runner.invoke(app, ["--db", db, "claims", "load", str(bad), str(_write(tmp_path, "v.tsv", CLEF_LIKE))])
    out = " ".join(r.output.split())  # rich wraps long lines at the terminal's width
    assert r.exit_code == 1 and "no claim column" in out and "v: 2 claims; 2 rows skipped" in out
    r = runner.invoke(app, ["--db", db, "claims", "match", "--no-progress"])
    assert r.exit_code == 0 and "3 articles matched against 2 claims" in " ".join(r.output.split()), r.output
    r = runner.invoke(app, ["--db", db, "claims", "show", "1"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0 and "122 detainees" in out and "sentence: Officials repeated" in out
    shown = json.loads(runner.invoke(app, ["--db", db, "claims", "show", "https://b.example/2", "--json"]).output)
    assert shown["matches"][0]["sentence"].startswith("Drinking bleach")
    none = runner.invoke(app, ["--db", db, "claims", "show", "3"]).output
    assert "repeats no fact-checked claim" in " ".join(none.split())
    top = json.loads(runner.invoke(app, ["--db", db, "claims", "top", "--json"]).output)
    assert sorted(r["ext_id"] for r in top) == ["0", "1"]
    assert [s["name"] for s in json.loads(runner.invoke(app, ["--db", db, "claims", "list", "--json"]).output)] \
        == ["v"]
    assert runner.invoke(app, ["--db", db, "claims", "remove", "v"]).exit_code == 0
    assert runner.invoke(app, ["--db", db, "claims", "remove", "v"]).exit_code == 1


def test_analyse_matches_once_a_set_is_loaded_and_the_web_shows_it(tmp_path: Path) -> None:
    from newstrace.pipeline import analyse
    from newstrace.web.app import create_app
    from test_web_api import Client

    st = _store(tmp_path / "w.db")
    assert "claims" not in analyse(st, workers=1).steps
    st.load_claims(read_claims(_claimreview(tmp_path), name="cr"))
    st.write_articles([Article(url="https://e.example/5", title="Moon",
                               paragraphs=["A video claims the moon landing in 1969 was staged in a film studio."],
                               site="e.example")])
    assert analyse(st, workers=1).steps["claims"]["matched"] == 1
    c = Client(create_app(st))
    try:
        data = c.get("/api/articles/4").json()
        [fc] = data["fact_checks"]
        assert fc["verdict"] == "False" and fc["sentence"].startswith("A video claims")
        page = c.get("/articles/4").text
        assert "Repeats fact-checked claims" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page and 'href="https://factcheck.example/moon"' in page
        assert "Repeats fact-checked claims" not in c.get("/articles/3").text
    finally:
        c.close()
        st.close()


@pytest.mark.realdata
def test_clef_2020_floor() -> None:
    """MAP@5 of the claim index on CLEF 2020 Task 2 (floors only go up; figures in docs/benchmarks.md)."""
    import importlib.util
    import sys

    data = shared_or_skip("data", "clef2020-task2")
    spec = importlib.util.spec_from_file_location("bench_claims_clef", Path(__file__).parents[1] / "bench" /
                                                  "claims_clef.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    index = ClaimIndex(read_claims(data / "verified_claims.docs.tsv").rows)
    tweets, gold = bench.load_split(data / "dev")
    r = bench.evaluate(index, tweets, gold, (0.6,))
    assert r["map5_bm25"] >= 0.70 and r["precision@0.6"] >= 0.8, r


def test_hostile_and_feed_shaped_files(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    lines = [json.dumps(CLAIMREVIEW[0]), deep, json.dumps(CLAIMREVIEW[1])]
    cf = read_claims(_write(tmp_path, "deep.jsonl", "\n".join(lines) + "\n"))
    assert len(cf.rows) == 2 and cf.skipped[0][0] == 2 and "not valid JSON" in cf.skipped[0][1]
    with pytest.raises(ClaimsError, match="not a JSON list of claims"):  # an error, not a RecursionError
        read_claims(_write(tmp_path, "deep.json", deep))
    feed = {"claims": [{"text": "The moon landing in 1969 was staged in a film studio",
                        "claimReview": [{"textualRating": "False"}], "datePublished": "2020-01-02"}]}
    [row] = read_claims(_write(tmp_path, "feed.json", json.dumps(feed, indent=2))).rows
    assert row.claim.startswith("The moon") and row.published == "2020-01-02"
    dup = read_claims(_write(tmp_path, "dup.csv", "id,claim,claim\n1,,the earth is flat and nasa hides it\n"
                                                  "2,the moon landing was faked by nasa,\n"))
    assert [r.claim[:9] for r in dup.rows] == ["the earth", "the moon "]  # two claim columns: neither lost
    with pytest.raises(ClaimsError, match="no usable claim"):
        read_claims(_write(tmp_path, "none.csv", "claim\nx\n"))


def test_a_set_changed_during_matching_stops_the_run_cleanly(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    st = _store(tmp_path / "c.db")
    st.load_claims(read_claims(_write(tmp_path, "verified.tsv", CLEF_LIKE)))
    versions = iter(["v1", "v2"])
    monkeypatch.setattr(Store, "claims_version", lambda self: next(versions, "v2"))
    report = update_matches(st, batch_size=2)
    assert report.articles == 0 and "changed during the run" in report.errors[0]
    assert st.claim_match_counts()["matches"] == 0
    st.close()
