"""The thresholds and weights of stories and trees, in one place (`trees`, `candidates`, `components` read them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TreeOptions"]


@dataclass(frozen=True, slots=True)
class TreeOptions:
    """Thresholds and weights for stories and trees (defaults tuned on the synthetic corpus).

    An edge's weight is a log-score: log(direction probability) plus text terms, each saturating at
    `text_scale` characters so that a clear stretch of distinguishing text counts fully whatever the length.
    """

    min_coverage: float = 0.05  # a pair of two sites joins a story when either side is this much shared...
    same_site_coverage: float = 0.15  # ...two pages of one site (furniture boilerplate learning missed) this much
    min_words: int = 6  # ...and they share at least this many words (reuse's `linked_words`, its shortest pair)
    min_direction: float = 0.2  # an orientation below this probability is no candidate edge
    likely_direction: float = 0.5  # earlier articles this sure of coming first explain (or fail to) the copy's text
    root_score: float = -4.0  # score of "copies nothing" (the virtual root's edges)
    single_origin: bool = True  # a story (connected by shared text) has one origin: a second root costs...
    extra_root_score: float = -12.0  # ...this, so every other article takes some source, weak ones included
    weak_penalty: float = 1.0  # an orientation below `min_direction`, used only to avoid a second root
    weak_floor: float = 0.01  # its probability is counted at least this
    text_scale: int = 150  # characters of distinguishing text that count fully
    exclusive_weight: float = 3.0  # the copy holds text only this candidate has (among earlier ones)
    exclusive_among_candidates: bool = True  # ...among all candidates, not only the likely ones
    missing_weight: float = 3.0  # the copy holds text an earlier article has and this candidate lacks
    cover_weight: float = 0.5  # share of the copy this candidate covers
    title_weight: float = 2.5  # the copy kept this candidate's own headline
    byline_weight: float = 2.0  # the copy kept this candidate's byline (and some other likely candidate's differs)
    derived_title: float = 0.5  # share of the title weight for a shared headline that wraps an earlier one
    derived_from_kept: bool = True  # ...asked of the headline kept (False: of the copy's own headline)
    wrapped_title_source: bool = True  # a copy's headline wrapping a candidate's counts as keeping it
    dressed_source_penalty: float = 3.0  # a candidate whose headline wraps the copy's is no source of it
    fidelity_weight: float = 1.5  # the copy differs from this candidate where a rival agrees with it...
    fidelity_words: float = 3.0  # ...counts fully from this many differing readings (a copy carries its
    # source's typos and rewordings; `readings.py`), either way: fewer than every rival counts as a bonus
    readings: bool = True  # False: the old measure, words differing inside all passages shared with a candidate
    credit_weight: float = 1.0  # the copy names this candidate's outlet (a dateline counts a fifth)...
    credit_passed_down: bool = True  # ...unless it also names a later candidate that copied this one
    copy_penalty: float = 0.4  # the candidate is itself a copy (prefer the nearer-to-root explanation)...
    copy_from_tree: bool = True  # ...as a first tree of the whole story says, not as its pairwise directions do
    origin_role_weight: float = 2.0  # the site's log-odds of being the source leans the choice of origin
    site_origin_weight: float = 2.0  # ...and its log-odds of starting the stories it is in (a first set of trees)
    credited_origin: float = 2.0  # others credit this article's outlet and it credits nobody here: the origin...
    credited_origin_cap: int = 3  # ...times the square root of how many sites credit it, counted up to this many
    dateline_origin: float = 3.0  # another member's dateline names this article's site: likely the origin
    most_credited_origin: bool = True  # ...these two leans go to the member credited by the most members only
    outside_origin: bool = True  # a root crediting an outlet outside the story is an intermediary for credit classes
    wrapped_title_origin: float = 4.0  # this article's headline wraps another member's ("Breaking: ..."): a copy
    loud_title: bool = True  # ...or shouts it (capitals, an exclamation mark added)
    lede: bool = True  # an article holding its own text above the shared text copied the other (`lede.py`)
    min_exclusive_chars: int = 40  # shorter leftovers are alignment noise at passage edges
    one_hop_repair: bool = False  # text C shares with S that S shares with P counts as shared with P (`repair.py`):
    # off since the fifth round, when it cost parent accuracy (-0.2 points on twelve corpora, -0.4 on four new
    # ones) and most of the time of large stories
    secondary_chars: int = 80  # a second source must explain at least this much text...
    secondary_share: float = 0.05  # ...and this share of the copy
    max_candidates: int = 12  # per article, the strongest candidate sources kept for Edmonds
    max_neighbours: int = 40  # per article, the neighbours (most shared text first) weighed as sources...
    earliest_neighbours: int = 10  # ...and, past that many, also the earliest published ones
    bridges: int = 10  # per article, pages published before all its neighbours, bridged through a hub...
    bridge_hub: int = 40  # ...a neighbour with at least this many neighbours (`bridges.py`)
