"""Speed and scale of the reuse pass, beside document-level MinHash LSH baselines.

    python bench/reuse.py [--sizes 10000,100000] [--million] [--store-sizes 10000] [--workers 2]
                          [--cache /tmp/newstrace-bench] [--png docs/bench/reuse-scaling.png] [--md FILE]

For each size N a synthetic corpus is generated once (cached, truth only) and the whole pass
(boilerplate, fingerprints, candidates, alignment) runs on articles built straight from the truth
text (`reuse_parallel`, all workers). For `--store-sizes` the same is measured through a SQLite
store (`run_reuse`), followed by an incremental run adding 1,000 new articles. Printed: wall
seconds, articles/s, CPU seconds (parent + workers: the machine is shared, so wall time depends on
the load), peak memory (PSS of parent + workers, sampled every 200 ms), the
growth exponent of time with N, and each method's recall on partial copies (truth parent-child
pairs where the child took under 80% of the parent or added text of its own, sharing >= 40 words).
Baselines: rensa and datasketch MinHash LSH (128 permutations, word 5-shingles, threshold 0.5);
datasketch only up to 20,000 articles (it runs at about 500 documents/s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from newstrace.reuse.engine import Doc
from newstrace.reuse.runner import reuse_parallel

HELD_OUT = 1000


class PeakMemory:
    """Samples the memory of this process and its children (PSS: shared pages split between the
    processes sharing them, so forked workers are not counted twice; RSS where PSS is unavailable)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                info = p.memory_full_info()
                total += getattr(info, "pss", info.rss)
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(0.2)

    def __enter__(self) -> PeakMemory:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float, int]:
    """(result, wall s, cpu s, peak bytes) of fn()."""
    c0, t0 = cpu_seconds(), time.perf_counter()
    with PeakMemory() as mem:
        out = fn()
    return out, time.perf_counter() - t0, cpu_seconds() - c0, mem.peak


def corpus(cache: Path, n: int, seed: int) -> Path:
    path = cache / f"synth-{n}-{seed}"
    if not (path / "truth.jsonl").is_file():
        from newstrace.synth import SynthConfig, generate

        print(f"generating {n} synthetic articles into {path} ...", flush=True)
        generate(SynthConfig(articles=n, seed=seed, html=False), path)
    return path


_KEEP = ("url", "site", "title", "text", "parents")


