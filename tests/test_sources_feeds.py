"""RSS/Atom feeds from files and from the local server, with and without fetching each item's page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from localserver import Reply, offline_fetching, serve  # noqa: F401 (fixture)
from localserver import fetch_options as opts
from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone, iter_source

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Wire One</title><link>{base}/</link><language>en</language>
  <item>
    <title>Ministry denies report</title>
    <link>{base}/2024/05/01/denies</link>
    <guid>wire-1</guid>
    <dc:creator>Ann Reporter</dc:creator>
    <pubDate>Wed, 01 May 2024 12:00:00 +0200</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>The ministry <b>denied</b> the report.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second story</title>
    <link>{base}/2024/05/02/second</link>
    <description>Plain summary only</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title>Blog Zwei</title>
  <id>urn:blog</id><updated>2024-05-03T08:00:00Z</updated>
  <entry>
    <title>Eintrag</title>
    <id>urn:e1</id>
    <link href="https://blog.example/e1"/>
    <updated>2024-05-03T08:00:00Z</updated>
    <author><name>Bea</name></author><author><name>Carl</name></author>
    <content type="html">&lt;p&gt;Inhalt&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Text only</title>
    <id>urn:e2</id>
    <link href="https://blog.example/e2"/>
    <updated>2024-05-04T08:00:00Z</updated>
    <content type="text">Nur Text</content>
  </entry>
</feed>
"""

EMPTY_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing</title></channel></rss>'
PAGE = "<html><head><title>{t}</title></head><body><p>Full page of {t}.</p></body></html>"


pytestmark = pytest.mark.usefixtures("offline_fetching")


def split(items: list[object]) -> tuple[list[RawDocument], list[IngestError], list[UnitDone]]:
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, IngestError)],
        [i for i in items if isinstance(i, UnitDone)],
    )


def test_rss_file_entries_become_records(tmp_path: Path) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(RSS.format(base="https://wire-one.example"))
    docs, errors, units = split(list(iter_source(str(path), SourceOptions())))
    assert errors == []
    first, second = docs
    assert first.ingest_source == "feed" and first.source == f"{path}#1"
    assert first.url == "https://wire-one.example/2024/05/01/denies"
    assert first.fields == {
        "id": "wire-1",
        "url": "https://wire-one.example/2024/05/01/denies",
        "title": "Ministry denies report",
        "author": "Ann Reporter",
        "date": "2024-05-01T10:00:00+00:00",  # converted to UTC
        "site": "Wire One",
        "language": "en",
        "html": "<p>The ministry <b>denied</b> the report.</p>",
    }
    assert first.html == b"<p>The ministry <b>denied</b> the report.</p>"
    assert second.fields["html"] == "Plain summary only"  # RSS descriptions count as HTML
    assert "date" not in second.fields
    assert units == [UnitDone(str(path), f"{path.stat().st_size}:{path.stat().st_mtime_ns}")]


def test_atom_file_authors_html_and_text_content(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"  # .xml: the kind is sniffed
    path.write_text(ATOM)
    docs, errors, _ = split(list(iter_source(str(path), SourceOptions())))
    assert errors == []
    assert docs[0].fields["author"] == ["Bea", "Carl"]
    assert docs[0].fields["html"] == "<p>Inhalt</p>"
    assert docs[0].fields["date"] == "2024-05-03T08:00:00+00:00"
    assert docs[0].fields["language"] == "de"
    assert docs[1].fields["text"] == "Nur Text" and docs[1].html is None and "html" not in docs[1].fields


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (EMPTY_RSS, "empty", "no entries"),
        ('<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</item></channel>', "malformed", "malformed"),
        ("<html><body><p>Not a feed at all</p></body></html>", "malformed", ""),
        ("", "empty", "file is empty"),
    ],
)
def test_bad_feed_files(tmp_path: Path, data: str, kind: str, words: str) -> None:
    path = tmp_path / "bad.rss"
    path.write_text(data)
    docs, errors, _ = split(list(iter_source(str(path), SourceOptions())))
    assert docs == []
    assert len(errors) == 1 and errors[0].kind == kind and words in errors[0].reason


