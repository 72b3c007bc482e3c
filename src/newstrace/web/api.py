"""The JSON API under /api/: the same view functions as the pages, returned as JSON.

Lists take `limit` and `offset` and answer `items` with `total` (capped at 10,000 for large result
sets, `total_exact` says whether it was). Ids are the store's: article ids never change; story ids
change when provenance is recomputed, so reach a story through `/api/articles/{id}/story`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from . import views

router = APIRouter(prefix="/api", tags=["api"])

Limit = Query(50, ge=1, le=views.MAX_LIMIT, description="How many items (1-200).")
Offset = Query(0, ge=0, le=views.MAX_OFFSET, description="How many items to skip (at most 10,000).")


def _ctx(request: Request) -> views.Ctx:
    return request.app.state.ctx


@router.get("/stats", summary="Corpus statistics: articles, sites, stories, reuse")
def api_stats(request: Request) -> dict[str, Any]:
    return views.stats(_ctx(request))


@router.get("/articles", summary="Search articles: full text over titles and text, with filters")
def api_articles(request: Request, q: str | None = Query(None, description="Words to search for."),
                 site: str | None = Query(None, description="A site's registered domain."),
                 language: str | None = Query(None, description="A language code, e.g. en."),
                 since: str | None = Query(None, description="Published on or after (YYYY-MM-DD or ISO 8601)."),
                 until: str | None = Query(None, description="Published on or before (YYYY-MM-DD or ISO 8601)."),
                 limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    return views.search(_ctx(request), q, site, language, since, until, limit, offset)


@router.get("/articles/{article_id}", summary="One article: metadata, text, boilerplate, passages, quotes, copies")
def api_article(request: Request, article_id: int) -> dict[str, Any]:
    return views.article(_ctx(request), article_id)


@router.get("/articles/{article_id}/copies", summary="Where an article took text from and who took text from it")
def api_article_copies(request: Request, article_id: int) -> dict[str, Any]:
    return views.article_copies(_ctx(request), article_id)


@router.get("/articles/{article_id}/quotes", summary="Who said what in one article")
def api_article_quotes(request: Request, article_id: int) -> dict[str, Any]:
    return views.article_quotes(_ctx(request), article_id)


@router.get("/articles/{article_id}/story", summary="The story an article belongs to")
def api_article_story(request: Request, article_id: int) -> dict[str, Any]:
    ctx = _ctx(request)
    return views.story(ctx, views.story_of_article(ctx, article_id))


@router.get("/stories", summary="Stories: largest, fastest-spreading or newest first")
def api_stories(request: Request, order: str = Query("size", description="size, speed or recent."),
                limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    return views.stories(_ctx(request), order, limit, offset)


@router.get("/stories/{story_id}", summary="One story: its republication tree, credit of each copy, timeline")
def api_story(request: Request, story_id: int) -> dict[str, Any]:
    return views.story(_ctx(request), story_id)


@router.get("/compare", summary="Two articles side by side: shared passages, additions, removals, altered quotes")
def api_compare(request: Request, a: int = Query(..., description="An article id."),
                b: int = Query(..., description="Another article id.")) -> dict[str, Any]:
    return views.compare(_ctx(request), a, b)


@router.get("/sites", summary="Sites by volume, with copying figures")
def api_sites(request: Request, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    return views.sites(_ctx(request), limit, offset)


@router.get("/sites/{domain}", summary="One site's profile and neighbourhood in the copying network")
def api_site(request: Request, domain: str) -> dict[str, Any]:
    return views.site(_ctx(request), domain)


@router.get("/network", summary="The site copying network (nodes, edges, a layout)")
def api_network(request: Request, min_articles: int = Query(1, ge=0), credit: str = Query("all"),
                limit: int = Query(80, ge=1, le=300)) -> dict[str, Any]:
    return views.network(_ctx(request), min_articles, credit, limit)


@router.get("/quotes", summary="Quotes repeated across articles, searched by their words")
def api_quotes(request: Request, q: str | None = Query(None), limit: int = Query(20, ge=1, le=views.MAX_LIMIT),
               offset: int = Query(0, ge=0, le=views.MAX_OFFSET)) -> dict[str, Any]:
    return views.quotes(_ctx(request), q, limit, offset)


@router.get("/quotes/speakers", summary="Who is quoted most")
def api_speakers(request: Request, site: str | None = Query(None), limit: int = Query(20, ge=1, le=views.MAX_LIMIT),
                 offset: int = Query(0, ge=0, le=views.MAX_OFFSET)) -> dict[str, Any]:
    return views.speakers(_ctx(request), site, limit, offset)


@router.get("/quotes/{quote_id}", summary="One quote's trail: every appearance and alteration")
def api_quote(request: Request, quote_id: int) -> dict[str, Any]:
    return views.quote(_ctx(request), quote_id)
