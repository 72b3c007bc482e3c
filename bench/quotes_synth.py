"""Quote extraction against the synthetic corpus's truth: found, speaker, role and sourcing-kind accuracy.

Usage: python bench/quotes_synth.py [--articles 400] [--seed 7] [--errors 10] [--corpus DIR]

Generates an English corpus with `newstrace.synth.generate` (or reads DIR/truth.jsonl), runs
`extract_attributions` on each article's `text` and pairs each truth quote with the predicted
attribution whose content overlaps it most. Speaker: the resolved name (named person or
organisation) or, for anonymous and document sources, the source phrase as written, compared
case-insensitively without a leading article. Accuracies are over the truth quotes that were found.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from newstrace.quotes import extract_attributions


def _norm(s: str | None) -> str:
    s = (s or "").strip().lower()
    for art in ("the ", "a ", "an "):
        if s.startswith(art):
            s = s[len(art):]
    return s


def _speaker_ok(truth: dict, pred) -> bool:
    if truth["kind"] in ("named-person", "named-organisation", "social-media"):
        return _norm(pred.speaker_name) == _norm(truth["speaker"])
    return _norm(pred.speaker) == _norm(truth["speaker"]) or _norm(pred.speaker_name) == _norm(truth["speaker"])


def score(records: list[dict], show: int = 0) -> dict[str, float]:
    found = speaker = kind = role = roles = total = preds = matched_preds = 0
    errors: list[str] = []
    by_kind: Counter[str] = Counter()
    by_kind_ok: Counter[str] = Counter()
    cpu = 0.0
    chars = 0
    for rec in records:
        text = rec["text"]
        chars += len(text)
        t0 = time.process_time()  # CPU time: the machine is shared, wall time is noisy
        atts = extract_attributions(text, rec.get("language") or "en")
        cpu += time.process_time() - t0
        preds += len(atts)
        used: set[int] = set()
        for q in rec.get("quotes") or []:
            total += 1
            best, best_ov = None, 0
            for i, a in enumerate(atts):
                ov = min(a.content_end, q["end"]) - max(a.content_start, q["start"])
                if ov > best_ov:
                    best, best_ov = i, ov
            by_kind[q["kind"]] += 1
            if best is None:
                if len(errors) < show:
                    errors.append(f"MISSED {q['kind']}: {text[max(0, q['start'] - 80):q['end'] + 60]!r}")
                continue
            used.add(best)
            a = atts[best]
            found += 1
            sp_ok = _speaker_ok(q, a)
            speaker += sp_ok
            kind += a.kind == q["kind"]
            by_kind_ok[q["kind"]] += sp_ok and a.kind == q["kind"]
            if q.get("role"):
                roles += 1
                role += _norm(a.role) == _norm(q["role"])
            if (not sp_ok or a.kind != q["kind"]) and len(errors) < show:
                errors.append(f"WRONG truth=({q['speaker']!r}, {q['kind']}) pred=({a.speaker!r} -> {a.speaker_name!r}, "
                              f"{a.kind}) in {text[max(0, q['start'] - 90):q['end'] + 70]!r}")
        matched_preds += len(used)
    dt = cpu
    for e in errors:
        print(e)
    return {
        "articles": len(records), "truth quotes": total, "found (recall)": found / total if total else 0.0,
        "precision (predicted attributions that match a truth quote)": matched_preds / preds if preds else 0.0,
        "speaker accuracy": speaker / found if found else 0.0, "kind accuracy": kind / found if found else 0.0,
        "role accuracy (quotes whose truth has a role)": role / roles if roles else 0.0,
        **{f"speaker+kind accuracy, {k}": by_kind_ok[k] / by_kind[k] for k in sorted(by_kind)},
        "articles/s (extraction, CPU time, one core)": len(records) / dt if dt else 0.0,
        "k chars/s": chars / dt / 1000 if dt else 0.0,
    }


def score_trails(records: list[dict]) -> dict[str, float]:
    """Quote trails over the corpus: are quote edits made by copiers (quote-alter, quote-trim) found as alterations?

    Recall: copies whose truth lists a quote edit and that get a word alteration. False alarms: copies whose
    truth lists no quote edit, reword or typo, yet get a word alteration.
    """
    from datetime import datetime

    from newstrace.quotes.trail import ArticleQuotes, build_trails

    arts = []
    for i, rec in enumerate(records):
        pub = datetime.fromisoformat(rec["published_true"]) if rec.get("published_true") else None
        arts.append(ArticleQuotes(i, pub, extract_attributions(rec["text"], rec.get("language") or "en"),
                                  rec.get("site")))
    trails = build_trails(arts)
    altered = {x.article_id for t in trails for x in t.alterations if x.kind == "words"}
    edited = [i for i, r in enumerate(records) if {"quote-alter", "quote-trim"} & set(r.get("edits") or [])]
    clean = [i for i, r in enumerate(records) if r.get("parents") and not (
        {"quote-alter", "quote-trim", "reword", "typo"} & set(r.get("edits") or []))]
    return {
        "quote trails (quotes in 2+ articles)": len(trails),
        "copies with a quote edit": len(edited),
        "quote edits found (recall)": sum(i in altered for i in edited) / len(edited) if edited else 0.0,
        "false alterations on copies without quote edits": (sum(i in altered for i in clean) / len(clean)
                                                             if clean else 0.0),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--corpus", type=Path, default=None, help="an existing synthetic corpus folder")
    ap.add_argument("--language", default="en", help="score this language's articles (en, ru, zh)")
    args = ap.parse_args()
    if args.corpus is None:
        from newstrace.synth import SynthConfig, generate

        tmp = tempfile.TemporaryDirectory()
        corpus = Path(tmp.name) / "corpus"
        generate(SynthConfig(articles=args.articles, seed=args.seed, languages=(args.language,)), corpus)
    else:
        corpus = args.corpus
    with open(corpus / "truth.jsonl", encoding="utf-8") as fh:
        records = [r for r in map(json.loads, fh) if (r.get("language") or "en") == args.language]
    res = score(records, args.errors)
    res.update(score_trails(records))
    print("| measure | value |\n|---|---|")
    for k, v in res.items():
        print(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
