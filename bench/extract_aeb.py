"""Article-body extraction accuracy and speed on the Article Extraction Benchmark (Zyte/ScrapingHub).

Usage: python bench/extract_aeb.py [--limit N] [--sweep] [--no-write]

Compares newstrace's `extract_article` ("\\n".join(paragraphs)) with plain `trafilatura.extract(html)`
defaults in the same run, using the benchmark's own metric: \\w+ tokens, multisets of word 4-grams,
per-page TP/FP/FN normalised by the page's total, precision/recall/F1 from sums over pages, and
accuracy = share of pages whose token lists are identical. `--sweep` also scores trafilatura option
sets through our pipeline (how TRAFILATURA_OPTIONS was chosen). Writes docs/bench/extract.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "scrapinghub-aeb"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[str]:
    """Word n-grams as the benchmark builds them (a text shorter than n is one shingle)."""
    toks = tokens(text)
    return Counter(" ".join(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def page_scores(truth: str, pred: str | None) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) for one page: each page weighs the same whatever its length."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aggregate(pairs: list[tuple[str, str | None]]) -> dict[str, float]:
    """Precision, recall, F1 from summed per-page scores, and exact-token accuracy."""
    tp = fp = fn = 0.0
    exact = 0
    for truth, pred in pairs:
        a, b, c = page_scores(truth, pred)
        tp, fp, fn = tp + a, fp + b, fn + c
        exact += tokens(truth) == tokens(pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": exact / len(pairs) if pairs else 0.0}


def load_pages(limit: int | None = None, data: Path = DATA) -> list[tuple[str, str, bytes, str]]:
    """(id, url, html bytes, truth articleBody) for each page, sorted by id."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for page_id in sorted(truth)[:limit]:
        path = data / "html" / f"{page_id}.html.gz"
        if path.exists():
            out.append((page_id, truth[page_id].get("url") or "", gzip.decompress(path.read_bytes()),
                        truth[page_id].get("articleBody") or ""))
    return out


def ours(page_id: str, url: str, html: bytes) -> str | None:
    from newstrace.extract import extract_article
    from newstrace.models import RawDocument

    doc = RawDocument(source=page_id, ingest_source="html", url=url or None, html=html)
    art = extract_article(doc, keep_html=False)
    return art.text if hasattr(art, "paragraphs") else None


