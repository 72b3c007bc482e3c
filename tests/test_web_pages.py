"""Server-rendered pages in-process: every page renders, hostile text stays text, no inline script or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newstrace.web import create_app
from newstrace.web.highlight import Span, split, uncovered
from newstrace.web.views import web_url
from test_web_api import HOSTILE_TITLE, Client, _hostile_ids, web_db, web_store  # noqa: F401  (shared fixtures)


@pytest.fixture(scope="module")
def client(web_store):  # noqa: F811
    c = Client(create_app(web_store))
    yield c
    c.close()


class _Tags(HTMLParser):
    """Collects start tags and their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _check_inert(html: str, where: str) -> None:
    """No markup from scraped text: no inline handlers, no inline style, scripts only from our static files."""
    p = _Tags()
    p.feed(html)
    for tag, attrs in p.tags:
        assert not [a for a in attrs if a.startswith("on")], (where, tag, attrs)
        assert "style" not in attrs, (where, tag, attrs)
        assert tag != "style", where
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), (where, attrs)
        if tag == "img":
            raise AssertionError(f"{where}: an <img> element was rendered: {attrs}")
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (where, tag, attrs)
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, where


def _pages(client: Client) -> dict[str, str]:
    one, two = _hostile_ids(client)
    sid = client.get(f"/api/articles/{one}").json()["story"]["id"]
    big = client.get("/api/stories", params={"limit": 1}).json()["items"][0]["id"]
    quote = client.get("/api/quotes").json()["items"][0]["id"]
    return {"search": "/?q=harbour+pier", "home": "/", "article-one": f"/articles/{one}",
            "article-two": f"/articles/{two}", "story": f"/stories/{sid}?article={two}", "big-story": f"/stories/{big}",
            "compare": f"/compare?a={one}&b={two}", "site": "/sites/hostile-two.example", "sites": "/sites",
            "network": "/network?min_articles=0&limit=300", "stories": "/stories", "quotes": "/quotes",
            "quote": f"/quotes/{quote}", "docs": "/docs", "missing": "/articles/999999"}


def test_every_page_renders_and_is_inert(client: Client) -> None:
    for name, url in _pages(client).items():
        r = client.get(url)
        assert r.status_code == (404 if name == "missing" else 200), (name, r.status_code, r.text[:500])
        assert r.headers["content-type"].startswith("text/html")
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
        _check_inert(r.text, name)


def test_hostile_titles_are_escaped_everywhere_they_appear(client: Client) -> None:
    escaped = "&lt;img src=x onerror=alert(1)&gt; Minister &#34;quits&#34; &amp; &lt;script&gt;alert(&#39;title&#39;)"
    pages = _pages(client)
    for name in ("search", "article-one", "article-two", "story", "compare", "site"):
        html = client.get(pages[name]).text
        assert escaped in html, name
        assert HOSTILE_TITLE not in html, name
    one, _ = _hostile_ids(client)
    head = client.get(f"/articles/{one}").text.split("</title>")[0]
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in head


def test_article_page_marks_shared_text_quotes_and_metadata(client: Client) -> None:
    one, two = _hostile_ids(client)
    html = client.get(f"/articles/{two}").text
    assert re.search(rf'<a class="m-shared[^"]*" href="/articles/{one}"', html)
    assert 'class="m-speaker' in html and "Maria Petrova" in html
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in html
    assert '<a class="ext" href="https://hostile-two.example/copy/pier" rel="noopener noreferrer nofollow"' in html
    assert "(from the record)" in html
    assert f'href="/compare?a={one}&amp;b={two}"' in html
    assert 'id="open-story"' in html and 'id="open-source"' in html


def test_article_page_dims_boilerplate(client: Client, web_store) -> None:  # noqa: F811
    rows = client.get("/api/articles", params={"limit": 50}).json()["items"]
    with_bp = next(r["id"] for r in rows if web_store.boilerplate_ranges([r["id"]])[r["id"]])
    html = client.get(f"/articles/{with_bp}").text
    start, end = web_store.boilerplate_ranges([with_bp])[with_bp][0]
    text = web_store.get_article(with_bp).text
    first_words = text[start:end].split("\n")[0][:30]
    dimmed = "".join(re.findall(r'class="[^"]*\bm-boilerplate\b[^"]*"[^>]*>([^<]*)<', html))
    assert first_words[:15].replace("&", "&amp;") in dimmed


def test_story_page_draws_tree_with_credit_legend_and_timeline(client: Client) -> None:
    sid = client.get("/api/stories", params={"limit": 1}).json()["items"][0]["id"]
    s = client.get(f"/api/stories/{sid}").json()
    html = client.get(f"/stories/{sid}").text
    for a in s["articles"]:
        assert f'href="/articles/{a["id"]}" data-id="{a["id"]}"' in html
    for label in ("credited", "intermediary only", "uncredited"):
        assert f">{label}</span>" in html
    assert html.count('<path class="edge') == len(s["layout"]["edges"])
    assert 'class="timeline"' in html and html.count('<rect class="bar') == len(s["timeline"]["bars"])


def test_compare_page_aligns_and_marks(client: Client) -> None:
    one, two = _hostile_ids(client)
    html = client.get(f"/compare?a={two}&b={one}").text
    table = html[html.index('<table class="compare"'):]
    assert table.index(f'href="/articles/{one}"') < table.index(f'href="/articles/{two}"')  # source on the left
    assert 'class="row-shared"' in html and 'class="m-added"' in html
    assert "&lt;svg onload=alert(3)&gt;" in html


