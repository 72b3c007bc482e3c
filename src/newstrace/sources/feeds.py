"""RSS/Atom/RDF feeds (files or URLs) via feedparser: one RawDocument per entry.

Without `fetch_feed_pages` an entry becomes a structured record (fields with our names, and the
entry's content HTML in `html` when it has some). With it, each entry's page is fetched and becomes
the document (the entry's fields ride along as fallbacks for extraction); each page is its own unit,
so a re-run skips pages already fetched. A feed whose item pages failed is not marked done, so the
next run retries them.
"""

from __future__ import annotations

import calendar
import hashlib
import os
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXException

import feedparser

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone
from newstrace.sources.files import EXTENSIONS, file_signature, read_bounded, walk
from newstrace.sources.http import FEED_TYPES, HTML_TYPES, Fetcher

__all__ = ["entry_fields", "iter_feed", "parse_feed"]

_HTML_CONTENT = ("text/html", "application/xhtml+xml")
Item = RawDocument | IngestError | UnitDone


def parse_feed(
    source: str, data: bytes, base_url: str | None = None, encoding: str | None = None
) -> feedparser.FeedParserDict | IngestError:
    """Parse feed bytes; an IngestError (malformed or empty) when they hold no usable entry.

    `base_url` resolves relative links; `encoding` is the charset the server declared.
    """
    headers = None
    if base_url:
        content_type = "application/xml" + (f"; charset={encoding}" if encoding else "")
        headers = {"content-location": base_url, "content-type": content_type}
    parsed = feedparser.parse(data, response_headers=headers)
    usable = [e for e in parsed.entries if entry_fields(e, parsed.feed)]
    if usable:
        return parsed
    problem = syntax_error(parsed)
    if problem is not None:
        return IngestError(source, problem, "malformed")
    if not parsed.get("version"):
        return IngestError(source, "not an RSS, Atom or RDF feed", "malformed")
    return IngestError(source, f"feed has no entries ({parsed.get('version')})", "empty")


def syntax_error(parsed: feedparser.FeedParserDict) -> str | None:
    """The XML syntax error feedparser worked around, as a reason; None for harmless warnings."""
    problem = parsed.get("bozo_exception")
    if not parsed.get("bozo") or not isinstance(problem, SAXException):
        return None  # e.g. a charset override: the entries are fine
    line = getattr(problem, "getLineNumber", lambda: None)()
    where = f" (line {line})" if line else ""
    return f"feed is malformed{where}: {problem.getMessage()}"


def _iso(struct: Any) -> str | None:
    """feedparser's UTC struct_time as an ISO 8601 string."""
    if not struct:
        return None
    return datetime.fromtimestamp(calendar.timegm(struct), UTC).isoformat()


def entry_fields(entry: Mapping[str, Any], feed: Mapping[str, Any]) -> dict[str, Any]:
    """Our-named fields of one feed entry (html only when the entry carries HTML content)."""
    fields: dict[str, Any] = {}
    html: str | None = None
    text: str | None = None
    for content in entry.get("content") or []:
        if content.get("type") in _HTML_CONTENT and content.get("value"):
            html = content["value"]
            break
        if content.get("value") and text is None:
            text = content["value"]
    summary = entry.get("summary_detail") or {}
    if html is None and text is None and summary.get("value"):
        if summary.get("type") in _HTML_CONTENT:
            html = summary["value"]
        else:
            text = summary["value"]
    authors = [a.get("name") for a in entry.get("authors") or [] if a.get("name")]
    values: dict[str, Any] = {
        "id": entry.get("id"),
        "url": entry.get("link"),
        "title": entry.get("title"),
        "text": text,
        "author": authors if len(authors) > 1 else entry.get("author"),
        "date": _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        or entry.get("published")
        or entry.get("updated"),
        "site": feed.get("title"),
        "language": (entry.get("title_detail") or {}).get("language") or feed.get("language"),
        "html": html,
    }
    for key, value in values.items():
        if value not in (None, "", []):
            fields[key] = value
    return fields


