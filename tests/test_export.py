"""Export round-trips: the network and a story tree written as GEXF/GraphML/CSV/JSON and read back."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from newstrace.export import plain_graph, story_graph, story_json, write_graph, write_story
from newstrace.provenance.network import SiteCopy, SiteTotals, build_site_network, site_profile

COPIES = [
    SiteCopy("wire.example", "blog.example", 900, "credited", 5.0),
    SiteCopy("wire.example", "blog.example", 700, "uncredited", 7.0),
    SiteCopy("blog.example", "proxy.example", 800, "intermediary", 20.0),
    SiteCopy("wire.example", "wire.example", 50, "credited", 1.0),  # within one site: not copying
    SiteCopy("wire.example", "proxy.example", 100, "uncredited", None, main=False),
]
TOTALS = {"wire.example": SiteTotals(10, 20000, "Wire"), "blog.example": SiteTotals(4, 4000, None),
          "proxy.example": SiteTotals(2, 1000, "Proxy & Co")}

STORY = {
    "id": 7, "root_id": 1, "size": 3, "sites": 3, "first_published": "2024-03-01T09:00:00+00:00",
    "articles": [
        {"id": 1, "parent_id": None, "depth": 0, "credit": "origin", "url": "https://wire.example/1", "title": "Wire",
         "published_at": "2024-03-01T09:00:00+00:00", "site": "wire.example"},
        {"id": 2, "parent_id": 1, "depth": 1, "credit": "credited", "url": "https://blog.example/2", "title": "Blog?",
         "published_at": None, "site": "blog.example"},
        {"id": 3, "parent_id": 2, "depth": 2, "credit": "intermediary", "url": "https://proxy.example/3",
         "title": "Blog?", "published_at": "2024-03-03T09:00:00+00:00", "site": "proxy.example"},
    ],
    "copies": [
        {"source_id": 1, "copy_id": 2, "main": True, "confidence": 0.9, "credit": "credited", "coverage": 0.8,
         "chars": 800, "added": ["headline", "intro"], "removed": [], "changed": ["reword"], "conflict": None,
         "delay_hours": None, "evidence": [{"kind": "date", "favours": 1, "weight": 0.9, "detail": "d"}]},
        {"source_id": 2, "copy_id": 3, "main": True, "confidence": 0.6, "credit": "intermediary", "coverage": 0.7,
         "chars": 700, "added": ["footer"], "removed": ["cut"], "changed": [], "conflict": "date says 3 first",
         "delay_hours": 24.0, "evidence": []},
        {"source_id": 1, "copy_id": 3, "main": False, "confidence": 0.8, "credit": "uncredited", "coverage": 0.1,
         "chars": 100, "added": [], "removed": [], "changed": [], "conflict": None, "delay_hours": 48.0,
         "evidence": [], "spans": [[0, 100]]},
    ],
}


def test_site_network_summary():
    g = build_site_network(COPIES, TOTALS)
    assert ("wire.example", "wire.example") not in g.edges
    e = g.edges["wire.example", "blog.example"]
    assert (e["copies"], e["chars"], e["credited"], e["uncredited"]) == (2, 1600, 1, 1)
    assert e["credited_share"] == 0.5 and e["median_delay_hours"] == 6.0
    assert g.edges["wire.example", "proxy.example"]["median_delay_hours"] == -1.0
    assert g.nodes["proxy.example"]["copied_share"] == 0.9  # 900 of its 1000 characters
    assert g.nodes["blog.example"]["copies_made"] == 2 and g.nodes["wire.example"]["copied_from_it"] == 3
    prof = site_profile(g, "proxy.example")
    assert [r["site"] for r in prof["sources"]] == ["blog.example", "wire.example"]
    assert prof["sources"][0]["share"] == 0.8


@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_network_round_trip(tmp_path, fmt, reader):
    g = build_site_network(COPIES, TOTALS)
    path = write_graph(g, tmp_path / f"net.{fmt}", fmt)
    back = reader(path)
    assert set(back.edges) == set(g.edges)
    assert back.edges["wire.example", "blog.example"]["chars"] == 1600
    assert float(back.edges["wire.example", "blog.example"]["credited_share"]) == 0.5
    assert back.nodes["proxy.example"]["label"] == "Proxy & Co"


@pytest.mark.parametrize("fmt,reader", [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_story_round_trip(tmp_path, fmt, reader):
    path = write_story(STORY, tmp_path / f"story.{fmt}", fmt)
    back = reader(path)
    assert set(back.edges) == {("1", "2"), ("2", "3"), ("1", "3")}
    e = back.edges["2", "3"]
    assert e["credit"] == "intermediary" and e["conflict"] == "date says 3 first" and e["added"] == "footer"
    assert back.edges["1", "2"]["delay_hours"] == ""  # None becomes an empty string, not a crash
    assert json.loads(back.edges["1", "2"]["evidence"])[0]["kind"] == "date"
    assert back.nodes["2"]["published"] == ""


def test_story_json_nests_main_copies(tmp_path):
    data = story_json(STORY)
    root = data["tree"][0]
    assert root["id"] == 1 and root["children"][0]["id"] == 2
    assert root["children"][0]["children"][0]["copy"]["credit"] == "intermediary"
    assert [s["source_id"] for s in data["secondary_sources"]] == [1]
    path = write_story(STORY, tmp_path / "s.json", "json")
    loaded = json.loads(path.read_text())
    assert len(loaded["nodes"]) == 3 and len(loaded["edges"]) == 3 and loaded["tree"][0]["id"] == 1


def test_csv_has_one_row_per_edge(tmp_path):
    path = write_graph(story_graph(STORY), tmp_path / "s.csv", "csv")
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 3
    assert {(r["source"], r["target"]) for r in rows} == {("1", "2"), ("2", "3"), ("1", "3")}
    assert {r["main"] for r in rows} == {"1", "0"}


def test_plain_graph_and_errors(tmp_path):
    g = nx.DiGraph()
    g.add_edge(1, 2, things=["a", "b"], flag=True, nothing=None, obj=object)
    p = plain_graph(g)
    a = p.edges["1", "2"]
    assert a["things"] == '["a", "b"]' and a["flag"] == 1 and a["nothing"] == "" and isinstance(a["obj"], str)
    with pytest.raises(ValueError, match="unknown export format"):
        write_graph(g, tmp_path / "x", "xlsx")
    with pytest.raises(FileNotFoundError):
        write_graph(g, tmp_path / "missing" / "x.gexf", "gexf")


def test_a_copy_dated_before_its_source_has_no_delay() -> None:
    """Clock skew: a negative delay is a wrong date, so it is left out of the median (-1: no delay known)."""
    totals = {"a.example": SiteTotals(2, 100, None), "b.example": SiteTotals(2, 100, None)}
    g = build_site_network([SiteCopy("a.example", "b.example", 100, "uncredited", -30.0),
                            SiteCopy("a.example", "b.example", 100, "uncredited", 4.0)], totals)
    assert g.edges["a.example", "b.example"]["median_delay_hours"] == 4.0
    g = build_site_network([SiteCopy("a.example", "b.example", 100, "uncredited", -3.0)], totals)
    assert g.edges["a.example", "b.example"]["median_delay_hours"] == -1.0


def test_rating_sets_become_node_attributes(tmp_path) -> None:
    from newstrace.export import add_ratings, write_graph

    g = build_site_network(COPIES, TOTALS)
    add_ratings(g, {"wire.example": [{"set": "lin 2023", "score": 0.9, "labels": []},
                                     {"set": "os", "score": None, "labels": ["state", "bias"]}],
                    "elsewhere.example": [{"set": "os", "score": 0.1, "labels": []}]})
    assert g.nodes["wire.example"]["rating_lin_2023"] == 0.9 and g.nodes["wire.example"]["labels_os"] == "state, bias"
    assert "elsewhere.example" not in g and "rating_lin_2023" not in g.nodes["blog.example"]
    out = write_graph(g, tmp_path / "net.graphml", "graphml").read_text()
    assert 'attr.name="rating_lin_2023" attr.type="double"' in out and "state, bias" in out


def test_rating_attribute_names_do_not_collide() -> None:
    from newstrace.export import add_ratings

    g = build_site_network(COPIES, TOTALS)
    add_ratings(g, {"wire.example": [{"set": "lin 2023", "score": 0.9, "labels": []},
                                     {"set": "lin-2023", "score": 0.1, "labels": []}]})
    assert sorted(k for k in g.nodes["wire.example"] if k.startswith("rating_")) == ["rating_lin_2023",
                                                                                    "rating_lin_2023_2"]
