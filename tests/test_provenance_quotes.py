"""Quote alterations on provenance edges: the pure comparison, the runner, the store and `newstrace trace`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.models import Article
from newstrace.provenance._naive_reuse import align_all
from newstrace.provenance.quote_changes import QUOTE_ALTERED, QUOTE_REATTRIBUTED, change_labels, quote_changes
from newstrace.provenance.runner import update_provenance
from newstrace.quotes.models import Attribution
from newstrace.quotes.runner import update as update_quotes
from newstrace.store import Store

QUOTE = "We will not accept any threat to our borders from anyone, and we are ready to defend them"
ALTERED = "We will never accept any threat to our borders from anyone, and we are ready to defend them"
BODY = [
    "The government announced new measures on Tuesday after a week of tension along the northern frontier region.",
    "Officials said troops had been moved to three border towns and that flights over the area were suspended.",
    "Residents of the towns described long queues at petrol stations and shops running short of bread and water.",
]


def _att(content: str, speaker: str | None = "Anna Weber", direct: bool = True, start: int = 0) -> Attribution:
    return Attribution(start, start + len(content), content, speaker_name=speaker, direct=direct)


def test_one_changed_word_is_an_altered_quote():
    changes = quote_changes(1, [_att(QUOTE)], 2, [_att(ALTERED, start=40)], {(1, 0): 7})
    assert len(changes) == 1
    c = changes[0]
    assert (c["kind"], c["removed"], c["added"], c["quote_id"]) == ("words", ["not"], ["never"], 7)
    assert (c["before"], c["after"]) == (QUOTE, ALTERED)
    assert (c["copy_start"], c["source_start"]) == (40, 0)
    assert change_labels(changes) == [QUOTE_ALTERED]


def test_same_quote_or_unrelated_quote_is_no_change():
    assert quote_changes(1, [_att(QUOTE)], 2, [_att(QUOTE)]) == []
    other = "The harvest this year was the best the farmers of the valley have seen in a generation"
    assert quote_changes(1, [_att(QUOTE)], 2, [_att(other)]) == []


def test_reattribution_and_paraphrase():
    changes = quote_changes(1, [_att(QUOTE)], 2, [_att(QUOTE, speaker="Boris Klein")])
    assert [(c["kind"], c["before"], c["after"]) for c in changes] == [("speaker", "Anna Weber", "Boris Klein")]
    assert change_labels(changes) == [QUOTE_REATTRIBUTED]
    # a quote turned into reported speech is a paraphrase, not an altered quote...
    assert quote_changes(1, [_att(QUOTE)], 2, [_att(ALTERED, direct=False)]) == []
    # ...but words changed in what reported speech attributes to the speaker are
    [c] = quote_changes(1, [_att(QUOTE, direct=False)], 2, [_att(ALTERED, direct=False)])
    assert (c["kind"], c["direct"], c["added"]) == ("words", False, ["never"])


def _art(url: str, site: str, name: str, quote: str, day: int) -> Article:
    paras = [BODY[0], f"“{quote},” Foreign Minister Anna Weber said on Tuesday.", *BODY[1:]]
    return Article(url=url, title="Border measures", paragraphs=paras, site=site, site_name=name,
                   published=datetime(2024, 5, day, 8, tzinfo=UTC), published_source="metadata")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "q.db")
    arts = [_art("https://wire.example/a", "wire.example", "Wire", QUOTE, 1),
            _art("https://copier.example/b", "copier.example", "Copier", ALTERED, 2)]
    s.write_articles(arts)
    stored = s.get_articles([a.id for a in arts])
    pairs, passages = align_all(stored)
    s.write_reuse({a.id: [] for a in stored}, pairs, passages, redo=[], state={})
    yield s
    s.close()


def test_runner_records_altered_quote_and_trace_prints_it(store):
    update_provenance(store)
    edge = store.copies_of(2)["as_copy"][0]
    assert edge["quote_changes"] == [] and "altered quote" not in edge["changed"]  # quotes not read yet

    update_quotes(store)
    rep = update_provenance(store)
    assert rep.recomputed == 1  # reading the quotes changes the story's signature
    edge = store.copies_of(2)["as_copy"][0]
    assert edge["source_id"] == 1 and "altered quote" in edge["changed"]
    [q] = edge["quote_changes"]
    assert (q["kind"], q["removed"], q["added"]) == ("words", ["not"], ["never"])
    assert q["quote_id"] is not None  # the quote trail the alteration belongs to
    assert store.copies_of(1)["as_copy"] == []

    r = CliRunner().invoke(app, ["--db", store.url.removeprefix("sqlite:///"), "trace", "2"])
    assert r.exit_code == 0, r.output
    assert "altered quote" in r.output and "'never'" in r.output


def test_story_page_shows_the_altered_quote_on_the_copy(store):
    httpx = pytest.importorskip("httpx")
    from newstrace.web.app import create_app

    update_quotes(store)
    update_provenance(store)
    sid = store.story_of(2)["id"]

    async def get() -> str:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            r = await client.get(f"/stories/{sid}")
            assert r.status_code == 200
            return r.text

    import asyncio

    page = asyncio.run(get())
    assert "altered quote" in page and "We will never accept" in page and "We will not accept" in page


def test_altered_quotes_in_russian_and_chinese_copies():
    """The Russian and Chinese rule sets feed the same edge comparison; Chinese is compared character by character."""
    from newstrace.quotes import extract_attributions

    ru_src = "«Мы не примем никаких угроз нашим границам», — заявил министр Иван Петров."
    ru_copy = "«Мы никогда не примем угроз нашим границам», — заявил министр Иван Петров."
    [c] = quote_changes(1, extract_attributions(ru_src, "ru"), 2, extract_attributions(ru_copy, "ru"))
    assert (c["kind"], c["removed"], c["added"]) == ("words", ["никаких"], ["никогда"])
    zh_src = "外交部发言人汪文斌表示，局势稳定。\n“我们不会接受任何威胁，”汪文斌表示。"
    zh_copy = "“我们绝不接受任何威胁，”外交部发言人汪文斌表示。"
    [c] = quote_changes(1, extract_attributions(zh_src, "zh"), 2, extract_attributions(zh_copy, "zh"))
    assert (c["kind"], c["removed"], c["added"], c["after"]) == ("words", ["会"], ["绝"], "我们绝不接受任何威胁")
    assert quote_changes(1, extract_attributions(zh_src, "zh"), 2, extract_attributions(zh_src, "zh")) == []
