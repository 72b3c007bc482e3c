"""Tables of the foundation: sites, articles, attribution statements, ingest bookkeeping.

Times are stored as ISO 8601 strings in UTC ("2021-07-22T10:00:00+00:00"): they sort as
text, read well in datasette, and mean the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

migrations = Table(
    "migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("domain", String(255), nullable=False, unique=True),
    Column("name", Text),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("canonical_url", Text),
    Column("site_id", Integer, ForeignKey("sites.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("authors", Text),  # JSON list
    Column("published_at", String(40)),
    Column("published_source", String(20)),  # metadata, url, text, fetch, record
    Column("fetched_at", String(40)),
    Column("language", String(20)),
    Column("text", Text, nullable=False),  # paragraphs joined by "\n"
    Column("word_count", Integer, nullable=False, default=0),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("ingest_source", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("ingested_at", String(40), nullable=False),
    Column("raw_html", LargeBinary),  # zlib-compressed
    UniqueConstraint("url", "content_hash", name="uq_articles_url_hash"),
    # Ids are never reused after a delete: incremental analyses remember the last id they saw.
    sqlite_autoincrement=True,
)
Index("ix_articles_site", articles.c.site_id)
Index("ix_articles_published", articles.c.published_at)
Index("ix_articles_hash", articles.c.content_hash)
Index("ix_articles_canonical", articles.c.canonical_url)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("text", Text, nullable=False),
    Column("outlet", Text),
    Column("url", Text),
    Column("domain", String(255)),
)
Index("ix_attributions_article", attributions.c.article_id)
Index("ix_attributions_domain", attributions.c.domain)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("reason", Text, nullable=False),
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("count", Integer, nullable=False, default=1),
    UniqueConstraint("source", "reason", name="uq_errors_source_reason"),
)

# Which inputs a previous run already finished, so an interrupted ingest resumes quickly.
sources_done = Table(
    "sources_done",
    metadata,
    Column("source", Text, primary_key=True),
    Column("signature", String(80), nullable=False),  # size and mtime, or a content hash
    Column("done_at", String(40), nullable=False),
)