def test_feed_url_from_local_server_resumes_on_same_content() -> None:
    with serve({}) as server:
        server.routes["/feed"] = Reply(200, {"Content-Type": "application/rss+xml"}, RSS.format(base=server.base_url))
        url = server.url("/feed")
        items = list(iter_source(url, opts(), kind="feed"))
        docs, errors, units = split(items)
        assert errors == [] and len(docs) == 2
        assert docs[0].fetched_at is not None and abs(datetime.now(UTC) - docs[0].fetched_at) < timedelta(minutes=1)
        assert units[0].source == url and units[0].signature.startswith("sha256:")
        done = {units[0].source: units[0].signature}
        assert list(iter_source(url, opts(), kind="feed", done=done)) == []  # unchanged feed: nothing new
        server.routes["/feed"] = Reply(
            200, {"Content-Type": "application/rss+xml"}, RSS.format(base=server.base_url).replace("Second", "2nd")
        )
        changed, _, _ = split(list(iter_source(url, opts(), kind="feed", done=done)))
        assert len(changed) == 2


def test_feed_url_errors() -> None:
    routes = {
        "/html": PAGE.format(t="page"),
        "/missing": (404, {}, ""),
        "/empty": Reply(200, {"Content-Type": "application/rss+xml"}, EMPTY_RSS),
    }
    with serve(routes) as server:
        got = {p: split(list(iter_source(server.url(p), opts(), kind="feed")))[1] for p in routes}
    assert got["/html"][0].kind == "content-type"
    assert got["/missing"][0].kind == "http" and "404" in got["/missing"][0].reason
    assert got["/empty"][0].kind == "empty"


def test_fetch_feed_pages_fetches_each_item_once() -> None:
    with serve({}) as server:
        base = server.base_url
        server.routes.update(
            {
                "/feed": Reply(200, {"Content-Type": "application/rss+xml"}, RSS.format(base=base)),
                "/2024/05/01/denies": PAGE.format(t="denies"),
                "/2024/05/02/second": (500, {}, "down"),
            }
        )
        url = server.url("/feed")
        items = list(iter_source(url, opts(fetch_feed_pages=True), kind="feed"))
        docs, errors, units = split(items)
        assert len(docs) == 1
        page = docs[0]
        assert page.ingest_source == "feed" and page.url == f"{base}/2024/05/01/denies"
        assert page.html == PAGE.format(t="denies").encode()
        assert page.fields["title"] == "Ministry denies report" and "html" not in page.fields  # feed values ride along
        assert len(errors) == 1 and errors[0].kind == "http" and "500" in errors[0].reason
        # the fetched page is its own unit; the feed is not marked done while an item failed
        assert [u.source for u in units] == [f"{base}/2024/05/01/denies"]

        server.routes["/2024/05/02/second"] = PAGE.format(t="second")
        done = {u.source: u.signature for u in units}
        again = list(iter_source(url, opts(fetch_feed_pages=True), kind="feed", done=done))
        docs2, errors2, units2 = split(again)
        assert [d.url for d in docs2] == [f"{base}/2024/05/02/second"] and errors2 == []
        assert [u.source for u in units2] == [f"{base}/2024/05/02/second", url]
        assert server.hits("/2024/05/01/denies") == 1  # the page done before was not fetched again


def test_feed_file_with_pages_from_local_server(tmp_path: Path) -> None:
    with serve({}) as server:
        server.routes["/2024/05/01/denies"] = PAGE.format(t="denies")
        server.routes["/2024/05/02/second"] = PAGE.format(t="second")
        path = tmp_path / "wire.rss"
        path.write_text(RSS.format(base=server.base_url))
        docs, errors, units = split(list(iter_source(str(path), opts(fetch_feed_pages=True))))
    assert errors == [] and [d.html for d in docs] == [PAGE.format(t=t).encode() for t in ("denies", "second")]
    assert units[-1].source == str(path)
