"""Tables and queries for reuse results."""

from __future__ import annotations

from sqlalchemy import Engine

from .migrations import Migration

MIGRATIONS: list[Migration] = []


class ReuseStore:
    engine: Engine
