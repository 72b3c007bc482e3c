"""WARC archives written in the test with warcio: HTML responses in, everything else out, truncation caught."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone, iter_source


def page(n: int) -> bytes:
    return f"<!doctype html><html><body><h1>Story {n}</h1><p>{'Words of story. ' * 50}</p></body></html>".encode()


def write_warc(path: Path, gz: bool, records: list[tuple[str, str, bytes, str | None, str]]) -> Path:
    """records: (record type, status line, payload, content type, url)."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for i, (rec_type, status, payload, content_type, url) in enumerate(records):
            date = f"2024-05-0{1 + i % 9}T10:00:00Z"
            warc_headers = {"WARC-Date": date}
            if rec_type == "response":
                headers = [("Content-Type", content_type)] if content_type else []
                http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict=warc_headers
                )
            else:
                record = writer.create_warc_record(
                    url,
                    rec_type,
                    payload=io.BytesIO(payload),
                    warc_content_type=content_type or "application/octet-stream",
                    warc_headers_dict=warc_headers,
                )
            writer.write_record(record)
    return path


MIXED = [
    ("response", "200 OK", page(0), "text/html; charset=ISO-8859-1", "https://one.example/a"),
    (
        "request",
        "",
        b"GET /a HTTP/1.1\r\nHost: one.example\r\n\r\n",
        "application/http; msgtype=request",
        "https://one.example/a",
    ),
    ("response", "200 OK", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png", "https://one.example/logo.png"),
    ("response", "301 Moved Permanently", b"", "text/html", "https://one.example/old"),
    ("response", "404 Not Found", b"<html><body>missing</body></html>", "text/html", "https://one.example/missing"),
    ("response", "200 OK", page(1), "application/xhtml+xml", "https://two.example/b"),
    ("response", "200 OK", page(2), None, "https://two.example/untyped"),
    ("response", "200 OK", b'{"not": "html"}', None, "https://two.example/api"),
    ("resource", "", page(3), "text/html", "https://three.example/c"),
    ("metadata", "", b"via: x", "application/warc-fields", "https://three.example/c"),
]


@pytest.mark.parametrize("gz", [True, False])
def test_html_responses_only_with_url_date_and_charset(tmp_path: Path, gz: bool) -> None:
    path = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), gz, MIXED)
    items = list(iter_source(str(path), SourceOptions()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [d.url for d in docs] == [
        "https://one.example/a",
        "https://two.example/b",
        "https://two.example/untyped",
        "https://three.example/c",
    ]
    assert [d.html for d in docs] == [page(0), page(1), page(2), page(3)]
    assert docs[0].encoding == "ISO-8859-1" and docs[1].encoding is None
    assert docs[0].fetched_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert docs[1].fetched_at == datetime(2024, 5, 6, 10, tzinfo=UTC)
    assert all(d.ingest_source == "warc" and d.source.startswith(f"{path}#") for d in docs)
    assert len({d.source for d in docs}) == 4  # offsets tell the records apart
    assert not any(isinstance(i, IngestError) for i in items)
    st = path.stat()
    assert items[-1] == UnitDone(str(path), f"{st.st_size}:{st.st_mtime_ns}")


def test_content_encoding_gzip_payload_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "enc.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/", "response", payload=io.BytesIO(gzip.compress(page(7))), http_headers=http
            )
        )
    docs = [i for i in iter_source(str(path), SourceOptions()) if isinstance(i, RawDocument)]
    assert len(docs) == 1 and docs[0].html == page(7)


def records(n: int) -> list[tuple[str, str, bytes, str | None, str]]:
    return [("response", "200 OK", page(i), "text/html", f"https://site.example/{i}") for i in range(n)]


