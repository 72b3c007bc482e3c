"""The local runner with a store: incremental runs equal a rebuild, re-runs do nothing, boilerplate re-marking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newstrace.models import Article
from newstrace.reuse.params import ReuseParams
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store
from test_reuse_fixtures import FOOTER, SHARE, story


def _art(site: str, slug: str, paragraphs: list[str]) -> Article:
    return Article(url=f"https://{site}/{slug}", title=slug, paragraphs=paragraphs, site=site)


def _corpus() -> tuple[list[Article], list[Article]]:
    """A first batch and a later batch; the later one copies from the first and from itself."""
    w1, w2, w3 = story(1), story(2), story(3)
    first = [_art("blog.example", f"p{k}", story(100 + k, 3) + [FOOTER, SHARE]) for k in range(12)]
    first += [
        _art("wire.example", "w1", w1),
        _art("wire.example", "w2", w2),
        _art("daily.example", "d1", story(50, 2) + w1[1:4]),
    ]
    later = [
        _art("blog.example", "copy", story(60, 2) + w1[2:5] + [FOOTER, SHARE]),
        _art("other.example", "o1", w2[:3] + story(61, 1)),
        _art("wire.example", "w3", w3),
        _art("other.example", "o2", story(62, 1) + w3[1:5]),
    ]
    return first, later


def _snapshot(store: Store) -> tuple[list, list, dict]:
    pairs = sorted((p.a_id, p.b_id, p.passages, p.shared_words, p.coverage_a, p.coverage_b) for p in store.all_pairs())
    ids = [i for i, _ in store.reuse_article_refs()]
    passages = sorted((p.a_id, p.b_id, p.a_start, p.a_end, p.b_start, p.b_end)
                      for i in ids for p in store.passages_for(i) if p.a_id < p.b_id)
    return pairs, passages, store.boilerplate_ranges(ids)


def _rebuilt(tmp_path: Path, arts: list[Article]) -> Store:
    """The same articles (fresh copies) in a new store, indexed in one step: what incremental runs must equal."""
    full = Store(tmp_path / "y.db")
    full.write_articles([_art(a.site, a.url.rsplit("/", 1)[1], a.paragraphs) for a in arts])
    run_reuse(full, workers=1)
    return full


def test_incremental_equals_rebuild_and_reruns_do_nothing(tmp_path: Path) -> None:
    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first)
    r1 = run_reuse(store, workers=1)
    assert r1.new_articles == 15 and r1.pairs == 1  # w1-d1 only: the blog pages share nothing but boilerplate
    before = _snapshot(store)
    again = run_reuse(store, workers=1)
    assert again.noop and again.new_articles == 0 and again.candidates == 0
    assert _snapshot(store) == before

    store.write_articles(later)
    r2 = run_reuse(store, workers=1)
    assert r2.new_articles == 4
    # only pairs involving a new article were computed
    new_ids = {a.id for a in later}
    assert r2.pairs == sum(1 for p in store.all_pairs() if {p.a_id, p.b_id} & new_ids)
    incremental = _snapshot(store)

    full = _rebuilt(tmp_path, first + later)
    assert _snapshot(full) == incremental
    assert run_reuse(full, workers=1, rebuild=True).new_articles == 19
    assert _snapshot(full) == incremental
    store.close()
    full.close()


def test_pairs_found_and_read_back(tmp_path: Path) -> None:
    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first + later)
    report = run_reuse(store, workers=2)
    ids = {a.url.rsplit("/", 1)[1]: a.id for a in first + later}
    got = {(p.a_id, p.b_id) for p in store.all_pairs()}
    expect = {(ids["w1"], ids["d1"]), (ids["w1"], ids["copy"]), (ids["d1"], ids["copy"]),
              (ids["w2"], ids["o1"]), (ids["w3"], ids["o2"])}
    assert got == expect and report.pairs == 5
    # footer and share line are boilerplate on every blog page, and never pair blog pages
    bp = store.boilerplate_ranges([ids["copy"], ids["p0"]])
    for key in ("copy", "p0"):
        art = store.get_article(ids[key])
        assert art is not None
        marked = "".join(art.text[s:e] for s, e in bp[ids[key]])
        assert FOOTER in marked and SHARE in marked
    # passages oriented to the first argument
    ps = store.passages_between(ids["copy"], ids["w1"])
    w1 = store.get_article(ids["w1"])
    cp = store.get_article(ids["copy"])
    assert w1 is not None and cp is not None
    assert len(ps) == 1 and ps[0].a_id == ids["copy"]
    assert cp.text[ps[0].a_start:ps[0].a_end] == w1.text[ps[0].b_start:ps[0].b_end]
    pair = store.pair(ids["copy"], ids["w1"])
    assert pair is not None and pair.coverage_b > 0.45
    stats = store.reuse_stats()
    assert stats["pairs"] == 5 and stats["articles_with_reuse"] == 7 and stats["articles_with_boilerplate"] >= 13
    shared = store.text_shared_with(ids["w1"])
    assert sorted(c["article_id"] for c in shared) == sorted([ids["d1"], ids["copy"]])
    assert all(0 < c["coverage_this"] <= 1 and c["site"] for c in shared)
    store.close()


def test_growing_site_remarks_older_articles(tmp_path: Path) -> None:
    """A footer on 2 pages is not boilerplate; once on 6 pages it is, and the first two are redone."""
    store = Store(tmp_path / "x.db")
    tag = "Our reporters can be reached by email at the desk address listed on the contact page."
    wire = story(9)
    early = [_art("site.example", f"e{k}", story(200 + k, 3) + [tag]) for k in range(2)]
    early.append(_art("wire.example", "w", wire))
    early.append(_art("site.example", "c", wire[:3]))
    store.write_articles(early)
    run_reuse(store, workers=1)
    e0 = early[0].id
    assert e0 is not None and store.boilerplate_ranges([e0])[e0] == []
    more = [_art("site.example", f"m{k}", story(300 + k, 3) + [tag]) for k in range(6)]
    store.write_articles(more)
    r = run_reuse(store, workers=1)
    assert r.sites_remarked == ["site.example"] and r.redone_articles == 2
    art = store.get_article(e0)
    assert art is not None
    assert [art.text[s:e] for s, e in store.boilerplate_ranges([e0])[e0]] == [tag]
    # the copy of the wire story is still paired, and the redone pages pair with nothing
    pairs = list(store.all_pairs())
    assert len(pairs) == 1 and pairs[0].coverage_b > 0.99
    # same final state as computing everything at once
    full = _rebuilt(tmp_path, early + more)
    assert _snapshot(full) == _snapshot(store)
    store.close()
    full.close()


def test_redone_articles_are_tombstoned_then_merged_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Redoing old pages leaves the index files alone (their old postings are dead), and a merge drops them."""
    import newstrace.reuse.runner as runner

    store = Store(tmp_path / "x.db")
    tag = "Our reporters can be reached by email at the desk address listed on the contact page."
    early = [_art("site.example", f"e{k}", story(200 + k, 3) + [tag]) for k in range(2)]
    filler = [_art("filler.example", f"f{k}", story(500 + k, 4)) for k in range(12)]  # a first segment larger
    store.write_articles(early + filler)  # than the next steps', so that they are not merged into it
    run_reuse(store, workers=1)
    first_seg = store.reuse_state()["segments"]
    store.write_articles([_art("site.example", f"m{k}", story(300 + k, 3) + [tag]) for k in range(6)])
    r = run_reuse(store, workers=1)
    assert r.redone_articles == 2 and r.merges == 0
    state = store.reuse_state()
    assert state["segments"][:1] == first_seg
    assert state["dead"] == {first_seg[0]: sorted(a.id for a in early)}
    # a page elsewhere carrying the tag would match the early pages' old postings if they were alive
    store.write_articles([_art("other.example", "x", story(400, 2) + [tag])])
    assert run_reuse(store, workers=1).candidates == 0
    monkeypatch.setattr(runner, "MAX_DEAD", 0)
    store.write_articles([_art("other.example", "y", story(401, 2))])
    r = run_reuse(store, workers=1)
    assert r.merges == 1
    state = store.reuse_state()
    assert len(state["segments"]) == 1 and state["dead"] == {}
    h, a = store.reuse_index_segments()[0]
    assert np.all(np.diff(h.astype(np.float64)) >= 0)
    tag_art = store.reuse_article_refs()[-2][0]
    h_tag = set(h[a == tag_art].tolist())
    assert h_tag and not h_tag & set(h[np.isin(a, [x.id for x in early])].tolist())
    store.close()


