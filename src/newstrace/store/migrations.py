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


def sqlite_fts(conn: Connection, table: str, columns: tuple[str, ...], rebuild: bool = False) -> None:
    """An FTS5 index `<table>_fts` over some text columns of `table` (rowid = `table.id`), kept by triggers;
    `rebuild` fills it from the rows already there (an index added to a populated table)."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    new, old = ", ".join(f"new.{c}" for c in columns), ", ".join(f"old.{c}" for c in columns)
    conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
                      "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
                      f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
                      f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
                      f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                      f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"))
    if rebuild:
        conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))


def _article_search(conn: Connection) -> None:
    """Full-text search over title and text: FTS5 on SQLite, tsvector on PostgreSQL."""
    if conn.dialect.name == "sqlite":
        sqlite_fts(conn, "articles", ("title", "text"))
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
