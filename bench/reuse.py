"""Speed and scale of the reuse pass, beside document-level MinHash LSH baselines.

    python bench/reuse.py [--sizes 10000,100000] [--store-sizes 10000,100000] [--million] [--workers 2]
                          [--chunk 25000] [--cache /tmp/newstrace-bench] [--png docs/bench/reuse-scaling.png]
                          [--md FILE]

For each size N a synthetic corpus is generated once (cached, truth only). `--sizes` run the whole
pass (boilerplate, fingerprints, candidates, alignment) in memory on articles built straight from
the truth text (`reuse_parallel`, all workers). `--store-sizes` (and `--million`, which adds
1,000,000) run it the way users do: N - 1,000 articles streamed into a SQLite store (built once,
cached, copied per run), indexed from scratch by the chunked runner (`run_reuse`), then the last
1,000 added as an incremental run. In memory, a million would hold every text and result (~20 GB),
so 1M runs through the store only. Printed: wall seconds, articles/s, CPU seconds (parent +
workers: the machine is shared, so wall time depends on the load), peak memory (PSS of parent +
workers, sampled every 200 ms), the growth exponent of time with N, and each method's recall on
partial copies (truth parent-child pairs where the child took under 80% of the parent or added
text of its own, sharing >= 40 words).
Baselines: rensa and datasketch MinHash LSH (128 permutations, word 5-shingles, threshold 0.5);
datasketch only up to 20,000 articles (it runs at about 500 documents/s); rensa streams the
corpus for store sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
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


def minhash_rensa(texts: Iterable[str]) -> set[tuple[int, int]]:
    """Pairs (index pairs) found by rensa's MinHash LSH; `texts` may stream (one signature kept per text)."""
    import rensa

    lsh = rensa.RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    mhs = []
    for k, text in enumerate(texts):
        m = rensa.RMinHash(num_perm=128, seed=42)
        m.update(shingles(text))
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


