"""Commands for ingesting and reading articles: ingest, articles, show, stats, errors."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from ..store.base import user_date
from .common import article_or_exit, console, err_console, open_store, print_json, settings, site_option

KIND_HELP = "Force the kind of source: html, warc, jsonl, csv, feed, url, urls (default: detected)."


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("ingest")(ingest_cmd)
    app.command("articles")(articles_cmd)
    app.command("show")(show_cmd)
    app.command("stats")(stats_cmd)
    app.command("errors")(errors_cmd)


def ingest_cmd(
    sources: list[str] = typer.Argument(..., help="Files, folders, archives, feeds, exports or URLs."),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
    url: str = typer.Option(None, "--url", help="The page URL, when ingesting a single HTML file that lacks one."),
    workers: int = typer.Option(None, "--workers", "-w", help="Extraction processes (default: one per core)."),
    batch_size: int = typer.Option(None, "--batch-size", help="Articles per committed transaction."),
    allow_private: bool = typer.Option(None, "--allow-private/--no-allow-private",
                                       help="Allow fetching private, loopback and link-local addresses."),
    fetch_pages: bool = typer.Option(None, "--fetch-pages/--no-fetch-pages", help="For feeds: fetch each item's page."),
    refresh: bool = typer.Option(False, "--refresh", help="Re-read inputs that an earlier run already finished."),
    field: list[str] = typer.Option([], "--field", help="JSONL/CSV field mapping, e.g. --field text=body."),
    max_bytes: int = typer.Option(None, "--max-bytes", help="Largest page or file accepted, in bytes."),
    rate_limit: float = typer.Option(None, "--rate-limit", help="Most requests per second to one host."),
    no_robots: bool = typer.Option(False, "--ignore-robots", help="Do not obey robots.txt (use with care)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Ingest HTML files and folders, WARC archives, JSONL/CSV exports, RSS/Atom feeds or URLs.

    Re-running is safe: pages already stored are not stored again, and inputs finished by an
    earlier (possibly interrupted) run are skipped. Exits with status 1 when any input failed.
    """
    from ..ingest import ingest
    from ..sources import SourceOptions

    cfg = settings(workers=workers, batch_size=batch_size, allow_private=allow_private,
                   fetch_feed_pages=fetch_pages, max_bytes=max_bytes, rate_limit=rate_limit)
    mapping: dict[str, str] = {}
    for f in field:
        ours, sep, theirs = f.partition("=")
        if not sep or not ours or not theirs:
            err_console.print(f"[red]error:[/red] --field expects OURS=THEIRS, got {f!r}")
            raise typer.Exit(2)
        mapping[ours.strip()] = theirs.strip()
    options = SourceOptions(
        url=url, max_bytes=cfg["max_bytes"], user_agent=cfg["user_agent"], timeout=cfg["timeout"],
        retries=cfg["retries"], rate_limit=cfg["rate_limit"], allow_private=cfg["allow_private"],
        respect_robots=cfg["respect_robots"] and not no_robots, fetch_feed_pages=cfg["fetch_feed_pages"],
        refresh=refresh, field_map=mapping,
    )
    from ..sources import KINDS

    if kind is not None and kind not in KINDS:
        err_console.print(f"[red]error:[/red] unknown kind {kind!r}: use one of {', '.join(KINDS)}")
        raise typer.Exit(2)
    store = open_store(create=True)
    report = ingest(sources, store, options, kind=kind, workers=cfg["workers"], batch_size=cfg["batch_size"],
                    progress=not quiet and not as_json, keep_html=cfg["keep_html"])
    if as_json:
        print_json(report.as_dict())
    else:
        _print_report(report)
    if report.interrupted:
        raise typer.Exit(130)
    if report.errors:
        raise typer.Exit(1)


def _print_report(report: Any) -> None:
    rate = report.documents / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]{report.new}[/bold] new articles, {report.versions} new versions, "
        f"{report.duplicates} already stored, [red]{len(report.errors)}[/red] errors "
        f"({report.documents} documents in {report.seconds:.1f} s, {rate:.1f}/s)"
    )
    if report.skipped_units:
        console.print(f"{report.skipped_units} inputs unchanged since they were ingested: skipped "
                      "(--refresh reads them again)")
    if report.interrupted:
        console.print("[yellow]Interrupted:[/yellow] what was committed is kept; run the same command to resume.")
    if report.errors:
        table = Table("source", "kind", "reason", title="Inputs that failed", show_lines=False)
        for e in report.errors[:50]:
            table.add_row(escape(e.source), e.kind, escape(e.reason))
        console.print(table)
        if len(report.errors) > 50:
            console.print(f"… and {len(report.errors) - 50} more: see [bold]newstrace errors[/bold]")


def _when(value: str | None, flag: str, end_of_day: bool = False) -> str | None:
    """A date option as stored UTC ISO text; a clear error (exit 2) when it is no date."""
    if not value:
        return None
    try:
        return user_date(value, end_of_day)
    except ValueError:
        err_console.print(f"[red]error:[/red] {flag} {value!r} is not a date: use YYYY-MM-DD or an ISO 8601 time")
        raise typer.Exit(2) from None