def trafilatura_defaults(page_id: str, url: str, html: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(html)


def _cold_caches() -> None:
    """Empty trafilatura's/htmldate's LRU caches (untimed) so no extractor profits from the one before it."""
    import gc
    from unittest import mock

    import trafilatura.meta

    with mock.patch.object(gc, "collect", lambda *a: 0):  # the caches, not a full collection
        trafilatura.meta.reset_caches()


def run(extractors: dict[str, Callable[[str, str, bytes], str | None]],
        pages: list[tuple[str, str, bytes, str]]) -> list[dict]:
    """Score every extractor; pages outer, extractors inner, so a busy neighbour slows them all alike."""
    pairs: dict[str, list[tuple[str, str | None]]] = {name: [] for name in extractors}
    cpu = dict.fromkeys(extractors, 0.0)
    wall = dict.fromkeys(extractors, 0.0)
    for page_id, url, html, truth in pages:
        for name, fn in extractors.items():
            _cold_caches()
            w, c = time.perf_counter(), time.process_time()
            pairs[name].append((truth, fn(page_id, url, html)))
            cpu[name] += time.process_time() - c
            wall[name] += time.perf_counter() - w
    rows = []
    for name in extractors:
        scores = aggregate(pairs[name])
        # pages per CPU-second: on a shared machine wall time measures the neighbours, not us
        scores.update(name=name, pages_per_s=len(pages) / cpu[name] if cpu[name] else 0.0,
                      wall_pages_per_s=len(pages) / wall[name] if wall[name] else 0.0)
        rows.append(scores)
    return rows


def _with_options(options: dict) -> Callable[[str, str, bytes], str | None]:
    def fn(page_id: str, url: str, html: bytes) -> str | None:
        from newstrace import extract

        saved = dict(extract.TRAFILATURA_OPTIONS)
        extract.TRAFILATURA_OPTIONS.clear()
        extract.TRAFILATURA_OPTIONS.update(options)
        try:
            return ours(page_id, url, html)
        finally:
            extract.TRAFILATURA_OPTIONS.clear()
            extract.TRAFILATURA_OPTIONS.update(saved)

    return fn


_BASE = {"include_links": True, "include_comments": False}
SWEEP = {
    "ours with trafilatura defaults (links, no comments)": _BASE,
    "ours with favor_precision": {**_BASE, "favor_precision": True},
    "ours with fast + favor_precision": {**_BASE, "fast": True, "favor_precision": True},
    "ours with fast + favor_recall": {**_BASE, "fast": True, "favor_recall": True},
    "ours with fast, links dropped": {"fast": True, "include_comments": False},
}


def synth_check(articles: int = 500, seed: int = 7) -> dict:
    """Extraction on the synthetic corpus against its truth: exact body text, dates, canonical, credits, speed."""
    import tempfile

    from newstrace.extract import extract_article
    from newstrace.models import RawDocument
    from newstrace.sites import name_matches_site
    from newstrace.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "corpus"
        generate(SynthConfig(articles=articles, seed=seed), out)
        truth = {t["url"]: t for t in map(json.loads, (out / "truth.jsonl").read_text("utf-8").splitlines())}
        names = {x["domain"]: x["name"] for x in json.loads((out / "sites.json").read_text("utf-8"))}
        files = sorted((out / "html").rglob("*.html"))
        data = [(str(p), p.read_bytes()) for p in files]
        cpu = time.process_time()
        arts = [extract_article(RawDocument(source=src, ingest_source="html", html=raw)) for src, raw in data]
        cpu = time.process_time() - cpu
    got = {a.url: a for a in arts if hasattr(a, "paragraphs")}
    pairs = [(t, got.get(u)) for u, t in truth.items()]
    dated = [(t, a) for t, a in pairs if a is not None and t["published_page"]]
    credits = [(c, a) for t, a in pairs if a is not None for c in t["credits"]]
    return {
        "pages": len(data),
        "errors": len(data) - len(got),
        "text_exact": sum(a is not None and a.text == t["text"] for t, a in pairs) / len(pairs),
        "date_exact": sum(a.published is not None and a.published.isoformat() == t["published_page"]
                          for t, a in dated) / max(1, len(dated)),
        "canonical": sum(a is not None and a.canonical_url == t["canonical_url"] for t, a in pairs) / len(pairs),
        "credit_recall": sum(any(s.domain == c["names_site"] or (s.outlet and name_matches_site(
            s.outlet, c["names_site"], names.get(c["names_site"]))) for s in a.attributions)
            for c, a in credits) / max(1, len(credits)),
        "pages_per_cpu_s": len(data) / cpu if cpu else 0.0,
    }


def synth_table(r: dict) -> str:
    return ("| pages | errors | body text exact | declared date exact | canonical as declared | credits found "
            "| pages per CPU-s |\n|---|---|---|---|---|---|---|\n"
            f"| {r['pages']} | {r['errors']} | {r['text_exact']:.3f} | {r['date_exact']:.3f} | {r['canonical']:.3f} "
            f"| {r['credit_recall']:.3f} | {r['pages_per_cpu_s']:.1f} |")


def table(rows: list[dict]) -> str:
    lines = ["| extractor | F1 | precision | recall | accuracy | pages per CPU-s | pages per wall-s |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} | "
                     f"{r['accuracy']:.3f} | {r['pages_per_s']:.1f} | {r['wall_pages_per_s']:.1f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--sweep", action="store_true", help="also score alternative trafilatura option sets")
    ap.add_argument("--no-write", action="store_true", help="do not write docs/bench/extract.md")
    ap.add_argument("--synth", type=int, default=500, help="also check N synthetic pages against their truth (0: skip)")
    args = ap.parse_args()
    synth = None
    if args.synth:
        synth = synth_check(args.synth)
        print(f"synthetic corpus ({args.synth} articles, seed 7)\n")
        print(synth_table(synth) + "\n")
    if not (DATA / "ground-truth.json").exists():
        print(f"skipped: benchmark data not found at {DATA} (needs ../shared/data/scrapinghub-aeb)")
        return 0
    pages = load_pages(args.limit)
    from newstrace.extract import TRAFILATURA_OPTIONS

    # warm-up (imports, lxml parsers) so the first timed extractor is not charged for them
    for _, url, html, _t in pages[:3]:
        trafilatura_defaults("", url, html)
        ours("", url, html)
    extractors = {"trafilatura.extract(html) defaults": trafilatura_defaults,
                  f"newstrace extract_article ({_describe(TRAFILATURA_OPTIONS)})": ours}
    if args.sweep:
        extractors.update({name: _with_options(options) for name, options in SWEEP.items()})
    rows = run(extractors, pages)
    out = table(rows)
    print(f"{len(pages)} pages, one process\n")
    print(out)
    if not args.no_write and args.limit is None:
        _write_doc(rows, len(pages), synth)
    return 0


def _describe(options: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items() if v is not False) or "defaults"


def _write_doc(rows: list[dict], n: int, synth: dict | None) -> None:
    import platform

    doc = REPO / "docs" / "bench" / "extract.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    head = (
        "## Extraction: article body on the Article Extraction Benchmark\n\n"
        f"`python bench/extract_aeb.py --sweep` on {n} pages of `../shared/data/scrapinghub-aeb`, one process, "
        f"Python {platform.python_version()}. Metric as in the benchmark: `\\w+` tokens, word 4-gram multisets, "
        "per-page normalised TP/FP/FN, P/R/F1 from sums over pages; accuracy = pages whose token lists match "
        "exactly. Speed is pages per CPU-second of the one process (wall-clock beside it; the machine was "
        "shared with other jobs, so wall figures are low and noisy). newstrace's figure is "
        "`\"\\n\".join(paragraphs)` from `extract_article`, which also decodes the bytes and reads URLs, dates, "
        "title, authors, language and credit statements for every page; its speed includes all of that.\n\n"
    )
    sys.stdout.flush()
    text = head + table(rows) + "\n\n" + NOTES + "\n"
    if synth:
        text += ("\n### Extraction on the synthetic corpus\n\n"
                 f"`newstrace.synth` pages ({synth['pages']} articles, seed 7, languages en/ru/zh) checked against "
                 "their truth: body text exactly as the truth states it, declared publication time to the second "
                 "(UTC), canonical URL as declared, and each truth credit found among the page's attribution "
                 "statements (by domain, or by outlet name matched to the credited site's domain or name).\n\n"
                 + synth_table(synth) + "\n")
    doc.write_text(text, encoding="utf-8")
    print(f"\nwrote {doc.relative_to(REPO)}")