def test_segments_merge_by_size_tiers() -> None:
    from newstrace.reuse.runner import merge_from

    assert merge_from([7]) == 0  # nothing to merge
    assert merge_from([1, 1]) == 0 and merge_from([2, 1]) == 1 and merge_from([2, 1, 1]) == 0
    assert merge_from([1000, 3]) == 1  # a small step never rewrites the corpus-sized segment
    assert merge_from([1000, 8, 1, 1, 1, 1, 1, 1, 1], cap=8) == 2
    assert merge_from([1000, 500, 250, 125, 60, 30], cap=3) == 2  # the cap wins: at most 3 remain
    # equal chunks: a binary counter, so 40 steps leave few segments and write each posting ~log2(40) times
    sizes: list[int] = []
    written = 0
    for _ in range(40):
        sizes.append(1)
        k = merge_from(sizes)
        if k < len(sizes) - 1:
            sizes[k:] = [sum(sizes[k:])]
        written += sizes[-1]
    assert sorted(sizes, reverse=True) == sizes and sum(sizes) == 40 and len(sizes) <= 3
    assert written <= 40 * 7


def test_changed_parameters_force_a_rebuild(tmp_path: Path) -> None:
    first, _ = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first)
    run_reuse(store, workers=1)
    r = run_reuse(store, ReuseParams(min_words=30), workers=1)
    assert r.rebuilt and r.new_articles == 15
    assert store.reuse_state()["params"] == ReuseParams(min_words=30).key()
    store.close()


