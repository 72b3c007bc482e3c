"""Commands for text reuse: `reuse` (find it), `copies` (who shares text with one article), `compare`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..models import Passage
from ..reuse.params import DEFAULT_CHUNK
from . import common


def _params(mode: str, min_words: int | None, excerpt_words: int | None = None,
            linked_words: int | None = None, df_cap: int | None = None, df_hubs: int | None = None) -> Any:
    from ..reuse.params import ReuseParams

    if mode not in ("copy", "derived"):
        common.err_console.print(f"[red]error:[/red] --mode must be copy or derived, not {mode!r}")
        raise typer.Exit(2)
    p = ReuseParams.derived() if mode == "derived" else ReuseParams()
    if min_words:
        p = p.with_(min_words=min_words, min_extra_words=min(p.min_extra_words, min_words),
                    linked_words=min(p.linked_words, min_words))
    if excerpt_words is not None:
        p = p.with_(excerpt_words=excerpt_words)
    if linked_words is not None:
        p = p.with_(linked_words=linked_words)
    if df_cap is not None:
        p = p.with_(df_cap=df_cap, df_hubs=min(p.df_hubs, df_cap))
    if df_hubs is not None:
        p = p.with_(df_hubs=df_hubs)
    try:
        p.validate()
    except ValueError as exc:
        common.err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    return p


def reuse_cmd(
    rebuild: bool = typer.Option(False, "--rebuild", help="Forget earlier results and recompute everything."),
    workers: int = typer.Option(None, "--workers", "-w", help="Processes to use (default: one per CPU core)."),
    mode: str = typer.Option("copy", "--mode",
                             help="copy: verbatim and lightly edited copies; derived: looser, for rewritten text."),
    min_words: int = typer.Option(None, "--min-words", help="Shortest passage reported, in words."),
    excerpt_words: int = typer.Option(None, "--excerpt-words", min=0,
                                      help="Shortest whole sentence kept word for word that pairs two sites on its "
                                           "own (default 12; 0 switches excerpts off)."),
    linked_words: int = typer.Option(None, "--linked-words", min=0,
                                     help="Shortest passage that pairs two pages when one links to the other in a "
                                          "credit line, or kept its headline (default 6; 0 switches this off)."),
    df_cap: int = typer.Option(None, "--df-cap", min=2,
                               help="Pages holding one fingerprint that all pair with each other (default 100)."),
    df_hubs: int = typer.Option(None, "--df-hubs", min=0,
                                help="Beyond --df-cap, the first pages holding a fingerprint that each later one "
                                     "pairs with (default 10; 0: later pages pair with none, so a text on more "
                                     "sites than --df-cap is found on its first --df-cap pages only)."),
    chunk_size: int = typer.Option(DEFAULT_CHUNK, "--chunk-size", min=1,
                                   help="New articles per step (each committed on its own; bounds memory)."),
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Find passages that articles share (incremental: only articles added since the last run)."""
    from ..reuse.runner import run_reuse

    params = _params(mode, min_words, excerpt_words, linked_words, df_cap, df_hubs)
    n_workers = common.settings(workers=workers)["workers"]
    store = common.open_store()
    try:
        if as_json:
            report = run_reuse(store, params, n_workers, rebuild, chunk_size=chunk_size)
            common.print_json(report.as_dict())
            return
        with Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=common.console, transient=False) as bar:
            tasks: dict[str, Any] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))  # stages recur once per chunk

            report = run_reuse(store, params, n_workers, rebuild, progress, chunk_size)
    finally:
        store.close()
    if report.noop:
        common.console.print("Nothing new since the last run: reuse results are up to date.")
        return
    common.console.print(
        f"{report.new_articles} new articles, {report.redone_articles} redone "
        f"({len(report.sites_remarked)} sites re-marked): {report.candidates} candidate pairs, "
        f"{report.pairs} pairs sharing text, {report.passages} passages in {report.seconds:.1f} s."
    )


