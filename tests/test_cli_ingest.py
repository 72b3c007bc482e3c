"""The ingest and read commands end to end: local HTTP pages and feeds, JSON output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from localserver import serve
from newstrace.cli import app
from pages import page, write_corpus

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str]:
    res = runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)
    return res.exit_code, res.stdout


def test_ingest_list_show_stats_errors_json(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    write_corpus(tmp_path / "pages", 4)
    (tmp_path / "pages" / "empty.htm").write_bytes(b"")
    code, out = run(db, "ingest", str(tmp_path / "pages"), "--json", "--workers", "1")
    report = json.loads(out)
    assert code == 1  # one input failed, and the exit status says so
    assert report["new"] == 4 and [e["kind"] for e in report["errors"]] == ["empty"]
    code, out = run(db, "articles", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    code, out = run(db, "show", str(rows[0]["id"]), "--json")
    shown = json.loads(out)
    assert shown["url"] == rows[0]["url"] and shown["published_source"] == "metadata" and shown["paragraphs"]
    code, out = run(db, "show", "https://nowhere.example/x")
    assert code == 1
    code, out = run(db, "stats", "--json")
    assert json.loads(out)["articles"] == 4
    code, out = run(db, "errors", "--json")
    assert [e["kind"] for e in json.loads(out)] == ["empty"]
    word = rows[0]["title"].split()[2]
    code, out = run(db, "articles", "--search", word, "--json")
    assert rows[0]["id"] in [r["id"] for r in json.loads(out)]


def test_ingest_urls_and_feed_from_local_server(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    paras = ["The harbour council met on Tuesday to discuss the winter budget for the northern villages.",
             "Farmers asked the ministry to repair the railway bridge before the festival season begins."]
    with serve({"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}) as server:
        routes = server.routes
        for i in range(2):
            routes[f"/story-{i}"] = page(server.url(f"/story-{i}"), f"Local story {i}", [f"{p} ({i})" for p in paras])
        items = "".join(
            f"<item><title>Local story {i}</title><link>{server.url(f'/story-{i}')}</link>"
            f"<pubDate>Tue, 21 May 2024 10:0{i}:00 GMT</pubDate></item>" for i in range(2))
        routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"},
                               f"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>{items}"
                               "</channel></rss>".encode())
        # Without --allow-private, loopback is refused with a specific reason.
        code, out = run(db, "ingest", server.url("/story-0"), "--json")
        assert code == 1 and json.loads(out)["errors"][0]["kind"] == "private-address"
        code, out = run(db, "ingest", server.url("/story-0"), "--allow-private", "--json", "--rate-limit", "100")
        assert code == 0 and json.loads(out)["new"] == 1, out
        code, out = run(db, "ingest", server.url("/feed.xml"), "--kind", "feed", "--fetch-pages", "--allow-private",
                        "--json", "--rate-limit", "100")
        rep = json.loads(out)
        assert code == 0, rep
    code, out = run(db, "articles", "--json")
    titles = sorted(r["title"] for r in json.loads(out))
    assert titles[:2] == ["Local story 0", "Local story 1"]


def _one_page(tmp_path: Path) -> Path:
    """A folder holding one page of www.one.example."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "a.html").write_text(page("https://www.one.example/a", "One page", ["A paragraph long enough, " * 5]),
                                   encoding="utf-8")
    return folder


def test_read_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    """A mistyped --db path is an error, not a new empty database answering "no article 5"."""
    typo = tmp_path / "nodir" / "typo.db"
    for args in (["stats"], ["trace", "5"], ["articles"], ["sites"], ["ratings", "list"], ["claims", "top"]):
        r = runner.invoke(app, ["--db", str(typo), *args])
        assert r.exit_code == 2 and "no database at" in " ".join(r.output.split()), (args, r.output)
    assert not typo.exists() and not typo.parent.exists()
    folder = _one_page(tmp_path)
    r = runner.invoke(app, ["--db", str(tmp_path / "new.db"), "ingest", str(folder)])
    assert r.exit_code == 0, r.output  # writing commands create it
    assert runner.invoke(app, ["--db", str(tmp_path / "new.db"), "stats"]).exit_code == 0


def test_bad_options_are_clear_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "o.db")
    folder = _one_page(tmp_path)
    r = runner.invoke(app, ["--db", db, "ingest", "--kind", "bogus", str(folder)])
    assert r.exit_code == 2 and "unknown kind 'bogus'" in r.output and "Traceback" not in r.output
    assert runner.invoke(app, ["--db", db, "ingest", str(folder)]).exit_code == 0
    again = runner.invoke(app, ["--db", db, "ingest", str(folder)])
    assert "1 inputs unchanged since they were ingested: skipped" in " ".join(again.output.split())
    for flag in ("--since", "--until"):
        r = runner.invoke(app, ["--db", db, "articles", flag, "yesterday"])
        assert r.exit_code == 2 and "is not a date" in r.output
    assert "One page" in runner.invoke(app, ["--db", db, "articles", "--since", "2024-05-01",
                                             "--until", "2024-05-01"]).output
    r = runner.invoke(app, ["--db", db, "compare", "1", "1"])
    assert r.exit_code == 2 and "two different articles" in r.output


def test_site_and_language_filters_take_what_users_type(tmp_path: Path) -> None:
    db = str(tmp_path / "f.db")
    folder = _one_page(tmp_path)
    assert runner.invoke(app, ["--db", db, "ingest", str(folder)]).exit_code == 0
    for site in ("one.example", "https://www.One.example/news", "WWW.ONE.EXAMPLE"):
        rows = json.loads(runner.invoke(app, ["--db", db, "articles", "--site", site, "--json"]).output)
        assert [r["title"] for r in rows] == ["One page"], site
    assert json.loads(runner.invoke(app, ["--db", db, "articles", "--json"]).output)[0]["language"] == "en"
    rows = json.loads(runner.invoke(app, ["--db", db, "articles", "--lang", "EN", "--json"]).output)
    assert len(rows) == 1
