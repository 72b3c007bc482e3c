"""Variant readings: where, inside the text two articles share, a copy's words differ from a candidate source's.

This is the oldest rule of text genealogy (stemmatics): a copy descends from the witness whose innovations it
shares. If a blog mistyped a word of the agency's report, or reworded a sentence, a page carrying the same
typo or wording came through the blog. Passage similarity alone cannot say this: it counts differences, not
where they are, and a copy's own rewordings swamp a single inherited typo. So the differences are compared
on common ground: for candidates P and Q, only the part of the copy both share, where the copy's own changes
differ from both alike and cancel out.

Differences are counted as edit operations (a run of replaced, inserted or deleted tokens counts once), so a
typo, a reworded phrase and a dropped clause weigh the same in every script.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

from ..models import Passage
from ..reuse.tokens import Tokens, tokenize
from . import _spans
from ._spans import Spans


class Readings:
    """For one story: the copy's ranges each other member aligns, and the copy-side positions where they differ.
    Computed on first use (only copies with several likely sources need them) and kept, so that a second tree
    of the same story reuses them; the tokens behind them are dropped after each tree (`release`)."""

    def __init__(self, texts: dict[int, str], passages: Iterable[Passage]):
        self._texts = texts
        self._passages: dict[tuple[int, int], list[Passage]] = defaultdict(list)
        for ps in passages:
            if ps.a_id in texts and ps.b_id in texts:
                self._passages[(min(ps.a_id, ps.b_id), max(ps.a_id, ps.b_id))].append(ps)
        self._tokens: dict[int, Tokens] = {}
        self._diffs: dict[tuple[int, int], tuple[Spans, list[int]]] = {}

    def release(self) -> None:
        """Drop the tokens (the diffs stay): a story kept for a second pass holds only small lists."""
        self._tokens.clear()

    def _tok(self, article_id: int) -> Tokens:
        t = self._tokens.get(article_id)
        if t is None:
            t = self._tokens[article_id] = tokenize(self._texts[article_id])
        return t

    def diff(self, copy: int, other: int) -> tuple[Spans, list[int]]:
        """(copy's ranges aligned with `other`, sorted copy-side offsets of each differing run)."""
        key = (copy, other)
        if key in self._diffs:
            return self._diffs[key]
        aligned: list[tuple[int, int]] = []
        points: list[int] = []
        ct, ot = self._tok(copy), self._tok(other)
        for p in self._passages.get((min(copy, other), max(copy, other)), []):
            cs, ce, os_, oe = ((p.a_start, p.a_end, p.b_start, p.b_end) if p.a_id == copy
                               else (p.b_start, p.b_end, p.a_start, p.a_end))
            aligned.append((cs, ce))
            c0, c1 = _token_range(ct, cs, ce)
            o0, o1 = _token_range(ot, os_, oe)
            a, b = ct.hashes[c0:c1].tolist(), ot.hashes[o0:o1].tolist()
            if a == b:
                continue
            for op, i1, _i2, _j1, _j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                if op != "equal":
                    at = c0 + i1
                    points.append(int(ct.starts[at]) if at < c1 else ce - 1)
        out = (_spans.merge(aligned), sorted(points))
        self._diffs[key] = out
        return out

    def excess(self, copy: int, p: int, q: int) -> int:
        """How many more differences the copy has from `p` than from `q`, where both align with it (negative:
        fewer)."""
        (ap, dp), (aq, dq) = self.diff(copy, p), self.diff(copy, q)
        common = _spans.intersect(ap, aq)
        return _count_in(dp, common) - _count_in(dq, common)


def _token_range(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    lo = int(tokens.starts.searchsorted(start, side="left"))
    hi = int(tokens.ends.searchsorted(end, side="right"))
    return lo, max(lo, hi)


def _count_in(points: list[int], spans: Spans) -> int:
    n = 0
    for s, e in spans:
        n += bisect.bisect_left(points, e) - bisect.bisect_left(points, s)
    return n
