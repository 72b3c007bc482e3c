"""The local runner: the engine's batch functions over a process pool, reading and writing the store.

Incremental by design. The state records the last article id processed and the parameter key;
a run takes the articles after it, matches them against the fingerprint index of everything
before, and appends a segment to the index. A second run with nothing new does nothing.

Boilerplate stays correct cheaply: per-site unit counts are kept in the store and updated with the
new pages only; each site's boilerplate set (and so its "version") is recomputed only for sites
that got new pages. When a site's version changes (a footer crossed the threshold, or the
threshold moved because the site grew), that site's older articles are re-marked; only those
whose boilerplate ranges actually changed are redone: their old pairs are dropped, their
fingerprints leave the index and they are matched again as if new. Small sites also depend on
the cross-site list, so a change there re-marks small sites only. Changed parameters (or
`rebuild=True`) start from scratch.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import numpy as np

from ..models import ArticlePair, Passage
from ..store import Store
from .boilerplate import BoilerplateModel, UnitCounts, count_units, learn_boilerplate, page_signature
from .candidates import FingerprintIndex, find_candidates, live_postings, merge_segments, postings
from .engine import (
    Analysed,
    Doc,
    PairResult,
    ReuseResult,
    align_pairs,
    analyse,
    analyse_many,
    finish,
    mark,
    split_linked,
)
from .links import LinkIndex
from .params import DEFAULT_CHUNK, ReuseParams
from .tokens import _tables

Progress = Callable[[str, int, int], None]  # (stage, done, total)
T = TypeVar("T")
R = TypeVar("R")

MAX_SEGMENTS = 8  # at most this many index segments (lookups bisect each)
MAX_DEAD = 50_000  # redone articles whose old postings are tombstoned before the segments are merged
_G: dict[str, Any] = {}  # read-only state inherited by forked workers


@dataclass
class RunReport:
    new_articles: int = 0
    redone_articles: int = 0
    sites_remarked: list[str] = field(default_factory=list)
    candidates: int = 0
    pairs: int = 0  # found by this run's steps: a pair redone in a later chunk counts again
    passages: int = 0
    merges: int = 0  # index segments merged into one (streaming)
    seconds: float = 0.0
    noop: bool = False
    rebuilt: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # articles that could not be analysed (treated as empty)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _chunks(items: Sequence[T], n: int) -> list[Sequence[T]]:
    size = max(1, -(-len(items) // n))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _pmap(fn: Callable[[Sequence[T]], R], items: Sequence[T], workers: int, stage: str,
          progress: Progress | None, chunk_count: int | None = None) -> Iterator[R]:
    """Map `fn` over chunks of `items` in forked workers (sequentially with one worker)."""
    chunks = _chunks(items, chunk_count or max(1, workers * 8)) if items else []
    _tables()  # build the character tables once, before forking
    done = 0
    if progress:
        progress(stage, 0, len(items))
    if workers <= 1 or len(chunks) <= 1:
        results: Iterable[R] = (fn(c) for c in chunks)
        for c, r in zip(chunks, results, strict=True):
            done += len(c)
            if progress:
                progress(stage, done, len(items))
            yield r
        return
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx) as ex:
        for c, r in zip(chunks, ex.map(fn, chunks), strict=True):
            done += len(c)
            if progress:
                progress(stage, done, len(items))
            yield r


# -- worker functions (module level so the pool can find them) ----------------------------
def _w_analyse(ids: Sequence[int]) -> list[Analysed]:
    docs: dict[int, Doc] = _G["docs"]
    try:
        return analyse_many([docs[i] for i in ids], _G["params"])
    except Exception:  # noqa: BLE001 - one bad text must not stop the batch: find it article by article
        pass
    out = []
    for i in ids:
        try:
            out.append(analyse(docs[i], _G["params"]))
        except Exception as exc:  # one bad text must not stop the batch: it is analysed as empty
            an = analyse(Doc(i, docs[i].site, "", docs[i].title), _G["params"])
            an.error = f"article {i}: {type(exc).__name__}: {exc}"
            out.append(an)
    return out


def _w_mark(ids: Sequence[int]) -> list[list[tuple[int, int]]]:
    docs: dict[int, Doc] = _G["docs"]
    return [mark(docs[i], _G["model"]) for i in ids]


def _w_align(pairs: Sequence[tuple[int, int]]) -> list[PairResult]:
    docs: dict[int, Doc] = _G["docs"]
    ranges: dict[int, list[tuple[int, int]]] = _G["ranges"]
    return align_pairs(pairs, lambda i: docs[i].text, lambda i: ranges.get(i, []), _G["params"],
                       site_of=lambda i: docs[i].site, title_of=lambda i: docs[i].title)


# -- stages shared by the store run and the in-memory parallel run ---------------------------
def stage_analyse(docs: dict[int, Doc], ids: Sequence[int], params: ReuseParams, workers: int,
                  progress: Progress | None) -> list[Analysed]:
    """Tokenise each article once, in parallel: boilerplate units and fingerprints with their spans."""
    _G.update(docs=docs, params=params)
    return [an for chunk in _pmap(_w_analyse, ids, workers, "analyse", progress) for an in chunk]


def _w_finish(idx: Sequence[int]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
    docs: dict[int, Doc] = _G["docs"]
    analysed: list[Analysed] = _G["analysed"]
    return [finish(docs[analysed[k].id], analysed[k], _G["model"]) for k in idx]


def stage_finish(docs: dict[int, Doc], analysed: list[Analysed], model: BoilerplateModel, workers: int = 1,
                 progress: Progress | None = None) -> tuple[dict[int, list[tuple[int, int]]], list[np.ndarray]]:
    """Boilerplate ranges and the fingerprints outside them (no text is tokenised again), in parallel."""
    _G.update(docs=docs, analysed=analysed, model=model)
    ranges: dict[int, list[tuple[int, int]]] = {}
    fps: list[np.ndarray] = []
    k = 0
    for chunk in _pmap(_w_finish, range(len(analysed)), workers, "boilerplate", progress):
        for r, f in chunk:
            ranges[analysed[k].id] = r
            fps.append(f)
            k += 1
    _G.pop("analysed", None)
    return ranges, fps


def stage_align(docs: dict[int, Doc], ranges: dict[int, list[tuple[int, int]]], cand: np.ndarray,
                params: ReuseParams, workers: int, progress: Progress | None,
                links: Iterable[tuple[int, int]] = ()) -> tuple[list[ArticlePair], list[Passage]]:
    """Align candidate pairs, and pairs linked by a credit line (`engine.split_linked`), in parallel; pairs
    sharing no passage are dropped."""
    plain, linked = split_linked(cand, links, lambda i: docs[i].site if i in docs else "", params)
    pairs: list[ArticlePair] = []
    passages: list[Passage] = []
    for pair_list, prm, stage in ((plain, params, "alignment"), (linked, params.linked(), "linked pairs")):
        if not pair_list:
            continue
        _G.update(docs=docs, ranges=ranges, params=prm)  # before the pool forks: its workers read it
        for chunk in _pmap(_w_align, pair_list, workers, stage, progress):
            for res in chunk:
                pairs.append(res.pair)
                passages.extend(res.passages)
    return pairs, passages


def reuse_parallel(docs: Sequence[Doc], params: ReuseParams | None = None, workers: int | None = None,
                   progress: Progress | None = None, links: Iterable[tuple[int, int]] = ()) -> ReuseResult:
    """`engine.reuse_in_memory` over a process pool: the whole pass on articles held in memory."""
    params = params or ReuseParams()
    params.validate()
    workers = workers or os.cpu_count() or 1
    by_id = {d.id: d for d in docs}
    ids = [d.id for d in docs]
    try:
        analysed = stage_analyse(by_id, ids, params, workers, progress)
        counts = count_units((an.site, an.units) for an in analysed)
        model = learn_boilerplate(counts, params)
        ranges, fps = stage_finish(by_id, analysed, model, workers, progress)
        del analysed
        h, a = postings(ids, fps)
        cand = find_candidates(h, a, params)
        pairs, passages = stage_align(by_id, ranges, cand, params, workers, progress, links)
    finally:
        _G.clear()
    return ReuseResult(model, counts, ranges, dict(zip(ids, fps, strict=True)), cand, pairs, passages)


# -- model persistence --------------------------------------------------------------------
def _model_to_state(model: BoilerplateModel) -> dict[str, Any]:
    return {"pages": model.site_pages,
            "hashes": {s: [format(int(x), "x") for x in h] for s, h in model.site_hashes.items() if len(h)}}


def _model_from_state(data: dict[str, Any] | None, params: ReuseParams) -> BoilerplateModel:
    data = data or {}
    site_hashes = {s: np.array(sorted(int(x, 16) for x in v), dtype=np.uint64)
                   for s, v in data.get("hashes", {}).items()}
    pages = {s: int(n) for s, n in data.get("pages", {}).items()}
    tmp = UnitCounts()  # recompute the cross-site list from the per-site sets
    model = learn_boilerplate(tmp, params, BoilerplateModel(site_hashes, np.zeros(0, dtype=np.uint64), pages))
    return model


def _prior_counts(store: Store, analysed: list[Analysed], old: BoilerplateModel) -> tuple[UnitCounts, dict]:
    """What the store knows about the units of the new pages (and the current boilerplate units)."""
    sigs: dict[str, list[int]] = {}
    units: dict[str, list[np.ndarray]] = {}
    for an in analysed:
        sigs.setdefault(an.site, []).append(page_signature(an.units))
        units.setdefault(an.site, []).append(an.units.hashes)
    known_sites = [s for s in sigs if old.site_pages.get(s, 0) > 0]  # only these have stored rows
    seen = store.reuse_seen_pages({s: sigs[s] for s in known_sites})
    wanted = {s: np.concatenate([*units[s], old.site_hashes.get(s, np.zeros(0, dtype=np.uint64))])
              for s in known_sites}
    stored = store.reuse_unit_counts(wanted)
    prior = UnitCounts(
        hashes={s: h for s, (h, _) in stored.items()}, counts={s: c for s, (_, c) in stored.items()},
        pages={s: old.site_pages.get(s, 0) for s in sigs}, seen={s: set(seen.get(s, set())) for s in sigs},
    )
    new_units = {s: np.unique(np.concatenate(v)) for s, v in units.items()}
    return prior, {"sigs": sigs, "seen": seen, "stored": stored, "new_units": new_units}


def _counts_to_write(counts: UnitCounts, info: dict) -> tuple[dict, dict]:
    """Rows of `reuse_units` that the new pages changed, and the page signatures seen for the first time."""
    rows = {}
    for site, new in info["new_units"].items():
        h, c = counts.hashes[site], counts.counts[site]
        touched = np.isin(h, new)
        stored_h = info["stored"].get(site, (np.zeros(0, dtype=np.uint64), None))[0]
        rows[site] = (h[touched], c[touched], np.isin(h[touched], stored_h))
    seen = {s: sorted(set(v) - info["seen"].get(s, set())) for s, v in info["sigs"].items()}
    return rows, seen


# -- the run ------------------------------------------------------------------------------
REMARK_BATCH = 10_000  # older articles re-marked per read


def merge_from(sizes: list[int], cap: int = MAX_SEGMENTS) -> int:
    """Which segments (old to new, the new one last) to merge into one: from the returned index on.

    Size-tiered, like a log-structured merge tree: the newest segments merge while the next older one
    is no larger than their total, so a posting is rewritten about log2(N / chunk) times in all, and a
    small incremental step merges only with small segments (never the corpus-sized one); at most
    `cap` segments remain. Returns len(sizes) - 1 when nothing is merged.
    """
    j = len(sizes) - 1
    total = sizes[j]
    while j > 0 and sizes[j - 1] <= total:
        j -= 1
        total += sizes[j]
    return max(0, min(j, cap - 1))


def run_reuse(store: Store, params: ReuseParams | None = None, workers: int | None = None, rebuild: bool = False,
              progress: Progress | None = None, chunk_size: int = DEFAULT_CHUNK) -> RunReport:
    """Find reuse for articles added since the last run (all of them with `rebuild`) and store it.

    New articles are taken `chunk_size` at a time, each chunk an incremental step against the index
    built so far and committed on its own: memory is bounded by the chunk, and an interrupted run
    resumes after the last committed chunk.
    """
    t0 = time.perf_counter()
    params = params or ReuseParams()
    params.validate()
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    workers = workers or os.cpu_count() or 1
    report = RunReport()
    state = store.reuse_state()
    if rebuild or (state and state.get("params") != params.key()):
        store.reuse_clear()
        state = {}
        report.rebuilt = True
    store.reuse_prune_files()
    refs = store.reuse_article_refs(after_id=int(state.get("last_article_id", 0)))
    if not refs:
        report.noop = True
        report.seconds = round(time.perf_counter() - t0, 3)
        return report
    steps = [refs[i:i + chunk_size] for i in range(0, len(refs), chunk_size)]
    del refs
    if progress and len(steps) > 1:
        progress("chunks", 0, len(steps))
    # pages and credit links: those of earlier runs from the saved index, the rest a step's range at a time
    links_file = store.reuse_links_path()
    link_index = LinkIndex.load(links_file)
    if link_index.upto > int(state.get("last_article_id", 0)):  # saved ahead of the committed state: not ours
        link_index = LinkIndex()
    for k, chunk in enumerate(steps):
        state = _step(store, params, workers, state, chunk, progress, report, link_index)
        if progress and len(steps) > 1:
            progress("chunks", k + 1, len(steps))
    if params.linked_words:
        link_index.save(links_file)
    report.sites_remarked = sorted(set(report.sites_remarked))
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


def _step(store: Store, params: ReuseParams, workers: int, state: dict[str, Any], new_refs: list[tuple[int, str]],
          progress: Progress | None, report: RunReport, link_index: LinkIndex) -> dict[str, Any]:
    """One incremental step: `new_refs` (ids after the state's last) against the index; returns the new state."""
    tick = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        report.timings[name] = round(report.timings.get(name, 0.0) + now - tick, 3)
        tick = now

    last = int(state.get("last_article_id", 0))
    new_ids = [i for i, _ in new_refs]
    texts, titles = store.reuse_texts(new_ids), store.reuse_titles(new_ids)
    docs = {i: Doc(i, site, texts[i], titles.get(i, "")) for i, site in new_refs}
    del texts, titles
    lap("read")

    # 1. boilerplate: count the new pages' units per site, relearn those sites
    sites_new = sorted({s for _, s in new_refs})
    old_model = _model_from_state(state.get("bp_model"), params)
    analysed = stage_analyse(docs, new_ids, params, workers, progress)
    report.errors += [an.error for an in analysed if an.error]
    prior, info = _prior_counts(store, analysed, old_model)
    counts = count_units(((an.site, an.units) for an in analysed), prior)
    unit_rows, seen_rows = _counts_to_write(counts, info)
    del info
    model = learn_boilerplate(UnitCounts(counts.hashes, counts.counts, counts.pages, counts.seen), params, old_model)
    lap("boilerplate")

    # 2. sites whose boilerplate changed: re-mark their older articles, redo those that changed
    changed = sorted(s for s in set(old_model.site_pages) | set(sites_new)
                     if s in old_model.site_pages and old_model.site_version(s) != model.site_version(s))
    redo: list[int] = []
    if changed and last:
        old_refs = store.reuse_article_refs(after_id=0, upto_id=last, sites=changed)
        for b in range(0, len(old_refs), REMARK_BATCH):  # texts read a batch at a time; only redone ones kept
            batch = old_refs[b:b + REMARK_BATCH]
            old_ids = [i for i, _ in batch]
            texts, titles = store.reuse_texts(old_ids), store.reuse_titles(old_ids)
            olds = {i: Doc(i, s, texts[i], titles.get(i, "")) for i, s in batch if i in texts}
            old_ids = [i for i in old_ids if i in olds]
            del texts, titles
            _G.update(docs=olds, model=model)
            new_ranges = [r for chunk in _pmap(_w_mark, old_ids, workers, "re-mark", progress) for r in chunk]
            stored = store.boilerplate_ranges(old_ids)
            batch_redo = [i for i, r in zip(old_ids, new_ranges, strict=True) if r != stored.get(i, [])]
            docs.update({i: olds[i] for i in batch_redo})
            redo += batch_redo
        report.sites_remarked += changed
    report.redone_articles += len(redo)
    lap("re-mark")

    # 3. boilerplate ranges and fingerprints of new and redone articles
    work_ids = sorted(set(new_ids) | set(redo))
    if redo:
        analysed += stage_analyse(docs, redo, params, workers, progress)
        analysed.sort(key=lambda an: an.id)
    ranges, fps = stage_finish(docs, analysed, model, workers, progress)
    del analysed
    lap("fingerprints")

    # 4. candidates against the index (redone articles' old postings are dead) and among the new
    segments = store.reuse_index_segments()
    seg_names = list(state.get("segments", []))
    dead_ids: dict[str, list[int]] = {k: list(v) for k, v in state.get("dead", {}).items() if k in seg_names}
    if redo:
        for n in seg_names:  # tombstones: the segment files stay as they are until the next merge
            dead_ids[n] = sorted(set(dead_ids.get(n, [])) | set(redo))
    dead = [np.asarray(dead_ids.get(n, []), dtype=np.int64) for n in seg_names]
    index = FingerprintIndex(list(segments), list(dead))
    h, a = postings(work_ids, fps)
    del fps
    cand = find_candidates(h, a, params, index)
    report.candidates += len(cand)
    # pages linking to another in a credit line: the other side must be processed already (or in this step)
    links: list[tuple[int, int]] = []
    if params.linked_words:
        upto = max(work_ids)
        if upto > link_index.upto:
            link_index.add(*store.page_links(link_index.upto, upto), upto=upto)
        links = link_index.pairs(work_ids)
    lap("candidates")

    # 5. align candidate pairs
    partners = sorted(({int(x) for x in cand[:, :2].ravel()} | {i for ab in links for i in ab}) - set(docs))
    if partners:
        texts = store.reuse_texts(partners)
        sites = store.reuse_sites(list(texts))  # alignment needs the site only to keep excerpts across sites
        titles = store.reuse_titles(list(texts))
        docs.update({i: Doc(i, sites.get(i, ""), t, titles.get(i, "")) for i, t in texts.items()})
        gone = np.array(sorted(set(partners) - set(texts)), dtype=np.int64)
        if len(gone):  # articles deleted since they were indexed
            cand = cand[~(np.isin(cand[:, 0], gone) | np.isin(cand[:, 1], gone))]
        ranges.update({i: r for i, r in store.boilerplate_ranges(partners).items() if i not in ranges})
    links = [(x, y) for x, y in links if x in docs and y in docs]
    pairs, passages = stage_align(docs, ranges, cand, params, workers, progress, links)
    report.pairs += len(pairs)
    report.passages += len(passages)
    lap("alignment")

    # 6. write: index segment (merged with the newer segments of no greater total size, see
    # `merge_from`; all of them when too many postings are dead), unit counts, then results and
    # state in one transaction
    name = f"seg-{max(work_ids)}-{len(work_ids)}-{int(time.time() * 1000)}"
    start = merge_from([len(x) for x, _ in segments] + [len(h)], MAX_SEGMENTS)
    if sum(len(d) for d in dead) > MAX_DEAD:
        start = 0
    if start < len(segments):
        segs = [*segments[start:], (h, a)]
        dd = [*dead[start:], np.zeros(0, dtype=np.int64)]
        store.reuse_write_segment_blocks(name, live_postings(segs, dd), merge_segments(segs, dd))
        seg_names = seg_names[:start]
        dead_ids = {k: v for k, v in dead_ids.items() if k in seg_names}
        report.merges += 1
    else:
        store.reuse_write_segment(name, h, a)
    del segments, index
    new_state = {
        "last_article_id": max(last, max(new_ids)),
        "params": params.key(),
        "segments": [*seg_names, name],
        "dead": {k: v for k, v in dead_ids.items() if v},
        "bp_model": _model_to_state(model),
        "last_run": {"at": datetime.now(UTC).isoformat(timespec="seconds"), "new_articles": len(new_ids),
                     "redone": len(redo), "pairs": len(pairs), "passages": len(passages)},
    }
    store.write_reuse({i: ranges[i] for i in work_ids}, pairs, passages, redo, new_state, unit_rows, seen_rows)
    store.reuse_prune_files()
    _G.clear()
    lap("write")
    report.new_articles += len(new_ids)
    return new_state
