"""Commands for published domain rating sets: load them, list them, look a site up, forget a set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from ..ratings import describe
from .common import console, err_console, load_sets, open_store, print_json


def register(app: typer.Typer) -> None:
    ratings = typer.Typer(help="Published domain rating sets (Lin et al. 2023, OpenSources, any CSV with a domain "
                               "column): load them, then see them on sites.", no_args_is_help=True)
    app.add_typer(ratings, name="ratings")

    @ratings.command("load")
    def load(files: list[Path] = typer.Argument(..., help="CSV or TSV rating sets."),
             name: str = typer.Option(None, "--name", help="The set's name (default: the file's name without "
                                                           "its extension). Loading a name again replaces it."),
             show_skipped: int = typer.Option(5, "--show-skipped", min=0,
                                              help="How many skipped rows to list per file.")) -> None:
        """Load rating sets. Rows naming no usable domain are listed and skipped; a file that is no rating set
        is reported and the other files still load."""
        from ..ratings import RatingsError, read_ratings

        def save(store: Any, rated: Any, source: str) -> str:
            n = store.load_ratings(rated, source)
            score = f", score from {rated.score_column!r}" if rated.score_column else ", labels only"
            return (f"{escape(rated.name)}: {n:,} domains ({rated.kind}{escape(score)}); "
                    f"{len(rated.skipped):,} rows skipped")

        load_sets(files, name, read_ratings, (RatingsError,), save, show_skipped)

    @ratings.command("list")
    def list_sets(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The rating sets loaded, with their sizes and sources."""
        sets = open_store().rating_sets()
        if as_json:
            print_json(sets)
            return
        if not sets:
            console.print("no rating sets loaded: `newstrace ratings load FILE`")
            return
        t = Table("set", "domains", "read as", "score", "loaded", "from")
        for s in sets:
            t.add_row(escape(s["name"]), f"{s['domains']:,}", s["kind"], escape(s["score_column"] or "-"),
                      s["loaded_at"][:16], escape(s["source"] or ""))
        console.print(t)

    @ratings.command("show")
    def show(domains: list[str] = typer.Argument(..., help="Domains or URLs."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """What each loaded set says of these domains (a subdomain takes its parent's rating when it has none)."""
        from ..ratings import normalise_domain

        store = open_store()
        keys = {d: normalise_domain(d) for d in domains}
        bad = [d for d, k in keys.items() if k is None]
        if bad:
            err_console.print(f"[red]error:[/red] not a domain name: {escape(', '.join(bad))}")
            raise typer.Exit(2)
        found = store.ratings_for(k for k in keys.values() if k)
        if as_json:
            print_json({d: found.get(k or "", []) for d, k in keys.items()})
            return
        if not store.rating_sets():
            console.print("no rating sets loaded: `newstrace ratings load FILE`")
            return
        for d, k in keys.items():
            rows = found.get(k or "", [])
            if not rows:
                console.print(f"[bold]{escape(d)}[/bold]: not rated by any loaded set")
                continue
            console.print(f"[bold]{escape(d)}[/bold]:")
            for r in rows:
                via = f" (as {r['rated_domain']})" if r["rated_domain"] != k else ""
                console.print(f"  {escape(describe(r))}{escape(via)}")
                notes = "; ".join(f"{key}: {v}" for key, v in r["fields"].items())
                if notes:
                    console.print(f"    {escape(notes[:300])}", style="dim")

    @ratings.command("remove")
    def remove(name: str = typer.Argument(..., help="The set's name, as `ratings list` shows it.")) -> None:
        """Forget a rating set."""
        if not open_store().remove_ratings(name):
            err_console.print(f"[red]error:[/red] no rating set {escape(repr(name))}")
            raise typer.Exit(1)
        console.print(f"removed {escape(name)}")
