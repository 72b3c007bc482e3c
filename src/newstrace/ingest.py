"""Ingest orchestration: sources → extraction on all cores → the store, in committed batches.

Order is kept end to end: a unit (a file, an archive, a feed, a URL) is marked done in the
same transaction as its last document, so a run killed at any point resumes where the last
commit left off, and the store's (URL, content hash) identity makes re-runs idempotent.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .extract import extract_article
from .models import Article, IngestError, RawDocument
from .sources import SourceOptions, UnitDone, iter_source
from .sources.files import EXTENSIONS
from .store import DUPLICATE, NEW, VERSION, Store


@dataclass
class IngestReport:
    new: int = 0
    duplicates: int = 0
    versions: int = 0
    skipped_units: int = 0
    documents: int = 0
    errors: list[IngestError] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.interrupted

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new, "duplicates": self.duplicates, "versions": self.versions,
            "documents": self.documents, "skipped_units": self.skipped_units,
            "errors": [{"source": e.source, "kind": e.kind, "reason": e.reason} for e in self.errors],
            "seconds": round(self.seconds, 3), "interrupted": self.interrupted,
        }


class _DoneLookup(Mapping[str, str]):
    """What earlier runs finished, looked up lazily one unit at a time."""

    def __init__(self, store: Store, refresh: bool = False) -> None:
        self.store = store
        self.refresh = refresh
        self.known: set[str] = set()  # units an earlier run finished: skipped unless read again (changed)

    def __getitem__(self, key: str) -> str:
        if self.refresh:
            raise KeyError(key)
        sig = self.store.done_signatures([key]).get(key)
        if sig is None:
            raise KeyError(key)
        self.known.add(key)
        return sig

    def __iter__(self) -> Iterator[str]:  # pragma: no cover - sources only look keys up
        return iter(())

    def __len__(self) -> int:  # pragma: no cover
        return 0


def _worker_init() -> None:
    # Ctrl-C is the parent's to handle: it commits what is finished and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract(doc: RawDocument, keep_html: bool) -> Article | IngestError:
    try:
        return extract_article(doc, keep_html=keep_html)
    except Exception as exc:  # extraction promises not to raise; this is the last guard
        return IngestError(doc.source, f"extraction failed: {type(exc).__name__}: {exc}", "malformed")


class _Batch:
    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.errors: list[IngestError] = []
        self.done: list[tuple[str, str]] = []

    def __len__(self) -> int:
        return len(self.articles) + len(self.errors)


HTML_SUFFIXES = EXTENSIONS["html"]


def _count_units(sources: list[str], kind: str | None) -> int | None:
    """How many files a folder ingest will visit, for the progress bar; None when unknowable."""
    from pathlib import Path

    total = 0
    for s in sources:
        p = Path(s)
        if p.is_dir():
            total += sum(1 for f in p.rglob("*") if f.is_file() and f.name.lower().endswith(HTML_SUFFIXES))
        elif p.is_file() and (kind in (None, "html")) and p.name.lower().endswith(HTML_SUFFIXES):
            total += 1
        else:
            return None
    return total


def ingest(sources: list[str], store: Store, options: SourceOptions | None = None, kind: str | None = None,
           workers: int = 1, batch_size: int = 200, progress: bool = False, keep_html: bool = True) -> IngestReport:
    """Ingest every source into the store and report what happened; never raises for bad input."""
    options = options or SourceOptions()
    report = IngestReport()
    started = time.perf_counter()
    done = _DoneLookup(store, refresh=options.refresh)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) if workers > 1 else None
    window = max(4, workers * 16)
    pending: deque[Future[Article | IngestError] | Article | IngestError | UnitDone] = deque()
    batch = _Batch()
    bar = _Progress(progress, _count_units(sources, kind) if progress else None)
    read_again: set[str] = set()  # units finished in this run

    def flush() -> None:
        nonlocal batch
        if not len(batch) and not batch.done:
            return
        with _commit_shielded():  # the batch and its bookkeeping finish together
            results = store.write_articles(batch.articles, batch.errors, batch.done)
            for r in results:
                if r.status == NEW:
                    report.new += 1
                elif r.status == VERSION:
                    report.versions += 1
                elif r.status == DUPLICATE:
                    report.duplicates += 1
                if r.status in (NEW, VERSION):
                    report.article_ids.append(r.article_id)
            report.errors.extend(batch.errors)
            batch = _Batch()

    def take_head() -> None:
        result: Any = pending.popleft()
        if isinstance(result, Future):
            result = result.result()
        if isinstance(result, UnitDone):
            batch.done.append((result.source, result.signature))
            read_again.add(result.source)
            bar.unit()
            return
        if isinstance(result, IngestError):
            batch.errors.append(result)
        else:
            batch.articles.append(result)
        report.documents += 1
        bar.document(report, isinstance(result, IngestError))
        if len(batch) >= batch_size:
            flush()

    def drain(block: bool) -> None:
        """Move finished results, in order, into the batch; with block, wait for all."""
        while pending:
            head = pending[0]
            if isinstance(head, Future) and (head.cancelled() or (not block and not head.done())):
                return
            take_head()

    try:
        with bar:
            for source in sources:
                for item in iter_source(source, options, kind=kind, done=done):
                    if isinstance(item, RawDocument):
                        if pool is not None:
                            pending.append(pool.submit(_extract, item, keep_html))
                        else:
                            pending.append(_extract(item, keep_html))
                    else:
                        pending.append(item)
                    if len(pending) >= window:
                        drain(block=False)
                        while len(pending) >= window:
                            take_head()
            drain(block=True)
            flush()
    except KeyboardInterrupt:
        report.interrupted = True
        # Keep what is finished, in order, and stop: the next run resumes after it.
        for item in pending:
            if isinstance(item, Future):
                item.cancel()
        drain(block=False)
        flush()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        report.seconds = time.perf_counter() - started
        report.skipped_units = len(done.known - read_again)  # finished before and unchanged: not read
    return report


@contextmanager
def _commit_shielded() -> Iterator[None]:
    """Hold Ctrl-C until a batch's transaction has finished, then raise it.

    An interrupt inside the driver's execute leaves SQLAlchemy's connection invalidated but its
    SQLite write lock held, so the clean-up commit that follows would fail with "database is
    locked"; a batch commits in well under a second, so waiting for it costs the user nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class _Progress:
    """A rich progress bar that counts documents; a no-op when progress is off."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        self.enabled = enabled
        self.total = total
        self.errors = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[status]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                transient=False,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("ingest", total=self.total, status="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def unit(self) -> None:
        if self._progress is not None and self.total is not None:
            self._progress.advance(self._task)

    def document(self, report: IngestReport, failed: bool) -> None:
        self.errors += failed  # report.errors grows only when a batch is stored: the bar counts as it goes
        if self._progress is None:
            return
        status = f"{report.documents} docs, {self.errors} errors"
        if self.total is None:
            self._progress.update(self._task, advance=1, status=status)
        else:
            self._progress.update(self._task, status=status)
