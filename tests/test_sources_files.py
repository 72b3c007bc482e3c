"""HTML files and folders, gzip, bad files with specific reasons, resume, and kind detection."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from newstrace.models import IngestError, RawDocument
from newstrace.sources import KINDS, SourceOptions, UnitDone, detect_kind, iter_source
from newstrace.sources.files import binary_reason, read_bounded

PAGE = b"<!doctype html><html><head><title>A</title></head><body><p>Story text.</p></body></html>"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def signature(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def test_single_file_with_user_url(tmp_path: Path) -> None:
    page = write(tmp_path / "page.html", PAGE)
    items = list(iter_source(str(page), SourceOptions(url="https://news.example/a")))
    assert len(items) == 2
    doc, done = items
    assert isinstance(doc, RawDocument)
    assert doc.html == PAGE and doc.url == "https://news.example/a" and doc.ingest_source == "html"
    assert doc.source == str(page.resolve())
    assert doc.fetched_at is not None and doc.fetched_at.tzinfo is not None
    assert done == UnitDone(str(page.resolve()), signature(page))


def test_folder_walk_is_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    write(tmp_path / "b" / "two.htm", PAGE)
    write(tmp_path / "a" / "z" / "one.html", PAGE)
    write(tmp_path / "c.html.gz", gzip.compress(PAGE))
    write(tmp_path / "notes.txt", b"ignored")
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / ".hidden" / "x.html", PAGE)
    items = list(iter_source(str(tmp_path), SourceOptions(url="https://ignored.example/")))
    docs = [i for i in items if isinstance(i, RawDocument)]
    units = [i for i in items if isinstance(i, UnitDone)]
    expected = [str(tmp_path / "a" / "z" / "one.html"), str(tmp_path / "b" / "two.htm"), str(tmp_path / "c.html.gz")]
    assert [d.source for d in docs] == expected
    assert [u.source for u in units] == expected
    assert all(d.html == PAGE and d.url is None for d in docs)  # the user URL is for a single file only
    # each UnitDone follows its document
    assert [type(i) for i in items] == [RawDocument, UnitDone] * 3


def test_gzip_by_magic_and_multi_member(tmp_path: Path) -> None:
    half = len(PAGE) // 2
    page = write(tmp_path / "saved.html", gzip.compress(PAGE[:half]) + gzip.compress(PAGE[half:]))
    (doc, _) = list(iter_source(str(page), SourceOptions()))
    assert isinstance(doc, RawDocument) and doc.html == PAGE


def one_error(path: Path, **options: object) -> IngestError:
    items = list(iter_source(str(path), SourceOptions(**options)))  # type: ignore[arg-type]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(errors) == 1 and not any(isinstance(i, RawDocument) for i in items), items
    return errors[0]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(os.urandom(3000).hex().encode())
    page = write(tmp_path / "cut.html.gz", data[: len(data) // 2])
    err = one_error(page)
    assert err.kind == "truncated"
    assert f"gzip stream truncated after {len(data) // 2:,} bytes" in err.reason


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(PAGE * 20))
    data[30:40] = b"\x00" * 10
    err = one_error(write(tmp_path / "bad.html.gz", bytes(data)))
    assert err.kind in ("malformed", "truncated")
    assert "gzip" in err.reason


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG image"),
        (b"%PDF-1.7\n...", "PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"<html>" + b"\x00" * 20 + b"</html>", "NUL bytes in the first KB"),
    ],
)
def test_binary_files(tmp_path: Path, data: bytes, what: str) -> None:
    err = one_error(write(tmp_path / "page.html", data))
    assert err.kind == "binary" and err.reason == f"file is binary ({what})"


def test_utf16_is_not_binary(tmp_path: Path) -> None:
    data = "\ufeff<html><p>été</p></html>".encode("utf-16-le")
    (doc, _) = list(iter_source(str(write(tmp_path / "u.html", data)), SourceOptions()))
    assert isinstance(doc, RawDocument) and doc.html == data
    assert binary_reason(data) is None


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    empty = one_error(write(tmp_path / "e.html", b""))
    blank = one_error(write(tmp_path / "w.html", b"  \n\t\n"))
    gz_empty = one_error(write(tmp_path / "g.html.gz", gzip.compress(b"")))
    assert (empty.kind, empty.reason) == ("empty", "file is empty")
    assert blank.kind == "empty" and "whitespace" in blank.reason
    assert gz_empty.kind == "empty" and "decompresses to nothing" in gz_empty.reason


def test_oversized_file_and_gzip_bomb(tmp_path: Path) -> None:
    big = one_error(write(tmp_path / "big.html", b"<p>" + b"x" * 12_000_000), max_bytes=10_000_000)
    assert big.kind == "too-large"
    assert big.reason == "file is 12 MB, over the 10 MB cap"
    bomb = one_error(write(tmp_path / "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 200_000)), max_bytes=50_000)
    assert bomb.kind == "too-large" and "decompresses to over the 50,000 bytes cap" in bomb.reason


def test_read_bounded_reads_once_within_cap(tmp_path: Path) -> None:
    path = write(tmp_path / "p.html", PAGE)
    assert read_bounded(str(path), len(PAGE)) == PAGE
    over = read_bounded(str(path), len(PAGE) - 1)
    assert isinstance(over, IngestError) and over.kind == "too-large"


def test_bad_file_does_not_stop_the_folder(tmp_path: Path) -> None:
    write(tmp_path / "1.html", PAGE)
    write(tmp_path / "2.html", b"")
    write(tmp_path / "3.html", PAGE)
    items = list(iter_source(str(tmp_path), SourceOptions()))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["RawDocument", "UnitDone", "IngestError", "UnitDone", "RawDocument", "UnitDone"]


def test_resume_skips_unchanged_files(tmp_path: Path) -> None:
    a = write(tmp_path / "a.html", PAGE)
    b = write(tmp_path / "b.html", PAGE)
    first = [i for i in iter_source(str(tmp_path), SourceOptions()) if isinstance(i, UnitDone)]
    done = {u.source: u.signature for u in first}
    assert list(iter_source(str(tmp_path), SourceOptions(), done=done)) == []
    # a changed file (new size and mtime) is read again; the unchanged one is not
    b.write_bytes(PAGE + b"<!-- edited -->")
    os.utime(b, ns=(a.stat().st_mtime_ns + 10**9, a.stat().st_mtime_ns + 10**9))
    again = list(iter_source(str(tmp_path), SourceOptions(), done=done))
    assert [i.source for i in again] == [str(b), str(b)]
    # refresh reads everything regardless of done
    refreshed = [i for i in iter_source(str(tmp_path), SourceOptions(refresh=True), done=done)]
    assert len([i for i in refreshed if isinstance(i, RawDocument)]) == 2


def test_public_api() -> None:
    import newstrace.sources as sources

    assert sorted(sources.__all__) == ["KINDS", "SourceOptions", "UnitDone", "detect_kind", "iter_source"]
    assert KINDS == ("html", "warc", "jsonl", "csv", "feed", "url", "urls")


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    items = list(iter_source(str(tmp_path / "nope.html"), SourceOptions()))
    assert len(items) == 1 and isinstance(items[0], IngestError) and items[0].kind == "not-found"


def test_unknown_kind_argument_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown source kind 'pdf'"):
        list(iter_source(str(tmp_path), SourceOptions(), kind="pdf"))


def test_undetectable_file_is_unsupported(tmp_path: Path) -> None:
    path = write(tmp_path / "data.bin", b"just some words, nothing we read")
    items = list(iter_source(str(path), SourceOptions()))
    assert len(items) == 1 and isinstance(items[0], IngestError) and items[0].kind == "unsupported"
    assert "cannot tell the kind" in items[0].reason


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.warc", "warc"),
        ("a.WARC.GZ", "warc"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.csv", "csv"),
        ("a.rss", "feed"),
        ("a.atom", "feed"),
        ("a.rdf", "feed"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.html.gz", "html"),
        ("https://news.example/a", "url"),
        ("http://news.example/feed.rss", "url"),
        ("HTTPS://news.example/rss.xml", "url"),
    ],
)
def test_detect_kind_by_form_and_extension(name: str, kind: str) -> None:
    assert detect_kind(name) == kind  # files need not exist when the name says it all
    assert kind in KINDS


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("feed.xml", b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        ("atom.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
        ("rdf.xml", b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', "feed"),
        ("page.xml", b'<?xml version="1.0"?><!DOCTYPE html><html><body></body></html>', "html"),
        ("crawl.gz", gzip.compress(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", mtime=0), "warc"),
        ("rows.gz", gzip.compress(b'{"url": "https://a.example/"}\n', mtime=0), "jsonl"),
        ("list.txt", b"# to fetch\nhttps://a.example/1\n\nhttp://b.example/2\n", "urls"),
        ("noext", b"\xef\xbb\xbf<html><p>x</p></html>", "html"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",  # stable ids: pytest-xdist needs the same on every worker
)
def test_detect_kind_by_sniffing(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    assert detect_kind(str(write(tmp_path / name, data))) == kind


def test_detect_kind_folder_and_failures(tmp_path: Path) -> None:
    assert detect_kind(str(tmp_path)) == "html"
    with pytest.raises(ValueError, match="no such file"):
        detect_kind(str(tmp_path / "missing.xml"))
    with pytest.raises(ValueError, match="name the kind explicitly"):
        detect_kind(str(write(tmp_path / "notes.txt", b"dear diary\nnothing here\n")))
