"""Export the copying network and story trees as GEXF, GraphML, CSV or JSON.

Graph files are written with networkx's writers (Gephi opens GEXF, yEd and Cytoscape GraphML); every
attribute is first made a plain str, int or float, since neither format takes None, lists or dicts.
CSV holds one row per edge (source, target, then the edge's attributes); JSON holds nodes and edges,
and for a story also the nested tree, root first.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["FORMATS", "add_ratings", "plain_graph", "story_graph", "story_json", "write_graph", "write_story"]

FORMATS = ("gexf", "graphml", "csv", "json")


def _plain(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, list | tuple | set | dict):
        return json.dumps(list(value) if isinstance(value, set) else value, ensure_ascii=False, default=str)
    return str(value)


def plain_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose node ids are strings and whose attributes are all str, int or float."""
    out = nx.DiGraph()
    out.graph.update({k: _plain(v) for k, v in graph.graph.items()})
    for n, attrs in graph.nodes(data=True):
        out.add_node(str(n), **{k: _plain(v) for k, v in attrs.items()})
    for u, v, attrs in graph.edges(data=True):
        out.add_edge(str(u), str(v), **{k: _plain(x) for k, x in attrs.items()})
    return out


def _graph_json(g: nx.DiGraph) -> dict[str, Any]:
    return {"nodes": [{"id": n, **a} for n, a in g.nodes(data=True)],
            "edges": [{"source": u, "target": v, **a} for u, v, a in g.edges(data=True)]}


def write_graph(graph: nx.DiGraph, path: str | os.PathLike[str], fmt: str,
                extra_json: dict[str, Any] | None = None) -> Path:
    """Write a graph in one of FORMATS; returns the path written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    p = Path(path)
    if p.parent and not p.parent.exists():
        raise FileNotFoundError(f"folder {p.parent} does not exist")
    g = plain_graph(graph)
    if fmt == "gexf":
        nx.write_gexf(g, p)
    elif fmt == "graphml":
        nx.write_graphml(g, p)
    elif fmt == "csv":
        keys: list[str] = []
        for _u, _v, a in g.edges(data=True):
            keys += [k for k in a if k not in keys]
        with p.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["source", "target", *keys])
            for u, v, a in g.edges(data=True):
                w.writerow([u, v, *(a.get(k, "") for k in keys)])
    else:
        data = {**_graph_json(g), **(extra_json or {})}
        p.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return p


def add_ratings(graph: nx.DiGraph, ratings: dict[str, list[dict[str, Any]]]) -> nx.DiGraph:
    """Each site node gets what the loaded rating sets say of it (`Store.ratings_for`), for Gephi's colouring:
    `rating_<set>` (the score, where the set has one) and `labels_<set>` (its labels, comma-separated)."""
    keys: dict[str, str] = {}  # set name -> attribute suffix, unique ("lin 2023" and "lin-2023" both read lin_2023)
    for name in sorted({r["set"] for rows in ratings.values() for r in rows}):
        key = re.sub(r"\W+", "_", name).strip("_") or "set"
        keys[name] = key if key not in keys.values() else f"{key}_{len(keys) + 1}"
    for site, rows in ratings.items():
        if site not in graph:
            continue
        for r in rows:
            key = keys[r["set"]]
            if r.get("score") is not None:
                graph.nodes[site][f"rating_{key}"] = float(r["score"])
            if r.get("labels"):
                graph.nodes[site][f"labels_{key}"] = ", ".join(r["labels"])
    return graph


def story_graph(story: dict[str, Any]) -> nx.DiGraph:
    """A story (as `Store.story_tree` returns it) as a DiGraph: source article -> copy, main and secondary."""
    g = nx.DiGraph(story_id=story["id"], root_id=story["root_id"])
    for a in story["articles"]:
        g.add_node(a["id"], label=a.get("title") or a["url"], url=a["url"], site=a["site"],
                   published=a.get("published_at"), depth=a.get("depth", 0), credit=a.get("credit"),
                   parent=a.get("parent_id"))
    for c in story["copies"]:
        g.add_edge(c["source_id"], c["copy_id"], main=bool(c["main"]), kind=c.get("kind") or "text",
                   confidence=c["confidence"],
                   credit=c["credit"], coverage=c["coverage"], chars=c.get("chars", 0),
                   added=",".join(c.get("added") or []), removed=",".join(c.get("removed") or []),
                   changed=",".join(c.get("changed") or []), conflict=c.get("conflict"),
                   delay_hours=c.get("delay_hours"), choice=c.get("choice"),
                   alternatives=json.dumps(c.get("alternatives") or []),
                   evidence=json.dumps(c.get("evidence") or [], ensure_ascii=False),
                   quote_changes=json.dumps(c.get("quote_changes") or [], ensure_ascii=False))
    return g


def story_json(story: dict[str, Any]) -> dict[str, Any]:
    """The story as nested JSON: each article with its children (main copies), root first."""
    by_id = {a["id"]: {**a, "children": []} for a in story["articles"]}
    copies = {(c["source_id"], c["copy_id"]): c for c in story["copies"] if c["main"]}
    roots = []
    for a in story["articles"]:
        node = by_id[a["id"]]
        parent = a.get("parent_id")
        if parent in by_id:
            c = copies.get((parent, a["id"]))
            if c:
                node["copy"] = {k: c.get(k) for k in ("kind", "confidence", "credit", "coverage", "added",
                                                      "removed", "changed", "conflict", "delay_hours", "evidence",
                                                      "quote_changes", "choice", "alternatives")}
            by_id[parent]["children"].append(node)
        else:
            roots.append(node)
    meta = {k: v for k, v in story.items() if k not in ("articles", "copies")}
    secondary = [c for c in story["copies"] if not c["main"]]
    return {"story": meta, "tree": roots, "secondary_sources": secondary}


def write_story(story: dict[str, Any], path: str | os.PathLike[str], fmt: str) -> Path:
    """Write one story tree in one of FORMATS (JSON adds the nested tree)."""
    extra = story_json(story) if fmt == "json" else None
    return write_graph(story_graph(story), path, fmt, extra_json=extra)
