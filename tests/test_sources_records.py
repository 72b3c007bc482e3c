"""JSONL and CSV exports: default column names, custom field maps, and bad rows that do not stop a file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone, iter_source
from newstrace.sources.records import map_record


def jsonl(path: Path, rows: list[object], gz: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def split(items: list[object]) -> tuple[list[RawDocument], list[IngestError], list[UnitDone]]:
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, IngestError)],
        [i for i in items if isinstance(i, UnitDone)],
    )


def test_map_record_defaults_and_precedence() -> None:
    row = {
        "ID": 7,
        "link": "https://a.example/x",
        "headline": "H",
        "body": "B",
        "byline": ["Ann", "Bo"],
        "pubDate": "2024-05-01",
        "domain": "a.example",
        "lang": "fr",
        "extra": "kept out",
        "content": "",
    }
    assert map_record(row, {}) == {
        "id": 7,
        "url": "https://a.example/x",
        "title": "H",
        "text": "B",  # "content" is empty, so "body" is used
        "author": ["Ann", "Bo"],
        "date": "2024-05-01",
        "site": "a.example",
        "language": "fr",
    }


def test_map_record_custom_map_and_dotted_paths() -> None:
    row = {"meta": {"permalink": "https://b.example/y", "when": "2024-01-02"}, "words": "T", "title": "X"}
    fields = map_record(row, {"url": "meta.permalink", "date": "meta.when", "text": "words", "title": "missing"})
    assert fields == {"url": "https://b.example/y", "date": "2024-01-02", "text": "T"}


def test_jsonl_rows_become_documents_with_line_sources(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "export.jsonl",
        [
            {
                "url": "https://a.example/1",
                "title": "One",
                "text": "First text",
                "published_at": "2024-05-01T10:00:00Z",
            },
            {"link": "https://a.example/2", "headline": "Two", "html": "<p>Second</p>"},
        ],
    )
    docs, errors, units = split(list(iter_source(str(path), SourceOptions())))
    assert errors == []
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:2"]
    assert docs[0].fields == {
        "url": "https://a.example/1",
        "title": "One",
        "text": "First text",
        "date": "2024-05-01T10:00:00Z",
    }
    assert docs[0].url == "https://a.example/1" and docs[0].html is None and docs[0].ingest_source == "jsonl"
    assert (
        docs[1].html == b"<p>Second</p>" and docs[1].encoding == "utf-8" and docs[1].fields["html"] == "<p>Second</p>"
    )
    assert units == [UnitDone(str(path), f"{path.stat().st_size}:{path.stat().st_mtime_ns}")]


def test_jsonl_bad_lines_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"url": "https://a.example/1", "text": "ok"}\n'
        b'{"url": "https://a.example/2", "text": \n'
        b"\n"
        b"[1, 2]\n"
        b'{"text": "caf\xe9"}\n'
        b'{"url": "https://a.example/6", "text": "ok too"}\n'
    )
    docs, errors, units = split(list(iter_source(str(path), SourceOptions())))
    assert [d.url for d in docs] == ["https://a.example/1", "https://a.example/6"]
    assert [(e.source, e.kind) for e in errors] == [
        (f"{path}:2", "malformed"),
        (f"{path}:4", "malformed"),
        (f"{path}:5", "decode"),
    ]
    assert errors[0].reason.startswith("line 2 is not valid JSON")
    assert "JSON list, not an object" in errors[1].reason
    assert len(units) == 1


def test_jsonl_oversized_line(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "big.jsonl", [{"text": "x" * 5000}, {"text": "small"}])
    docs, errors, _ = split(list(iter_source(str(path), SourceOptions(max_bytes=1000))))
    assert [d.fields["text"] for d in docs] == ["small"]
    assert len(errors) == 1 and errors[0].kind == "too-large" and "line 1" in errors[0].reason


def test_jsonl_gzip_and_truncated_gzip(tmp_path: Path) -> None:
    rows = [{"url": f"https://a.example/{i}", "text": f"text {i} " * 200} for i in range(50)]
    good = jsonl(tmp_path / "rows.jsonl.gz", rows, gz=True)
    docs, errors, _ = split(list(iter_source(str(good), SourceOptions())))
    assert len(docs) == 50 and errors == []
    cut = tmp_path / "cut.jsonl.gz"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    docs, errors, units = split(list(iter_source(str(cut), SourceOptions())))
    assert 0 < len(docs) < 50
    assert [d.url for d in docs] == [f"https://a.example/{i}" for i in range(len(docs))]
    assert errors[-1].kind == "truncated" and "gzip stream truncated" in errors[-1].reason
    assert len(units) == 1


def test_jsonl_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    _, errors, units = split(list(iter_source(str(path), SourceOptions())))
    assert [e.kind for e in errors] == ["empty"] and len(units) == 1


def test_jsonl_custom_field_map(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "custom.jsonl", [{"story_url": "https://c.example/s", "copy": "Body", "title": "T"}])
    options = SourceOptions(field_map={"url": "story_url", "text": "copy"})
    docs, _, _ = split(list(iter_source(str(path), options)))
    assert docs[0].url == "https://c.example/s"
    assert docs[0].fields == {"url": "https://c.example/s", "text": "Body", "title": "T"}


def test_csv_defaults_multiline_fields_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "\ufeffURL,Headline,Article,Authors,Date,Source\n"
        'https://a.example/1,One,"First para\nSecond para",Ann,2024-05-01,a.example\n'
        "https://a.example/2,Two,too,few\n"
        "https://a.example/3,Three,Text three,Bo,2024-05-03,a.example\n",
        encoding="utf-8",
    )
    docs, errors, units = split(list(iter_source(str(path), SourceOptions())))
    assert [d.url for d in docs] == ["https://a.example/1", "https://a.example/3"]
    assert docs[0].fields["text"] == "First para\nSecond para"
    assert (
        docs[0].fields["title"] == "One" and docs[0].fields["author"] == "Ann" and docs[0].fields["site"] == "a.example"
    )
    assert docs[0].source == f"{path}:2" and docs[1].source == f"{path}:5"  # the quoted newline spans lines 2-3
    assert docs[0].ingest_source == "csv"
    assert len(errors) == 1 and errors[0].kind == "malformed"
    assert errors[0].reason == "line 4 has 4 fields, the header has 6"
    assert len(units) == 1


def test_csv_legacy_encodings(tmp_path: Path) -> None:
    path = tmp_path / "ru.csv"
    path.write_bytes(
        "url,title,text\nhttps://r.example/1,Новости,Президент заявил что переговоры идут\n".encode("cp1251")
    )
    docs, errors, _ = split(list(iter_source(str(path), SourceOptions())))
    assert errors == [] and docs[0].fields["title"] == "Новости"


def test_csv_latin1_and_custom_map(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("adresse,titre,texte\nhttps://f.example/1,Été,Le café était fermé\n".encode("latin-1"))
    options = SourceOptions(field_map={"url": "adresse", "title": "titre", "text": "texte"})
    docs, errors, _ = split(list(iter_source(str(path), options)))
    assert errors == []
    assert docs[0].fields == {"url": "https://f.example/1", "title": "Été", "text": "Le café était fermé"}


def test_csv_semicolons_and_tabs(tmp_path: Path) -> None:
    semi = tmp_path / "semi.csv"
    semi.write_text('url;title;text\nhttps://s.example/1;"One; two";Body\n')
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("url\ttitle\ttext\nhttps://s.example/2\tTab, title\tBody\n")
    (semi_doc,), _, _ = split(list(iter_source(str(semi), SourceOptions())))
    (tab_doc,), _, _ = split(list(iter_source(str(tabs), SourceOptions())))
    assert semi_doc.fields == {"url": "https://s.example/1", "title": "One; two", "text": "Body"}
    assert tab_doc.fields == {"url": "https://s.example/2", "title": "Tab, title", "text": "Body"}


def test_csv_header_only_and_empty(tmp_path: Path) -> None:
    header_only = tmp_path / "h.csv"
    header_only.write_text("url,title\n")
    empty = tmp_path / "e.csv"
    empty.write_text("")
    _, errors_h, _ = split(list(iter_source(str(header_only), SourceOptions())))
    _, errors_e, _ = split(list(iter_source(str(empty), SourceOptions())))
    assert [e.reason for e in errors_h] == ["no rows under the header"]
    assert [e.reason for e in errors_e] == ["file is empty"]


def test_records_resume_and_folder(tmp_path: Path) -> None:
    a = jsonl(tmp_path / "a.jsonl", [{"text": "a"}])
    (tmp_path / "sub").mkdir()
    jsonl(tmp_path / "sub" / "b.jsonl", [{"text": "b"}])
    items = list(iter_source(str(tmp_path), SourceOptions(), kind="jsonl"))
    docs, _, units = split(items)
    assert [d.fields["text"] for d in docs] == ["a", "b"]
    done = {u.source: u.signature for u in units}
    assert list(iter_source(str(a), SourceOptions(), done=done)) == []
