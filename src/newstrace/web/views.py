"""What each page and each API endpoint shows, gathered as plain data from the store.

The pages and the JSON API call these same functions (the API returns their result, a page renders it),
so there is one code path per view. Views compute no analyses of their own: they read what the reuse,
provenance and quotes stages stored. Whole-corpus summaries (the site network, statistics) are cached
until the store's data version changes, so no request scans the corpus.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ..models import Article, Passage
from ..provenance import bridges, translations
from ..provenance.choice import doubtful
from ..ratings import host_of
from ..sites import site_key
from ..store.base import user_date
from . import graph
from .highlight import Span, find_words, uncovered

MAX_LIMIT = 200
MAX_OFFSET = 10_000
COUNT_CAP = 10_000
CREDIT_FILTERS = ("all", "credited", "intermediary", "uncredited")
STORY_ORDERS = ("size", "speed", "recent")


class NotFound(LookupError):
    """Nothing with that id: a 404 for pages and API alike."""


class BadRequest(ValueError):
    """A parameter the user can fix: a 400 with the message."""


class Ctx:
    """The store plus a small cache of whole-corpus summaries, invalidated when the data changes."""

    def __init__(self, store: Any, recheck_seconds: float = 2.0) -> None:
        self.store = store
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._memo: dict[Any, Any] = {}
        self._version: Any = None
        self._checked = 0.0

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """`compute()` once per data version (checked at most every `recheck_seconds`)."""
        now = time.monotonic()
        if now - self._checked > self.recheck_seconds:
            version = self.store.data_version()
            with self._lock:
                self._checked = now
                if version != self._version:
                    self._version = version
                    self._memo.clear()
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def network(self) -> Any:
        return self.memo("network", self.store.site_network)


# -- helpers -------------------------------------------------------------------------------------
def page_args(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise BadRequest(f"offset must be between 0 and {MAX_OFFSET}, got {offset} (narrow the search instead)")
    return limit, offset


def parse_when(value: str | None, end_of_day: bool = False) -> str | None:
    """A user date (YYYY-MM-DD or ISO 8601) as stored UTC ISO text; BadRequest when unreadable."""
    if not value:
        return None
    try:
        return user_date(value, end_of_day)
    except ValueError as exc:
        raise BadRequest(f"not a date: {value.strip()!r} (use YYYY-MM-DD or an ISO 8601 time)") from exc


def web_url(url: str | None) -> str | None:
    """The URL if it is safe to render as a link (http or https only: never javascript: or data:)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def article_meta(a: Article) -> dict[str, Any]:
    """An article's metadata (no text) as plain JSON-ready values, with where each field came from."""
    return {
        "id": a.id, "url": a.url, "canonical_url": a.canonical_url, "site": a.site, "site_name": a.site_name,
        "title": a.title, "authors": a.authors,
        "published": a.published.isoformat() if a.published else None, "published_source": a.published_source,
        "fetched_at": a.fetched_at.isoformat() if a.fetched_at else None, "language": a.language,
        "ingest_source": a.ingest_source, "source": a.source, "words": len(a.text.split()),
    }


def _get(ctx: Ctx, article_id: int) -> Article:
    art = ctx.store.get_article(article_id)
    if art is None:
        raise NotFound(f"no article {article_id}")
    return art


def copy_edges(store: Any, article_id: int) -> dict[str, list[dict[str, Any]]]:
    """The provenance copies touching an article (`as_copy`, `as_source`)."""
    return store.copies_of(article_id)


# -- stats -----------------------------------------------------------------------------------------
def stats(ctx: Ctx) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        s = ctx.store.stats()
        s["stories"] = ctx.store.story_count()
        s["reuse"] = {k: v for k, v in ctx.store.reuse_stats().items() if k not in ("params",)}
        return s

    return ctx.memo("stats", compute)


