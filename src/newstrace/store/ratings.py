"""Tables and queries for published domain rating sets: one row per (set, domain), each set loaded whole.

Loading a set again replaces it in one transaction, so a re-run never duplicates and a failed load leaves the
previous version in place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Float, Index, Integer, String, Table, Text, delete, insert, select

from ..ratings import DomainRating, RatingFile, parent_domains
from . import schema
from .migrations import Migration

metadata = schema.metadata

rating_sets = Table(
    "rating_sets", metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("score_column", String(200)),
    Column("source", Text),  # the file it was read from
    Column("domains", Integer, nullable=False),
    Column("loaded_at", String(40), nullable=False),
)

domain_ratings = Table(
    "domain_ratings", metadata,
    Column("set_name", String(200), primary_key=True),
    Column("domain", String(253), primary_key=True),
    Column("score", Float),
    Column("labels", Text, nullable=False, default="[]"),  # JSON list
    Column("fields", Text, nullable=False, default="{}"),  # JSON object: the set's other columns
)
Index("ix_domain_ratings_domain", domain_ratings.c.domain)


def _create(conn: Connection) -> None:
    for t in (rating_sets, domain_ratings):
        t.create(conn, checkfirst=True)
        for ix in t.indexes:
            ix.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [("0500_ratings", _create)]

_CHUNK = 2000


class RatingsStore:
    engine: Engine

    def load_ratings(self, rated: RatingFile, source: str | None = None) -> int:
        """Store a rating set under its name, replacing any earlier version of it; returns the domains stored."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(delete(domain_ratings).where(domain_ratings.c.set_name == rated.name))
            conn.execute(delete(rating_sets).where(rating_sets.c.name == rated.name))
            conn.execute(insert(rating_sets).values(name=rated.name, kind=rated.kind, score_column=rated.score_column,
                                                    source=source, domains=len(rated.rows), loaded_at=now))
            rows = [{"set_name": rated.name, "domain": r.domain, "score": r.score,
                     "labels": json.dumps(r.labels, ensure_ascii=False),
                     "fields": json.dumps(r.fields, ensure_ascii=False)} for r in rated.rows]
            for i in range(0, len(rows), _CHUNK):
                conn.execute(insert(domain_ratings), rows[i:i + _CHUNK])
        return len(rated.rows)

    def rating_sets(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(rating_sets).order_by(rating_sets.c.name))]

    def remove_ratings(self, name: str) -> bool:
        """Forget a rating set; False when there was none of that name."""
        with self.engine.begin() as conn:
            conn.execute(delete(domain_ratings).where(domain_ratings.c.set_name == name))
            return bool(conn.execute(delete(rating_sets).where(rating_sets.c.name == name)).rowcount)

    def ratings_for(self, domains: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """Each domain's ratings, one per set: the domain's own, else its nearest parent's ("news.bbc.co.uk" takes
        "bbc.co.uk"'s rating, marked with `rated_domain`). Domains no set rates are left out."""
        wanted = {d: parent_domains(d.lower()) for d in set(domains) if d}
        if not wanted:
            return {}
        names = sorted({p for ps in wanted.values() for p in ps})
        found: dict[str, dict[str, DomainRating]] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(names), 500):
                q = select(domain_ratings).where(domain_ratings.c.domain.in_(names[i:i + 500]))
                for r in conn.execute(q):
                    found.setdefault(r.domain, {})[r.set_name] = DomainRating(
                        r.domain, r.score, json.loads(r.labels or "[]"), json.loads(r.fields or "{}"))
        out: dict[str, list[dict[str, Any]]] = {}
        for d, chain in wanted.items():
            by_set: dict[str, dict[str, Any]] = {}
            for p in chain:  # nearest first: a subdomain's own rating wins over its parent's
                for set_name, r in found.get(p, {}).items():
                    by_set.setdefault(set_name, {"set": set_name, "rated_domain": p, "score": r.score,
                                                 "labels": r.labels, "fields": r.fields})
            if by_set:
                out[d] = [by_set[k] for k in sorted(by_set)]
        return out
