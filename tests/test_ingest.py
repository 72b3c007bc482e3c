"""Ingest orchestration: batches, idempotency, versions, resume, errors that never stop a batch."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newstrace.ingest import ingest
from newstrace.sources import SourceOptions
from newstrace.store import Store
from pages import page, write_corpus


@pytest.mark.parametrize("workers", [1, 2])
def test_folder_ingest_recovers_pages_and_is_idempotent(tmp_path: Path, store: Store, workers: int) -> None:
    truth = write_corpus(tmp_path / "pages", 12)
    rep = ingest([str(tmp_path / "pages")], store, workers=workers, batch_size=5)
    assert rep.ok and rep.new == 12 and rep.duplicates == 0
    for url, (title, paras) in truth.items():
        art = store.find_article(url)
        assert art is not None, url
        assert art.title == title
        assert art.paragraphs[-len(paras):] == paras
        assert art.site == "news.example"
    # A second run skips finished files; a refresh re-reads them and stores nothing new.
    again = ingest([str(tmp_path / "pages")], store, workers=workers)
    assert again.new == 0 and again.documents == 0
    fresh = ingest([str(tmp_path / "pages")], store, SourceOptions(refresh=True), workers=workers)
    assert fresh.new == 0 and fresh.duplicates == 12
    assert store.article_count() == 12


def test_changed_page_becomes_a_new_version(tmp_path: Path, store: Store) -> None:
    f = tmp_path / "p.html"
    f.write_text(page("https://x.example/a", "Title", ["One paragraph here with words enough to count.",
                                                        "Another paragraph follows with more words."]))
    assert ingest([str(f)], store).new == 1
    f.write_text(page("https://x.example/a", "Title", ["One paragraph here with words enough to count.",
                                                        "Another paragraph, now corrected by the editor."]))
    rep = ingest([str(f)], store)
    assert rep.versions == 1
    assert store.article_count() == 2


def test_bad_inputs_are_reported_and_the_rest_goes_on(tmp_path: Path, store: Store) -> None:
    write_corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.html").write_bytes(b"")
    (tmp_path / "in" / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    good = gzip.compress(page("https://news.example/gz", "Gz", ["A gzipped page with a paragraph of words."]).encode())
    (tmp_path / "in" / "cut.html.gz").write_bytes(good[: len(good) // 2])
    rep = ingest([str(tmp_path / "in"), str(tmp_path / "missing-folder")], store, workers=2, batch_size=2)
    assert rep.new == 3
    kinds = {Path(e.source).name: e.kind for e in rep.errors}
    assert kinds.get("empty.html") == "empty"
    assert kinds.get("binary.html") == "binary"
    assert kinds.get("cut.html.gz") == "truncated"
    assert any("missing-folder" in e.source for e in rep.errors)
    assert not rep.ok
    stored = {r["source"] for r in store.list_errors()}
    assert any(s.endswith("empty.html") for s in stored)