def test_truncated_warc_gz_yields_what_precedes_the_break(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", True, records(4)).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) - 120])  # cut into the last record's gzip member
    items = list(iter_source(str(cut), SourceOptions()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [d.url for d in docs] == [f"https://site.example/{i}" for i in range(3)]
    assert len(errors) == 1 and errors[0].kind == "truncated"
    assert "truncated" in errors[0].reason
    assert items.index(errors[0]) == 3 and isinstance(items[-1], UnitDone)


def test_truncated_plain_warc_inside_a_payload(tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc", False, records(3)).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) - 300])
    items = list(iter_source(str(cut), SourceOptions()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [d.html for d in docs] == [page(0), page(1)]  # the cut record is not passed on half-read
    assert len(errors) == 1 and errors[0].kind == "truncated"
    assert "bytes of it missing" in errors[0].reason


def test_oversized_record_is_an_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    big = b"<html><body>" + b"x" * 5000 + b"</body></html>"
    recs = records(1) + [("response", "200 OK", big, "text/html", "https://site.example/big")] + records(2)[1:]
    path = write_warc(tmp_path / "big.warc.gz", True, recs)
    items = list(iter_source(str(path), SourceOptions(max_bytes=2000)))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawDocument", "IngestError", "RawDocument", "UnitDone"]
    assert items[1].kind == "too-large"  # type: ignore[union-attr]


def test_not_a_warc_and_empty_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a web archive\n" * 10)
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    junk_errors = [i for i in iter_source(str(junk), SourceOptions()) if isinstance(i, IngestError)]
    empty_errors = [i for i in iter_source(str(empty), SourceOptions()) if isinstance(i, IngestError)]
    assert len(junk_errors) == 1 and junk_errors[0].kind == "malformed"
    assert "not a WARC file" in junk_errors[0].reason
    assert len(empty_errors) == 1 and empty_errors[0].kind == "empty"


def test_resume_skips_an_unchanged_archive(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "c.warc.gz", True, records(2))
    first = list(iter_source(str(path), SourceOptions()))
    unit = first[-1]
    assert isinstance(unit, UnitDone)
    assert list(iter_source(str(path), SourceOptions(), done={unit.source: unit.signature})) == []


def test_folder_of_warcs_with_kind(tmp_path: Path) -> None:
    write_warc(tmp_path / "b.warc", False, records(1))
    write_warc(tmp_path / "a.warc.gz", True, records(2))
    (tmp_path / "page.html").write_bytes(page(9))
    items = list(iter_source(str(tmp_path), SourceOptions(), kind="warc"))
    units = [i.source for i in items if isinstance(i, UnitDone)]
    assert units == [str(tmp_path / "a.warc.gz"), str(tmp_path / "b.warc")]
    assert len([i for i in items if isinstance(i, RawDocument)]) == 3


def test_a_folder_of_mixed_inputs_reads_every_kind(tmp_path: Path) -> None:
    """Without --kind, a folder is walked for pages, WARCs, JSONL and CSV exports and feeds alike: none is
    silently left out, and a bad one is reported while the rest are read."""
    folder = tmp_path / "mix"
    folder.mkdir()
    (folder / "a.html").write_bytes(page(1))
    write_warc(folder / "b.warc.gz", True, records(3))
    (folder / "c.jsonl").write_text('{"url": "https://j.example/1", "title": "J", "text": "' + "Text. " * 40
                                    + '"}\n{broken\n', encoding="utf-8")
    (folder / "d.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title>'
                                  "</channel></rss>", encoding="utf-8")
    (folder / "sitemap.xml").write_text('<?xml version="1.0"?><urlset></urlset>', encoding="utf-8")
    (folder / "long.xml").write_text('<?xml version="1.0"?><!-- ' + "licence text " * 800 + '-->'
                                     '<rss version="2.0"><channel><title>Long</title></channel></rss>',
                                     encoding="utf-8")  # a feed whose first 10 KB are a comment
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    items = list(iter_source(str(folder), SourceOptions()))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, IngestError)]
    units = {Path(i.source).name for i in items if isinstance(i, UnitDone)}
    assert len(docs) == 1 + 3 + 1  # the page, three WARC responses, the good JSONL line
    assert {"a.html", "b.warc.gz", "c.jsonl", "d.rss", "long.xml"} <= units and "sitemap.xml" not in units
    assert any("c.jsonl" in e.source for e in errors)  # its broken line
    assert any("d.rss" in e.source for e in errors)  # an empty feed is reported
