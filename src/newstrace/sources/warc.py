"""WARC archives (plain or gzip): every HTML response becomes a RawDocument.

warcio silently drops a record cut off by the end of a file, so truncation is detected here: a
payload shorter than its declared length, or records that end before the file does, give an
IngestError of kind truncated after everything readable has been yielded.
"""

from __future__ import annotations

import gzip
import os
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions
from newstrace.sources.files import human_size

__all__ = ["iter_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LOOKS_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _warc_date(value: str | None) -> datetime | None:
    """WARC-Date (ISO 8601, usually with a Z) as an aware UTC datetime."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _html_record(record: ArcWarcRecord) -> tuple[bool, str | None]:
    """Whether a record may carry an HTML page (by declared type), and the declared content type."""
    if record.rec_type == "response":
        if record.http_headers is None:
            return False, None
        status = record.http_headers.get_statuscode()
        if not (status and status.isdigit() and 200 <= int(status) < 300):
            return False, None  # redirects and error pages are not articles
        content_type = record.http_headers.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return False, None
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return (media in _HTML_TYPES or not media), content_type


def iter_warc(path: str, options: SourceOptions) -> Iterator[RawDocument | IngestError]:
    """Yield each HTML response of a WARC file; non-HTML records are skipped silently."""
    size = os.path.getsize(path)
    if size == 0:
        yield IngestError(path, "file is empty", "empty")
        return
    head = _head(path)
    if not head.startswith(b"WARC/"):
        shown = head[:20].decode("ascii", errors="replace")
        yield IngestError(path, f"not a WARC file: it starts with {shown!r}, not 'WARC/'", "malformed")
        return
    end = 0
    records = 0
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                records += 1
                item = _read_record(path, record, options)
                # Asking for the offset reads the rest of the record (warcio), so it comes after the
                # payload; a record whose declared length was not all there means a cut-off file.
                offset = iterator.get_record_offset()
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield IngestError(
                        f"{path}#{offset}",
                        f"archive truncated inside the record at offset {offset:,} ({missing:,} bytes of it missing)",
                        "truncated",
                    )
                    return
                end = offset + iterator.get_record_length()
                if item is not None:
                    item.source = f"{path}#{offset}"
                    yield item
        except Exception as exc:  # warcio raises many types on broken input; report them all alike
            where = f"after {records - 1} records" if records > 1 else "at its start"
            kind = "truncated" if records > 1 else "malformed"
            yield IngestError(path, f"archive unreadable {where} (byte {end:,} of {size:,}): {exc}", kind)
            return
    if records == 0:
        yield IngestError(path, "no WARC records found (not a WARC file?)", "malformed")
    elif end < size and not _only_padding(path, end):
        yield IngestError(
            path,
            f"archive truncated: records end at byte {end:,} of {human_size(size)}; "
            f"the last record is cut off after {records} complete ones",
            "truncated",
        )


def _head(path: str) -> bytes:
    """The first bytes of the archive, decompressed when it is gzip (empty when unreadable)."""
    with open(path, "rb") as fh:
        raw = fh.read(64)
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        with gzip.open(path, "rb") as gz:
            return gz.read(16)
    except (OSError, EOFError, zlib.error):
        return b""


def _only_padding(path: str, end: int) -> bool:
    """Whether the bytes after the last record are only whitespace (harmless)."""
    with open(path, "rb") as fh:
        fh.seek(end)
        rest = fh.read(4096)
    return not rest.strip()


def _read_record(path: str, record: ArcWarcRecord, options: SourceOptions) -> RawDocument | IngestError | None:
    """The record's document, an error for an oversized payload, or None for a non-HTML record.

    Its `source` is the path alone; the caller adds the record's offset once warcio knows it.
    """
    wanted, content_type = _html_record(record)
    if not wanted:
        return None
    source = path
    body = record.content_stream().read(options.max_bytes + 1)
    if len(body) > options.max_bytes:
        return IngestError(source, f"record payload is over the {human_size(options.max_bytes)} cap", "too-large")
    if not content_type and not _LOOKS_HTML.match(body[:2048]):
        return None  # untyped payload that is not HTML either
    if not body.strip():
        return IngestError(source, "HTML response with an empty body", "empty")
    return RawDocument(
        source=source,
        ingest_source="warc",
        url=record.rec_headers.get_header("WARC-Target-URI"),
        html=body,
        encoding=_charset(content_type),
        fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
    )
