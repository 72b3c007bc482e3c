"""Web latency benchmark: p50/p95 of the article, story and search endpoints (API and pages) on a synthetic store.

Builds the store once (synth -> ingest -> reuse -> provenance -> quotes) under bench/out/web-<N>/, or reuses a
store given with --store, then requests each endpoint sequentially in-process (httpx over ASGITransport: the
whole app, middleware and templates included, without the network) and writes docs/bench/web.md.

    python bench/web.py --articles 10000
    python bench/web.py --store bench/out/web-100000/newstrace.db --requests 300
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from newstrace.store import Store
from newstrace.web import create_app
from newstrace.web.app import ensure_web_store
from newstrace.web.demo import build_demo_store

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"article": 100.0, "story": 100.0, "search": 300.0}


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def sample_urls(store: Any, n: int, rng: random.Random) -> dict[str, list[str]]:
    """Request URLs per endpoint kind, drawn from the store's own ids, titles, sites and languages."""
    total = store.article_count()
    ids = [rng.randint(1, total) for _ in range(n)]
    stories = store.list_stories(order="size", limit=max(10, n // 4))
    story_ids = [s["id"] for s in stories[:10]]  # the largest stories are the slowest: always include them
    count = store.count_stories(cap=10**9)
    story_ids += [rng.randint(1, max(1, count)) for _ in range(n - len(story_ids))]
    story_ids = [sid for sid in story_ids if store.story_tree(sid) is not None] or story_ids
    titles = [r["title"] for r in store.list_articles(limit=500, offset=rng.randint(0, max(0, total - 500)))]
    sites = [r["site"] for r in store.stats()["top_sites"]]
    words = [w for t in titles for w in t.split() if len(w) > 3 and w.isalpha()]
    searches = []
    for k in range(n):
        q = " ".join(rng.sample(words, 1 + k % 2))
        extra = ["", f"&site={rng.choice(sites)}", "&language=en", "&since=2024-03-05&until=2024-03-20"][k % 4]
        searches.append(f"q={q}{extra}")
    searches += ["language=ru", "site=" + sites[0], ""] * 3
    pairs = [(c["source_id"], c["copy_id"]) for st in stories[:n // 4 or 1]
             for c in (store.story_tree(st["id"]) or {"copies": []})["copies"][:1]]
    return {
        "article (API)": [f"/api/articles/{i}" for i in ids],
        "article (page)": [f"/articles/{i}" for i in ids],
        "story (API)": [f"/api/stories/{i}" for i in story_ids],
        "story (page)": [f"/stories/{i}" for i in story_ids],
        "search (API)": [f"/api/articles?{s}" for s in searches],
        "search (page)": [f"/?{s}" for s in searches],
        "compare (page)": [f"/compare?a={a}&b={b}" for a, b in pairs],
        "site (page)": [f"/sites/{s}" for s in sites],
        "network (page)": ["/network", "/network?credit=uncredited", "/network?min_articles=50"],
    }


async def measure(app: Any, urls: dict[str, list[str]]) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        cold: dict[str, float] = {}
        for url in ("/network", "/sites", "/api/stats"):  # whole-corpus summaries: computed once, then cached
            t = time.perf_counter()
            r = await client.get(url)
            cold[url] = (time.perf_counter() - t) * 1000
            assert r.status_code == 200, (url, r.status_code)
        for name, batch in urls.items():
            times = []
            for url in batch:
                t = time.perf_counter()
                r = await client.get(url)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
            out[name] = {"n": len(times), "p50": statistics.median(times), "p95": percentile(times, 0.95),
                         "max": max(times)}
    return out, cold


def markdown(results: dict[str, dict[str, float]], cold: dict[str, float], info: dict[str, Any]) -> str:
    lines = [f"### Web latency, {info['articles']:,} articles "
             f"({info['stories']:,} stories, {info['pairs']:,} reuse pairs)", "",
             f"Store: SQLite, {info['db_mb']:.0f} MB. Sequential requests in-process (httpx over ASGITransport: "
             f"middleware, views, templates; no network), on {info['machine']}, load average {info['load']:.1f} "
             "at the start (other work was running). "
             "Targets: p95 under 100 ms for article and story, under 300 ms for search.", "",
             "| endpoint | requests | p50 ms | p95 ms | max ms | target p95 | |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, r in results.items():
        kind = name.split()[0]
        target = TARGETS.get(kind)
        ok = "" if target is None else ("ok" if r["p95"] <= target else "**over**")
        lines.append(f"| {name} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | "
                     f"{'' if target is None else f'{target:.0f}'} | {ok} |")
    lines += ["", "First request of the whole-corpus summaries (computed once per data version, then cached): "
              + ", ".join(f"`{u}` {ms:.0f} ms" for u, ms in cold.items()) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000, help="Synthetic articles when building a store.")
    ap.add_argument("--store", type=Path, help="Use this existing store instead of building one.")
    ap.add_argument("--requests", type=int, default=200, help="Requests per endpoint kind.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--md", type=Path, default=REPO / "docs" / "bench" / "web.md",
                    help="Markdown fragment to write ('-' for none); an existing file gets the new section appended "
                         "when --append is given.")
    ap.add_argument("--append", action="store_true", help="Append to --md instead of replacing it.")
    args = ap.parse_args()
    db = args.store
    if db is None:
        out = REPO / "bench" / "out" / f"web-{args.articles}"
        db = out / "newstrace.db"
        if not db.is_file():
            print(f"building a {args.articles:,}-article store under {out} (once; reused next time)", file=sys.stderr)
            build_demo_store(out, args.articles, seed=args.seed, workers=args.workers,
                             log=lambda m: print("  " + m, file=sys.stderr))
    store = ensure_web_store(Store(db))
    rng = random.Random(args.seed)
    import os

    load = os.getloadavg()[0]
    urls = sample_urls(store, args.requests, rng)
    app = create_app(store)
    results, cold = asyncio.run(measure(app, urls))
    import platform

    import psutil

    info = {"articles": store.article_count(), "stories": store.story_count(), "pairs": store.reuse_stats()["pairs"],
            "db_mb": Path(db).stat().st_size / 1e6, "load": load,
            "machine": f"{platform.processor() or platform.machine()}, {psutil.cpu_count()} cores (shared)"}
    md = markdown(results, cold, info)
    print(md)
    if str(args.md) != "-":
        args.md.parent.mkdir(parents=True, exist_ok=True)
        if args.append and args.md.is_file():
            args.md.write_text(args.md.read_text() + "\n" + md)
        else:
            args.md.write_text("## Web UI and API latency (`bench/web.py`)\n\n" + md)


if __name__ == "__main__":
    main()
