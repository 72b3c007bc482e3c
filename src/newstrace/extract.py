"""Extraction: one raw document in, one `Article` (or a specific `IngestError`) out.

The HTML is decoded once (BOM, transport charset, <meta charset>, then detection), parsed once with
lxml, and that one tree serves our own metadata reading (URLs, dates, language), trafilatura's
main-text extraction (on a copy) and, only when needed, htmldate's text search and trafilatura's
author heuristics. Paragraph boundaries are kept: `Article.text` is what every offset refers to.
`extract_article` never raises: a batch of ten thousand pages must survive one bad page.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import trafilatura
import trafilatura.meta
from lxml.html import HtmlElement
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.utils import load_html

from newstrace.credits import detect_statements
from newstrace.dates import date_from_url, parse_date
from newstrace.language import detect_language, normalise_language
from newstrace.models import Article, IngestError, RawDocument
from newstrace.sites import outlet_key, site_of

__all__ = ["ExtractError", "decode_html", "extract_article", "paragraphs_from_body", "TRAFILATURA_OPTIONS"]

# Chosen by measurement on the AEB pages (bench/extract_aeb.py, docs/bench/extract.md).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "fast": True,
    "include_links": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
}
MIN_WORDS = 3  # fewer words (and under 20 characters) is a menu or a button, not an article
_WORDS = re.compile(r"\w+")
RESET_EVERY = 300  # trafilatura's module caches grow ~1 MB a page (its issue #216)
_pages_since_reset = 0


class ExtractError(Exception):
    """A document that cannot become text, with an IngestError kind (binary, decode, empty...)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


# --------------------------------------------------------------------------------------------- decoding

_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
]
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{2,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{2,40})""",
    re.I,
)
# WHATWG: labels that browsers decode as something wider
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
            "iso8859-1": "cp1252", "x-sjis": "shift_jis", "gb2312": "gb18030", "gbk": "gb18030",
            "x-user-defined": "cp1252", "unicode": "utf-8", "utf8": "utf-8", "ks_c_5601-1987": "cp949",
            "euc-kr": "cp949", "iso-8859-9": "cp1254", "tis-620": "cp874", "windows-874": "cp874"}


def _codec(label: str | None) -> str | None:
    """A Python codec name for a declared charset label, or None when Python has no such codec."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _binary_kind(data: bytes) -> str | None:
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if b"\x00" in data[:4096]:
        return "binary data (NUL bytes)"
    return None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page's bytes to text: BOM, then the transport's charset, then <meta charset>, then detection.

    A declared single-byte Western charset loses to valid multi-byte UTF-8 (servers that default to
    ISO-8859-1 are common). Raises ExtractError("binary") for PDFs, images, archives, NUL bytes, and
    ExtractError("decode") when no charset decodes the bytes.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom):], codec)
            if text is None:
                raise ExtractError("decode", f"bytes after a {codec} byte-order mark are not valid {codec}")
            return text
    what = _binary_kind(data)
    if what:
        raise ExtractError("binary", f"not an HTML page: the content is {what}")
    utf8 = _try(data, "utf-8")
    in_page = ((m.group(1) or m.group(2)).decode("ascii", "replace") for m in _META_CHARSET.finditer(data[:8192]))
    for label in (declared, *in_page):
        codec = _codec(label)
        if codec is None:
            continue
        if codec in ("cp1252", "iso8859-1", "latin-1") and utf8 is not None and not data.isascii():
            return utf8  # a server default of ISO-8859-1 over real UTF-8
        text = _try(data, codec)
        if text is not None:
            return text
    if utf8 is not None:
        return utf8
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise ExtractError("decode", "undecodable bytes: no declared or detected charset decodes this page")
    text = _try(data, best.encoding)
    if text is None:
        text = data.decode(best.encoding, errors="replace")
    return text


# --------------------------------------------------------------------------------------------- page metadata

