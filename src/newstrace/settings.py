"""One declarative table of settings: read from CLI flags, `NEWSTRACE_*` variables and a TOML file.

Precedence: an explicit value (a CLI flag) beats the environment, which beats the TOML file
(`./newstrace.toml` or `NEWSTRACE_CONFIG`), which beats the default. Nothing is read at
import time: `load_settings()` reads when called.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    type: type
    help: str


SETTINGS: list[Setting] = [
    Setting("db", "newstrace.db", str, "Database: a SQLite path or any SQLAlchemy URL (postgresql://...)."),
    Setting("workers", 0, int, "Processes for extraction and analyses; 0 means one per CPU core."),
    Setting("batch_size", 200, int, "Articles written to the store per transaction."),
    Setting("max_bytes", 10_000_000, int, "Largest page, file member or HTTP body accepted, in bytes."),
    Setting("user_agent", "newstrace/0.1 (+https://github.com/newstrace/newstrace; research crawler)", str,
            "User-Agent header sent with every HTTP request."),
    Setting("timeout", 20.0, float, "HTTP timeout in seconds (connect and read)."),
    Setting("retries", 3, int, "HTTP retries on connection errors and 429/5xx, with exponential backoff."),
    Setting("rate_limit", 1.0, float, "Most requests per second to any one host."),
    Setting("allow_private", False, bool, "Allow fetching private, loopback and link-local addresses."),
    Setting("respect_robots", True, bool, "Obey robots.txt when fetching URLs."),
    Setting("fetch_feed_pages", False, bool, "When ingesting feeds, fetch each item's page too."),
    Setting("keep_html", True, bool, "Store each page's raw HTML (compressed) beside its text."),
]

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    if setting.type is bool and isinstance(value, str):
        v = value.strip().lower()
        if v in {"1", "true", "yes", "on"}:
            return True
        if v in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"setting {setting.name}: expected true or false, got {value!r}")
    try:
        return setting.type(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {setting.name}: expected {setting.type.__name__}, got {value!r}") from exc


def load_settings(overrides: dict[str, Any] | None = None, config: str | os.PathLike[str] | None = None,
                  environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Resolve every setting; unknown names in the TOML file are an error, not silence."""
    env = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    path = Path(config or env.get("NEWSTRACE_CONFIG") or "newstrace.toml")
    if path.is_file():
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        data = data.get("newstrace", data)
        for key, value in data.items():
            key = key.replace("-", "_")
            if key not in _BY_NAME:
                raise ValueError(f"{path}: unknown setting {key!r}")
            values[key] = _coerce(_BY_NAME[key], value)
    for s in SETTINGS:
        raw = env.get(f"NEWSTRACE_{s.name.upper()}")
        if raw is not None:
            values[s.name] = _coerce(s, raw)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(_BY_NAME[key], value)
    if values["workers"] <= 0:
        values["workers"] = os.cpu_count() or 1
    return values