NOTES = """How the options were chosen (the sweep rows above, all through our pipeline):

- **Chosen: `fast=True, include_links=True, include_comments=False`.** Above plain trafilatura defaults
  in F1 and faster per page although it also reads all metadata and credits. `fast` skips trafilatura's
  readability/jusText comparisons.
- Most of the gain over `trafilatura.extract(html)` defaults is `include_comments=False`: `extract()`
  appends reader comments to its text by default (measured separately: defaults without comments
  F1 0.960; with `fast` too 0.963). Reader comments are not the article.
- `favor_precision=True` (without `fast`) gives the best F1 (0.966) but is about a quarter slower per page;
  the ingest target (40 pages/s on 2 cores including storage) weighs more. Revisit if accuracy matters more.
- `fast` + `favor_precision` loses recall (0.936) and falls below the defaults: rejected.
- `fast` + `favor_recall` scores the same F1 here and is a little faster (it skips the balanced mode's
  page-share check), but on the synthetic corpus it keeps the header of short Chinese pages and loses
  exact body text on 3 pages in 1,000 (balanced: none): rejected.
- Keeping links costs about 0.002 F1 (`fast`, links dropped: 0.963) but credit links in the body are
  provenance evidence. We serialise trafilatura's XML body ourselves, one paragraph per block, without
  markdown: `extract(include_links=True)` text carries `[anchor](url)` and scores F1 0.906.
- When trafilatura falls back to its whole-page "rescue" (one paragraph, header included; common on short
  CJK pages) we re-run once with `favor_precision` and keep that if it finds paragraphs."""


if __name__ == "__main__":
    sys.exit(main())
