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


def _viral(n: int, wire_at: int) -> list[Article]:
    """A wire report and n-1 copies, each with a credit line the copies share (the wire lacks it) and a paragraph
    of its own; the wire is the earliest page but comes in as the `wire_at`-th article."""
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(1500)]

    def para(k: int = 40) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k)) + "."

    report = [para() for _ in range(4)]
    t0 = datetime(2024, 3, 1, 8, tzinfo=UTC)
    copies = [Article(url=f"https://paper{k}.example/a", title="Minister resigns",
                      paragraphs=[*report, "This report was distributed to subscribers of the Wire news agency.",
                                  para(25)],
                      site=f"paper{k}.example", published=t0 + timedelta(minutes=7 * k), published_source="meta")
              for k in range(1, n)]
    wire = Article(url="https://wire.example/report", title="Minister resigns", paragraphs=report, site="wire.example",
                   published=t0, published_source="meta")
    return copies[:wire_at] + [wire] + copies[wire_at:]


def _run(tmp_path, name: str, options: TreeOptions) -> tuple[Store, dict[int, int | None], int]:
    st = Store(tmp_path / f"{name}.db")
    st.write_articles(_viral(30, 20))
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
