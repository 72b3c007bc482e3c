"""Site-to-site copying: who takes text from whom, how much, how fast, and with what credit.

Built from copies (edges between articles) summarised per pair of sites, as a networkx DiGraph whose
edges point from the source site to the copying site. Every attribute is a plain str, int or float, so
the graph can be written as GEXF or GraphML unchanged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .choice import SURE

__all__ = ["SiteCopy", "SiteTotals", "UNCERTAIN", "build_site_network", "site_profile"]

UNCERTAIN = SURE  # a copy whose source holds less of the evidence than this may as well come from another page


@dataclass(slots=True)
class SiteCopy:
    """One copy seen from the sites' side."""

    source_site: str
    copy_site: str
    chars: int  # characters of the copy taken from the source
    credit: str  # credited, intermediary, uncredited
    delay_hours: float | None = None  # from the source's publication to the copy's
    main: bool = True  # the copy's main source (not a secondary one)
    translated: bool = False  # a translation joined by its credit line's link (no characters aligned)
    uncertain: bool = False  # a main source holding under `UNCERTAIN` of the evidence (`provenance.choice`)


@dataclass(slots=True)
class SiteTotals:
    articles: int
    chars: int
    name: str | None = None


def build_site_network(copies: Iterable[SiteCopy], totals: dict[str, SiteTotals] | None = None) -> nx.DiGraph:
    """The copying network: nodes are sites, an edge A -> B says B copied from A.

    Edge attributes: copies (count), main_copies, translations (copies that are translations: no characters
    aligned), uncertain (main copies whose source holds under 90% of the evidence: another page, perhaps on
    another site, fits them nearly as well), chars, credited / intermediary / uncredited (counts), credited_share,
    median_delay_hours (-1 when unknown: no copy on the edge has dates, or each copy is dated before its
    source). Node attributes: articles, chars, chars_copied, copied_share (share of
    the site's text taken from other sites), copies_made, copied_from_it.
    Copies within one site are left out: that is the site's own boilerplate or updates, not copying.
    """
    totals = totals or {}
    agg: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"copies": 0, "main_copies": 0, "translations": 0, "uncertain": 0, "chars": 0, "credited": 0,
                 "intermediary": 0, "uncredited": 0, "delays": []})
    for c in copies:
        if not c.source_site or not c.copy_site or c.source_site == c.copy_site:
            continue
        e = agg[(c.source_site, c.copy_site)]
        e["copies"] += 1
        e["main_copies"] += int(c.main)
        e["translations"] += int(c.translated)
        e["uncertain"] += int(c.main and c.uncertain)
        e["chars"] += int(c.chars)
        if c.credit in ("credited", "intermediary", "uncredited"):
            e[c.credit] += 1
        if c.delay_hours is not None and c.delay_hours >= 0:  # a copy dated before its source: delay unknown
            e["delays"].append(c.delay_hours)
    g = nx.DiGraph()
    for site, t in totals.items():
        g.add_node(site, label=t.name or site, articles=int(t.articles), chars=int(t.chars))
    for (s, d), e in agg.items():
        for site in (s, d):
            if site not in g:
                g.add_node(site, label=site, articles=0, chars=0)
        delays = e.pop("delays")
        g.add_edge(s, d, **e, credited_share=round(e["credited"] / e["copies"], 4),
                   median_delay_hours=round(statistics.median(delays), 2) if delays else -1.0)
    for site in g.nodes:
        attrs = g.nodes[site]
        taken = sum(g.edges[u, site]["chars"] for u in g.predecessors(site))
        attrs["chars_copied"] = int(taken)
        attrs["copied_share"] = round(min(1.0, taken / attrs["chars"]), 4) if attrs.get("chars") else 0.0
        attrs["copies_made"] = int(sum(g.edges[u, site]["copies"] for u in g.predecessors(site)))
        attrs["copied_from_it"] = int(sum(g.edges[site, v]["copies"] for v in g.successors(site)))
    return g


def site_profile(graph: nx.DiGraph, site: str) -> dict[str, Any]:
    """One site's copying profile: how much of its text is copied and from whom, and who copies it."""
    if site not in graph:
        raise KeyError(f"no site {site!r} in the copying network")
    node = dict(graph.nodes[site])
    chars = node.get("chars") or 0

    def row(other: str, e: dict[str, Any], share_of: int) -> dict[str, Any]:
        return {"site": other, "copies": e["copies"], "translations": e.get("translations", 0),
                "uncertain": e.get("uncertain", 0), "chars": e["chars"],
                "share": round(e["chars"] / share_of, 4) if share_of else 0.0,
                "credited_share": e["credited_share"], "intermediary": e["intermediary"],
                "uncredited": e["uncredited"], "median_delay_hours": e["median_delay_hours"]}

    sources = sorted((row(u, graph.edges[u, site], chars) for u in graph.predecessors(site)),
                     key=lambda r: -r["chars"])
    copied_by = sorted((row(v, graph.edges[site, v], graph.nodes[v].get("chars") or 0)
                        for v in graph.successors(site)), key=lambda r: -r["chars"])
    return {"site": site, **node, "sources": sources, "copied_by": copied_by}


def roles_from_network(g: nx.DiGraph) -> tuple[dict[str, tuple[int, int]], dict[str, str | None]]:
    """Each site's (times copied from, copies made) and name, from the stored network: the site habits
    `credit.standalone_credit` reads when no story is at hand."""
    def text(e: dict[str, Any]) -> int:  # copies of text: a translation is no habit of copying (`translations.py`)
        return int(e.get("copies", 0)) - int(e.get("translations", 0))

    roles = {n: (sum(text(g.edges[n, v]) for v in g.successors(n)), sum(text(g.edges[u, n]) for u in g.predecessors(n)))
             for n in g.nodes}
    return roles, {n: d.get("label") for n, d in g.nodes(data=True)}
