"""Layouts for the server-rendered SVG graphs: a story tree on a time axis, its spread timeline, the
site copying network and one site's neighbourhood. Pure functions from plain data to coordinates;
the templates draw them (text stays text, escaped by Jinja).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from ..provenance import translations

CREDITS = ("credited", "intermediary", "uncredited")
MAX_STORY_NODES = 400


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _ticks(t0: datetime, t1: datetime, x0: float, x1: float, n: int = 6) -> list[dict[str, Any]]:
    span = (t1 - t0).total_seconds()
    if span <= 0:
        return [{"x": x0, "label": t0.strftime("%Y-%m-%d %H:%M")}]
    fmt = "%m-%d %H:%M" if span < 3 * 86400 else "%Y-%m-%d"
    return [{"x": round(x0 + (x1 - x0) * k / (n - 1), 1),
             "label": (t0 + timedelta(seconds=span * k / (n - 1))).strftime(fmt)} for k in range(n)]


def story_layout(story: dict[str, Any], width: int = 900, row: int = 30) -> dict[str, Any]:
    """The republication tree with time on the x axis and one row per article, copies under their source.

    Undated articles sit just right of their source and are flagged; edges carry the copy's credit class
    (main sources solid, secondary sources dashed).
    """
    arts = story["articles"][:MAX_STORY_NODES]
    by_id = {a["id"]: a for a in arts}
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for a in arts:
        children[a["parent_id"] if a["parent_id"] in by_id else None].append(a)
    for kids in children.values():
        kids.sort(key=lambda a: (a.get("published_at") or "9999", a["id"]))
    order: list[dict[str, Any]] = []
    stack = list(reversed(children[None]))
    seen: set[int] = set()
    while stack:
        a = stack.pop()
        if a["id"] in seen:
            continue
        seen.add(a["id"])
        order.append(a)
        stack.extend(reversed(children.get(a["id"], [])))
    times = [t for t in (_when(a.get("published_at")) for a in arts) if t is not None]
    left, right, top = 60.0, width - 220.0, 30.0
    t0, t1 = (min(times), max(times)) if times else (None, None)

    def xof(t: datetime | None) -> float | None:
        if t is None or t0 is None or t1 is None:
            return None
        span = (t1 - t0).total_seconds()
        return left if span <= 0 else left + (right - left) * (t - t0).total_seconds() / span

    nodes: dict[int, dict[str, Any]] = {}
    for k, a in enumerate(order):
        x = xof(_when(a.get("published_at")))
        undated = x is None
        if x is None:
            parent = nodes.get(a["parent_id"])
            x = (parent["x"] + 14) if parent else left
        nodes[a["id"]] = {"id": a["id"], "x": round(x, 1), "y": round(top + row * k + row / 2, 1),
                          "site": a["site"], "title": a.get("title") or "", "credit": a["credit"],
                          "published": a.get("published_at"), "undated": undated}
    edges = []
    for c in story.get("copies", []):
        s, d = nodes.get(c["source_id"]), nodes.get(c["copy_id"])
        if s and d:
            edges.append({"x1": s["x"], "y1": s["y"], "x2": d["x"], "y2": d["y"], "credit": c["credit"],
                          "main": bool(c["main"]), "source_id": c["source_id"], "copy_id": c["copy_id"],
                          "translation": c.get("kind") == translations.KIND})
    return {"width": width, "height": int(top + row * len(order) + 30), "nodes": list(nodes.values()),
            "edges": edges, "ticks": _ticks(t0, t1, left, right) if t0 and t1 else [],
            "axis_y": int(top + row * len(order) + 8), "truncated": len(story["articles"]) > len(arts)}


def timeline(articles: list[dict[str, Any]], width: int = 900, height: int = 160,
             top_sites: int = 7) -> dict[str, Any]:
    """Copies per hour (or per day for slow stories), stacked by site, as bars ready to draw."""
    dated = [(t, a["site"]) for a in articles if (t := _when(a.get("published_at"))) is not None]
    if not dated:
        return {"bars": [], "legend": [], "unit": None, "width": width, "height": height, "ticks": [], "max": 0}
    t0 = min(t for t, _ in dated)
    t1 = max(t for t, _ in dated)
    hourly = (t1 - t0).total_seconds() <= 72 * 3600
    unit = timedelta(hours=1) if hourly else timedelta(days=1)
    start = t0.replace(minute=0, second=0, microsecond=0)
    if not hourly:
        start = start.replace(hour=0)
    buckets = int((t1 - start) / unit) + 1
    ranked = [s for s, _ in Counter(s for _, s in dated).most_common()]
    named = ranked[:top_sites]
    legend = [{"site": s, "n": k} for k, s in enumerate(named)]
    if len(ranked) > top_sites:
        legend.append({"site": "other sites", "n": top_sites})
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    for t, s in dated:
        counts[int((t - start) / unit)][named.index(s) if s in named else top_sites] += 1
    peak = max(sum(c.values()) for c in counts.values())
    left, right, bottom, top = 40.0, width - 10.0, height - 25.0, 10.0
    bw = (right - left) / buckets
    bars = []
    for b, c in sorted(counts.items()):
        y = bottom
        for n in sorted(c):
            h = (bottom - top) * c[n] / peak
            y -= h
            label = (start + unit * b).strftime("%Y-%m-%d %H:00" if hourly else "%Y-%m-%d")
            bars.append({"x": round(left + b * bw, 1), "y": round(y, 1), "w": round(max(1.0, bw - 1), 1),
                         "h": round(h, 1), "n": n, "count": c[n], "label": label,
                         "site": legend[n]["site"]})
    return {"bars": bars, "legend": legend, "unit": "hour" if hourly else "day", "width": width,
            "height": height, "max": peak, "ticks": _ticks(start, start + unit * buckets, left, right, 5),
            "bottom": bottom}


def _pack(sizes: list[int], width: float, height: float) -> list[tuple[float, float, float, float]]:
    """Boxes (x, y, width, height) for components, growing with the square root of their size, packed in rows."""
    sides = [math.sqrt(n) for n in sizes]

    def place(scale: float) -> list[tuple[float, float, float]] | None:
        out, x, y, row = [], 0.0, 0.0, 0.0
        for sd in sides:
            side = sd * scale
            if x + side > width + 1e-9 and x > 0:
                x, y, row = 0.0, y + row, 0.0
            if side > width:
                return None
            out.append((x, y, side))
            x, row = x + side, max(row, side)
        return out if y + row <= height + 1e-9 else None

    lo, hi = 1.0, max(width, height)
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if place(mid) is not None else (lo, mid)
    boxes = place(lo) or [(0.0, 0.0, 1.0)] * len(sides)
    used = max((y + side for _x, y, side in boxes), default=1.0) or 1.0
    stretch = max(1.0, height / used)  # use the whole height: boxes become taller rectangles
    return [(x, y * stretch, side, side * stretch) for x, y, side in boxes]


def network_layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], width: int = 900,
                   height: int = 640, seed: int = 7, labels: int = 25) -> dict[str, Any]:
    """Positions for the site network: each connected group of sites laid out by force (fixed seed, so the
    picture is the same every time) in its own box, larger groups in larger boxes; only the `labels` busiest
    sites are named on the picture (the others on hover)."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(n["site"] for n in nodes)
    g.add_edges_from((e["source"], e["copy"]) for e in edges)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    pad = 30.0
    boxes = _pack([len(c) for c in comps], width - 2 * pad, height - 2 * pad)
    pos: dict[str, tuple[float, float]] = {}
    for comp, (bx, by, bw, bh) in zip(comps, boxes, strict=True):
        if len(comp) == 1:
            pos[comp[0]] = (pad + bx + bw / 2, pad + by + bh / 2)
            continue
        sg = g.subgraph(comp)
        if nx.density(sg) > 0.25 and len(comp) > 8:  # a hairball under force layout: a circle reads better
            sub = nx.circular_layout(sorted(comp))  # by name, so the labelled busiest sites spread round it
        else:
            sub = nx.spring_layout(sg, seed=seed, k=1.5 / math.sqrt(len(comp)), iterations=100)
        for site, (px, py) in sub.items():
            pos[site] = (pad + bx + bw * (0.1 + 0.8 * (px + 1) / 2), pad + by + bh * (0.1 + 0.8 * (py + 1) / 2))
    biggest = max((n.get("articles") or 0 for n in nodes), default=1) or 1
    ranked = sorted(nodes, key=lambda n: -((n.get("copies_made") or 0) + (n.get("copied_from_it") or 0)))
    labelled = {n["site"] for n in ranked[:labels]}
    out_nodes = []
    for n in nodes:
        px, py = pos.get(n["site"], (width / 2, height / 2))
        out_nodes.append({**n, "x": round(px, 1), "y": round(py, 1), "label": n["site"] in labelled,
                          "r": round(4 + 14 * math.sqrt((n.get("articles") or 0) / biggest), 1)})
    where = {n["site"]: n for n in out_nodes}
    heaviest = max((e["chars"] for e in edges), default=1) or 1
    out_edges = [{**e, "x1": where[e["source"]]["x"], "y1": where[e["source"]]["y"],
                  "x2": where[e["copy"]]["x"], "y2": where[e["copy"]]["y"],
                  "w": round(0.8 + 5 * math.sqrt(e["chars"] / heaviest), 2)}
                 for e in edges if e["source"] in where and e["copy"] in where]
    return {"width": width, "height": height, "nodes": out_nodes, "edges": out_edges}


def neighbourhood_layout(site: str, sources: list[dict[str, Any]], copiers: list[dict[str, Any]],
                         width: int = 900, limit: int = 12) -> dict[str, Any]:
    """One site in the middle, the sites it copies from on the left, the sites copying it on the right."""
    sources, copiers = sources[:limit], copiers[:limit]
    rows = max(len(sources), len(copiers), 1)
    height = int(40 + 28 * rows)
    cx, cy = width / 2, height / 2

    def column(items: list[dict[str, Any]], x: float, side: str) -> list[dict[str, Any]]:
        step = (height - 40) / max(1, len(items))
        return [{**it, "x": x, "y": round(20 + step * (k + 0.5), 1), "side": side} for k, it in enumerate(items)]

    left = column(sources, 200.0, "source")
    right = column(copiers, width - 200.0, "copier")
    return {"width": width, "height": height, "center": {"site": site, "x": cx, "y": round(cy, 1)},
            "sources": left, "copiers": right}
