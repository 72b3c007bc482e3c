"""Character ranges as sorted, merged lists of (start, end) pairs (end exclusive)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..reuse.boilerplate import merge_ranges

Spans = list[tuple[int, int]]


def merge(spans: Iterable[tuple[int, int]]) -> Spans:
    """Sorted union of ranges (plain ints, numpy values welcome); empty and inverted ranges are dropped."""
    return merge_ranges((int(s), int(e)) for s, e in spans)


def total(spans: Spans) -> int:
    return sum(e - s for s, e in spans)


def subtract(spans: Spans, cut: Spans) -> Spans:
    """Parts of `spans` outside `cut` (both merged)."""
    out: Spans = []
    j = 0
    for s, e in spans:
        cur = s
        while j < len(cut) and cut[j][1] <= cur:
            j += 1
        k = j
        while k < len(cut) and cut[k][0] < e:
            cs, ce = cut[k]
            if cs > cur:
                out.append((cur, cs))
            cur = max(cur, ce)
            if cur >= e:
                break
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def within(inner: Spans, outer: Spans) -> bool:
    """Whether every range of `inner` lies inside `outer` (both merged): `not subtract(inner, outer)`, stopping
    at the first range left out."""
    j = 0
    for s, e in inner:
        while j < len(outer) and outer[j][1] <= s:
            j += 1
        if j == len(outer) or outer[j][0] > s or outer[j][1] < e:
            return False
    return True


def intersect(a: Spans, b: Spans) -> Spans:
    """Overlap of two merged span lists."""
    out: Spans = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def clip(spans: Spans, start: int, end: int) -> Spans:
    return [(max(s, start), min(e, end)) for s, e in spans if e > start and s < end]


def drop_short(spans: Spans, min_chars: int) -> Spans:
    """Ranges at least `min_chars` long (shorter ones are alignment noise at passage edges)."""
    return [(s, e) for s, e in spans if e - s >= min_chars]


def levels(span_lists: list[Spans]) -> tuple[Spans, Spans]:
    """Where one list covers the text and where at least one does: (exactly one, any), by a sweep."""
    events: dict[int, int] = defaultdict(int)
    for spans in span_lists:
        for st, en in spans:
            events[st] += 1
            events[en] -= 1
    one: Spans = []
    anyc: Spans = []
    depth = 0
    prev = None
    for x in sorted(events):
        if prev is not None and depth > 0 and x > prev:
            anyc.append((prev, x))
            if depth == 1:
                one.append((prev, x))
        depth += events[x]
        prev = x
    return merge(one), merge(anyc)
