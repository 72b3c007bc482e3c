"""Crash safety: an ingest killed with SIGKILL at several points loses nothing committed and duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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
