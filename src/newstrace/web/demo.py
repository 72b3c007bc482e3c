"""A store built from the synthetic corpus (synth -> ingest -> reuse -> provenance -> quotes), with
optional extra records: for the web tests, the web benchmark, and trying the UI without real data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build_demo_store(out_dir: str | Path, articles: int = 300, seed: int = 1,
                     extra_records: list[dict[str, Any]] | None = None, workers: int = 1,
                     log: Callable[[str], None] | None = None) -> Path:
    """Generate a corpus under `out_dir` and run every analysis over it; returns the database path.

    The corpus is written as JSONL (fast to ingest); `extra_records` are appended to it as more rows
    (our field names: url, title, text, date, site, language...).
    """
    import time

    from ..ingest import ingest
    from ..provenance.runner import update_provenance
    from ..quotes.runner import update as update_quotes
    from ..reuse.runner import run_reuse
    from ..sources import SourceOptions
    from ..store import Store
    from ..synth import SynthConfig, generate

    out = Path(out_dir)
    say = log or (lambda _m: None)
    t = time.perf_counter()
    generate(SynthConfig(articles=articles, seed=seed, jsonl=True, html=False), out / "corpus")
    jsonl = out / "corpus" / "corpus.jsonl"
    if extra_records:
        with jsonl.open("a", encoding="utf-8") as fh:
            for rec in extra_records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    say(f"synth {time.perf_counter() - t:.1f}s")
    db = out / "newstrace.db"
    store = Store(db)
    try:
        for name, step in (
            ("ingest", lambda: ingest([str(jsonl)], store, SourceOptions(), kind="jsonl", workers=workers)),
            ("reuse", lambda: run_reuse(store, workers=workers)),
            ("provenance", lambda: update_provenance(store)),
            ("quotes", lambda: update_quotes(store)),
        ):
            t = time.perf_counter()
            step()
            say(f"{name} {time.perf_counter() - t:.1f}s")
    finally:
        store.close()
    return db
