"""Per-site boilerplate learned from the corpus itself: share buttons, "follow us", disclaimers, bios.

A paragraph or sentence is boilerplate on a site when its normalised hash appears on many
*different* pages of that same site: at least `threshold(N)` pages for a site with N pages
(`max(bp_min_pages, min(ceil(bp_fraction * N), bp_max_pages))`). Counting is per site, so a wire
story copied verbatim by many sites is never boilerplate (it appears once per site); identical
republications of one page on a site count once (pages are keyed by their content). Sites too
small to learn from fall back to a cross-site list (units that are boilerplate on at least two
sites) and a short built-in list of patterns. All functions are pure over plain data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .params import ReuseParams
from .tokens import Tokens, _codes, mix64, range_hashes

_PUNCT = np.zeros(0x10000, dtype=np.uint8)  # 1: ends a sentence, 2: a space
_PUNCT[[ord(c) for c in ".!?。！？۔؟"]] = 1
_PUNCT[[9, 10, 13, 32, 0xA0]] = 2

BUILTIN_PATTERNS = [
    r"^\W*(share|tweet|email|print|pin|whatsapp)( this)?( on \w+)?( article| story| page| post)?\W*$",
    r"\bfollow us\b", r"\bsubscribe (to|for)\b", r"\bsign up (for|to)\b", r"\bnewsletter\b",
    r"\ball rights reserved\b", r"^\W*(©|\(c\)|copyright\b)", r"\bclick here\b", r"^\W*(read more|related)\b",
    r"^\W*advertisement\W*$", r"\bthis (article|story) (was|has been) translated\b", r"\bviews expressed\b",
    r"\b(join|like) us on\b", r"\bdownload (our|the) app\b", r"\bcookies?\b.*\b(accept|policy|consent)\b",
]
_BUILTIN_RE = re.compile("|".join(f"(?:{p})" for p in BUILTIN_PATTERNS), re.IGNORECASE)


@dataclass(slots=True)
class Units:
    """Paragraphs and sentences of one article: hash, token count and character range of each."""

    hashes: np.ndarray  # uint64
    starts: np.ndarray  # int64, character offsets into the text
    ends: np.ndarray  # int64, end-exclusive
    words: np.ndarray  # int64 tokens per unit


def article_units(text: str, tokens: Tokens) -> Units:
    """Every paragraph (a line of `text`) and every sentence inside a paragraph, hashed on its tokens."""
    return units_and_paragraphs(text, tokens)[0]


def units_and_paragraphs(text: str, tokens: Tokens) -> tuple[Units, int]:
    """`article_units` and how many of them (the first ones) are paragraphs."""
    n = len(tokens)
    if n == 0:
        z = np.zeros(0, dtype=np.int64)
        return Units(np.zeros(0, dtype=np.uint64), z, z.copy(), z.copy()), 0
    codes = tokens.codes if tokens.codes is not None else _codes(text)
    nl = np.nonzero(codes == 10)[0].astype(np.int64)
    kind = _PUNCT[np.minimum(codes, 0xFFFF)]
    nxt = np.concatenate((kind[1:], [2]))
    ends_here = np.nonzero((kind == 1) & ((nxt == 2) | (codes >= 0x3000)))[0].astype(np.int64) + 1
    splits = np.union1d(nl, ends_here)
    out_h, out_s, out_e, out_w = [], [], [], []
    # paragraphs
    pid = np.searchsorted(nl, tokens.starts, side="right")
    bounds = np.concatenate(([0], np.nonzero(pid[1:] != pid[:-1])[0] + 1, [n]))
    ts, te = bounds[:-1], bounds[1:]
    p = pid[ts]
    line_starts = np.concatenate(([0], nl + 1))
    line_ends = np.concatenate((nl, [len(codes)]))
    out_h.append(range_hashes(tokens.hashes, ts, te))
    out_s.append(line_starts[p])
    out_e.append(line_ends[p])
    out_w.append(te - ts)
    # sentences (those that are a whole paragraph hash the same and are dropped by the caller's unique)
    sid = np.searchsorted(splits, tokens.starts, side="right")
    bounds = np.concatenate(([0], np.nonzero(sid[1:] != sid[:-1])[0] + 1, [n]))
    ts, te = bounds[:-1], bounds[1:]
    s = sid[ts]
    ends_ext = np.concatenate((splits, [len(codes)]))  # past the last split: the end of the text
    sent_end = ends_ext[s]
    out_h.append(range_hashes(tokens.hashes, ts, te))
    out_s.append(tokens.starts[ts])
    out_e.append(np.maximum(sent_end, tokens.ends[te - 1]))
    out_w.append(te - ts)
    units = Units(np.concatenate(out_h), np.concatenate(out_s), np.concatenate(out_e), np.concatenate(out_w))
    return units, len(out_h[0])


def page_signature(units: Units) -> int:
    """A page's content key: identical republications of a page on one site count once."""
    if len(units.hashes) == 0:
        return 0
    return int(mix64(np.array([np.bitwise_xor.reduce(np.unique(units.hashes))], dtype=np.uint64))[0])


