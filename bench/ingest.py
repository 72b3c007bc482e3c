"""Ingest speed: pages/s and peak memory for a folder of HTML pages, beside plain trafilatura.

    python bench/ingest.py [--pages 1000] [--workers 2] [--pages-dir DIR] [--out docs/bench/ingest.md]

The folder is a synthetic corpus (`newstrace synth`) unless --pages-dir names one. The figure
that matters is end to end: reading files, extraction on all cores, and committed writes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import tempfile
import threading
import time
from pathlib import Path

import psutil


class PeakRSS:
    """Samples the resident memory of this process and its children (the extraction pool)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            with contextlib.suppress(psutil.Error):
                for p in [me, *me.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):  # a worker may exit between the two calls
                        total += p.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_seconds() -> float:
    """User+system CPU of this process and its finished children (the pool is joined by then)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--pages-dir", type=Path)
    ap.add_argument("--baseline-pages", type=int, default=200, help="pages for the trafilatura baseline")
    ap.add_argument("--out", type=Path, default=Path("docs/bench/ingest.md"))
    args = ap.parse_args()

    from newstrace.ingest import ingest
    from newstrace.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        pages_dir = args.pages_dir
        if pages_dir is None:
            from newstrace.synth import SynthConfig, generate

            generate(SynthConfig(articles=args.pages, seed=11), Path(tmp) / "corpus")
            pages_dir = Path(tmp) / "corpus" / "html"
        files = sorted(p for p in pages_dir.rglob("*") if p.is_file())
        size_mb = sum(p.stat().st_size for p in files) / 1e6

        # Baseline: trafilatura.extract defaults on one core, same pages.
        import trafilatura

        sample = files[: args.baseline_pages]
        t0 = time.perf_counter()
        for f in sample:
            trafilatura.extract(f.read_bytes())
        base_rate = len(sample) / (time.perf_counter() - t0)

        store = Store(Path(tmp) / "bench.db")
        load = os.getloadavg()[0]
        cpu0 = _cpu_seconds()
        with PeakRSS() as mem:
            t0 = time.perf_counter()
            rep = ingest([str(pages_dir)], store, workers=args.workers, batch_size=200)
            secs = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        rate = rep.documents / secs
        store.close()

    lines = [
        "## Ingest speed (bench/ingest.py)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{len(files)} synthetic HTML pages ({size_mb:.1f} MB).",
        "",
        "| what | pages/s | peak memory |",
        "|---|---|---|",
        f"| `newstrace ingest` end to end, {args.workers} workers (extraction + SQLite writes) | {rate:.1f} | "
        f"{mem.peak / 1e6:.0f} MB (all processes) |",
        f"| plain `trafilatura.extract()` on one core, no storage | {base_rate:.1f} | — |",
        "",
        f"{rep.new} articles stored, {len(rep.errors)} errors, {secs:.1f} s wall, {cpu:.1f} CPU-s in all processes "
        f"({rep.documents / cpu:.1f} pages per CPU-second, i.e. about {rep.documents / cpu * args.workers:.0f} pages/s "
        f"on {args.workers} idle cores); load average {load:.1f} at the start (other work on the machine slows the "
        "wall-clock figure).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
