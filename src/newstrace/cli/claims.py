"""Commands for already fact-checked claims: load sets, match articles' sentences against them, show matches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from .common import article_or_exit, console, err_console, load_sets, open_store, print_json


def register(app: typer.Typer) -> None:
    claims = typer.Typer(help="Already fact-checked claims (CLEF CheckThat!, ClaimReview exports, any CSV/TSV/JSONL "
                              "with a claim column): load sets, find the articles repeating their claims.",
                         no_args_is_help=True)
    app.add_typer(claims, name="claims")

    @claims.command("load")
    def load(files: list[Path] = typer.Argument(..., help="CSV, TSV, JSON or JSONL fact-check sets."),
             name: str = typer.Option(None, "--name", help="The set's name (default: the file's name without its "
                                                           "extension). Loading a name again replaces it."),
             show_skipped: int = typer.Option(5, "--show-skipped", min=0,
                                              help="How many skipped rows to list per file.")) -> None:
        """Load fact-check sets. Rows without a usable claim are listed and skipped; a file that is no set is
        reported and the other files still load. Then run `newstrace claims match`."""
        from ..claims import ClaimsError, read_claims

        def save(store: Any, cf: Any, source: str) -> str:
            return f"{escape(cf.name)}: {store.load_claims(cf, source):,} claims; {len(cf.skipped):,} rows skipped"

        load_sets(files, name, read_claims, (ClaimsError,), save, show_skipped)

    @claims.command("list")
    def list_sets(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The fact-check sets loaded."""
        sets = open_store().fact_check_sets()
        if as_json:
            print_json(sets)
            return
        if not sets:
            console.print("no fact-check sets loaded: `newstrace claims load FILE`")
            return
        t = Table("set", "claims", "loaded", "from")
        for s in sets:
            t.add_row(escape(s["name"]), f"{s['claims']:,}", s["loaded_at"][:16], escape(s["source"] or ""))
        console.print(t)

    @claims.command("remove")
    def remove(name: str = typer.Argument(..., help="The set's name, as `claims list` shows it.")) -> None:
        """Forget a fact-check set and the matches against it."""
        if not open_store().remove_claims(name):
            err_console.print(f"[red]error:[/red] no fact-check set {escape(repr(name))}")
            raise typer.Exit(1)
        console.print(f"removed {escape(name)}")

    @claims.command("match")
    def match(progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
              as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
        """Match the sentences of every article not matched yet against the sets loaded now (incremental: loading
        or replacing a set makes every article due again; an interrupted run resumes)."""
        from rich.progress import Progress

        from ..claims import update_matches

        store = open_store()
        if not store.fact_check_sets():
            err_console.print("[red]error:[/red] no fact-check sets loaded: `newstrace claims load FILE` first")
            raise typer.Exit(1)
        if progress and not as_json:
            with Progress(console=err_console, transient=True) as bar:
                task = bar.add_task("articles", total=None)
                report = update_matches(store, progress=lambda d, t: bar.update(task, completed=d, total=t))
        else:
            report = update_matches(store)
        if as_json:
            print_json(report)
            return
        console.print(f"{report.articles:,} articles matched against {report.claims:,} claims "
                      f"({report.sets} sets): {report.matched:,} repeat at least one claim, "
                      f"{report.matches:,} matches")
        for e in report.errors[:10]:
            err_console.print(f"[yellow]skipped[/yellow] {escape(e)}")

    @claims.command("show")
    def show(ref: str = typer.Argument(..., help="An article id or URL."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The fact-checked claims an article repeats, each with its sentence and the fact-check's verdict."""
        store = open_store()
        art = article_or_exit(store, ref)
        rows = store.claim_matches_for(art.id)
        for r in rows:
            s, e = r["sentence_start"], r["sentence_end"]
            r["sentence"] = art.title if s < 0 else art.text[s:e]
        if as_json:
            print_json({"article_id": art.id, "matches": rows})
            return
        if not rows:
            sets = store.fact_check_sets()
            console.print(f"article {art.id} repeats no fact-checked claim" if sets else
                          "no fact-check sets loaded: `newstrace claims load FILE`, then `newstrace claims match`")
            return
        for r in rows:
            verdict = f" · [bold]{escape(r['verdict'])}[/bold]" if r["verdict"] else ""
            console.print(f"[bold]{escape(r['claim'][:200])}[/bold]{verdict} · {escape(r['set_name'])} "
                          f"#{escape(r['ext_id'])} · {r['coverage']:.0%} of its words")
            where = "headline" if r["sentence_start"] < 0 else "sentence"
            console.print(f"  {where}: {escape(r['sentence'][:300])}", style="dim")
            if r["url"]:
                console.print(f"  {escape(r['url'])}", style="dim")

    @claims.command("top")
    def top(limit: int = typer.Option(20, "--limit", min=1),
            as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The fact-checked claims the most articles repeat."""
        store = open_store()
        rows = store.top_matched_claims(limit)
        if as_json:
            print_json(rows)
            return
        if not rows:
            console.print("no article repeats a fact-checked claim" if store.fact_check_sets() else
                          "no fact-check sets loaded: `newstrace claims load FILE`, then `newstrace claims match`")
            return
        t = Table("articles", "claim", "verdict", "set")
        for r in rows:
            t.add_row(str(r["articles"]), escape(r["claim"][:120]), escape(r["verdict"] or ""),
                      escape(f"{r['set_name']} #{r['ext_id']}"))
        console.print(t)
