"""Output files, streamed: HTML per site, optional WARC.gz and JSONL, truth.jsonl and sites.json."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from datetime import UTC, timedelta
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
        self._warc_fh: IO[bytes] | None = None
        self._warc: Any = None
        if warc:
            from warcio.warcwriter import WARCWriter
            self._warc_fh = open(out / "corpus.warc.gz", "wb")  # noqa: SIM115
            self._warc = WARCWriter(self._warc_fh, gzip=True)
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
        site.related.append((art.url, art.title))
        if len(site.related) > 2 * _RELATED:
            del site.related[:_RELATED]
        self.truth.write(dumps(rec) + "\n")
        if self.jsonl is not None:
            self.jsonl.write(dumps({"url": art.url, "title": art.title, "text": body.text,
                                     "author": ", ".join(art.authors) or None, "date": rec["published_page"],
                                     "site": site.domain, "language": art.lang}) + "\n")
        if self._warc is not None:
            self._write_warc(art, data)
        return rec

    def _write_warc(self, art: Art, data: bytes) -> None:
        from warcio.statusandheaders import StatusAndHeaders
        fetched = (art.time + timedelta(minutes=5 + (art.idx * 37) % 600)).astimezone(UTC)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(data)))], protocol="HTTP/1.1")
        rid = uuid.UUID(bytes=hashlib.sha1(art.url.encode("utf-8")).digest()[:16], version=4)
        record = self._warc.create_warc_record(
            art.url, "response", payload=io.BytesIO(data), http_headers=headers,
            warc_headers_dict={"WARC-Date": fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "WARC-Record-ID": f"<urn:uuid:{rid}>"})
        self._warc.write_record(record)

    def close(self) -> None:
        self.truth.close()
        if self.jsonl is not None:
            self.jsonl.close()
        if self._warc_fh is not None:
            self._warc_fh.close()


def _canonical(site: Site, art: Art) -> str | None:
    """The canonical link the page declares: usually its own URL, sometimes missing or wrong on purpose."""
    if site.canonical == "missing":
        return None
    if site.canonical == "home":
        return f"https://{site.domain}/"
    if site.canonical == "other" and site.related:
        return site.related[-1][0]
    return art.url

