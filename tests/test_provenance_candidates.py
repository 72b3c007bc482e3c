"""Candidate scores (`provenance.candidates`): the terms, how they combine, and the ceiling bench's reading of them."""

from __future__ import annotations

import importlib.util
import math
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from newstrace.provenance.candidates import Terms, penalised, scores
from newstrace.provenance.options import TreeOptions

REPO = Path(__file__).resolve().parents[1]


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_text_terms_count_against_the_best_candidate() -> None:
    o = TreeOptions()
    terms = {1: Terms(math.log(0.9), exclusive=1.0, cover=1.0), 2: Terms(math.log(0.9), cover=1.0)}
    main, weak = scores(terms, o)
    assert weak == {}
    assert main[1] == math.log(0.9)  # the best candidate's text terms are 0: they never invent a source
    assert main[2] == math.log(0.9) - o.exclusive_weight


def test_credit_dressing_and_weak_candidates() -> None:
    o = TreeOptions()
    terms = {1: Terms(math.log(0.6), credit=2.0), 2: Terms(math.log(0.6), dressing=True),
             3: Terms(math.log(o.weak_floor), credit=1.0, weak=True, title=1.0)}
    main, weak = scores(terms, o)
    assert main[1] - main[2] == o.credit_weight * 2.0 + o.dressed_source_penalty
    # a weak candidate has no text terms and no offset: its direction, the weak penalty and its credit only
    assert weak == {3: math.log(o.weak_floor) - o.weak_penalty + o.credit_weight}
    kept = penalised((main, weak), {1: True, 2: False, 3: False}, o)
    assert kept[1] == main[1] - o.copy_penalty and kept[2] == main[2] and 3 in kept


def _random_terms(rng: random.Random, n: int) -> dict[int, Terms]:
    out: dict[int, Terms] = {}
    for q in range(n):
        weak = rng.random() < 0.2
        out[q] = Terms(math.log(rng.uniform(0.01, 0.2) if weak else rng.uniform(0.2, 1.0)),
                       credit=rng.choice([0.0, 0.0, 1.2, 1.8]), dressing=rng.random() < 0.05, weak=weak)
        if not weak:
            t = out[q]
            t.exclusive, t.differ, t.missing = rng.random() * (rng.random() < 0.4), rng.uniform(-1, 1), rng.random()
            t.cover, t.title, t.byline = rng.random(), rng.choice([0.0, 0.0, 0.5, 1.0]), rng.random() < 0.1
    return out


def test_ceiling_bench_ranks_candidates_as_the_trees_do() -> None:
    """The bench's vectorised ranking with the default weights picks what `scores` and `penalised` pick."""
    bench = _bench("provenance_ceiling")
    o = TreeOptions()
    rng = random.Random(7)
    rows, group, label, expected = [], [], [], []
    for c in range(300):
        terms = _random_terms(rng, rng.randint(1, 8))
        is_copy = {q: rng.random() < 0.5 for q in terms}
        scored = penalised(scores(terms, o), is_copy, o)
        best = max(scored.values())
        # the bench counts a copy right when its truth is the first candidate at the top score
        expected.append(next(q for q in terms if q in scored and scored[q] == best))
        for q, t in terms.items():
            rows.append([float(getattr(t, f)) for f in bench.FIELDS] + [float(t.weak), float(is_copy[q]), 0, 0, 0])
            group.append(c)
        label.append(rng.randrange(len(terms)))
    m = {"X": np.array(rows), "group": np.array(group), "label": np.array(label)}
    w0 = bench.default_weights(o)
    assert bench.accuracy(m, w0) == sum(e == lab for e, lab in zip(expected, label, strict=True)) / len(label)
    m["label"] = np.array(expected)
    assert bench.accuracy(m, w0) == 1.0
    assert bench.accuracy(m, -w0) < 0.9  # and the figure moves with the weights