def copies_cmd(
    ref: str = typer.Argument(..., help="Article id or URL."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Articles sharing text with one article: coverage both ways, dates and sites."""
    with common.open_store() as store:
        art = common.article_or_exit(store, ref)
        rows = store.text_shared_with(art.id)
    this = {"id": art.id, "url": art.url, "site": art.site, "title": art.title,
            "published": art.published.isoformat() if art.published else None}
    if as_json:
        common.print_json({"article": this, "copies": rows})
        return
    common.console.print(f"[bold]{art.title}[/bold]  {art.site}  {this['published'] or 'date unknown'}\n{art.url}")
    if not rows:
        common.console.print("No other article shares text with this one (has `newstrace reuse` been run?).")
        return
    t = Table(show_lines=False)
    for col in ("id", "site", "published", "this→", "←other", "words", "url"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(str(r["article_id"]), r["site"] or "", (r["published"] or "")[:16],
                  f"{r['coverage_this']:.0%}", f"{r['coverage_other']:.0%}", str(r["shared_words"]), r["url"] or "")
    common.console.print(t)
    common.console.print("this→: share of this article found in the other; ←other: share of the other found here.")


def _styled(text: str, start: int, end: int, marks: list[str], style: str,
            boilerplate: list[tuple[int, int]]) -> Text:
    """A slice of text with edited words and boilerplate styled."""
    out = Text(text[start:end])
    for s, e in boilerplate:
        lo, hi = max(s, start), min(e, end)
        if hi > lo:
            out.stylize("dim", lo - start, hi - start)
    pos = 0
    body = text[start:end]
    for m in marks:
        if not m:
            continue
        k = body.find(m, pos)
        if k >= 0:
            out.stylize(style, k, k + len(m))
            pos = k + len(m)
    return out


def _passage_json(p: Passage, a_text: str, b_text: str) -> dict[str, Any]:
    d = asdict(p)
    d["a_text"] = a_text[p.a_start:p.a_end]
    d["b_text"] = b_text[p.b_start:p.b_end]
    return d


def compare_cmd(
    a_ref: str = typer.Argument(..., help="First article: id or URL."),
    b_ref: str = typer.Argument(..., help="Second article: id or URL."),
    as_json: bool = typer.Option(False, "--json", help="Print passages and edits as JSON."),
) -> None:
    """Two articles side by side: shared passages aligned, edits highlighted, boilerplate dimmed."""
    with common.open_store() as store:
        a = common.article_or_exit(store, a_ref)
        b = common.article_or_exit(store, b_ref)
        if a.id == b.id:
            common.err_console.print("[red]error:[/red] compare needs two different articles")
            raise typer.Exit(2)
        passages = store.passages_between(a.id, b.id)
        pair = store.pair(a.id, b.id)
        bp = store.boilerplate_ranges([a.id, b.id])
    at, bt = a.text, b.text
    if as_json:
        common.print_json({
            "a": {"id": a.id, "url": a.url, "site": a.site, "title": a.title},
            "b": {"id": b.id, "url": b.url, "site": b.site, "title": b.title},
            "pair": asdict(pair) if pair else None,
            "passages": [_passage_json(p, at, bt) for p in passages],
            "boilerplate": {str(a.id): bp[a.id], str(b.id): bp[b.id]},
        })
        return
    t = Table(show_lines=True, expand=True)
    t.add_column(f"[{a.id}] {a.site}: {a.title}", ratio=1, overflow="fold")
    t.add_column(f"[{b.id}] {b.site}: {b.title}", ratio=1, overflow="fold")
    # what only the second article has (its intro, its dateline, its commentary) is shown beside the first's
    # text where it stands in the second: before the first passage that follows it
    covered = sorted((p.b_start, p.b_end) for p in passages)
    b_rest, q = [], 0
    for s, e in covered:
        if s > q and bt[q:s].strip():
            b_rest.append((q, s))
        q = max(q, e)
    if bt[q:].strip():
        b_rest.append((q, len(bt)))

    def b_before(limit: int) -> Text:
        out = []
        while b_rest and b_rest[0][1] <= limit:
            s, e = b_rest.pop(0)
            out.append(bt[s:e].strip())
        return Text("\n".join(out), style="dim")

    pos = 0
    for p in passages:
        a_gap = at[pos:p.a_start].strip("\n") if p.a_start > pos and at[pos:p.a_start].strip() else ""
        b_gap = b_before(p.b_start)
        if a_gap or b_gap.plain:
            t.add_row(Text(a_gap, style="dim"), b_gap)
        t.add_row(
            _styled(at, p.a_start, p.a_end, [e.a_text for e in p.edits if e.a_text], "bold red", bp[a.id]),
            _styled(bt, p.b_start, p.b_end, [e.b_text for e in p.edits if e.b_text], "bold green", bp[b.id]),
        )
        pos = max(pos, p.a_end)
    b_tail = b_before(len(bt) + 1)
    if at[pos:].strip() or b_tail.plain:
        t.add_row(Text(at[pos:].strip("\n"), style="dim"), b_tail)
    common.console.print(t)
    if pair:
        cov_a, cov_b = (pair.coverage_a, pair.coverage_b) if a.id < b.id else (pair.coverage_b, pair.coverage_a)
        common.console.print(
            f"{pair.passages} shared passages, {pair.shared_words} words; {cov_a:.0%} of [{a.id}] and {cov_b:.0%} "
            f"of [{b.id}]; "
            "[bold red]red[/bold red]: changed in the first, [bold green]green[/bold green]: in the second."
        )
    elif a.language and b.language and a.language != b.language:
        common.console.print(f"These two articles are in different languages ({a.language}, {b.language}): reuse "
                             "aligns text within one language. A translation is joined to what it translates by "
                             "its credit line (see `newstrace trace`).")
    else:
        common.console.print("These two articles share no passage (has `newstrace reuse` been run?).")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("reuse")(reuse_cmd)
    app.command("copies")(copies_cmd)
    app.command("compare")(compare_cmd)
