"""The synthetic corpus: determinism, truth that agrees with the pages, coverage of every credit form,
edit and sourcing kind, WARC/JSONL outputs, the CLI, and recovery through ingestion."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from typer.testing import CliRunner

from newstrace.synth import CREDIT_FORMS, EDIT_KINDS, SITE_KINDS, SOURCING_KINDS, SynthConfig, default_sites, generate
from newstrace.synth.text import Para, Seg, layout
from newstrace.synth.truth import passages

N = 400


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    generate(SynthConfig(articles=N, seed=11, warc=True, jsonl=True), out)
    return out


@pytest.fixture(scope="module")
def truth(corpus: Path) -> list[dict[str, Any]]:
    with open(corpus / "truth.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def by_url(truth: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in truth}


def html_path(corpus: Path, rec: dict[str, Any]) -> Path:
    last = [p for p in rec["url"].split("/") if p][-1]
    return corpus / "html" / rec["site"] / (last.removesuffix(".html") + ".html")


def page(corpus: Path, rec: dict[str, Any]) -> Any:
    return lxml.html.fromstring(html_path(corpus, rec).read_bytes())


def body_paragraphs(doc: Any) -> list[str]:
    (body,) = doc.xpath('//*[@itemprop="articleBody"]')
    return [" ".join(p.text_content().split()) for p in body.xpath("./p")]


def tokens(text: str) -> list[str]:
    """Words, or character bigrams for text without spaces (Chinese)."""
    if " " not in text.strip() and len(text) > 3:
        return [text[i:i + 2] for i in range(len(text) - 1)]
    return re.findall(r"\w+", text.lower())


def overlap(a: str, b: str) -> float:
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    return sum((ta & tb).values()) / max(1, max(sum(ta.values()), sum(tb.values())))


def containment(a: str, b: str) -> float:
    """Share of `a`'s words (or bigrams) that `b` has too."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    return sum((ta & tb).values()) / max(1, sum(ta.values()))


def all_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- determinism ----------------------------------------------------------------------------------

def test_same_seed_gives_identical_files_and_other_seed_differs(tmp_path: Path) -> None:
    cfg = SynthConfig(articles=80, seed=5, warc=True, jsonl=True)
    generate(cfg, tmp_path / "a")
    generate(cfg, tmp_path / "b")
    a, b = all_files(tmp_path / "a"), all_files(tmp_path / "b")
    assert a.keys() == b.keys()
    assert "corpus.warc.gz" in a and "truth.jsonl" in a
    assert [k for k in a if a[k] != b[k]] == []
    generate(SynthConfig(articles=80, seed=6, warc=True, jsonl=True), tmp_path / "c")
    assert (tmp_path / "c" / "truth.jsonl").read_bytes() != a["truth.jsonl"]


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = ("import sys; from newstrace.synth import SynthConfig, generate; "
            "generate(SynthConfig(articles=60, seed=8, warc=True), sys.argv[1])")
    for name, hashseed in (("a", "1"), ("b", "99")):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": hashseed})
    assert all_files(tmp_path / "a") == all_files(tmp_path / "b")


def test_article_count_is_exact_and_urls_unique(truth: list[dict[str, Any]], corpus: Path) -> None:
    assert len(truth) == N
    assert len({r["url"] for r in truth}) == N
    assert len(list((corpus / "html").rglob("*.html"))) == N


# -- truth agrees with the pages -------------------------------------------------------------------

def test_truth_text_is_exactly_the_body_paragraphs(corpus: Path, truth: list[dict[str, Any]]) -> None:
    for rec in truth:
        doc = page(corpus, rec)
        assert "\n".join(body_paragraphs(doc)) == rec["text"], rec["url"]
        assert doc.xpath("string(//h1)") == rec["title"]
        assert doc.xpath('string(//meta[@property="og:url"]/@content)') == rec["url"]
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        assert (canonical[0] if canonical else None) == rec["canonical_url"]
        assert rec["site"] == rec["url"].split("/")[2]
        assert html_path(corpus, rec).read_bytes().startswith(b"<!DOCTYPE html>")


