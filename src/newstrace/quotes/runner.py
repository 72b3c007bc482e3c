"""Run quote extraction over a store, incrementally, and rebuild the quote trails.

`update(store)` reads only articles not yet done, stores their attributions in batches, then
rebuilds the trails from every stored attribution (trails are cheap: an inverted trigram index).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .extract import extract_attributions
from .models import Attribution
from .trail import ArticleQuotes, build_trails, root_trails


@dataclass(slots=True)
class QuotesReport:
    """What one update did."""

    articles: int = 0  # articles read now
    skipped: int = 0  # already done before
    attributions: int = 0
    trails: int = 0
    errors: list[str] = field(default_factory=list)  # "article 12: reason"


def attributions_from_rows(rows: list[dict[str, Any]]) -> list[Attribution]:
    """Stored rows back into `Attribution` values."""
    return [Attribution(**row) for row in rows]


def update(store: Any, progress: Callable[[int], None] | None = None, batch_size: int = 500,
           article_ids: list[int] | None = None, trails: bool = True) -> QuotesReport:
    """Extract attributions for the articles not done yet (or exactly `article_ids`), store them, rebuild trails.

    One article that fails is recorded in the report's errors and never stops the run.
    """
    report = QuotesReport()
    done = store.quote_done_ids()
    pending: dict[int, list[Attribution]] = {}

    def flush() -> None:
        if pending:
            store.write_quote_attributions(dict(pending))
            pending.clear()

    batches = [store.get_articles(article_ids)] if article_ids is not None else store.iter_articles(batch_size)
    for batch in batches:
        for art in batch:
            if article_ids is None and art.id in done:
                report.skipped += 1
                continue
            try:
                atts = extract_attributions(art.text, art.language or "en")
            except Exception as exc:  # one bad article never stops the corpus
                report.errors.append(f"article {art.id}: {type(exc).__name__}: {exc}")
                continue
            pending[art.id] = atts
            report.articles += 1
            report.attributions += len(atts)
        flush()
        if progress is not None:
            progress(report.articles + report.skipped)
    if trails and report.articles:
        report.trails = rebuild_trails(store)  # only when something new was read: a no-op run stays cheap
    return report


def rebuild_trails(store: Any) -> int:
    """Recompute every quote trail from the stored attributions, each starting where provenance says the quote
    came from (`root_trails`); returns how many quotes appear in 2+ articles."""
    inputs = [ArticleQuotes(aid, published, attributions_from_rows(rows), site)
              for aid, published, site, rows in store.quote_inputs()]
    return int(store.write_quote_trails(root_trails(build_trails(inputs), store.main_sources())))
