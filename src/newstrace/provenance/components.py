"""Stories: the articles connected by reuse pairs strong enough to say one text travelled between them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from ..models import ArticlePair
from .options import TreeOptions
from .translations import is_link


def story_components(pairs: Iterable[ArticlePair], options: TreeOptions | None = None,
                     sites: Mapping[int, str] | None = None) -> list[set[int]]:
    """Connected components (two or more articles) of the pairs above the thresholds, largest first. A pair
    below `same_site_coverage` (an excerpt) counts only between two sites known from `sites` (article -> site).
    A link pair (`translations`: a credit line linking a page in another language) always counts."""
    options = options or TreeOptions()
    g = nx.Graph()
    for p in pairs:
        cov = max(p.coverage_a, p.coverage_b)
        if is_link(p) and p.a_id != p.b_id:
            g.add_edge(p.a_id, p.b_id)
            continue
        if p.shared_words < options.min_words or cov < options.min_coverage:
            continue
        if cov >= options.same_site_coverage or (sites and sites.get(p.a_id, "") != sites.get(p.b_id, "")
                                                 and sites.get(p.a_id) and sites.get(p.b_id)):
            g.add_edge(p.a_id, p.b_id)
    comps = [set(c) for c in nx.connected_components(g) if len(c) > 1]
    comps.sort(key=lambda c: (-len(c), min(c)))
    return comps
