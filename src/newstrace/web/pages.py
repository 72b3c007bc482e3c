"""Server-rendered pages: each calls the same view function as its API endpoint and renders the result.

Jinja2 autoescapes everything; marked-up text is built from pieces of plain text (see `highlight`),
never from scraped HTML. Templates carry no inline script or style (the CSP forbids both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..provenance.why import SHOWN as WHY_KINDS
from . import views
from .highlight import Span, split

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)

CREDIT_LABELS = {"origin": "origin", "credited": "credited", "intermediary": "intermediary only",
                 "uncredited": "uncredited"}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _when(value: str | None) -> str:
    return (value or "undated")[:16].replace("T", " ")


def _pieces(text: str, spans: list[dict[str, Any]], start: int = 0, end: int | None = None) -> list[list[Any]]:
    return split(text, [Span(s["start"], s["end"], s["kind"], s.get("info") or {}) for s in spans], start, end)


def make_env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
    env.filters.update(pct=_pct, when=_when, web_url=views.web_url)
    env.globals.update(pieces=_pieces, credit_labels=CREDIT_LABELS, why_kinds=WHY_KINDS)
    return env


def _render(request: Request, template: str, status: int = 200, **data: Any) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    html = env.get_template(template).render(request=request, path=request.url.path, **data)
    return HTMLResponse(html, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status=status, status_code=status, message=message, title=f"Error {status}")


def _pager(request: Request, data: dict[str, Any]) -> dict[str, str | None]:
    """Links to the previous and next page of a list, keeping the other query parameters."""
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v != ""}
    limit, offset, total = data["limit"], data["offset"], data["total"]

    def link(off: int) -> str:
        return request.url.path + "?" + urlencode({**params, "offset": off})

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total and offset + limit <= views.MAX_OFFSET else None}


def _ctx(request: Request) -> views.Ctx:
    return request.app.state.ctx


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = None, site: str | None = None, language: str | None = None,
                since: str | None = None, until: str | None = None, offset: int = Query(0, ge=0)) -> HTMLResponse:
    ctx = _ctx(request)
    data = views.search(ctx, q, site, language, since, until, 25, offset)
    top = views.stories(ctx, "size", 8, 0) if not any((q, site, language, since, until)) and not offset else None
    return _render(request, "search.html", data=data, stats=views.stats(ctx), top_stories=top,
                   nav=_pager(request, data), title="Search")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int) -> HTMLResponse:
    data = views.article(_ctx(request), article_id)
    return _render(request, "article.html", a=data, title=data["title"])


@router.get("/articles/{article_id}/story")
def article_story_page(request: Request, article_id: int) -> RedirectResponse:
    sid = views.story_of_article(_ctx(request), article_id)
    return RedirectResponse(f"/stories/{sid}?article={article_id}", status_code=303)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, order: str = "size", offset: int = Query(0, ge=0)) -> HTMLResponse:
    data = views.stories(_ctx(request), order, 50, offset)
    return _render(request, "stories.html", data=data, nav=_pager(request, data), title="Stories")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, article: int | None = None) -> HTMLResponse:
    data = views.story(_ctx(request), story_id)
    root = next((a for a in data["articles"] if a["id"] == data["root_id"]), None)
    return _render(request, "story.html", s=data, here=article, root=root, title=f"Story {story_id}")


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, a: int, b: int) -> HTMLResponse:
    data = views.compare(_ctx(request), a, b)
    return _render(request, "compare.html", c=data, title=f"Compare {data['a']['id']} and {data['b']['id']}")


@router.get("/sites", response_class=HTMLResponse)
def sites_page(request: Request, offset: int = Query(0, ge=0)) -> HTMLResponse:
    data = views.sites(_ctx(request), 50, offset)
    return _render(request, "sites.html", data=data, nav=_pager(request, data), title="Sites")


@router.get("/sites/{domain}", response_class=HTMLResponse)
def site_page(request: Request, domain: str) -> HTMLResponse:
    data = views.site(_ctx(request), domain)
    return _render(request, "site.html", s=data, title=domain)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, min_articles: int = Query(1, ge=0), credit: str = "all",
                 limit: int = Query(80, ge=1, le=300)) -> HTMLResponse:
    data = views.network(_ctx(request), min_articles, credit, limit)
    return _render(request, "network.html", n=data, credits=views.CREDIT_FILTERS, title="Copying network")


@router.get("/quotes", response_class=HTMLResponse)
def quotes_page(request: Request, q: str | None = None, offset: int = Query(0, ge=0)) -> HTMLResponse:
    ctx = _ctx(request)
    data = views.quotes(ctx, q, 30, offset)
    nav = _pager(request, {**data, "total": offset + len(data["items"]) + data["more"]})
    return _render(request, "quotes.html", data=data, nav=nav, speakers=views.speakers(ctx, None, 20),
                   title="Quotes")


@router.get("/quotes/{quote_id}", response_class=HTMLResponse)
def quote_page(request: Request, quote_id: int) -> HTMLResponse:
    return _render(request, "quote.html", t=views.quote(_ctx(request), quote_id), title=f"Quote {quote_id}")


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    """API documentation rendered in the browser from /openapi.json by our own script (no CDN, no Swagger UI)."""
    return _render(request, "docs.html", title="API")