def truth_lines(path: Path) -> Iterator[dict]:
    with (path / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def count_lines(path: Path) -> int:
    with (path / "truth.jsonl").open("rb") as fh:
        return sum(1 for _ in fh)


def build_store(path: Path, db: Path, n: int) -> np.ndarray:
    """Write the first n - HELD_OUT truth articles into a SQLite store, streaming; cached beside the corpus.

    Returns the store id of each truth article (0 for the held-out ones, not yet written).
    """
    from newstrace.models import Article
    from newstrace.store import Store

    ids_file = db.with_suffix(".ids.npy")
    if db.is_file() and ids_file.is_file():
        return np.load(ids_file)
    db.unlink(missing_ok=True)
    ids = np.zeros(n, dtype=np.int64)
    store = Store(db)
    t0, batch, at = time.perf_counter(), [], 0
    for k, r in enumerate(truth_lines(path)):
        if k >= n - HELD_OUT:
            break
        batch.append(Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"]))
        if len(batch) == 5000:
            ids[at:at + len(batch)] = [w.article_id for w in store.write_articles(batch)]
            at, batch = at + len(batch), []
            print(f"  stored {at} articles ({at / (time.perf_counter() - t0):.0f}/s)", flush=True)
    if batch:
        ids[at:at + len(batch)] = [w.article_id for w in store.write_articles(batch)]
    store.close()
    np.save(ids_file, ids)
    return ids


def partial_copies_streaming(path: Path) -> set[tuple[int, int]]:
    """`partial_copies` without holding the corpus: two passes over truth.jsonl."""
    where: dict[str, tuple[int, int]] = {}
    for k, r in enumerate(truth_lines(path)):
        where[r["url"]] = (k, len(r["text"]))
    out = set()
    for k, r in enumerate(truth_lines(path)):
        for par in r["parents"]:
            hit = where.get(par["url"])
            if hit is None or not par["passages"]:
                continue
            p, plen = hit
            child_chars = sum(x["child_end"] - x["child_start"] for x in par["passages"])
            parent_chars = sum(x["parent_end"] - x["parent_start"] for x in par["passages"])
            words = sum(len(r["text"][x["child_start"]:x["child_end"]].split()) for x in par["passages"])
            if (child_chars < 0.8 * len(r["text"]) or parent_chars < 0.8 * plen) and words >= 40:
                out.add((min(k, p), max(k, p)))
    return out


def run_store(path: Path, n: int, workers: int, chunk: int, cache: Path) -> dict[str, Any]:
    """The reuse pass through a SQLite store (`run_reuse`, chunked), then 1,000 more articles added.

    The store is built once, streaming, and cached; each run copies it and indexes the copy from
    scratch, so peak memory is the runner's and its workers', not the corpus's.
    """
    import shutil

    from newstrace.models import Article
    from newstrace.reuse.runner import run_reuse
    from newstrace.store import Store

    base_db = cache / f"store-{path.name}.db"
    t0 = time.perf_counter()
    ids = build_store(path, base_db, n)
    out: dict[str, Any] = {"store_build_s": time.perf_counter() - t0}
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        db = Path(tmp) / "bench.db"
        shutil.copyfile(base_db, db)
        store = Store(db)
        load_avg = os.getloadavg()[0]
        rep, wall, cpu, peak = measure(lambda: run_reuse(store, workers=workers, chunk_size=chunk))
        out.update(store_articles=n - HELD_OUT, store_run_s=wall, store_cpu_s=cpu, store_peak_mb=peak / 2**20,
                   store_pairs=rep.pairs, store_merges=rep.merges, store_redone=rep.redone_articles,
                   store_timings=rep.timings, store_load_avg=load_avg, chunk=chunk)
        out["index_mb"] = sum(f.stat().st_size for f in store.reuse_index_dir().glob("*.npy")) / 2**20
        by_id = {int(i): k for k, i in enumerate(ids) if i}
        found = set()
        for pr in store.all_pairs():
            a, b = by_id.get(pr.a_id), by_id.get(pr.b_id)
            if a is not None and b is not None:
                found.add((min(a, b), max(a, b)))
        extra = [Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"])
                 for k, r in enumerate(truth_lines(path)) if k >= n - HELD_OUT]
        store.write_articles(extra)
        for k, a in enumerate(extra):
            if a.id:
                by_id[a.id] = n - HELD_OUT + k
        load2 = os.getloadavg()[0]
        rep2, wall2, cpu2, peak2 = measure(lambda: run_reuse(store, workers=workers, chunk_size=chunk))
        out.update(incremental_articles=rep2.new_articles, incremental_s=wall2, incremental_cpu_s=cpu2,
                   incremental_peak_mb=peak2 / 2**20, incremental_pairs=rep2.pairs,
                   incremental_redone=rep2.redone_articles, incremental_sites_remarked=len(rep2.sites_remarked),
                   incremental_timings=rep2.timings, incremental_load_avg=load2)
        for pr in store.all_pairs():
            a, b = by_id.get(pr.a_id), by_id.get(pr.b_id)
            if a is not None and b is not None:
                found.add((min(a, b), max(a, b)))
        store.close()
    out["found"] = found
    return out


def slope(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 2:
        return float("nan")
    lx, ly = [math.log(x) for x in xs], [math.log(max(y, 1e-9)) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def plot(rows: list[dict], srows: list[dict], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    if rows:
        n = [r["articles"] for r in rows]
        ax1.loglog(n, [r["wall_s"] for r in rows], "o-", label="newstrace reuse, in memory (wall)")
        ax1.loglog(n, [r["cpu_s"] for r in rows], "o--", label="newstrace reuse, in memory (CPU, all processes)")
        ax2.loglog(n, [r["peak_mb"] for r in rows], "o-", label="newstrace reuse, in memory")
    if srows:
        m = [r["store_articles"] for r in srows]
        ax1.loglog(m, [r["store_run_s"] for r in srows], "D-", label="newstrace reuse, store, chunked (wall)")
        ax1.loglog(m, [r["store_cpu_s"] for r in srows], "D--", label="newstrace reuse, store, chunked (CPU)")
        ax2.loglog(m, [r["store_peak_mb"] for r in srows], "D-", label="newstrace reuse, store, chunked")
        ax2.loglog(m, [r["rensa_peak_mb"] for r in srows], "s:", label="MinHash LSH (rensa)")
    mh = sorted([(r["articles"], r["rensa_s"]) for r in rows] + [(r["articles"], r["rensa_s"]) for r in srows])
    if mh:
        ax1.loglog(*zip(*mh, strict=True), "s-", label="MinHash LSH (rensa)")
    ds = [(r["articles"], r["datasketch_s"]) for r in rows if r.get("datasketch_s")]
    if ds:
        ax1.loglog(*zip(*ds, strict=True), "^-", label="MinHash LSH (datasketch)")
    ax1.set_xlabel("articles")
    ax1.set_ylabel("seconds")
    ax1.legend(fontsize=7)
    ax1.grid(True, which="both", alpha=0.3)
    ax2.set_xlabel("articles")
    ax2.set_ylabel("peak MB (PSS, all processes)")
    ax2.legend(fontsize=7)
    ax2.grid(True, which="both", alpha=0.3)
    fig.suptitle("Reuse pass on synthetic corpora (2-core machine)")
    fig.tight_layout()
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=110)


def store_row(path: Path, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """One corpus through the store (chunked runner + 1,000 incremental) beside rensa, both streaming."""
    out = run_store(path, n, args.workers, args.chunk, args.cache)
    found = out.pop("found")
    truth = partial_copies_streaming(path)
    out.update(articles=n, partial_copies=len(truth), recall_partial=len(truth & found) / max(1, len(truth)))
    if args.no_baselines:
        out.update(rensa_s=float("nan"), rensa_peak_mb=float("nan"), rensa_recall_partial=float("nan"))
        return out
    mh, out["rensa_s"], _, out["rensa_peak_mb"] = measure(lambda: minhash_rensa(r["text"] for r in truth_lines(path)))
    out["rensa_peak_mb"] /= 2**20
    out["rensa_recall_partial"] = len(truth & mh) / max(1, len(truth))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="sizes run in memory (reuse_parallel)")
    ap.add_argument("--million", action="store_true",
                    help="also run 1,000,000 articles through the store (long; in memory it would need ~20 GB)")
    ap.add_argument("--store-sizes", default="10000", help="sizes run through a SQLite store ('' for none)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=25_000, help="articles per step of the store runner")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newstrace-bench")
    ap.add_argument("--no-baselines", action="store_true", help="skip MinHash for store sizes (a rerun)")
    ap.add_argument("--one-store", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--png", type=Path)
    ap.add_argument("--md", type=Path)
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    store_sizes = sorted({int(x) for x in args.store_sizes.split(",") if x} | ({1_000_000} if args.million else set()))
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
        del res, docs
        mh, row["rensa_s"], _, _ = measure(lambda recs=recs: minhash_rensa(r["text"] for r in recs))
        row["rensa_recall_partial"] = len(truth & mh) / max(1, len(truth))
        if n <= 20_000:
            dsk, row["datasketch_s"], _, _ = measure(lambda recs=recs: minhash_datasketch(recs))
            row["datasketch_recall_partial"] = len(truth & dsk) / max(1, len(truth))
        del recs
        rows.append(row)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    if args.one_store:  # a child of the run below: one store size, its row as the last line
        srow = store_row(corpus(args.cache, args.one_store, args.seed), args.one_store, args)
        print(json.dumps(srow), flush=True)
        return 0
    srows = []
    for n in store_sizes:
        # each store size in a fresh process: the peak must not include what the in-memory runs left behind
        cmd = [sys.executable, __file__, "--one-store", str(n), "--sizes", "", "--store-sizes", "",
               "--workers", str(args.workers), "--chunk", str(args.chunk), "--seed", str(args.seed),
               "--cache", str(args.cache)] + (["--no-baselines"] if args.no_baselines else [])
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
        *progress_lines, last = proc.stdout.strip().splitlines()
        print("\n".join(progress_lines), flush=True)
        srow = json.loads(last)
        srows.append(srow)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in srow.items()}), flush=True)
    report(rows, srows, args)
    return 0


def report(rows: list[dict], srows: list[dict], args: argparse.Namespace) -> None:
    lines = []
    if len(rows) > 1:
        exp = slope([r["articles"] for r in rows], [r["wall_s"] for r in rows])
        exp_cpu = slope([r["articles"] for r in rows], [r["cpu_s"] for r in rows])
        lines.append(f"In memory, growth exponent of time with corpus size: wall {exp:.2f}, CPU {exp_cpu:.2f}.")
    if len(srows) > 1:
        xs = [r["store_articles"] for r in srows]
        lines.append(f"Through the store, growth exponent: wall {slope(xs, [r['store_run_s'] for r in srows]):.2f}, "
                     f"CPU {slope(xs, [r['store_cpu_s'] for r in srows]):.2f}, "
                     f"peak memory {slope(xs, [r['store_peak_mb'] for r in srows]):.2f}.")
    for r in rows:
        lines.append(
            f"{r['articles']:>8} articles in memory: {r['articles_per_s']:.0f} articles/s wall "
            f"({r['articles_per_cpu_s']:.0f} per CPU-second), peak {r['peak_mb']:.0f} MB, rensa MinHash "
            f"{r['wall_s'] / r['rensa_s']:.1f}x faster; recall on partial copies: newstrace {r['recall_partial']:.3f}, "
            f"rensa {r['rensa_recall_partial']:.3f}"
            + (f", datasketch {r['datasketch_recall_partial']:.3f}" if "datasketch_recall_partial" in r else ""))
    for r in srows:
        m = r["store_articles"]
        lines.append(
            f"{m:>8} articles through the store (chunks of {r['chunk']}): {r['store_run_s']:.0f} s wall "
            f"({m / r['store_run_s']:.0f} articles/s, {m / r['store_cpu_s']:.0f} per CPU-second, load "
            f"{r['store_load_avg']:.1f}), peak {r['store_peak_mb']:.0f} MB, index {r['index_mb']:.0f} MB, "
            f"{r['store_pairs']} pairs, {r['store_merges']} merges; +{r['incremental_articles']} articles: "
            f"{r['incremental_s']:.1f} s ({r['incremental_pairs']} pairs, {r['incremental_redone']} redone, peak "
            f"{r['incremental_peak_mb']:.0f} MB); rensa {r['rensa_s']:.0f} s (peak {r['rensa_peak_mb']:.0f} MB), "
            f"{r['store_run_s'] / r['rensa_s']:.1f}x faster; recall on partial copies: newstrace "
            f"{r['recall_partial']:.3f}, rensa {r['rensa_recall_partial']:.3f}")
    print("\n".join(lines))
    if args.png:
        plot(rows, srows, args.png)
    if args.md:
        with args.md.open("a", encoding="utf-8") as fh:
            if rows:
                fh.write("\n| articles (in memory) | wall s | art/s | CPU s | art/CPU-s | peak MB | pairs | "
                         "recall partial | rensa s | rensa recall | datasketch s | datasketch recall | load avg |\n"
                         "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
                for r in rows:
                    fh.write(f"| {r['articles']} | {r['wall_s']:.1f} | {r['articles_per_s']:.0f} | {r['cpu_s']:.1f} | "
                             f"{r['articles_per_cpu_s']:.0f} | {r['peak_mb']:.0f} | {r['pairs']} | "
                             f"{r['recall_partial']:.3f} | {r['rensa_s']:.1f} | {r['rensa_recall_partial']:.3f} | "
                             f"{r.get('datasketch_s', float('nan')):.1f} | "
                             f"{r.get('datasketch_recall_partial', float('nan')):.3f} | {r['load_avg']:.1f} |\n")
            if srows:
                fh.write("\n| articles (store) | chunk | wall s | art/s | CPU s | art/CPU-s | peak MB | index MB | "
                         "pairs | merges | +1,000 s | +1,000 peak MB | recall partial | rensa s | rensa recall | "
                         "load avg |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
                for r in srows:
                    m = r["store_articles"]
                    fh.write(f"| {m} | {r['chunk']} | {r['store_run_s']:.1f} | {m / r['store_run_s']:.0f} | "
                             f"{r['store_cpu_s']:.1f} | {m / r['store_cpu_s']:.0f} | {r['store_peak_mb']:.0f} | "
                             f"{r['index_mb']:.0f} | {r['store_pairs']} | {r['store_merges']} | "
                             f"{r['incremental_s']:.1f} | {r['incremental_peak_mb']:.0f} | {r['recall_partial']:.3f} | "
                             f"{r['rensa_s']:.1f} | {r['rensa_recall_partial']:.3f} | {r['store_load_avg']:.1f} |\n")
            fh.write("\n" + "\n".join(lines[:2]) + "\n")


if __name__ == "__main__":
    sys.exit(main())
