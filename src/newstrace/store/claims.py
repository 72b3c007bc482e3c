"""Tables and queries for fact-check sets and the article sentences that repeat their claims.

A set is loaded whole (a reload replaces it in one transaction). Matches are kept per article with the version
of the sets they were computed against (`claims_version`), so `claims match` redoes only articles never matched
against the sets loaded now, and an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
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
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
)

from ..claims import ClaimFile, ClaimMatch, FactCheck
from . import schema
from .migrations import Migration

metadata = schema.metadata

fact_check_sets = Table(
    "fact_check_sets", metadata,
    Column("name", String(200), primary_key=True),
    Column("source", Text),
    Column("claims", Integer, nullable=False),
    Column("loaded_at", String(40), nullable=False),
)

fact_checks = Table(
    "fact_checks", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("set_name", String(200), nullable=False),
    Column("ext_id", String(200), nullable=False),
    Column("claim", Text, nullable=False),
    Column("title", Text), Column("verdict", Text), Column("url", Text), Column("published", String(40)),
    Column("publisher", Text),
    UniqueConstraint("set_name", "ext_id", name="uq_fact_checks_set_ext"),
)

claim_matches = Table(
    "claim_matches", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("fact_check_id", Integer, ForeignKey("fact_checks.id", ondelete="CASCADE"), primary_key=True),
    Column("sentence_start", Integer, nullable=False),  # the sentence's span in the article's text; -1, -1:
    Column("sentence_end", Integer, nullable=False),  # ...the headline
    Column("coverage", Float, nullable=False),
    Column("score", Float, nullable=False),
)
Index("ix_claim_matches_fact_check", claim_matches.c.fact_check_id)

claims_done = Table(
    "claims_done", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", String(40), nullable=False),
)


def _create(conn: Connection) -> None:
    for t in (fact_check_sets, fact_checks, claim_matches, claims_done):
        t.create(conn, checkfirst=True)
        for ix in t.indexes:
            ix.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [("0600_claims", _create)]

_CHUNK = 1000


class ClaimsStore:
    engine: Engine

    def load_claims(self, claims: ClaimFile, source: str | None = None) -> int:
        """Store a fact-check set under its name, replacing any earlier version (and the matches against it)."""
        now = datetime.now(UTC).isoformat(timespec="microseconds")  # also the set's version: a reload changes it
        with self.engine.begin() as conn:
            old = select(fact_checks.c.id).where(fact_checks.c.set_name == claims.name)
            conn.execute(delete(claim_matches).where(claim_matches.c.fact_check_id.in_(old)))
            conn.execute(delete(fact_checks).where(fact_checks.c.set_name == claims.name))
            conn.execute(delete(fact_check_sets).where(fact_check_sets.c.name == claims.name))
            conn.execute(insert(fact_check_sets).values(name=claims.name, source=source, claims=len(claims.rows),
                                                        loaded_at=now))
            rows = [{"set_name": claims.name, "ext_id": c.ext_id, "claim": c.claim, "title": c.title,
                     "verdict": c.verdict, "url": c.url, "published": c.published, "publisher": c.publisher}
                    for c in claims.rows]
            for i in range(0, len(rows), _CHUNK):
                conn.execute(insert(fact_checks), rows[i:i + _CHUNK])
        return len(claims.rows)

    def fact_check_sets(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(fact_check_sets).order_by(fact_check_sets.c.name))]

    def remove_claims(self, name: str) -> bool:
        with self.engine.begin() as conn:
            old = select(fact_checks.c.id).where(fact_checks.c.set_name == name)
            conn.execute(delete(claim_matches).where(claim_matches.c.fact_check_id.in_(old)))
            conn.execute(delete(fact_checks).where(fact_checks.c.set_name == name))
            return bool(conn.execute(delete(fact_check_sets).where(fact_check_sets.c.name == name)).rowcount)

    def claims_version(self) -> str:
        """A short hash of the sets loaded now (names and load times): matches made against them carry it."""
        sets = [(s["name"], s["loaded_at"]) for s in self.fact_check_sets()]
        return hashlib.sha1(repr(sets).encode()).hexdigest()[:16] if sets else ""

    def all_fact_checks(self) -> list[FactCheck]:
        with self.engine.connect() as conn:
            return [FactCheck(r.ext_id, r.claim, r.title, r.verdict, r.url, r.published, r.publisher, r.id)
                    for r in conn.execute(select(fact_checks).order_by(fact_checks.c.id))]

    def articles_to_match(self, version: str, limit: int | None = None) -> list[int]:
        """Articles never matched against the sets loaded now (`version`), oldest id first."""
        a, d = schema.articles, claims_done
        q = (select(a.c.id).select_from(a.outerjoin(d, d.c.article_id == a.c.id))
             .where((d.c.version.is_(None)) | (d.c.version != version)).order_by(a.c.id))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(q.limit(limit) if limit else q)]

    def save_claim_matches(self, version: str, results: dict[int, list[ClaimMatch]]) -> None:
        """Replace the matches of these articles and mark them done against `version` (one transaction)."""
        ids = list(results)
        with self.engine.begin() as conn:
            for i in range(0, len(ids), _CHUNK):
                part = ids[i:i + _CHUNK]
                conn.execute(delete(claim_matches).where(claim_matches.c.article_id.in_(part)))
                conn.execute(delete(claims_done).where(claims_done.c.article_id.in_(part)))
            rows = [{"article_id": a, "fact_check_id": m.fact_check_id, "sentence_start": m.start,
                     "sentence_end": m.end, "coverage": m.coverage, "score": m.score}
                    for a, ms in results.items() for m in ms]
            for i in range(0, len(rows), _CHUNK):
                conn.execute(insert(claim_matches), rows[i:i + _CHUNK])
            done = [{"article_id": a, "version": version} for a in ids]
            for i in range(0, len(done), _CHUNK):
                conn.execute(insert(claims_done), done[i:i + _CHUNK])

    def claim_matches_for(self, article_id: int) -> list[dict[str, Any]]:
        """An article's matched claims, best first, each with its fact-check and the sentence's span."""
        m, f = claim_matches, fact_checks
        q = (select(m.c.fact_check_id, m.c.sentence_start, m.c.sentence_end, m.c.coverage, m.c.score,
                    f.c.set_name, f.c.ext_id, f.c.claim, f.c.title, f.c.verdict, f.c.url, f.c.published, f.c.publisher)
             .join(f, f.c.id == m.c.fact_check_id).where(m.c.article_id == article_id)
             .order_by(m.c.coverage.desc(), m.c.score.desc()))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def claim_match_counts(self, article_ids: Iterable[int] | None = None) -> dict[str, int]:
        """How many articles repeat at least one claim, and how many matches there are (of these articles)."""
        m = claim_matches
        q_art = select(func.count(func.distinct(m.c.article_id)))
        q_all = select(func.count()).select_from(m)
        if article_ids is not None:
            ids = list(article_ids)
            q_art, q_all = q_art.where(m.c.article_id.in_(ids)), q_all.where(m.c.article_id.in_(ids))
        with self.engine.connect() as conn:
            return {"articles": int(conn.execute(q_art).scalar() or 0),
                    "matches": int(conn.execute(q_all).scalar() or 0)}

    def top_matched_claims(self, limit: int = 20) -> list[dict[str, Any]]:
        """The claims repeated by the most articles."""
        m, f = claim_matches, fact_checks
        n = func.count(m.c.article_id).label("articles")
        q = (select(f.c.id, f.c.set_name, f.c.ext_id, f.c.claim, f.c.verdict, f.c.url, n)
             .join(m, m.c.fact_check_id == f.c.id).group_by(f.c.id).order_by(n.desc(), f.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]
