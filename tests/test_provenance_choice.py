"""How sure a copy's source is: its share of the evidence among the candidates, and the other pages it may as well
have been taken from (`provenance.choice`), in the tree, the store, `trace`, the web pages and the exports."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.models import Article
from newstrace.provenance import choice
from newstrace.provenance._naive_reuse import align_all
from newstrace.provenance.choice import source_choices
from newstrace.provenance.runner import update_provenance
from newstrace.provenance.trees import trace_stories
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store
from test_provenance_core import BLOG_INTRO, BODY
from views import flat, web_page

T0 = datetime(2024, 3, 1, 8, tzinfo=UTC)


def _page(aid: int | None, site: str, hours: float, paras: list[str], title: str = "Ships held at port") -> Article:
    return Article(id=aid, url=f"https://{site}/story-{aid or site}", title=title, paragraphs=paras, site=site,
                   published=T0 + timedelta(hours=hours), published_source="metadata")


def _corpus(ids: bool = True) -> list[Article]:
    """An agency report reposted word for word by two sites; a fourth page with the report's text alone (any of the
    three may be its source); a blog adding an intro, and a copy keeping that intro (the blog is its source)."""
    n = iter(range(1, 10)) if ids else iter([None] * 10)
    return [
        _page(next(n), "agency.example", 0, BODY),
        _page(next(n), "mirror-one.example", 2, BODY),
        _page(next(n), "mirror-two.example", 3, BODY),
        _page(next(n), "late.example", 5, BODY[:4]),
        _page(next(n), "blog.example", 4, [BLOG_INTRO, *BODY], "Is the port hiding a scandal?"),
        _page(next(n), "proxy.example", 6, [BLOG_INTRO, *BODY[:3]], "Is the port hiding a scandal?"),
    ]


def test_shares_leave_out_the_copys_descendants_and_the_virtual_root() -> None:
    incoming = {2: {-1: -12.0, 1: 0.0, 3: 0.0}, 3: {-1: -12.0, 1: 0.0, 2: -0.5}, 4: {-1: -12.0, 3: 0.0, 1: -5.0}}
    parent = {2: 1, 3: 2, 4: 3}  # a chain 1 -> 2 -> 3 -> 4
    got = source_choices(parent, incoming, temperature=1.0, calibration=(1.0, 0.0))
    # 2's candidate 3 is its own copy: left out, so 2's source is sure
    assert got[2] == (1.0, [])
    share = 1 / (1 + math.exp(0.5))  # 3: source 2 at -0.5 against 1 at 0.0
    assert got[3][0] == pytest.approx(share, abs=1e-4)
    assert got[3][1] == [(1, pytest.approx(1 - share, abs=1e-4))]
    assert got[4][0] > 0.99 and got[4][1] == []  # 1 holds under 1% of the evidence: no alternative
    sharper = source_choices(parent, incoming, temperature=0.25, calibration=(1.0, 0.0))
    assert sharper[3][0] < got[3][0]  # a lower temperature sharpens the shares (the chosen one was behind here)


def test_at_most_three_alternatives_strongest_first() -> None:
    incoming = {9: {-1: -12.0, **{q: 0.0 for q in range(1, 7)}}}
    share, alts = source_choices({9: 1}, incoming, temperature=1.0, calibration=(1.0, 0.0))[9]
    assert share == pytest.approx(1 / 6, abs=1e-4)
    assert len(alts) == choice.MAX_ALTERNATIVES and [a for a, _ in alts] == [2, 3, 4]


def test_the_chosen_share_is_calibrated_and_the_alternatives_share_the_rest() -> None:
    """A close race's winner is right more often than its raw share says, a runaway winner less often: the share is
    Platt-scaled (`CALIBRATION`), and the alternatives keep their proportions within what is left."""
    assert choice.calibrated(0.5) > 0.6 and choice.calibrated(0.35) > 0.45
    assert 0.99 < choice.calibrated(1.0) < 1.0
    incoming = {4: {-1: -12.0, 1: 0.0, 2: 0.0, 3: -0.2}}
    raw = source_choices({4: 1}, incoming, calibration=(1.0, 0.0))[4]
    share, alts = source_choices({4: 1}, incoming)[4]
    assert share == pytest.approx(choice.calibrated(raw[0]), abs=1e-4)
    assert sum(v for _, v in alts) <= 1 - share + 1e-3
    assert [a for a, _ in alts] == [a for a, _ in raw[1]]  # the same order
    assert alts[0][1] / alts[1][1] == pytest.approx(raw[1][0][1] / raw[1][1][1], rel=1e-2)


def test_a_tie_is_reported_and_a_kept_addition_is_sure() -> None:
    arts = {a.id: a for a in _corpus()}
    pairs, passages = align_all(list(arts.values()))
    (tree,) = trace_stories(arts, pairs, passages)
    copies = {c.copy_id: c for c in tree.copies if tree.parent.get(c.copy_id) == c.source_id}
    late = copies[4]  # the report's text only: the agency and both mirrors explain it alike
    assert late.choice is not None and late.choice < 0.8
    assert {a for a, _ in late.alternatives} | {late.source_id} >= {1, 2, 3} - {late.source_id}
    assert len(late.alternatives) >= 1 and all(s >= choice.MIN_SHARE for _, s in late.alternatives)
    proxy = copies[6]  # keeps the blog's intro: the blog, and nothing else
    assert proxy.source_id == 5 and proxy.alternatives == [] and proxy.choice > 0.9


def test_many_alike_candidates_flag_the_copy_though_none_reaches_an_alternatives_share(tmp_path) -> None:
    """An agency's report reposted word for word by 14 sites, then a page with part of it: any of the 15 may be its
    source, none holds 10% of the evidence, and the copy is still flagged, in memory and in `trace`."""
    arts = [_page(1, "agency.example", 0, BODY)] + [_page(i, f"mirror{i}.example", i, BODY) for i in range(2, 16)]
    arts.append(_page(16, "late.example", 20, BODY[:3]))
    pairs, passages = align_all(arts)
    (tree,) = trace_stories({a.id: a for a in arts}, pairs, passages)
    late = next(c for c in tree.copies if c.copy_id == 16)
    assert late.choice < 0.6 and late.alternatives == [] and choice.doubtful(late.choice)
    db = tmp_path / "v.db"
    with Store(db) as st:
        st.write_articles([_page(None, a.site, (a.published - T0).total_seconds() / 3600, a.paragraphs) for a in arts])
        run_reuse(st, workers=1)
        update_provenance(st)
        late_id = st.find_article("https://late.example/story-late.example").id
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(late_id), "--max-copies", "0"],
                             env={"COLUMNS": "220"})
    assert out.exit_code == 0, out.output
    rest = "the rest is spread over other earlier pages, none with 10%"
    assert f"of the evidence for this source; {rest}" in flat(out.output)
    assert rest in web_page(db, f"/articles/{late_id}")


def test_secondary_sources_carry_no_share() -> None:
    """A round-up's second source explains text its main source lacks: no choice among candidates was made there
    (translations hung by their link carry none either: test_provenance_translations)."""
    from test_provenance_core import OTHER, art, run

    stories, _, _ = run([art(1, "origin.example", BODY, day=1), art(2, "weather.example", OTHER, day=1, hour=8),
                         art(3, "roundup.example", [*BODY[:3], *OTHER], day=2, title="Round-up")])
    (tree,) = stories
    secondary = [c for c in tree.copies if tree.parent.get(c.copy_id) != c.source_id]
    assert [(c.source_id, c.copy_id, c.choice, c.alternatives) for c in secondary] == [(2, 3, None, [])]
    (main,) = [c for c in tree.copies if tree.parent.get(c.copy_id) == c.source_id]
    assert main.choice is not None


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "c.db"
    with Store(path) as st:
        st.write_articles(_corpus(ids=False))
        run_reuse(st, workers=1)
        update_provenance(st)
    return path


def test_the_store_trace_web_and_exports_carry_the_alternatives(db) -> None:
    from newstrace.export import story_graph, story_json

    with Store(db) as st:
        late = st.find_article("https://late.example/story-late.example").id
        agency = st.find_article("https://agency.example/story-agency.example").id
        edge = next(c for c in st.copies_of(late)["as_copy"] if c["main"])
        assert 0 < edge["choice"] < 0.8 and edge["alternatives"]
        alt_id, alt_share = edge["alternatives"][0]
        alt_site = st.get_article(alt_id).site
        story = st.story_tree(st.story_of(late)["id"])
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(late)], env={"COLUMNS": "220"})
    assert out.exit_code == 0, out.output
    text = flat(out.output)
    assert f"source uncertain: {edge['choice']:.0%} of the evidence for this source; also fits #{alt_id} " \
           f"{alt_site} ({alt_share:.0%})" in text
    doubtful = [c for c in story["copies"] if c["main"] and c["choice"] is not None and c["choice"] < choice.SURE]
    assert text.count("source uncertain") == len(doubtful) >= 2
    page = web_page(db, f"/articles/{late}")
    assert "source uncertain" in page and f'<a href="/articles/{alt_id}">#{alt_id} {alt_site}</a>' in page
    assert "source uncertain" not in web_page(db, f"/articles/{agency}")  # the origin has no source to doubt
    story_page = web_page(db, f"/stories/{story['id']}")
    assert f"{len(doubtful)} with an uncertain source" in story_page
    assert json.loads(web_page(db, f"/api/stories/{story['id']}"))["uncertain_sources"] == len(doubtful)
    assert f"source uncertain ({edge['choice']:.0%} of the evidence); also fits" in story_page
    api = json.loads(web_page(db, f"/api/articles/{late}"))
    assert [c["alternatives"] for c in api["sources"] if c["main"]] == [edge["alternatives"]]
    g = story_graph(story)
    assert json.loads(g.edges[edge["source_id"], late]["alternatives"]) == edge["alternatives"]
    assert g.edges[edge["source_id"], late]["choice"] == edge["choice"]
    nodes = []

    def walk(node: dict) -> None:
        nodes.append(node)
        for child in node.get("children", []):
            walk(child)

    for node in story_json(story)["tree"]:
        walk(node)
    assert next(n for n in nodes if n["id"] == late)["copy"]["alternatives"] == edge["alternatives"]


def test_a_store_made_before_source_shares_gains_the_columns(tmp_path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as st, st.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE copies DROP COLUMN choice")
        conn.exec_driver_sql("ALTER TABLE copies DROP COLUMN alternatives")
        conn.exec_driver_sql("DELETE FROM migrations WHERE name = '0203_copies_choice'")
    with Store(db) as st:  # migrations run on open
        st.write_articles(_corpus(ids=False))
        run_reuse(st, workers=1)
        update_provenance(st)
        late = st.find_article("https://late.example/story-late.example").id
        assert next(c for c in st.copies_of(late)["as_copy"] if c["main"])["alternatives"]


def test_the_site_network_counts_copies_with_an_uncertain_source(db) -> None:
    from newstrace.cli.provenance import _copies_cell
    from newstrace.provenance.network import UNCERTAIN

    with Store(db) as st:
        g = st.site_network()
        expected: dict[tuple[str, str], int] = {}
        for (u, v) in g.edges:
            expected[(u, v)] = 0
        for sid in {st.story_of(a.id)["id"] for batch in st.iter_articles() for a in batch}:
            for c in st.story_tree(sid)["copies"]:
                if c["main"] and c["choice"] is not None and c["choice"] < UNCERTAIN:
                    expected[(c["source_site"], c["copy_site"])] += 1
        assert {e: g.edges[e]["uncertain"] for e in g.edges} == expected
        assert expected[("agency.example", "late.example")] == 1 and expected[("blog.example", "proxy.example")] == 0
    out = CliRunner().invoke(app, ["--db", str(db), "sites", "--json"])
    assert out.exit_code == 0, out.output
    rows = {(e["source"], e["copy"]): e for e in json.loads(out.output)}
    assert _copies_cell(rows[("agency.example", "late.example")]) == "1 (1 uncertain)"
    assert _copies_cell(rows[("blog.example", "proxy.example")]) == "1"
    assert _copies_cell({"copies": 5, "translations": 1, "uncertain": 2}) == "5 (1 translated, 2 uncertain)"
    network = web_page(db, "/network?min_articles=1")
    assert "agency.example → late.example: 1 copies (1 with an uncertain source" in network
    assert "1 (1 uncertain)" in web_page(db, "/sites/late.example")
