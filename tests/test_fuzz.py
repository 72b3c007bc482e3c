"""Property-based: arbitrary bytes and malformed markup never crash the sources or extraction."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.extract import extract_article
from newstrace.models import Article, IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone, iter_source

TAGS = ["<p>", "</p>", "<div>", "</div>", "<article>", "<h1>", "</h1>", "<script>", "</script>", "<!--", "-->",
        "<meta charset='koi8-r'>", "<a href='http://x.example/'>", "</a>", "<br>", "&amp;", "&#0;", "&#xD800;",
        "<html>", "<body>", "<title>", "</title>", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "\x00", "\ufeff"]

markup = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=40)), max_size=60).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=3000), markup.map(lambda s: s.encode("utf-8", "surrogatepass"))))
def test_extraction_never_crashes(data: bytes) -> None:
    doc = RawDocument(source="fuzz.html", ingest_source="html", url="https://fuzz.example/a", html=data)
    out = extract_article(doc)
    assert isinstance(out, Article | IngestError)
    if isinstance(out, IngestError):
        assert out.reason and out.source == "fuzz.html"
    else:
        assert out.paragraphs and all(p.strip() for p in out.paragraphs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".html", ".html.gz", ".warc", ".warc.gz", ".jsonl",
                                                                ".csv", ".rss", ".atom", ".xml"]))
def test_sources_never_crash(tmp_path: Path, data: bytes, suffix: str) -> None:
    f = tmp_path / f"input{suffix}"
    f.write_bytes(data)
    for item in iter_source(str(f), SourceOptions()):
        assert isinstance(item, RawDocument | IngestError | UnitDone)
        if isinstance(item, RawDocument):
            out = extract_article(item)
            assert isinstance(out, Article | IngestError)