# -- search ----------------------------------------------------------------------------------------
def search(ctx: Ctx, q: str | None = None, site: str | None = None, language: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Articles matching full-text words and filters, newest first, each with how many copies it has."""
    limit, offset = page_args(limit, offset)
    q = (q or "").strip() or None
    site = (site or "").strip()
    filters = {"site": site_key(site) if site else None,  # "https://www.X.com/" is "x.com"
               "language": (language or "").strip().lower() or None,
               "since": parse_when(since), "until": parse_when(until, end_of_day=True), "search": q}
    total = ctx.store.count_articles(**filters, cap=COUNT_CAP)
    if q:
        rows = ctx.store.search_articles(q, **{k: v for k, v in filters.items() if k != "search"}, limit=limit,
                                         offset=offset, matches=total)
    else:
        rows = ctx.store.list_articles(**filters, limit=limit, offset=offset)
    counts = ctx.store.copy_counts([r["id"] for r in rows])
    items = [{**r, **counts.get(r["id"], {})} for r in rows]
    return {"items": items, "total": total, "total_exact": total < COUNT_CAP, "limit": limit, "offset": offset,
            "query": {"q": q, "site": filters["site"], "language": filters["language"], "since": since,
                      "until": until}}


# -- article ---------------------------------------------------------------------------------------
def article(ctx: Ctx, article_id: int) -> dict[str, Any]:
    """One article: metadata, text, and every mark to draw on it (boilerplate, shared passages, quotes)."""
    art = _get(ctx, article_id)
    store = ctx.store
    text = art.text
    boiler = store.boilerplate_ranges([article_id])[article_id]
    shares = store.text_shared_with(article_id)  # articles sharing text, with their metadata
    others = {r["article_id"]: r for r in shares}
    passages = []
    for p in store.passages_for(article_id):
        o = others.get(p.b_id, {})
        passages.append({"other_id": p.b_id, "other_site": o.get("site"), "other_title": o.get("title"),
                         "start": p.a_start, "end": p.a_end, "other_start": p.b_start, "other_end": p.b_end,
                         "words": p.a_words, "similarity": p.similarity})
    quotes = store.quote_attributions_for(article_id)
    spans: list[dict[str, Any]] = [{"start": s, "end": e, "kind": "boilerplate"} for s, e in boiler]
    for p in passages:
        spans.append({"start": p["start"], "end": p["end"], "kind": "shared",
                      "info": {"article_id": p["other_id"], "site": p["other_site"]}})
    for n, qa in enumerate(quotes):
        who = qa.get("speaker_name") or qa.get("speaker") or qa["kind"]
        spans.append({"start": qa["content_start"], "end": qa["content_end"], "kind": "quote",
                      "info": {"n": n + 1, "speaker": who, "kind": qa["kind"]}})
        if qa.get("speaker_start") is not None:
            spans.append({"start": qa["speaker_start"], "end": qa["speaker_end"], "kind": "speaker",
                          "info": {"n": n + 1, "kind": qa["kind"]}})
        if qa.get("cue_start") is not None:
            spans.append({"start": qa["cue_start"], "end": qa["cue_end"], "kind": "cue", "info": {"n": n + 1}})
    edges = copy_edges(store, article_id)
    ends = {c["copy_id"] if c["source_id"] == article_id else c["source_id"] for rows in edges.values() for c in rows}
    titles = {i: r.get("title") for i, r in others.items()}
    unpaired = sorted(ends - set(titles))  # a bridged edge's other end shares no stored passage with this one
    titles.update({o.id: o.title for o in store.get_articles(unpaired)} if unpaired else {})
    for rows in edges.values():
        for c in rows:
            c["other_title"] = titles.get(c["copy_id"] if c["source_id"] == article_id else c["source_id"])
    alt_ids = sorted({a for c in edges["as_copy"] for a, _share in c.get("alternatives") or []})
    alt_sites = {o.id: o.site for o in store.get_articles(alt_ids)} if alt_ids else {}
    for c in edges["as_copy"]:  # the other pages this one may as well have been taken from (`provenance.choice`)
        c["doubt"] = doubtful(c.get("choice"))
        c["uncertain"] = [{"id": a, "site": alt_sites.get(a), "share": share}
                          for a, share in c.get("alternatives") or []]
    story = store.story_of(article_id)
    claims = store.claim_matches_for(article_id)
    for c in claims:  # the sentence repeating the claim (-1, -1: the headline)
        c["sentence"] = art.title if c["sentence_start"] < 0 else text[c["sentence_start"]:c["sentence_end"]]
    return {
        **article_meta(art), "text": text,
        "site_ratings": store.ratings_for([h]).get(h, []) if (h := host_of(art.url)) else [],
        "fact_checks": claims,
        "attributions": [{**asdict(s), "article_id": _linked_article(store, s.url, article_id)}
                         for s in art.attributions],
        "boilerplate": [[s, e] for s, e in boiler],
        "passages": passages, "quotes": quotes, "spans": spans,
        "sources": edges["as_copy"], "copied_by": edges["as_source"],
        "shares_text_with": shares,
        "story": {k: story[k] for k in ("id", "root_id", "size", "sites", "first_published", "last_published")}
        if story else None,
    }


def _linked_article(store: Any, url: str | None, own: int) -> int | None:
    """The stored article a credit line links to (by URL or canonical URL), so the page can link it in the
    corpus: a translation's link to the report it translated, say, which shares no text to be paired with."""
    found = store.find_linked(url)
    return found.id if found is not None and found.id != own else None


def article_copies(ctx: Ctx, article_id: int) -> dict[str, Any]:
    """Who an article took text from and who took text from it (provenance), and every article sharing text."""
    _get(ctx, article_id)
    edges = copy_edges(ctx.store, article_id)
    return {"article_id": article_id, "sources": edges["as_copy"], "copied_by": edges["as_source"],
            "shares_text_with": ctx.store.text_shared_with(article_id)}


def article_quotes(ctx: Ctx, article_id: int) -> dict[str, Any]:
    _get(ctx, article_id)
    return {"article_id": article_id, "quotes": ctx.store.quote_attributions_for(article_id)}


def spans_of(data: dict[str, Any]) -> list[Span]:
    """The spans of a view's result as `highlight.Span` values (what the templates split text by)."""
    return [Span(s["start"], s["end"], s["kind"], s.get("info") or {}) for s in data["spans"]]


# -- stories ---------------------------------------------------------------------------------------
def stories(ctx: Ctx, order: str = "size", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    limit, offset = page_args(limit, offset)
    if order not in STORY_ORDERS:
        raise BadRequest(f"unknown order {order!r}: use one of {', '.join(STORY_ORDERS)}")
    items = ctx.store.list_stories(order=order, limit=limit, offset=offset)
    total = ctx.memo(("story-count",), lambda: ctx.store.count_stories(cap=COUNT_CAP))
    return {"items": items, "total": total, "total_exact": total < COUNT_CAP, "limit": limit, "offset": offset,
            "order": order}


def story(ctx: Ctx, story_id: int) -> dict[str, Any]:
    """A story's tree (articles, copies with credit), laid out on a time axis, and its spread timeline."""
    tree = ctx.store.story_tree(story_id)
    if tree is None:
        raise NotFound(f"no story {story_id} (a story that merged into another or was split keeps one id only: "
                       "find the story through one of its articles)")
    credit = {c: 0 for c in graph.CREDITS}
    for c in tree["copies"]:
        if c["main"] and c["credit"] in credit:
            credit[c["credit"]] += 1
    edges = {c["copy_id"]: c for c in tree["copies"] if c["main"]}
    sites = {a["id"]: a["site"] for a in tree["articles"]}
    hosts = {a["id"]: host_of(a.get("url")) or a["site"] for a in tree["articles"]}
    changes = {aid: {"added": e.get("added") or [], "removed": e.get("removed") or [],
                     "changed": e.get("changed") or [], "quotes": e.get("quote_changes") or [],
                     "choice": e.get("choice"), "doubt": doubtful(e.get("choice")),
                     "uncertain": [{"id": a, "site": sites.get(a), "share": share}
                                                              for a, share in e.get("alternatives") or []]}
               for aid, e in edges.items()}
    return {**tree, "credit_counts": credit, "changes": changes, "layout": graph.story_layout(tree),
            "uncertain_sources": sum(1 for ch in changes.values() if ch["doubt"]),
            "site_ratings": ctx.store.ratings_for(set(hosts.values())),  # what rating sets say of its pages' hosts
            "hosts": hosts,
            "timeline": graph.timeline(tree["articles"])}


def story_of_article(ctx: Ctx, article_id: int) -> int:
    _get(ctx, article_id)
    st = ctx.store.story_of(article_id)
    if st is None:
        raise NotFound(f"article {article_id} is in no story: it shares no text with another article")
    return int(st["id"])


# -- compare ---------------------------------------------------------------------------------------
def compare(ctx: Ctx, a: int, b: int) -> dict[str, Any]:
    """Two articles side by side: shared passages aligned, text only one of them has, edits, altered quotes.

    When provenance knows that one copied the other, the source goes on the left.
    """
    if a == b:
        raise BadRequest("compare needs two different articles")
    art_a, art_b = _get(ctx, a), _get(ctx, b)
    store = ctx.store
    edge = next((c for rows in copy_edges(store, a).values() for c in rows
                 if {c["source_id"], c["copy_id"]} == {a, b}), None)
    if edge and edge["source_id"] == b:
        art_a, art_b, a, b = art_b, art_a, b, a
    ta, tb = art_a.text, art_b.text
    passages = store.passages_between(a, b)
    via = None
    if not passages and edge:  # a bridged copy: its text shared with the source, mapped through the hub
        via = next((h for e in edge.get("evidence") or [] if e.get("kind") == bridges.KIND
                    and (h := bridges.hub_of(e.get("detail"))) is not None), None)
        if via is not None:
            passages = [_facing(p, a) for p in bridges.through(b, via, a, store.passages_between(b, via),
                                                                store.passages_between(via, a))]
    passages = sorted(passages, key=lambda p: (p.b_start, p.a_start))
    bp = store.boilerplate_ranges([a, b])
    rows: list[dict[str, Any]] = []
    a_cur = b_cur = 0
    spans_a: list[dict[str, Any]] = [{"start": s, "end": e, "kind": "boilerplate"} for s, e in bp[a]]
    spans_b: list[dict[str, Any]] = [{"start": s, "end": e, "kind": "boilerplate"} for s, e in bp[b]]
    for n, p in enumerate(passages, 1):
        gap_a = (a_cur, p.a_start) if p.a_start > a_cur else None
        gap_b = (b_cur, p.b_start) if p.b_start > b_cur else None
        if gap_a or gap_b:
            rows.append({"kind": "gap", "a": gap_a, "b": gap_b})
        edits = [{"op": e.op, "a_text": e.a_text, "b_text": e.b_text} for e in p.edits]
        rows.append({"kind": "shared", "n": n, "a": (p.a_start, p.a_end), "b": (p.b_start, p.b_end),
                     "similarity": p.similarity, "words": p.b_words, "edits": edits})
        spans_a.append({"start": p.a_start, "end": p.a_end, "kind": "shared", "info": {"n": n}})
        spans_b.append({"start": p.b_start, "end": p.b_end, "kind": "shared", "info": {"n": n}})
        ca, cb = p.a_start, p.b_start
        for e in p.edits:
            if e.a_text and e.op in ("substitute", "delete") and (hit := find_words(ta, e.a_text, ca, p.a_end)):
                spans_a.append({"start": hit[0], "end": hit[1], "kind": "edit", "info": {"op": e.op}})
                ca = hit[1]
            if e.b_text and e.op in ("substitute", "insert") and (hit := find_words(tb, e.b_text, cb, p.b_end)):
                spans_b.append({"start": hit[0], "end": hit[1], "kind": "edit", "info": {"op": e.op}})
                cb = hit[1]
        a_cur, b_cur = max(a_cur, p.a_end), max(b_cur, p.b_end)
    if a_cur < len(ta) or b_cur < len(tb):
        rows.append({"kind": "gap", "a": (a_cur, len(ta)) if a_cur < len(ta) else None,
                     "b": (b_cur, len(tb)) if b_cur < len(tb) else None})
    covered_a = [(p.a_start, p.a_end) for p in passages]
    covered_b = [(p.b_start, p.b_end) for p in passages]
    for s, e in uncovered(0, len(ta), covered_a + list(bp[a])):
        if ta[s:e].strip():
            spans_a.append({"start": s, "end": e, "kind": "removed"})
    for s, e in uncovered(0, len(tb), covered_b + list(bp[b])):
        if tb[s:e].strip():
            spans_b.append({"start": s, "end": e, "kind": "added"})
    # quotes that first appeared in one and were altered in the other, whichever way the copy went
    quote_changes = store.quote_changes_between(a, b) + store.quote_changes_between(b, a)
    for qc in quote_changes:
        if qc.get("altered_start") is not None and qc["kind"] == "words":
            (spans_b if qc["article_id"] == b else spans_a).append(
                {"start": qc["altered_start"], "end": qc["altered_end"], "kind": "altered-quote",
                 "info": {"quote_id": qc["quote_id"]}})
    pair = store.pair(a, b)
    return {"a": {**article_meta(art_a), "text": ta, "spans": spans_a},
            "b": {**article_meta(art_b), "text": tb, "spans": spans_b},
            "edge": edge, "pair": asdict(pair) if pair else None, "rows": rows, "quote_changes": quote_changes,
            "passages": len(passages), "bridged_via": via,
            "translation": (edge or {}).get("kind") == translations.KIND}


def _facing(p: Passage, a: int) -> Passage:
    """The passage with its `a_*` side on article `a`."""
    if p.a_id == a:
        return p
    return Passage(p.b_id, p.a_id, p.b_start, p.b_end, p.a_start, p.a_end, p.b_words, p.a_words, p.similarity,
                   p.edits)


# -- sites and the network -------------------------------------------------------------------------
def _site_row(site: str, attrs: dict[str, Any]) -> dict[str, Any]:
    return {"site": site, "name": attrs.get("label") if attrs.get("label") != site else None,
            "articles": attrs.get("articles", 0), "copied_share": attrs.get("copied_share", 0.0),
            "copies_made": attrs.get("copies_made", 0), "copied_from_it": attrs.get("copied_from_it", 0)}


def sites(ctx: Ctx, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Sites by volume, with how much of their text is copied and how often they are copied."""
    limit, offset = page_args(limit, offset)

    def ranked() -> list[dict[str, Any]]:
        g = ctx.network()
        return sorted((_site_row(s, a) for s, a in g.nodes(data=True)), key=lambda r: (-r["articles"], r["site"]))

    rows = ctx.memo("sites-ranked", ranked)
    page = [dict(r) for r in rows[offset:offset + limit]]
    rated = ctx.store.ratings_for(r["site"] for r in page)
    for r in page:
        r["ratings"] = rated.get(r["site"], [])
    return {"items": page, "total": len(rows), "total_exact": True, "limit": limit, "offset": offset}


def site(ctx: Ctx, domain: str) -> dict[str, Any]:
    """One site's profile: volume, share of copied text and from whom, who copies it, credit rate, neighbours."""
    from ..provenance.network import site_profile

    g = ctx.network()
    if domain not in g:
        raise NotFound(f"no site {domain!r}")
    prof = site_profile(g, domain)
    made = sum(g.edges[u, domain]["copies"] for u in g.predecessors(domain))
    credited = sum(g.edges[u, domain]["credited"] for u in g.predecessors(domain))
    taken = sum(g.edges[domain, v]["copies"] for v in g.successors(domain))
    credited_by_others = sum(g.edges[domain, v]["credited"] for v in g.successors(domain))
    recent = ctx.store.list_articles(site=domain, limit=10)
    return {**prof, "credit_rate": round(credited / made, 4) if made else None,
            "credited_by_copiers_rate": round(credited_by_others / taken, 4) if taken else None,
            "ratings": ctx.store.ratings_for([domain]).get(domain, []), "recent_articles": recent,
            "layout": graph.neighbourhood_layout(domain, prof["sources"], prof["copied_by"])}


def network(ctx: Ctx, min_articles: int = 1, credit: str = "all", limit: int = 80) -> dict[str, Any]:
    """The site copying network, filtered: sites with at least `min_articles`, edges with that credit class."""
    if credit not in CREDIT_FILTERS:
        raise BadRequest(f"unknown credit filter {credit!r}: use one of {', '.join(CREDIT_FILTERS)}")
    if min_articles < 0 or not 1 <= limit <= 300:
        raise BadRequest("min_articles must be 0 or more and limit between 1 and 300")

    def compute() -> dict[str, Any]:
        g = ctx.network()
        edges = []
        for u, v, e in g.edges(data=True):
            count = e["copies"] if credit == "all" else e[credit]
            if count > 0:
                edges.append({"source": u, "copy": v, "copies": e["copies"], "translations": e.get("translations", 0),
                              "uncertain": e.get("uncertain", 0), "selected": count, "chars": e["chars"],
                              "credited": e["credited"], "intermediary": e["intermediary"],
                              "uncredited": e["uncredited"], "credited_share": e["credited_share"],
                              "median_delay_hours": e["median_delay_hours"],
                              "dominant": max(graph.CREDITS, key=lambda k: e[k])})
        linked = {e["source"] for e in edges} | {e["copy"] for e in edges}
        nodes = [_site_row(s, a) for s, a in g.nodes(data=True)
                 if a.get("articles", 0) >= min_articles and (s in linked or credit == "all")]
        nodes.sort(key=lambda n: (-(n["copies_made"] + n["copied_from_it"]), -n["articles"], n["site"]))
        total_nodes = len(nodes)
        nodes = nodes[:limit]
        keep = {n["site"] for n in nodes}
        edges = [e for e in edges if e["source"] in keep and e["copy"] in keep]
        edges.sort(key=lambda e: -e["chars"])
        return {"filters": {"min_articles": min_articles, "credit": credit, "limit": limit},
                "total_sites": total_nodes, "nodes": nodes, "edges": edges,
                "layout": graph.network_layout(nodes, edges)}

    return ctx.memo(("network", min_articles, credit, limit), compute)


# -- quotes ----------------------------------------------------------------------------------------
def quotes(ctx: Ctx, q: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Quotes repeated across articles whose words contain `q` (or the most repeated when `q` is empty).
    `more` says whether another page follows (one row past the page is read to tell)."""
    limit, offset = page_args(limit, offset)
    q = (q or "").strip()
    rows = ctx.store.search_quotes(q, limit=limit + 1, offset=offset) if q else ctx.memo(
        ("top-quotes", limit, offset), lambda: ctx.store.search_quotes("", limit=limit + 1, offset=offset))
    return {"items": rows[:limit], "q": q, "limit": limit, "offset": offset, "more": len(rows) > limit}


def quote(ctx: Ctx, quote_id: int) -> dict[str, Any]:
    trail = ctx.store.quote_trail(quote_id)
    if trail is None:
        raise NotFound(f"no quote {quote_id}")
    return trail


def speakers(ctx: Ctx, site: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    limit, offset = page_args(limit, offset)
    site = (site or "").strip() or None
    rows = ctx.memo(("speakers", site, limit, offset),
                    lambda: ctx.store.top_speakers(site=site, limit=limit + 1, offset=offset))
    return {"items": rows[:limit], "site": site, "limit": limit, "offset": offset, "more": len(rows) > limit}
