"""Tables and queries for quotes: attributions per article, quotes across articles, their alterations.

`quote_attributions` holds every attribution found in an article (offsets into its text);
`quotes_done` marks articles already read, so `newstrace.quotes.runner.update` is incremental.
`quotes`, `quote_appearances` and `quote_alterations` hold the trails (rebuilt as a whole).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Boolean,
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
    delete,
    func,
    insert,
    select,
    text,
)

from . import schema
from .base import parse_iso, utcnow
from .migrations import Migration, sqlite_fts

metadata = schema.metadata  # one MetaData, so foreign keys find `articles`

quote_attributions = Table(
    "quote_attributions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("cue", Text), Column("cue_start", Integer), Column("cue_end", Integer),
    Column("speaker", Text), Column("speaker_start", Integer), Column("speaker_end", Integer),
    Column("speaker_name", Text), Column("role", Text),
    Column("kind", String(40), nullable=False),
    Column("direct", Boolean, nullable=False, default=False),
    Column("partial", Boolean, nullable=False, default=False),
    Column("confidence", Float, nullable=False, default=0.0),
)
Index("ix_quote_attributions_article", quote_attributions.c.article_id)
Index("ix_quote_attributions_speaker", quote_attributions.c.speaker_name)

quotes_done = Table(
    "quotes_done", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("attributions", Integer, nullable=False),
    Column("done_at", String(40), nullable=False),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False),  # normalised words of the first appearance
    Column("content", Text, nullable=False),
    Column("speaker_name", Text),
    Column("first_article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("first_published", String(40)),
    Column("appearances", Integer, nullable=False),
    Column("alterations", Integer, nullable=False),
)
Index("ix_quotes_key", quotes.c.key)

quote_appearances = Table(
    "quote_appearances", metadata,
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),  # 0 = first appearance
    Column("content", Text, nullable=False),
    Column("speaker_name", Text),
    Column("content_start", Integer), Column("content_end", Integer),
    Column("similarity", Float, nullable=False, default=1.0),
)
Index("ix_quote_appearances_quote", quote_appearances.c.quote_id)
Index("ix_quote_appearances_article", quote_appearances.c.article_id)

quote_alterations = Table(
    "quote_alterations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),  # words, speaker
    Column("removed", Text), Column("added", Text),  # JSON lists of word runs
    Column("speaker_before", Text), Column("speaker_after", Text),
    Column("similarity", Float, nullable=False, default=1.0),
)
Index("ix_quote_alterations_quote", quote_alterations.c.quote_id)

_TABLES = (quote_attributions, quotes_done, quotes, quote_appearances, quote_alterations)


def _create(conn: Connection) -> None:
    for t in _TABLES:
        t.create(conn, checkfirst=True)
        for ix in t.indexes:
            ix.create(conn, checkfirst=True)


def _quote_search(conn: Connection) -> None:
    """A word index over quotes' keys, so a quote search reads the quotes holding its words instead of all of
    them: FTS5 (kept by triggers, filled once here) on SQLite, a tsvector on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        sqlite_fts(conn, "quotes", ("key",), rebuild=True)
    elif conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE quotes ADD COLUMN IF NOT EXISTS search tsvector "
                          "GENERATED ALWAYS AS (to_tsvector('simple', key)) STORED"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_quotes_search ON quotes USING gin(search)"))


MIGRATIONS: list[Migration] = [("0300_quotes", _create), ("0301_quote_search", _quote_search)]

_ATT_FIELDS = ("content_start", "content_end", "content", "cue", "cue_start", "cue_end", "speaker", "speaker_start",
               "speaker_end", "speaker_name", "role", "kind", "direct", "partial", "confidence")


