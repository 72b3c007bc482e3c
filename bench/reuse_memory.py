"""Peak memory of the store runner by chunk size: the corpus is written once, then indexed from scratch
with each chunk size (`run_reuse(rebuild=True, chunk_size=C)`).

    python bench/reuse_memory.py [--sizes 10000,50000] [--chunks 5000,1000000] [--workers 2]
                                 [--cache /tmp/newstrace-bench] [--md FILE]

A size N uses the first N records of the smallest cached synthetic corpus with at least N articles
(generated when none is cached). Peak memory is the PSS of this process and its workers, sampled every
200 ms, with the truth records already freed; the index size is the bytes of its segment files.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newstrace.models import Article  # noqa: E402
from newstrace.reuse.runner import run_reuse  # noqa: E402
from newstrace.store import Store  # noqa: E402
from reuse import corpus, measure  # noqa: E402


def source(cache: Path, n: int, seed: int) -> Path:
    cached = sorted((int(p.name.split("-")[1]), p) for p in cache.glob(f"synth-*-{seed}")
                    if (p / "truth.jsonl").is_file() and int(p.name.split("-")[1]) >= n)
    return cached[0][1] if cached else corpus(cache, n, seed)


def write_store(path: Path, truth: Path, n: int) -> None:
    store = Store(path)
    batch: list[Article] = []
    with (truth / "truth.jsonl").open(encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= n:
                break
            r = json.loads(line)
            batch.append(Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"]))
            if len(batch) == 2000:
                store.write_articles(batch)
                batch = []
    if batch:
        store.write_articles(batch)
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--chunks", default="5000,1000000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newstrace-bench")
    ap.add_argument("--md", type=Path)
    args = ap.parse_args(argv)
    rows = []
    for n in [int(x) for x in args.sizes.split(",") if x]:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            write_store(db, source(args.cache, n, args.seed), n)
            gc.collect()
            for c in [int(x) for x in args.chunks.split(",") if x]:
                store = Store(db)
                rep, wall, cpu, peak = measure(lambda s=store, c=c: run_reuse(s, workers=args.workers, rebuild=True,
                                                                                chunk_size=c))
                stored_pairs = store.reuse_stats()["pairs"]
                index = sum(f.stat().st_size for f in store.reuse_index_dir().glob("*.npy"))
                store.close()
                row = {"articles": n, "chunk": min(c, n), "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "art_per_cpu_s": round(n / cpu), "peak_mb": round(peak / 2**20),
                       "index_mb": round(index / 2**20, 1),
                       "pairs": stored_pairs, "redone": rep.redone_articles}
                rows.append(row)
                print(json.dumps(row), flush=True)
    if args.md:
        with args.md.open("a", encoding="utf-8") as fh:
            fh.write("\n| articles | chunk | wall s | CPU s | art/CPU-s | peak MB (PSS) | index MB | pairs | redone |\n"
                     "|---|---|---|---|---|---|---|---|---|\n")
            for r in rows:
                fh.write(f"| {r['articles']} | {r['chunk']} | {r['wall_s']} | {r['cpu_s']} | {r['art_per_cpu_s']} | "
                         f"{r['peak_mb']} | {r['index_mb']} | {r['pairs']} | {r['redone']} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