def iter_feed(source: str, options: SourceOptions, done: Mapping[str, str]) -> Iterator[Item]:
    """A feed file, a folder of feed files, or a feed URL."""
    with _LazyFetcher(options) as fetcher:
        if source.lower().startswith(("http://", "https://")):
            yield from _feed_url(source, options, done, fetcher)
        elif os.path.isdir(source):
            for path in walk(source, EXTENSIONS["feed"]):
                yield from _feed_file(path, options, done, fetcher)
        else:
            yield from _feed_file(os.path.abspath(source), options, done, fetcher)


def _feed_file(path: str, options: SourceOptions, done: Mapping[str, str], fetcher: _LazyFetcher) -> Iterator[Item]:
    try:
        signature = file_signature(path)
    except OSError as exc:
        yield IngestError(path, f"cannot read file: {exc.strerror}", "not-found")
        return
    if done.get(path) == signature:
        return
    data = read_bounded(path, options.max_bytes)
    if isinstance(data, IngestError):
        yield data
        yield UnitDone(path, signature)  # the same bytes would fail the same way
        return
    yield from _entries(path, signature, data, None, options, done, fetcher)


def _feed_url(url: str, options: SourceOptions, done: Mapping[str, str], fetcher: _LazyFetcher) -> Iterator[Item]:
    got = fetcher.get().fetch(url, accept=FEED_TYPES)
    if isinstance(got, IngestError):
        yield got
        return
    body = got.html or b""
    signature = "sha256:" + hashlib.sha256(body).hexdigest()[:32]  # a feed changes; skip only an identical one
    if done.get(url) == signature:
        return
    yield from _entries(url, signature, body, got, options, done, fetcher)


def _entries(
    key: str,
    signature: str,
    data: bytes,
    fetched: RawDocument | None,
    options: SourceOptions,
    done: Mapping[str, str],
    fetcher: _LazyFetcher,
) -> Iterator[Item]:
    """The documents of one parsed feed, then its UnitDone (withheld when an item page failed).

    `fetched` is the feed's own download when it came from a URL (base URL, charset, fetch time).
    """
    parsed = parse_feed(key, data, fetched.url if fetched else None, fetched.encoding if fetched else None)
    if isinstance(parsed, IngestError):
        yield parsed
        yield UnitDone(key, signature)
        return
    problem = syntax_error(parsed)
    if problem is not None:
        yield IngestError(key, f"{problem}; entries read up to the error are kept", "malformed")
    fetched_at = fetched.fetched_at if fetched else None
    complete = True
    for index, entry in enumerate(parsed.entries, start=1):
        fields = entry_fields(entry, parsed.feed)
        if not fields:
            continue  # an entry the parser salvaged with nothing in it
        link = fields.get("url")
        if options.fetch_feed_pages and link:
            if done.get(link) == "fetched":
                continue
            page = fetcher.get().fetch(link, accept=HTML_TYPES)
            if isinstance(page, IngestError):
                complete = False
                yield page
                continue
            fields.pop("html", None)
            page.ingest_source = "feed"
            page.fields = fields
            yield page
            yield UnitDone(link, "fetched")
            continue
        html = fields.get("html")
        yield RawDocument(
            source=f"{key}#{index}",
            ingest_source="feed",
            url=link,
            html=html.encode("utf-8") if html else None,
            encoding="utf-8" if html else None,
            fetched_at=fetched_at,
            fields=fields,
        )
    if complete:
        yield UnitDone(key, signature)


class _LazyFetcher:
    """A Fetcher made on first use (reading feed files needs none) and closed at the end."""

    def __init__(self, options: SourceOptions) -> None:
        self._options = options
        self._fetcher: Fetcher | None = None

    def get(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self._options)
        return self._fetcher

    def __enter__(self) -> _LazyFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
