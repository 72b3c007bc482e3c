"""Commands for provenance: trace, provenance, stories, sites, export (registered by `register`)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..provenance.choice import doubtful
from ..provenance.credit import named_site
from ..provenance.translations import KIND as TRANSLATION
from ..provenance.why import SHOWN as WHY_KINDS
from ..ratings import describe, host_of
from ..store.base import iso, parse_iso
from .common import article_or_exit, console, err_console, open_store, print_json, site_option

CREDIT_LABEL = {
    "origin": "[bold]origin[/bold]",
    "credited": "[green]credited[/green]",
    "intermediary": "[yellow]intermediary only[/yellow]",
    "uncredited": "[red]uncredited[/red]",
}


def _date(value: str | None) -> str:
    return (value or "undated")[:16].replace("T", " ")


def quote_change_line(q: dict[str, Any], width: int = 70) -> str:
    """One quote alteration on an edge, as `trace` prints it."""
    ref = f" (quote #{q['quote_id']})" if q.get("quote_id") else ""
    if q.get("kind") == "speaker":
        return f"re-attributed quote{ref}: {q.get('before')} → {q.get('after')}"
    detail = []
    if q.get("removed"):
        detail.append("cut " + ", ".join(repr(w) for w in q["removed"]))
    if q.get("added"):
        detail.append("added " + ", ".join(repr(w) for w in q["added"]))
    before, after = (str(q.get(k) or "")[:width] for k in ("before", "after"))
    return f"altered quote{ref}: {'; '.join(detail)} — “{before}” → “{after}”"



def uncertain_line(copy: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    """"source uncertain: 55% of the evidence for this source; also fits #812 site (30%)": the other earlier pages
    the copy may as well have been taken from (`provenance.choice`); with many alike, none may reach 10%."""
    alts = ", ".join(f"#{a} {by_id[a]['site'] if a in by_id else '?'} ({share:.0%})"
                     for a, share in copy.get("alternatives") or [])
    rest = f"also fits {alts}" if alts else "the rest is spread over other earlier pages, none with 10%"
    return f"source uncertain: {copy['choice']:.0%} of the evidence for this source; {rest}"


def _copies_cell(row: dict[str, Any]) -> str:
    """"3", or "3 (1 translated, 2 uncertain)" where some copies are translations (they take no aligned
    characters) or have an uncertain source (another page fits them nearly as well: `provenance.choice`)."""
    notes = [f"{n} {what}" for what, n in (("translated", row.get("translations") or 0),
                                           ("uncertain", row.get("uncertain") or 0)) if n]
    return f"{row['copies']} ({', '.join(notes)})" if notes else str(row["copies"])


def _node_label(a: dict[str, Any], copy: dict[str, Any] | None, here: bool,
                by_id: dict[int, dict[str, Any]] | None = None, ratings: list[dict[str, Any]] | None = None) -> str:
    label = CREDIT_LABEL.get(a["credit"], "")
    if not copy and a["credit"] == "credited":
        label += " (names a source outside this story)"
    site = f"[bold]{escape(a['site'])}[/bold]"
    if ratings:  # what published rating sets say of the site (`newstrace ratings load`)
        site += f" [dim](rated {escape('; '.join(describe(r) for r in ratings))})[/dim]"
    parts = [site, _date(a.get("published_at")), label]
    if copy:
        if copy.get("kind") != TRANSLATION:  # a translation says "translated (en → ru)" under `changed`
            parts.append(f"{copy['coverage']:.0%} copied")
        if copy.get("added"):
            parts.append("added " + ", ".join(copy["added"]))
        if copy.get("removed"):
            parts.append("cut paragraphs")
        if copy.get("changed"):
            parts.append(", ".join(copy["changed"]))
        parts.append(f"confidence {copy['confidence']:.2f}")
    line = " · ".join(p for p in parts if p)
    line += f"\n[dim]#{a['id']} {escape((a.get('title') or '')[:90])}[/dim]"
    for q in (copy or {}).get("quote_changes") or []:
        line += "\n[yellow]" + escape(quote_change_line(q)) + "[/yellow]"
    if copy and copy.get("conflict"):
        line += f"\n[magenta]conflict: {escape(copy['conflict'][:160])}[/magenta]"
    if copy and doubtful(copy.get("choice")):
        line += "\n[yellow]" + escape(uncertain_line(copy, by_id or {})) + "[/yellow]"
    for ev in (copy or {}).get("evidence") or []:
        if ev.get("kind") in WHY_KINDS:  # why this page and not its own source (`provenance.why`)
            line += f"\n[cyan]{escape(str(ev.get('detail', ''))[:160])}[/cyan]"
    if here:
        line = "[reverse]▶[/reverse] " + line
    return line


def outside_sources(store: Any, story: dict[str, Any]) -> dict[int, list[str]]:
    """For each root of the story that names a source outside it (a translation crediting the report it
    translated, a rewrite of a page reuse did not pair with it), what it names and where that page is: its
    article id and story when the corpus holds it, else "not in the corpus"."""
    from ..models import Article
    from ..provenance.credit import outside_credits

    members = [Article(url=m["url"], title="", paragraphs=[], site=m["site"], site_name=m.get("site_name"),
                       canonical_url=m.get("canonical_url")) for m in story["articles"]]
    out: dict[int, list[str]] = {}
    names: dict[str, str | None] | None = None
    for m in story["articles"]:
        if m["parent_id"] is not None or m["credit"] not in ("credited", "intermediary"):
            continue
        art = store.get_article(m["id"])
        for st in outside_credits(art, members) if art else []:
            where = "not in the corpus"
            target = store.find_linked(st.url)
            if target is not None and target.id != m["id"]:
                home = store.story_of(target.id)
                lang = f", {target.language}" if target.language else ""
                where = (f"#{target.id} {target.site}{lang}, "
                         + (f"story {home['id']}" if home else "in no story"))
            else:  # no stored page named: which stored site, and its pages just before (leads, not a finding)
                names = store.site_names() if names is None else names
                if (site := named_site(st, names)) is not None:
                    how = "its link is to no stored page" if st.url else "not linked"
                    where = f"{how}; {site} is in the corpus" + _pages_before(store, site, m)
            out.setdefault(m["id"], []).append(
                f"names {st.outlet or st.domain or st.url or '?'} ({st.kind}: “{st.text[:80]}”) → {where}")
    return out


def _pages_before(store: Any, site: str, member: dict[str, Any], hours: int = 72, most: int = 3) -> str:
    """": its pages in the 72 h before: #12 en, 3 h before; …" (the page credited may be one of them)."""
    t = parse_iso(member.get("published_at"))
    if t is None:
        return ""
    rows = [r for r in store.list_articles(site=site, since=iso(t - timedelta(hours=hours)), until=iso(t), limit=501)
            if r["id"] != member["id"] and (pt := parse_iso(r["published_at"])) is not None and pt <= t]
    if not rows:
        return f" (no page of it in the {hours} h before)"
    shown = [f"#{r['id']} {r['language'] or '?'}, {(t - parse_iso(r['published_at'])).total_seconds() / 3600:.0f} h "
             "before" for r in rows[:most]]
    more = f" and {len(rows) - most}{'+' if len(rows) > 500 else ''} more" if len(rows) > most else ""
    return f": its pages in the {hours} h before: " + "; ".join(shown) + more


def render_tree(story: dict[str, Any], highlight: int | None = None, max_copies: int = 0,
                notes: dict[int, list[str]] | None = None,
                ratings: dict[str, list[dict[str, Any]]] | None = None) -> Tree:
    """A story as a rich Tree: root (origin) first, each copy under its main source, earliest first.

    `max_copies` > 0 shows at most that many copies under each page (a wire story run by hundreds of sites would
    fill screens) and counts the rest by credit class; the highlighted article and its chain are always shown.
    `notes` (article id -> lines) are printed under an article (`outside_sources`); `ratings` (a page's host ->
    its ratings, `Store.ratings_for`) follow each site's name.
    """
    main = {(c["source_id"], c["copy_id"]): c for c in story["copies"] if c["main"]}
    secondary: dict[int, list[dict[str, Any]]] = {}
    for c in story["copies"]:
        if not c["main"]:
            secondary.setdefault(c["copy_id"], []).append(c)
    by_id = {a["id"]: a for a in story["articles"]}
    children: dict[int | None, list[dict[str, Any]]] = {}
    for a in story["articles"]:
        parent = a["parent_id"] if a["parent_id"] in by_id else None
        children.setdefault(parent, []).append(a)
    for kids in children.values():
        kids.sort(key=lambda a: (a.get("published_at") or "9999", a["id"]))
    path: set[int] = set()
    at = by_id.get(highlight) if highlight is not None else None
    while at is not None and at["id"] not in path:
        path.add(at["id"])
        at = by_id.get(at["parent_id"]) if at["parent_id"] is not None else None
    title = (f"Story {story['id']}: {story['size']} articles on {story['sites']} sites, "
             f"{_date(story.get('first_published'))} → {_date(story.get('last_published'))}")
    top = Tree(title)

    def size(a: dict[str, Any]) -> int:
        n, stack = 0, [a]
        while stack:
            x = stack.pop()
            n += 1
            stack.extend(children.get(x["id"], []))
        return n

    def add(node: Tree, a: dict[str, Any]) -> None:
        copy = main.get((a["parent_id"], a["id"])) if a["parent_id"] is not None else None
        rated = (ratings or {}).get(host_of(a.get("url")) or a["site"])  # the page's own host: a blog, not its platform
        branch = node.add(_node_label(a, copy, a["id"] == highlight, by_id, rated))
        for line in (notes or {}).get(a["id"], []):
            branch.add(f"[dim]{escape(line)}[/dim]")
        for s in secondary.get(a["id"], []):
            src = by_id.get(s["source_id"])
            branch.add(f"[dim]also took {s['coverage']:.0%} from #{s['source_id']} "
                       f"{escape(src['site'] if src else '?')} ({CREDIT_LABEL.get(s['credit'], s['credit'])})[/dim]")
        kids = children.get(a["id"], [])  # earliest first
        if max_copies and len(kids) > max_copies:
            first = {k["id"] for k in [c for c in kids if c["id"] not in path][:max_copies]}
            shown = [k for k in kids if k["id"] in path or k["id"] in first]
        else:
            shown = kids
        for child in shown:
            add(branch, child)
        shown_ids = {k["id"] for k in shown}
        hidden = [k for k in kids if k["id"] not in shown_ids]
        if hidden:
            classes = Counter(k["credit"] for k in hidden)
            counts = ", ".join(f"{n} {CREDIT_LABEL.get(c, c) or c}" for c, n in classes.most_common())
            below = sum(size(k) for k in hidden) - len(hidden)
            more = f", with {below} copies of their own" if below else ""
            branch.add(f"[dim]… {len(hidden)} more copies of this page ({counts}){more}; "
                       f"--max-copies 0 shows all[/dim]")

    for root in children.get(None, []):
        add(top, root)
    return top


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""

    @app.command("trace")
    def trace(ref: str = typer.Argument(..., help="An article id or URL."),
              max_copies: int = typer.Option(20, "--max-copies", min=0,
                                             help="Copies shown under each page, earliest first (0: all); the "
                                                  "article's own chain is always shown."),
              as_json: bool = typer.Option(False, "--json", help="Print the story as JSON.")) -> None:
        """Show the story tree around an article: who it copied, who copied it, with or without credit."""
        store = open_store()
        art = article_or_exit(store, ref)
        story = store.story_of(art.id)
        if story is None:
            from ..provenance.credit import outside_credits, standalone_credit

            err_console.print(f"article {art.id} is in no story: it shares no text with another article "
                              "(or run `newstrace reuse` and `newstrace provenance` first)")
            named = outside_credits(art, [])
            if named:
                cls, _ = standalone_credit(art, None, *store.site_roles())
                for st in named:
                    err_console.print(f"it credits [bold]{escape(st.outlet or st.domain or st.url or '?')}[/bold] "
                                      f"({st.kind}: “{escape(st.text[:100])}”): a copy of a page not in the corpus")
                if cls == "intermediary":
                    err_console.print("every outlet it names mostly republishes others: an intermediary, not the "
                                      "origin")
            raise typer.Exit(1)
        tree = store.story_tree(story["id"])
        if as_json:
            from ..export import story_json

            print_json({**story_json(tree), "article_id": art.id,
                        "copies_of_article": store.copies_of(art.id)})
            return
        rated = store.ratings_for({host_of(m.get("url")) or m["site"] for m in tree["articles"]})
        console.print(render_tree(tree, highlight=art.id, max_copies=max_copies, notes=outside_sources(store, tree),
                                  ratings=rated))

    @app.command("provenance")
    def provenance(
        rebuild: bool = typer.Option(False, "--rebuild", help="Forget stored stories and recompute all."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    ) -> None:
        """Compute copies (who copied whom) and stories from the reuse results; only changed stories are redone."""
        from rich.progress import Progress

        from ..provenance.runner import update_provenance

        store = open_store()
        try:
            if progress:
                with Progress(console=err_console, transient=True) as bar:
                    task = bar.add_task("stories", total=None)
                    report = update_provenance(store, rebuild=rebuild,
                                               progress=lambda d, t: bar.update(task, completed=d, total=t))
            else:
                report = update_provenance(store, rebuild=rebuild)
        except RuntimeError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        console.print(f"{report.stories} stories: {report.recomputed} computed, {report.unchanged} unchanged, "
                      f"{report.removed} replaced or dropped; {report.copies} copies written")
        for e in report.errors[:20]:
            err_console.print(f"[red]error:[/red] {escape(e)}")
        if report.errors:
            raise typer.Exit(1)

    @app.command("stories")
    def stories(by: str = typer.Option("size", "--by", help="Order: size, speed (fastest spread) or recent."),
                limit: int = typer.Option(20, "--limit", min=1, help="How many stories."),
                offset: int = typer.Option(0, "--offset", min=0, help="Skip this many."),
                as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """List stories: the largest, the fastest-spreading or the newest."""
        store = open_store()
        try:
            rows = store.list_stories(order=by, limit=limit, offset=offset)
        except ValueError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        if as_json:
            print_json(rows)
            return
        t = Table("story", "articles", "sites", "first published", "spread h", "median delay h", "origin")
        for r in rows:
            t.add_row(str(r["id"]), str(r["size"]), str(r["sites"]), _date(r["first_published"]),
                      "" if r["spread_hours"] is None else f"{r['spread_hours']:.1f}",
                      "" if r["median_delay_hours"] is None else f"{r['median_delay_hours']:.1f}",
                      escape(f"#{r['root_id']} {(r['root_title'] or '')[:60]}"))
        console.print(t)
        total = store.story_count()
        if offset + len(rows) < total:
            console.print(f"[dim]stories {offset + 1}–{offset + len(rows)} of {total:,} (--limit, --offset show "
                          "others)[/dim]")

    @app.command("sites")
    def sites(site: str = typer.Option(None, "--site", help="One site's profile (its registered domain)."),
              limit: int = typer.Option(30, "--limit", min=1, help="How many site pairs."),
              offset: int = typer.Option(0, "--offset", min=0, help="Skip this many site pairs."),
              as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """The copying network between sites, or one site's profile: what it copies, from whom, with what credit."""
        store = open_store()
        site = site_option(site)
        if site:
            try:
                prof = store.site_profile(site)
            except KeyError as exc:
                err_console.print(f"[red]error:[/red] {exc.args[0]}")
                raise typer.Exit(1) from exc
            rated = store.ratings_for([site]).get(site, [])
            if as_json:
                print_json({**prof, "ratings": rated})
                return
            console.print(f"[bold]{escape(site)}[/bold]: {prof.get('articles', 0)} articles, "
                          f"{prof.get('copied_share', 0):.0%} of its text copied from other sites")
            if rated:
                console.print("rated: " + escape("; ".join(describe(r) for r in rated)))
            for heading, key in (("copies from", "sources"), ("copied by", "copied_by")):
                t = Table()
                t.add_column(heading, overflow="fold", min_width=18)
                for col in ("copies", "chars", "share", "credited", "interm.", "uncredited", "delay h"):
                    t.add_column(col, justify="right")
                for r in prof[key][:limit]:
                    t.add_row(escape(r["site"]), _copies_cell(r), str(r["chars"]), f"{r['share']:.0%}",
                              f"{r['credited_share']:.0%}", str(r["intermediary"]), str(r["uncredited"]),
                              "" if r["median_delay_hours"] < 0 else f"{r['median_delay_hours']:.1f}")
                console.print(t)
            return
        g = store.site_network()
        edges = sorted(g.edges(data=True), key=lambda e: -e[2]["chars"])[offset:offset + limit]
        if as_json:
            print_json([{"source": u, "copy": v, **a} for u, v, a in edges])
            return
        t = Table("source site", "copying site", "copies", "chars", "credited", "median delay h")
        for u, v, a in edges:
            t.add_row(escape(u), escape(v), _copies_cell(a), str(a["chars"]), f"{a['credited_share']:.0%}",
                      "" if a["median_delay_hours"] < 0 else f"{a['median_delay_hours']:.1f}")
        console.print(t)
        if offset + len(edges) < g.number_of_edges():
            console.print(f"[dim]site pairs {offset + 1}–{offset + len(edges)} of {g.number_of_edges():,}, most "
                          "characters first (--limit, --offset show others)[/dim]")

    @app.command("export")
    def export(what: str = typer.Argument(..., help="network, or story"),
               story_id: str = typer.Argument(None, help="The story id, or the URL of an article in it, for `story`."),
               article: bool = typer.Option(False, "--article",
                                            help="For `story`: the number is an article's id; export its story."),
               fmt: str = typer.Option("gexf", "--format", "-f", help="gexf, graphml, csv or json."),
               output: Path = typer.Option(..., "--output", "-o", help="File to write.")) -> None:
        """Export the site copying network or one story tree as GEXF, GraphML, CSV or JSON."""
        from ..export import FORMATS, add_ratings, write_graph, write_story

        if fmt not in FORMATS:
            err_console.print(f"[red]error:[/red] unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
            raise typer.Exit(2)
        store = open_store()
        try:
            if what == "network":
                g = store.site_network()
                path = write_graph(add_ratings(g, store.ratings_for(g.nodes)), output, fmt)
            elif what == "story":
                if not story_id:
                    err_console.print("[red]error:[/red] `export story` needs a story id")
                    raise typer.Exit(2)
                # a number is a story id (or, with --article, an article's); anything else an article's URL.
                # Story and article ids overlap, so a missing story is never taken for an article silently
                if story_id.isdigit() and not article:
                    tree = store.story_tree(int(story_id))
                    if tree is None:
                        err_console.print(f"[red]error:[/red] no story {story_id}; for the story of article "
                                          f"{story_id}, add --article")
                        raise typer.Exit(1)
                else:
                    art = store.find_article(story_id)
                    st = store.story_of(art.id) if art is not None else None
                    tree = store.story_tree(st["id"]) if st else None
                    if tree is None:
                        what = "no article" if art is None else "article in no story:"
                        err_console.print(f"[red]error:[/red] {what} {story_id!r}")
                        raise typer.Exit(1)
                path = write_story(tree, output, fmt)
            else:
                err_console.print(f"[red]error:[/red] export what? {what!r}: use network or story")
                raise typer.Exit(2)
        except (OSError, ValueError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        console.print(f"wrote {path}")
