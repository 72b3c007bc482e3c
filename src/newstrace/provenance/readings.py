"""Variant readings: where, inside the text two articles share, a copy's words differ from a candidate source's.

This is the oldest rule of text genealogy (stemmatics): a copy descends from the witness whose innovations it
shares. If a blog mistyped a word of the agency's report, or reworded a sentence, a page carrying the same
typo or wording came through the blog. Passage similarity alone cannot say this: it counts differences, not
where they are, and a copy's own rewordings swamp a single inherited typo. So the differences are compared
on common ground: for candidates P and Q, only the part of the copy both share, where the copy's own changes
differ from both alike and cancel out.

Differences are counted as the reuse engine's edit operations (a run of replaced, inserted or deleted tokens
counts once), so a typo, a reworded phrase and a dropped clause weigh the same in every script.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from ..models import Passage
from . import _spans
from ._spans import Spans


class Readings:
    """For one story: the copy's ranges each other member aligns, and the copy-side positions where they differ.
    Computed on first use (only copies with several likely sources need them) and kept, so that a second tree of
    the same story reuses them.

    The differences are the reuse engine's own (`Passage.edits`, in passage order, without offsets): each is
    placed by finding its copy-side words after the previous one's, and a word the copy lacks where the previous
    difference ended. A misplaced difference stays inside its passage: only the edges of the common ground can
    be affected by such a slip.
    """

    def __init__(self, texts: dict[int, str], passages: Iterable[Passage]):
        self._texts = texts
        self._passages: dict[tuple[int, int], list[Passage]] = defaultdict(list)
        for ps in passages:
            if ps.a_id in texts and ps.b_id in texts:
                self._passages[(min(ps.a_id, ps.b_id), max(ps.a_id, ps.b_id))].append(ps)
        self._diffs: dict[tuple[int, int], tuple[Spans, list[int]]] = {}
        self._words: dict[tuple[int, int], list[tuple[int, str]]] = {}  # (offset, the copy's words) per difference
        self._excess: dict[tuple[int, int, int], int] = {}

    def diff(self, copy: int, other: int) -> tuple[Spans, list[int]]:
        """(copy's ranges aligned with `other`, sorted copy-side offsets of each difference)."""
        key = (copy, other)
        if key in self._diffs:
            return self._diffs[key]
        text = self._texts[copy]
        aligned: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for p in self._passages.get((min(copy, other), max(copy, other)), []):
            mine_a = p.a_id == copy
            start, end = (p.a_start, p.a_end) if mine_a else (p.b_start, p.b_end)
            aligned.append((start, end))
            cur = start
            for e in p.edits:
                words = e.a_text if mine_a else e.b_text
                at = text.find(words, cur, end) if words else -1
                if at < 0:
                    found.append((min(cur, end - 1), ""))
                else:
                    found.append((at, words))
                    cur = at + len(words)
        found.sort()
        self._words[key] = found
        out = (_spans.merge(aligned), [at for at, _w in found])
        self._diffs[key] = out
        return out

    def inherited(self, copy: int, source: int, rival: int, limit: int = 3) -> tuple[int, list[str]]:
        """Readings the copy shares with `source` against `rival`, on the text all three align: where the copy
        differs from `rival` and not from `source` (the source's typos and rewordings, carried along). Their
        number and the copy's words at the first `limit`: why a copy came through a page rather than straight
        from that page's own source, in words a reader can check."""
        (a_s, d_s), (a_r, _d) = self.diff(copy, source), self.diff(copy, rival)
        common = _spans.intersect(a_s, a_r)
        out = [w for at, w in self._words[(copy, rival)]
               if _count_in([at], common) and not _count_in(d_s, [(at - 1, at + max(1, len(w)) + 1)])]
        return len(out), [w if len(w) <= 40 else w[:39] + "…" for w in out if w][:limit]

    def excess(self, copy: int, p: int, q: int) -> int:
        """How many more differences the copy has from `p` than from `q`, where both align with it (negative:
        fewer)."""
        key = (copy, p, q) if p < q else (copy, q, p)
        got = self._excess.get(key)
        if got is None:  # one common ground for both orders
            (ap, dp), (aq, dq) = self.diff(copy, key[1]), self.diff(copy, key[2])
            common = _spans.intersect(ap, aq)
            got = self._excess[key] = _count_in(dp, common) - _count_in(dq, common)
        return got if p < q else -got


def _count_in(points: list[int], spans: Spans) -> int:
    n = 0
    for s, e in spans:
        n += bisect.bisect_left(points, e) - bisect.bisect_left(points, s)
    return n
