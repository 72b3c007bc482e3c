"""The `newstrace` command: thin wrappers that parse arguments and call importable code.

Each concern registers its commands from its own module (`cli/ingest.py`, `cli/reuse.py`...).
"""

from __future__ import annotations

import typer

from . import claims, common, demo, ingest, provenance, quotes, ratings, reuse, synth, web

app = typer.Typer(
    name="newstrace",
    help="Trace news stories back to their sources: who copied whom, with or without credit, and who said what.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(
    db: str = typer.Option(None, "--db", envvar="NEWSTRACE_DB",
                           help="Database: a SQLite path (default ./newstrace.db) or a SQLAlchemy URL."),
    config: str = typer.Option(None, "--config", envvar="NEWSTRACE_CONFIG", help="A TOML settings file."),
) -> None:
    common.STATE.db = db
    common.STATE.config = config


for _module in (ingest, synth, reuse, provenance, quotes, ratings, claims, web, demo):
    _module.register(app)


def main() -> None:
    app()
