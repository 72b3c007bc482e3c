"""Matching against already fact-checked claims: CLEF 2020 CheckThat! Task 2 (English), tweets -> Snopes claims.

Prints, for train and dev: MAP@5 of the claim index's BM25 ranking (claim + headline, `newstrace.claims`) and of
the same candidates re-ranked by coverage (the IDF-weighted share of the claim's words the tweet holds); then,
for the match rule newstrace applies to article sentences (`claims.repeats`: coverage ≥ threshold and ≥ 4 of the
claim's words, or 3 covering 80% of it),
how many tweets get a match and how often their best match is a right one (precision), per threshold.

The tweets are whole queries here (the task's setting); newstrace matches each sentence of an article.

Usage: python bench/claims_clef.py [--data ../shared/data/clef2020-task2] [--md docs/bench/claims.md]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from newstrace.claims import MIN_COVERAGE, ClaimIndex, read_claims, repeats, tokens

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clef2020-task2"


def load_split(folder: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    with (folder / "tweets.queries.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    tweets = {r[0]: r[1] for r in rows[1:] if len(r) >= 2}
    gold: dict[str, set[str]] = {}
    for line in (folder / "tweet-vclaim-pairs.qrels").read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if len(parts) == 4 and parts[3] == "1":
            gold.setdefault(parts[0], set()).add(parts[2])
    return tweets, gold


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, r in enumerate(ranked[:k], start=1):
        if r in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), k) if relevant else 0.0


def evaluate(index: ClaimIndex, tweets: dict[str, str], gold: dict[str, set[str]],
             thresholds: tuple[float, ...]) -> dict[str, object]:
    ids = [t for t in tweets if t in gold]
    toks = [tokens(tweets[t]) for t in ids]
    docs, scores = index.search(toks, k=20)
    ap_bm25, ap_cov = [], []
    tops: list[tuple[float, int, bool]] = []  # (coverage, words, right) of each tweet's best by coverage
    for t, q, row, srow in zip(ids, toks, docs, scores, strict=True):
        qs = set(q)
        cands = [(index.checks[int(d)].ext_id, float(s), *index.coverage(int(d), qs))
                 for d, s in zip(row, srow, strict=True) if s > 0]
        ap_bm25.append(average_precision([c[0] for c in cands], gold[t]))
        by_cov = sorted(cands, key=lambda c: (-c[2], -c[1]))
        ap_cov.append(average_precision([c[0] for c in by_cov], gold[t]))
        if by_cov:
            tops.append((by_cov[0][2], by_cov[0][3], by_cov[0][0] in gold[t]))
    out: dict[str, object] = {"tweets": len(ids), "map5_bm25": sum(ap_bm25) / len(ids),
                              "map5_coverage": sum(ap_cov) / len(ids)}
    for th in thresholds:
        kept = [right for cov, words, right in tops if repeats(cov, words, th)]
        out[f"matched@{th}"] = len(kept) / len(ids)
        out[f"precision@{th}"] = sum(kept) / len(kept) if kept else float("nan")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--md", type=Path, default=None, help="write the table (markdown) here")
    args = ap.parse_args(argv)
    if not (args.data / "verified_claims.docs.tsv").exists():
        print(f"CLEF 2020 Task 2 not found at {args.data}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    claims = read_claims(args.data / "verified_claims.docs.tsv")
    index = ClaimIndex(claims.rows)
    built = time.perf_counter() - t0
    thresholds = (0.4, 0.5, MIN_COVERAGE, 0.7, 0.8)
    lines = [f"{len(claims.rows):,} claims indexed in {built:.1f} s ({len(claims.skipped)} rows skipped)", "",
             "| split | tweets | MAP@5, BM25 | MAP@5, re-ranked by coverage | "
             + " | ".join(f"coverage ≥ {th}: matched / precision" for th in thresholds) + " |",
             "|---|---|---|---|" + "---|" * len(thresholds)]
    for split in ("train", "dev"):
        t1 = time.perf_counter()
        tweets, gold = load_split(args.data / split)
        r = evaluate(index, tweets, gold, thresholds)
        lines.append(f"| {split} | {r['tweets']} | {r['map5_bm25']:.3f} | {r['map5_coverage']:.3f} | "
                     + " | ".join(f"{r[f'matched@{th}']:.0%} / {r[f'precision@{th}']:.3f}" for th in thresholds)
                     + f" |  <!-- {time.perf_counter() - t1:.1f} s -->")
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
