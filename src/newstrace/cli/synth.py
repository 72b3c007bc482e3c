"""`newstrace synth`: write a synthetic news corpus with ground truth (thin wrapper over `newstrace.synth`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .common import console, err_console


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("synth")
    def synth(
        out: Path = typer.Argument(..., help="Folder to write the corpus into (must be empty or absent)."),
        articles: int = typer.Option(1000, "--articles", "-n", help="Number of articles."),
        sites: int = typer.Option(None, "--sites", help="Number of sites (default grows with --articles)."),
        seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives byte-identical files."),
        warc: bool = typer.Option(False, "--warc", help="Also write corpus.warc.gz (response records)."),
        jsonl: bool = typer.Option(False, "--jsonl", help="Also write corpus.jsonl."),
        html: bool = typer.Option(True, "--html/--no-html", help="Write one HTML file per article."),
        copy_share: float = typer.Option(0.35, "--copy-share", help="Target share of articles that are copies."),
        edit_intensity: float = typer.Option(0.5, "--edit-intensity",
                                             help="How heavily copies are edited, 0 (verbatim) to 1."),
        credit_rate: float = typer.Option(0.55, "--credit-rate",
                                          help="Chance that a copy adds a credit line of its own."),
        languages: str = typer.Option("en,ru,zh", "--languages",
                                      help="Comma-separated languages (en, ru, zh). English, when listed, "
                                           "has about 76% of the articles; the first gets every kind of site."),
        date_noise: float = typer.Option(0.08, "--date-noise", help="Share of pages whose declared date is skewed."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
    ) -> None:
        """Generate a synthetic news ecosystem: sites, stories copied along chains, credits, quotes, truth."""
        from ..synth import SynthConfig, generate

        cfg = SynthConfig(articles=articles, sites=sites, seed=seed, warc=warc, jsonl=jsonl,
                          copy_share=copy_share, edit_intensity=edit_intensity, credit_rate=credit_rate,
                          languages=tuple(x.strip() for x in languages.split(",") if x.strip()),
                          date_noise=date_noise, html=html)
        try:
            cfg = cfg.validate()
            if quiet:
                summary = generate(cfg, out)
            else:
                with Progress(TextColumn("synth"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              console=err_console, transient=True) as bar:
                    task = bar.add_task("articles", total=articles)
                    summary = generate(cfg, out, progress=lambda n: bar.update(task, completed=n))
        except (ValueError, FileExistsError, RuntimeError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        if not quiet:
            rate = summary.articles / summary.seconds if summary.seconds else 0.0
            console.print(f"wrote {summary.articles} articles ({summary.copies} copies, {summary.translations} "
                          f"translations) from {summary.sites} sites in {summary.stories} stories to {out} "
                          f"in {summary.seconds:.1f} s ({rate:.0f} articles/s)")
            console.print("credit classes: " + ", ".join(f"{k} {v}" for k, v in summary.credit_classes.items()))
            console.print("languages: " + ", ".join(f"{k} {v}" for k, v in summary.languages.items()))
