"""Small, indexed queries the web UI needs beyond the other mixins: capped counts, per-article copy
counts for result lists, a cheap "has anything changed" version, and quote changes between two articles.

Every query here is bounded: counts stop at a cap, lookups go through an index.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Engine, Index, func, select, text

from . import schema
from .migrations import Migration
from .provenance import copies, stories, story_members
from .quotes import quote_alterations, quote_appearances, quotes
from .reuse import reuse_pairs, reuse_passages

_CHUNK = 500

_INDEXES = [
    Index("ix_web_stories_first_published", stories.c.first_published),
    Index("ix_web_stories_delay", stories.c.median_delay_hours),
    Index("ix_web_copies_copy_site", copies.c.copy_site),
    Index("ix_web_quote_alterations_article", quote_alterations.c.article_id),
    Index("ix_web_articles_language_published", schema.articles.c.language, schema.articles.c.published_at),
    Index("ix_web_articles_site_published", schema.articles.c.site_id, schema.articles.c.published_at),
]


def _indexes(conn: Connection) -> None:
    for ix in _INDEXES:
        ix.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [("0400_web_indexes", _indexes)]


class WebStore:
    engine: Engine

    def count_articles(self, site: str | None = None, language: str | None = None, since: str | None = None,
                       until: str | None = None, search: str | None = None, cap: int = 10_000) -> int:
        """How many articles match the same filters as `list_articles`, counting no further than `cap`."""
        a, s = schema.articles, schema.sites
        q = select(a.c.id)
        if site:
            q = q.join(s, s.c.id == a.c.site_id)
        q = self._filtered(q, site, language, since, until)  # type: ignore[attr-defined]  # ArticleStore's
        if search:
            q = q.where(a.c.id.in_(self._search_ids(search)))  # type: ignore[attr-defined]  # ArticleStore's
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(q.limit(cap).subquery())).scalar() or 0)

    def search_articles(self, search: str, site: str | None = None, language: str | None = None,
                        since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0,
                        matches: int | None = None) -> list[dict[str, Any]]:
        """`list_articles(search=...)` that stays fast when the words are common.

        `list_articles` sorts every match by date: fine for a few thousand, seconds for a word found in most of
        a million articles. When matches are dense (at least sqrt(20 * articles * (offset + limit)), between
        500 and 10,000: where walking wins over sorting), this walks the date index newest first and asks the
        full-text index about each article (a seek), stopping once the page is full. Same filters, order, rows.
        `matches` is the caller's capped count of matches, when it already has one.
        """
        from .articles import fts_query, substring_search

        common = dict(site=site, language=language, since=since, until=until, limit=limit, offset=offset)
        if self.engine.dialect.name != "sqlite" or substring_search(search):
            return self.list_articles(search=search, **common)  # type: ignore[attr-defined,no-any-return]
        with self.engine.connect() as conn:
            n_articles = int(conn.execute(select(func.max(schema.articles.c.id))).scalar() or 0)
        dense_at = max(500, min(10_000, int((20 * n_articles * (offset + limit)) ** 0.5)))
        if matches is None:  # a count capped at 10,000 still decides: dense_at is never above it
            matches = self.count_articles(search=search, site=site, language=language, since=since, until=until,
                                          cap=dense_at)
        if matches < dense_at:
            return self.list_articles(search=search, **common)  # type: ignore[attr-defined,no-any-return]
        a = schema.articles
        q = self._listing(site, language, since, until).where(  # type: ignore[attr-defined]
            text("EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH :fts "
                 "AND articles_fts.rowid = articles.id)").bindparams(fts=fts_query(search)))
        q = q.order_by(a.c.published_at.desc(), a.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def count_stories(self, cap: int = 10_000) -> int:
        """Stories stored, counting no further than `cap`."""
        with self.engine.connect() as conn:
            q = select(stories.c.id).limit(cap).subquery()
            return int(conn.execute(select(func.count()).select_from(q)).scalar() or 0)

    def copy_counts(self, article_ids: list[int]) -> dict[int, dict[str, Any]]:
        """Per article: how many articles share text with it, how many copied it, and its story."""
        out: dict[int, dict[str, Any]] = {i: {"shares_text_with": 0, "copied_by": 0, "story_id": None}
                                          for i in article_ids}
        p = reuse_pairs
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), _CHUNK):
                chunk = article_ids[i:i + _CHUNK]
                for col in (p.c.a_id, p.c.b_id):
                    for aid, n in conn.execute(select(col, func.count()).where(col.in_(chunk)).group_by(col)):
                        out[aid]["shares_text_with"] += int(n)
                for aid, n in conn.execute(select(copies.c.source_id, func.count())
                                           .where(copies.c.source_id.in_(chunk)).group_by(copies.c.source_id)):
                    out[aid]["copied_by"] = int(n)
                for aid, sid in conn.execute(select(story_members.c.article_id, story_members.c.story_id)
                                             .where(story_members.c.article_id.in_(chunk))):
                    out[aid]["story_id"] = sid
        return out

    def data_version(self) -> tuple[int, ...]:
        """Largest ids of articles, passages, stories, copies and quotes: changes whenever an analysis writes."""
        with self.engine.connect() as conn:
            return tuple(int(conn.execute(select(func.max(t.c.id))).scalar() or 0)
                         for t in (schema.articles, reuse_passages, stories, copies, quotes))

    def site_exists(self, domain: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.sites.c.id).where(schema.sites.c.domain == domain)).first() is not None

    def quote_changes_between(self, source_id: int, copy_id: int) -> list[dict[str, Any]]:
        """How quotes that appear in `source_id` were altered in `copy_id` (words or speaker)."""
        x, ap = quote_alterations, quote_appearances
        q = (select(x, quotes.c.content.label("original"), quotes.c.speaker_name.label("original_speaker"))
             .join(quotes, quotes.c.id == x.c.quote_id)
             .join(ap, (ap.c.quote_id == x.c.quote_id) & (ap.c.article_id == source_id))
             .where(x.c.article_id == copy_id).order_by(x.c.id))
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            for r in rows:
                r["removed"] = json.loads(r["removed"] or "[]")
                r["added"] = json.loads(r["added"] or "[]")
                app = conn.execute(select(ap.c.content, ap.c.content_start, ap.c.content_end)
                                   .where(ap.c.quote_id == r["quote_id"], ap.c.article_id == copy_id)).first()
                r["altered"] = app.content if app else None
                r["altered_start"] = app.content_start if app else None
                r["altered_end"] = app.content_end if app else None
        return rows

    def query_plan(self, statement: str, parameters: Any = ()) -> list[str]:
        """SQLite's EXPLAIN QUERY PLAN for a statement (empty elsewhere): lets tests check page queries use indexes."""
        if self.engine.dialect.name != "sqlite":
            return []
        with self.engine.connect() as conn:
            cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
            try:
                return [str(r[-1]) for r in cur.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            finally:
                cur.close()
