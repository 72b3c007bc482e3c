"""Run every analysis over the store, in dependency order: reuse → provenance → quotes (→ fact-checked claims,
when a set is loaded).

Each step is incremental (only new articles or touched stories are recomputed), so this is
what `newstrace analyse` and the demo call after an ingest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .store import Store


@dataclass
class AnalysisReport:
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0


def _as_dict(obj: Any) -> dict[str, Any]:
    if hasattr(obj, "as_dict"):
        return dict(obj.as_dict())
    if hasattr(obj, "__dataclass_fields__"):
        from dataclasses import asdict

        return {k: v for k, v in asdict(obj).items() if not isinstance(v, list | dict) or len(v) < 20}
    return {"result": obj}


def analyse(store: Store, workers: int | None = None, rebuild: bool = False,
            say: Callable[[str], None] | None = None, progress: Any = None) -> AnalysisReport:
    """Bring reuse, provenance and quotes up to date; `say` receives one line per step."""
    from .provenance.runner import update_provenance
    from .quotes.runner import update as update_quotes
    from .reuse.runner import run_reuse

    say = say or (lambda _line: None)
    report = AnalysisReport()
    t0 = time.perf_counter()

    say("Finding shared passages (reuse)…")
    r = run_reuse(store, workers=workers, rebuild=rebuild, progress=progress)
    report.steps["reuse"] = _as_dict(r)

    say("Inferring who copied whom (provenance)…")
    p = update_provenance(store, rebuild=rebuild)
    report.steps["provenance"] = _as_dict(p)

    say("Extracting quotes and speakers…")
    q = update_quotes(store)
    report.steps["quotes"] = _as_dict(q)

    if store.fact_check_sets():  # only once a fact-check set is loaded (`newstrace claims load`)
        from .claims import update_matches

        say("Matching sentences against fact-checked claims…")
        report.steps["claims"] = _as_dict(update_matches(store))

    report.seconds = time.perf_counter() - t0
    return report
