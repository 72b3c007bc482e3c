"""How well reuse coverage separates derived from non-derived Urdu news (COUNTER corpus).

    python bench/counter.py [--data ../shared/data/counter] [--md FILE]

Each pair is an agency story and a newspaper article labelled WD (wholly derived), PD (partially
derived) or ND (non derived). The score of a pair is the share of the newspaper article's text
inside passages aligned with the agency story (newstrace's `coverage`), in the default "copy"
mode and in the looser "derived" mode, beside two plain baselines: difflib's ratio over word
tokens and MinHash Jaccard over word trigrams (rensa, 128 permutations).

Thresholds are chosen, not tuned to a reported number: each figure is given twice, with the
threshold(s) chosen on the whole set (optimistic: the best the score can do) and by 5-fold
cross-validation (thresholds chosen on four folds, applied to the fifth: what to expect on new
data). Binary F1 treats WD+PD as positive; 3-class accuracy uses two thresholds (ND < t1 <= PD <
t2 <= WD).
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from newstrace.reuse.align import align_pair, summarise
from newstrace.reuse.params import ReuseParams
from newstrace.reuse.tokens import tokenize

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "counter"


def read_doc(path: Path) -> tuple[str, str]:
    root = ET.parse(path).getroot()
    body = (root.findtext("body") or "").strip()
    return root.get("classification", ""), body


def load(data: Path) -> list[tuple[str, str, str]]:
    """(label, agency text, newspaper text) per pair, from labels.tsv."""
    out = []
    lines = (data / "labels.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t"), strict=False))
        src, der = data / "xml" / row["source_file"], data / "xml" / row["derived_file"]
        if not der.exists():
            alt = [p for p in (data / "xml").iterdir() if p.name.lower() == row["derived_file"].lower()]
            der = alt[0] if alt else der
        _, a = read_doc(src)
        _, b = read_doc(der)
        out.append((row["derived_label"], a, b))
    return out


def words(text: str) -> list[int]:
    return tokenize(text).hashes.tolist()


def coverage(a: str, b: str, params: ReuseParams) -> float:
    ps = align_pair(a, b, params=params)
    return summarise(0, 1, ps, len(a), len(b)).coverage_b if ps else 0.0


def difflib_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def minhash_jaccard(a: str, b: str) -> float:
    import rensa

    def mh(t: str) -> object:
        w = [str(x) for x in words(t)]
        m = rensa.RMinHash(num_perm=128, seed=42)
        m.update([" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))])
        return m

    return float(mh(a).jaccard(mh(b)))  # type: ignore[attr-defined]


def best_binary(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of `score >= threshold` for y (1 = derived)."""
    best = (0.0, -1.0)
    for t in np.unique(scores):
        pred = scores >= t
        tp = int((pred & (y == 1)).sum())
        f1 = 2 * tp / max(1, int(pred.sum()) + int((y == 1).sum()))
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def f1_at(scores: np.ndarray, y: np.ndarray, t: float) -> float:
    pred = scores >= t
    tp = int((pred & (y == 1)).sum())
    return 2 * tp / max(1, int(pred.sum()) + int((y == 1).sum()))


def best_three(scores: np.ndarray, y3: np.ndarray) -> tuple[float, float, float]:
    """(t1, t2, accuracy) maximising accuracy of ND < t1 <= PD < t2 <= WD (y3: 0 ND, 1 PD, 2 WD)."""
    cand = np.unique(np.quantile(scores, np.linspace(0, 1, 81)))
    best = (0.0, 0.0, -1.0)
    for i, t1 in enumerate(cand):
        for t2 in cand[i:]:
            acc = float((_three(scores, t1, t2) == y3).mean())
            if acc > best[2]:
                best = (float(t1), float(t2), acc)
    return best


def _three(scores: np.ndarray, t1: float, t2: float) -> np.ndarray:
    return np.where(scores < t1, 0, np.where(scores < t2, 1, 2))


