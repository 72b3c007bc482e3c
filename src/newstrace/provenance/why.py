"""Why a copy came through a page rather than straight from that page's own source, in words a reader can check.

The tree picks each copy's source from many weighed terms, and a user looking at agency → blog → aggregator will
ask why the aggregator hangs under the blog. The honest answer is what the aggregator holds of the blog's that
the agency's page does not have: the blog's headline, its byline, text only the blog has (its intro or
commentary), its typos and rewordings. Each found is an `Evidence` item on the edge (`favours` the source), shown
by `newstrace trace` and kept in the JSON and exports. These items only describe the choice; the tree is built
before them and does not read them.
"""

from __future__ import annotations

from ..bylines import byline_key, byline_keys
from ..models import Article, Evidence
from . import _spans
from ._spans import Spans
from .bridges import KIND as BRIDGE
from .origin import norm_title
from .readings import Readings
from .translations import KIND as TRANSLATION

KINDS = ("kept-headline", "kept-byline", "own-text", "readings")  # the evidence kinds these reasons use
SHOWN = (*KINDS, BRIDGE, TRANSLATION)  # ...and those `trace` and the article page show under a copy
MIN_CHARS = 40  # shorter stretches are alignment noise at passage edges
QUOTE = 60  # characters of a stretch quoted in the reason


def why_through(copy: Article, source: Article, grand: Article, spans: dict[tuple[int, int], Spans],
                readings: Readings) -> list[Evidence]:
    """Reasons `copy` came through `source` rather than from `grand` (the source's own source), from what it
    shares with each: `spans[(copy, x)]` are the copy's ranges shared with x."""
    c, s, g = copy.id, source.id, grand.id
    if c is None or s is None or g is None:
        return []
    out: list[Evidence] = []
    title = norm_title(copy.title)
    if title and title == norm_title(source.title) and title != norm_title(grand.title):
        out.append(Evidence("kept-headline", s, 1.0, f"keeps this page's headline {source.title!r}, not its source's"))
    kept = byline_keys(copy.authors) & byline_keys(source.authors) - byline_keys(grand.authors)
    if kept:
        name = next(a for a in source.authors if byline_key(a) in kept)
        out.append(Evidence("kept-byline", s, 1.0, f"keeps this page's byline {name!r}, not its source's"))
    only = _spans.drop_short(_spans.subtract(spans.get((c, s), []), spans.get((c, g), [])), MIN_CHARS)
    if only:
        n = _spans.total(only)
        a, b = max(only, key=lambda r: r[1] - r[0])
        text = " ".join(copy.text[a:b].split())
        text = text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"
        out.append(Evidence("own-text", s, float(n),
                            f"holds {n} characters of this page that its source {grand.site} lacks: {text!r}"))
    n, words = readings.inherited(c, s, g)
    if n:
        out.append(Evidence("readings", s, float(n), (
            f"carries {n} reading{'s' if n > 1 else ''} of this page that its source {grand.site} lacks"
            + (": " + ", ".join(repr(w) for w in words) if words else ""))))
    return out
