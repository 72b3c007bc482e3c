"""Commands for quotes: an article's attributions, who is quoted most, and where a quote came from."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from . import common

KIND_STYLES = {"named-person": "bold cyan", "named-organisation": "bold blue", "anonymous": "bold magenta",
               "document": "bold green", "social-media": "bold yellow"}


def _ensure(store: Any, article_id: int) -> list[dict[str, Any]]:
    """The article's stored attributions, extracting them first when the article was never read."""
    from ..quotes.runner import update

    if article_id not in store.quote_done_ids():
        update(store, article_ids=[article_id], trails=False)
    return store.quote_attributions_for(article_id)


def highlighted(text: str, atts: list[dict[str, Any]]) -> Text:
    """The article text with contents underlined, cues bold red and speakers in their kind's colour."""
    out = Text(text)
    for a in atts:
        out.stylize("italic underline", a["content_start"], a["content_end"])
        if a["cue_start"] is not None:
            out.stylize("bold red", a["cue_start"], a["cue_end"])
        if a["speaker_start"] is not None:
            out.stylize(KIND_STYLES.get(a["kind"], "bold"), a["speaker_start"], a["speaker_end"])
    return out


def _line(n: int, a: dict[str, Any]) -> Text:
    """One attribution as a line: who (as written → resolved, role), kind, cue, and what was said."""
    out = Text(f"{n:>2}. ")
    who = a["speaker_name"] or a["speaker"] or "?"
    if a["speaker"] and a["speaker_name"] and a["speaker"] != a["speaker_name"]:
        who = f"{a['speaker']} → {a['speaker_name']}"
    out.append(who, style=KIND_STYLES.get(a["kind"], "bold"))
    if a["role"]:
        out.append(f" ({a['role']})")
    out.append(f"  [{a['kind']}]  ", style="dim")
    out.append(a["cue"] or "(continues)", style="bold red")
    out.append(f"  {'“' + a['content'] + '”' if a['direct'] else a['content']}")
    return out


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("quotes")
    def quotes_cmd(
        ref: str = typer.Argument(..., help="Article id or URL."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of the highlighted text."),
    ) -> None:
        """Who said what in one article: each statement, its cue, its speaker (resolved) and sourcing kind."""
        store = common.open_store()
        art = common.article_or_exit(store, ref)
        atts = _ensure(store, art.id)
        if as_json:
            common.print_json({"article_id": art.id, "url": art.url, "attributions": atts})
            return
        common.console.print(f"[bold]{art.title}[/bold]  [dim]{art.url}[/dim]\n")
        common.console.print(highlighted(art.text, atts))
        common.console.print()
        for n, a in enumerate(atts, 1):
            common.console.print(_line(n, a))

    @app.command("speakers")
    def speakers_cmd(
        site: str = typer.Option(None, "--site", help="Only articles of this site (registered domain)."),
        limit: int = typer.Option(20, "--limit", min=1, help="How many speakers."),
        offset: int = typer.Option(0, "--offset", min=0, help="Skip this many."),
        named: bool = typer.Option(False, "--named", help="Only named speakers: leave out the unnamed groups "
                                                          "(anonymous sources, documents)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Who is quoted most, and on which sites (run after `newstrace quotes-update`). Quotes whose speaker has
        no name are counted as one group per sourcing kind ("anonymous": "officials said", "sources say")."""
        store = common.open_store()
        site = common.site_option(site)
        rows = store.top_speakers(site=site, limit=limit, named_only=named, offset=offset)
        if as_json:
            common.print_json(rows)
            return
        if not rows:
            common.console.print("no quotes found: run `newstrace quotes-update` first" if not site else
                                 f"no quotes found on {escape(site)}")
            return
        table = Table("speaker", "kind", "attributions", "articles", "sites", "top sites")
        for r in rows:
            who = escape(r["speaker"]) if r["named"] else f"[dim](unnamed: {escape(r['kind'])})[/dim]"
            table.add_row(who, r["kind"], str(r["attributions"]), str(r["articles"]), str(r["sites"]),
                          escape(", ".join(f"{s['site']} ({s['attributions']})" for s in r["top_sites"])))
        common.console.print(table)

    @app.command("quote-trail")
    def quote_trail_cmd(
        query: str = typer.Argument(..., help="A quote id, or words of the quote to search for."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Where a quote first appeared, every later appearance, and how it was changed or re-attributed."""
        store = common.open_store()
        if query.isdigit():
            trail = store.quote_trail(int(query))
            trails = [trail] if trail else []
        else:
            trails = [t for t in (store.quote_trail(q["id"]) for q in store.search_quotes(query, limit=5)) if t]
        if not trails:
            common.err_console.print(f"[red]error:[/red] no quote trail matches {query!r} "
                                     "(trails need the quote in two or more articles; run `newstrace quotes-update`)")
            raise typer.Exit(1)
        if as_json:
            common.print_json(trails if not query.isdigit() else trails[0])
            return
        for t in trails:
            who = escape(t["speaker_name"] or "speaker not named")
            common.console.print(f"\n[bold]quote {t['id']}[/bold]: “{escape(t['content'])}” — {who}")
            table = Table("", "published", "site", "article", "speaker", "similarity")
            for app_ in t["appearances"]:
                table.add_row("first" if app_["ord"] == 0 else "", app_["published_at"] or "?", escape(app_["site"]),
                              str(app_["article_id"]), escape(app_["speaker_name"] or ""),
                              f"{app_['similarity']:.2f}")
            common.console.print(table)
            for c in t["changes"]:
                if c["kind"] == "speaker":
                    common.console.print(f"  article {c['article_id']}: re-attributed "
                                         f"{c['speaker_before']} → [bold red]{c['speaker_after']}[/bold red]")
                else:
                    common.console.print(f"  article {c['article_id']}: [red]-{' / '.join(c['removed'])}[/red] "
                                         f"[green]+{' / '.join(c['added'])}[/green]")

    @app.command("quotes-update")
    def quotes_update_cmd() -> None:
        """Extract attributions for articles not read yet, then rebuild the quote trails."""
        from ..quotes.runner import update

        store = common.open_store()
        report = update(store)
        common.console.print(f"{report.articles} articles read ({report.skipped} already done), "
                             f"{report.attributions} attributions, {report.trails} quotes in 2+ articles")
        for e in report.errors:
            common.err_console.print(f"[red]error:[/red] {e}")
        if report.errors:
            raise typer.Exit(1)
