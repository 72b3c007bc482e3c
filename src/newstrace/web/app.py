"""The FastAPI application: pages, the JSON API, static files and the security middleware."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import api, pages, views
from .security import SecurityMiddleware

HERE = Path(__file__).parent


def ensure_web_store(store: Any) -> Any:
    """The store with the `WebStore` queries and indexes: itself once `Store` includes the mixin, else the same
    database reopened through a class that adds it (and its migrations applied)."""
    from ..store import migrations
    from ..store.web import MIGRATIONS, WebStore

    if isinstance(store, WebStore):
        return store
    cls = type(f"{type(store).__name__}WithWeb", (type(store), WebStore), {})
    web = cls(store.url, migrate=False)
    with web.engine.begin() as conn:
        migrations.migrate(conn, MIGRATIONS)
    return web


def _warm(ctx: views.Ctx) -> None:
    """Compute the cached whole-corpus summaries before the first visitor asks for them."""
    for fill in (views.stats, lambda c: views.sites(c, 1, 0), lambda c: views.network(c),
                 lambda c: views.speakers(c, None, 20)):
        with contextlib.suppress(Exception):  # a failure only means the first visitor computes it instead
            fill(ctx)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def create_app(store: Any, token: str | None = None, read_only: bool = True, warm: bool = False) -> FastAPI:
    """The web UI and API over one store. With `token`, every request must carry it (see `security`).

    `warm` computes the whole-corpus summaries (the site network) in a background thread at start-up,
    so the first visitor of the network or a site page does not wait for them.
    """
    app = FastAPI(title="newstrace", version="0.1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Read-only JSON API over a newstrace store: articles, stories, copies, sites, quotes.")
    app.state.ctx = views.Ctx(ensure_web_store(store))
    app.state.jinja = pages.make_env()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    def error(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return pages.render_error(request, status, message)

    @app.exception_handler(views.NotFound)
    async def _not_found(request: Request, exc: views.NotFound) -> Response:
        return error(request, 404, str(exc.args[0]) if exc.args else "not found")

    @app.exception_handler(views.BadRequest)
    async def _bad(request: Request, exc: views.BadRequest) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": [{k: e.get(k) for k in ("loc", "msg", "type")} for e in exc.errors()]},
                                status_code=422)
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return pages.render_error(request, 422, f"bad parameter: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    app.add_middleware(SecurityMiddleware, token=token, read_only=read_only)
    if warm:
        threading.Thread(target=_warm, args=(app.state.ctx,), daemon=True, name="newstrace-warm").start()
    return app
