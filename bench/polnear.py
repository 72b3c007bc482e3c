"""Attribution extraction against PolNeAR (Newell, Margolin & Ruths, LREC 2018): precision, recall, F1.

Usage: python bench/polnear.py [--split dev|train] [--limit N] [--errors K]

Gold: every attribution relation (E line) of one annotator per text (the first annotator
name in sorted order when a text has several). Matching is one-to-one and greedy, best overlap first.
- span level, per type (source, cue, content): exact = same boundaries after trimming spaces;
  overlap = the two spans share at least one character.
- attribution level: "content" = contents overlap; "whole" = contents overlap AND cues overlap AND
  (sources overlap, or the gold attribution has no source).
- speech-cue subset: gold attributions whose cue is a verb of speech in our lexicon or "according to";
  recall over that subset, precision of our attributions whose cue is such a verb, matched against all gold.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from newstrace.quotes import extract_attributions
from newstrace.quotes.lexicon import inflect

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear"
Span = tuple[int, int]


@dataclass
class Rel:
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)
    cue_text: str = ""


def _spans(spec: str) -> list[Span]:
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def load(split: str, limit: int | None = None) -> list[tuple[str, str, list[Rel]]]:
    """(name, text, gold relations) for each text of a split."""
    folder = DATA / split
    anns: dict[str, list[Path]] = defaultdict(list)
    for p in sorted((folder / "attributions").glob("*.ann")):
        anns[p.stem.rsplit("_", 1)[0]].append(p)
    out = []
    for name in sorted(anns)[: limit or None]:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        ts: dict[str, tuple[str, list[Span]]] = {}
        rels = []
        lines = anns[name][0].read_text(encoding="utf-8").splitlines()
        for line in lines:
            if line.startswith("T"):
                parts = line.split("\t")
                if len(parts) < 2:
                    continue  # a few lines in the corpus are malformed
                kind, _, rest = parts[1].partition(" ")
                try:
                    ts[parts[0]] = (kind, _spans(rest))
                except ValueError:
                    continue
        for line in lines:
            if line.startswith("E"):
                _, args = line.split("\t", 1)
                rel = Rel()
                for arg in args.split():
                    role, _, tid = arg.partition(":")
                    if tid not in ts:
                        continue
                    role = role.rstrip("0123456789").lower()
                    if role in ("source", "cue", "content"):
                        getattr(rel, role).extend(ts[tid][1])
                rel.cue_text = " ".join(text[a:b] for a, b in rel.cue).lower()
                if rel.content:
                    rels.append(rel)
        out.append((name, text, rels))
    return out


# A fixed list of verbs of speech for the subset (independent of the extractor's lexicon, so that
# trimming the lexicon cannot shrink the gold subset).
SPEECH_LEMMAS = [
    "say", "tell", "state", "claim", "warn", "add", "note", "explain", "stress", "emphasize", "emphasise", "insist",
    "argue", "assert", "announce", "declare", "report", "write", "acknowledge", "admit", "confirm", "deny", "reveal",
    "suggest", "observe", "comment", "remark", "reply", "respond", "answer", "ask", "urge", "caution", "predict",
    "promise", "vow", "pledge", "allege", "maintain", "contend", "concede", "recall", "recount", "charge", "complain",
    "boast", "joke", "quip", "testify", "estimate", "indicate", "mention", "disclose", "underline", "underscore",
    "highlight", "reiterate", "repeat", "conclude", "counter", "retort", "rebut", "dispute", "shout", "yell", "whisper",
    "exclaim", "proclaim", "inform", "assure", "advise", "propose", "demand", "wonder", "speculate", "agree", "object",
    "protest", "lament", "specify", "clarify", "recommend", "signal", "threaten", "elaborate", "tweet", "post",
]
SPEECH = {f for lemma in SPEECH_LEMMAS for f in inflect(lemma)} | {"according to"}


def is_speech(cue: str) -> bool:
    words = cue.lower().replace("’", "'").split()
    return any(w in SPEECH for w in words) or "according to" in cue.lower()


def _overlap(a: list[Span], b: list[Span]) -> int:
    return sum(max(0, min(y1, y2) - max(x1, x2)) for x1, y1 in a for x2, y2 in b)


def _trim(text: str, spans: list[Span]) -> tuple[Span, ...]:
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
    return tuple(out)


def _match(gold: list, pred: list, ok) -> list[tuple[int, int]]:
    """Greedy one-to-one matching over pairs that `ok` accepts, largest score first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = ok(g, p)
            if s:
                pairs.append((s, i, j))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for _s, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(docs, show_errors: int = 0) -> dict[str, tuple[float, float, float, int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp_pred, n_pred, tp_gold, n_gold
    errors_fp, errors_fn = [], []
    extract_seconds = 0.0
    for name, text, gold in docs:
        t0 = time.process_time()  # CPU time: the machine is shared, wall time is noisy
        preds = extract_attributions(text)
        extract_seconds += time.process_time() - t0
        pr = []
        for a in preds:
            pr.append(Rel(
                source=[(a.speaker_start, a.speaker_end)] if a.speaker_start is not None else [],
                cue=[(a.cue_start, a.cue_end)] if a.cue_start is not None else [],
                content=[(a.content_start, a.content_end)], cue_text=(a.cue or "").lower()))
        # span level
        for kind in ("source", "cue", "content"):
            g_spans = [getattr(g, kind) for g in gold if getattr(g, kind)]
            p_spans = [getattr(p, kind) for p in pr if getattr(p, kind)]
            m = _match(g_spans, p_spans, lambda g, p: _overlap(g, p))
            counts[f"{kind} overlap"][0] += len(m)
            counts[f"{kind} overlap"][2] += len(m)
            counts[f"{kind} overlap"][1] += len(p_spans)
            counts[f"{kind} overlap"][3] += len(g_spans)
            gs = {_trim(text, s) for s in g_spans}
            ps = {_trim(text, s) for s in p_spans}
            ex = len(gs & ps)
            counts[f"{kind} exact"][0] += ex
            counts[f"{kind} exact"][2] += ex
            counts[f"{kind} exact"][1] += len(ps)
            counts[f"{kind} exact"][3] += len(gs)

        def content_ok(g: Rel, p: Rel) -> int:
            return _overlap(g.content, p.content)

        def whole_ok(g: Rel, p: Rel) -> int:
            c = _overlap(g.content, p.content)
            if not c or not _overlap(g.cue, p.cue):
                return 0
            if g.source and not _overlap(g.source, p.source):
                return 0
            return c

        for label, ok in (("attribution content", content_ok), ("attribution whole", whole_ok)):
            m = _match(gold, pr, ok)
            counts[label][0] += len(m)
            counts[label][1] += len(pr)
            counts[label][2] += len(m)
            counts[label][3] += len(gold)
            sg = [i for i, g in enumerate(gold) if is_speech(g.cue_text)]
            sp = [j for j, p in enumerate(pr) if is_speech(p.cue_text)]
            matched_g = {i for i, _ in m}
            matched_p = {j for _, j in m}
            key = f"{label} (speech cues)"
            counts[key][0] += sum(1 for j in sp if j in matched_p)
            counts[key][1] += len(sp)
            counts[key][2] += sum(1 for i in sg if i in matched_g)
            counts[key][3] += len(sg)
            if label == "attribution whole" and show_errors:
                for j, p in enumerate(pr):
                    if j not in matched_p:
                        errors_fp.append((name, text, p))
                for i in sg:
                    if i not in matched_g:
                        errors_fn.append((name, text, gold[i]))
    out: dict = {"_extract_seconds": extract_seconds}
    for k, (tpp, npred, tpg, ngold) in counts.items():
        out[k] = (*prf(tpp, npred, tpg, ngold), npred, ngold)
    if show_errors:
        import random
        rnd = random.Random(1)
        for title, errs in (("FALSE POSITIVES", errors_fp), ("MISSED (speech cues)", errors_fn)):
            print(f"== {title}: {len(errs)}")
            for name, text, r in rnd.sample(errs, min(show_errors, len(errs))):
                src, cue, content = (" | ".join(text[a:b] for a, b in spans) for spans in (r.source, r.cue, r.content))
                print(f"- [{name[:30]}] SRC={src!r} CUE={cue!r}\n    CONTENT={content[:160]!r}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"PolNeAR not found at {DATA}", file=sys.stderr)
        return 2
    docs = load(args.split, args.limit)
    t0 = time.perf_counter()
    res = evaluate(docs, args.errors)
    dt = time.perf_counter() - t0
    ex = res.pop("_extract_seconds")
    chars = sum(len(t) for _, t, _ in docs)
    print(f"PolNeAR {args.split}: {len(docs)} texts ({chars / len(docs):.0f} chars on average), "
          f"{sum(len(g) for *_, g in docs)} gold attributions; extraction alone {ex:.2f}s = "
          f"{len(docs) / ex:.0f} texts/s, {chars / ex / 1000:.0f} k chars/s (CPU time, one core); "
          f"{dt:.1f}s with scoring")
    lines = ["| measure | precision | recall | F1 | predicted | gold |", "|---|---|---|---|---|---|"]
    for k in sorted(res):
        p, r, f, npred, ngold = res[k]
        lines.append(f"| {k} | {p:.3f} | {r:.3f} | {f:.3f} | {npred} | {ngold} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
