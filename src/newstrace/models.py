"""Plain data at the boundaries between stages.

Sources yield `RawDocument` (or `IngestError`), extraction turns a raw document into an
`Article`, the store keeps articles; analyses take and return these same plain values.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class RawDocument:
    """One document as a source found it, before extraction.

    `html` is the page's raw bytes (charset still unknown) for HTML-bearing sources;
    `fields` carries already-structured values (JSONL/CSV exports, feed entries).
    """

    source: str  # where it came from: a path, "archive.warc.gz#1234", a URL, "file.jsonl:17"
    ingest_source: str  # the kind of source: html, warc, jsonl, csv, feed, url
    url: str | None = None
    html: bytes | None = None
    encoding: str | None = None  # charset declared by the transport (HTTP header), if any
    fetched_at: datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class IngestError:
    """An input that could not become an article, with a specific reason."""

    source: str
    reason: str
    kind: str = "error"  # a short machine-readable category: truncated, binary, empty, http...


@dataclass(slots=True)
class AttributionStatement:
    """What a page says about its own origin: a credit line, a dateline, a link out."""

    # original-source, originally-published, source, via, republished, dateline, copyright, credit-link, byline
    kind: str
    text: str  # the sentence or line as found
    outlet: str | None = None  # the outlet or author it names
    url: str | None = None  # the URL it names or links to
    domain: str | None = None  # registered domain of `url`, when there is one


@dataclass(slots=True)
class Article:
    """One version of one page, extracted."""

    url: str
    title: str
    paragraphs: list[str]
    site: str  # registered domain, e.g. "globalresearch.ca"
    site_name: str | None = None
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    published_source: str | None = None  # metadata, url, text, fetch, record
    fetched_at: datetime | None = None
    language: str | None = None
    raw_html: bytes | None = None
    ingest_source: str = "html"
    source: str = ""
    attributions: list[AttributionStatement] = field(default_factory=list)
    id: int | None = None  # set once stored

    @property
    def text(self) -> str:
        """Paragraphs joined by newlines: the text that every offset refers to."""
        return "\n".join(self.paragraphs)

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.paragraphs)


def content_hash(title: str, paragraphs: list[str]) -> str:
    """Hash of what a reader sees, so the same page from two sources is stored once."""
    h = hashlib.sha256()
    h.update(" ".join(title.split()).encode("utf-8"))
    for p in paragraphs:
        h.update(b"\n")
        h.update(" ".join(p.split()).encode("utf-8"))
    return h.hexdigest()[:32]


@dataclass(slots=True)
class Edit:
    """One difference inside an aligned passage: words substituted, inserted in B, or deleted from A."""

    op: str  # substitute, insert, delete
    a_text: str
    b_text: str


@dataclass(slots=True)
class Passage:
    """A stretch of text shared by two articles, with character offsets into each article's `text`."""

    a_id: int
    b_id: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_words: int
    b_words: int
    similarity: float  # share of aligned words that match exactly, 0..1
    edits: list[Edit] = field(default_factory=list)


@dataclass(slots=True)
class ArticlePair:
    """Summary of all passages two articles share (undirected: a_id < b_id)."""

    a_id: int
    b_id: int
    passages: int
    shared_words: int
    coverage_a: float  # share of A's non-boilerplate characters inside shared passages
    coverage_b: float
    similarity: float


@dataclass(slots=True)
class Evidence:
    """One piece of evidence for the direction of a copy, and which way it points."""

    kind: str  # date, credit, link, containment, canonical, dateline, ... (and `provenance.why`'s reasons)
    favours: int | None  # the article id it says came first, or None when it is neutral
    weight: float
    detail: str


@dataclass(slots=True)
class Copy:
    """Article `copy_id` took passages from article `source_id`."""

    source_id: int
    copy_id: int
    confidence: float
    credit: str  # credited, intermediary, uncredited
    evidence: list[Evidence] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # e.g. "headline", "intro", "commentary"
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    coverage: float = 0.0  # share of the copy's text taken from the source
    conflict: str | None = None  # what evidence disagreed, when some did
    kind: str = "text"  # text (passages shared), or translation (a credit line links a page in another language)
    choice: float | None = None  # the source's share of the evidence among the copy's candidate sources...
    alternatives: list[tuple[int, float]] = field(default_factory=list)  # ...and the others' (`provenance.choice`)