def load(path: Path) -> list[dict]:
    """The truth records, keeping only what the benchmark needs (a million full records would not fit)."""
    out = []
    with (path / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out.append({k: r[k] for k in _KEEP})
    return out


def partial_copies(recs: list[dict]) -> set[tuple[int, int]]:
    """Truth parent-child pairs (index pairs, a < b) that are partial copies of >= 40 words."""
    by_url = {r["url"]: k for k, r in enumerate(recs)}
    out = set()
    for k, r in enumerate(recs):
        for par in r["parents"]:
            p = by_url.get(par["url"])
            if p is None or not par["passages"]:
                continue
            child_chars = sum(x["child_end"] - x["child_start"] for x in par["passages"])
            parent_chars = sum(x["parent_end"] - x["parent_start"] for x in par["passages"])
            words = sum(len(r["text"][x["child_start"]:x["child_end"]].split()) for x in par["passages"])
            partial = child_chars < 0.8 * len(r["text"]) or parent_chars < 0.8 * len(recs[p]["text"])
            if partial and words >= 40:
                out.add((min(k, p), max(k, p)))
    return out


def shingles(text: str) -> list[str]:
    """Word 5-shingles the usual way (lower-cased whitespace words; characters for Chinese)."""
    w = text.lower().split()
    if len(w) < len(text) / 20:  # a script without spaces: character 5-grams
        return [text[i:i + 5] for i in range(max(1, len(text) - 4))]
    return [" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))]


def minhash_rensa(recs: list[dict]) -> set[tuple[int, int]]:
    import rensa

    lsh = rensa.RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    mhs = []
    for k, r in enumerate(recs):
        m = rensa.RMinHash(num_perm=128, seed=42)
        m.update(shingles(r["text"]))
        lsh.insert(k, m)
        mhs.append(m)
    pairs = set()
    for k, m in enumerate(mhs):
        for j in lsh.query(m):
            if j != k:
                pairs.add((min(j, k), max(j, k)))
    return pairs


def minhash_datasketch(recs: list[dict]) -> set[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    mhs = []
    for k, r in enumerate(recs):
        m = MinHash(num_perm=128, seed=42)
        m.update_batch([s.encode() for s in shingles(r["text"])])
        lsh.insert(str(k), m)
        mhs.append(m)
    pairs = set()
    for k, m in enumerate(mhs):
        for j in lsh.query(m):
            j = int(j)
            if j != k:
                pairs.add((min(j, k), max(j, k)))
    return pairs


def run_store(recs: list[dict], workers: int) -> dict[str, float]:
    """Full run through a SQLite store, then 1,000 more articles added incrementally."""
    from newstrace.models import Article
    from newstrace.reuse.runner import run_reuse
    from newstrace.store import Store

    arts = [Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"]) for r in recs]
    base, extra = arts[:-HELD_OUT], arts[-HELD_OUT:]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        for i in range(0, len(base), 2000):
            store.write_articles(base[i:i + 2000])
        out["store_write_s"] = time.perf_counter() - t0
        rep, wall, cpu, peak = measure(lambda: run_reuse(store, workers=workers))
        out.update(store_articles=len(base), store_run_s=wall, store_cpu_s=cpu, store_peak_mb=peak / 2**20,
                   store_pairs=rep.pairs)
        store.write_articles(extra)
        rep2, wall2, cpu2, _ = measure(lambda: run_reuse(store, workers=workers))
        out.update(incremental_articles=rep2.new_articles, incremental_s=wall2, incremental_cpu_s=cpu2,
                   incremental_pairs=rep2.pairs, incremental_redone=rep2.redone_articles,
                   incremental_sites_remarked=len(rep2.sites_remarked), incremental_timings=rep2.timings)
        store.close()
    return out


def slope(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 2:
        return float("nan")
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def plot(rows: list[dict], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    n = [r["articles"] for r in rows]
    ax1.loglog(n, [r["wall_s"] for r in rows], "o-", label="newstrace reuse (wall)")
    ax1.loglog(n, [r["cpu_s"] for r in rows], "o--", label="newstrace reuse (CPU, all processes)")
    ax1.loglog(n, [r["rensa_s"] for r in rows], "s-", label="MinHash LSH (rensa)")
    ds = [(r["articles"], r["datasketch_s"]) for r in rows if r.get("datasketch_s")]
    if ds:
        ax1.loglog(*zip(*ds, strict=True), "^-", label="MinHash LSH (datasketch)")
    ax1.set_xlabel("articles")
    ax1.set_ylabel("seconds")
    ax1.legend(fontsize=7)
    ax1.grid(True, which="both", alpha=0.3)
    ax2.loglog(n, [r["peak_mb"] for r in rows], "o-", label="newstrace reuse (peak PSS, all processes)")
    ax2.set_xlabel("articles")
    ax2.set_ylabel("MB")
    ax2.legend(fontsize=7)
    ax2.grid(True, which="both", alpha=0.3)
    fig.suptitle("Reuse pass on synthetic corpora (2-core machine)")
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--million", action="store_true", help="also run 1,000,000 articles (long)")
    ap.add_argument("--store-sizes", default="10000", help="sizes also measured through a SQLite store ('' for none)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newstrace-bench")
    ap.add_argument("--png", type=Path)
    ap.add_argument("--md", type=Path)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x] + ([1_000_000] if args.million else [])
    store_sizes = {int(x) for x in args.store_sizes.split(",") if x}
    rows = []
    for n in sizes:
        recs = load(corpus(args.cache, n, args.seed))
        docs = [Doc(k, r["site"], r["text"]) for k, r in enumerate(recs)]
        load_avg = os.getloadavg()[0]
        res, wall, cpu, peak = measure(lambda docs=docs: reuse_parallel(docs, workers=args.workers))
        found = {(p.a_id, p.b_id) for p in res.pairs}
        truth = partial_copies(recs)
        row: dict[str, Any] = {"articles": n, "wall_s": wall, "cpu_s": cpu, "articles_per_s": n / wall,
                               "articles_per_cpu_s": n / cpu, "peak_mb": peak / 2**20, "pairs": len(res.pairs),
                               "candidates": len(res.candidates), "load_avg": load_avg,
                               "partial_copies": len(truth), "recall_partial": len(truth & found) / max(1, len(truth))}
        del res
        mh, row["rensa_s"], _, _ = measure(lambda recs=recs: minhash_rensa(recs))
        row["rensa_recall_partial"] = len(truth & mh) / max(1, len(truth))
        if n <= 20_000:
            dsk, row["datasketch_s"], _, _ = measure(lambda recs=recs: minhash_datasketch(recs))
            row["datasketch_recall_partial"] = len(truth & dsk) / max(1, len(truth))
        if n in store_sizes:
            row.update(run_store(recs, args.workers))
        rows.append(row)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    exp = slope([r["articles"] for r in rows], [r["wall_s"] for r in rows])
    exp_cpu = slope([r["articles"] for r in rows], [r["cpu_s"] for r in rows])
    print(f"growth exponent of time with corpus size: wall {exp:.2f}, CPU {exp_cpu:.2f}")
    for r in rows:
        print(f"{r['articles']:>8} articles: {r['articles_per_s']:.0f} articles/s wall ({r['articles_per_cpu_s']:.0f} "
              f"per CPU-second), peak {r['peak_mb']:.0f} MB, rensa MinHash {r['wall_s'] / r['rensa_s']:.1f}x faster; "
              f"recall on partial copies: newstrace {r['recall_partial']:.3f}, rensa {r['rensa_recall_partial']:.3f}"
              + (f", datasketch {r['datasketch_recall_partial']:.3f}" if "datasketch_recall_partial" in r else ""))
    if args.png:
        plot(rows, args.png)
    if args.md:
        with args.md.open("a", encoding="utf-8") as fh:
            fh.write("\n| articles | wall s | art/s | CPU s | art/CPU-s | peak MB | pairs | recall partial | "
                     "rensa s | rensa recall | datasketch s | datasketch recall | load avg |\n"
                     "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
            for r in rows:
                fh.write(f"| {r['articles']} | {r['wall_s']:.1f} | {r['articles_per_s']:.0f} | {r['cpu_s']:.1f} | "
                         f"{r['articles_per_cpu_s']:.0f} | {r['peak_mb']:.0f} | {r['pairs']} | "
                         f"{r['recall_partial']:.3f} | {r['rensa_s']:.1f} | {r['rensa_recall_partial']:.3f} | "
                         f"{r.get('datasketch_s', float('nan')):.1f} | "
                         f"{r.get('datasketch_recall_partial', float('nan')):.3f} | {r['load_avg']:.1f} |\n")
            fh.write(f"\nGrowth exponent of time with size: wall {exp:.2f}, CPU {exp_cpu:.2f}.\n")
            for r in rows:
                if "store_run_s" in r:
                    fh.write(f"\nThrough the store ({r['store_articles']} articles): write {r['store_write_s']:.1f} s, "
                             f"reuse {r['store_run_s']:.1f} s ({r['store_articles'] / r['store_run_s']:.0f} art/s, "
                             f"CPU {r['store_cpu_s']:.1f} s, peak {r['store_peak_mb']:.0f} MB); adding "
                             f"{r['incremental_articles']} articles: {r['incremental_s']:.1f} s "
                             f"({r['incremental_pairs']} new pairs).\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