def test_search_page_filters_paginate_and_errors(client: Client) -> None:
    html = client.get("/?language=en").text
    assert 'rel="next"' in html and 'href="/?language=en&amp;offset=25"' in html
    page2 = client.get("/?language=en&offset=25").text
    assert 'rel="prev"' in page2
    assert client.get("/?since=notadate").status_code == 400
    assert client.get("/articles/abc").status_code == 422
    nf = client.get("/stories/999999")
    assert nf.status_code == 404 and "no story 999999" in nf.text


def test_network_page_has_filters_and_nodes(client: Client) -> None:
    html = client.get("/network?credit=uncredited&min_articles=0").text
    assert '<option value="uncredited" selected>' in html
    assert html.count('class="site" data-site=') >= 2
    assert client.get("/network?credit=bogus").status_code == 400


def test_highlight_split_keeps_text_and_marks() -> None:
    text = "abc def\nghi jkl"
    paras = split(text, [Span(2, 5, "shared", {"article_id": 3}), Span(4, 11, "quote"), Span(20, 30, "cue"),
                         Span(6, 6, "edit")])
    assert ["".join(p.text for p in para) for para in paras] == ["abc def", "ghi jkl"]
    marks = {p.text: p.kinds for para in paras for p in para}
    assert marks["c "] == ["shared"] and marks["d"] == ["shared", "quote"] and marks["ef"] == ["quote"]
    assert marks["ghi"] == ["quote"] and marks[" jkl"] == []
    assert split(text, [], 4, 10) == split(text[:10], [], 4)  # a window of the text
    assert uncovered(0, 10, [(2, 4), (3, 6), (8, 12)]) == [(0, 2), (6, 8)]


def test_web_url_only_links_http() -> None:
    assert web_url("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", None, ""):
        assert web_url(bad) is None


def test_page_queries_use_indexes(client: Client, web_store) -> None:  # noqa: F811
    """Each page runs a handful of queries and none of them reads a whole table (SQLite query plans)."""
    from sqlalchemy import event

    one, two = _hostile_ids(client)
    sid = client.get(f"/api/articles/{one}").json()["story"]["id"]
    for url in ("/network", "/", "/quotes"):  # fill the whole-corpus caches first: they are computed once
        client.get(url)
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(web_store.engine, "before_cursor_execute", record)
    try:
        for url in (f"/articles/{two}", f"/stories/{sid}", "/?q=harbour+pier", "/?site=hostile-one.example",
                    "/?language=ru", f"/compare?a={one}&b={two}", "/stories?order=recent", "/stories?order=speed",
                    "/sites/hostile-one.example", f"/api/articles/{one}/copies"):
            seen.clear()
            assert client.get(url).status_code == 200
            assert 0 < len(seen) <= 15, (url, len(seen))
            for statement, parameters in seen:
                for line in web_store.query_plan(statement, parameters):
                    full_scan = line.startswith("SCAN ") and "USING" not in line and not line.startswith(
                        ("SCAN anon_", "SCAN articles_fts"))
                    assert not full_scan, (url, line, statement[:200])
    finally:
        event.remove(web_store.engine, "before_cursor_execute", record)


def test_compare_page_lists_altered_quotes(client: Client) -> None:
    q = next(q for q in client.get("/api/quotes", params={"limit": 200}).json()["items"] if q["alterations"])
    change = client.get(f"/api/quotes/{q['id']}").json()["changes"][0]
    html = client.get(f"/compare?a={q['first_article_id']}&b={change['article_id']}").text
    assert "<h2>Altered quotes</h2>" in html and f'href="/quotes/{q["id"]}"' in html
    if change["kind"] == "speaker":
        assert f"<strong>{change['speaker_after']}</strong>" in html


def test_user_input_is_escaped_back(client: Client) -> None:
    r = client.get("/", params={"q": '"><script>alert(7)</script>', "site": "<b>x</b>"})
    assert r.status_code == 200
    _check_inert(r.text, "search echo")
    assert 'value="&#34;&gt;&lt;script&gt;alert(7)&lt;/script&gt;"' in r.text
    nf = client.get("/sites/%3Cscript%3Ealert(8)%3Cimg%20src=x%20onerror=alert(9)%3E")
    assert nf.status_code == 404
    _check_inert(nf.text, "404 echo")
    assert "&lt;script&gt;alert(8)" in nf.text


def test_article_page_says_why_a_copy_came_through_its_source(client: Client, web_store) -> None:  # noqa: F811
    import json

    from markupsafe import escape
    from sqlalchemy import select

    from newstrace.provenance.why import KINDS
    from newstrace.store.provenance import copies

    with web_store.engine.connect() as conn:
        rows = conn.execute(select(copies.c.copy_id, copies.c.evidence).where(copies.c.main == 1)).all()
    reasons = [(cid, e["detail"]) for cid, ev in rows for e in json.loads(ev or "[]") if e["kind"] in KINDS]
    assert reasons, "the demo corpus has chains agency → blog → copy, so some edges carry a reason"
    cid, detail = reasons[0]
    html = client.get(f"/articles/{cid}").text
    assert f'<span class="muted why">{escape(detail)}</span>' in html