def test_pages_declare_the_truth_dates(corpus: Path, truth: list[dict[str, Any]]) -> None:
    sites = {s["domain"]: s for s in json.loads((corpus / "sites.json").read_text(encoding="utf-8"))}
    seen_modes = Counter()
    for rec in truth:
        doc = page(corpus, rec)
        declared = rec["published_page"]
        mode = sites[rec["site"]]["date_mode"]
        times = doc.xpath("//time/@datetime")
        metas = doc.xpath('//meta[@property="article:published_time"]/@content')
        if declared is None:
            assert not times and not metas, rec["url"]
            continue
        seen_modes[mode] += 1
        want = datetime.fromisoformat(declared)
        if mode == "url":
            assert want.strftime("/%Y/%m/%d/") in rec["url"]
        for value in times + metas:
            assert datetime.fromisoformat(value) == want, rec["url"]
        if mode == "jsonld":
            ld = json.loads(doc.xpath('string(//script[@type="application/ld+json"])'))
            assert datetime.fromisoformat(ld["datePublished"]) == want
    assert {"meta", "jsonld", "time"} <= set(seen_modes)
    assert any(r["published_page"] is None for r in truth)


def test_copies_sometimes_predate_their_source_and_canonicals_are_sometimes_wrong(
        truth: list[dict[str, Any]], by_url: dict[str, dict[str, Any]]) -> None:
    early = 0
    for rec in truth:
        for par in rec["parents"]:
            parent = by_url[par["url"]]
            assert rec["published_true"] > parent["published_true"]
            if rec["published_page"] and parent["published_page"] and rec["published_page"] < parent["published_page"]:
                early += 1
    assert early > 0
    wrong = [r for r in truth if r["canonical_url"] and r["canonical_url"] != r["url"]]
    assert wrong and any(r["canonical_url"] is None for r in truth)


def test_passages_point_at_shared_text(truth: list[dict[str, Any]], by_url: dict[str, dict[str, Any]]) -> None:
    checked = verbatim = 0
    for rec in truth:
        text = rec["text"]
        for par in rec["parents"]:
            parent_text = by_url[par["url"]]["text"]
            spans = sorted((p["child_start"], p["child_end"]) for p in par["passages"])
            assert spans, rec["url"]
            for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
                assert e1 <= s2  # passages never overlap in the copy
            for p in par["passages"]:
                assert 0 <= p["child_start"] < p["child_end"] <= len(text)
                assert 0 <= p["parent_start"] < p["parent_end"] <= len(parent_text)
                a = parent_text[p["parent_start"]:p["parent_end"]]
                b = text[p["child_start"]:p["child_end"]]
                assert containment(a, b) >= 0.5 and overlap(a, b) >= 0.25, (rec["url"], a, b)
                for s, e in rec["boilerplate"]:
                    assert e <= p["child_start"] or s >= p["child_end"]
                checked += 1
                if not set(rec["edits"]) & {"reword", "insert", "typo", "quote-trim", "quote-alter", "cut"}:
                    assert a == b
                    verbatim += 1
    assert checked > 50 and verbatim > 5


def test_reordered_copies_have_several_passages(truth: list[dict[str, Any]]) -> None:
    reordered = [r for r in truth if "reorder" in r["edits"]]
    assert reordered
    assert all(len(r["parents"][0]["passages"]) >= 2 for r in reordered)


