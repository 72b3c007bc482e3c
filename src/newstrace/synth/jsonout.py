"""Compact UTF-8 JSON for truth, JSONL and JSON-LD: orjson when installed, else the standard library.

Both give the same bytes for the plain values we write (strings, ints, bools, None, lists, dicts).
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the environment
    orjson = None  # type: ignore[assignment]


def dumps(obj: Any) -> str:
    if orjson is not None:
        return orjson.dumps(obj).decode("utf-8")
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
