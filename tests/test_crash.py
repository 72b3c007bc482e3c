"""Crash safety: an ingest killed with SIGKILL at several points loses nothing committed and duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newstrace.ingest import ingest
from newstrace.store import Store
from pages import write_corpus


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def _run(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "newstrace", "--db", str(db), "ingest", str(folder), "--quiet",
           "--workers", "2", "--batch-size", "7"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_mid_ingest_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    truth = write_corpus(folder, 90, seed=7)
    db = tmp_path / "crash.db"
    seen_counts = []
    # Kill at different points: as soon as the first batches land, then further along.
    for threshold in (1, 20, 45, 70):
        proc = _run(db, folder)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and _count(db) < threshold:
            time.sleep(0.02)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _count(db)
        seen_counts.append(before)
        # What was committed is still there and consistent.
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            dup = conn.execute("select count(*) from (select url from articles group by url having count(*) > 1)")
            assert dup.fetchone()[0] == 0
            fts = conn.execute("select count(*) from articles_fts").fetchone()[0]
            assert fts == before
    proc = _run(db, folder)
    assert proc.wait(timeout=120) == 0
    assert seen_counts == sorted(seen_counts), "a kill lost committed articles"
    store = Store(db)
    assert store.article_count() == len(truth)
    for url, (title, paras) in truth.items():
        art = store.find_article(url)
        assert art is not None and art.title == title and art.paragraphs[-len(paras):] == paras
    store.close()


def test_ctrl_c_stops_cleanly_keeps_committed_work_and_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    truth = write_corpus(folder, 60, seed=3)
    db = tmp_path / "int.db"
    proc = _run(db, folder)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and _count(db) < 7:
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130  # interrupted, and it says so
    kept = _count(db)
    assert kept >= 7
    proc = _run(db, folder)
    assert proc.wait(timeout=120) == 0
    assert _count(db) == len(truth)


def test_ctrl_c_during_a_commit_lets_the_batch_finish_and_counts_it_once(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C landing inside a batch's transaction waits for it: stored once, reported once, then stop."""
    folder = tmp_path / "pages"
    write_corpus(folder, 30, seed=5)
    store = Store(tmp_path / "shield.db")
    real_write = store.write_articles
    calls = []

    def write_then_interrupt(*args: object, **kwargs: object) -> object:
        calls.append(1)
        results = real_write(*args, **kwargs)  # type: ignore[arg-type]
        if len(calls) == 2:  # the user presses Ctrl-C while the second batch is being written
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        return results

    monkeypatch.setattr(store, "write_articles", write_then_interrupt)
    report = ingest([str(folder)], store, batch_size=7)
    assert report.interrupted
    # Both batches are stored (and what had finished before the stop), each counted once.
    assert store.article_count() == report.new >= 14
    assert report.duplicates == 0 and not report.errors
    store.close()
