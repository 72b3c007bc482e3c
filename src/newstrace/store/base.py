"""The connection to the database: SQLite by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DB = "newstrace.db"


def database_url(db: str | os.PathLike[str] | None) -> str:
    """A plain path becomes a SQLite URL; a URL passes through unchanged."""
    value = str(db) if db is not None else os.environ.get("NEWSTRACE_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def user_date(value: str, end_of_day: bool = False) -> str:
    """A date a user typed (YYYY-MM-DD or ISO 8601) as stored UTC ISO text; a bare day ends at 23:59:59 with
    `end_of_day`. ValueError when it is no date (the CLI and the web say so in their own words)."""
    value = value.strip()
    dt = datetime.fromisoformat(value)
    if len(value) == 10 and end_of_day:
        dt = dt.replace(hour=23, minute=59, second=59)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def iso(dt: datetime | None) -> str | None:
    """A datetime as UTC ISO text; naive datetimes are taken to be UTC."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if u.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError("PostgreSQL support needs psycopg: pip install 'newstrace[postgres]'") from exc
        if u.drivername == "postgresql":
            url = u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)
