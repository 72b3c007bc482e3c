"""Extraction: decoding, body paragraphs, URLs, dates, language, records, errors, and the AEB quality gate."""

from __future__ import annotations

import html as htmllib
import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newstrace import extract as extract_module
from newstrace.dates import date_from_url, parse_date
from newstrace.extract import ExtractError, decode_html, extract_article
from newstrace.language import detect_language, normalise_language
from newstrace.models import Article, IngestError, RawDocument

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

EN = [
    "The foreign ministry said on Friday that talks on the grain corridor would resume next week in Geneva.",
    "Officials from both delegations met for six hours, according to a statement released after midnight.",
    "The harbour authority reported that forty ships were waiting to enter the port at the weekend.",
    "Farmers in the northern region have asked the government for emergency credit before the winter.",
]
RU = [
    "Министерство иностранных дел России заявило в пятницу, что переговоры продолжатся на следующей неделе.",
    "Представители обеих делегаций встречались шесть часов, говорится в заявлении, опубликованном ночью.",
    "По словам собеседника агентства, решение будет принято до конца месяца, если стороны договорятся.",
]
JA = [
    "外務省は金曜日、穀物回廊をめぐる交渉が来週ジュネーブで再開されると発表した。",
    "両代表団の当局者は六時間にわたって会談したと、深夜に発表された声明で明らかにされた。",
    "港湾当局によると、週末には四十隻の船が入港を待っていたという。",
]
FR = [
    "Le ministère des Affaires étrangères a déclaré vendredi que les négociations reprendraient à Genève.",
    "Les représentants des deux délégations se sont réunis pendant six heures, selon un communiqué publié.",
    "Les agriculteurs de la région du nord ont demandé au gouvernement un crédit d'urgence avant l'hiver.",
]


def page(paragraphs: list[str], title: str = "Talks to resume in Geneva", head: str = "", lang: str = "en",
         charset: str | None = "utf-8", header: str = "", extra_body: str = "") -> str:
    """A plain news page: nav, article with a title and paragraphs, footer."""
    e = htmllib.escape
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{e(title)}</title>{head}</head><body>'
            '<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>'
            f'<main><article><header><h1>{e(title)}</h1>{header}</header>{body}{extra_body}</article></main>'
            '<footer><a href="/about">About us</a> <a href="/privacy">Privacy</a></footer></body></html>')


def run(html: str | bytes, url: str | None = None, source: str = "/tmp/pages/story.html", **kw: object) -> Article:
    data = html.encode("utf-8") if isinstance(html, str) else html
    out = extract_article(RawDocument(source=source, ingest_source="html", url=url, html=data, **kw))  # type: ignore[arg-type]
    assert isinstance(out, Article), out
    return out


def error(html: bytes | None, **kw: object) -> IngestError:
    out = extract_article(RawDocument(source="bad.html", ingest_source="html", html=html, **kw))  # type: ignore[arg-type]
    assert isinstance(out, IngestError), out
    return out


# ----------------------------------------------------------------------------------------------- decoding

@pytest.mark.parametrize(
    ("paragraphs", "codec"),
    [(RU, "cp1251"), (RU, "koi8-r"), (JA, "shift_jis"), (JA, "euc-jp"), (FR, "latin-1"), (FR, "cp1252")],
)
@pytest.mark.parametrize("declare", [True, False])
def test_charsets_with_and_without_meta(paragraphs: list[str], codec: str, declare: bool) -> None:
    text = page(paragraphs, title=paragraphs[0][:30], charset=codec if declare else None)
    assert decode_html(text.encode(codec)) == text


def test_http_charset_is_used_and_utf8_beats_a_default_latin1_label() -> None:
    text = page(RU, charset=None)
    assert decode_html(text.encode("cp1251"), declared="windows-1251") == text
    # servers often label UTF-8 pages ISO-8859-1 by default: real multi-byte UTF-8 wins
    assert decode_html(text.encode("utf-8"), declared="ISO-8859-1") == text
    # an unknown declared label is ignored, not fatal
    assert decode_html(text.encode("utf-8"), declared="x-no-such-charset") == text


