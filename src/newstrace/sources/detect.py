"""Telling the kind of a source from its form, its extension and, where ambiguous, its first bytes."""

from __future__ import annotations

import gzip
import os
import re
import zlib

__all__ = ["detect_kind", "sniff_kind"]

# Longest suffixes first so ".warc.gz" wins over ".gz".
_SUFFIXES: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"),
    (".jsonl.gz", "jsonl"),
    (".ndjson.gz", "jsonl"),
    (".csv.gz", "csv"),
    (".html.gz", "html"),
    (".htm.gz", "html"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".csv", "csv"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".rdf", "feed"),
)

_MARKUP = re.compile(rb"<(rss|feed|rdf:rdf|!doctype\s+html|html)[\s>]", re.IGNORECASE)
_SNIFF_BYTES = 8192


def detect_kind(source: str) -> str:
    """Guess the kind of `source` (one of sources.KINDS); ValueError with a clear message when unknown.

    http(s) URLs are "url" (even feed-looking ones: pass kind "feed" to read them as feeds), folders
    are "html" (but `iter_source` walks a folder for every kind when no kind is given); files go by
    extension, and .xml, .gz, .txt or unknown names by their first bytes.
    """
    if source.lower().startswith(("http://", "https://")):
        return "url"
    if os.path.isdir(source):
        return "html"
    name = os.path.basename(source).lower()
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            return kind
    if not os.path.isfile(source):
        raise ValueError(f"cannot tell the kind of {source}: no such file, and its name does not say")
    head = _head(source)
    kind = sniff_kind(head)
    if kind is None:
        raise ValueError(
            f"cannot tell the kind of {source}: not a WARC, feed, HTML page, JSONL export or list of URLs; "
            "name the kind explicitly"
        )
    return kind


def _head(path: str) -> bytes:
    """The first few KB of a file, decompressed when it is gzip."""
    with open(path, "rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as gz:
                return gz.read(_SNIFF_BYTES)
        except (OSError, EOFError, zlib.error):
            return b""
    return raw


def sniff_kind(head: bytes) -> str | None:
    """The kind these first bytes look like, or None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"WARC/"):
        return "warc"
    match = _MARKUP.search(text[:4096])
    if match is not None:
        tag = match.group(1).lower()
        return "feed" if tag in (b"rss", b"feed", b"rdf:rdf") else "html"
    if text.startswith(b"{"):
        return "jsonl"
    lines = [line.strip() for line in text.decode("utf-8", errors="replace").splitlines()]
    if len(head) >= _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    meaningful = [line for line in lines if line and not line.startswith("#")]
    urls = sum(1 for line in meaningful if re.match(r"https?://\S+$", line, re.IGNORECASE))
    if urls and urls * 2 >= len(meaningful):  # mostly URLs: the odd bad line is reported when read
        return "urls"
    return None
