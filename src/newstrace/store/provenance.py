"""Tables and queries for provenance results."""

from __future__ import annotations

from sqlalchemy import Engine

from .migrations import Migration

MIGRATIONS: list[Migration] = []


class ProvenanceStore:
    engine: Engine
