"""HTML files and folders: bounded reads, gzip, specific reasons for bad files, resumable walks."""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import BinaryIO

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone

__all__ = [
    "EXTENSIONS",
    "binary_reason",
    "file_signature",
    "human_size",
    "iter_html",
    "read_bounded",
    "unit",
    "walk",
]

# Names a folder walk picks up for each kind (lower-cased suffixes).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "html": (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz"),
    "warc": (".warc", ".warc.gz"),
    "jsonl": (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"),
    "csv": (".csv", ".csv.gz"),
    "feed": (".rss", ".atom", ".rdf", ".xml"),
}

# Magic numbers of common binary formats that sometimes hide behind an .html name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)


def human_size(n: int) -> str:
    """Sizes for error messages: '12 MB', '5,120 bytes'."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.3g} MB"
    return f"{n:,} bytes"


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are clearly not text (e.g. "PNG image"), or None."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP image"
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NUL bytes by nature
    if b"\x00" in head[:1024]:
        return "NUL bytes in the first KB"
    return None


def file_signature(path: str) -> str:
    """The resume signature of a file: size and modification time in nanoseconds."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}"


def read_bounded(path: str, max_bytes: int) -> bytes | IngestError:
    """Read a file once, decompressing gzip (by magic number), never holding more than `max_bytes`.

    Returns the content or an IngestError of kind too-large, truncated, malformed, binary or empty.
    """
    size = os.path.getsize(path)
    if size > max_bytes:  # compressed or not: a file over the cap is not even opened
        return IngestError(path, f"file is {human_size(size)}, over the {human_size(max_bytes)} cap", "too-large")
    with open(path, "rb") as fh:
        head = fh.read(2)
        fh.seek(0)
        if head == b"\x1f\x8b":
            data = _gunzip_bounded(path, fh, size, max_bytes)
            if isinstance(data, IngestError):
                return data
        else:
            data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:  # the file grew while we read it
                return IngestError(path, f"file is over the {human_size(max_bytes)} cap", "too-large")
    if not data:
        return IngestError(
            path, "file is empty" if head != b"\x1f\x8b" else "gzip file decompresses to nothing", "empty"
        )
    if not data.strip():
        return IngestError(path, f"file holds only whitespace ({human_size(len(data))})", "empty")
    why = binary_reason(data[:1024])
    if why is not None:
        return IngestError(path, f"file is binary ({why})", "binary")
    return data


def _gunzip_bounded(path: str, fh: BinaryIO, size: int, max_bytes: int) -> bytes | IngestError:
    """Decompress every gzip member of an open file, bounding the decompressed size too."""
    chunks: list[bytes] = []
    got = 0
    try:
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
            while True:
                chunk = gz.read(min(1 << 20, max_bytes + 1 - got))
                if not chunk:
                    break
                got += len(chunk)
                if got > max_bytes:
                    return IngestError(
                        path, f"gzip file decompresses to over the {human_size(max_bytes)} cap", "too-large"
                    )
                chunks.append(chunk)
    except EOFError:
        return IngestError(
            path,
            f"gzip stream truncated after {size:,} bytes ({got:,} bytes decompressed before the break)",
            "truncated",
        )
    except gzip.BadGzipFile as exc:
        return IngestError(path, f"corrupt gzip data after {got:,} decompressed bytes: {exc}", "malformed")
    except zlib.error as exc:
        return IngestError(path, f"corrupt gzip data after {got:,} decompressed bytes: {exc}", "malformed")
    return b"".join(chunks)


def walk(folder: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    """Absolute paths of files under `folder` ending in one of `suffixes`, recursively, in sorted path order.

    Files and sub-folders sort together by name, so the order is that of the sorted relative paths.
    Hidden files and folders are skipped; symbolic links to folders are not followed (no loops).
    """
    try:
        entries = sorted(os.scandir(os.path.abspath(folder)), key=lambda e: e.name)
    except OSError:
        return  # an unreadable sub-folder: nothing to list
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(entry.path, suffixes)
        elif entry.name.lower().endswith(suffixes) and entry.is_file():
            yield entry.path


def unit(
    path: str,
    done: Mapping[str, str],
    read: Callable[[str], Iterator[RawDocument | IngestError]],
) -> Iterator[RawDocument | IngestError | UnitDone]:
    """Run `read` on one file unless its signature is in `done`, then mark the unit done."""
    path = os.path.abspath(path)
    try:
        signature = file_signature(path)
    except FileNotFoundError:
        yield IngestError(path, f"no such file: {path}", "not-found")
        return
    except OSError as exc:
        yield IngestError(path, f"cannot read file: {exc.strerror}", "not-found")
        return
    if done.get(path) == signature:
        return
    try:
        yield from read(path)
    except PermissionError as exc:
        yield IngestError(path, f"cannot read file: {exc.strerror}", "not-found")
    except OSError as exc:
        yield IngestError(path, f"cannot read file: {exc}", "malformed")
    yield UnitDone(path, signature)


def _html_document(path: str, options: SourceOptions, url: str | None) -> Iterator[RawDocument | IngestError]:
    """The one document of an HTML file; fetched_at is the file's modification time (when it was saved)."""
    data = read_bounded(path, options.max_bytes)
    if isinstance(data, IngestError):
        yield data
        return
    mtime = datetime.fromtimestamp(os.stat(path).st_mtime, UTC)
    yield RawDocument(source=path, ingest_source="html", url=url, html=data, fetched_at=mtime)


def iter_html(
    source: str, options: SourceOptions, done: Mapping[str, str]
) -> Iterator[RawDocument | IngestError | UnitDone]:
    """One HTML file (with options.url as its URL) or every HTML file under a folder."""
    if os.path.isdir(source):
        for path in walk(source, EXTENSIONS["html"]):
            yield from unit(path, done, lambda p: _html_document(p, options, None))
    else:
        yield from unit(source, done, lambda p: _html_document(p, options, options.url))
