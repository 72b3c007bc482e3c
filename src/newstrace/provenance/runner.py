"""Provenance over the store, incrementally: recompute only the stories whose reuse pairs changed.

Each story is stored with a signature of the pairs it was computed from. A run groups the current
pairs into components, and a component whose signature and members match a stored story is left
alone; every other component is recomputed and replaces the stored stories it overlaps. Stories
whose articles no longer share text are dropped.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..models import Article, ArticlePair, Passage
from . import _spans, translations
from .evidence import (
    Bylines,
    DateReliability,
    SiteRoles,
    count_roles,
    learn_date_reliability,
    pair_decisions,
    published_time,
)
from .lede import LedeReliability, credited_pairs, learn_ledes
from .origin import SiteOrigins, count_origins
from .quote_changes import attributions_from, change_labels, quote_changes
from .readings import Readings
from .trees import StoryTree, TreeOptions, build_story, pair_key, story_components, story_sites

__all__ = ["ProvenanceReport", "ReuseReader", "StoreReuseReader", "MemoryReuseReader", "story_record", "reused_ids",
           "edge_quote_changes",
           "update_provenance", "ALGORITHM_VERSION"]

ALGORITHM_VERSION = "prov-30"  # part of every signature: a new version recomputes everything


class ReuseReader(Protocol):
    """What provenance reads from the reuse results."""

    def pairs(self) -> list[ArticlePair]: ...
    def passages(self, pairs: list[tuple[int, int]]) -> list[Passage]: ...
    def boilerplate(self, article_ids: list[int]) -> dict[int, list[tuple[int, int]]]: ...


@dataclass(slots=True)
class MemoryReuseReader:
    """Reuse results already in memory (tests, benchmarks, a caller that computed them itself)."""

    all_pairs: list[ArticlePair]
    all_passages: list[Passage]
    ranges: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def pairs(self) -> list[ArticlePair]:
        return list(self.all_pairs)

    def passages(self, pairs: list[tuple[int, int]]) -> list[Passage]:
        want = set(pairs)
        return [p for p in self.all_passages if (min(p.a_id, p.b_id), max(p.a_id, p.b_id)) in want]

    def boilerplate(self, article_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        return {i: self.ranges.get(i, []) for i in article_ids}


class StoreReuseReader:
    """Reads pairs, passages and boilerplate through the store's reuse methods (`store/reuse.py`)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        for name in ("all_pairs", "passages_between", "boilerplate_ranges"):
            if not hasattr(store, name):
                raise RuntimeError(f"the store cannot read reuse results ({name} is missing): "
                                   "this newstrace has no reuse store")

    def pairs(self) -> list[ArticlePair]:
        return list(self.store.all_pairs())

    def passages(self, pairs: list[tuple[int, int]]) -> list[Passage]:
        if hasattr(self.store, "passages_among"):  # a few queries for a story instead of one per pair
            return list(self.store.passages_among(pairs))
        return [p for a, b in pairs for p in self.store.passages_between(a, b)]

    def boilerplate(self, article_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        return dict(self.store.boilerplate_ranges(article_ids))


@dataclass(slots=True)
class ProvenanceReport:
    stories: int = 0  # stories in the store after the run
    recomputed: int = 0
    unchanged: int = 0
    removed: int = 0  # stored stories replaced or dropped
    copies: int = 0  # copies written by this run
    errors: list[str] = field(default_factory=list)


def _signature(members: set[int], pairs: Iterable[ArticlePair], quoted: frozenset[int] = frozenset()) -> str:
    """What a story was computed from: its pairs, its members, and which members had their quotes read
    (quotes read after provenance change the edges' quote alterations, so the story is redone)."""
    h = hashlib.sha256(ALGORITHM_VERSION.encode())
    for p in sorted(pairs, key=lambda p: (p.a_id, p.b_id)):
        h.update(f"{p.a_id},{p.b_id},{p.passages},{p.shared_words},{p.coverage_a:.3f},{p.coverage_b:.3f};".encode())
    h.update(",".join(map(str, sorted(members))).encode())
    h.update(("q" + ",".join(map(str, sorted(members & quoted)))).encode())
    return h.hexdigest()[:32]


def _hours(later: Article, earlier: Article) -> float | None:
    t1, t0 = published_time(later), published_time(earlier)
    if t1 is None or t0 is None:
        return None
    return round((t1 - t0).total_seconds() / 3600, 3)


QuoteChanges = dict[tuple[int, int], list[dict[str, Any]]]  # (source, copy) -> alterations


def edge_quote_changes(tree: StoryTree, attributions: dict[int, list[Any]],
                       quote_ids: dict[tuple[int, int], int] | None = None) -> QuoteChanges:
    """For each copy edge whose two articles both have quote attributions, the quotes the copy altered.

    The labels ("altered quote", "re-attributed quote") are added to the edge's `changed` list.
    """
    out: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for c in tree.copies:
        src, cp = attributions.get(c.source_id), attributions.get(c.copy_id)
        if not src or not cp:
            continue
        changes = quote_changes(c.source_id, src, c.copy_id, cp, quote_ids)
        if changes:
            out[(c.source_id, c.copy_id)] = changes
            c.changed = [*c.changed, *(x for x in change_labels(changes) if x not in c.changed)]
    return out


def story_record(tree: StoryTree, articles: dict[int, Article], signature: str,
                 boilerplate: dict[int, list[tuple[int, int]]] | None = None,
                 quotes: dict[tuple[int, int], list[dict[str, Any]]] | None = None) -> Any:
    """A computed tree as the plain rows `Store.save_stories` writes (`quotes`: see `edge_quote_changes`)."""
    from ..store.provenance import StoryRecord, median_or_none

    bp = boilerplate or {}
    spans = {(s.source_id, s.copy_id): s.spans for s in tree.secondary}
    members = [{"article_id": m, "parent_id": tree.parent.get(m), "depth": tree.depth(m), "credit": tree.credit[m]}
               for m in tree.articles]
    rows = []
    for c in tree.copies:
        copy_art, src_art = articles[c.copy_id], articles[c.source_id]
        n = len(copy_art.text) - _spans.total(_spans.clip(_spans.merge(bp.get(c.copy_id, [])), 0, len(copy_art.text)))
        main = tree.parent.get(c.copy_id) == c.source_id
        sec = spans.get((c.source_id, c.copy_id))
        rows.append({
            "source_id": c.source_id, "copy_id": c.copy_id, "main": main, "confidence": c.confidence,
            "credit": c.credit,
            "evidence": [{"kind": e.kind, "favours": e.favours, "weight": e.weight, "detail": e.detail}
                         for e in c.evidence],
            "added": c.added, "removed": c.removed, "changed": c.changed, "coverage": c.coverage,
            "chars": int(round(_spans.total(sec) if sec and not main else c.coverage * max(0, n))),
            "spans": [list(s) for s in sec] if sec and not main else None,
            "conflict": c.conflict, "delay_hours": _hours(copy_art, src_art),
            "source_site": src_art.site, "copy_site": copy_art.site,
            "quote_changes": (quotes or {}).get((c.source_id, c.copy_id)) or None, "kind": c.kind,
            "choice": c.choice, "alternatives": [[a, share] for a, share in c.alternatives],
        })
    root = articles[tree.root]
    # a member dated before the origin it descends from has a wrong date: its delay is unknown, not negative
    delays = [d for m in tree.articles if m != tree.root and (d := _hours(articles[m], root)) is not None and d >= 0]
    spread = tree.spread_hours()
    return StoryRecord(
        root_id=tree.root, signature=signature, members=members, copies=rows,
        sites=len({articles[m].site for m in tree.articles}),
        first_published=tree.first_published.isoformat() if tree.first_published else None,
        last_published=tree.last_published.isoformat() if tree.last_published else None,
        spread_hours=round(spread, 3) if spread is not None else None,
        median_delay_hours=median_or_none(delays) if delays else None,
    )


def _quoted(store: Any) -> frozenset[int]:
    """Articles whose quotes the quotes stage has read (none when this store has no quotes)."""
    return frozenset(store.quote_done_ids()) if hasattr(store, "quote_done_ids") else frozenset()


def _story_quote_changes(store: Any, tree: StoryTree, quoted: frozenset[int]
                         ) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """Quote alterations on the story's edges, from the stored attributions (empty when quotes were not read)."""
    ids = sorted({m for c in tree.copies for m in (c.source_id, c.copy_id)} & quoted)
    if not ids or not hasattr(store, "quote_attributions_for"):
        return {}
    atts = {i: attributions_from(store.quote_attributions_for(i)) for i in ids}
    qids = store.quote_ids_at(ids) if hasattr(store, "quote_ids_at") else {}
    return edge_quote_changes(tree, atts, qids)


def _learn_roles(store: Any, reader: ReuseReader, todo: list[tuple[set[int], list[ArticlePair], str]],
                 keep: set[int], cache: StoryCache | None = None) -> tuple[SiteRoles, DateReliability, LedeReliability]:
    """Sites' habits as source or copy (from the stories kept as they are, and the pairs about to be redone),
    and how often the dates and the ledes agree with credit lines (from the pairs about to be redone). The
    articles read are kept in `cache` (as far as its budget goes) for the trees."""
    decisions = list(store.copy_decisions(sorted(keep))) if keep else []
    credited: list[tuple[Article, Article]] = []
    lede_pairs: list[ArticlePair] = []
    arts: dict[int, Article] = {}
    for k, (comp, comp_pairs, _sig) in enumerate(todo):
        try:
            got = {a.id: a for a in store.get_articles(sorted(comp)) if a.id is not None}
            if cache is not None:
                cache.put_articles(k, got)
            text = [p for p in comp_pairs if not translations.is_link(p)]  # habits are those of copying text
            decisions += pair_decisions(got, text)
            credited += [(got[p.a_id], got[p.b_id]) for p in text if p.a_id in got and p.b_id in got]
            named = {pair_key(s, c) for s, c in credited_pairs(got, text)}
            lede_pairs += [p for p in text if pair_key(p.a_id, p.b_id) in named]
            arts.update({i: got[i] for k in named for i in k})
        except Exception:  # noqa: S112 - a story that cannot be read is reported when it is built
            continue
    try:
        keys = sorted({pair_key(p.a_id, p.b_id) for p in lede_pairs})
        ledes = learn_ledes(arts, lede_pairs, reader.passages(keys), reader.boilerplate(sorted(arts)))
    except Exception:  # the lede is then used at its full weight
        ledes = LedeReliability()
    return count_roles(decisions), learn_date_reliability(credited), ledes


StoryData = tuple[dict[int, Article], list[Passage], dict[int, list[tuple[int, int]]], Readings]


def _read_story(store: Any, reader: ReuseReader, comp: set[int], comp_pairs: list[ArticlePair],
                arts: dict[int, Article] | None = None) -> StoryData:
    """A story's articles (unless given), passages and boilerplate ranges, and an empty `Readings` that its
    trees fill and share."""
    ids = sorted(comp)
    if arts is None:
        arts = {a.id: a for a in store.get_articles(ids) if a.id is not None}
    passages = reader.passages(sorted({(p.a_id, p.b_id) for p in comp_pairs}))
    return arts, passages, reader.boilerplate(ids), Readings({i: a.text for i, a in arts.items()}, passages)


def _learn_origins(store: Any, reader: ReuseReader, todo: list[tuple[set[int], list[ArticlePair], str]],
                   keep: set[int], options: TreeOptions,
                   habits: tuple[SiteRoles, DateReliability, LedeReliability], bylines: Bylines | None = None,
                   cache: StoryCache | None = None) -> SiteOrigins:
    """How often each site's articles start their stories: the stories kept as they are (as stored) and a first
    tree of each story about to be redone (without this lean; the second tree, with it, is the one stored).
    What is read is kept in `cache` (as far as its budget goes) for the second pass."""
    stories: list[tuple[str, list[str]]] = []
    if keep:  # (origin site, member sites) of each stored story kept as it is
        stories += store.story_sites(sorted(keep))
    for k, (comp, comp_pairs, _sig) in enumerate(todo):
        try:
            story = _read_story(store, reader, comp, comp_pairs, cache.take_articles(k) if cache else None)
            if cache is not None:
                cache.put(k, story)
            arts, passages, bp, readings = story
            stories.append(story_sites(build_story(comp, arts, comp_pairs, passages, bp, options, *habits,
                                                   bylines=bylines, readings=readings, details=False), arts))
        except Exception:  # noqa: S112 - a story that cannot be built is reported by the second pass
            continue
    return count_origins(stories)


class StoryCache:
    """What a run reads of each story to be redone (its articles when learning the sites' habits, then its
    passages and boilerplate for the first set of trees), kept for the next pass up to a budget of article text
    (characters): a corpus that fits is read once, a larger one reads the rest again."""

    def __init__(self, budget_chars: int = 200_000_000) -> None:
        self.budget = budget_chars
        self.used = 0
        self._items: dict[tuple[str, int], tuple[int, Any]] = {}  # (slot, story) -> (characters, what was read)

    def _put(self, slot: str, key: int, value: Any, arts: dict[int, Article]) -> None:
        size = sum(len(a.text) for a in arts.values())
        if self.used + size <= self.budget:
            self._items[(slot, key)] = (size, value)
            self.used += size

    def _take(self, slot: str, key: int) -> Any:
        size, value = self._items.pop((slot, key), (0, None))
        self.used -= size
        return value

    def put_articles(self, key: int, arts: dict[int, Article]) -> None:
        self._put("articles", key, arts, arts)

    def take_articles(self, key: int) -> dict[int, Article] | None:
        return self._take("articles", key)

    def put(self, key: int, story: StoryData) -> None:
        self._put("story", key, story, story[0])

    def take(self, key: int) -> StoryData | None:
        return self._take("story", key)


def reused_ids(comps: list[set[int]], old: dict[int, frozenset[int]]) -> dict[int, int]:
    """Which old story id each recomputed story keeps (index in `comps` -> id): the old story it shares most
    articles with, each old id given once, largest overlaps first. A story that grew keeps its id; of a story
    that split, the part holding most of it; of stories that merged, the one that brought most articles."""
    owner = {m: sid for sid, members in old.items() for m in members}
    overlaps = []
    for k, comp in enumerate(comps):
        counts: dict[int, int] = {}
        for m in comp:
            if m in owner:
                counts[owner[m]] = counts.get(owner[m], 0) + 1
        overlaps += [(-n, k, sid) for sid, n in counts.items()]
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _n, k, sid in sorted(overlaps):
        if k not in out and sid not in taken:
            out[k] = sid
            taken.add(sid)
    return out


def update_provenance(store: Any, rebuild: bool = False, reader: ReuseReader | None = None,
                      options: TreeOptions = TreeOptions(),
                      progress: Callable[[int, int], None] | None = None) -> ProvenanceReport:
    """Compute (or bring up to date) every story and copy from the stored reuse results.

    A story that fails (bad data) is reported in `errors` and never stops the run.
    """
    reader = reader or StoreReuseReader(store)
    report = ProvenanceReport()
    previous = store.story_signatures()  # before a rebuild too: a story keeps its id (`reused_ids`)
    if rebuild:
        store.clear_provenance()
    pairs = reader.pairs()
    if hasattr(store, "credit_link_targets"):  # translations crediting a stored page by link (`translations.py`)
        pairs += translations.link_pairs(store.credit_link_targets(translations.KINDS))
    low = {i for p in pairs if options.min_coverage <= max(p.coverage_a, p.coverage_b) < options.same_site_coverage
           for i in (p.a_id, p.b_id)}  # excerpts: a story only across sites
    comps = story_components(pairs, options, store.reuse_sites(sorted(low)) if low else None)
    stored = {} if rebuild else previous
    by_members = {members: (sid, sig) for sid, (sig, members) in stored.items()}
    pairs_by_member: dict[int, list[ArticlePair]] = {}
    for p in pairs:
        pairs_by_member.setdefault(p.a_id, []).append(p)
    todo: list[tuple[set[int], list[ArticlePair], str]] = []
    keep: set[int] = set()
    quoted = _quoted(store)
    for comp in comps:
        comp_pairs = [p for m in comp for p in pairs_by_member.get(m, []) if p.b_id in comp]
        sig = _signature(comp, comp_pairs, quoted)
        hit = by_members.get(frozenset(comp))
        if hit and hit[1] == sig:
            keep.add(hit[0])
            report.unchanged += 1
        else:
            todo.append((comp, comp_pairs, sig))
    stale = [sid for sid in stored if sid not in keep]
    ids = reused_ids([comp for comp, _p, _s in todo], {sid: m for sid, (_s, m) in previous.items() if sid not in keep})
    # new stories take ids above every earlier one: after a rebuild's clearing, the database would hand out an id
    # that a later story of this run takes back (`reused_ids`), and saving that one would delete the first
    fresh = itertools.count(max(previous, default=0) + 1)
    saved: set[int] = set()
    cache = StoryCache()
    roles, dates, ledes = _learn_roles(store, reader, todo, keep, cache)
    bylines = store.byline_sites() if todo and hasattr(store, "byline_sites") else None
    origins = _learn_origins(store, reader, todo, keep, options, (roles, dates, ledes), bylines, cache) \
        if options.site_origin_weight else None
    new_records = []
    for done, (comp, comp_pairs, sig) in enumerate(todo, 1):
        try:
            arts, passages, bp, readings = cache.take(done - 1) or _read_story(store, reader, comp, comp_pairs,
                                                                               cache.take_articles(done - 1))
            tree = build_story(comp, arts, comp_pairs, passages, bp, options, roles, dates, ledes, origins, bylines,
                               readings)
            qc = _story_quote_changes(store, tree, quoted)
            rec = story_record(tree, arts, sig, bp, qc)
            rec.id = ids.get(done - 1) or next(fresh)
            new_records.append(rec)
            report.copies += len(tree.copies)
        except Exception as exc:  # one bad story never stops the run
            report.errors.append(f"story of articles {sorted(comp)[:5]}...: {type(exc).__name__}: {exc}")
        if progress:
            progress(done, len(todo))
        if len(new_records) >= 200:
            store.save_stories(new_records)
            saved |= {r.id for r in new_records if r.id is not None}
            new_records = []
    saved |= {r.id for r in new_records if r.id is not None}
    store.save_stories(new_records, replace=[sid for sid in stale if sid not in saved])
    report.recomputed = len(todo) - len(report.errors)
    report.removed = len(stale)
    report.stories = store.story_count()
    return report