def articles_cmd(
    site: str = typer.Option(None, "--site", help="Only this site (registered domain)."),
    language: str = typer.Option(None, "--language", "--lang", help="Only this language code."),
    since: str = typer.Option(None, "--since", help="Published on or after (ISO date)."),
    until: str = typer.Option(None, "--until", help="Published on or before (ISO date)."),
    search: str = typer.Option(None, "--search", "-s", help="Full-text search over titles and text."),
    limit: int = typer.Option(50, "--limit", "-n", help="How many to list."),
    offset: int = typer.Option(0, "--offset", help="Skip this many."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List articles, newest first, filtered by site, language, date or full-text search."""
    since, until = _when(since, "--since"), _when(until, "--until", end_of_day=True)
    site, language = site_option(site), language.strip().lower() if language else language
    store = open_store()
    rows = store.list_articles(site=site, language=language, since=since, until=until, search=search,
                               limit=limit, offset=offset)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "published", "site", "lang", "words", "title")
    for r in rows:
        table.add_row(str(r["id"]), (r["published_at"] or "")[:16], escape(r["site"]), r["language"] or "",
                      str(r["word_count"]), escape(r["title"][:90]))
    console.print(table)


def show_cmd(
    ref: str = typer.Argument(..., help="Article id or URL."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    full: bool = typer.Option(True, "--text/--no-text", help="Print the article text."),
) -> None:
    """Show one article: metadata (with where each field came from), attribution statements, text."""
    store = open_store()
    art = article_or_exit(store, ref)
    if as_json:
        data = {
            "id": art.id, "url": art.url, "canonical_url": art.canonical_url, "site": art.site,
            "site_name": art.site_name, "title": art.title, "authors": art.authors,
            "published": art.published, "published_source": art.published_source, "fetched_at": art.fetched_at,
            "language": art.language, "ingest_source": art.ingest_source, "source": art.source,
            "attributions": art.attributions, "paragraphs": art.paragraphs if full else None,
        }
        print_json(data)
        return
    console.print(f"[bold]{escape(art.title)}[/bold]")
    meta = Table.grid(padding=(0, 2))
    meta.add_row("id", str(art.id))
    meta.add_row("url", escape(art.url))
    if art.canonical_url and art.canonical_url != art.url:
        meta.add_row("canonical", escape(art.canonical_url))
    meta.add_row("site", escape(f"{art.site}" + (f" ({art.site_name})" if art.site_name else "")))
    meta.add_row("authors", escape(", ".join(art.authors)) or "—")
    pub = art.published.isoformat() if art.published else "—"
    meta.add_row("published", f"{pub}" + (f"  [dim](from {art.published_source})[/dim]" if art.published else ""))
    meta.add_row("fetched", art.fetched_at.isoformat() if art.fetched_at else "—")
    meta.add_row("language", art.language or "—")
    meta.add_row("ingested from", escape(f"{art.ingest_source}: {art.source}"))
    console.print(meta)
    if art.attributions:
        t = Table("kind", "outlet", "url", "statement", title="Attribution statements")
        for s in art.attributions:
            t.add_row(s.kind, escape(s.outlet or ""), escape(s.url or ""), escape(s.text[:120]))
        console.print(t)
    if full:
        console.print()
        for p in art.paragraphs:
            console.print(escape(p))
            console.print()


def stats_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Counts of articles, sites, words, attribution statements and errors in the store."""
    store = open_store()
    data = store.stats()
    for extra in ("reuse_stats", "provenance_stats", "quotes_stats"):
        fn = getattr(store, extra, None)
        if callable(fn):
            try:
                data[extra.removesuffix("_stats")] = fn()
            except Exception as exc:  # an analysis that has not run yet is not an error here
                data[extra.removesuffix("_stats")] = {"unavailable": str(exc)}
    if as_json:
        print_json(data)
        return
    grid = Table.grid(padding=(0, 2))
    for key in ("articles", "sites", "words", "attribution_statements", "errors", "earliest", "latest"):
        grid.add_row(key.replace("_", " "), str(data[key]))
    grid.add_row("by source", ", ".join(f"{k} {v}" for k, v in data["by_source"].items()))
    grid.add_row("by language", ", ".join(f"{k} {v}" for k, v in data["by_language"].items()))
    grid.add_row("top sites", ", ".join(f"{escape(s['site'])} {s['articles']}" for s in data["top_sites"]))
    for extra in ("reuse", "provenance", "quotes"):
        if extra in data and isinstance(data[extra], dict):
            grid.add_row(extra, escape(_flat(data[extra])))
    sets = store.rating_sets()
    if sets:
        grid.add_row("ratings", escape(", ".join(f"{s['name']} ({s['domains']:,} domains)" for s in sets)))
    checks = store.fact_check_sets()
    if checks:
        m = store.claim_match_counts()
        grid.add_row("fact-checks", escape(", ".join(f"{s['name']} ({s['claims']:,} claims)" for s in checks)
                                           + f"; {m['articles']:,} articles repeat one"))
    console.print(grid)


def _flat(d: dict[str, Any]) -> str:
    """A summary's figures on one line; a nested record (the last run) by its time."""
    parts = []
    for k, v in d.items():
        if isinstance(v, dict):
            v = v.get("at") or ", ".join(f"{a} {b}" for a, b in v.items() if not isinstance(b, dict | list))
        elif isinstance(v, list):
            continue
        parts.append(f"{k.replace('_', ' ')} {v}")
    return ", ".join(parts)


def errors_cmd(
    limit: int = typer.Option(200, "--limit", "-n", help="How many to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Inputs that failed to ingest, with their specific reasons (latest first)."""
    store = open_store()
    rows = store.list_errors(limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No ingest errors recorded.")
        return
    table = Table("last seen", "kind", "source", "reason", "times")
    for r in rows:
        table.add_row(r["last_seen"][:19], r["kind"], escape(r["source"]), escape(r["reason"]), str(r["count"]))
    console.print(table)
