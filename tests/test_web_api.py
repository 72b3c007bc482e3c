"""The JSON API in-process (httpx over ASGITransport) against a store built from the synthetic corpus.

The corpus (a few hundred articles plus two hostile pages that copy each other) is built once per test
session by `web_corpus()`; the page and browser tests reuse it.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any

import httpx
import pytest

from newstrace.store import Store
from newstrace.web import create_app
from newstrace.web.app import ensure_web_store
from newstrace.web.demo import build_demo_store
from newstrace.web.security import CSP

HOSTILE_TITLE = "<img src=x onerror=alert(1)> Minister \"quits\" & <script>alert('title')</script>"
HOSTILE_BODY = [
    "<script>alert('body')</script> The harbour authority confirmed on Monday that the northern pier would close "
    "for repairs after inspectors found deep cracks in the concrete supports beneath the old ferry terminal.",
    "Residents wrote <img src=x onerror=alert(2)> on a banner outside the town hall, demanding that the council "
    "publish the full engineering report and explain why the warnings from last winter had been ignored.",
    "\"We will not let the pier rot while the money goes elsewhere,\" said Maria Petrova, a spokeswoman for the "
    "Harbour Residents Association, who has campaigned for the repairs since the storms of the previous year.",
    "The council said the closure would last at least six months and that ferry passengers would be moved to a "
    "temporary landing stage near the fish market, with extra buses running from the railway station.",
    "Engineers estimate that the work will cost more than three million and warn that further delays could make "
    "the damage worse, since salt water is already reaching the steel inside the cracked supports.",
]


def hostile_records() -> list[dict[str, Any]]:
    """Two scraped pages with markup and event handlers as text, one copying the other with credit."""
    return [
        {"url": "https://hostile-one.example/news/pier", "title": HOSTILE_TITLE, "text": "\n".join(HOSTILE_BODY),
         "date": "2024-03-05T08:00:00+00:00", "language": "en"},
        {"url": "https://hostile-two.example/copy/pier", "title": "Copied: " + HOSTILE_TITLE,
         "text": "\n".join([*HOSTILE_BODY, "Source: hostile-one.example <svg onload=alert(3)>"]),
         "date": "2024-03-05T11:00:00+00:00", "language": "en"},
    ]


@functools.cache
def web_corpus(base: Path) -> Path:
    """Build the test store once per process (the fixtures of several modules share it)."""
    return build_demo_store(base / "web-corpus", articles=300, seed=1, extra_records=hostile_records())


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web_corpus(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def web_store(web_db: Path):
    store = ensure_web_store(Store(web_db))
    yield store
    store.close()


class Client:
    """A synchronous face over httpx.AsyncClient + ASGITransport (no server, no network)."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.get(url, **kw))

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kw))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def client(web_store):
    c = Client(create_app(web_store))
    yield c
    c.close()


def _hostile_ids(client: Client) -> tuple[int, int]:
    items = client.get("/api/articles", params={"q": "harbour pier", "limit": 10}).json()["items"]
    ids = {r["site"]: r["id"] for r in items}
    return ids["hostile-one.example"], ids["hostile-two.example"]


# -- search and pagination -------------------------------------------------------------------------
def test_articles_pagination_is_stable_and_counts(client: Client, web_store) -> None:
    first = client.get("/api/articles", params={"limit": 7}).json()
    second = client.get("/api/articles", params={"limit": 7, "offset": 7}).json()
    both = client.get("/api/articles", params={"limit": 14}).json()
    assert first["total"] == web_store.article_count() >= 300
    assert first["total_exact"] is True
    assert [r["id"] for r in first["items"]] + [r["id"] for r in second["items"]] == [r["id"] for r in both["items"]]
    dates = [r["published_at"] or "" for r in both["items"]]
    assert dates == sorted(dates, reverse=True)


def test_pagination_bounds_are_validated(client: Client) -> None:
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles", params={"limit": 201}).status_code == 422
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422
    assert client.get("/api/articles", params={"offset": 10_001}).status_code == 422
    r = client.get("/api/articles", params={"since": "yesterday"})
    assert r.status_code == 400 and "not a date" in r.json()["detail"]


