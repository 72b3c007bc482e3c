"""Author names as compared across pages: which bylines can single out a writer, and on which sites each appears.

A data concern below the analyses: the store counts names per site with it, provenance reads the counts.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Bylines", "byline_key", "byline_keys", "count_names"]

Bylines = dict[str, dict[str, int]]  # author name (`byline_key`) -> pages per site carrying it

# words of a byline that names a desk or an outlet, not a writer: "Reuters Staff", "Associated Press", "Редакция"
_DESK_WORDS = frozenset("""staff reporter reporters correspondent correspondents desk editor editors editorial news
newsroom agency agencies press wire wires service services team bureau admin administrator contributor contributors
guest online web digital report reports media writer writers associated international network редакция редакции
корреспондент корреспонденты служба агентство новости пресс-служба""".split())


def byline_key(name: str) -> str:
    """An author name as compared across pages (case and spacing aside). Empty for what cannot single out a
    writer: one word or initials, and desk or outlet bylines ("Reuters Staff", "Associated Press"), which every
    site carrying the wire prints. Names written without spaces (Chinese) are not compared."""
    key = " ".join(name.split()).casefold()
    if len(key) < 4 or " " not in key or any(w.strip(".,") in _DESK_WORDS for w in key.split()):
        return ""
    return key


def byline_keys(names: Iterable[object]) -> set[str]:
    """The comparable names among a page's bylines (`byline_key`, the empty ones dropped)."""
    return {byline_key(x) for x in names if isinstance(x, str)} - {""}


def count_names(rows: Iterable[tuple[str, Iterable[object], int]]) -> Bylines:
    """Pages per site for each comparable name, from (site, author names, pages) rows: one row per article in
    memory, or one per distinct (site, byline list) as the store groups them."""
    out: Bylines = {}
    for site, names, n in rows:
        for name in byline_keys(names):
            per = out.setdefault(name, {})
            per[site] = per.get(site, 0) + int(n)
    return out