class QuotesStore:
    engine: Engine

    # -- attributions --------------------------------------------------------------------
    def write_quote_attributions(self, results: dict[int, list[Any]]) -> None:
        """Replace the attributions of each article given (article id -> list of `Attribution`) and mark it done."""
        if not results:
            return
        now = utcnow()
        ids = list(results)
        with self.engine.begin() as conn:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                conn.execute(delete(quote_attributions).where(quote_attributions.c.article_id.in_(chunk)))
                conn.execute(delete(quotes_done).where(quotes_done.c.article_id.in_(chunk)))
            rows = [{"article_id": aid, "ord": n, **{f: getattr(a, f) for f in _ATT_FIELDS}}
                    for aid, atts in results.items() for n, a in enumerate(atts)]
            if rows:
                conn.execute(insert(quote_attributions), rows)
            conn.execute(insert(quotes_done), [{"article_id": aid, "attributions": len(atts), "done_at": now}
                                               for aid, atts in results.items()])

    def quote_done_ids(self) -> set[int]:
        """Articles whose attributions are already stored."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(quotes_done.c.article_id)).scalars())

    def quote_attributions_for(self, article_id: int) -> list[dict[str, Any]]:
        """An article's attributions in reading order, as plain dicts (the `Attribution` fields)."""
        t = quote_attributions
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.article_id == article_id).order_by(t.c.ord)).all()
        return [{f: r._mapping[f] for f in _ATT_FIELDS} for r in rows]

    def quote_inputs(self) -> list[tuple[int, Any, str, list[dict[str, Any]]]]:
        """(article id, published, site, attributions) for every article with attributions: what trails read."""
        t, a, s = quote_attributions, schema.articles, schema.sites
        out: dict[int, tuple[int, Any, str, list[dict[str, Any]]]] = {}
        q = (select(t, a.c.published_at, s.c.domain).join(a, a.c.id == t.c.article_id)
             .join(s, s.c.id == a.c.site_id).order_by(t.c.article_id, t.c.ord))
        with self.engine.connect() as conn:
            for r in conn.execute(q):
                m = r._mapping
                entry = out.setdefault(m["article_id"], (m["article_id"], parse_iso(m["published_at"]),
                                                         m["domain"], []))
                entry[3].append({f: m[f] for f in _ATT_FIELDS})
        return list(out.values())

    def top_speakers(self, site: str | None = None, limit: int = 20, named_only: bool = False,
                     offset: int = 0) -> list[dict[str, Any]]:
        """Who is quoted most (resolved names; quotes without a speaker's name grouped as one per sourcing kind,
        `named` false), with their sites."""
        t, a, s = quote_attributions, schema.articles, schema.sites
        who = func.coalesce(t.c.speaker_name, t.c.kind)
        q = (select(who.label("speaker"), t.c.kind, (func.max(t.c.speaker_name).is_not(None)).label("named"),
                    func.count().label("attributions"),
                    func.count(func.distinct(t.c.article_id)).label("articles"),
                    func.count(func.distinct(s.c.domain)).label("sites"))
             .join(a, a.c.id == t.c.article_id).join(s, s.c.id == a.c.site_id)
             .group_by(who, t.c.kind).order_by(func.count().desc(), who).limit(limit).offset(offset))
        if site:
            q = q.where(s.c.domain == site)
        if named_only:
            q = q.where(t.c.speaker_name.is_not(None))
        with self.engine.connect() as conn:
            rows = [{**r._mapping, "named": bool(r.named)} for r in conn.execute(q)]
            for row in rows:
                sq = (select(s.c.domain, func.count()).join(a, a.c.site_id == s.c.id)
                      .join(t, t.c.article_id == a.c.id).where(who == row["speaker"], t.c.kind == row["kind"])
                      .group_by(s.c.domain).order_by(func.count().desc()).limit(5))
                row["top_sites"] = [{"site": d, "attributions": n} for d, n in conn.execute(sq)]
        return rows

    # -- trails --------------------------------------------------------------------------
    def write_quote_trails(self, trails: Iterable[Any]) -> int:
        """Replace all quote trails (a list of `QuoteTrail`); returns how many were written."""
        n = 0
        with self.engine.begin() as conn:
            for t in (quote_alterations, quote_appearances, quotes):
                conn.execute(delete(t))
            for trail in trails:
                first = trail.first
                qid = conn.execute(insert(quotes).values(
                    key=trail.key, content=first.content, speaker_name=trail.speaker_name,
                    first_article_id=first.article_id,
                    first_published=first.published.isoformat() if first.published else None,
                    appearances=1 + len(trail.later), alterations=len(trail.alterations))).inserted_primary_key[0]
                conn.execute(insert(quote_appearances), [
                    {"quote_id": qid, "article_id": app.article_id, "ord": k, "content": app.content,
                     "speaker_name": app.speaker_name, "content_start": app.content_start,
                     "content_end": app.content_end, "similarity": app.similarity}
                    for k, app in enumerate(trail.appearances)])
                if trail.alterations:
                    conn.execute(insert(quote_alterations), [
                        {"quote_id": qid, "article_id": x.article_id, "kind": x.kind,
                         "removed": json.dumps(x.removed, ensure_ascii=False),
                         "added": json.dumps(x.added, ensure_ascii=False), "speaker_before": x.speaker_before,
                         "speaker_after": x.speaker_after, "similarity": x.similarity}
                        for x in trail.alterations])
                n += 1
        return n

    def quote_trail(self, quote_id: int) -> dict[str, Any] | None:
        """One quote with every appearance (article, site, date) and every alteration, first appearance first."""
        a, s = schema.articles, schema.sites
        with self.engine.connect() as conn:
            q = conn.execute(select(quotes).where(quotes.c.id == quote_id)).first()
            if q is None:
                return None
            out = dict(q._mapping)
            apps = conn.execute(
                select(quote_appearances, a.c.url, a.c.title, a.c.published_at, s.c.domain.label("site"))
                .join(a, a.c.id == quote_appearances.c.article_id).join(s, s.c.id == a.c.site_id)
                .where(quote_appearances.c.quote_id == quote_id).order_by(quote_appearances.c.ord)).all()
            out["appearances"] = [dict(r._mapping) for r in apps]
            alts = conn.execute(select(quote_alterations).where(quote_alterations.c.quote_id == quote_id)
                                .order_by(quote_alterations.c.id)).all()
            out["changes"] = [{**dict(r._mapping), "removed": json.loads(r.removed or "[]"),
                               "added": json.loads(r.added or "[]")} for r in alts]
        return out

    def search_quotes(self, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes whose words contain `query` (case-insensitive), most widely repeated first.

        The words inside the query (all but its first and last, which may be parts of words) must be consecutive
        words of the quote: the word index finds those quotes, and the substring test then runs on them only."""
        from ..quotes.trail import normalise

        needle = normalise(query)
        q = select(quotes).where(quotes.c.key.like(f"%{needle}%"))
        inner = needle.split()[1:-1]
        if inner and self.engine.dialect.name == "sqlite":
            phrase = '"' + " ".join(inner).replace('"', '""') + '"'
            q = q.where(quotes.c.id.in_(select(text("rowid")).select_from(text("quotes_fts"))
                                        .where(text("quotes_fts MATCH :phrase").bindparams(phrase=phrase))))
        elif inner and self.engine.dialect.name == "postgresql":
            q = q.where(text("quotes.search @@ phraseto_tsquery('simple', :inner)").bindparams(inner=" ".join(inner)))
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(quotes.c.appearances.desc(), quotes.c.id).limit(limit).offset(offset)).all()
        return [dict(r._mapping) for r in rows]