def test_declarations_are_followed_without_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    import charset_normalizer

    def no_detection(*args: object, **kwargs: object) -> None:
        raise AssertionError("detection should not be needed")

    monkeypatch.setattr(charset_normalizer, "from_bytes", no_detection)
    text = '<?xml version="1.0" encoding="windows-1251"?>\n' + page(RU[:1], title="Новости", charset=None)
    assert decode_html(text.encode("cp1251")) == text
    text = page(RU[:1], title="Новости", charset="koi8-r")
    assert decode_html(text.encode("koi8-r")) == text
    text = page(RU[:1], title="Новости", charset=None).replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    assert decode_html(text.encode("cp1251")) == text


def test_meta_charset_that_lies_falls_back_to_detection() -> None:
    text = page(RU, charset="utf-8")
    assert decode_html(text.encode("cp1251")) == text


def test_byte_order_marks() -> None:
    text = page(EN, charset=None)
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_html("\ufeff".encode("utf-16-le")[:0] + b"\xff\xfe" + text.encode("utf-16-le")) == text
    with pytest.raises(ExtractError) as err:
        decode_html(b"\xef\xbb\xbf" + b"<p>\xff\xfe\xfa bad</p>")
    assert err.value.kind == "decode"


def test_undecodable_bytes() -> None:
    import random

    rng = random.Random(1)
    noise = bytes(rng.randrange(1, 256) for _ in range(5000))  # no NUL, no magic, no charset fits
    with pytest.raises(ExtractError) as err:
        decode_html(noise)
    assert err.value.kind == "decode"
    assert error(noise).kind == "decode"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
        (b"<html><body>\x00\x00\x00\x01\x02</body></html>", "NUL"),
    ],
)
def test_binary_content_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(ExtractError) as err:
        decode_html(data)
    assert err.value.kind == "binary"
    assert what in err.value.reason
    out = error(data)
    assert out.kind == "binary" and what in out.reason


# ----------------------------------------------------------------------------------------------- body

def test_paragraphs_title_and_text() -> None:
    art = run(page(EN), url="https://news.example.com/world/talks")
    assert art.paragraphs[-4:] == EN
    assert art.text == "\n".join(art.paragraphs)
    assert art.title == "Talks to resume in Geneva"
    assert art.site == "example.com"
    assert art.language == "en"
    assert art.raw_html is not None and art.raw_html.startswith(b"<!DOCTYPE")
    assert art.source == "/tmp/pages/story.html" and art.ingest_source == "html"


def test_whitespace_collapsed_lists_and_headings_are_paragraphs() -> None:
    extra = ("<h2>What   happens\n next</h2><ul><li>The ministry will publish the minutes on Monday.</li>"
             "<li>Delegations   return to  Geneva\n on the tenth.</li></ul>")
    art = run(page([EN[0].replace(" ", "   \n "), *EN[1:]], extra_body=extra))
    assert EN[0] in art.paragraphs
    assert "What happens next" in art.paragraphs
    assert "The ministry will publish the minutes on Monday." in art.paragraphs
    assert "Delegations return to Geneva on the tenth." in art.paragraphs
    assert all(p == " ".join(p.split()) and p for p in art.paragraphs)


def test_keep_html_false_drops_raw_html() -> None:
    out = extract_article(RawDocument(source="a", ingest_source="html", html=page(EN).encode()), keep_html=False)
    assert isinstance(out, Article) and out.raw_html is None


def test_malformed_markup_still_yields_the_text() -> None:
    broken = ("<html><head><title>Broken</title><body><div><article><p>" + EN[0] + "<p>" + EN[1]
              + "</b></i><div><p>" + EN[2] + "<table><tr><td>" + EN[3] + "</article></span></html")
    art = run(broken)
    for para in EN:
        assert para in art.text


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"<html><head><title>x</title></head><body></body></html>",
                                  b"<html><body><nav><a href='/'>Home</a></nav></body></html>"])
