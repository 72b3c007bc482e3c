"""Sites' habit of starting stories, learnt by the store runner: from a first set of trees of the stories it
redoes, and from the stored trees of the stories it keeps (an incremental run)."""

from __future__ import annotations

from datetime import UTC, datetime

from newstrace.models import Article, AttributionStatement
from newstrace.provenance._naive_reuse import align_all
from newstrace.provenance.evidence import DateReliability
from newstrace.provenance.lede import LedeReliability
from newstrace.provenance.runner import StoreReuseReader, _learn_origins, update_provenance
from newstrace.provenance.trees import TreeOptions
from newstrace.store import Store

BODY = [
    "The city council voted on Tuesday to close the old swimming baths on the river front at the end of the year.",
    "Councillors said the building needed repairs costing more than four million and could no longer stay open.",
    "Campaigners who have fought to save the baths for a decade said they would take the decision to the courts.",
]
INTRO = "We have been warning about this for years, and now the council has finally shown its real intentions here."


def _art(url: str, site: str, paragraphs: list[str], day: int, credits: list[str] | None = None) -> Article:
    return Article(url=url, title=f"Baths {day}", paragraphs=paragraphs, site=site, site_name=site.split(".")[0],
                   published=datetime(2024, 5, day, 8, tzinfo=UTC), published_source="metadata",
                   attributions=[AttributionStatement("source", f"Source: {c}", c) for c in credits or []])


def test_the_runner_counts_story_starts_from_redone_and_kept_stories(tmp_path):
    store = Store(tmp_path / "t.db")
    try:
        arts = [_art("https://localnews.example/baths", "localnews.example", BODY, 1),
                _art("https://angryblog.example/p/1", "angryblog.example", [INTRO, *BODY], 2, ["localnews"])]
        store.write_articles(arts)
        stored = store.get_articles([a.id for a in arts])
        pairs, passages = align_all(stored)
        store.write_reuse({a.id: [] for a in stored}, pairs, passages, redo=[], state={})
        rep = update_provenance(store)
        assert rep.stories == 1 and rep.errors == []
        kept = set(store.story_signatures())
        habits = (None, DateReliability(), LedeReliability())
        want = {"localnews.example": (1, 0), "angryblog.example": (0, 1)}
        # the kept story, read back from the store
        assert _learn_origins(store, StoreReuseReader(store), [], kept, TreeOptions(), habits) == want
        # the same story about to be redone: its first tree
        comp = {a.id for a in stored}
        assert _learn_origins(store, StoreReuseReader(store), [(comp, pairs, "sig")], set(), TreeOptions(),
                              habits) == want
    finally:
        store.close()