def cross_validated(scores: np.ndarray, y3: np.ndarray, folds: int = 5, seed: int = 0) -> tuple[float, float]:
    """(binary F1, 3-class accuracy) with thresholds chosen on the other folds."""
    idx = list(range(len(scores)))
    random.Random(seed).shuffle(idx)
    parts = [np.array(idx[k::folds]) for k in range(folds)]
    pred_b = np.zeros(len(scores), dtype=bool)
    pred_3 = np.zeros(len(scores), dtype=int)
    for k in range(folds):
        test = parts[k]
        train = np.concatenate([parts[j] for j in range(folds) if j != k])
        t, _ = best_binary(scores[train], (y3[train] > 0).astype(int))
        pred_b[test] = scores[test] >= t
        t1, t2, _ = best_three(scores[train], y3[train])
        pred_3[test] = _three(scores[test], t1, t2)
    yb = y3 > 0
    tp = int((pred_b & yb).sum())
    f1 = 2 * tp / max(1, int(pred_b.sum()) + int(yb.sum()))
    return f1, float((pred_3 == y3).mean())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--md", type=Path)
    args = ap.parse_args(argv)
    if not (args.data / "labels.tsv").is_file():
        print(f"COUNTER data not found at {args.data}", file=sys.stderr)
        return 2
    pairs = load(args.data)
    y3 = np.array([{"ND": 0, "PD": 1, "WD": 2}[lab] for lab, _, _ in pairs])
    methods = {
        "newstrace coverage (copy mode)": lambda a, b: coverage(a, b, ReuseParams()),
        "newstrace coverage (derived mode)": lambda a, b: coverage(a, b, ReuseParams.derived()),
        "difflib ratio (baseline)": difflib_ratio,
        "MinHash Jaccard, word trigrams (baseline)": minhash_jaccard,
    }
    counts = {k: int((y3 == v).sum()) for k, v in (("ND", 0), ("PD", 1), ("WD", 2))}
    print(f"{len(pairs)} pairs: {counts}")
    rows = []
    for name, fn in methods.items():
        t0 = time.perf_counter()
        scores = np.array([fn(a, b) for _, a, b in pairs])
        secs = time.perf_counter() - t0
        t, f1 = best_binary(scores, (y3 > 0).astype(int))
        t1, t2, acc = best_three(scores, y3)
        cv_f1, cv_acc = cross_validated(scores, y3)
        means = {k: float(scores[y3 == v].mean()) for k, v in (("ND", 0), ("PD", 1), ("WD", 2))}
        rows.append((name, f1, t, cv_f1, acc, t1, t2, cv_acc, means, secs))
        print(f"{name}\n  binary F1 {f1:.3f} at >= {t:.3f} (5-fold CV {cv_f1:.3f}); 3-class accuracy {acc:.3f} "
              f"at {t1:.3f}/{t2:.3f} (5-fold CV {cv_acc:.3f}); mean score ND {means['ND']:.3f} "
              f"PD {means['PD']:.3f} WD {means['WD']:.3f}; {secs:.1f} s")
    if args.md:
        with args.md.open("a", encoding="utf-8") as fh:
            fh.write(f"\n### COUNTER (Urdu, {len(pairs)} pairs: {counts})\n\n"
                     "| score | binary F1 (best t) | F1 5-fold CV | 3-class acc (t1/t2) | acc 5-fold CV | "
                     "mean ND / PD / WD |\n|---|---|---|---|---|---|\n")
            for name, f1, t, cv_f1, acc, t1, t2, cv_acc, m, _ in rows:
                fh.write(f"| {name} | {f1:.3f} (≥{t:.2f}) | {cv_f1:.3f} | {acc:.3f} ({t1:.2f}/{t2:.2f}) | "
                         f"{cv_acc:.3f} | {m['ND']:.2f} / {m['PD']:.2f} / {m['WD']:.2f} |\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