_DATE_META = {  # meta name/property/itemprop -> priority (lower wins)
    "article:published_time": 0, "og:article:published_time": 0, "article:published": 1, "datepublished": 1,
    "pubdate": 3, "publishdate": 3, "publish-date": 3, "publish_date": 3, "publication_date": 3,
    "dc.date.issued": 3, "dcterms.issued": 3, "dc.date": 4, "dcterms.date": 4, "date": 4, "sailthru.date": 4,
    "parsely-pub-date": 3, "citation_publication_date": 4, "cxenseparse:recs:publishtime": 4, "og:published_time": 1,
}
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_TIME_XPATH = (
    "(//time[@pubdate][@datetime] | //time[@itemprop='datePublished'][@datetime] "
    "| //article//header//time[@datetime] | //header//time[@datetime] | //article//time[@datetime])"
)


def _meta_attrs(tree: HtmlElement) -> dict[str, str]:
    """All <meta> values keyed by lowercase name/property/itemprop (first one wins)."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                out.setdefault(key.strip().lower(), content.strip())
    return out


def _link_href(tree: HtmlElement, rel: str) -> str | None:
    for el in tree.iter("link"):
        if rel in (el.get("rel") or "").lower().split() and el.get("href"):
            return el.get("href", "").strip()
    return None


def _date_candidates(tree: HtmlElement, meta: dict[str, str]) -> Iterator[str]:
    """Declared publication times, best first; the costlier lookups run only if the earlier ones fail."""
    jsonld: str | None = None
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            m = _JSONLD_DATE.search(script.text)
            if m:
                jsonld = m.group(1)
                break
    for prio, key in sorted((prio, key) for key, prio in _DATE_META.items() if meta.get(key)):
        if prio > 0 and jsonld:
            yield jsonld
            jsonld = None
        yield meta[key]
    if jsonld:
        yield jsonld
    for el in tree.xpath("//*[@itemprop='datePublished']"):
        yield el.get("content") or el.get("datetime") or el.text_content()
    for el in tree.xpath(_TIME_XPATH)[:3]:
        yield el.get("datetime", "")


def _metadata_date(tree: HtmlElement, meta: dict[str, str]) -> datetime | None:
    """Publication time declared in the page's metadata: meta tags, JSON-LD, itemprop, <time datetime>."""
    for value in _date_candidates(tree, meta):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return None


_AUTHOR_XPATH = (
    "//*[@rel='author'] | //*[@itemprop='author'] | //*[contains(@class, 'byline')]"
    " | //*[contains(@class, 'author') and not(contains(@class, 'bio'))]"
)
_BY = re.compile(r"^\s*(?:by|written by|автор[ыа]?|作者|von|por|par)\s*[:：]?\s*", re.I)


def _byline_author(tree: HtmlElement) -> list[str]:
    """A cheap byline reader (rel=author, itemprop=author, .byline): trafilatura's own heuristics
    deep-copy the page and cost ~40 ms on large pages, more than the rest of our metadata together."""
    from trafilatura.metadata import normalize_authors

    for el in tree.xpath(_AUTHOR_XPATH)[:8]:
        names = el.xpath(".//*[@itemprop='name']")
        text = " ".join((names[0] if names else el).text_content().split())
        text = _BY.sub("", text)
        if 3 <= len(text) <= 100 and not re.search(r"\d{4}|https?:|@", text):
            found = normalize_authors(None, text)
            if found:
                return _authors(found)
    return []