def test_search_filters_and_copy_counts(client: Client, web_store) -> None:
    one, two = _hostile_ids(client)
    r = client.get("/api/articles", params={"q": "harbour pier"}).json()
    assert r["total"] == 2
    hit = {x["id"]: x for x in r["items"]}
    assert hit[one]["shares_text_with"] >= 1 and hit[two]["shares_text_with"] >= 1
    assert hit[one]["copied_by"] + hit[two]["copied_by"] >= 1
    assert hit[one]["story_id"] == hit[two]["story_id"] is not None
    site = client.get("/api/articles", params={"site": "hostile-two.example"}).json()
    assert [x["id"] for x in site["items"]] == [two]
    day = client.get("/api/articles", params={"since": "2024-03-05", "until": "2024-03-05"}).json()
    assert all(x["published_at"].startswith("2024-03-05") for x in day["items"]) and day["total"] >= 2
    ru = client.get("/api/articles", params={"language": "ru", "limit": 200}).json()
    assert ru["total"] > 0 and all(x["language"] == "ru" for x in ru["items"])
    none = client.get("/api/articles", params={"q": "zzzqqqxxnotaword"}).json()
    assert none == {**none, "items": [], "total": 0}


def test_copy_counts_match_the_reuse_results(client: Client, web_store) -> None:
    items = client.get("/api/articles", params={"limit": 100}).json()["items"]
    for r in items[:25]:
        assert r["shares_text_with"] == len(web_store.pairs_for(r["id"]))


# -- article, copies, quotes -----------------------------------------------------------------------
def test_article_detail_has_marks_and_provenance(client: Client) -> None:
    one, two = _hostile_ids(client)
    a = client.get(f"/api/articles/{two}").json()
    assert a["id"] == two and a["title"] == "Copied: " + HOSTILE_TITLE
    assert a["text"].startswith("<script>alert('body')</script>")
    assert a["published_source"] == "record"
    kinds = {s["kind"] for s in a["spans"]}
    assert "shared" in kinds
    shared = [s for s in a["spans"] if s["kind"] == "shared"]
    assert any(s["info"]["article_id"] == one for s in shared)
    for s in a["spans"]:
        assert 0 <= s["start"] < s["end"] <= len(a["text"])
    assert [c["source_id"] for c in a["sources"]] == [one]
    assert a["story"]["size"] >= 2
    speakers = {q["speaker_name"] for q in a["quotes"]}
    assert "Maria Petrova" in speakers
    copies = client.get(f"/api/articles/{one}/copies").json()
    assert [c["copy_id"] for c in copies["copied_by"]] == [two]
    assert {r["article_id"] for r in copies["shares_text_with"]} == {two}
    quotes = client.get(f"/api/articles/{two}/quotes").json()["quotes"]
    assert quotes == a["quotes"]


