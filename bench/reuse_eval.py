"""Reuse quality on the synthetic corpus: passage P/R by characters, article-pair F1, boilerplate P/R.

    python bench/reuse_eval.py [--truth DIR | --articles N --seed S] [--store] [--workers N] [--md FILE]

The truth lists, for each copy, the passages it took from its parent. Two articles share text
whenever their passages descend from the same stretch of a common ancestor (siblings copying one
wire story share it too), so the truth pairs are derived by mapping every passage back to its root
article (linearly inside a passage, which edits make approximate by a few characters).

- passage recall: characters of truth shared passages of >= 40 words covered by detected passages;
- passage precision: characters of detected passages that are inside truth shared text (any length);
- pair F1: truth pairs sharing >= 40 words must be found, pairs sharing nothing must not; pairs
  sharing 1-39 words are neither (reported separately);
- boilerplate precision/recall by characters against the truth boilerplate ranges, and the number
  of detected pairs whose passages lie mostly inside truth boilerplate (must be zero).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

Range = tuple[int, int]


def merge(ranges: Iterable[Range]) -> list[Range]:
    out: list[Range] = []
    for s, e in sorted(ranges):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def size(ranges: list[Range]) -> int:
    return sum(e - s for s, e in ranges)


def inter(a: list[Range], b: list[Range]) -> int:
    """Characters in both (each already merged)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def load_truth(path: Path) -> list[dict]:
    with (path / "truth.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def root_segments(recs: list[dict]) -> dict[int, list[tuple[int, float, float, int, int]]]:
    """For each article index: (root index, root start, root end, start, end) covering its text."""
    by_url = {r["url"]: k for k, r in enumerate(recs)}
    segs: dict[int, list[tuple[int, float, float, int, int]]] = {}

    def build(k: int) -> list[tuple[int, float, float, int, int]]:
        if k in segs:
            return segs[k]
        r = recs[k]
        out: list[tuple[int, float, float, int, int]] = []
        covered: list[Range] = []
        for par in r["parents"]:
            p = by_url.get(par["url"])
            if p is None:
                continue
            psegs = build(p)
            for ps in par["passages"]:
                p0, p1, c0, c1 = ps["parent_start"], ps["parent_end"], ps["child_start"], ps["child_end"]
                covered.append((c0, c1))
                scale = (c1 - c0) / max(1, p1 - p0)
                for root, r0, r1, x0, x1 in psegs:
                    lo, hi = max(p0, x0), min(p1, x1)
                    if hi <= lo:
                        continue
                    rs = (r1 - r0) / max(1, x1 - x0)
                    out.append((root, r0 + (lo - x0) * rs, r0 + (hi - x0) * rs,
                                round(c0 + (lo - p0) * scale), round(c0 + (hi - p0) * scale)))
        pos = 0
        for s, e in merge(covered) + [(len(r["text"]), len(r["text"]))]:
            if s > pos:
                out.append((k, pos, s, pos, s))
            pos = max(pos, e)
        segs[k] = out
        return out

    for k in range(len(recs)):
        build(k)
    return segs


def truth_pairs(recs: list[dict]) -> dict[tuple[int, int], tuple[list[Range], list[Range]]]:
    """Every pair of articles sharing text: (a, b) with a < b -> (ranges in a, ranges in b)."""
    segs = root_segments(recs)
    by_root: dict[int, list[tuple[int, float, float, int, int]]] = defaultdict(list)
    for k, ss in segs.items():
        for root, r0, r1, x0, x1 in ss:
            by_root[root].append((k, r0, r1, x0, x1))
    shared: dict[tuple[int, int], tuple[list[Range], list[Range]]] = {}
    for items in by_root.values():
        for i in range(len(items)):
            ka, a0, a1, xa0, xa1 = items[i]
            for j in range(i + 1, len(items)):
                kb, b0, b1, xb0, xb1 = items[j]
                if ka == kb:
                    continue
                lo, hi = max(a0, b0), min(a1, b1)
                if hi - lo < 1:
                    continue
                sa = (xa1 - xa0) / max(1e-9, a1 - a0)
                sb = (xb1 - xb0) / max(1e-9, b1 - b0)
                ra = (round(xa0 + (lo - a0) * sa), round(xa0 + (hi - a0) * sa))
                rb = (round(xb0 + (lo - b0) * sb), round(xb0 + (hi - b0) * sb))
                key, val = ((ka, kb), (ra, rb)) if ka < kb else ((kb, ka), (rb, ra))
                cur = shared.setdefault(key, ([], []))
                cur[0].append(val[0])
                cur[1].append(val[1])
    return {k: (merge(a), merge(b)) for k, (a, b) in shared.items()}


def words_in(text: str, ranges: list[Range]) -> int:
    return sum(len(text[s:e].split()) for s, e in ranges)


def evaluate(recs: list[dict], pairs: dict[tuple[int, int], list[tuple[Range, Range]]],
             boilerplate: dict[int, list[Range]], min_words: int = 40) -> dict[str, float]:
    """Compare detected pairs (index a < b -> [(a range, b range)]) and boilerplate with the truth."""
    truth = truth_pairs(recs)
    texts = [r["text"] for r in recs]
    big = {k for k, (ra, rb) in truth.items() if min(words_in(texts[k[0]], ra), words_in(texts[k[1]], rb)) >= min_words}
    hit = tp_chars = det_chars = rel_chars = found_rel = 0
    fp_pairs = bp_pairs = small_found = 0
    truth_bp = {k: merge(tuple(x) for x in r["boilerplate"]) for k, r in enumerate(recs)}
    for key, ps in pairs.items():
        da = merge(p[0] for p in ps)
        db = merge(p[1] for p in ps)
        det_chars += size(da) + size(db)
        t = truth.get(key)
        if t is None:
            fp_pairs += 1
            if os.environ.get("SHOW_FALSE_PAIRS"):
                print("false pair", recs[key[0]]["url"], recs[key[1]]["url"], [texts[key[1]][b[0]:b[1]] for _, b in ps])
            in_bp = inter(da, truth_bp[key[0]]) + inter(db, truth_bp[key[1]])
            if in_bp * 2 >= size(da) + size(db):
                bp_pairs += 1
            continue
        tp_chars += inter(da, t[0]) + inter(db, t[1])
        if key in big:
            hit += 1
        else:
            small_found += 1
    for key in big:
        ta, tb = truth[key]
        rel_chars += size(ta) + size(tb)
        ps = pairs.get(key)
        if ps:
            found_rel += inter(merge(p[0] for p in ps), ta) + inter(merge(p[1] for p in ps), tb)
    prec_pairs = hit / max(1, hit + fp_pairs)
    rec_pairs = hit / max(1, len(big))
    bp_tp = bp_det = bp_rel = 0
    for k in range(len(recs)):
        d, t = merge(boilerplate.get(k, [])), truth_bp[k]
        bp_tp += inter(d, t)
        bp_det += size(d)
        bp_rel += size(t)
    return {
        "truth_pairs_40w": len(big), "truth_pairs_small": len(truth) - len(big), "detected_pairs": len(pairs),
        "pair_precision": prec_pairs, "pair_recall": rec_pairs,
        "pair_f1": 2 * prec_pairs * rec_pairs / max(1e-9, prec_pairs + rec_pairs),
        "small_pairs_found": small_found, "false_pairs": fp_pairs, "boilerplate_only_pairs": bp_pairs,
        "passage_precision": tp_chars / max(1, det_chars), "passage_recall": found_rel / max(1, rel_chars),
        "boilerplate_precision": bp_tp / max(1, bp_det), "boilerplate_recall": bp_tp / max(1, bp_rel),
    }


def detect_in_memory(recs: list[dict], params: object) -> tuple[dict, dict, float]:
    from newstrace.reuse.engine import Doc, reuse_in_memory

    docs = [Doc(k, r["site"], r["text"], r.get("title", "")) for k, r in enumerate(recs)]
    t0 = time.perf_counter()
    res = reuse_in_memory(docs, params)  # type: ignore[arg-type]
    secs = time.perf_counter() - t0
    pairs: dict[tuple[int, int], list[tuple[Range, Range]]] = defaultdict(list)
    for p in res.passages:
        pairs[(p.a_id, p.b_id)].append(((p.a_start, p.a_end), (p.b_start, p.b_end)))
    return pairs, res.boilerplate, secs


def detect_with_store(recs: list[dict], params: object, workers: int) -> tuple[dict, dict, float]:
    from newstrace.models import Article
    from newstrace.reuse.runner import run_reuse
    from newstrace.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "eval.db")
        arts = [Article(url=r["url"], title=r["title"], paragraphs=r["text"].split("\n"), site=r["site"])
                for r in recs]
        for i in range(0, len(arts), 1000):
            store.write_articles(arts[i:i + 1000])
        id_to_k = {a.id: k for k, a in enumerate(arts)}
        t0 = time.perf_counter()
        run_reuse(store, params, workers)  # type: ignore[arg-type]
        secs = time.perf_counter() - t0
        pairs: dict[tuple[int, int], list[tuple[Range, Range]]] = defaultdict(list)
        for pair in store.all_pairs():
            ka, kb = id_to_k[pair.a_id], id_to_k[pair.b_id]
            for p in store.passages_between(pair.a_id, pair.b_id):
                ra, rb = (p.a_start, p.a_end), (p.b_start, p.b_end)
                if ka < kb:
                    pairs[(ka, kb)].append((ra, rb))
                else:
                    pairs[(kb, ka)].append((rb, ra))
        bp_raw = store.boilerplate_ranges(list(id_to_k))
        store.close()
    return pairs, {id_to_k[i]: v for i, v in bp_raw.items()}, secs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", type=Path, help="a synthetic corpus folder (with truth.jsonl)")
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--store", action="store_true", help="write articles to a temp store and use the runner")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--linked-words", type=int, default=None,
                    help="ReuseParams.linked_words (credit-linked and headline pairs; 0: off)")
    ap.add_argument("--md", type=Path, help="append a markdown table of the figures to this file")
    args = ap.parse_args(argv)
    from newstrace.reuse.params import ReuseParams

    tmp = None
    path = args.truth
    if path is None:
        from newstrace.synth import SynthConfig, generate

        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "corpus"
        generate(SynthConfig(articles=args.articles, seed=args.seed, html=False), path)
    recs = load_truth(path)
    params = ReuseParams() if args.linked_words is None else ReuseParams(linked_words=args.linked_words)
    if args.store:
        pairs, bp, secs = detect_with_store(recs, params, args.workers)
    else:
        pairs, bp, secs = detect_in_memory(recs, params)
    figures = evaluate(recs, pairs, bp)
    figures["articles"] = len(recs)
    figures["seconds"] = round(secs, 2)
    for k, v in figures.items():
        print(f"{k:24s} {v:.4f}" if isinstance(v, float) else f"{k:24s} {v}")
    if args.md:
        with args.md.open("a", encoding="utf-8") as fh:
            origin = f"seed {args.seed}" if args.truth is None else args.truth.name
            fh.write(f"\n| synthetic corpus ({len(recs)} articles, {origin}, "
                     f"{'store' if args.store else 'in memory'}) | value |\n|---|---|\n")
            for k, v in figures.items():
                fh.write(f"| {k} | {v:.4f} |\n" if isinstance(v, float) else f"| {k} | {v} |\n")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