def test_passage_builder_bridges_an_inserted_sentence_but_not_a_moved_paragraph() -> None:
    s = [Seg(f"Sentence number {i} here.", i) for i in range(1, 7)]
    parent = layout([Para([s[0], s[1]]), Para([s[2], s[3]]), Para([s[4], s[5]])], "en")
    new = Seg("An inserted sentence.", 99)
    child = layout([Para([Seg("Intro added.", 98)]), Para([s[0], new, s[1]]), Para([s[4], s[5]]),
                    Para([s[2], s[3]])], "en")
    got = passages(child, parent)
    assert [(child.text[p["child_start"]:p["child_end"]], parent.text[p["parent_start"]:p["parent_end"]])
            for p in got] == [
        ("Sentence number 1 here. An inserted sentence. Sentence number 2 here.",
         "Sentence number 1 here. Sentence number 2 here."),
        ("Sentence number 5 here. Sentence number 6 here.", "Sentence number 5 here. Sentence number 6 here."),
        ("Sentence number 3 here. Sentence number 4 here.", "Sentence number 3 here. Sentence number 4 here."),
    ]
    whole = layout([Para([s[0], s[1]]), Para([s[2], s[3]])], "en")
    assert passages(whole, parent) == [{"parent_start": 0, "parent_end": len(whole.text), "child_start": 0,
                                        "child_end": len(whole.text)}]


def test_boilerplate_ranges_are_recurring_site_paragraphs(truth: list[dict[str, Any]]) -> None:
    per_site: dict[str, Counter[str]] = {}
    counts = Counter(r["site"] for r in truth)
    for rec in truth:
        for s, e in rec["boilerplate"]:
            chunk = rec["text"][s:e]
            assert chunk and "\n" not in chunk
            assert (s == 0 or rec["text"][s - 1] == "\n") and (e == len(rec["text"]) or rec["text"][e] == "\n")
            per_site.setdefault(rec["site"], Counter())[chunk] += 1
    assert per_site
    for site, chunks in per_site.items():
        assert all(n == counts[site] for n in chunks.values()), site  # on every page of the site
    assert any("languages" in c for chunks in per_site.values() for c in chunks)


def test_quotes_point_at_their_content(truth: list[dict[str, Any]]) -> None:
    kinds = Counter()
    cues = Counter()
    pronoun_refs = title_refs = reported = 0
    for rec in truth:
        text = rec["text"]
        for q in rec["quotes"]:
            assert 0 <= q["start"] < q["end"] <= len(text)
            content = text[q["start"]:q["end"]]
            assert content.strip() == content and "\n" not in content
            assert q["kind"] in SOURCING_KINDS
            kinds[q["kind"]] += 1
            cues[q["cue"]] += 1
            line = text[text.rfind("\n", 0, q["start"]) + 1:]
            if rec["language"] == "en" and q["direct"] and q["kind"] != "social-media":
                assert text[q["start"] - 1] == "“", (rec["url"], content)
            if rec["language"] == "en" and q["kind"] == "named-person":
                after = text[q["end"]:q["end"] + 30]
                pronoun_refs += bool(re.match(r",” (she|he) \w+\.", after))
                title_refs += bool(re.match(r", the [a-z ]+ \w+\.", after))
                reported += (not q["direct"]) and f"{q['speaker']}, " in line
    assert set(kinds) == set(SOURCING_KINDS)
    assert {"said", "stressed", "explained", "warned", "according to"} <= set(cues)
    assert pronoun_refs and title_refs and reported


def test_every_credit_form_edit_kind_and_credit_class_occurs(truth: list[dict[str, Any]]) -> None:
    forms = Counter(c["form"] for r in truth for c in r["credits"])
    assert set(forms) == set(CREDIT_FORMS)
    edits = Counter(e for r in truth for e in r["edits"])
    assert set(edits) == set(EDIT_KINDS)
    classes = Counter(r["credit_class"] for r in truth)
    assert set(classes) == {"origin", "credited", "intermediary", "uncredited"}
    copies = N - classes["origin"]
    assert 0.2 < copies / N < 0.6  # 35% expected; one large story moves a small corpus a lot
    assert {r["language"] for r in truth} == {"en", "ru", "zh"}
    assert any(r["translated_from"] for r in truth)
    assert max(Counter(r["story"] for r in truth).values()) >= 5  # some stories spread widely