def test_missing_ids_are_404(client: Client) -> None:
    for url in ("/api/articles/999999", "/api/articles/999999/copies", "/api/articles/999999/quotes",
                "/api/stories/999999", "/api/quotes/999999", "/api/sites/nowhere.example",
                "/api/compare?a=1&b=999999", "/api/articles/999999/story"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "detail" in r.json()
    assert client.get("/api/articles/not-a-number").status_code == 422


# -- stories ---------------------------------------------------------------------------------------
def test_stories_list_orders_and_detail(client: Client, web_store) -> None:
    by_size = client.get("/api/stories", params={"limit": 5}).json()
    sizes = [s["size"] for s in by_size["items"]]
    assert sizes == sorted(sizes, reverse=True) and by_size["total"] == web_store.story_count()
    page2 = client.get("/api/stories", params={"limit": 5, "offset": 5}).json()
    assert not {s["id"] for s in page2["items"]} & {s["id"] for s in by_size["items"]}
    assert client.get("/api/stories", params={"order": "bogus"}).status_code == 400
    recent = client.get("/api/stories", params={"order": "recent", "limit": 20}).json()["items"]
    firsts = [s["first_published"] or "" for s in recent]
    assert firsts == sorted(firsts, reverse=True)
    sid = by_size["items"][0]["id"]
    s = client.get(f"/api/stories/{sid}").json()
    assert len(s["articles"]) == s["size"]
    main = [c for c in s["copies"] if c["main"]]
    assert sum(s["credit_counts"].values()) == sum(1 for c in main if c["credit"] != "origin")
    ids = {n["id"] for n in s["layout"]["nodes"]}
    assert ids == {a["id"] for a in s["articles"]}
    # time runs left to right: an earlier dated article is never right of a later one
    dated = sorted((n for n in s["layout"]["nodes"] if not n["undated"]), key=lambda n: n["published"])
    assert [n["x"] for n in dated] == sorted(n["x"] for n in dated)
    assert sum(b["count"] for b in s["timeline"]["bars"]) == sum(1 for a in s["articles"] if a["published_at"])


def test_story_of_article(client: Client) -> None:
    one, two = _hostile_ids(client)
    s = client.get(f"/api/articles/{two}/story").json()
    assert {one, two} <= {a["id"] for a in s["articles"]}
    root = next(a for a in s["articles"] if a["id"] == s["root_id"])
    assert root["id"] == one and root["credit"] == "origin"


# -- compare ---------------------------------------------------------------------------------------
def test_compare_orients_source_left_and_aligns_passages(client: Client) -> None:
    one, two = _hostile_ids(client)
    c = client.get("/api/compare", params={"a": two, "b": one}).json()
    assert c["a"]["id"] == one and c["b"]["id"] == two  # the source goes left
    assert c["edge"]["source_id"] == one and c["passages"] >= 1
    shared = [r for r in c["rows"] if r["kind"] == "shared"]
    assert shared
    for r in shared:
        a_text = c["a"]["text"][r["a"][0]:r["a"][1]]
        b_text = c["b"]["text"][r["b"][0]:r["b"][1]]
        assert a_text.split()[:5] == b_text.split()[:5]
    added = [s for s in c["b"]["spans"] if s["kind"] == "added"]
    assert any("svg onload" in c["b"]["text"][s["start"]:s["end"]] for s in added)
    assert client.get("/api/compare", params={"a": one, "b": one}).status_code == 400


# -- sites, network, quotes, stats -----------------------------------------------------------------
def test_sites_network_and_profile(client: Client, web_store) -> None:
    sites = client.get("/api/sites", params={"limit": 3}).json()
    assert sites["total"] == web_store.stats()["sites"]
    arts = [s["articles"] for s in sites["items"]]
    assert arts == sorted(arts, reverse=True)
    prof = client.get("/api/sites/hostile-two.example").json()
    assert [r["site"] for r in prof["sources"]] == ["hostile-one.example"]
    assert prof["articles"] == 1 and prof["ratings"] == []
    net = client.get("/api/network", params={"min_articles": 0, "limit": 300}).json()
    assert {"source": "hostile-one.example", "copy": "hostile-two.example"} in [
        {"source": e["source"], "copy": e["copy"]} for e in net["edges"]]
    unc = client.get("/api/network", params={"credit": "uncredited", "min_articles": 0, "limit": 300}).json()
    assert all(e["uncredited"] > 0 for e in unc["edges"])
    assert len(unc["edges"]) <= len(net["edges"])
    big = client.get("/api/network", params={"min_articles": 20}).json()
    assert all(n["articles"] >= 20 for n in big["nodes"])
    assert client.get("/api/network", params={"credit": "maybe"}).status_code == 400


def test_quotes_speakers_and_stats(client: Client) -> None:
    top = client.get("/api/quotes").json()["items"]
    assert top and top[0]["appearances"] >= top[-1]["appearances"]
    word = top[0]["content"].split()[0]
    found = client.get("/api/quotes", params={"q": word}).json()["items"]
    assert any(q["id"] == top[0]["id"] for q in found) or len(found) == 20
    trail = client.get(f"/api/quotes/{top[0]['id']}").json()
    assert len(trail["appearances"]) == top[0]["appearances"]
    sp = client.get("/api/quotes/speakers", params={"limit": 5}).json()["items"]
    assert len(sp) == 5 and sp[0]["attributions"] >= sp[-1]["attributions"]
    # pages: the second page starts where the first ended, and says whether another follows
    one = client.get("/api/quotes", params={"limit": 2}).json()
    two = client.get("/api/quotes", params={"limit": 2, "offset": 2}).json()
    assert [q["id"] for q in one["items"]] + [q["id"] for q in two["items"]] == [
        q["id"] for q in client.get("/api/quotes", params={"limit": 4}).json()["items"]]
    assert one["more"] and one["offset"] == 0
    last = client.get("/api/quotes/speakers", params={"limit": 5, "offset": 3}).json()
    assert [r["speaker"] for r in last["items"][:2]] == [r["speaker"] for r in sp[3:5]]
    assert client.get("/api/quotes", params={"limit": 30}).json()["more"]  # the test corpus has more than 30
    assert 'href="/quotes?offset=30"' in client.get("/quotes").text
    assert client.get("/api/quotes", params={"offset": -1}).status_code == 422
    st = client.get("/api/stats").json()
    assert st["articles"] >= 300 and st["stories"] > 0 and st["reuse"]["pairs"] > 0


# -- security --------------------------------------------------------------------------------------
def test_every_response_carries_the_security_headers(client: Client) -> None:
    for url in ("/api/stats", "/api/articles/999999", "/api/articles?limit=0", "/openapi.json", "/", "/nowhere",
                "/static/style.css", "/docs"):
        r = client.get(url)
        assert r.headers["content-security-policy"] == CSP, url
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in CSP and "unsafe-inline" not in CSP and "default-src 'self'" in CSP


def test_read_only_refuses_writes(client: Client) -> None:
    r = client.request("POST", "/api/articles", json={})
    assert r.status_code == 405
    assert r.headers["content-security-policy"] == CSP


def test_token_is_required_when_configured(web_store) -> None:
    c = Client(create_app(web_store, token="s3cret-token"))
    try:
        r = c.get("/api/stats")
        assert r.status_code == 401 and "token" in r.json()["detail"]
        assert r.headers["content-security-policy"] == CSP
        assert c.get("/").status_code == 401
        assert c.get("/static/style.css").status_code == 401
        assert c.get("/api/stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/stats", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        assert c.get("/api/stats?token=nope").status_code == 401
        once = c.get("/?token=s3cret-token&q=pier")
        assert once.status_code == 303 and once.headers["location"] == "/?q=pier"
        cookie = once.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert c.get("/api/stats").status_code == 200  # the cookie now set in the client
    finally:
        c.close()


def test_docs_are_served_locally(client: Client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    assert client.get("/static/docs.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/articles" in spec["paths"] and "/api/stories/{story_id}" in spec["paths"]
    assert client.get("/redoc").status_code == 404  # FastAPI's CDN-backed pages are off


# -- the serve command -----------------------------------------------------------------------------
def test_serve_refuses_public_address_without_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from newstrace.cli import app

    monkeypatch.delenv("NEWSTRACE_TOKEN", raising=False)
    called: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: called.append((a, k)))
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0"])
    assert res.exit_code == 2 and "without a token" in res.output and not called


def test_serve_with_token_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from newstrace.cli import app

    called: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda web, **k: called.append((web, k)))
    monkeypatch.setenv("NEWSTRACE_TOKEN", "envtoken")
    Store(tmp_path / "x.db").close()  # serve reads a database; it creates none
    res = CliRunner().invoke(app, ["--db", str(tmp_path / "x.db"), "serve", "--host", "0.0.0.0", "--port", "8123"])
    assert res.exit_code == 0, res.output
    web, kw = called[0]
    assert kw["host"] == "0.0.0.0" and kw["port"] == 8123
    c = Client(web)
    try:
        assert c.get("/api/stats").status_code == 401
        assert c.get("/api/stats", headers={"Authorization": "Bearer envtoken"}).json()["articles"] == 0
    finally:
        c.close()


def test_is_loopback() -> None:
    from newstrace.cli.web import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org", ""))


def test_compare_shows_altered_quotes(client: Client) -> None:
    quotes = client.get("/api/quotes", params={"limit": 200}).json()["items"]
    altered = [q for q in quotes if q["alterations"]]
    assert altered, "the synthetic corpus alters some quotes"
    checked = 0
    for q in altered[:5]:
        trail = client.get(f"/api/quotes/{q['id']}").json()
        for change in trail["changes"]:
            c = client.get("/api/compare", params={"a": q["first_article_id"], "b": change["article_id"]}).json()
            mine = [x for x in c["quote_changes"]
                    if x["quote_id"] == q["id"] and x["article_id"] == change["article_id"]]
            assert mine and mine[0]["kind"] == change["kind"], (q["id"], change)
            if change["kind"] == "words":
                assert any(s["kind"] == "altered-quote" for s in c[
                    "b" if c["b"]["id"] == change["article_id"] else "a"]["spans"])
            checked += 1
    assert checked


def test_search_walk_gives_the_same_rows_as_the_sort(web_store) -> None:
    """The date-index walk used for common words returns exactly what list_articles returns."""
    cases = [("the", {}), ("the", {"language": "en", "offset": 30}), ("said", {"site": "wire-one.example"}),
             ("the", {"since": "2024-03-05", "until": "2024-03-10T23:59:59+00:00"}), ("harbour pier", {})]
    for words, kw in cases:
        limit, offset = 20, kw.pop("offset", 0)
        sorted_rows = web_store.list_articles(search=words, limit=limit, offset=offset, **kw)
        walked = web_store.search_articles(words, limit=limit, offset=offset, matches=10_000, **kw)
        assert [r["id"] for r in walked] == [r["id"] for r in sorted_rows], (words, kw)
        assert walked == sorted_rows
    assert web_store.list_articles(search="the", limit=5)  # the cases above are not all empty
