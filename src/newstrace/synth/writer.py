"""Output files, streamed: HTML per site, optional WARC.gz and JSONL, truth.jsonl and sites.json."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
import zlib
from datetime import UTC, timedelta
from html import escape
from pathlib import Path
from typing import IO, Any

from .jsonout import dumps
from .render import Renderer
from .sites import Site
from .stories import Art
from .text import layout

_RELATED = 4


class Writer:
    """Writes one article at a time; nothing per article is kept once written."""

    def __init__(self, out: Path, sites: list[Site], warc: bool, jsonl: bool, html: bool = True) -> None:
        self.out = out
        self.html_dir: Path | None = out / "html" if html else None
        if self.html_dir is not None:
            self.html_dir.mkdir(parents=True, exist_ok=True)
            for s in sites:
                (self.html_dir / s.domain).mkdir(exist_ok=True)
        (out / "sites.json").write_text(json.dumps([s.to_json() for s in sites], ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
        self.truth: IO[str] = open(out / "truth.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self.jsonl: IO[str] | None = (open(out / "corpus.jsonl", "w", encoding="utf-8", newline="\n")  # noqa: SIM115
                                      if jsonl else None)
        self._warc_fh: IO[bytes] | None = open(out / "corpus.warc.gz", "wb") if warc else None  # noqa: SIM115
        self.renderer = Renderer()

    def write(self, art: Art) -> dict[str, Any]:
        """Lay out, render and write one article; returns its truth record."""
        from .truth import record
        site = art.site
        body = layout(list(site.boiler_top) + art.paras + list(site.boiler_bottom), art.lang)
        art.body = body
        canonical = _canonical(site, art)
        rec = record(art, body, canonical)
        html = self.renderer.page(art, body, canonical, site.related[-_RELATED:][::-1])
        data = html.encode("utf-8")
        if self.html_dir is not None:
            with open(self.html_dir / site.domain / f"{art.slug}.html", "wb") as fh:
                fh.write(data)
        site.related.append((art.url, f'<li><a href="{escape(art.url)}">{escape(art.title, quote=False)}</a></li>'))
        if len(site.related) > 2 * _RELATED:
            del site.related[:_RELATED]
        self.truth.write(dumps(rec) + "\n")
        if self.jsonl is not None:
            self.jsonl.write(dumps({"url": art.url, "title": art.title, "text": body.text,
                                     "author": ", ".join(art.authors) or None, "date": rec["published_page"],
                                     "site": site.domain, "language": art.lang}) + "\n")
        if self._warc_fh is not None:
            fetched = (art.time + timedelta(minutes=5 + (art.idx * 37) % 600)).astimezone(UTC)
            self._warc_fh.write(warc_response(art.url, fetched.strftime("%Y-%m-%dT%H:%M:%SZ"), data))
        return rec

    def close(self) -> None:
        self.truth.close()
        if self.jsonl is not None:
            self.jsonl.close()
        if self._warc_fh is not None:
            self._warc_fh.close()


def _canonical(site: Site, art: Art) -> str | None:
    """The canonical link the page declares: usually its own URL, sometimes missing or wrong on purpose."""
    if site.canonical == "missing" or art.idx % 37 == 11:  # some sites never declare one; any page may forget
        return None
    if site.canonical == "home":
        return f"https://{site.domain}/"
    if site.canonical == "other" and site.related:
        return site.related[-1][0]
    return art.url


_HTTP_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n"


def _sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_response(url: str, warc_date: str, payload: bytes) -> bytes:
    """One gzip member holding a WARC/1.0 `response` record (HTTP 200 with `payload`), deterministic.

    Written directly rather than through warcio's writer, which compresses at level 9 and costs about 1 ms
    per record; warcio (and any WARC reader) reads these records back (see tests/test_synth.py).
    """
    block = _HTTP_HEAD.format(len(payload)).encode("ascii") + payload
    rid = uuid.UUID(bytes=hashlib.sha1(url.encode("utf-8")).digest()[:16], version=4)
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
            f"WARC-Date: {warc_date}\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Payload-Digest: {_sha1_b32(payload)}\r\nWARC-Block-Digest: {_sha1_b32(block)}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n")
    z = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip wrapper; zlib writes mtime 0, so bytes are stable
    return z.compress(head.encode("utf-8")) + z.compress(block) + z.compress(b"\r\n\r\n") + z.flush()
