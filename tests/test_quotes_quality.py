"""Quality gates (floors only go up): PolNeAR attributions on a slice of train, and the synthetic quote truth."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "data" / "polnear"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses in the script look their module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.realdata
def test_polnear_train_slice_floor() -> None:
    if not POLNEAR.exists():
        pytest.skip(f"PolNeAR not available at {POLNEAR}")
    bench = _bench("polnear")
    res = bench.evaluate(bench.load("train", 60))
    p, r, f, *_ = res["attribution whole (speech cues)"]
    assert f >= 0.74 and p >= 0.88, res["attribution whole (speech cues)"]
    assert res["attribution whole"][0] >= 0.86  # precision against every gold attribution, beliefs included


def test_synthetic_quote_truth_floor(tmp_path: Path) -> None:
    synth = pytest.importorskip("newstrace.synth")
    synth.generate(synth.SynthConfig(articles=80, seed=3, languages=("en",)), tmp_path / "c")
    with open(tmp_path / "c" / "truth.jsonl", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    bench = _bench("quotes_synth")
    res = bench.score(records)
    assert res["truth quotes"] > 100
    assert res["found (recall)"] >= 0.93 and res["speaker accuracy"] >= 0.95 and res["kind accuracy"] >= 0.95, res
    trails = bench.score_trails(records)
    assert trails["quote trails (quotes in 2+ articles)"] > 0
    assert trails["false alterations on copies without quote edits"] <= 0.05, trails
    if trails["copies with a quote edit"]:
        assert trails["quote edits found (recall)"] >= 0.8, trails
