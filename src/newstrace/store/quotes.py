"""Tables and queries for quotes results."""

from __future__ import annotations

from sqlalchemy import Engine

from .migrations import Migration

MIGRATIONS: list[Migration] = []


class QuotesStore:
    engine: Engine