def test_empty_pages(data: bytes) -> None:
    out = error(data)
    assert out.kind == "empty"
    assert out.source == "bad.html"


def test_nothing_to_extract() -> None:
    assert error(None).kind == "empty"


def test_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("lxml exploded")

    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", boom)
    out = error(page(EN).encode())
    assert out.kind == "malformed"
    assert "RuntimeError: lxml exploded" in out.reason


def test_caches_are_reset_periodically(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(extract_module, "RESET_EVERY", 2)
    monkeypatch.setattr(extract_module, "_pages_since_reset", 0)
    monkeypatch.setattr(extract_module.trafilatura.meta, "reset_caches", lambda: calls.append(1))
    for _ in range(5):
        run(page(EN))
    assert len(calls) == 2


def test_credits_and_links_are_attached() -> None:
    extra = ('<p>Read <a href="https://mid.ru/en/press/1">the ministry statement</a> in full, or '
             '<a href="https://www.facebook.com/sharer.php?u=x">share it</a>.</p>'
             '<p>The original source of this article is <a href="https://antibellum.com/2021/x">Anti-Bellum</a></p>')
    art = run(page(EN, extra_body=extra), url="https://www.globalresearch.ca/story/1")
    assert "The original source of this article is Anti-Bellum" in art.paragraphs  # credit lines stay in the text
    found = [(s.kind, s.outlet, s.domain) for s in art.attributions]
    assert ("original-source", "Anti-Bellum", "antibellum.com") in found
    assert ("credit-link", "the ministry statement", "mid.ru") in found
    assert not any(d == "facebook.com" for _, _, d in found)


def test_link_dense_credit_lines_are_put_back_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura drops a paragraph that is mostly a link; a credit line must stay in the body."""
    extra = ('<p class="source-credit">via <a href="https://daily-observer.example/2024/03/15/x">The Daily Observer</a>'
             '</p><p class="site-note">Support independent journalism: become a member today.</p>')
    html = page(EN, extra_body=extra)
    art = run(html, url="https://story-feed.example/2024/03/15/y")
    assert art.paragraphs[-2:] == ["via The Daily Observer", "Support independent journalism: become a member today."]
    found = [(s.kind, s.outlet, s.domain) for s in art.attributions]
    assert ("via", "The Daily Observer", "daily-observer.example") in found
    # without the rescue trafilatura loses the line (so this test tests the rescue)
    monkeypatch.setattr(extract_module, "_rescue_credit_lines", lambda tree, paragraphs, links: paragraphs)
    assert "via The Daily Observer" not in run(html).paragraphs
    monkeypatch.undo()
    # a credit-looking line in a sidebar, next to nothing extracted, stays out
    aside = '<aside><p>Source: <a href="https://x.example/a">X News</a></p></aside>'
    sidebar = page(EN).replace("</main>", "</main>" + aside)
    assert "Source: X News" not in run(sidebar).paragraphs


# ----------------------------------------------------------------------------------------------- URLs

def test_source_url_wins() -> None:
    head = ('<meta property="og:url" content="https://b.example.org/og">'
            '<link rel="canonical" href="https://c.example.org/canon">')
    art = run(page(EN, head=head), url="https://a.example.org/fetched")
    assert art.url == "https://a.example.org/fetched"
    assert art.canonical_url == "https://c.example.org/canon"


def test_og_url_beats_a_disagreeing_canonical() -> None:
    head = ('<link rel="canonical" href="https://news.example.org/">'
            '<meta property="og:url" content="https://news.example.org/2024/05/01/story">')
    art = run(page(EN, head=head))
    assert art.url == "https://news.example.org/2024/05/01/story"
    assert art.canonical_url == "https://news.example.org/"  # what the page declares, kept as evidence
    assert art.site == "example.org"


def test_canonical_alone_and_relative() -> None:
    art = run(page(EN, head='<link rel="canonical" href="https://news.example.org/a/b">'))
    assert art.url == art.canonical_url == "https://news.example.org/a/b"
    art = run(page(EN, head='<link rel="canonical" href="/a/c">'), url="https://news.example.org/x?utm=1")
    assert art.canonical_url == "https://news.example.org/a/c"


def test_no_url_at_all_gives_a_file_uri(tmp_path: Path) -> None:
    source = tmp_path / "pages" / "story.html"
    art = run(page(EN), source=str(source))
    assert art.url == source.resolve().as_uri()
    assert art.site == "local"
    assert art.canonical_url is None


# ----------------------------------------------------------------------------------------------- dates

def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("head", "header", "expected"),
    [
        ('<meta property="article:published_time" content="2021-07-22T18:30:00+03:00">', "", _utc(2021, 7, 22, 15, 30)),
        ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-07-22T08:00:00-04:00"}'
         "</script>", "", _utc(2021, 7, 22, 12)),
        ('<meta itemprop="datePublished" content="2021-07-20">', "", _utc(2021, 7, 20)),
        ("", '<time datetime="2021-07-19T23:15:00+08:00">19 July</time>', _utc(2021, 7, 19, 15, 15)),
        ('<meta name="pubdate" content="Tue, 20 Jul 2021 10:00:00 EST">', "", _utc(2021, 7, 20, 15)),
    ],
)
def test_metadata_dates_keep_offsets_and_convert_to_utc(head: str, header: str, expected: datetime) -> None:
    art = run(page(EN, head=head, header=header), url="https://news.example.org/world/story")
    assert art.published == expected
    assert art.published_source == "metadata"


def test_published_time_beats_modified_and_jsonld_order() -> None:
    head = ('<meta property="article:modified_time" content="2021-08-01T00:00:00Z">'
            '<meta property="article:published_time" content="2021-07-01T00:00:00Z">'
            '<script type="application/ld+json">{"datePublished":"2021-06-01T00:00:00Z"}</script>')
    assert run(page(EN, head=head)).published == _utc(2021, 7, 1)


def test_date_from_url_when_no_metadata() -> None:
    art = run(page(EN), url="https://news.example.org/2021/07/22/talks-resume")
    assert (art.published, art.published_source) == (_utc(2021, 7, 22), "url")


def test_text_date_only_if_not_after_fetch() -> None:
    body = [*EN, "Published on 12 March 2021 by the news desk."]
    art = run(page(body), url="https://news.example.org/world/talks", fetched_at=_utc(2022, 1, 1))
    assert art.published_source == "text"
    assert art.published == _utc(2021, 3, 12)
    # the same page fetched before that date: htmldate's guess cannot be right, so it is dropped
    art = run(page(body), url="https://news.example.org/world/talks", fetched_at=_utc(2020, 1, 1))
    assert art.published is None and art.published_source is None


def test_a_bare_copyright_year_is_not_a_date() -> None:
    art = run(page([*EN, "© 2021 Example News. All rights reserved."]), url="https://news.example.org/world/talks",
              fetched_at=_utc(2022, 1, 1))
    assert art.published is None


def test_authors_from_metadata_and_bylines() -> None:
    head = '<meta name="author" content="Maria Petrova">'
    assert run(page(EN, head=head)).authors == ["Maria Petrova"]
    header = '<p class="byline">By <a rel="author" href="/authors/ivan">Ivan Sidorov</a></p>'
    assert run(page(EN, header=header)).authors == ["Ivan Sidorov"]
    assert run(page(EN)).authors == []


def test_parse_date_and_url_dates() -> None:
    assert parse_date("2021-07-22T18:30:00+03:00") == _utc(2021, 7, 22, 15, 30)
    assert parse_date("2021-07-22") == _utc(2021, 7, 22)
    assert parse_date("1626978600") == _utc(2021, 7, 22, 18, 30)
    assert parse_date("not a date") is None
    assert parse_date("0001-01-01") is None
    assert parse_date("") is None
    assert date_from_url("https://x.example/2021/07/22/slug") == _utc(2021, 7, 22)
    assert date_from_url("https://x.example/news/2021-07-22-slug") == _utc(2021, 7, 22)
    assert date_from_url("https://x.example/20210722/slug") == _utc(2021, 7, 22)
    assert date_from_url("https://x.example/2021/13/45/slug") is None
    assert date_from_url("https://x.example/world/slug-1200") is None


# ----------------------------------------------------------------------------------------------- language

@pytest.mark.parametrize(
    ("paragraphs", "lang", "declared"),
    [(EN, "en", "en"), (RU, "ru", "en"), (JA, "ja", "en"), (FR, "fr", "fr-FR")],
)
def test_page_language(paragraphs: list[str], lang: str, declared: str) -> None:
    art = run(page(paragraphs, title=paragraphs[0][:20], lang=declared))
    assert art.language == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The president said on Monday that the talks with the union had failed and that he was ready.", "en"),
        ("Президент заявил в понедельник, что переговоры с профсоюзом провалились и что он готов.", "ru"),
        ("Президент заявив у понеділок, що переговори з профспілкою провалилися і що він готовий.", "uk"),
        ("وقال الرئيس يوم الاثنين إن المحادثات مع النقابة قد فشلت وإنه مستعد", "ar"),
        ("صدر نے پیر کو کہا کہ یونین کے ساتھ بات چیت ناکام ہو گئی ہے اور وہ تیار ہیں", "ur"),
        ("总统周一表示，与工会的谈判已经失败，他已做好准备。", "zh"),
        ("Le président a déclaré lundi que les négociations avec le syndicat avaient échoué.", "fr"),
        ("Der Präsident sagte am Montag, dass die Gespräche mit der Gewerkschaft gescheitert seien.", "de"),
        ("El presidente dijo el lunes que las conversaciones con el sindicato habían fracasado.", "es"),
        ("Ο πρόεδρος δήλωσε τη Δευτέρα ότι οι συνομιλίες απέτυχαν.", "el"),
        ("1234 5678", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_normalise_language() -> None:
    assert normalise_language("en-US") == "en"
    assert normalise_language("RU_ru") == "ru"
    assert normalise_language("not a language tag") is None
    assert normalise_language(None) is None


# ----------------------------------------------------------------------------------------------- records

def record(**fields: object) -> Article | IngestError:
    return extract_article(RawDocument(source="export.jsonl:3", ingest_source="jsonl", fields=dict(fields)))


def test_records_become_articles_directly() -> None:
    out = record(url="https://www.tass.com/politics/1", title="  Talks   resume ", text="\n\n".join(EN),
                 author="Ivan Petrov; Maria Ivanova", date="2021-07-22T18:30:00+03:00", language="en-GB",
                 site_name="TASS")
    assert isinstance(out, Article)
    assert out.paragraphs == EN and out.title == "Talks resume"
    assert out.site == "tass.com" and out.url == "https://www.tass.com/politics/1"
    assert out.published == _utc(2021, 7, 22, 15, 30) and out.published_source == "record"
    assert out.authors == ["Ivan Petrov", "Maria Ivanova"]
    assert out.language == "en"
    assert out.ingest_source == "jsonl" and out.source == "export.jsonl:3" and out.raw_html is None


def test_record_paragraph_splits_site_field_and_detected_language() -> None:
    out = record(text="line one of the text\nline   two of the text\n", site="Example-Wire.org", authors=["A", "B"])
    assert isinstance(out, Article)
    assert out.paragraphs == ["line one of the text", "line two of the text"]
    assert out.site == "example-wire.org"
    assert out.url.startswith("file://")
    assert out.authors == ["A", "B"]
    assert out.published is None and out.published_source is None
    out = record(text="\n".join(RU), site="TASS")
    assert isinstance(out, Article) and out.language == "ru"
    assert (out.site, out.site_name) == ("tass", "TASS")
    out = record(text="x y z", site="https://www.Example-Wire.org/feed")
    assert isinstance(out, Article) and out.site == "example-wire.org"


def test_record_with_html_is_extracted_as_html() -> None:
    out = record(url="https://news.example.org/2021/07/22/x", html=page(EN), text="ignored summary")
    assert isinstance(out, Article)
    assert out.paragraphs[-4:] == EN and out.published_source == "url"


def test_record_html_borrows_missing_fields_from_the_record() -> None:
    out = record(url="https://news.example.org/world/x", html=page(EN, title=""), title="From the record",
                 author="Ivan Petrov", date="2021-07-22T10:00:00Z")
    assert isinstance(out, Article)
    assert out.title == "From the record" and out.authors == ["Ivan Petrov"]
    assert (out.published, out.published_source) == (_utc(2021, 7, 22, 10), "record")


def test_record_without_text() -> None:
    out = record(url="https://news.example.org/x", title="only a title", text="  \n ")
    assert isinstance(out, IngestError) and out.kind == "empty"


# ----------------------------------------------------------------------------------------------- corpora

def test_synthetic_corpus_text_dates_and_credits(tmp_path: Path) -> None:
    """Pages from the synthetic generator: body, dates, canonical and credits as its truth states them."""
    synth = pytest.importorskip("newstrace.synth")
    from newstrace.sites import name_matches_site

    synth.generate(synth.SynthConfig(articles=40, seed=11), tmp_path / "c")
    truth = {t["url"]: t for t in map(json.loads, (tmp_path / "c" / "truth.jsonl").read_text().splitlines())}
    arts = [run(p.read_bytes(), source=str(p)) for p in sorted((tmp_path / "c" / "html").rglob("*.html"))]
    by_url = {a.url: a for a in arts}
    assert set(by_url) == set(truth)
    exact = sum(by_url[u].text == t["text"] for u, t in truth.items())
    assert exact >= 0.95 * len(truth)
    for url, t in truth.items():
        a = by_url[url]
        assert a.canonical_url == t["canonical_url"]
        if t["published_page"]:
            assert a.published == datetime.fromisoformat(t["published_page"]), url
        for credit in t["credits"]:
            named = credit["names_site"]
            assert any(s.domain == named or (s.outlet and name_matches_site(s.outlet, named))
                       for s in a.attributions), (url, credit)


def _aeb_metric():
    spec = importlib.util.spec_from_file_location("extract_aeb", REPO / "bench" / "extract_aeb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_metric_matches_the_benchmark_definition() -> None:
    m = _aeb_metric()
    assert m.aggregate([("a b c d e", "a b c d e")]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "accuracy": 1.0}
    tp, fp, fn = m.page_scores("one two three four five", "one two three four six")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)  # shingles: shared 1, predicted-only 1, truth-only 1
    assert m.aggregate([("short text", None)])["f1"] == 0.0


AEB_FLOOR_F1 = 0.945  # measured 0.951 on these 25 pages (0.961 on all 181, docs/bench/extract.md); floors only go up


@pytest.mark.realdata
def test_quality_gate_on_first_aeb_pages() -> None:
    aeb = DATA / "scrapinghub-aeb"
    if not (aeb / "ground-truth.json").exists():
        pytest.skip(f"real data not available: {aeb} is absent (it lives in ../shared beside the repository)")
    m = _aeb_metric()
    pages = m.load_pages(25, aeb)
    scores = m.aggregate([(truth, m.ours(pid, url, html)) for pid, url, html, truth in pages])
    assert scores["f1"] >= AEB_FLOOR_F1, scores
