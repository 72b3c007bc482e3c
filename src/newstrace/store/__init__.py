"""The store: the one place that speaks SQL (SQLAlchemy Core; SQLite by default, PostgreSQL by URL).

`Store` is assembled from one mixin per concern (articles, reuse, provenance, quotes...),
each in its own module beside this one, with its own tables and migrations.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine

from . import migrations as _migrations
from .articles import DUPLICATE, NEW, VERSION, ArticleStore, WriteResult
from .base import database_url, make_engine
from .claims import MIGRATIONS as _CLAIMS_MIGRATIONS
from .claims import ClaimsStore
from .provenance import MIGRATIONS as _PROVENANCE_MIGRATIONS
from .provenance import ProvenanceStore
from .quotes import MIGRATIONS as _QUOTES_MIGRATIONS
from .quotes import QuotesStore
from .ratings import MIGRATIONS as _RATINGS_MIGRATIONS
from .ratings import RatingsStore
from .reuse import MIGRATIONS as _REUSE_MIGRATIONS
from .reuse import ReuseStore
from .web import MIGRATIONS as _WEB_MIGRATIONS
from .web import WebStore

__all__ = ["Store", "WriteResult", "NEW", "DUPLICATE", "VERSION", "database_url", "all_migrations"]


def all_migrations() -> list[_migrations.Migration]:
    """Every migration, in order: the foundation's first, then each analysis's."""
    return [*_migrations.MIGRATIONS, *_REUSE_MIGRATIONS, *_PROVENANCE_MIGRATIONS, *_QUOTES_MIGRATIONS, *_WEB_MIGRATIONS,
            *_RATINGS_MIGRATIONS, *_CLAIMS_MIGRATIONS]


class Store(ArticleStore, ReuseStore, ProvenanceStore, QuotesStore, WebStore, RatingsStore,
            ClaimsStore):
    """A newstrace database. Open with a path or a SQLAlchemy URL; migrations run on open."""

    def __init__(self, db: str | os.PathLike[str] | None = None, migrate: bool = True) -> None:
        self.url = database_url(db)
        self.engine: Engine = make_engine(self.url)
        if migrate:
            self.migrate()

    def migrate(self) -> list[str]:
        with self.engine.begin() as conn:
            return _migrations.migrate(conn, all_migrations())

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
