"""What every command shares: the chosen database, settings, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from ..settings import load_settings
from ..store import Store
from ..store.base import database_url

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class _State:
    db: str | None = None
    config: str | None = None


STATE = _State()


def settings(**overrides: Any) -> dict[str, Any]:
    try:
        values = load_settings({k: v for k, v in overrides.items() if v is not None}, STATE.config)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if STATE.db:
        values["db"] = STATE.db
    return values


def open_store(create: bool = False) -> Store:
    """The database the settings name. Only commands that write (`ingest`, `demo`, loading ratings or
    fact-checks) create a SQLite file that is not there: a read command on a mistyped path says so instead of
    answering from an empty new database."""
    db = settings()["db"]
    url = database_url(db)
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    if not create and path and path != ":memory:" and not Path(path).exists():
        err_console.print(f"[red]error:[/red] no database at {path}: ingest something first (`newstrace ingest "
                          "…`, or `newstrace demo`), or point --db / NEWSTRACE_DB at an existing one")
        raise typer.Exit(2)
    try:
        return Store(db)
    except Exception as exc:  # a bad URL or an unreachable server: say so in one line
        err_console.print(f"[red]error:[/red] cannot open the database: {exc}")
        raise typer.Exit(2) from exc


def _default(o: Any) -> Any:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, bytes):
        return None
    if hasattr(o, "__dataclass_fields__"):
        from dataclasses import asdict
        return asdict(o)
    if isinstance(o, set | frozenset | tuple):
        return list(o)
    raise TypeError(f"cannot serialise {type(o).__name__}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_default, ensure_ascii=False, indent=2) + "\n")


def article_or_exit(store: Store, ref: str) -> Any:
    art = store.find_article(ref)
    if art is None:
        err_console.print(f"[red]error:[/red] no article with id or URL {ref!r}")
        raise typer.Exit(1)
    return art


def site_option(value: str | None) -> str | None:
    """A --site value as the store keys sites: "https://www.Example.com/news" -> "example.com"."""
    if not value:
        return value
    from ..sites import site_key

    return site_key(value)


def load_sets(files: list[Path], name: str | None, read: Callable[[Path, str | None], Any],
              errors: tuple[type[Exception], ...], save: Callable[[Store, Any, str], str], show_skipped: int) -> None:
    """Load published data sets (rating sets, fact-check sets), one file at a time: a file that is no set is
    reported and the others still load; each set's skipped rows are listed (the first `show_skipped`).
    `save(store, data, source)` stores one set and returns its summary line (rich markup, escaped)."""
    if name and len(files) > 1:
        err_console.print("[red]error:[/red] --name names one set: give one file with it")
        raise typer.Exit(2)
    store = open_store(create=True)
    failed = 0
    for f in files:
        try:
            data = read(f, name)
        except (OSError, *errors) as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}")
            failed += 1
            continue
        console.print(save(store, data, str(f)))
        for line, why in data.skipped[:show_skipped]:
            console.print(f"  line {line}: {escape(why)}", style="dim")
        if len(data.skipped) > show_skipped:
            console.print(f"  … and {len(data.skipped) - show_skipped:,} more (--show-skipped N lists more)",
                          style="dim")
    if failed:
        raise typer.Exit(1)
