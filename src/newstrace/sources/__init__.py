"""Ingestion inputs: every kind of source yields raw documents, errors and unit markers.

`iter_source` is the one entry point. It reads HTML files and folders, WARC archives, JSONL/CSV
exports, RSS/Atom feeds, single URLs and files of URLs, and yields `RawDocument` for each document
found, `IngestError` for each input that failed (never raising for a bad input), and `UnitDone`
after the last document of each unit (a file, an archive, a feed, a URL) so that a later run can
skip units that have not changed (`done` maps unit key -> signature).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from newstrace.models import IngestError, RawDocument

__all__ = ["KINDS", "SourceOptions", "UnitDone", "detect_kind", "iter_source"]

KINDS = ("html", "warc", "jsonl", "csv", "feed", "url", "urls")


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """How sources read and fetch; one value object shared by every kind."""

    url: str | None = None  # page URL given by the user (a single HTML file)
    max_bytes: int = 10_000_000
    user_agent: str = "newstrace/0.1 (+https://github.com/newstrace/newstrace; research crawler)"
    timeout: float = 20.0
    retries: int = 3
    rate_limit: float = 1.0  # requests per second per host
    allow_private: bool = False
    respect_robots: bool = True
    fetch_feed_pages: bool = False
    refresh: bool = False  # re-fetch URLs already done
    field_map: dict[str, str] = field(default_factory=dict)  # JSONL/CSV: our name -> their column


@dataclass(frozen=True, slots=True)
class UnitDone:
    """Yielded after the last document of one unit (a file, an archive, a feed, a URL)."""

    source: str  # the unit's key (absolute path or URL)
    signature: str  # e.g. f"{size}:{mtime_ns}" for files, "fetched" for URLs


SourceItem = RawDocument | IngestError | UnitDone


def detect_kind(source: str) -> str:
    """Guess the kind of `source` from its form, extension and, where ambiguous, its first bytes.

    Raises ValueError with a clear message when the kind cannot be told.
    """
    from newstrace.sources.detect import detect_kind as _detect

    return _detect(source)


def iter_source(
    source: str,
    options: SourceOptions,
    kind: str | None = None,
    done: Mapping[str, str] | None = None,
) -> Iterator[RawDocument | IngestError | UnitDone]:
    """Yield every document, error and finished unit of one source.

    `kind` overrides detection (one of KINDS). Units whose current signature equals
    `done[unit]` are skipped without reading them, unless `options.refresh` is set.
    A bad input never raises: it becomes an `IngestError`. Only an unknown `kind` raises ValueError.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown source kind {kind!r}; expected one of {', '.join(KINDS)}")
    done = {} if options.refresh or done is None else done
    is_url = source.lower().startswith(("http://", "https://"))
    if not is_url and not os.path.exists(source):
        yield IngestError(source, f"no such file or folder: {source}", "not-found")
        return
    if kind is None and not is_url and os.path.isdir(source):
        yield from _folder(source, options, done)
        return
    if kind is None:
        try:
            kind = detect_kind(source)
        except ValueError as exc:
            yield IngestError(source, str(exc), "unsupported")
            return
    yield from _dispatch(source, options, kind, done)


def _folder(folder: str, options: SourceOptions, done: Mapping[str, str]) -> Iterator[SourceItem]:
    """Every file of every kind under a folder, in path order, each read as its name says: pages, WARCs, JSONL
    and CSV exports, feeds (a .xml file only when its first bytes are a feed's; other files are not news)."""
    from dataclasses import replace

    from newstrace.sources import files
    from newstrace.sources.detect import sniff_kind

    by_suffix = sorted(((sfx, k) for k, sfxs in files.EXTENSIONS.items() for sfx in sfxs), key=lambda x: -len(x[0]))
    options = replace(options, url=None)  # a URL given by the user names one page, not a folder's
    for path in files.walk(folder, tuple(sfx for sfx, _ in by_suffix)):
        kind = next(k for sfx, k in by_suffix if path.lower().endswith(sfx))
        if path.lower().endswith(".xml"):
            try:
                if sniff_kind(_xml_head(path)) != "feed":
                    continue
            except OSError:
                pass  # the reader reports it
        yield from _dispatch(path, options, kind, done)


def _xml_head(path: str, limit: int = 65536) -> bytes:
    """The start of an XML file as a feed sniffer should see it: comments dropped (a licence comment may fill the
    first kilobytes), UTF-16 decoded."""
    import re

    with open(path, "rb") as fh:
        raw = fh.read(limit)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")
    return re.sub(rb"<!--.*?-->", b"", raw, flags=re.S)[:8192]


def _dispatch(source: str, options: SourceOptions, kind: str, done: Mapping[str, str]) -> Iterator[SourceItem]:
    """Send one source to the reader of its kind (a folder is walked for files of that kind).

    Readers are imported here, per kind, so reading local files never loads httpx or feedparser.
    """
    is_url = source.lower().startswith(("http://", "https://"))
    if kind in ("url", "urls"):
        from newstrace.sources import urls

        if is_url:
            yield from urls.iter_url(source, options, done)
        elif kind == "url":
            yield IngestError(source, f"not an http(s) URL: {source}", "unsupported")
        else:
            yield from urls.iter_url_list(source, options, done)
        return
    if kind == "feed":
        from newstrace.sources import feeds

        yield from feeds.iter_feed(source, options, done)
        return
    if is_url:
        yield IngestError(source, f"a URL cannot be read as {kind}; use kind url or feed", "unsupported")
        return
    from newstrace.sources import files

    if kind == "html":
        yield from files.iter_html(source, options, done)
        return
    if kind == "warc":
        from newstrace.sources.warc import iter_warc as reader
    elif kind == "jsonl":
        from newstrace.sources.records import iter_jsonl as reader
    else:
        from newstrace.sources.records import iter_csv as reader
    paths = files.walk(source, files.EXTENSIONS[kind]) if os.path.isdir(source) else [source]
    for path in paths:
        yield from files.unit(path, done, lambda p: reader(p, options))
