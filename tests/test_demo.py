"""`newstrace demo` runs the whole pipeline on a generated corpus and guides the user onwards."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.store import Store


def test_demo_end_to_end_and_rerun_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    args = ["--db", str(db), "demo", "--articles", "150", "--out", str(tmp_path / "d"), "--workers", "1"]
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    assert res.exit_code == 0, res.stdout
    out = " ".join(res.stdout.split())
    assert "Where to look next" in out and "demo.db serve" in out and " trace " in out
    store = Store(db)
    n = store.article_count()
    assert n >= 140
    assert store.story_count() > 0 and store.reuse_stats()["pairs"] > 0
    store.close()
    again = CliRunner().invoke(app, args, catch_exceptions=False)
    assert again.exit_code == 0 and "already generated" in again.stdout
    store = Store(db)
    assert store.article_count() == n
    store.close()
