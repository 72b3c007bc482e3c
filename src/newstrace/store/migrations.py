"""Named, ordered migrations recorded in the `migrations` table (sqlite-utils style).

Each migration is a function of a connection; it runs once, inside a transaction, and its
name is recorded with the time it was applied. Analyses append their own migrations to
`MIGRATIONS` in the store module that owns their tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, select, text

from . import schema

Migration = tuple[str, Callable[[Connection], None]]


def _create(*tables: object) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for t in tables:
            t.create(conn, checkfirst=True)  # type: ignore[attr-defined]
            for ix in t.indexes:  # type: ignore[attr-defined]
                ix.create(conn, checkfirst=True)

    return run


def _article_search(conn: Connection) -> None:
    """Full-text search over title and text: FTS5 on SQLite, tsvector on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "title, text, content='articles', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN "
                "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN "
                "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                "VALUES ('delete', old.id, old.title, old.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN "
                "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                "VALUES ('delete', old.id, old.title, old.text); "
                "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
            )
        )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search tsvector "
                "GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED"
            )
        )
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin(search)"))


MIGRATIONS: list[Migration] = [
    ("0001_foundation", _create(schema.sites, schema.articles, schema.attributions,
                                schema.ingest_errors, schema.sources_done)),
    ("0002_article_search", _article_search),
]


def applied(conn: Connection) -> set[str]:
    schema.migrations.create(conn, checkfirst=True)
    return set(conn.execute(select(schema.migrations.c.name)).scalars())


def migrate(conn: Connection, migrations: list[Migration]) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied now."""
    done = applied(conn)
    now: list[str] = []
    for name, fn in migrations:
        if name in done:
            continue
        fn(conn)
        conn.execute(
            schema.migrations.insert().values(name=name, applied_at=datetime.now(UTC).isoformat(timespec="seconds"))
        )
        now.append(name)
    return now
