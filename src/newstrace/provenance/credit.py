"""Did a copy credit where its text came from?

The definition (the same words as the synthetic corpus's `credit_class`):

- **credited** — the copy names the *origin* of the text it took (the root of its chain of copies: the
  article that copied nothing), by outlet name, domain or link, in any credit line (original source,
  originally published, source, via, republished, copyright, dateline, credit link);
- **intermediary** — it names one of its other ancestors (typically its immediate source, e.g. the blog it
  reposted) but not the origin the intermediary copied: the pattern of an aggregator whose footer says
  "The original source of this article is <Blog>" when the blog relayed an agency report;
- **uncredited** — it names none of its ancestors;
- **origin** — the article copies nothing in its story.

When the immediate source is itself the origin, a copy is credited or uncredited, never intermediary.
Credit lines naming the copy's own site do not count (a site's own copyright line is not a credit).
"""

from __future__ import annotations

from ..models import Article, AttributionStatement
from .evidence import credits_naming

__all__ = ["CREDITED", "INTERMEDIARY", "UNCREDITED", "ORIGIN", "CREDIT_CLASSES", "credit_class", "named_ancestors"]

CREDITED, INTERMEDIARY, UNCREDITED, ORIGIN = "credited", "intermediary", "uncredited", "origin"
CREDIT_CLASSES = (ORIGIN, CREDITED, INTERMEDIARY, UNCREDITED)


def named_ancestors(copy: Article, ancestors: list[Article]) -> dict[int, list[AttributionStatement]]:
    """For each ancestor the copy names (by id), the statements naming it."""
    out: dict[int, list[AttributionStatement]] = {}
    for anc in ancestors:
        hits = [stmt for stmt, _how in credits_naming(copy, anc)]
        if hits and anc.id is not None:
            out[anc.id] = hits
    return out


def credit_class(copy: Article, ancestors: list[Article]) -> str:
    """Credit class of `copy` given its chain of ancestors, nearest first and the origin last.

    An empty chain means the article is an origin.
    """
    if not ancestors:
        return ORIGIN
    origin = ancestors[-1]
    if origin.site == copy.site:
        # a site copying its own earlier article: the text stayed home; judge against the first foreign ancestor
        foreign = [a for a in ancestors if a.site != copy.site]
        if not foreign:
            return CREDITED
        ancestors = foreign
        origin = foreign[-1]
    named = named_ancestors(copy, ancestors)
    if origin.id in named:
        return CREDITED
    if named:
        return INTERMEDIARY
    return UNCREDITED
