"""Alignment misses repaired one hop away: text C shares with S that S shares with P is text C shares with P.

A copy whose alignment with its source missed a reordered or lightly edited paragraph would otherwise seem to
hold text its source lacks (text it shares only with a sibling copy). Used by `trees` on each story.
"""

from __future__ import annotations

from ..models import Passage
from . import _spans
from ._spans import Spans

__all__ = ["map_through", "transitive"]


def map_through(p: Passage, x: int, covered: Spans) -> Spans:
    """Ranges of `x`'s side of passage `p` whose counterpart on the other side lies inside `covered`."""
    xs, xe, ys, ye = (p.a_start, p.a_end, p.b_start, p.b_end) if p.a_id == x else (p.b_start, p.b_end, p.a_start,
                                                                                      p.a_end)
    if ye <= ys or xe <= xs:
        return []
    ratio = (xe - xs) / (ye - ys)
    return [(xs + int((s - ys) * ratio), xs + int((e - ys) * ratio)) for s, e in _spans.clip(covered, ys, ye)]


def transitive(spans: dict[tuple[int, int], Spans], by_pair: dict[tuple[int, int], list[Passage]],
               neighbours: dict[int, set[int]], bp: dict[int, Spans]) -> dict[tuple[int, int], Spans]:
    """Each (copy, neighbour) pair's shared ranges of the copy, with what one hop away says it shares too
    (`by_pair`: passages by (lower id, higher id); `bp`: each article's ranges that never count)."""
    out = dict(spans)
    for (c, p), direct in spans.items():
        extra: Spans = []
        for s_ in neighbours[c] & neighbours[p]:
            covered = spans.get((s_, p), [])
            # what one hop through s_ adds lies inside what c shares with s_: nothing when that is covered already
            if not covered or _spans.within(spans.get((c, s_), []), direct):
                continue
            for ps in by_pair.get((c, s_) if c < s_ else (s_, c), []):
                extra += map_through(ps, c, covered)
        if extra:
            out[(c, p)] = _spans.merge([*direct, *_spans.subtract(_spans.merge(extra), bp[c])])
    return out
