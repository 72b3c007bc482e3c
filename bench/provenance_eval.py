"""Provenance against the synthetic corpus's truth: synth -> ingest -> reuse -> provenance -> compare.

Figures (over the articles the truth gives a parent with passages; translations have no shared
text and are counted apart):
- parent accuracy: the predicted main source is the truth's parent;
- credit-class accuracy: origin / credited / intermediary / uncredited, over copies and over all articles;
- root accuracy per story: the predicted story holding the truth origin has it as its root (stories with
  at least one copy sharing text).

- how sure each source is (`provenance.choice`): the share of copies whose chosen source holds 90% or more of the
  evidence and how often that source is right, how often the rest are right, the mean share against the
  accuracy (calibration), and how often the true parent is the chosen source or one of the alternatives shown.

- with --quotes: quotes are read before provenance, and the altered quotes shown on edges whose source is the
  true parent are scored against the truth's quote edits (quote-trim, quote-alter).

Usage: python bench/provenance_eval.py [--articles 1500] [--seed 1] [--date-noise 0.08] [--languages en,ru,zh]
       [--workers 2] [--md docs/bench/provenance.md] [--keep DIR] [--quotes]
       python bench/provenance_eval.py --rerun DIR/s2-n0.08 DIR/s3-n0.3 ...   # provenance alone, on kept corpora
       python bench/provenance_eval.py --rerun DIR/s2-n0.08 --brief --errors   # ... listing each wrong parent
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newstrace.ingest import ingest
from newstrace.provenance import choice
from newstrace.provenance.credit import standalone_credit
from newstrace.provenance.runner import update_provenance
from newstrace.reuse.runner import run_reuse
from newstrace.sources import SourceOptions
from newstrace.store import Store
from newstrace.store.provenance import story_members
from newstrace.synth import SynthConfig, generate


def _members(store: Store) -> dict[int, dict[str, Any]]:
    with store.engine.connect() as conn:
        return {r.article_id: dict(r._mapping) for r in conn.execute(story_members.select())}


def _url_ids(store: Store) -> dict[str, int]:
    """Article id by page URL (not `find_article`, which also matches canonical URLs, some wrong on purpose)."""
    from newstrace.store import schema

    a = schema.articles
    with store.engine.connect() as conn:
        return {r.url: r.id for r in conn.execute(select(a.c.url, a.c.id).order_by(a.c.id))}


def _paras(text: str, boilerplate: list[list[int]] | None = None) -> set[str]:
    cut = text
    for a, b in sorted(boilerplate or [], reverse=True):
        cut = cut[:a] + "\n" + cut[b:]
    return {p.strip() for p in cut.split("\n") if len(p.strip()) >= 20}


def indistinguishable(truth: list[dict[str, Any]]) -> set[str]:
    """Copies whose true parent P changed nothing the copy kept, so P's own source Q explains the copy exactly as
    well: every paragraph the copy shares with P is word for word in Q, the copy's headline is not P's own new
    headline, and no credit line of the copy names P's site. No evidence in the pages can tell "from P" from
    "from Q" there (only timing, which the generator draws independently of the choice)."""
    by_url = {t["url"]: t for t in truth}
    out = set()
    for t in truth:
        if not t["parents"] or t["translated_from"]:
            continue
        p = by_url.get(t["parents"][0]["url"])
        if p is None or not p["parents"] or p["translated_from"]:
            continue
        q = by_url.get(p["parents"][0]["url"])
        if q is None:
            continue
        mine, pp, qq = _paras(t["text"], t["boilerplate"]), _paras(p["text"], p["boilerplate"]), _paras(q["text"])
        if not (mine & pp) or not (mine & pp) <= qq:
            continue
        if t["title"] == p["title"] and p["title"] != q["title"]:
            continue
        if any(c.get("names_site") == p["site"] for c in t["credits"]):
            continue
        out.add(t["url"])
    return out


def evaluate(out: Path, store: Store) -> dict[str, Any]:
    truth = [json.loads(line) for line in (out / "truth.jsonl").open(encoding="utf-8")]
    url_id = _url_ids(store)
    id_url = {v: k for k, v in url_id.items()}
    members = _members(store)
    roots = {}
    for m in members.values():
        if m["parent_id"] is None:
            roots[m["story_id"]] = roots.get(m["story_id"], m["article_id"])
    with store.engine.connect() as conn:
        from newstrace.store.provenance import stories
        story_root = {r.id: r.root_id for r in conn.execute(stories.select())}

    same = indistinguishable(truth)
    site_roles = store.site_roles()
    from newstrace.store.provenance import copies
    with store.engine.connect() as conn:
        shares = {r.copy_id: (r.choice, json.loads(r.alternatives or "[]")) for r in conn.execute(
            select(copies.c.copy_id, copies.c.choice, copies.c.alternatives).where(copies.c.main == 1))}
    sure_n = sure_ok = unsure_ok = share_sum = in_set = scored = 0
    bins = [[0, 0.0, 0] for _ in range(10)]  # per tenth of the share: copies, sum of shares, right
    dist_ok = dist_n = 0  # copies a page-reading method could place (not in `same`)
    parent_ok = parent_n = 0
    linked_ok = linked_n = 0  # copies whose pair with the true parent the reuse engine found
    right_parent_credit_ok = right_parent_n = 0  # credit class where the predicted parent is the true one
    credit_ok_copies = credit_n_copies = credit_ok_all = 0
    confusion: Counter[tuple[str, str]] = Counter()
    wrong_parent: Counter[str] = Counter()
    translations = 0
    by_story: dict[str, list[dict[str, Any]]] = {}
    for t in truth:
        by_story.setdefault(t["story"], []).append(t)
        aid = url_id.get(t["url"])
        m = members.get(aid) if aid is not None else None
        if m:
            pred_credit = m["credit"]
        else:  # in no story: `origin`, unless its own credit lines name another outlet
            art = store.get_article(aid) if aid is not None else None
            pred_credit = standalone_credit(art, None, *site_roles)[0] if art else "origin"
        if t["translated_from"]:
            translations += 1
            continue
        if t["parents"]:
            parent_n += 1
            pred_parent = id_url.get(m["parent_id"]) if m and m["parent_id"] else None
            true_id = url_id.get(t["parents"][0]["url"])
            linked = aid is not None and true_id is not None and store.pair(aid, true_id) is not None
            linked_n += linked
            dist_n += t["url"] not in same
            dist_ok += t["url"] not in same and pred_parent == t["parents"][0]["url"]
            got = shares.get(aid) if pred_parent is not None else None
            if got is not None and got[0] is not None:
                right = pred_parent == t["parents"][0]["url"]
                scored += 1
                share_sum += got[0]
                sure_n += got[0] >= choice.SURE
                sure_ok += got[0] >= choice.SURE and right
                unsure_ok += got[0] < choice.SURE and right
                in_set += right or any(id_url.get(a) == t["parents"][0]["url"] for a, _s in got[1])
                b = bins[min(9, int(got[0] * 10))]
                b[0] += 1
                b[1] += got[0]
                b[2] += right
            if pred_parent == t["parents"][0]["url"]:
                parent_ok += 1
                linked_ok += linked
                right_parent_n += 1
                right_parent_credit_ok += pred_credit == t["credit_class"]
            else:
                wrong_parent["no story" if m is None else "root" if pred_parent is None else "other article"] += 1
            credit_n_copies += 1
            credit_ok_copies += pred_credit == t["credit_class"]
        credit_ok_all += pred_credit == t["credit_class"]
        confusion[(t["credit_class"], pred_credit)] += 1
    root_ok = root_n = 0
    for arts in by_story.values():
        origin = next((a for a in arts if not a["parents"] and not a["translated_from"]), None)
        if origin is None or not any(a["parents"] for a in arts):
            continue
        root_n += 1
        oid = url_id.get(origin["url"])
        m = members.get(oid) if oid is not None else None
        if m is not None and story_root.get(m["story_id"]) == oid:
            root_ok += 1
    n_all = len(truth) - translations
    return {
        "articles": len(truth), "translations_skipped": translations, "copies": parent_n,
        "parent_accuracy": parent_ok / parent_n if parent_n else 1.0,
        "parent_accuracy_when_reuse_found_the_pair": linked_ok / linked_n if linked_n else 1.0,
        "reuse_found_parent_pair": linked_n / parent_n if parent_n else 1.0,
        "indistinguishable_copies": len(same),
        "parent_accuracy_distinguishable": dist_ok / dist_n if dist_n else 1.0,
        "credit_accuracy_copies": credit_ok_copies / credit_n_copies if credit_n_copies else 1.0,
        "credit_accuracy_all": credit_ok_all / n_all if n_all else 1.0,
        "credit_accuracy_when_parent_right": right_parent_credit_ok / right_parent_n if right_parent_n else 1.0,
        "root_accuracy": root_ok / root_n if root_n else 1.0, "stories_with_copies": root_n,
        "sources_scored": scored, "sure_sources": sure_n / scored if scored else 0.0,
        "sure_accuracy": sure_ok / sure_n if sure_n else 1.0,
        "unsure_accuracy": unsure_ok / (scored - sure_n) if scored > sure_n else 1.0,
        "mean_source_share": share_sum / scored if scored else 0.0,
        "scored_accuracy": (sure_ok + unsure_ok) / scored if scored else 1.0,
        "parent_in_alternatives": in_set / scored if scored else 1.0,
        "calibration_bins": bins,  # [copies, sum of shares, right] per tenth of the share
        "calibration_error": sum(abs(b[2] - b[1]) for b in bins) / scored if scored else 0.0,
        "wrong_parent": dict(wrong_parent),
        "credit_confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items()) if a != b},
    }


def relation(truth_by_url: dict[str, dict[str, Any]], copy: str, true_parent: str, predicted: str | None) -> str:
    """How the predicted source stands to the true one in the truth's tree: `root` (none predicted), `ancestor`
    (the origin or another ancestor picked over the intermediate the copy came through), `sibling` (a copy of
    the true parent), `descendant` (the copy's own copy: direction reversed), `other`."""
    def up(url: str | None) -> str | None:
        t = truth_by_url.get(url or "")
        return t["parents"][0]["url"] if t and t["parents"] else None

    if predicted is None:
        return "root"
    seen: set[str] = set()
    x = up(true_parent)
    while x and x not in seen:
        if x == predicted:
            return "ancestor"
        seen.add(x)
        x = up(x)
    if up(predicted) == true_parent:
        return "sibling"
    x, seen = up(predicted), set()
    while x and x not in seen:
        if x == copy:
            return "descendant"
        seen.add(x)
        x = up(x)
    return "other"


def error_listing(out: Path, store: Store) -> list[str]:
    """One block per copy whose predicted source is not its true parent (in a story): the copy, the true parent
    and the predicted source with their sites, page dates (and the truth's times), edits and credits, how the
    prediction stands to the truth (`relation`), and the chosen edge's evidence. Then counts per relation."""
    from newstrace.store.provenance import copies

    truth = [json.loads(line) for line in (out / "truth.jsonl").open(encoding="utf-8")]
    by_url = {t["url"]: t for t in truth}
    url_id = _url_ids(store)
    id_url = {v: k for k, v in url_id.items()}
    members = _members(store)
    same = indistinguishable(truth)
    with store.engine.connect() as conn:
        edges = {(r.source_id, r.copy_id): r for r in conn.execute(copies.select().where(copies.c.main == 1))}

    def desc(url: str | None) -> str:
        t = by_url.get(url or "")
        if t is None:
            return "(none: the copy is a root)"
        aid = url_id.get(t["url"])
        credits = ", ".join(f"{c.get('form')}:{c.get('names_site')}" for c in t["credits"]) or "-"
        return (f"#{aid} {t['site']} page {t['published_page'] or '-'} (true {t['published_true']}) "
                f"edits {','.join(t['edits']) or '-'} credits {credits} | {t['title'][:60]!r}")

    lines: list[str] = []
    kinds: Counter[str] = Counter()
    for t in truth:
        aid = url_id.get(t["url"])
        m = members.get(aid) if aid is not None else None
        if not t["parents"] or t["translated_from"] or m is None:
            continue
        true_url = t["parents"][0]["url"]
        pred_url = id_url.get(m["parent_id"]) if m["parent_id"] else None
        if pred_url == true_url:
            continue
        rel = relation(by_url, t["url"], true_url, pred_url)
        kinds[rel + (" (indistinguishable)" if t["url"] in same else "")] += 1
        lines += [f"== {rel}{' (indistinguishable)' if t['url'] in same else ''}: truth {t['credit_class']}, "
                  f"predicted {m['credit']}", f"  copy      {desc(t['url'])}", f"  true      {desc(true_url)}",
                  f"  predicted {desc(pred_url)}"]
        edge = edges.get((m["parent_id"], aid)) if m["parent_id"] else None
        if edge is not None:
            ev = "; ".join(f"{e['kind']} {'+' if e['favours'] == m['parent_id'] else '-' if e['favours'] else '0'}"
                           f"{e['weight']}" for e in json.loads(edge.evidence or "[]"))
            lines.append(f"  edge confidence {edge.confidence:.2f}: {ev}")
    lines.append("wrong parents by relation: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    return lines


def quote_edges(out: Path, store: Store) -> dict[str, Any]:
    """Altered quotes shown on main edges whose source is the true parent, against the truth's quote edits
    (`quote-trim` or `quote-alter` in the copy's `edits`): shown and true, shown only, true only."""
    from newstrace.store.provenance import copies

    truth = {t["url"]: t for t in (json.loads(line) for line in (out / "truth.jsonl").open(encoding="utf-8"))}
    id_url = {v: k for k, v in _url_ids(store).items()}
    both = shown_only = missed = 0
    with store.engine.connect() as conn:
        rows = conn.execute(select(copies.c.source_id, copies.c.copy_id, copies.c.quote_changes)
                            .where(copies.c.main == 1)).all()
    for src, cp, qc in rows:
        t = truth.get(id_url.get(cp, ""))
        if t is None or not t["parents"] or t["parents"][0]["url"] != id_url.get(src):
            continue
        altered = bool({"quote-trim", "quote-alter"} & set(t["edits"]))
        shown = any(c.get("kind") == "words" for c in json.loads(qc or "[]"))
        both += altered and shown
        shown_only += shown and not altered
        missed += altered and not shown
    return {"quote_edges_shown_and_true": both, "quote_edges_shown_only": shown_only, "quote_edges_missed": missed,
            "quote_edge_recall": both / (both + missed) if both + missed else 1.0,
            "quote_edge_precision": both / (both + shown_only) if both + shown_only else 1.0}


def run(articles: int, seed: int, date_noise: float, languages: tuple[str, ...], workers: int,
        keep: Path | None, quotes: bool = False) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="prov-eval-")) if keep is None else keep
    out = tmp / "corpus"
    t0 = time.perf_counter()
    generate(SynthConfig(articles=articles, seed=seed, date_noise=date_noise, languages=languages), out)
    store = Store(tmp / "eval.db")
    ingest([str(out / "html")], store, SourceOptions(), kind="html", workers=workers)
    t1 = time.perf_counter()
    run_reuse(store, workers=workers)
    if quotes:
        from newstrace.quotes.runner import update as update_quotes

        update_quotes(store)
    t2 = time.perf_counter()
    rep = update_provenance(store)
    t3 = time.perf_counter()
    res = evaluate(out, store)
    if quotes:
        res.update(quote_edges(out, store))
    res.update({"seed": seed, "date_noise": date_noise, "languages": ",".join(languages),
                "stories": rep.stories, "provenance_errors": len(rep.errors),
                "seconds": {"synth+ingest": round(t1 - t0, 1), "reuse": round(t2 - t1, 1),
                            "provenance": round(t3 - t2, 1)}})
    store.close()
    return res


