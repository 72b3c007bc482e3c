"""Pages whose credit line links another stored page: the pairs `ReuseParams.linked()` aligns.

The index grows a step at a time, as the runner works through the corpus in id order, so a run reads
each page's URLs and links once. It holds hashes of `sites.page_key` (a link and a URL compare equal
without scheme, "www.", fragment or trailing slash) in numpy arrays: about 60 MB for a million pages
(a first version in dicts and lists held 460 MB). Stored pages and their credit lines never change (a new
version of a page is a new article), so the runner keeps the index beside the fingerprint index between runs
(`save`, `load`): adding 1,000 pages to a million-page store then reads those pages' URLs, not a million.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..sites import page_key

__all__ = ["LinkIndex"]

_NONE = np.int64(0)  # no URL (a real key hashing to 0 is not a worry at 2^-64)


FORMAT = "links-1"  # what a saved index holds: a different one is not read (the run reads the pages again)


def _key(url: str | None) -> int:
    """A 64-bit hash of the page key, the same in every process (a saved index is read by later runs)."""
    k = page_key(url)
    if not k:
        return 0
    return int.from_bytes(hashlib.blake2b(k.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little",
                          signed=True)


def _sorted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return keys[order], order


def _hits(sorted_keys: np.ndarray, order: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted key, the rows holding it: (index into `wanted`, row), every match."""
    lo = np.searchsorted(sorted_keys, wanted, side="left")
    hi = np.searchsorted(sorted_keys, wanted, side="right")
    n = hi - lo
    which = np.repeat(np.arange(len(wanted)), n)
    starts = np.repeat(lo, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))
    return which, order[starts]


class LinkIndex:
    """Pages by URL (and canonical URL), and the links their credit lines make."""

    def __init__(self) -> None:
        self.upto = 0  # pages and links of articles with id <= upto are in
        z = np.zeros(0, dtype=np.int64)
        self.page_id, self.url, self.canonical = z, z.copy(), z.copy()  # one row per page, ids ascending
        self.link_id, self.link = z.copy(), z.copy()  # one row per credit line with a link
        self._by_url = self._by_canonical = self._by_link = (z.copy(), z.copy())

    def add(self, pages: Iterable[tuple[int, str, str | None]], links: Iterable[tuple[int, str]],
            upto: int) -> None:
        """Pages (id, URL, canonical URL) and links (article id, URL) of articles up to id `upto`."""
        rows = sorted((aid, _key(url), _key(canonical)) for aid, url, canonical in pages)
        if rows:
            new = np.array(rows, dtype=np.int64).reshape(-1, 3)
            self.page_id = np.concatenate((self.page_id, new[:, 0]))
            self.url = np.concatenate((self.url, new[:, 1]))
            self.canonical = np.concatenate((self.canonical, new[:, 2]))
            self._by_url, self._by_canonical = _sorted(self.url), _sorted(self.canonical)
        lrows = [(aid, k) for aid, url in links if (k := _key(url))]
        if lrows:
            new = np.array(lrows, dtype=np.int64).reshape(-1, 2)
            self.link_id = np.concatenate((self.link_id, new[:, 0]))
            self.link = np.concatenate((self.link, new[:, 1]))
            self._by_link = _sorted(self.link)
        self.upto = max(self.upto, upto)

    def save(self, path: Path) -> None:
        """Write the index (atomically: a crash leaves the previous file or none)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as f:
            np.savez(f, format=np.array(FORMAT), upto=np.array(self.upto, dtype=np.int64), page_id=self.page_id,
                     url=self.url, canonical=self.canonical, link_id=self.link_id, link=self.link)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> LinkIndex:
        """A saved index, or an empty one when there is none or it cannot be read (the run then reads every
        page again: slower, never wrong)."""
        index = cls()
        try:
            with np.load(path, allow_pickle=False) as z:
                if str(z["format"]) != FORMAT:
                    return index
                index.page_id, index.url, index.canonical = z["page_id"], z["url"], z["canonical"]
                index.link_id, index.link, index.upto = z["link_id"], z["link"], int(z["upto"])
        except (OSError, KeyError, ValueError):
            return cls()
        if not (len(index.page_id) == len(index.url) == len(index.canonical)
                and len(index.link_id) == len(index.link)):
            return cls()
        index._by_url, index._by_canonical = _sorted(index.url), _sorted(index.canonical)
        index._by_link = _sorted(index.link)
        return index

    def _targets(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into `keys`, page id) of the page each key names: the page at that URL, or, for a key no page
        has as its URL, the page whose canonical URL it is."""
        wi, rows = _hits(*self._by_url, keys)
        out_w, out_p = [wi], [self.page_id[rows]]
        rest = np.setdiff1d(np.arange(len(keys)), wi)
        if len(rest):
            ci, crows = _hits(*self._by_canonical, keys[rest])
            out_w.append(rest[ci])
            out_p.append(self.page_id[crows])
        return np.concatenate(out_w), np.concatenate(out_p)

    def pairs(self, ids: Iterable[int]) -> list[tuple[int, int]]:
        """(linking article, linked article) with one of the two in `ids`."""
        want = np.unique(np.fromiter(ids, dtype=np.int64))
        out: set[tuple[int, int]] = set()
        # links made by the articles asked about
        mine = np.isin(self.link_id, want)
        if mine.any():
            lk, la = self.link[mine], self.link_id[mine]
            wi, target = self._targets(lk)
            out.update(zip(la[wi].tolist(), target.tolist(), strict=True))
        # links to the articles asked about: by their URL, or by a canonical URL no page has as its URL
        rows = np.nonzero(np.isin(self.page_id, want))[0]
        if len(rows):
            keys = np.concatenate((self.url[rows], self.canonical[rows]))
            keys = np.unique(keys[keys != _NONE])
            li, lrows = _hits(*self._by_link, keys)
            if len(li):
                wi, target = self._targets(keys[li])
                linker = self.link_id[lrows][wi]
                hit = np.isin(target, want)
                out.update(zip(linker[hit].tolist(), target[hit].tolist(), strict=True))
        return sorted((a, b) for a, b in out if a != b)
