"""Tables and queries for provenance results: copies (edges), stories and their members.

- `copies`: article `copy_id` took text from article `source_id` (main or secondary source), with the
  evidence for the direction (JSON), confidence, credit class, what the copy added/removed/changed, how
  much of it was taken (coverage, chars), any conflict between pieces of evidence, and the delay.
- `stories`: connected articles with their root (origin), size, first/last publication, spread and the
  median delay from the origin to its copies, and a signature of the reuse pairs it was computed from
  (so an incremental run recomputes only stories whose pairs changed).
- `story_members`: each article's story, main source (parent), depth and credit class.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    inspect,
    or_,
    select,
    text,
)

from . import schema
from .base import utcnow
from .migrations import Migration, _create

stories = Table(
    "stories",
    schema.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("root_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sites", Integer, nullable=False, default=0),
    Column("first_published", String(40)),
    Column("last_published", String(40)),
    Column("spread_hours", Float),  # first to last publication
    Column("median_delay_hours", Float),  # origin to its copies: the story's spread speed
    Column("signature", String(64), nullable=False),
    Column("computed_at", String(40), nullable=False),
)
Index("ix_stories_root", stories.c.root_id)
Index("ix_stories_size", stories.c.size)

story_members = Table(
    "story_members",
    schema.metadata,
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("parent_id", Integer),  # main source; NULL for a root
    Column("depth", Integer, nullable=False, default=0),
    Column("credit", String(20), nullable=False),  # origin, credited, intermediary, uncredited
)
Index("ix_story_members_article", story_members.c.article_id)

copies = Table(
    "copies",
    schema.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("source_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("copy_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("main", Integer, nullable=False, default=1),  # 1: the copy's main source; 0: a secondary source
    Column("confidence", Float, nullable=False),
    Column("credit", String(20), nullable=False),
    Column("evidence", Text, nullable=False),  # JSON list of {kind, favours, weight, detail}
    Column("added", Text, nullable=False),  # JSON lists of labels
    Column("removed", Text, nullable=False),
    Column("changed", Text, nullable=False),
    Column("coverage", Float, nullable=False),
    Column("chars", Integer, nullable=False, default=0),
    Column("spans", Text),  # JSON [[start, end], ...] of the copy explained by a secondary source
    Column("conflict", Text),
    Column("delay_hours", Float),
    Column("source_site", String(255)),
    Column("copy_site", String(255)),
    Column("quote_changes", Text),  # JSON list: quotes the copy altered relative to this source (see below)
    Column("kind", String(20), nullable=False, server_default="text"),  # text, or translation (no passage aligned)
    Column("choice", Float),  # the source's share of the evidence among the copy's candidates (main edges)...
    Column("alternatives", Text),  # ...and JSON [[article_id, share], ...] of the others (`provenance.choice`)
)
Index("ix_copies_source", copies.c.source_id)
Index("ix_copies_copy", copies.c.copy_id)
Index("ix_copies_story", copies.c.story_id)
Index("ix_copies_sites", copies.c.source_site, copies.c.copy_site)



def _add_quote_changes(conn: Connection) -> None:
    """`copies.quote_changes` for stores made before it existed (a fresh store already has it)."""
    if "quote_changes" not in {c["name"] for c in inspect(conn).get_columns("copies")}:
        conn.execute(text("ALTER TABLE copies ADD COLUMN quote_changes TEXT"))


def _add_kind(conn: Connection) -> None:
    """`copies.kind` for stores made before translations joined stories (their copies are all of text)."""
    if "kind" not in {c["name"] for c in inspect(conn).get_columns("copies")}:
        conn.execute(text("ALTER TABLE copies ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'text'"))


def _add_choice(conn: Connection) -> None:
    """`copies.choice` and `copies.alternatives` for stores made before them (empty until provenance runs again:
    the algorithm's version changed with them, so it recomputes every story)."""
    have = {c["name"] for c in inspect(conn).get_columns("copies")}
    if "choice" not in have:
        conn.execute(text("ALTER TABLE copies ADD COLUMN choice FLOAT"))
    if "alternatives" not in have:
        conn.execute(text("ALTER TABLE copies ADD COLUMN alternatives TEXT"))


MIGRATIONS: list[Migration] = [
    ("0200_provenance_stories_copies", _create(stories, story_members, copies)),
    ("0201_copies_quote_changes", _add_quote_changes),
    ("0202_copies_kind", _add_kind),
    ("0203_copies_choice", _add_choice),
]

ORDERS = ("size", "speed", "recent")
TRANSLATION = "translation"  # `copies.kind` of a translation's edge (`provenance.translations.KIND`)


@dataclass(slots=True)
class StoryRecord:
    """A computed story, as plain rows ready to store (built by `provenance.runner`)."""

    root_id: int
    signature: str
    members: list[dict[str, Any]]  # article_id, parent_id, depth, credit
    copies: list[dict[str, Any]]  # the `copies` columns except id and story_id; JSON fields as Python values
    sites: int = 0
    first_published: str | None = None
    last_published: str | None = None
    spread_hours: float | None = None
    median_delay_hours: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    id: int | None = None  # the id an earlier version of this story had (kept), or None for a new id


_JSON_COLS = ("evidence", "added", "removed", "changed", "spans", "quote_changes", "alternatives")
_NULLABLE_JSON = ("spans",)


def _copy_row(r: Any) -> dict[str, Any]:
    d = dict(r._mapping)
    for k in _JSON_COLS:
        if k in d:
            d[k] = json.loads(d[k]) if d[k] else ([] if k not in _NULLABLE_JSON else None)
    d["main"] = bool(d.get("main"))
    return d


class ProvenanceStore:
    engine: Engine

    # -- writing -------------------------------------------------------------------------
    def save_stories(self, new: Iterable[StoryRecord], replace: Iterable[int] = ()) -> list[int]:
        """Delete the stories `replace` and store `new`, in one transaction; returns the new story ids."""
        ids: list[int] = []
        with self.engine.begin() as conn:
            old = list(replace)
            for i in range(0, len(old), 500):
                chunk = old[i:i + 500]
                conn.execute(copies.delete().where(copies.c.story_id.in_(chunk)))
                conn.execute(story_members.delete().where(story_members.c.story_id.in_(chunk)))
                conn.execute(stories.delete().where(stories.c.id.in_(chunk)))
            now = utcnow()
            explicit = False
            for st in new:
                explicit = explicit or st.id is not None
                if st.id is not None:  # the story's earlier version goes; the id stays
                    for t in (copies, story_members):
                        conn.execute(t.delete().where(t.c.story_id == st.id))
                    conn.execute(stories.delete().where(stories.c.id == st.id))
                sid = conn.execute(stories.insert().values(
                    **({"id": st.id} if st.id is not None else {}), root_id=st.root_id, size=len(st.members),
                    sites=st.sites, first_published=st.first_published,
                    last_published=st.last_published, spread_hours=st.spread_hours,
                    median_delay_hours=st.median_delay_hours, signature=st.signature, computed_at=now,
                )).inserted_primary_key[0]
                ids.append(sid)
                if st.members:
                    conn.execute(story_members.insert(), [{**m, "story_id": sid} for m in st.members])
                if st.copies:
                    rows = []
                    for c in st.copies:
                        row = {"kind": "text", **c, "story_id": sid, "main": int(bool(c.get("main", True)))}
                        for k in _JSON_COLS:
                            if k in row and not isinstance(row[k], str) and row[k] is not None:
                                row[k] = json.dumps(row[k], ensure_ascii=False)
                        rows.append(row)
                    conn.execute(copies.insert(), rows)
            if conn.dialect.name == "postgresql" and explicit:
                # ids given explicitly do not move PostgreSQL's sequence: move it past them, so that a story
                # saved later without an id does not get one of theirs
                conn.execute(text("SELECT setval(pg_get_serial_sequence('stories', 'id'), "
                                  "(SELECT COALESCE(MAX(id), 1) FROM stories))"))
        return ids

    def clear_provenance(self) -> None:
        """Forget every story and copy (for a rebuild)."""
        with self.engine.begin() as conn:
            conn.execute(copies.delete())
            conn.execute(story_members.delete())
            conn.execute(stories.delete())

    # -- reading -------------------------------------------------------------------------
    def story_signatures(self) -> dict[int, tuple[str, frozenset[int]]]:
        """Every stored story's signature and member set (what the incremental runner compares)."""
        out: dict[int, tuple[str, set[int]]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(select(stories.c.id, stories.c.signature)):
                out[r.id] = (r.signature, set())
            for r in conn.execute(select(story_members.c.story_id, story_members.c.article_id)):
                if r.story_id in out:
                    out[r.story_id][1].add(r.article_id)
        return {k: (s, frozenset(m)) for k, (s, m) in out.items()}

    def copy_decisions(self, story_ids: list[int]) -> list[tuple[str, str, float, int, int]]:
        """(source site, copy site, confidence, source id, copy id) of the stored copies in these stories (sites'
        habits)."""
        out: list[tuple[str, str, float, int, int]] = []
        with self.engine.connect() as conn:
            for i in range(0, len(story_ids), 500):
                q = select(copies.c.source_site, copies.c.copy_site, copies.c.confidence, copies.c.source_id,
                           copies.c.copy_id).where(copies.c.story_id.in_(story_ids[i:i + 500]),
                                                   copies.c.kind != TRANSLATION)  # habits of copying text
                out.extend((r[0] or "", r[1] or "", float(r[2]), int(r[3]), int(r[4])) for r in conn.execute(q))
        return out

    def quote_ids_at(self, article_ids: list[int]) -> dict[tuple[int, int], int]:
        """(article id, quote start) -> stored quote trail id, for these articles' quote appearances.

        Empty when this store has no quotes tables (provenance then records alterations without trail ids).
        """
        try:
            from .quotes import quote_appearances as qa
        except ImportError:
            return {}
        out: dict[tuple[int, int], int] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), 500):
                q = select(qa.c.article_id, qa.c.content_start, qa.c.quote_id).where(
                    qa.c.article_id.in_(article_ids[i:i + 500]))
                out.update({(r[0], r[1]): r[2] for r in conn.execute(q) if r[1] is not None})
        return out

    def main_sources(self) -> dict[int, int]:
        """Every copy's main source (copy id -> source id), as the stored trees say."""
        m = story_members
        with self.engine.connect() as conn:
            return {r.article_id: r.parent_id for r in conn.execute(
                select(m.c.article_id, m.c.parent_id).where(m.c.parent_id.is_not(None)))}

    def story_of(self, article_id: int) -> dict[str, Any] | None:
        """The story an article belongs to (its row), or None."""
        with self.engine.connect() as conn:
            sid = conn.execute(select(story_members.c.story_id).where(story_members.c.article_id == article_id)
                               .order_by(story_members.c.story_id.desc())).scalar()
            if sid is None:
                return None
            r = conn.execute(select(stories).where(stories.c.id == sid)).first()
        return dict(r._mapping) if r else None

    def story_tree(self, story_id: int) -> dict[str, Any] | None:
        """A story with its members (article summaries, parent, depth, credit) and its copies."""
        a, s = schema.articles, schema.sites
        with self.engine.connect() as conn:
            r = conn.execute(select(stories).where(stories.c.id == story_id)).first()
            if r is None:
                return None
            story = dict(r._mapping)
            q = (select(story_members.c.article_id.label("id"), story_members.c.parent_id, story_members.c.depth,
                        story_members.c.credit, a.c.url, a.c.canonical_url, a.c.title, a.c.published_at,
                        a.c.published_source,
                        a.c.word_count, s.c.domain.label("site"), s.c.name.label("site_name"))
                 .join(a, a.c.id == story_members.c.article_id).join(s, s.c.id == a.c.site_id)
                 .where(story_members.c.story_id == story_id)
                 .order_by(story_members.c.depth, a.c.published_at, a.c.id))
            story["articles"] = [dict(m._mapping) for m in conn.execute(q)]
            story["copies"] = [_copy_row(c) for c in conn.execute(
                select(copies).where(copies.c.story_id == story_id).order_by(copies.c.main.desc(), copies.c.id))]
        return story

    def copies_of(self, article_id: int) -> dict[str, list[dict[str, Any]]]:
        """Copies touching an article: where it took text from (`as_copy`) and who took from it (`as_source`)."""
        with self.engine.connect() as conn:
            rows = [_copy_row(r) for r in conn.execute(
                select(copies).where(or_(copies.c.source_id == article_id, copies.c.copy_id == article_id))
                .order_by(copies.c.main.desc(), copies.c.id))]
        return {"as_copy": [r for r in rows if r["copy_id"] == article_id],
                "as_source": [r for r in rows if r["source_id"] == article_id]}

    def list_stories(self, order: str = "size", limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Stories, largest first (`size`), fastest-spreading first (`speed`) or newest first (`recent`)."""
        if order not in ORDERS:
            raise ValueError(f"unknown story order {order!r}: use one of {', '.join(ORDERS)}")
        a = schema.articles
        q = (select(stories, a.c.title.label("root_title"), a.c.url.label("root_url"))
             .join(a, a.c.id == stories.c.root_id))
        if order == "size":
            q = q.order_by(stories.c.size.desc(), stories.c.first_published, stories.c.id)
        elif order == "speed":
            q = q.where(stories.c.median_delay_hours >= 0).order_by(
                stories.c.median_delay_hours, stories.c.size.desc(), stories.c.id)
        else:
            q = q.order_by(stories.c.first_published.desc(), stories.c.id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q.limit(limit).offset(offset))]

    def story_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(stories)).scalar() or 0)

    def _site_copies(self) -> list[Any]:
        from ..provenance.choice import doubtful
        from ..provenance.network import SiteCopy

        with self.engine.connect() as conn:
            return [SiteCopy(r.source_site or "", r.copy_site or "", int(r.chars or 0), r.credit, r.delay_hours,
                             bool(r.main), r.kind == TRANSLATION, doubtful(r.choice))
                    for r in conn.execute(select(copies.c.source_site, copies.c.copy_site, copies.c.chars,
                                                 copies.c.credit, copies.c.delay_hours, copies.c.main, copies.c.kind,
                                                 copies.c.choice))]

    def _site_totals(self) -> dict[str, Any]:
        from ..provenance.network import SiteTotals

        a, s = schema.articles, schema.sites
        with self.engine.connect() as conn:
            q = (select(s.c.domain, s.c.name, func.count(a.c.id), func.coalesce(func.sum(func.length(a.c.text)), 0))
                 .join(a, a.c.site_id == s.c.id).group_by(s.c.domain, s.c.name))
            return {r[0]: SiteTotals(int(r[2]), int(r[3]), r[1]) for r in conn.execute(q)}

    def site_network(self) -> Any:
        """The site-to-site copying network (a networkx DiGraph, see `provenance.network`)."""
        from ..provenance.network import build_site_network

        return build_site_network(self._site_copies(), self._site_totals())

    def story_sites(self, story_ids: list[int]) -> list[tuple[str, list[str]]]:
        """(origin's site, every member's site) of each stored story, in the order given: what the runner
        counts sites' story starts from, for the stories it keeps (one query per 500 stories)."""
        a, s = schema.articles, schema.sites
        root: dict[int, int] = {}
        members: dict[int, list[tuple[int, str]]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(story_ids), 500):
                chunk = story_ids[i:i + 500]
                root.update(conn.execute(select(stories.c.id, stories.c.root_id).where(stories.c.id.in_(chunk))).all())
                q = (select(story_members.c.story_id, story_members.c.article_id, s.c.domain)
                     .join(a, a.c.id == story_members.c.article_id).join(s, s.c.id == a.c.site_id)
                     .where(story_members.c.story_id.in_(chunk)))
                for sid, aid, domain in conn.execute(q):
                    members.setdefault(sid, []).append((aid, domain))
        out = []
        for sid in story_ids:
            if sid in root:
                sites = dict(members.get(sid, []))
                out.append((sites.get(root[sid], ""), list(sites.values())))
        return out

    def site_roles(self) -> tuple[dict[str, tuple[int, int]], dict[str, str | None]]:
        """Each site's (times copied from, copies made) between sites, and its name: what
        `provenance.network.roles_from_network(site_network())` gives, counted by the database instead
        of reading every copy (one `newstrace trace` of an article in no story needs only this)."""
        s = schema.sites
        roles: dict[str, list[int]] = {}
        cross = and_(copies.c.source_site.is_not(None), copies.c.copy_site.is_not(None),
                     copies.c.source_site != "", copies.c.copy_site != "",
                     copies.c.source_site != copies.c.copy_site, copies.c.kind != TRANSLATION)
        with self.engine.connect() as conn:
            names = {r[0]: r[1] or r[0] for r in conn.execute(select(s.c.domain, s.c.name))}
            for col, k in ((copies.c.source_site, 0), (copies.c.copy_site, 1)):
                for site, n in conn.execute(select(col, func.count()).where(cross).group_by(col)):
                    roles.setdefault(site, [0, 0])[k] = int(n)
        for site in roles:
            names.setdefault(site, site)
        return {site: (roles[site][0], roles[site][1]) if site in roles else (0, 0) for site in names}, dict(names)

    def site_profile(self, domain: str) -> dict[str, Any]:
        """One site's copying profile; KeyError when the site is unknown."""
        from ..provenance.network import site_profile

        return site_profile(self.site_network(), domain)


def median_or_none(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None
