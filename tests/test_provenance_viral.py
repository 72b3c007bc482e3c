"""A story run by more sites than reuse pairs with each other (`ReuseParams.df_cap`) and than provenance weighs
as sources per article (`TreeOptions.max_neighbours`): it is still one story, and the wire is its origin."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newstrace.models import Article
from newstrace.provenance.runner import update_provenance
from newstrace.provenance.trees import TreeOptions
from newstrace.reuse.params import ReuseParams
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store


def _viral(n: int, wire_at: int, shared_line: bool = True) -> list[Article]:
    """A wire report and n-1 copies, each with a credit line the copies share (the wire lacks it; none with
    `shared_line` False) and a paragraph of its own; the wire is the earliest page but comes in as the
    `wire_at`-th article."""
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(1500)]

    def para(k: int = 40) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k)) + "."

    report = [para() for _ in range(4)]
    t0 = datetime(2024, 3, 1, 8, tzinfo=UTC)
    copies = [Article(url=f"https://paper{k}.example/a", title="Minister resigns",
                      paragraphs=[*report, *(["This report was distributed to subscribers of the Wire news agency."]
                                             if shared_line else []), para(25)],
                      site=f"paper{k}.example", published=t0 + timedelta(minutes=7 * k), published_source="meta")
              for k in range(1, n)]
    wire = Article(url="https://wire.example/report", title="Minister resigns", paragraphs=report, site="wire.example",
                   published=t0, published_source="meta")
    return copies[:wire_at] + [wire] + copies[wire_at:]


def _run(tmp_path, name: str, options: TreeOptions, shared_line: bool = True
         ) -> tuple[Store, dict[int, int | None], int]:
    st = Store(tmp_path / f"{name}.db")
    st.write_articles(_viral(30, 20, shared_line))
    run_reuse(st, ReuseParams(df_cap=8, df_hubs=3), workers=1)
    update_provenance(st, rebuild=True, options=options)
    with st.engine.connect() as conn:
        from newstrace.store.provenance import story_members
        rows = list(conn.execute(story_members.select()))
    wire = next(a.id for a in st.get_articles([r.article_id for r in rows]) if a.site == "wire.example")
    return st, {r.article_id: r.parent_id for r in rows}, wire


def test_a_story_on_more_sites_than_the_caps_has_the_wire_as_its_origin(tmp_path) -> None:
    st, parent, wire = _run(tmp_path, "viral", TreeOptions(max_neighbours=5, earliest_neighbours=2))
    assert len(parent) == 30  # one story holding every page
    assert parent[wire] is None and sum(p is None for p in parent.values()) == 1
    assert wire in parent.values()  # a copy names it as its source (those sharing the credit line chain on)
    st.close()
    # on shared text alone, the copies (which also share their credit line) crowd the wire out of the sources
    st, parent, wire = _run(tmp_path, "text-only", TreeOptions(max_neighbours=5, earliest_neighbours=0))
    assert parent[wire] is not None
    st.close()


def test_trace_shows_a_few_copies_per_page_and_counts_the_rest(tmp_path) -> None:
    from typer.testing import CliRunner

    from newstrace.cli import app

    st, parent, wire = _run(tmp_path, "trace", TreeOptions(max_neighbours=5, earliest_neighbours=2))
    kids: dict[int, list[int]] = {}
    for a, p in parent.items():
        kids.setdefault(p, []).append(a)
    busiest = max((p for p in kids if p is not None), key=lambda p: len(kids[p]))
    assert len(kids[busiest]) > 3
    last = max(kids[busiest], key=lambda a: st.get_article(a).published)  # the latest: hidden unless highlighted
    db = str(tmp_path / "trace.db")
    st.close()
    runner = CliRunner()
    out = runner.invoke(app, ["--db", db, "trace", str(last), "--max-copies", "3"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    hidden = len(kids[busiest]) - 4  # three shown, and the highlighted one
    assert f"… {hidden} more copies of this page" in out.output
    assert f"#{last} " in out.output or f"#{last}\n" in out.output
    full = runner.invoke(app, ["--db", db, "trace", str(last), "--max-copies", "0"], env={"COLUMNS": "200"})
    assert "more copies of this page" not in full.output
    assert all(f"#{a}" in full.output for a in parent)


def test_copies_paired_with_the_hubs_only_reach_the_wire_through_them(tmp_path) -> None:
    """Past `df_cap`, a copy shares text with the first `df_hubs` pages only, here never the wire (it came in
    20th). Bridged through a hub, the copies hang off the wire they all copied (star: no copy adds shared text)."""
    opts = {"max_neighbours": 5, "earliest_neighbours": 2, "bridge_hub": 10}
    st, parent, wire = _run(tmp_path, "bridged", TreeOptions(**opts), shared_line=False)
    assert parent[wire] is None
    under = [a for a, p in parent.items() if p == wire]
    assert len(under) == 29
    bridged = [c for c in st.copies_of(wire)["as_source"] if any(e["kind"] == "bridge" for e in c["evidence"])]
    assert len(bridged) >= 20 and all(c["coverage"] > 0.5 for c in bridged)
    assert all(st.pair(c["copy_id"], wire) is None for c in bridged)  # reuse never aligned them
    st.close()
    from typer.testing import CliRunner

    from newstrace.cli import app

    one = bridged[0]["copy_id"]
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "bridged.db"), "trace", str(one)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    # the reader sees why a copy hangs off a page it never shared an alignment with; so does the article page
    assert "shared text mapped through #" in " ".join(w for w in out.output.split() if w != "│")
    import asyncio

    import httpx

    from newstrace.web.app import create_app

    async def get() -> str:
        with Store(tmp_path / "bridged.db") as store:
            transport = httpx.ASGITransport(app=create_app(store))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                r = await client.get(f"/articles/{one}")
                assert r.status_code == 200
                cmp = await client.get(f"/compare?a={wire}&b={one}")
                assert cmp.status_code == 200
                return r.text + cmp.text

    page = asyncio.run(get())
    assert "shared text mapped through #" in page
    assert "No passage of their own is stored: their shared text is shown mapped through" in page
    assert 'class="m-shared"' in page.split("<tbody>", 1)[1]  # ...and shows it, not the whole copy as added
    st, parent, wire = _run(tmp_path, "unbridged", TreeOptions(**opts, bridges=0), shared_line=False)
    assert sum(p == wire for p in parent.values()) < 10  # only the copies reuse paired with it
    st.close()


def test_trace_stories_and_the_runner_agree_on_a_bridged_story(tmp_path, monkeypatch) -> None:
    """Bridged passages know no word edits, so variant readings come from the aligned passages alone on both
    paths (the runner reads them from the store; `trace_stories` computes them)."""
    import newstrace.provenance.trees as trees_mod
    from newstrace.provenance.runner import StoreReuseReader
    from newstrace.provenance.trees import trace_stories

    seen: list[tuple[int, int]] = []
    real = trees_mod.Readings

    def spy(texts, passages):
        passages = list(passages)
        seen.extend((p.a_id, p.b_id) for p in passages)
        return real(texts, passages)

    monkeypatch.setattr(trees_mod, "Readings", spy)

    opts = TreeOptions(max_neighbours=5, earliest_neighbours=2, bridge_hub=10)
    st, parent, wire = _run(tmp_path, "agree", opts, shared_line=False)
    reader = StoreReuseReader(st)
    pairs = reader.pairs()
    ids = sorted(parent)
    articles = {a.id: a for a in st.get_articles(ids)}
    trees = trace_stories(articles, pairs, reader.passages([(p.a_id, p.b_id) for p in pairs]),
                          reader.boilerplate(ids), opts)
    assert len(trees) == 1
    assert trees[0].parent == {a: p for a, p in parent.items() if p is not None}
    assert sum(p == wire for p in trees[0].parent.values()) == 29
    stored = {(p.a_id, p.b_id) for p in pairs}
    assert seen and set(seen) <= stored  # no bridged passage reached the readings
    st.close()
