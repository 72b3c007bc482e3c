"""How sure the tree is of each copy's source, and which other pages could as well be it.

An edge's confidence says that the source came first. It does not say that the copy was taken from *this* page
rather than from another earlier page holding the same text: when an agency's report was reposted word for word
by three sites, a fourth copy sharing only the agency's text may come from any of the four, and the pages do not
tell which. Users need to know which sources are such choices.

The tree's edge weights are log-scores (`trees.TreeOptions`), so for each copy a softmax over its candidate
sources gives the share of the evidence each one holds. Candidates that are the copy's own descendants in the
final tree are left out (choosing one would make a cycle), and so is "copies nothing" (the copy has a source).
`TEMPERATURE` spreads the scores; then the chosen source's share is calibrated (Platt scaling, `CALIBRATION`),
because the winner of a softmax is under-confident when the race is close and over-confident when it is not,
and the alternatives' shares are scaled to the rest. Both were fitted on sixteen synthetic corpora and checked on
four others (`bench/provenance_eval.py --temperature --calibration` prints the calibration table,
docs/bench/provenance.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["TEMPERATURE", "CALIBRATION", "SURE", "MIN_SHARE", "MAX_ALTERNATIVES", "source_choices", "doubtful",
           "calibrated"]

TEMPERATURE = 0.5  # score units per e-fold of odds (module docstring)
CALIBRATION = (0.55, 0.7)  # (a, b): the chosen source's share p becomes 1 / (1 + exp(-(a·logit(p) + b)))
SURE = 0.9  # a source holding less of the evidence than this is flagged "source uncertain"
MIN_SHARE = 0.1  # an alternative is reported from this share of the evidence...
MAX_ALTERNATIVES = 3  # ...at most this many, the strongest first


def source_choices(parent: Mapping[int, int], incoming: Mapping[int, Mapping[int, float]],
                   temperature: float | None = None, calibration: tuple[float, float] | None = None
                   ) -> dict[int, tuple[float, list[tuple[int, float]]]]:
    """For each copy with a source in `parent` (copy -> source): the chosen source's share of the evidence and
    the other candidates holding at least `MIN_SHARE` of it, as (candidate, share), strongest first.

    `incoming[c]` maps each candidate source of `c` to its edge weight, as the arborescence saw it. `temperature`
    and `calibration` default to `TEMPERATURE` and `CALIBRATION`; `calibration=(1.0, 0.0)` leaves the softmax as is.
    """
    temperature = TEMPERATURE if temperature is None else temperature
    a, b = CALIBRATION if calibration is None else calibration
    kids: dict[int, list[int]] = {}
    for c, p in parent.items():
        kids.setdefault(p, []).append(c)
    out: dict[int, tuple[float, list[tuple[int, float]]]] = {}
    for c, chosen in parent.items():
        cands = incoming.get(c, {})
        if chosen not in cands:  # a source the tree was given from elsewhere (a translation hung by its link)
            continue
        below = _descendants(c, kids)
        scores = {q: w / temperature for q, w in cands.items() if q >= 0 and q not in below}
        top = max(scores.values())
        total = sum(math.exp(s - top) for s in scores.values())
        share = {q: math.exp(s - top) / total for q, s in scores.items()}
        mine = _platt(share[chosen], a, b)
        rest = (1.0 - mine) / (1.0 - share[chosen]) if share[chosen] < 1.0 else 0.0
        alts = sorted(((q, round(v * rest, 4)) for q, v in share.items() if q != chosen and v * rest >= MIN_SHARE),
                      key=lambda x: (-x[1], x[0]))[:MAX_ALTERNATIVES]
        out[c] = (round(mine, 4), alts)
    return out


def calibrated(share: float) -> float:
    """The chosen source's share of the evidence, calibrated (`CALIBRATION`)."""
    return _platt(share, *CALIBRATION)


def _platt(p: float, a: float, b: float) -> float:
    if (a, b) == (1.0, 0.0):
        return p
    p = min(max(p, 1e-4), 1 - 1e-4)
    return 1.0 / (1.0 + math.exp(-(a * math.log(p / (1.0 - p)) + b)))


def _descendants(node: int, kids: Mapping[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(kids.get(node, ()))
    while stack:
        x = stack.pop()
        if x not in seen:
            seen.add(x)
            stack.extend(kids.get(x, ()))
    return seen


def doubtful(share: float | None) -> bool:
    """Whether a copy's source is uncertain: it holds under `SURE` of the evidence. With many equally good
    candidates (a viral story's verbatim copies) no alternative may reach `MIN_SHARE`, so this, not the
    alternatives, says when to flag."""
    return share is not None and share < SURE
