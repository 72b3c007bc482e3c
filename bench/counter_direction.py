"""Direction of real derived pairs: COUNTER (Urdu agency stories and the newspaper articles written from them).

For each labelled pair (`labels.tsv`), both XML files become Articles (site = agency or newspaper name, date
from `newsdate`, day precision), the reuse engine aligns them (`reuse_in_memory`, looser `derived()` parameters
when available), and `infer_direction` decides which came first. Reported per label (WD wholly derived, PD
partially derived, ND non-derived), in two settings:

- with dates: what the pipeline would say on these pages;
- text only (dates removed): what the shared text and the pages' own words say without help from the clock.

Usage: python bench/counter_direction.py [--data ../shared/data/counter] [--md docs/bench/provenance-counter.md]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newstrace.credits import detect_statements
from newstrace.models import Article
from newstrace.provenance.evidence import infer_direction
from newstrace.reuse.engine import Doc, reuse_in_memory
from newstrace.reuse.params import ReuseParams

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "counter"


def parse_newsdate(value: str) -> datetime | None:
    """dd.mm.yy (a few files say dd-mm-yy or are broken: those count as undated)."""
    parts = re.split(r"[.-]", value.strip())
    try:
        d, m, y = (int(x) for x in parts)
        return datetime(2000 + y, m, d, tzinfo=UTC)
    except ValueError:
        return None


def load(path: Path, aid: int, with_date: bool) -> Article:
    root = ET.parse(path).getroot()
    paper = root.get("newspaper") or "unknown"
    published = parse_newsdate(root.get("newsdate") or "") if with_date else None
    head = (root.findtext("headline") or "").strip()
    body = (root.findtext("body") or "").strip()
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    return Article(id=aid, url=f"counter://{paper}/{path.name}", title=head, paragraphs=paragraphs,
                   site=f"{paper.lower()}.counter", site_name=paper,
                   published=published, published_source="record" if published else None,
                   attributions=detect_statements(paragraphs, None, None, paper))


def find(xml: Path, name: str) -> Path:
    p = xml / name
    if p.exists():
        return p
    alt = xml / name.replace("p.xml", "P.xml")
    if alt.exists():
        return alt
    raise FileNotFoundError(name)


def run(data: Path, with_date: bool) -> dict[str, Counter[str]]:
    params = ReuseParams.derived()  # the looser mode for rewritten text
    out: dict[str, Counter[str]] = {}
    with (data / "labels.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for i, row in enumerate(rows):
        label = row["derived_label"]
        c = out.setdefault(label, Counter())
        try:
            src = load(find(data / "xml", row["source_file"]), 2 * i + 1, with_date)
            cp = load(find(data / "xml", row["derived_file"]), 2 * i + 2, with_date)
        except (FileNotFoundError, ET.ParseError) as exc:
            c["unreadable"] += 1
            print(f"skipped {row['source_file']}: {exc}", file=sys.stderr)
            continue
        res = reuse_in_memory([Doc(src.id or 0, src.site, src.text), Doc(cp.id or 0, cp.site, cp.text)], params)
        pair = res.pairs[0] if res.pairs else None
        c["pairs"] += 1
        c["aligned"] += pair is not None
        d = infer_direction(src, cp, pair)
        if d.confidence <= 0.5:
            c["undecided"] += 1
        elif d.source_id == src.id:
            c["agency->newspaper"] += 1
        else:
            c["newspaper->agency"] += 1
        c["conflict"] += d.conflict is not None
    return out


def markdown(results: dict[str, dict[str, Counter[str]]]) -> str:
    lines = ["| setting | label | pairs | aligned by reuse | agency → newspaper | newspaper → agency | undecided |",
             "|---|---|---|---|---|---|---|"]
    for setting, by_label in results.items():
        for label in ("WD", "PD", "ND"):
            c = by_label.get(label)
            if not c:
                continue
            n = c["pairs"] or 1
            lines.append(f"| {setting} | {label} | {c['pairs']} | {c['aligned'] / n:.0%} | "
                         f"{c['agency->newspaper'] / n:.1%} | {c['newspaper->agency'] / n:.1%} | "
                         f"{c['undecided'] / n:.1%} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--md", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.data / "labels.tsv").exists():
        print(f"COUNTER data not found at {args.data} (see ../shared/data/counter/README.md)", file=sys.stderr)
        return 2
    results = {"with dates": run(args.data, True), "text only": run(args.data, False)}
    for setting, by_label in results.items():
        for label, c in sorted(by_label.items()):
            print(setting, label, dict(c))
    table = markdown(results)
    print(table)
    if args.md:
        args.md.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
