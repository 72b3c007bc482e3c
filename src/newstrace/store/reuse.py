"""Tables, queries and sidecar files for text-reuse results.

SQL tables: `reuse_boilerplate` (per article: boilerplate character ranges into Article.text),
`reuse_passages`, `reuse_pairs` (undirected, a_id < b_id), `reuse_state` (key/value: the last
article processed, the parameter key, the index segments, each site's boilerplate set) and, for
incremental boilerplate, `reuse_units` (per site: pages on which each paragraph/sentence hash
appears) and `reuse_pages_seen` (page signatures already counted), both read by point lookups.

The fingerprint index for incremental runs lives beside the database as numpy files
(`<db>.reuse/seg-*.hash.npy` and `seg-*.art.npy`, sorted by hash): 12 bytes per posting,
memory-mapped and searched by bisection, against about 40 bytes per row plus a B-tree index for
an SQLite table of (hash, article_id) - at one million articles and ~100 fingerprints each that
is ~1.2 GB against ~5 GB. A segment counts only once `reuse_state` names it, so a crash between
writing files and committing leaves no trace.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    delete,
    func,
    or_,
    select,
)
from sqlalchemy.engine import make_url

from ..models import ArticlePair, Edit, Passage
from . import schema
from .migrations import Migration, _create

reuse_boilerplate = Table(
    "reuse_boilerplate",
    schema.metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("ranges", Text, nullable=False),  # JSON [[start, end], ...]
    Column("chars", Integer, nullable=False, default=0),  # boilerplate characters
)

reuse_passages = Table(
    "reuse_passages",
    schema.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("b_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("a_start", Integer, nullable=False),
    Column("a_end", Integer, nullable=False),
    Column("b_start", Integer, nullable=False),
    Column("b_end", Integer, nullable=False),
    Column("a_words", Integer, nullable=False),
    Column("b_words", Integer, nullable=False),
    Column("similarity", Float, nullable=False),
    Column("edits", Text),  # JSON [[op, a_text, b_text], ...]
)
Index("ix_reuse_passages_ab", reuse_passages.c.a_id, reuse_passages.c.b_id)
Index("ix_reuse_passages_b", reuse_passages.c.b_id)

reuse_pairs = Table(
    "reuse_pairs",
    schema.metadata,
    Column("a_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("b_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("passages", Integer, nullable=False),
    Column("shared_words", Integer, nullable=False),
    Column("coverage_a", Float, nullable=False),
    Column("coverage_b", Float, nullable=False),
    Column("similarity", Float, nullable=False),
)
Index("ix_reuse_pairs_b", reuse_pairs.c.b_id)

reuse_state = Table(
    "reuse_state",
    schema.metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

# Per site: on how many distinct pages each paragraph/sentence hash appears (incremental boilerplate).
reuse_units = Table(
    "reuse_units",
    schema.metadata,
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("hash", BigInteger, primary_key=True, autoincrement=False),  # uint64 stored as signed int64
    Column("pages", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Page signatures already counted per site (a page republished as-is counts once).
reuse_pages_seen = Table(
    "reuse_pages_seen",
    schema.metadata,
    Column("site_id", Integer, ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", BigInteger, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

MIGRATIONS: list[Migration] = [
    ("0100_reuse_tables", _create(reuse_boilerplate, reuse_passages, reuse_pairs, reuse_state)),
    ("0101_reuse_unit_counts", _create(reuse_units, reuse_pages_seen)),
]

_CHUNK = 500


def _pair_from_row(r: Any) -> ArticlePair:
    return ArticlePair(r.a_id, r.b_id, r.passages, r.shared_words, r.coverage_a, r.coverage_b, r.similarity)


def _passage_from_row(r: Any, flip: bool = False) -> Passage:
    edits = [Edit(op, a, b) for op, a, b in json.loads(r.edits or "[]")]
    if not flip:
        return Passage(r.a_id, r.b_id, r.a_start, r.a_end, r.b_start, r.b_end, r.a_words, r.b_words,
                       r.similarity, edits)
    swap = {"insert": "delete", "delete": "insert"}
    return Passage(r.b_id, r.a_id, r.b_start, r.b_end, r.a_start, r.a_end, r.b_words, r.a_words, r.similarity,
                   [Edit(swap.get(e.op, e.op), e.b_text, e.a_text) for e in edits])


class ReuseStore:
    engine: Engine
    url: str

    # -- sidecar files -----------------------------------------------------------------
    def reuse_index_dir(self) -> Path:
        """Where the fingerprint index and unit counts live: `<db>.reuse/` beside a SQLite file."""
        env = os.environ.get("NEWSTRACE_REUSE_DIR")
        if env:
            return Path(env)
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
            return Path(u.database + ".reuse")
        return Path.cwd() / ".newstrace-reuse" / hashlib.sha256(self.url.encode()).hexdigest()[:12]

    def reuse_links_path(self) -> Path:
        """Where the reuse runner keeps its credit-link index between runs (`reuse.links.LinkIndex`)."""
        return self.reuse_index_dir() / "links.npz"

    def reuse_index_segments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The committed fingerprint index segments, memory-mapped: (sorted hashes, article ids)."""
        d = self.reuse_index_dir()
        out = []
        for name in self.reuse_state().get("segments", []):
            out.append((np.load(d / f"{name}.hash.npy", mmap_mode="r"), np.load(d / f"{name}.art.npy", mmap_mode="r")))
        return out

    def reuse_write_segment(self, name: str, hashes: np.ndarray, articles: np.ndarray) -> None:
        """Write one index segment's files (not yet committed: `write_reuse` names it in the state)."""
        d = self.reuse_index_dir()
        d.mkdir(parents=True, exist_ok=True)
        np.save(d / f"{name}.hash.npy", np.ascontiguousarray(hashes, dtype=np.uint64))
        np.save(d / f"{name}.art.npy", np.ascontiguousarray(articles, dtype=np.uint32))

    def reuse_write_segment_blocks(self, name: str, total: int,
                                   blocks: Iterable[tuple[np.ndarray, np.ndarray]]) -> None:
        """Write a segment of `total` postings from sorted blocks, streaming (a merge of segments
        larger than memory); uncommitted until `write_reuse` names it, like `reuse_write_segment`."""
        d = self.reuse_index_dir()
        d.mkdir(parents=True, exist_ok=True)
        hm = np.lib.format.open_memmap(d / f"{name}.hash.npy", mode="w+", dtype=np.uint64, shape=(total,))
        am = np.lib.format.open_memmap(d / f"{name}.art.npy", mode="w+", dtype=np.uint32, shape=(total,))
        at = 0
        for h, a in blocks:
            if at + len(h) > total:
                raise ValueError(f"segment {name}: more postings than the {total} announced")
            hm[at:at + len(h)] = h
            am[at:at + len(a)] = a
            at += len(h)
        if at != total:
            raise ValueError(f"segment {name}: {at} postings written, {total} announced")
        hm.flush()
        am.flush()
        del hm, am

    def reuse_prune_files(self) -> None:
        """Delete index files that no committed state names (left by a crash or a compaction)."""
        d = self.reuse_index_dir()
        if not d.is_dir():
            return
        live = set(self.reuse_state().get("segments", []))
        for f in d.glob("seg-*.npy"):
            if f.name.split(".")[0] not in live:
                f.unlink()

    # -- per-site unit counts (incremental boilerplate) ----------------------------------
    def _site_id_map(self, conn: Any, domains: list[str]) -> dict[str, int]:
        t = schema.sites
        out: dict[str, int] = {}
        for i in range(0, len(domains), _CHUNK):
            for r in conn.execute(select(t.c.id, t.c.domain).where(t.c.domain.in_(domains[i:i + _CHUNK]))):
                out[r.domain] = r.id
        return out

    def reuse_unit_counts(self, wanted: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per site, the stored page counts of the given unit hashes (those never seen are left out).

        Point lookups: an incremental run reads only the units of its new pages (and the site's
        current boilerplate units), never the whole table.
        """
        t = reuse_units
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        with self.engine.connect() as conn:
            ids = self._site_id_map(conn, list(wanted))
            for site, hashes in wanted.items():
                if site not in ids or not len(hashes):
                    continue
                signed = np.unique(hashes).view(np.int64).tolist()
                hs: list[int] = []
                cs: list[int] = []
                for i in range(0, len(signed), _CHUNK):
                    q = select(t.c.hash, t.c.pages).where(t.c.site_id == ids[site], t.c.hash.in_(signed[i:i + _CHUNK]))
                    for r in conn.execute(q):
                        hs.append(r.hash)
                        cs.append(r.pages)
                if hs:
                    h = np.array(hs, dtype=np.int64).view(np.uint64)
                    order = np.argsort(h)
                    out[site] = (h[order], np.array(cs, dtype=np.int64)[order])
        return out

    def reuse_seen_pages(self, wanted: dict[str, list[int]]) -> dict[str, set[int]]:
        """Per site, which of the given page signatures were already counted."""
        t = reuse_pages_seen
        out: dict[str, set[int]] = {}
        with self.engine.connect() as conn:
            ids = self._site_id_map(conn, list(wanted))
            for site, sigs in wanted.items():
                if site not in ids:
                    continue
                signed = np.array(sigs, dtype=np.uint64).view(np.int64).tolist()
                found: set[int] = set()
                for i in range(0, len(signed), _CHUNK):
                    q = select(t.c.signature).where(t.c.site_id == ids[site], t.c.signature.in_(signed[i:i + _CHUNK]))
                    found.update(int(np.int64(x).view(np.uint64)) for x in conn.execute(q).scalars())
                out[site] = found
        return out

    def _write_unit_counts(self, conn: Any, counts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]],
                           seen: dict[str, list[int]]) -> None:
        """Counts per site: (hashes, pages, already stored?) -> update the stored rows, insert the others."""
        ids = self._site_id_map(conn, sorted(set(counts) | set(seen)))
        t = reuse_units
        upd = t.update().where(t.c.site_id == bindparam("s"), t.c.hash == bindparam("h")).values(pages=bindparam("n"))
        for site, (hashes, pages, stored) in counts.items():
            sid = ids[site]
            hs = hashes.view(np.int64).tolist()
            ns = pages.tolist()
            flags = stored.tolist()
            new_rows = [{"site_id": sid, "hash": h, "pages": n} for h, n, f in zip(hs, ns, flags, strict=True) if not f]
            old_rows = [{"s": sid, "h": h, "n": n} for h, n, f in zip(hs, ns, flags, strict=True) if f]
            for i in range(0, len(new_rows), 50_000):
                conn.execute(t.insert(), new_rows[i:i + 50_000])
            if old_rows:
                conn.execute(upd, old_rows)
        rows = [{"site_id": ids[site], "signature": x}
                for site, sigs in seen.items() for x in np.array(sigs, dtype=np.uint64).view(np.int64).tolist()]
        for i in range(0, len(rows), 50_000):
            conn.execute(reuse_pages_seen.insert(), rows[i:i + 50_000])

    # -- state and writing ---------------------------------------------------------------
    def reuse_state(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return {r.key: json.loads(r.value) for r in conn.execute(select(reuse_state))}

    def reuse_clear(self) -> None:
        """Forget every reuse result and the index (for --rebuild or changed parameters)."""
        with self.engine.begin() as conn:
            for t in (reuse_passages, reuse_pairs, reuse_boilerplate, reuse_state, reuse_units, reuse_pages_seen):
                conn.execute(delete(t))
        d = self.reuse_index_dir()
        if d.is_dir():
            links = self.reuse_links_path()
            for f in [*d.glob("seg-*.npy"), *d.glob(links.name + "*")]:
                f.unlink()

    def reuse_article_refs(self, after_id: int = 0, upto_id: int | None = None,
                           sites: list[str] | None = None) -> list[tuple[int, str]]:
        """(id, site) of articles with after_id < id <= upto_id, optionally only on some sites."""
        a, s = schema.articles, schema.sites
        q = select(a.c.id, s.c.domain).join(s, s.c.id == a.c.site_id).where(a.c.id > after_id).order_by(a.c.id)
        if upto_id is not None:
            q = q.where(a.c.id <= upto_id)
        with self.engine.connect() as conn:
            if sites is None:
                return [(r[0], r[1]) for r in conn.execute(q)]
            out = []
            for i in range(0, len(sites), _CHUNK):
                out.extend((r[0], r[1]) for r in conn.execute(q.where(s.c.domain.in_(sites[i:i + _CHUNK]))))
            return sorted(out)

    def _article_column(self, column: Any, ids: list[int]) -> dict[int, str]:
        a = schema.articles
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), _CHUNK):
                for r in conn.execute(select(a.c.id, column).where(a.c.id.in_(ids[i:i + _CHUNK]))):
                    out[r[0]] = r[1] or ""
        return out

    def reuse_texts(self, ids: list[int]) -> dict[int, str]:
        return self._article_column(schema.articles.c.text, ids)

    def page_links(self, after_id: int, upto_id: int) -> tuple[list[tuple[int, str, str | None]],
                                                             list[tuple[int, str]]]:
        """Articles with after_id < id <= upto_id: (id, URL, canonical URL), and the links of their attribution
        statements (article id, URL). What `reuse.links.LinkIndex` is built from, a range at a time."""
        a, t = schema.articles, schema.attributions
        with self.engine.connect() as conn:
            pages = [(r[0], r[1], r[2]) for r in conn.execute(
                select(a.c.id, a.c.url, a.c.canonical_url).where(a.c.id > after_id, a.c.id <= upto_id))]
            links = [(r[0], r[1]) for r in conn.execute(
                select(t.c.article_id, t.c.url).where(t.c.url.is_not(None), t.c.article_id > after_id,
                                                      t.c.article_id <= upto_id))]
        return pages, links

    def reuse_titles(self, ids: list[int]) -> dict[int, str]:
        return self._article_column(schema.articles.c.title, ids)

    def reuse_sites(self, ids: list[int]) -> dict[int, str]:
        """Site (registered domain) of each article."""
        a, s = schema.articles, schema.sites
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), _CHUNK):
                q = select(a.c.id, s.c.domain).join(s, s.c.id == a.c.site_id).where(a.c.id.in_(ids[i:i + _CHUNK]))
                out.update((r[0], r[1]) for r in conn.execute(q))
        return out

    def write_reuse(self, boilerplate: dict[int, list[tuple[int, int]]], pairs: list[ArticlePair],
                    passages: list[Passage], redo: list[int], state: dict[str, Any],
                    unit_counts: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
                    seen_pages: dict[str, list[int]] | None = None) -> None:
        """One transaction: drop results of articles being redone, add new results and unit counts, set the state.

        `unit_counts`: per site (unit hashes, pages, whether each row is already stored);
        `seen_pages`: per site, page signatures counted for the first time.
        """
        with self.engine.begin() as conn:
            if unit_counts or seen_pages:
                self._write_unit_counts(conn, unit_counts or {}, seen_pages or {})
            for i in range(0, len(redo), _CHUNK):
                chunk = redo[i:i + _CHUNK]
                for t in (reuse_passages, reuse_pairs):
                    conn.execute(delete(t).where(or_(t.c.a_id.in_(chunk), t.c.b_id.in_(chunk))))
                conn.execute(delete(reuse_boilerplate).where(reuse_boilerplate.c.article_id.in_(chunk)))
            if boilerplate:
                conn.execute(reuse_boilerplate.insert(), [
                    {"article_id": k, "ranges": json.dumps(v), "chars": sum(e - s for s, e in v)}
                    for k, v in boilerplate.items()
                ])
            if pairs:
                conn.execute(reuse_pairs.insert(), [
                    {"a_id": p.a_id, "b_id": p.b_id, "passages": p.passages, "shared_words": p.shared_words,
                     "coverage_a": p.coverage_a, "coverage_b": p.coverage_b, "similarity": p.similarity}
                    for p in pairs
                ])
            if passages:
                conn.execute(reuse_passages.insert(), [
                    {"a_id": p.a_id, "b_id": p.b_id, "a_start": p.a_start, "a_end": p.a_end, "b_start": p.b_start,
                     "b_end": p.b_end, "a_words": p.a_words, "b_words": p.b_words, "similarity": p.similarity,
                     "edits": json.dumps([[e.op, e.a_text, e.b_text] for e in p.edits], ensure_ascii=False)}
                    for p in passages
                ])
            for key, value in state.items():
                conn.execute(delete(reuse_state).where(reuse_state.c.key == key))
                conn.execute(reuse_state.insert().values(key=key, value=json.dumps(value)))

    # -- reading (for provenance, the CLI and the web) -----------------------------------
    def boilerplate_ranges(self, article_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
        """Boilerplate character ranges into each article's text (empty for articles without any)."""
        t = reuse_boilerplate
        out: dict[int, list[tuple[int, int]]] = {i: [] for i in article_ids}
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), _CHUNK):
                for r in conn.execute(select(t.c.article_id, t.c.ranges).where(
                        t.c.article_id.in_(article_ids[i:i + _CHUNK]))):
                    out[r.article_id] = [(s, e) for s, e in json.loads(r.ranges)]
        return out

    def pairs_for(self, article_id: int, min_coverage: float = 0.0) -> list[ArticlePair]:
        """Pairs involving an article (as stored: a_id < b_id), largest shared text first."""
        t = reuse_pairs
        q = select(t).where(or_(t.c.a_id == article_id, t.c.b_id == article_id))
        if min_coverage > 0:
            q = q.where(or_(t.c.coverage_a >= min_coverage, t.c.coverage_b >= min_coverage))
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(t.c.shared_words.desc(), t.c.a_id, t.c.b_id)).all()
        return [_pair_from_row(r) for r in rows]

    def pair(self, a: int, b: int) -> ArticlePair | None:
        lo, hi = min(a, b), max(a, b)
        with self.engine.connect() as conn:
            r = conn.execute(select(reuse_pairs).where(reuse_pairs.c.a_id == lo, reuse_pairs.c.b_id == hi)).first()
        return _pair_from_row(r) if r else None

    def passages_between(self, a: int, b: int) -> list[Passage]:
        """Passages shared by two articles, oriented so that `a_*` fields refer to article `a`."""
        lo, hi = min(a, b), max(a, b)
        t = reuse_passages
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.a_id == lo, t.c.b_id == hi).order_by(t.c.a_start)).all()
        ps = [_passage_from_row(r, flip=a > b) for r in rows]
        return sorted(ps, key=lambda p: p.a_start)

    def passages_among(self, pairs: list[tuple[int, int]], chunk: int = 500) -> list[Passage]:
        """The passages of many pairs in a few queries (a story's pairs), oriented as stored (`a_id` < `b_id`),
        each pair's in text order: what `passages_between` gives pair by pair, without a query per pair."""
        want = {(min(a, b), max(a, b)) for a, b in pairs}
        lows = sorted({a for a, _b in want})
        t = reuse_passages
        out: list[Passage] = []
        with self.engine.connect() as conn:
            for i in range(0, len(lows), chunk):
                q = select(t).where(t.c.a_id.in_(lows[i:i + chunk])).order_by(t.c.a_id, t.c.b_id, t.c.a_start)
                out += [_passage_from_row(r) for r in conn.execute(q) if (r.a_id, r.b_id) in want]
        return out

    def passages_for(self, article_id: int) -> list[Passage]:
        """Every passage an article shares, oriented so that `a_*` fields refer to `article_id`."""
        t = reuse_passages
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(or_(t.c.a_id == article_id, t.c.b_id == article_id))
                                .order_by(t.c.id)).all()
        return [_passage_from_row(r, flip=r.b_id == article_id) for r in rows]

    def all_pairs(self, batch_size: int = 10_000, min_coverage: float = 0.0) -> Iterator[ArticlePair]:
        """Every stored pair in (a_id, b_id) order, read in batches (keyset pagination)."""
        t = reuse_pairs
        last = (0, 0)
        while True:
            q = select(t).where(or_(t.c.a_id > last[0], (t.c.a_id == last[0]) & (t.c.b_id > last[1])))
            if min_coverage > 0:
                q = q.where(or_(t.c.coverage_a >= min_coverage, t.c.coverage_b >= min_coverage))
            with self.engine.connect() as conn:
                rows = conn.execute(q.order_by(t.c.a_id, t.c.b_id).limit(batch_size)).all()
            if not rows:
                return
            for r in rows:
                yield _pair_from_row(r)
            last = (rows[-1].a_id, rows[-1].b_id)

    def text_shared_with(self, article_id: int) -> list[dict[str, Any]]:
        """Articles sharing text with one article: the pair seen from its side, with the other's metadata.

        (Which of them copied which is provenance's answer: `ProvenanceStore.copies_of`.)
        """
        a, s = schema.articles, schema.sites
        pairs = self.pairs_for(article_id)
        others = [p.b_id if p.a_id == article_id else p.a_id for p in pairs]
        meta: dict[int, Any] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(others), _CHUNK):
                q = select(a.c.id, a.c.url, a.c.title, a.c.published_at, s.c.domain).join(
                    s, s.c.id == a.c.site_id).where(a.c.id.in_(others[i:i + _CHUNK]))
                meta.update({r.id: r for r in conn.execute(q)})
        out = []
        for p, o in zip(pairs, others, strict=True):
            mine = p.a_id == article_id
            m = meta.get(o)
            out.append({
                "article_id": o, "url": m.url if m else None, "title": m.title if m else None,
                "site": m.domain if m else None, "published": m.published_at if m else None,
                "passages": p.passages, "shared_words": p.shared_words, "similarity": p.similarity,
                "coverage_this": p.coverage_a if mine else p.coverage_b,
                "coverage_other": p.coverage_b if mine else p.coverage_a,
            })
        return out

    def reuse_stats(self) -> dict[str, Any]:
        """Counts for dashboards: pairs, passages, articles with boilerplate, last run's state."""
        with self.engine.connect() as conn:
            n_pairs = conn.execute(select(func.count()).select_from(reuse_pairs)).scalar() or 0
            n_pass = conn.execute(select(func.count()).select_from(reuse_passages)).scalar() or 0
            n_bp = conn.execute(select(func.count()).select_from(reuse_boilerplate)
                                .where(reuse_boilerplate.c.chars > 0)).scalar() or 0
            bp_chars = conn.execute(select(func.coalesce(func.sum(reuse_boilerplate.c.chars), 0))).scalar() or 0
            linked = conn.execute(select(func.count()).select_from(
                select(reuse_pairs.c.a_id.label("i")).union(select(reuse_pairs.c.b_id)).subquery())).scalar() or 0
        st = self.reuse_state()
        return {"pairs": int(n_pairs), "passages": int(n_pass), "articles_with_reuse": int(linked),
                "articles_with_boilerplate": int(n_bp), "boilerplate_chars": int(bp_chars),
                "last_article_id": st.get("last_article_id", 0), "params": st.get("params"),
                "index_segments": len(st.get("segments", [])), "last_run": st.get("last_run")}