def test_credit_classes_follow_the_definition(corpus: Path, truth: list[dict[str, Any]],
                                              by_url: dict[str, dict[str, Any]]) -> None:
    """Recompute each class from the shown credits and the chain of sources, and check credits are visible."""
    names = {s["domain"]: s["name"] for s in json.loads((corpus / "sites.json").read_text(encoding="utf-8"))}
    for rec in truth:
        src = rec["parents"][0]["url"] if rec["parents"] else rec["translated_from"]
        if src is None:
            assert rec["credit_class"] == "origin" and not rec["edits"]
            continue
        chain = []
        while src is not None:
            s = by_url[src]
            chain.append(s["site"])
            src = s["parents"][0]["url"] if s["parents"] else s["translated_from"]
        named = {c["names_site"] for c in rec["credits"]}
        want = "credited" if chain[-1] in named else "intermediary" if named & set(chain[:-1]) else "uncredited"
        assert rec["credit_class"] == want, rec["url"]
        doc = page(corpus, rec)
        hrefs = set(doc.xpath('//*[@itemprop="articleBody"]//a/@href'))
        for c in rec["credits"]:
            assert c["names_site"] != rec["site"]
            assert names[c["names_site"]] in rec["text"]
            if c["names_url"]:
                assert c["names_url"] in hrefs and c["names_url"] in by_url


def test_intermediary_names_a_middle_site_only(truth: list[dict[str, Any]], by_url: dict[str, dict[str, Any]]) -> None:
    inter = [r for r in truth if r["credit_class"] == "intermediary"]
    assert inter
    for rec in inter:
        parent = by_url[rec["parents"][0]["url"]] if rec["parents"] else by_url[rec["translated_from"]]
        assert parent["credit_class"] != "origin"  # the parent is itself a copy


def test_translations_have_no_passages(truth: list[dict[str, Any]], by_url: dict[str, dict[str, Any]]) -> None:
    for rec in truth:
        if rec["translated_from"]:
            assert rec["parents"] == []
            assert by_url[rec["translated_from"]]["language"] != rec["language"]


def test_chinese_text_has_no_spaces_and_russian_is_cyrillic(truth: list[dict[str, Any]]) -> None:
    zh = [r for r in truth if r["language"] == "zh"]
    ru = [r for r in truth if r["language"] == "ru"]
    assert zh and ru
    for r in zh:  # translations (and their copies) keep the original's Latin-script names
        assert re.search("[\u4e00-\u9fff]{8}", r["text"])
        if r["credit_class"] == "origin":  # no spaces between words (copyright lines aside: "版权所有 © X")
            assert all(" " not in line for line in r["text"].split("\n") if "©" not in line), r["url"]
    assert all(re.search("[а-яё]{3}", r["text"]) for r in ru)


# -- WARC and JSONL ---------------------------------------------------------------------------------