def rerun(folder: Path, quotes: bool = False, errors: bool = False) -> dict[str, Any]:
    """Provenance alone (full rebuild) on a corpus and database kept with --keep: seconds instead of minutes."""
    store = Store(folder / "eval.db")
    t0 = time.perf_counter()
    rep = update_provenance(store, rebuild=True)
    t1 = time.perf_counter()
    res = evaluate(folder / "corpus", store)
    if quotes:
        res.update(quote_edges(folder / "corpus", store))
    if errors:
        print(f"### {folder.name}", *error_listing(folder / "corpus", store), sep="\n", flush=True)
    m = re.fullmatch(r"s(\d+)-n([\d.]+)", folder.name)
    res.update({"seed": int(m.group(1)) if m else folder.name, "date_noise": float(m.group(2)) if m else None,
                "languages": "kept", "stories": rep.stories, "provenance_errors": len(rep.errors),
                "seconds": {"provenance": round(t1 - t0, 1)}})
    store.close()
    return res


def markdown(results: list[dict[str, Any]]) -> str:
    lines = ["| corpus | copies | reuse found parent pair | parent acc. | parent acc. (pair found) "
             "| parent acc. (distinguishable) | credit acc. (copies) | credit acc. (all) | root acc. | provenance s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['articles']} articles, seed {r['seed']}, {r['languages']}, date noise {r['date_noise']} "
                     f"| {r['copies']} | {r['reuse_found_parent_pair']:.3f} | {r['parent_accuracy']:.3f} "
                     f"| {r['parent_accuracy_when_reuse_found_the_pair']:.3f} "
                     f"| {r['parent_accuracy_distinguishable']:.3f} ({r['indistinguishable_copies']} left out) "
                     f"| {r['credit_accuracy_copies']:.3f} "
                     f"| {r['credit_accuracy_all']:.3f} | {r['root_accuracy']:.3f} "
                     f"| {r['seconds']['provenance']} |")
    lines += ["", "| corpus | copies with a source | sure (share ≥ 0.9) | right when sure | right otherwise "
              "| mean share / accuracy | true parent shown (chosen or alternative) |", "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| seed {r['seed']}, date noise {r['date_noise']} | {r['sources_scored']} "
                     f"| {r['sure_sources']:.1%} | {r['sure_accuracy']:.3f} | {r['unsure_accuracy']:.3f} "
                     f"| {r['mean_source_share']:.3f} / {r['scored_accuracy']:.3f} "
                     f"| {r['parent_in_alternatives']:.3f} |")
    total = [[sum(r["calibration_bins"][i][k] for r in results) for k in range(3)] for i in range(10)]
    n = sum(b[0] for b in total)
    if n:
        ece = sum(abs(b[2] - b[1]) for b in total) / n
        lines += ["", f"Calibration over all {len(results)} corpora (temperature {choice.TEMPERATURE}, "
                      f"Platt scaling {choice.CALIBRATION}; "
                      f"calibration error {ece:.3f}: the copies' mean gap between share and being right, per bin):",
                  "", "| source's share | copies | mean share | right |", "|---|---|---|---|"]
        lines += [f"| {i / 10:.1f}–{(i + 1) / 10:.1f} | {b[0]} | {b[1] / b[0]:.3f} | {b[2] / b[0]:.3f} |"
                  for i, b in enumerate(total) if b[0]]
    return "\n".join(lines) + "\n"


