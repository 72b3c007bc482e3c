"""`newstrace demo` (the whole pipeline on a generated corpus) and `newstrace analyse`."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import typer
from rich.markup import escape
from rich.panel import Panel

from .common import STATE, console, err_console, open_store, print_json, settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("demo")(demo_cmd)
    app.command("analyse")(analyse_cmd)


def analyse_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Recompute everything instead of only what is new."),
    workers: int = typer.Option(None, "--workers", "-w", help="Processes (default: one per core)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Run every analysis after an ingest: reuse, then provenance, then quotes (incremental)."""
    from ..pipeline import analyse

    cfg = settings(workers=workers)
    store = open_store()
    say = (lambda _line: None) if as_json else (lambda line: console.print(f"[bold]→[/bold] {line}"))
    report = analyse(store, workers=cfg["workers"], rebuild=rebuild, say=say)
    if as_json:
        print_json({"seconds": round(report.seconds, 2), "steps": report.steps})
    else:
        console.print(f"Done in {report.seconds:.1f} s.")


def demo_cmd(
    articles: int = typer.Option(3000, "--articles", "-n", help="How many synthetic articles to generate."),
    seed: int = typer.Option(7, "--seed", help="Seed of the synthetic corpus."),
    out: Path = typer.Option(None, "--out", help="Folder for the generated corpus (default: a temporary folder)."),
    workers: int = typer.Option(None, "--workers", "-w", help="Processes (default: one per core)."),
    keep: bool = typer.Option(False, "--keep", help="Keep the generated corpus when using a temporary folder."),
) -> None:
    """Generate a synthetic news ecosystem, ingest it, run every analysis, and show where to look next.

    The corpus is invented (no real articles) but has the shape of the real thing: wire stories
    copied by newspapers, blogs and aggregators, with and without credit, quoting named and
    anonymous sources. Its ground truth is written beside it as truth.jsonl.
    """
    from ..ingest import ingest
    from ..pipeline import analyse
    from ..sources import SourceOptions
    from ..synth import SynthConfig, generate

    cfg = settings(workers=workers)
    t0 = time.perf_counter()
    tmp = out is None
    folder = Path(tempfile.mkdtemp(prefix="newstrace-demo-")) if tmp else out
    corpus = folder / "corpus"
    store = open_store(create=True)
    if store.article_count():
        console.print(f"[yellow]Note:[/yellow] the database already holds {store.article_count()} articles; "
                      "the demo adds to it (re-running is idempotent).")
    try:
        if (corpus / "truth.jsonl").is_file():
            console.print(f"[bold]1/3[/bold] Using the corpus already generated in {escape(str(corpus))}")
        else:
            console.print(f"[bold]1/3[/bold] Generating {articles} synthetic articles in {escape(str(corpus))} …")
            summary = generate(SynthConfig(articles=articles, seed=seed), corpus)
            console.print(f"    {summary.articles} articles on {summary.sites} sites, ground truth in truth.jsonl")
        console.print("[bold]2/3[/bold] Ingesting the HTML pages …")
        rep = ingest([str(corpus / "html")], store, SourceOptions(), workers=cfg["workers"],
                     batch_size=cfg["batch_size"], progress=True)
        console.print(f"    {rep.new} new articles, {rep.duplicates} already stored, {len(rep.errors)} errors "
                      f"({rep.documents / max(rep.seconds, 1e-9):.0f} pages/s)")
        console.print("[bold]3/3[/bold] Analysing …")
        analyse(store, workers=cfg["workers"], say=lambda line: console.print(f"    {line}"))
    finally:
        if tmp and not keep:
            shutil.rmtree(folder, ignore_errors=True)
    _guide(store, time.perf_counter() - t0)


def _guide(store, seconds: float) -> None:  # type: ignore[no-untyped-def]
    stats = store.stats()
    lines = [f"{stats['articles']} articles from {stats['sites']} sites: generated, ingested and analysed in "
             f"{seconds:.0f} s."]
    try:
        rs = store.reuse_stats()
        lines.append(f"Reuse: {rs.get('pairs', 0)} article pairs share {rs.get('passages', 0)} passages.")
    except Exception as exc:  # the demo still guides when one analysis is missing
        err_console.print(f"reuse statistics unavailable: {exc}")
    stories = store.list_stories(order="size", limit=3)
    if stories:
        top = stories[0]
        lines.append(f"{store.story_count()} stories; the largest has {top['size']} articles, "
                     f"starting with “{escape(top['root_title'][:70])}”.")
    console.print(Panel("\n".join(lines), title="newstrace demo", expand=False))
    if not stories:
        return
    nt = "newstrace" + (f" --db {STATE.db}" if STATE.db else "")
    steps = [
        (f"{nt} trace {stories[0]['root_id']}", "the republication tree of that story"),
        (f"{nt} stories", "the largest and fastest-spreading stories"),
        (f"{nt} sites", "who copies whom, with or without credit"),
        (f"{nt} speakers", "who is quoted most"),
        (f"{nt} serve", "all of it in your browser, at http://127.0.0.1:8000"),
    ]
    console.print("Where to look next:")
    for command, what in steps:  # soft wrap: commands stay whole, ready to copy
        console.print(f"  [dim]# {what}[/dim]", soft_wrap=True)
        console.print(f"  [bold]{escape(command)}[/bold]", soft_wrap=True)
