"""Storing and reading articles, sites, attribution statements and ingest errors."""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, text, union

from ..bylines import count_names
from ..models import Article, AttributionStatement, IngestError
from . import schema
from .base import iso, parse_iso, utcnow

NEW, DUPLICATE, VERSION = "new", "duplicate", "version"


@dataclass(slots=True)
class WriteResult:
    status: str  # new, duplicate, version
    article_id: int
    url: str


class ArticleStore:
    engine: Engine

    # -- writing -------------------------------------------------------------------------
    def _site_ids(self, conn: Any, sites: dict[str, str | None]) -> dict[str, int]:
        t = schema.sites
        have = {
            r.domain: (r.id, r.name)
            for r in conn.execute(select(t.c.id, t.c.domain, t.c.name).where(t.c.domain.in_(list(sites))))
        }
        out: dict[str, int] = {}
        for domain, name in sites.items():
            if domain in have:
                sid, old = have[domain]
                if name and not old:
                    conn.execute(t.update().where(t.c.id == sid).values(name=name))
                out[domain] = sid
            else:
                out[domain] = conn.execute(t.insert().values(domain=domain, name=name)).inserted_primary_key[0]
        return out

    def write_articles(self, batch: list[Article], errors: Iterable[IngestError] = (),
                       done_sources: Iterable[tuple[str, str]] = ()) -> list[WriteResult]:
        """Store a batch in one transaction: all of it is committed, or none.

        The same page (same URL and text, or same site and text) is stored once; a changed
        page at a known URL becomes a new version beside the old one.
        """
        results: list[WriteResult] = []
        a = schema.articles
        with self.engine.begin() as conn:
            site_names: dict[str, str | None] = {}
            for art in batch:
                site_names[art.site] = site_names.get(art.site) or art.site_name
            site_ids = self._site_ids(conn, site_names) if site_names else {}
            urls = list({art.url for art in batch})
            hashes = list({art.content_hash for art in batch})
            known: dict[tuple[str, str], int] = {}
            versions: dict[str, int] = {}
            by_site_hash: dict[tuple[int, str], int] = {}
            if batch:
                for r in conn.execute(
                    select(a.c.id, a.c.url, a.c.content_hash, a.c.version, a.c.site_id).where(
                        or_(a.c.url.in_(urls), a.c.content_hash.in_(hashes))
                    )
                ):
                    known[(r.url, r.content_hash)] = r.id
                    by_site_hash[(r.site_id, r.content_hash)] = r.id
                    versions[r.url] = max(versions.get(r.url, 0), r.version)
            now = utcnow()
            # Decide every row first (a page repeated inside the batch points at its first copy,
            # -1 - k for the k-th new row), then insert all new rows in one statement.
            new_rows: list[tuple[Article, dict[str, Any]]] = []
            pending: list[tuple[str, int, str]] = []
            for art in batch:
                h = art.content_hash
                sid = site_ids[art.site]
                existing = known.get((art.url, h)) or by_site_hash.get((sid, h))
                if existing:
                    pending.append((DUPLICATE, existing, art.url))
                    continue
                version = versions.get(art.url, 0) + 1
                new_rows.append((art, self._article_row(art, sid, version, now)))
                ref = -len(new_rows)
                known[(art.url, h)] = ref
                by_site_hash[(sid, h)] = ref
                versions[art.url] = version
                pending.append((VERSION if version > 1 else NEW, ref, art.url))
            ids: list[int] = []
            if new_rows:
                ids = [r[0] for r in conn.execute(a.insert().returning(a.c.id, sort_by_parameter_order=True),
                                                  [row for _, row in new_rows])]
            attributions = []
            for (art, _), aid in zip(new_rows, ids, strict=True):
                art.id = aid
                attributions += [{"article_id": aid, "kind": s.kind, "text": s.text, "outlet": s.outlet,
                                  "url": s.url, "domain": s.domain} for s in art.attributions]
            if attributions:
                conn.execute(schema.attributions.insert(), attributions)
            results = [WriteResult(st, ids[-1 - ref] if ref < 0 else ref, url) for st, ref, url in pending]
            self._record_errors(conn, errors, now)
            self._mark_done(conn, done_sources, now)
        return results

    @staticmethod
    def _article_row(art: Article, sid: int, version: int, now: str) -> dict[str, Any]:
        text_ = art.text
        return {
            "url": art.url,
            "canonical_url": art.canonical_url,
            "site_id": sid,
            "title": art.title,
            "authors": json.dumps(art.authors, ensure_ascii=False) if art.authors else None,
            "published_at": iso(art.published),
            "published_source": art.published_source if art.published else None,
            "fetched_at": iso(art.fetched_at),
            "language": art.language,
            "text": text_,
            "word_count": count_words(text_),
            "content_hash": art.content_hash,
            "version": version,
            "ingest_source": art.ingest_source,
            "source": art.source,
            "ingested_at": now,
            "raw_html": zlib.compress(art.raw_html, 1) if art.raw_html else None,  # fast: one writer
        }

    def _record_errors(self, conn: Any, errors: Iterable[IngestError], now: str) -> None:
        e = schema.ingest_errors
        for err in errors:
            reason = err.reason[:2000]
            hit = conn.execute(
                select(e.c.id).where(and_(e.c.source == err.source, e.c.reason == reason))
            ).scalar()
            if hit:
                conn.execute(e.update().where(e.c.id == hit).values(last_seen=now, count=e.c.count + 1))
            else:
                conn.execute(e.insert().values(source=err.source, kind=err.kind, reason=reason,
                                               first_seen=now, last_seen=now, count=1))

    def _mark_done(self, conn: Any, done: Iterable[tuple[str, str]], now: str) -> None:
        t = schema.sources_done
        for source, sig in done:
            conn.execute(t.delete().where(t.c.source == source))
            conn.execute(t.insert().values(source=source, signature=sig, done_at=now))

    def record_errors(self, errors: Iterable[IngestError]) -> None:
        with self.engine.begin() as conn:
            self._record_errors(conn, errors, utcnow())

    def done_signatures(self, sources: list[str]) -> dict[str, str]:
        """Signatures of the given inputs that an earlier run finished."""
        t = schema.sources_done
        out: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(sources), 500):
                chunk = sources[i:i + 500]
                for r in conn.execute(select(t.c.source, t.c.signature).where(t.c.source.in_(chunk))):
                    out[r.source] = r.signature
        return out

    # -- reading -------------------------------------------------------------------------
    def _article_select(self, with_html: bool = False) -> Any:
        a, s = schema.articles, schema.sites
        cols = [c for c in a.c if c.name != "raw_html" or with_html]
        return select(*cols, s.c.domain.label("site"), s.c.name.label("site_name")).join(s, s.c.id == a.c.site_id)

    @staticmethod
    def _to_article(row: Any, attributions: list[AttributionStatement] | None = None) -> Article:
        m = row._mapping
        raw = m.get("raw_html")
        return Article(
            id=m["id"],
            url=m["url"],
            canonical_url=m["canonical_url"],
            site=m["site"],
            site_name=m["site_name"],
            title=m["title"],
            authors=json.loads(m["authors"]) if m["authors"] else [],
            published=parse_iso(m["published_at"]),
            published_source=m["published_source"],
            fetched_at=parse_iso(m["fetched_at"]),
            language=m["language"],
            paragraphs=m["text"].split("\n") if m["text"] else [],
            raw_html=zlib.decompress(raw) if raw else None,
            ingest_source=m["ingest_source"],
            source=m["source"],
            attributions=attributions or [],
        )

    def attributions_for(self, article_ids: list[int]) -> dict[int, list[AttributionStatement]]:
        t = schema.attributions
        out: dict[int, list[AttributionStatement]] = {i: [] for i in article_ids}
        with self.engine.connect() as conn:
            for i in range(0, len(article_ids), 500):
                q = select(t).where(t.c.article_id.in_(article_ids[i:i + 500])).order_by(t.c.id)
                for r in conn.execute(q):
                    out[r.article_id].append(
                        AttributionStatement(kind=r.kind, text=r.text, outlet=r.outlet, url=r.url, domain=r.domain)
                    )
        return out

    def get_article(self, article_id: int, with_html: bool = False) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._article_select(with_html).where(schema.articles.c.id == article_id)).first()
        if row is None:
            return None
        return self._to_article(row, self.attributions_for([article_id])[article_id])

    def find_article(self, ref: str | int, with_html: bool = False) -> Article | None:
        """An article by id, URL or canonical URL (the newest version of that URL)."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.get_article(int(ref), with_html)
        a = schema.articles
        with self.engine.connect() as conn:
            aid = conn.execute(
                select(a.c.id).where(or_(a.c.url == ref, a.c.canonical_url == ref))
                .order_by(a.c.version.desc(), a.c.id.desc())
            ).scalar()
        return self.get_article(aid, with_html) if aid else None

    def find_linked(self, url: str | None) -> Article | None:
        """The stored article a link in a page names, as `sites.resolve_links` resolves it (the page at that URL,
        else one claiming it as its canonical URL; no scheme, "www.", fragment or trailing slash), looked up in
        the spellings a stored URL may have (`_spellings`), else among the linked site's pages (a path in other
        letters' case), as provenance's scan of all stored URLs finds it. http(s) URLs only, so that a scraped
        relative href ("12") never reads as an article id."""
        from ..sites import resolve_links

        if not url or not url.strip().lower().startswith(("http://", "https://")):
            return None
        from ..sites import site_of

        a = schema.articles
        spellings = sorted(_spellings(url))
        with self.engine.connect() as conn:
            pages = [(r.id, r.url, r.canonical_url) for col in (a.c.url, a.c.canonical_url)
                     for r in conn.execute(select(a.c.id, a.c.url, a.c.canonical_url).where(col.in_(spellings)))]
            found = resolve_links([(0, url)], pages)
            if not found:  # a path in other letters' case ("/News/Story" for "/news/story"): the linked site's
                # pages, compared lowercased by the database (not read into Python: a site may hold 100,000 pages)
                site = conn.execute(select(schema.sites.c.id).where(schema.sites.c.domain == site_of(url))).scalar()
                if site is not None:
                    q = select(a.c.id, a.c.url, a.c.canonical_url).where(a.c.site_id == site)
                    if url.isascii():  # SQLite's lower() folds ASCII letters only: other links are compared here
                        low = sorted({x.lower() for x in spellings})
                        q = q.where(or_(func.lower(a.c.url).in_(low), func.lower(a.c.canonical_url).in_(low)))
                    pages = [(r.id, r.url, r.canonical_url) for r in conn.execute(q)]
                    found = resolve_links([(0, url)], pages)
        return self.get_article(found[0][1]) if found else None

    def credit_link_targets(self, kinds: Iterable[str]) -> list[tuple[int, str | None, int, str | None]]:
        """(page, its language, stored page its credit line links, that page's language) for every attribution
        statement of these kinds whose http(s) link, on a stored site, names a stored page as `sites.resolve_links`
        resolves it (the same as for pages in memory). Every stored URL and canonical URL is read, from their
        indexes (a covering scan: 0.2 s for 100,000 pages), and kept only when a link names it."""
        from ..sites import page_key, resolve_links

        t, a = schema.attributions, schema.articles
        with self.engine.connect() as conn:
            on_stored_site = t.c.domain.in_(select(schema.sites.c.domain))  # a link out of the corpus is no page of it
            stmts = [(r.article_id, r.url) for r in conn.execute(
                select(t.c.article_id, t.c.url).where(t.c.url.is_not(None), t.c.kind.in_(list(kinds)), on_stored_site))
                if r.url.strip().lower().startswith(("http://", "https://"))]
            wanted = {page_key(u) for _i, u in stmts} - {""}
            pages: list[tuple[int, str | None, str | None]] = []
            if wanted:
                pages += [(r.id, r.url, None) for r in conn.execute(select(a.c.id, a.c.url))
                          if page_key(r.url) in wanted]
                pages += [(r.id, None, r.canonical_url) for r in conn.execute(
                    select(a.c.id, a.c.canonical_url).where(a.c.canonical_url.is_not(None)))
                    if page_key(r.canonical_url) in wanted]
            found = resolve_links(stmts, pages)
            ids = sorted({i for pair in found for i in pair})
            lang: dict[int, str | None] = {}
            for i in range(0, len(ids), 500):
                for r in conn.execute(select(a.c.id, a.c.language).where(a.c.id.in_(ids[i:i + 500]))):
                    lang[r.id] = r.language
        return [(i, lang.get(i), target, lang.get(target)) for i, target in found]

    def site_names(self) -> dict[str, str | None]:
        """Every stored site's domain and name."""
        s = schema.sites
        with self.engine.connect() as conn:
            return {r.domain: r.name for r in conn.execute(select(s.c.domain, s.c.name))}

    def get_articles(self, ids: list[int]) -> list[Article]:
        """Articles by id, in the order asked, with their attribution statements."""
        out: dict[int, Article] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                for row in conn.execute(self._article_select().where(schema.articles.c.id.in_(ids[i:i + 500]))):
                    out[row.id] = self._to_article(row)
        attrs = self.attributions_for(list(out))
        for aid, art in out.items():
            art.attributions = attrs[aid]
        return [out[i] for i in ids if i in out]

    def iter_articles(self, batch_size: int = 1000, after_id: int = 0,
                      with_attributions: bool = False) -> Iterator[list[Article]]:
        """All articles in id order, in batches: the way analyses read the corpus."""
        a = schema.articles
        last = after_id
        while True:
            with self.engine.connect() as conn:
                q = self._article_select().where(a.c.id > last).order_by(a.c.id).limit(batch_size)
                rows = conn.execute(q).all()
            if not rows:
                return
            batch = [self._to_article(r) for r in rows]
            if with_attributions:
                attrs = self.attributions_for([x.id for x in batch if x.id is not None])
                for x in batch:
                    x.attributions = attrs[x.id]  # type: ignore[index]
            yield batch
            last = rows[-1].id

    def list_articles(self, site: str | None = None, language: str | None = None, since: str | None = None,
                      until: str | None = None, search: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[dict[str, Any]]:
        """Article summaries (no text) for listings, newest first; `search` is full-text."""
        a = schema.articles
        q = self._listing(site, language, since, until)
        if search:
            q = q.where(a.c.id.in_(self._search_ids(search)))
        q = q.order_by(a.c.published_at.desc(), a.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def _listing(self, site: str | None, language: str | None, since: str | None, until: str | None) -> Any:
        """The summary columns of articles, filtered: what every article listing starts from."""
        a, s = schema.articles, schema.sites
        q = select(a.c.id, a.c.url, a.c.title, a.c.published_at, a.c.published_source, a.c.language,
                   a.c.word_count, a.c.version, s.c.domain.label("site")).join(s, s.c.id == a.c.site_id)
        return self._filtered(q, site, language, since, until)

    @staticmethod
    def _filtered(q: Any, site: str | None, language: str | None, since: str | None, until: str | None) -> Any:
        """The listing filters, on a select of articles already joined to sites."""
        a, s = schema.articles, schema.sites
        if site:
            q = q.where(s.c.domain == site)
        if language:
            q = q.where(a.c.language == language)
        if since:
            q = q.where(a.c.published_at >= since)
        if until:
            q = q.where(a.c.published_at <= until)
        return q

    def _search_ids(self, query: str) -> Any:
        words = self._word_search_ids(query)
        if not substring_search(query):
            return words
        # Chinese, Japanese, Thai: written without spaces, so the word index holds whole runs between
        # punctuation ("新华社北京3月13日电") and a word inside one is never found. Such queries also read the
        # text itself, each word anywhere in the title or text, among pages in those languages (or none known);
        # pages in other languages are found through the word index, as before
        a = schema.articles
        inside = select(a.c.id).where(
            or_(a.c.language.in_(NO_SPACE_LANGUAGES), a.c.language.is_(None)),
            *[or_(a.c.title.icontains(w, autoescape=True), a.c.text.icontains(w, autoescape=True))
              for w in query.split()])
        return union(inside, words)

    def _word_search_ids(self, query: str) -> Any:
        if self.engine.dialect.name == "sqlite":
            return select(text("rowid")).select_from(text("articles_fts")).where(
                text("articles_fts MATCH :q").bindparams(q=fts_query(query))
            )
        if self.engine.dialect.name == "postgresql":
            return select(schema.articles.c.id).where(
                text("search @@ plainto_tsquery('simple', :q)").bindparams(q=query)
            )
        like = f"%{query}%"
        a = schema.articles
        return select(a.c.id).where(or_(a.c.title.like(like), a.c.text.like(like)))

    def stats(self) -> dict[str, Any]:
        a, s, e = schema.articles, schema.sites, schema.ingest_errors
        with self.engine.connect() as conn:
            out: dict[str, Any] = {
                "articles": conn.execute(select(func.count()).select_from(a)).scalar(),
                "sites": conn.execute(select(func.count()).select_from(s)).scalar(),
                "words": conn.execute(select(func.coalesce(func.sum(a.c.word_count), 0))).scalar(),
                "attribution_statements": conn.execute(select(func.count()).select_from(schema.attributions)).scalar(),
                "errors": conn.execute(select(func.count()).select_from(e)).scalar(),
                "earliest": conn.execute(select(func.min(a.c.published_at))).scalar(),
                "latest": conn.execute(select(func.max(a.c.published_at))).scalar(),
            }
            out["by_source"] = {r[0]: r[1] for r in conn.execute(
                select(a.c.ingest_source, func.count()).group_by(a.c.ingest_source))}
            out["by_language"] = {str(r[0]): r[1] for r in conn.execute(
                select(a.c.language, func.count()).group_by(a.c.language).order_by(func.count().desc()).limit(20))}
            out["top_sites"] = [
                {"site": r[0], "articles": r[1]}
                for r in conn.execute(
                    select(s.c.domain, func.count()).join(a, a.c.site_id == s.c.id)
                    .group_by(s.c.domain).order_by(func.count().desc()).limit(10)
                )
            ]
        return out

    def list_errors(self, limit: int = 1000) -> list[dict[str, Any]]:
        e = schema.ingest_errors
        with self.engine.connect() as conn:
            q = select(e).order_by(e.c.last_seen.desc(), e.c.id.desc()).limit(limit)
            return [dict(r._mapping) for r in conn.execute(q)]

    def byline_sites(self) -> dict[str, dict[str, int]]:
        """For each author name (normalised as `bylines.byline_key`), the pages per site that carry it: where a
        name is at home (a staff writer's site) and where it only turns up on a copy."""
        a, s = schema.articles, schema.sites
        q = (select(s.c.domain, a.c.authors, func.count()).join(s, s.c.id == a.c.site_id)
             .where(a.c.authors.is_not(None), a.c.authors != "[]", a.c.authors != "")
             .group_by(s.c.domain, a.c.authors))
        with self.engine.connect() as conn:
            return count_names((site, _json_list(authors), n) for site, authors, n in conn.execute(q))

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar() or 0)


def _json_list(text: str) -> list[object]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


NO_SPACE_LANGUAGES = ("zh", "ja", "th", "lo", "km", "my")
_NO_SPACE = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       r"\uf900-\ufaff\uff66-\uff9f]")  # ...and halfwidth katakana
_NO_SPACE_RUN = re.compile(_NO_SPACE.pattern + "+")


def count_words(text: str) -> int:
    """Words separated by spaces; in scripts written without them (Chinese, Japanese, Thai) each character
    counts half a word, as the reuse engine counts them (a Chinese word is about two characters)."""
    chars = sum(len(run) for run in _NO_SPACE_RUN.findall(text))
    words = sum(1 for w in _NO_SPACE.sub(" ", text).split() if any(c.isalnum() for c in w))  # not "—", "，"
    return words + (chars + 1) // 2  # one character is a word


def substring_search(query: str) -> bool:
    """Whether a search is for text in a script written without spaces (read as substrings, not words)."""
    return bool(_NO_SPACE.search(query))


def fts_query(query: str) -> str:
    """User text as an FTS5 query: each word quoted, so punctuation never breaks the syntax."""
    words = [w.replace('"', '""') for w in query.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _spellings(url: str) -> set[str]:
    """The spellings under which a page a link names may be stored: the link itself, and its host (lowercase,
    with and without "www.") and path (its own case) under either scheme, with and without a trailing slash."""
    raw = url.strip()
    rest = raw.split("#", 1)[0]
    low = rest.lower()
    for p in ("https://", "http://"):
        if low.startswith(p):
            rest = rest[len(p):]
            break
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    path = path.rstrip("/")
    base = host + ("/" + path if path else "")
    return {raw} | {f"{s}{w}{base}{e}" for s in ("https://", "http://") for w in ("", "www.") for e in ("", "/")}