def test_warc_and_jsonl_agree_with_truth(corpus: Path, truth: list[dict[str, Any]]) -> None:
    from warcio.archiveiterator import ArchiveIterator

    by = {r["url"]: r for r in truth}
    seen = []
    with open(corpus / "corpus.warc.gz", "rb") as fh:
        for record in ArchiveIterator(fh):
            assert record.rec_type == "response"
            url = record.rec_headers.get_header("WARC-Target-URI")
            assert record.rec_headers.get_header("WARC-Date")
            assert record.content_stream().read() == html_path(corpus, by[url]).read_bytes()
            seen.append(url)
    assert seen == [r["url"] for r in truth]
    with open(corpus / "corpus.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    assert [r["url"] for r in rows] == [r["url"] for r in truth]
    for row in rows:
        rec = by[row["url"]]
        assert (row["title"], row["text"], row["date"], row["site"], row["language"]) == (
            rec["title"], rec["text"], rec["published_page"], rec["site"], rec["language"])
        assert row["author"] == (", ".join(rec["authors"]) or None)


# -- config and CLI ---------------------------------------------------------------------------------

def test_bad_config_gives_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        generate(SynthConfig(articles=10, languages=("en", "xx")), tmp_path / "a")
    with pytest.raises(ValueError, match="too few"):
        generate(SynthConfig(articles=10, sites=5), tmp_path / "b")
    with pytest.raises(ValueError, match="copy-share"):
        generate(SynthConfig(articles=10, copy_share=1.5), tmp_path / "c")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x").write_text("x")
    with pytest.raises(FileExistsError):
        generate(SynthConfig(articles=10), tmp_path / "d")
    assert default_sites(200) < default_sites(10_000) < default_sites(1_000_000) <= 600


def test_knobs_change_the_mix(tmp_path: Path) -> None:
    generate(SynthConfig(articles=150, seed=2, copy_share=0.0, languages=("en",)), tmp_path / "a")
    recs = [json.loads(x) for x in (tmp_path / "a" / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["credit_class"] == "origin" for r in recs) and {r["language"] for r in recs} == {"en"}
    generate(SynthConfig(articles=300, seed=2, copy_share=0.5, edit_intensity=0.0, credit_rate=0.0,
                         languages=("en",)), tmp_path / "b")
    recs = [json.loads(x) for x in (tmp_path / "b" / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    copies = [r for r in recs if r["parents"]]
    assert len(copies) > 60 and all(r["edits"] == [] for r in copies)
    assert all(c["form"] == "dateline" for r in copies for c in r["credits"])  # only inherited datelines
    sites = json.loads((tmp_path / "b" / "sites.json").read_text(encoding="utf-8"))
    assert {s["kind"] for s in sites} == set(SITE_KINDS)


def test_cli_writes_a_corpus_and_rejects_bad_options(tmp_path: Path) -> None:
    from newstrace.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["synth", str(tmp_path / "c"), "--articles", "40", "--seed", "3", "--jsonl",
                              "--languages", "en,ru"])
    assert res.exit_code == 0, res.output
    assert "wrote 40 articles" in res.output
    assert len((tmp_path / "c" / "truth.jsonl").read_text(encoding="utf-8").splitlines()) == 40
    assert (tmp_path / "c" / "corpus.jsonl").exists() and not (tmp_path / "c" / "corpus.warc.gz").exists()
    res = runner.invoke(app, ["synth", str(tmp_path / "d"), "--articles", "10", "--languages", "en,xx", "--quiet"])
    assert res.exit_code == 2 and "unsupported language" in res.output


# -- ingestion recovers the corpus -------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "source"), [("html", "html"), ("warc", "corpus.warc.gz"), ("jsonl", "corpus.jsonl")])
def test_ingesting_a_generated_corpus_recovers_every_article(tmp_path: Path, kind: str, source: str) -> None:
    ingest_mod = pytest.importorskip("newstrace.ingest")
    from newstrace.sources import SourceOptions
    from newstrace.store import Store

    out = tmp_path / "corpus"
    generate(SynthConfig(articles=60, seed=4, warc=kind == "warc", jsonl=kind == "jsonl"), out)
    recs = [json.loads(x) for x in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(r["canonical_url"] and r["canonical_url"] != r["url"] for r in recs)  # og:url must win
    assert any(r["published_page"] is None for r in recs) and any(r["parents"] for r in recs)
    store = Store(str(tmp_path / "t.db"))
    report = ingest_mod.ingest([str(out / source)], store, SourceOptions(), kind=kind)
    assert report.errors == [] and report.new == len(recs)
    for rec in recs:
        art = store.find_article(rec["url"])
        assert art is not None, rec["url"]
        assert (art.url, art.site, art.title) == (rec["url"], rec["site"], rec["title"])
        if rec["published_page"] is not None:
            want = datetime.fromisoformat(rec["published_page"])
            assert art.published is not None and art.published.replace(tzinfo=art.published.tzinfo or want.tzinfo) \
                == want, rec["url"]
        assert art.text == rec["text"], rec["url"]