def test_index_segments_are_compacted_and_results_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.reuse.runner as runner

    monkeypatch.setattr(runner, "MAX_SEGMENTS", 2)
    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    arts = first + later
    for k in range(0, len(arts), 4):  # five incremental runs
        store.write_articles(arts[k:k + 4])
        run_reuse(store, workers=1)
        assert len(store.reuse_state()["segments"]) <= 2
    full = _rebuilt(tmp_path, arts)
    assert _snapshot(full) == _snapshot(store)
    files = sorted(p.name for p in store.reuse_index_dir().glob("seg-*.npy"))
    assert len(files) == 2 * len(store.reuse_state()["segments"])
    store.close()
    full.close()


def test_an_article_that_fails_analysis_is_reported_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.reuse.runner as runner

    real = runner.analyse

    def flaky(doc, params):  # type: ignore[no-untyped-def]
        if "BROKEN" in doc.text:
            raise ValueError("cannot read this text")
        return real(doc, params)

    def flaky_many(docs, params):  # type: ignore[no-untyped-def]
        if any("BROKEN" in d.text for d in docs):
            raise ValueError("cannot read this batch")
        return real_many(docs, params)

    real_many = runner.analyse_many
    monkeypatch.setattr(runner, "analyse", flaky)
    monkeypatch.setattr(runner, "analyse_many", flaky_many)  # the batch fails, then each article is tried alone
    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first + [_art("bad.example", "b", ["BROKEN text here"])])
    r = run_reuse(store, workers=1)
    assert r.new_articles == 16 and r.pairs == 1
    assert len(r.errors) == 1 and "cannot read this text" in r.errors[0]
    store.close()


def test_deleted_article_is_skipped_by_later_runs(tmp_path: Path) -> None:
    from sqlalchemy import text

    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first)
    run_reuse(store, workers=1)
    w1 = next(a.id for a in first if a.url.endswith("/w1"))
    with store.engine.begin() as conn:  # deleted outside newstrace: its postings stay in the index
        conn.execute(text("DELETE FROM attributions WHERE article_id = :i"), {"i": w1})
        conn.execute(text("DELETE FROM articles WHERE id = :i"), {"i": w1})
    store.write_articles(later)
    r = run_reuse(store, workers=1)
    assert r.new_articles == 4
    assert all(w1 not in (p.a_id, p.b_id) for p in store.all_pairs())
    store.close()


def _synth_articles(tmp_path: Path, n: int) -> list[Article]:
    import json

    from newstrace.synth import SynthConfig, generate

    generate(SynthConfig(articles=n, sites=12, seed=5, html=False), tmp_path / "synth")
    recs = [json.loads(line) for line in (tmp_path / "synth" / "truth.jsonl").open(encoding="utf-8")]
    return [Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"]) for r in recs]


def test_chunked_run_equals_one_step_and_learns_the_same_boilerplate(tmp_path: Path) -> None:
    """Chunks are incremental steps: tiny chunks give the same pairs, passages and boilerplate as one step,
    including the older pages of sites whose footer only became boilerplate in a later chunk."""
    arts = _synth_articles(tmp_path, 240)
    whole = Store(tmp_path / "whole.db")
    whole.write_articles(arts)
    r_whole = run_reuse(whole, workers=1, chunk_size=10**9)
    expected = _snapshot(whole)
    assert r_whole.pairs > 20 and sum(1 for r in expected[2].values() if r) > 100  # pairs and boilerplate to compare

    chunked = Store(tmp_path / "chunked.db")
    chunked.write_articles([Article(url=a.url, title=a.title, paragraphs=a.paragraphs, site=a.site) for a in arts])
    seen: list[tuple[str, int, int]] = []
    r = run_reuse(chunked, workers=1, chunk_size=7, progress=lambda s, d, t: seen.append((s, d, t)))
    assert r.new_articles == 240 and r.redone_articles > 0 and r.sites_remarked  # boilerplate learnt late, redone
    assert ("chunks", 35, 35) in seen
    assert _snapshot(chunked) == expected
    assert run_reuse(chunked, workers=1, chunk_size=7).noop
    whole.close()
    chunked.close()


def test_interrupted_chunked_run_resumes_after_the_last_committed_chunk(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    first, later = _corpus()
    store = Store(tmp_path / "x.db")
    store.write_articles(first + later)
    import newstrace.reuse.runner as runner

    real, calls = runner._step, []

    def dying(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_step", dying)
    with pytest.raises(KeyboardInterrupt):
        run_reuse(store, workers=1, chunk_size=5)
    assert store.reuse_state()["last_article_id"] == sorted(a.id for a in first + later)[9]  # type: ignore[type-var]
    monkeypatch.setattr(runner, "_step", real)
    assert run_reuse(store, workers=1, chunk_size=5).new_articles == 9
    full = _rebuilt(tmp_path, first + later)
    assert _snapshot(full) == _snapshot(store)
    store.close()
    full.close()


def test_chunk_size_must_be_positive(tmp_path: Path) -> None:
    store = Store(tmp_path / "x.db")
    with pytest.raises(ValueError, match="chunk_size"):
        run_reuse(store, chunk_size=0)
    store.close()
