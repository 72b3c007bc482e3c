"""Pages whose credit line links another stored page: the pairs `ReuseParams.linked()` aligns.

The index grows a step at a time, as the runner works through the corpus in id order, so a run reads
each page's URLs and links once. Keys are hashes of `sites.page_key` (a link and a URL compare equal
without scheme, "www.", fragment or trailing slash), which keeps a million pages at a few tens of MB.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..sites import page_key

__all__ = ["LinkIndex"]


def _key(url: str | None) -> int | None:
    k = page_key(url)
    return hash(k) if k else None


class LinkIndex:
    """Pages by URL (and canonical URL), and the links each page's credit lines make."""

    def __init__(self) -> None:
        self.upto = 0  # pages and links of articles with id <= upto are in
        self.by_url: dict[int, list[int]] = {}
        self.by_canonical: dict[int, list[int]] = {}
        self.page_keys: dict[int, tuple[int | None, int | None]] = {}  # article -> (URL key, canonical key)
        self.links_of: dict[int, list[int]] = {}  # article -> keys its credit lines link
        self.linking: dict[int, list[int]] = {}  # key -> articles whose credit lines link it

    def add(self, pages: Iterable[tuple[int, str, str | None]], links: Iterable[tuple[int, str]],
            upto: int) -> None:
        """Pages (id, URL, canonical URL) and links (article id, URL) of articles up to id `upto`."""
        for aid, url, canonical in pages:
            u, c = _key(url), _key(canonical)
            self.page_keys[aid] = (u, c)
            if u is not None:
                self.by_url.setdefault(u, []).append(aid)
            if c is not None:
                self.by_canonical.setdefault(c, []).append(aid)
        for aid, url in links:
            k = _key(url)
            if k is not None:
                self.links_of.setdefault(aid, []).append(k)
                self.linking.setdefault(k, []).append(aid)
        self.upto = max(self.upto, upto)

    def _targets(self, key: int) -> list[int]:
        """The page a link names: the page at that URL, or, where there is none, the page whose canonical URL it is."""
        return self.by_url.get(key) or self.by_canonical.get(key, [])

    def pairs(self, ids: Iterable[int]) -> list[tuple[int, int]]:
        """(linking article, linked article) with one of the two in `ids`."""
        out: set[tuple[int, int]] = set()
        for a in ids:
            for k in self.links_of.get(a, ()):
                out.update((a, t) for t in self._targets(k) if t != a)
            u, c = self.page_keys.get(a, (None, None))
            for k in (u, c if c is not None and c not in self.by_url else None):
                if k is not None and a in self._targets(k):
                    out.update((linker, a) for linker in self.linking.get(k, ()) if linker != a)
        return sorted(out)
