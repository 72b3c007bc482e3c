"""Text reuse: per-site boilerplate, fingerprints, candidate pairs and local alignment into passages.

The engine is pure functions over plain articles (`Doc`: id, site, text); `runner.run_reuse` is the
local runner (a process pool and the store), and a Spark runner calls the same functions.
"""

from .align import align_pair, summarise
from .boilerplate import BoilerplateModel, UnitCounts, boilerplate_ranges, count_units, learn_boilerplate
from .candidates import FingerprintIndex, find_candidates, postings
from .engine import (
    Analysed,
    Doc,
    ReuseResult,
    align_pairs,
    analyse,
    finish,
    mark_and_fingerprint,
    reuse_in_memory,
    split_linked,
)
from .params import ReuseParams

__all__ = [
    "Analysed", "BoilerplateModel", "Doc", "FingerprintIndex", "ReuseParams", "ReuseResult", "UnitCounts",
    "align_pair", "align_pairs", "analyse", "boilerplate_ranges", "count_units", "find_candidates", "finish",
    "learn_boilerplate", "mark_and_fingerprint", "postings", "reuse_in_memory", "split_linked", "summarise",
]
