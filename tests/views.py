"""Reading what a user sees, for tests: `trace`'s printed tree as one line, and web pages served from a store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from newstrace.store import Store
from newstrace.web.app import create_app


def flat(output: str) -> str:
    """A printed tree as one line: rich wraps long lines at the console's width, behind the tree's guides."""
    return " ".join(w for w in output.split() if w not in ("│", "├──", "└──"))


def web_page(db: Path, path: str) -> str:
    """The body of a GET on the web app over the store at `db`; the request must succeed."""

    async def get() -> str:
        with Store(db) as store:
            transport = httpx.ASGITransport(app=create_app(store))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                r = await client.get(path)
                assert r.status_code == 200, (path, r.status_code)
                return r.text

    return asyncio.run(get())