def _absolute(base: str | None, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.startswith("//"):
        return "https:" + href
    if href.startswith(("http://", "https://")):
        return href
    if base and base.startswith(("http://", "https://")):
        return urljoin(base, href)
    return None


# --------------------------------------------------------------------------------------------- body

_BLOCKS = {"p", "head", "item", "quote", "list", "table", "row", "div", "code", "graphic", "note", "fw", "body"}


def paragraphs_from_body(body: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """trafilatura's XML body -> (paragraphs, links).

    One paragraph per <p>, heading, list item, table row, quote paragraph; a <lb/> splits a paragraph
    as trafilatura's own text output does. Whitespace is collapsed and empty paragraphs dropped.
    Links are (anchor text, target) pairs from <ref> elements.
    """
    paragraphs: list[str] = []
    links: list[tuple[str, str]] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            paragraphs.append(text)
        buf.clear()

    def walk(el: Any) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            buf.append(el.tail or "")
            return
        if tag == "lb":
            flush()
        else:
            block = tag in _BLOCKS
            if block:
                flush()
            if tag == "ref" and el.get("target"):
                links.append((" ".join("".join(el.itertext()).split()), el.get("target")))
            buf.append(el.text or "")
            for child in el:
                walk(child)
                if tag == "row" and child.tag == "cell":
                    buf.append(" ")
            if block:
                flush()
        buf.append(el.tail or "")

    walk(body)
    flush()
    return paragraphs, links


_CREDIT_HINT = re.compile(
    r"\b(?:via|sources?|original(?:ly)?|first|republished|reprinted|reposted|copyright|courtesy)\b|©|\(c\)"
    r"|источник|первоисточник|впервые|через|перепечатано|оригинал|来源|原文|最初|首发|经由|转载|版权",
    re.I,
)


def _text_of(el: Any) -> str:
    return " ".join(el.text_content().split())


def _rescue_credit_lines(tree: HtmlElement, paragraphs: list[str], links: list[tuple[str, str]]) -> list[str]:
    """Put back short credit lines ("via <a>Outlet</a>") that trafilatura dropped as link-dense.

    A line comes back only if it reads as a credit statement and sits right after (or before) a paragraph
    that was extracted, so sidebars and footers stay out. Credit lines belong to the body (contract).
    """
    index = {p: i for i, p in enumerate(paragraphs)}
    inserts: list[tuple[int, str]] = []
    for el in tree.iter("p"):
        text = _text_of(el)
        if not text or len(text) > 300 or text in index or not _CREDIT_HINT.search(text):
            continue
        anchors = [(_text_of(a), a.get("href", "")) for a in el.iter("a") if a.get("href")]
        if not any(s.kind != "credit-link" for s in detect_statements([text], anchors or None)):
            continue  # a caption or a related link is not a credit line
        prev, nxt = el.getprevious(), el.getnext()
        if prev is not None and _text_of(prev) in index:
            inserts.append((index[_text_of(prev)] + 1, text))
        elif nxt is not None and _text_of(nxt) in index:
            inserts.append((index[_text_of(nxt)], text))
        else:
            continue
        links.extend(anchors)
    for position, text in sorted(inserts, reverse=True):
        paragraphs.insert(position, text)
    return paragraphs


# --------------------------------------------------------------------------------------------- articles

def _looks_like_rescue(body: Any) -> bool:
    """trafilatura's baseline rescue returns the whole page as one <p>."""
    return body is not None and len(body) == 1 and body[0].tag == "p" and len(body[0]) == 0


def _file_uri(source: str) -> str:
    path = source.split("#", 1)[0]
    try:
        return Path(path).resolve().as_uri()
    except (ValueError, OSError):
        return "file://" + path


def _authors(value: Any) -> list[str]:
    if not value:
        return []
    items = value if isinstance(value, list | tuple) else re.split(r";|\s+and\s+|\s*&\s*", str(value))
    out: list[str] = []
    for item in items:
        name = " ".join(str(item).split()).strip(" ,")
        if name and name not in out:
            out.append(name)
    return out


_LATIN_LANGS = {"en", "fr", "de", "es", "it", "pt", "nl"}


def _language(text: str, declared: str | None) -> str | None:
    """The text's own script and words beat a page's declared lang (templates often say "en" everywhere);
    only a short Latin-script text, where stopword counts are thin, defers to the declaration."""
    guess = detect_language(text)
    declared_code = normalise_language(declared)
    if guess and (guess not in _LATIN_LANGS or len(text) >= 200 or not declared_code):
        return guess
    return declared_code or guess


def _text_date_ok(found: datetime, fetched_at: datetime | None) -> bool:
    """htmldate finds some date on almost any page: accept it only if it is not after the fetch (or now)."""
    limit = fetched_at if fetched_at is not None else datetime.now(UTC)
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=UTC)
    return found <= limit


def _htmldate(tree: HtmlElement, url: str, fetched_at: datetime | None) -> tuple[datetime | None, str | None]:
    """htmldate as a last resort: its markup-only pass ("metadata"), then its full-text search ("text").

    Either must not be later than the fetch (htmldate finds some date on almost any page); a text date
    on 1 January is htmldate's reading of a bare year and is dropped.
    """
    from htmldate import find_date

    for extensive, source in ((False, "metadata"), (True, "text")):
        found = find_date(tree, extensive_search=extensive, original_date=True, url=url)  # copies the tree
        parsed = parse_date(found) if found else None
        if extensive and parsed is not None and (parsed.month, parsed.day) == (1, 1):
            continue  # a bare year ("© 2024") comes back as 1 January: a guess, not a date
        if parsed is not None and _text_date_ok(parsed, fetched_at):
            return parsed, source
    return None, None


def _maybe_reset_caches() -> None:
    global _pages_since_reset
    _pages_since_reset += 1
    if _pages_since_reset >= RESET_EVERY:
        _pages_since_reset = 0
        trafilatura.meta.reset_caches()


def _split_record_text(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [p for p in (" ".join(part.split()) for part in parts) if p]


def _from_record(doc: RawDocument) -> Article | IngestError:
    """A structured record (JSONL/CSV row, feed entry) is already text: take its fields as they are."""
    f = doc.fields
    paragraphs = _split_record_text(str(f.get("text") or ""))
    if not paragraphs:
        return IngestError(doc.source, "the record has no text (empty 'text' field)", "empty")
    url = str(f.get("url") or doc.url or "") or _file_uri(doc.source)
    site = site_of(url) if not url.startswith("file:") else ""
    site_name = str(f.get("site_name") or "") or None
    if not site or site == "local":
        given = str(f.get("site") or "").strip()
        if "." in given:  # a domain or a URL
            site = site_of(given)
        elif given:  # an outlet name ("TASS"): keep it as the name, key the site by its letters
            site, site_name = outlet_key(given) or "local", site_name or given
        else:
            site = "local"
    published = parse_date(str(f["date"])) if f.get("date") else None
    text = "\n".join(paragraphs)
    return Article(
        url=url,
        title=" ".join(str(f.get("title") or "").split()),
        paragraphs=paragraphs,
        site=site,
        site_name=site_name,
        authors=_authors(f.get("author") or f.get("authors")),
        published=published,
        published_source="record" if published else None,
        fetched_at=doc.fetched_at,
        language=normalise_language(str(f.get("language") or "")) or detect_language(text),
        ingest_source=doc.ingest_source,
        source=doc.source,
        attributions=detect_statements(paragraphs, None, url, site_name),
    )


def _with_record_fields(art: Article | IngestError, f: dict[str, Any]) -> Article | IngestError:
    """A record that carries HTML may also state its title, authors and date: they fill what the page lacks."""
    if isinstance(art, IngestError):
        return art
    if not art.title and f.get("title"):
        art.title = " ".join(str(f["title"]).split())
    if not art.authors:
        art.authors = _authors(f.get("author") or f.get("authors"))
    # the record's stated date beats a date htmldate guessed from the page text
    if art.published_source in (None, "text") and f.get("date") and (published := parse_date(str(f["date"]))):
        art.published, art.published_source = published, "record"
    if not art.site_name and f.get("site_name"):
        art.site_name = str(f["site_name"])
    return art


def _from_html(doc: RawDocument, html: bytes | str, keep_html: bool) -> Article | IngestError:
    text = html if isinstance(html, str) else decode_html(html, doc.encoding)
    if not text.strip():
        return IngestError(doc.source, "empty page: no bytes besides whitespace", "empty")
    tree = load_html(text)
    if tree is None or len(tree) == 0:
        return IngestError(doc.source, "malformed page: lxml could not parse it as HTML", "malformed")

    meta = _meta_attrs(tree)
    base = doc.url or doc.fields.get("url")
    og_url = _absolute(base, meta.get("og:url"))
    canonical = _absolute(base or og_url, _link_href(tree, "canonical"))
    # the source's own URL wins; og:url beats a canonical link that may point at a home page or another story
    url = base or og_url or canonical or _file_uri(doc.source)
    published = _metadata_date(tree, meta)
    published_source = "metadata" if published else None
    if published is None and (from_url := date_from_url(url)):
        published, published_source = from_url, "url"

    info = examine_meta(tree)
    if not (info.author and info.sitename and info.title):
        with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader has known bugs; metadata is optional
            info = extract_meta_json(tree, info)
    title = info.title or extract_title(tree) or ""
    declared_lang = tree.get("lang") or meta.get("content-language") or meta.get("og:locale")

    result = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **TRAFILATURA_OPTIONS)
    _maybe_reset_caches()
    if result is not None and _looks_like_rescue(result.body):
        # trafilatura's whole-page rescue for short texts (common with CJK) loses paragraphs and keeps
        # the header; a precision pass skips that rescue and is kept when it finds real paragraphs
        retry = trafilatura.bare_extraction(tree, url=url, with_metadata=False,
                                            **{**TRAFILATURA_OPTIONS, "favor_precision": True})
        if retry is not None and retry.body is not None and len(retry.body) >= 2:
            result = retry
    if result is None or result.body is None:
        return IngestError(doc.source, "no article text found: the page has no main content block", "empty")
    paragraphs, links = paragraphs_from_body(result.body)
    if not paragraphs:
        return IngestError(doc.source, "no article text found: the main content block is empty", "empty")
    paragraphs = _rescue_credit_lines(tree, paragraphs, links)
    if len(_WORDS.findall(" ".join(paragraphs))) < MIN_WORDS and sum(map(len, paragraphs)) < 20:
        return IngestError(doc.source, f"no article text found: only {' '.join(paragraphs)[:40]!r} remains "
                           "after removing navigation and boilerplate", "empty")

    if published is None:
        published, published_source = _htmldate(tree, url, doc.fetched_at)
    authors = _authors(info.author) or _byline_author(tree)

    body_text = "\n".join(paragraphs)
    site = site_of(url)
    site_name = (info.sitename or "").lstrip("@") or None
    return Article(
        url=url,
        title=" ".join(title.split()),
        paragraphs=paragraphs,
        site=site,
        site_name=site_name,
        canonical_url=canonical,
        authors=authors,
        published=published,
        published_source=published_source,
        fetched_at=doc.fetched_at,
        language=_language(body_text, declared_lang),
        raw_html=(html if isinstance(html, bytes) else html.encode("utf-8")) if keep_html else None,
        ingest_source=doc.ingest_source,
        source=doc.source,
        attributions=detect_statements(paragraphs, links, url, site_name),
    )


def extract_article(doc: RawDocument, keep_html: bool = True) -> Article | IngestError:
    """Turn one raw document into an Article, or an IngestError saying exactly why not. Never raises."""
    try:
        if doc.html is not None:
            return _from_html(doc, doc.html, keep_html)
        if doc.fields.get("html"):
            return _with_record_fields(_from_html(doc, doc.fields["html"], keep_html), doc.fields)
        if doc.fields.get("text"):
            return _from_record(doc)
        return IngestError(doc.source, "nothing to extract: no HTML and no text field", "empty")
    except ExtractError as err:
        return IngestError(doc.source, err.reason, err.kind)
    except RecursionError:
        return IngestError(doc.source, "malformed page: markup nested too deeply to parse", "malformed")
    except MemoryError:
        return IngestError(doc.source, "page too large to extract in memory", "too-large")
    except Exception as err:  # noqa: BLE001 - one bad page must never stop a batch; the reason is kept
        return IngestError(doc.source, f"extraction failed: {type(err).__name__}: {err}"[:500], "malformed")
