"""Single URLs and files of URLs (one per line, # comments allowed): each URL is one unit.

A URL is marked done ("fetched") only when its page was fetched, so a re-run retries failures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from newstrace.models import IngestError, RawDocument
from newstrace.sources import SourceOptions, UnitDone
from newstrace.sources.files import human_size
from newstrace.sources.http import Fetcher

__all__ = ["iter_url", "iter_url_list", "read_url_list"]

_URL = re.compile(r"https?://\S+$", re.IGNORECASE)
Item = RawDocument | IngestError | UnitDone


def iter_url(
    url: str, options: SourceOptions, done: Mapping[str, str], fetcher: Fetcher | None = None
) -> Iterator[Item]:
    """Fetch one page unless it is already done; its document (or error), then UnitDone."""
    if done.get(url) == "fetched":
        return
    own = fetcher is None
    fetcher = fetcher or Fetcher(options)
    try:
        result = fetcher.fetch(url)
    finally:
        if own:
            fetcher.close()
    yield result
    if isinstance(result, RawDocument):
        yield UnitDone(url, "fetched")


def read_url_list(path: str, max_bytes: int) -> Iterator[str | IngestError]:
    """The URLs of a text file in order; a line that is not an http(s) URL is an IngestError."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if len(raw) > max_bytes:
                yield IngestError(f"{path}:{lineno}", f"line {lineno} is {human_size(len(raw))} long", "malformed")
                continue
            line = raw.decode("utf-8", errors="replace").strip().lstrip("\ufeff")
            if not line or line.startswith("#"):
                continue
            if not _URL.match(line):
                shown = line if len(line) <= 80 else line[:77] + "..."
                yield IngestError(f"{path}:{lineno}", f"line {lineno} is not an http(s) URL: {shown!r}", "unsupported")
                continue
            yield line


def iter_url_list(path: str, options: SourceOptions, done: Mapping[str, str]) -> Iterator[Item]:
    """Fetch every URL listed in a text file with one shared fetcher (robots and rate limits carry over)."""
    seen: set[str] = set()
    with Fetcher(options) as fetcher:
        for item in read_url_list(path, options.max_bytes):
            if isinstance(item, IngestError):
                yield item
            elif item not in seen:
                seen.add(item)
                yield from iter_url(item, options, done, fetcher)