def brief(r: dict[str, Any]) -> str:
    """One line: the issue's three figures and the parent errors' kinds."""
    return (f"seed {r['seed']} noise {r['date_noise']}: parent {r['parent_accuracy']:.3f} "
            f"(pair found {r['parent_accuracy_when_reuse_found_the_pair']:.3f}, reuse found "
            f"{r['reuse_found_parent_pair']:.3f}) credit {r['credit_accuracy_copies']:.3f} "
            f"root {r['root_accuracy']:.3f} wrong {r['wrong_parent']} {r['seconds']['provenance']}s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--seed", type=int, nargs="+", default=[1])
    ap.add_argument("--date-noise", type=float, nargs="+", default=[0.08])
    ap.add_argument("--languages", default="en,ru,zh")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quotes", action="store_true", help="read quotes first and score altered quotes on edges")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpus and database in this folder")
    ap.add_argument("--rerun", type=Path, nargs="+", default=None,
                    help="folders made by --keep (DIR/s2-n0.08 ...): provenance alone on their stored reuse results")
    ap.add_argument("--brief", action="store_true", help="print one summary line per corpus instead of the JSON")
    ap.add_argument("--errors", action="store_true",
                    help="with --rerun: list each wrong parent (sites, dates, edits, credits, relation, edge evidence)")
    ap.add_argument("--md", type=Path, default=None, help="write the results table (markdown) here")
    ap.add_argument("--temperature", type=float, default=None,
                    help="spread of the sources' shares of the evidence (`provenance.choice.TEMPERATURE`)")
    ap.add_argument("--calibration", type=float, nargs=2, default=None, metavar=("A", "B"),
                    help="Platt scaling of the chosen source's share (`provenance.choice.CALIBRATION`; 1 0: none)")
    args = ap.parse_args(argv)
    if args.temperature is not None:
        if args.temperature <= 0:
            ap.error("--temperature must be above 0")
        choice.TEMPERATURE = args.temperature
    if args.calibration is not None:
        choice.CALIBRATION = (args.calibration[0], args.calibration[1])
    langs = tuple(x for x in args.languages.split(",") if x)
    results = []
    if args.rerun:
        for folder in args.rerun:
            r = rerun(folder, args.quotes, args.errors)
            results.append(r)
            print(brief(r) if args.brief else json.dumps(r, indent=1), flush=True)
        if args.md:
            args.md.write_text(markdown(results), encoding="utf-8")
        return 0
    for seed in args.seed:
        for noise in args.date_noise:
            keep = args.keep / f"s{seed}-n{noise}" if args.keep else None
            if keep:
                keep.mkdir(parents=True, exist_ok=False)
            r = run(args.articles, seed, noise, langs, args.workers, keep, args.quotes)
            results.append(r)
            print(json.dumps(r, indent=1))
    table = markdown(results)
    print(table)
    if args.md:
        args.md.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