@dataclass(slots=True)
class UnitCounts:
    """Per site: how many distinct pages each unit hash appears on, and how many pages the site has."""

    hashes: dict[str, np.ndarray] = field(default_factory=dict)  # site -> sorted unique uint64
    counts: dict[str, np.ndarray] = field(default_factory=dict)  # site -> int64 pages per hash
    pages: dict[str, int] = field(default_factory=dict)
    seen: dict[str, set[int]] = field(default_factory=dict)  # site -> page signatures already counted


def count_units(pages: Iterable[tuple[str, Units]], prior: UnitCounts | None = None) -> UnitCounts:
    """Add pages (site, units) to the per-site document frequencies (a new object; `prior` is kept)."""
    out = UnitCounts(dict(prior.hashes), dict(prior.counts), dict(prior.pages),
                     {k: set(v) for k, v in prior.seen.items()}) if prior else UnitCounts()
    fresh: dict[str, list[np.ndarray]] = {}
    for site, units in pages:
        sig = page_signature(units)
        seen = out.seen.setdefault(site, set())
        if sig in seen:
            continue
        seen.add(sig)
        out.pages[site] = out.pages.get(site, 0) + 1
        fresh.setdefault(site, []).append(np.unique(units.hashes))
    for site, arrays in fresh.items():
        allh = np.concatenate([*arrays, out.hashes.get(site, np.zeros(0, dtype=np.uint64))])
        weights = np.concatenate([np.ones(sum(len(a) for a in arrays), dtype=np.int64),
                                  out.counts.get(site, np.zeros(0, dtype=np.int64))])
        uniq, inv = np.unique(allh, return_inverse=True)
        out.hashes[site] = uniq
        out.counts[site] = np.bincount(inv, weights=weights, minlength=len(uniq)).astype(np.int64)
    return out


def threshold(pages: int, params: ReuseParams) -> int:
    """Pages a unit must appear on to be boilerplate on a site with `pages` pages.

    The site size is rounded down to a power of two, so a growing site's threshold moves only when
    it doubles: an incremental run re-marks a site's older pages rarely (a new footer crossing the
    threshold still does).
    """
    stepped = 1 << (max(pages, 1).bit_length() - 1)
    return max(params.bp_min_pages, min(math.ceil(params.bp_fraction * stepped), params.bp_max_pages))


@dataclass(slots=True)
class BoilerplateModel:
    """What is boilerplate where: learned hashes per site, a cross-site list, and site sizes."""

    site_hashes: dict[str, np.ndarray]  # site -> sorted uint64 boilerplate unit hashes
    common: np.ndarray  # sorted uint64: units that are boilerplate on several sites
    site_pages: dict[str, int]
    small_site: int = 10  # below this many pages a site also uses the cross-site list and patterns

    def site_version(self, site: str) -> int:
        """A key that changes whenever the site's boilerplate set changes."""
        h = self.site_hashes.get(site)
        if h is None:
            h = np.zeros(0, dtype=np.uint64)
        if self.site_pages.get(site, 0) < self.small_site:  # small sites also use the cross-site list
            h = np.concatenate((h, self.common, np.array([1], dtype=np.uint64)))
        if len(h) == 0:
            return 0
        return int(mix64(np.array([np.bitwise_xor.reduce(mix64(h)) ^ np.uint64(len(h))], dtype=np.uint64))[0])


def learn_boilerplate(counts: UnitCounts, params: ReuseParams,
                      base: BoilerplateModel | None = None) -> BoilerplateModel:
    """Boilerplate sets per site from per-site document frequencies; units common to sites as fallback.

    Sites absent from `counts` keep their sets from `base` (an incremental run counts only the
    sites that got new pages).
    """
    site_hashes: dict[str, np.ndarray] = dict(base.site_hashes) if base else {}
    pages = dict(base.site_pages) if base else {}
    pages.update(counts.pages)
    for site, hashes in counts.hashes.items():
        thr = threshold(counts.pages.get(site, 0), params)
        site_hashes[site] = hashes[counts.counts[site] >= thr]
    if site_hashes:
        allbp = np.concatenate(list(site_hashes.values()))
        uniq, cnt = np.unique(allbp, return_counts=True)
        common = uniq[cnt >= params.bp_common_sites]
    else:
        common = np.zeros(0, dtype=np.uint64)
    return BoilerplateModel(site_hashes, common, pages, params.bp_small_site)


def boilerplate_ranges(text: str, units: Units, site: str, model: BoilerplateModel) -> list[tuple[int, int]]:
    """Character ranges of `text` that are boilerplate for `site`, merged and sorted."""
    if len(units.hashes) == 0:
        return []
    own = model.site_hashes.get(site)
    hit = np.zeros(len(units.hashes), dtype=bool)
    if own is not None and len(own):
        hit |= _member(units.hashes, own)
    if model.site_pages.get(site, 0) < model.small_site:
        hit |= _member(units.hashes, model.common)
        for k in np.nonzero(~hit & (units.words <= 30))[0]:
            if _BUILTIN_RE.search(text[units.starts[k]:units.ends[k]]):
                hit[k] = True
    idx = np.nonzero(hit)[0]
    if len(idx) == 0:
        return []
    return merge_ranges(zip(units.starts[idx].tolist(), units.ends[idx].tolist(), strict=True))


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """values in sorted_set, by bisection (cheaper than np.isin for a few values)."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    k = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[k] == values


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted union of half-open ranges."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
