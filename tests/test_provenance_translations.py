"""Translations: a page in another language whose credit line links a stored page joins that page's story, under it,
and the pages copying the translation come with it ("offered in 51 languages")."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.cli.provenance import _copies_cell
from newstrace.models import Article, ArticlePair, AttributionStatement
from newstrace.provenance import translations
from newstrace.provenance.components import story_components
from newstrace.provenance.network import roles_from_network
from newstrace.provenance.runner import MemoryReuseReader, update_provenance
from newstrace.provenance.trees import trace_stories
from newstrace.reuse.runner import run_reuse
from newstrace.sites import site_of
from newstrace.store import Store
from views import flat, web_page

REPORT = "https://wire.example/2024/03/01/minister-resigns"
T0 = datetime(2024, 3, 1, 8, tzinfo=UTC)



def _words(prefix: str, seed: int) -> Callable[..., str]:
    rng = random.Random(seed)
    vocab = [f"{prefix}{i}" for i in range(2000)]
    return lambda k=40: " ".join(rng.choice(vocab) for _ in range(k)) + "."


def _page(url: str, site: str, lang: str, hours: float, paras: list[str], title: str,
          credits: list[AttributionStatement] = (), name: str | None = None) -> Article:
    return Article(url=url, title=title, paragraphs=paras, site=site, site_name=name, language=lang,
                   published=T0 + timedelta(hours=hours), published_source="meta", attributions=list(credits))


def _corpus(translation_credits: bool = True) -> list[Article]:
    """A wire report and an English copy; a Russian translation linking the report (or crediting nobody), copied by
    three Russian sites: one crediting nobody, one keeping the translation's credit line, one crediting the
    translation."""
    en, ru = _words("w", 1), _words("слово", 2)
    report_body = [en() for _ in range(4)]
    tr_body = [ru() for _ in range(4)]
    src = AttributionStatement("source", "Источник: Wire", outlet="Wire", url=REPORT, domain="wire.example")
    via_vesti = AttributionStatement("source", "Источник: Вести", outlet="Вести", url="https://vesti.example/novosti/1",
                                     domain="vesti.example")
    tr_paras = [*tr_body, "Источник: Wire"] if translation_credits else tr_body
    return [
        _page(REPORT, "wire.example", "en", 0, report_body, "Minister resigns", name="Wire"),
        _page("https://paper.example/a/1", "paper.example", "en", 2, [en(20), *report_body], "Minister resigns"),
        _page("https://vesti.example/novosti/1", "vesti.example", "ru", 3, tr_paras, "Министр ушёл в отставку",
              [src] if translation_credits else [], name="Вести"),
        _page("https://kurier.example/a/2", "kurier.example", "ru", 5, [ru(20), *tr_body], "Министр ушёл"),
        _page("https://zerkalo.example/b/3", "zerkalo.example", "ru", 6, [*tr_body, "Источник: Wire"],
              "Министр ушёл в отставку", [src]),
        _page("https://gazeta.example/c/4", "gazeta.example", "ru", 7, [*tr_body, "Источник: Вести"],
              "Отставка министра", [via_vesti]),
    ]


def _run(tmp_path, arts: list[Article]) -> tuple[Store, dict[str, int]]:
    st = Store(tmp_path / "t.db")
    st.write_articles(arts)
    run_reuse(st, workers=1)
    update_provenance(st)
    return st, {a.url: st.find_article(a.url).id for a in arts}


def _members(st: Store, any_id: int) -> dict[int, dict]:
    story = st.story_of(any_id)
    assert story is not None
    return {m["id"]: m for m in st.story_tree(story["id"])["articles"]}


def test_link_pairs_only_between_languages() -> None:
    targets = [(1, "ru", 2, "en"), (1, "ru", 2, "en"), (3, "en-GB", 2, "en"), (4, None, 2, "en"), (5, "ru", 5, "en"),
               (6, "zh", 7, "EN"), (8, "ru", 9, "en")]
    got = translations.link_pairs(targets)
    assert [(p.a_id, p.b_id) for p in got] == [(1, 2), (6, 7), (8, 9)]  # once each; not en-GB/en, unknown, self
    assert all(translations.is_link(p) for p in got)
    assert not translations.is_link(ArticlePair(8, 9, 2, 40, 0.5, 0.5, 1.0))


def test_a_link_pair_joins_where_a_weak_text_pair_of_the_same_pages_does_not() -> None:
    # the translation keeps three of the report's words: a text pair too small to join a story, and its link
    weak = ArticlePair(1, 2, 1, 3, 0.01, 0.01, 1.0)
    assert story_components([weak]) == []
    assert story_components([weak, *translations.link_pairs([(2, "ru", 1, "en")])]) == [{1, 2}]


def _hang_case(parts: dict[int, list[int]], times: dict[int, int], langs: dict[int, str],
               credits: dict[int, list[int]]) -> tuple[dict[int, int], list[int], translations.Hung]:
    """Trees of text alone (root -> its copies, a star per part) and credit links between them, hung."""
    arts = {i: Article(url=f"https://s{i}.example/p", title=f"T{i}", paragraphs=["x"], site=f"s{i}.example",
                       language=langs[i], published=T0 + timedelta(hours=times[i]), published_source="meta", id=i,
                       attributions=[AttributionStatement("source", "Source", url=f"https://s{j}.example/p")
                                     for j in credits.get(i, [])]) for i in times}
    parent = {c: r for r, cs in parts.items() for c in cs}
    roots = list(parts)
    links = translations.link_pairs((i, langs[i], j, langs[j]) for i, js in credits.items() for j in js)
    from newstrace.provenance.evidence import infer_direction

    hung = translations.hang(parent, roots, links, arts, lambda m: (times[m], m),
                             lambda a, b: infer_direction(a, b))
    return parent, roots, hung


def test_hang_prefers_the_roots_own_credit_and_never_hangs_an_origin_under_a_later_page() -> None:
    langs = {1: "en", 2: "en", 3: "ru", 4: "ru", 5: "ru", 6: "en"}
    # the translation (3) links the report (1); two of its copies link another English page (6): its own line wins
    parent, roots, hung = _hang_case({1: [2], 6: [], 3: [4, 5]}, {1: 0, 2: 1, 6: 1, 3: 3, 4: 4, 5: 5}, langs,
                                     {3: [1], 4: [6], 5: [6]})
    assert parent[3] == 1 and hung[3][:2] == (1, 3)
    # a translation crediting no one comes in through the copy that kept the link
    parent, roots, hung = _hang_case({1: [2], 3: [4, 5]}, {1: 0, 2: 1, 3: 3, 4: 4, 5: 5}, langs, {5: [1]})
    assert parent[3] == 1 and hung[3][:2] == (1, 5) and roots == [1]
    # an English copy (2) crediting the later Russian translation does not make the English origin its copy
    parent, roots, hung = _hang_case({1: [2], 3: [4]}, {1: 0, 2: 1, 3: 3, 4: 4}, langs, {2: [3]})
    assert 1 not in parent and hung == {} and sorted(roots) == [1, 3]
    # once the translation hangs under the origin, the origin's part holds a Russian copy (4) linking an earlier
    # English page (6): no English root is hung under an English page
    parent, roots, hung = _hang_case({1: [2], 6: [], 3: [4]}, {6: -2, 1: 0, 2: 1, 3: 3, 4: 4}, langs, {3: [1], 4: [6]})
    assert parent[3] == 1 and 1 not in parent and 6 not in parent and sorted(roots) == [1, 6]
def test_the_store_resolves_credit_links_as_pages_compare(tmp_path) -> None:
    en = _words("w", 3)
    target = _page("https://www.wire.example/r/1/", "wire.example", "en", 0, [en()], "R")
    canon = _page("https://m.paper.example/x?amp=1", "paper.example", "en", 0, [en()], "P")
    canon.canonical_url = "https://paper.example/x"

    def linking(i: int, url: str, kind: str = "source") -> Article:
        return _page(f"https://ru{i}.example/p", f"ru{i}.example", "ru", 1, [f"слово{i} текст"], f"T{i}",
                     [AttributionStatement(kind, f"Источник {i}", url=url, domain=site_of(url) or None)])

    caps = _page("https://wire.example/News/Story-1", "wire.example", "en", 0, [en()], "C")
    # a page whose canonical URL claims the target's URL: links to that URL still name the target
    claim = _page("https://mirror.example/z", "mirror.example", "en", 2, [en()], "M")
    claim.canonical_url = "https://www.wire.example/r/1/"
    arts = [target, canon, caps, claim, linking(1, "http://wire.example/r/1"), linking(2, "https://paper.example/x/"),
            linking(3, "https://wire.example/r/1", kind="credit-link"), linking(4, "/r/1"),
            linking(5, "https://wire.example/r/1#top"), linking(6, "https://elsewhere.example/r/1"),
            linking(7, "http://www.wire.example/News/Story-1/"), linking(8, "https://wire.example/news/story-1")]
    with Store(tmp_path / "s.db") as st:
        st.write_articles(arts)
        ids = {a.url: a.id for batch in st.iter_articles() for a in batch}  # (find_article also reads canonicals)
        got = sorted(st.credit_link_targets(translations.KINDS))
        t, c = ids[target.url], ids[canon.url]
        ru = {i: ids[f"https://ru{i}.example/p"] for i in range(1, 9)}
        assert got == sorted([(ru[1], "ru", t, "en"), (ru[2], "ru", c, "en"), (ru[5], "ru", t, "en"),
                              (ru[7], "ru", ids[caps.url], "en"), (ru[8], "ru", ids[caps.url], "en")])  # not 3, 4, 6
        assert st.find_linked("http://www.wire.example/News/Story-1/").id == ids[caps.url]  # `trace` reads the same
        assert st.find_linked("https://wire.example/r/1").id == t  # the page at the URL, not the canonical claim
        # every link the scan resolves, `trace` resolves alike: a path in other letters' case (8) included
        for i, url in ((1, "http://wire.example/r/1"), (2, "https://paper.example/x/"), (5, "https://wire.example/r/1#top"),
                       (7, "http://www.wire.example/News/Story-1/"), (8, "https://wire.example/news/story-1")):
            assert st.find_linked(url).id == next(g[2] for g in got if g[0] == ru[i]), url
        assert st.find_linked("https://elsewhere.example/r/1") is None
        stored = {a.id: a for a in st.get_articles(sorted(ids.values()))}
    assert sorted(translations.from_articles(stored)) == got  # in memory, the same links
    with Store(tmp_path / "s2.db") as st:  # letters outside ASCII: SQLite's lower() does not fold them
        st.write_articles([_page("https://wire.example/Новости/Статья-1", "wire.example", "en", 0, [en()], "N")])
        assert st.find_linked("https://wire.example/новости/статья-1").url == "https://wire.example/Новости/Статья-1"


def test_a_translation_joins_the_story_under_the_page_it_links(tmp_path) -> None:
    st, ids = _run(tmp_path, _corpus())
    with st:
        report, paper, vesti = ids[REPORT], ids["https://paper.example/a/1"], ids["https://vesti.example/novosti/1"]
        kurier, zerkalo, gazeta = (ids[u] for u in ("https://kurier.example/a/2", "https://zerkalo.example/b/3",
                                                    "https://gazeta.example/c/4"))
        assert st.pair(report, vesti) is None  # no text aligned across languages
        m = _members(st, kurier)
        assert set(m) == set(ids.values())
        assert st.story_of(kurier)["root_id"] == report
        assert {k: v["parent_id"] for k, v in m.items()} == {report: None, paper: report, vesti: report,
                                                               kurier: vesti, zerkalo: vesti, gazeta: vesti}
        # credit along the chain report -> translation -> copy
        assert m[vesti]["credit"] == "credited"
        assert m[kurier]["credit"] == "uncredited"
        assert m[zerkalo]["credit"] == "credited"  # kept the translation's line naming the wire
        assert m[gazeta]["credit"] == "intermediary"  # names only the translation
        edge = next(c for c in st.copies_of(vesti)["as_copy"] if c["main"])
        assert edge["source_id"] == report and edge["changed"] == ["translated (en → ru)"]
        assert edge["coverage"] == 0 and edge["added"] == [] and edge["removed"] == []
        kinds = {e["kind"] for e in edge["evidence"]}
        assert translations.KIND in kinds and "link" in kinds  # the credit line also decides the direction
        before = update_provenance(st)
        assert before.unchanged == 1 and before.recomputed == 0  # a second run keeps the joined story


def test_a_translation_crediting_nobody_comes_in_through_its_copys_link(tmp_path) -> None:
    st, ids = _run(tmp_path, _corpus(translation_credits=False))
    with st:
        report, vesti, zerkalo = ids[REPORT], ids["https://vesti.example/novosti/1"], ids["https://zerkalo.example/b/3"]
        m = _members(st, vesti)
        assert m[vesti]["parent_id"] == report  # the part's root, not the copy whose line links the wire
        assert m[zerkalo]["parent_id"] == vesti
        assert m[vesti]["credit"] == "uncredited" and m[zerkalo]["credit"] == "credited"
        edge = next(c for c in st.copies_of(vesti)["as_copy"] if c["main"])
        why = next(e["detail"] for e in edge["evidence"] if e["kind"] == translations.KIND)
        assert f"#{zerkalo}, which took its text from this page, credits #{report}" in why


def test_a_body_link_to_a_page_in_another_language_joins_nothing(tmp_path) -> None:
    arts = _corpus()
    for a in arts:
        a.attributions = [AttributionStatement("credit-link", s.text, s.outlet, s.url, s.domain)
                          for s in a.attributions]
    st, ids = _run(tmp_path, arts)
    with st:
        assert st.story_of(ids["https://vesti.example/novosti/1"])["root_id"] != ids[REPORT]


def test_stories_in_memory_and_in_the_store_agree(tmp_path) -> None:
    st, ids = _run(tmp_path, _corpus())
    with st:
        arts = {a.id: a for a in st.get_articles(sorted(ids.values()))}
        pairs = list(st.all_pairs())
        passages = [p for pr in pairs for p in st.passages_between(pr.a_id, pr.b_id)]
        trees = trace_stories(arts, pairs, passages, st.boilerplate_ranges(sorted(arts)))
        assert len(trees) == 1
        stored = _members(st, ids[REPORT])
        assert trees[0].parent == {k: v["parent_id"] for k, v in stored.items() if v["parent_id"] is not None}
        assert trees[0].credit == {k: v["credit"] for k, v in stored.items()}
        # the runner over a reader in memory, too (credit links come from the store)
        st.clear_provenance()
        update_provenance(st, reader=MemoryReuseReader(pairs, passages, st.boilerplate_ranges(sorted(arts))))
        assert _members(st, ids[REPORT]) == stored


def test_trace_the_article_page_and_compare_say_translation(tmp_path) -> None:
    db = tmp_path / "t.db"
    st, ids = _run(tmp_path, _corpus())
    st.close()
    report, vesti = ids[REPORT], ids["https://vesti.example/novosti/1"]
    out = CliRunner().invoke(app, ["--db", str(db), "trace", str(vesti)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    tree = flat(out.output)
    assert "vesti.example · 2024-03-01 11:00 · credited · translated (en → ru) · confidence" in tree
    assert f"a credit line links #{report} (en) from this page in ru: a translation" in tree
    article = web_page(db, f"/articles/{vesti}")
    assert "translated (en → ru)" in article and "0% of this article" not in article
    story = web_page(db, f"/stories/{json.loads(web_page(db, f'/api/articles/{vesti}'))['story']['id']}")
    assert f"#{report} → #{vesti}: credited · a translation" in story
    assert 'class="edge e-credited e-translation"' in story
    network = web_page(db, "/network?min_articles=1")
    assert "wire.example → vesti.example: 1 copies (1 translated, 1 credited" in network
    compare = web_page(db, f"/compare?a={vesti}&b={report}")
    assert "a translation" in compare and "Reuse does not align text across languages" in compare


def test_translations_are_their_own_kind_of_copy_in_the_site_network(tmp_path) -> None:
    db = tmp_path / "t.db"
    st, ids = _run(tmp_path, _corpus())
    with st:
        kinds = {(c["source_id"], c["copy_id"]): c["kind"] for i in ids.values()
                 for c in st.copies_of(i)["as_copy"]}
        report, vesti = ids[REPORT], ids["https://vesti.example/novosti/1"]
        assert kinds[(report, vesti)] == "translation"
        hung = next(c for c in st.copies_of(vesti)["as_copy"] if c["main"])  # hung by its link, not chosen by score
        assert hung["choice"] is None and hung["alternatives"] == []
        assert {k for e, k in kinds.items() if e != (report, vesti)} == {"text"}
        g = st.site_network()
        assert g.edges["wire.example", "vesti.example"]["translations"] == 1
        assert g.edges["wire.example", "vesti.example"]["chars"] == 0
        assert g.edges["wire.example", "paper.example"]["translations"] == 0
        roles = st.site_roles()[0]  # the sites' habits count copies of text only, by the store or from the network
        assert roles == roles_from_network(g)[0] and roles["wire.example"] == (1, 0) and roles["vesti.example"][1] == 0
    out = CliRunner().invoke(app, ["--db", str(db), "sites", "--json"])
    assert out.exit_code == 0, out.output
    edges = {(e["source"], e["copy"]): e for e in json.loads(out.output)}
    assert edges[("wire.example", "vesti.example")]["translations"] == 1
    assert _copies_cell(edges[("wire.example", "vesti.example")]) == "1 (1 translated)"
    assert _copies_cell(edges[("wire.example", "paper.example")]) == "1"


def test_a_store_made_before_copy_kinds_gains_the_column(tmp_path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as st, st.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE copies DROP COLUMN kind")
        conn.exec_driver_sql("DELETE FROM migrations WHERE name = '0202_copies_kind'")
    with Store(db) as st:  # migrations run on open
        st.write_articles(_corpus())
        run_reuse(st, workers=1)
        update_provenance(st)
        vesti = st.find_article("https://vesti.example/novosti/1").id
        assert [c["kind"] for c in st.copies_of(vesti)["as_copy"] if c["main"]] == ["translation"]


def test_story_exports_say_which_copy_is_a_translation(tmp_path) -> None:
    from newstrace.export import story_graph, story_json

    st, ids = _run(tmp_path, _corpus())
    with st:
        report, vesti = ids[REPORT], ids["https://vesti.example/novosti/1"]
        story = st.story_tree(st.story_of(vesti)["id"])
    g = story_graph(story)
    assert g.edges[report, vesti]["kind"] == "translation"
    assert g.edges[report, ids["https://paper.example/a/1"]]["kind"] == "text"
    found = []

    def walk(node: dict) -> None:
        if "copy" in node:
            found.append((node["id"], node["copy"]["kind"]))
        for child in node.get("children", []):
            walk(child)

    for node in story_json(story)["tree"]:
        walk(node)
    assert (vesti, "translation") in found and (ids["https://paper.example/a/1"], "text") in found
