"""One wire story run by hundreds or thousands of sites, among unrelated pages: reuse and provenance through the store.

    python bench/viral.py [--copies 100,300,1000,3000] [--background 2000] [--md FILE]

Each copy keeps the wire's four paragraphs and adds its own intro and a closing paragraph; half credit the wire
("Source: Wire", a credit line), a third add the same distribution line the wire lacks, a few reword one sentence.
The wire is the earliest page but comes in at a random place among the copies. Printed per size: reuse and
provenance seconds, pairs, whether one story holds every copy, whether the wire is its origin, how many copies name
the wire as their parent, and the credit classes. Before the seventh session a story on more than 100 sites
(`ReuseParams.df_cap`) made no pair at all; before the eighth, past that cap only 8 copies hung off the wire
(reuse pairs them with its first pages only; provenance now bridges through those, `provenance/bridges.py`).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newstrace.models import Article, AttributionStatement
from newstrace.provenance.runner import update_provenance
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store

VOCAB = [f"w{i}" for i in range(5000)]


def _para(rng: random.Random, n: int = 40) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n)) + "."


def corpus(copies: int, background: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    report = [_para(rng) for _ in range(4)]
    t0 = datetime(2024, 3, 1, 8, tzinfo=UTC)
    credit = AttributionStatement("source", "Source: Wire", outlet="Wire")
    arts = []
    for k in range(1, copies + 1):
        body = list(report)
        if rng.random() < 0.05:  # a reworded word
            words = body[2].split()
            words[rng.randrange(len(words))] = "changed"
            body[2] = " ".join(words)
        extra = ["This report was distributed to subscribers of the Wire news agency."] if rng.random() < 0.33 else []
        credited = rng.random() < 0.5
        arts.append(Article(url=f"https://paper{k}.example/wire-story", title="Minister resigns after inquiry",
                            paragraphs=[_para(rng, 25), *body, *extra, _para(rng, 30)]
                            + (["Source: Wire"] if credited else []),
                            site=f"paper{k}.example", published=t0 + timedelta(minutes=rng.randint(5, 3000)),
                            published_source="meta", attributions=[credit] if credited else []))
    wire = Article(url="https://wire.example/report", title="Minister resigns after inquiry", paragraphs=report,
                   site="wire.example", site_name="Wire", published=t0, published_source="meta")
    arts.insert(rng.randrange(len(arts) + 1), wire)
    others = [Article(url=f"https://other{k % 50}.example/{k}", title=f"Other story {k}",
                      paragraphs=[_para(rng) for _ in range(5)], site=f"other{k % 50}.example",
                      published=t0 + timedelta(minutes=rng.randint(0, 5000)), published_source="meta")
              for k in range(background)]
    return others[: background // 2] + arts + others[background // 2:]


def run(copies: int, background: int, folder: Path) -> dict[str, object]:
    store = Store(folder / f"viral-{copies}.db")
    store.write_articles(corpus(copies, background))
    t = time.perf_counter()
    rep = run_reuse(store, workers=2)
    reuse_s = time.perf_counter() - t
    t = time.perf_counter()
    update_provenance(store, rebuild=True)
    prov_s = time.perf_counter() - t
    with store.engine.connect() as conn:
        from newstrace.store.provenance import story_members
        rows = list(conn.execute(story_members.select()))
    wire = next(a.id for a in store.get_articles([r.article_id for r in rows]) if a.site == "wire.example")
    story = next(r.story_id for r in rows if r.article_id == wire)
    members = [r for r in rows if r.story_id == story]
    store.close()
    return {"copies": copies, "reuse_s": round(reuse_s, 1), "provenance_s": round(prov_s, 1), "pairs": rep.pairs,
            "story_size": len(members), "one_story": len(members) == copies + 1,
            "wire_is_origin": next(r.parent_id for r in members if r.article_id == wire) is None,
            "roots": sum(r.parent_id is None for r in members),
            "wire_children": sum(r.parent_id == wire for r in members),
            "credit": dict(Counter(r.credit for r in members if r.article_id != wire))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", default="100,300,1000,3000")
    ap.add_argument("--background", type=int, default=2000)
    ap.add_argument("--md", type=Path)
    args = ap.parse_args()
    lines = ["| copies | reuse s | provenance s | pairs | one story | wire is origin | roots | copies under the wire "
             "| credit classes |", "|---|---|---|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.copies.split(",")):
            r = run(n, args.background, Path(tmp))
            print(r, flush=True)
            lines.append(f"| {n} | {r['reuse_s']} | {r['provenance_s']} | {r['pairs']:,} | {r['one_story']} "
                         f"| {r['wire_is_origin']} | {r['roots']} | {r['wire_children']} | {r['credit']} |")
    print("\n".join(lines))
    if args.md:
        args.md.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
