"""Synthetic corpus generation speed and memory: articles/s (wall and CPU) and peak RSS per corpus size.

Usage: python bench/synth.py [--sizes 10000,100000] [--outputs html|warc|jsonl|all|none] [--md docs/bench/synth.md]

Each size runs in a fresh subprocess (so peak RSS belongs to that run alone), writing into a temporary
folder that is deleted afterwards. RSS is also sampled at 10% and at 100% of the run: equal figures
show that memory does not grow with the corpus (stories are generated and written one at a time).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one(articles: int, outputs: str, seed: int) -> dict[str, float | int | str]:
    """Generate one corpus in this process and measure it."""
    import psutil

    from newstrace.synth import SynthConfig, generate

    proc = psutil.Process()
    samples: dict[str, int] = {}

    def progress(n: int) -> None:
        if "rss_10pct_mb" not in samples and n >= articles // 10:
            samples["rss_10pct_mb"] = proc.memory_info().rss >> 20

    cfg = SynthConfig(articles=articles, seed=seed, html=outputs in ("html", "all"),
                      warc=outputs in ("warc", "all"), jsonl=outputs in ("jsonl", "all"))
    tmp = Path(tempfile.mkdtemp(prefix="synth-bench-"))
    try:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        summary = generate(cfg, tmp / "corpus", progress=progress)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        size = sum(p.stat().st_size for p in (tmp / "corpus").rglob("*") if p.is_file())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"articles": articles, "outputs": outputs, "sites": summary.sites, "copies": summary.copies,
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "articles_per_s_wall": round(articles / wall),
            "articles_per_s_cpu": round(articles / cpu), "rss_10pct_mb": samples.get("rss_10pct_mb", 0),
            "rss_end_mb": proc.memory_info().rss >> 20,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
            "output_mb": round(size / 2**20)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    ap.add_argument("--outputs", default="jsonl", choices=("html", "warc", "jsonl", "all", "none"),
                    help="which outputs to write besides truth.jsonl (default jsonl: no per-article files)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--md", type=Path, help="write a markdown fragment here")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.outputs, args.seed)))
        return 0
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--outputs", args.outputs,
                              "--seed", str(args.seed)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row))
    if args.md:
        head = ("| articles | outputs | sites | wall s | CPU s | articles/s (wall) | articles/s (CPU) "
                "| RSS at 10% MB | RSS at end MB | peak RSS MB | output MB |\n|" + "---|" * 11 + "\n")
        lines = "".join(f"| {r['articles']:,} | {r['outputs']} | {r['sites']} | {r['wall_s']} | {r['cpu_s']} "
                        f"| {r['articles_per_s_wall']:,} | {r['articles_per_s_cpu']:,} | {r['rss_10pct_mb']} "
                        f"| {r['rss_end_mb']} | {r['peak_rss_mb']} | {r['output_mb']} |\n" for r in rows)
        machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
        args.md.parent.mkdir(parents=True, exist_ok=True)
        with open(args.md, "a", encoding="utf-8") as fh:
            fh.write(f"\nMeasured with `python bench/synth.py --sizes {args.sizes} --outputs {args.outputs}` "
                     f"({machine}, one process):\n\n{head}{lines}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
