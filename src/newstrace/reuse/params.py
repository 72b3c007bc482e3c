"""The reuse engine's parameters: one small frozen value, hashed so a changed setting forces a rebuild."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace

ENGINE_VERSION = 4  # bump when results would change for the same parameters (2: sentence-end keys,
# 3: headline keys, 4: widely shared fingerprints pair through hubs)
DEFAULT_CHUNK = 25_000  # new articles per runner step: peak memory follows the chunk, not the corpus


@dataclass(frozen=True, slots=True)
class ReuseParams:
    """Defaults suit verbatim and lightly edited copying (wire stories, republication).

    `derived()` gives a looser mode for heavily rewritten text (shorter n-grams, wider gaps).
    """

    ngram: int = 5  # tokens per fingerprint n-gram (characters for scripts without spaces)
    winnow: int = 6  # winnowing window: any shared run of ngram+winnow-1 tokens shares a fingerprint
    df_cap: int = 100  # a fingerprint pairs all of its first this many holders ...
    df_hubs: int = 10  # ... and each later holder with only the first this many (holders ranked by article id)
    min_shared: int = 3  # shared fingerprints needed to align a candidate pair
    seed_ngram: int = 4  # n-gram length of alignment anchors
    max_gap: int = 25  # tokens between anchors that still continue one passage (both sides)
    min_words: int = 20  # a pair needs one passage at least this long (tokens on the shorter side) ...
    min_extra_words: int = 8  # ... and then also gets its shorter passages down to this length
    min_exact_share: float = 0.8  # ... or one unbroken verbatim run of this share of min_words (a kept sentence)
    excerpt_words: int = 12  # ... or one whole sentence this long, word for word, between two sites (0: off)
    linked_words: int = 6  # a pair one of whose pages links to the other in a credit line, or kept or dressed up
    # the other's headline, needs one passage this long (0: such pairs follow the usual rules)
    bp_min_pages: int = 3  # a unit must appear on at least this many pages of a site ...
    bp_fraction: float = 0.05  # ... and on this share of the site's pages ...
    bp_max_pages: int = 50  # ... but a large site never needs more than this many
    bp_small_site: int = 10  # sites with fewer pages also use the cross-site list and built-in patterns
    bp_common_sites: int = 2  # a unit that is boilerplate on this many sites is boilerplate everywhere

    @classmethod
    def derived(cls) -> ReuseParams:
        """A looser mode for rewritten text: bigrams, dense fingerprints, short passages."""
        return cls(ngram=3, winnow=3, min_shared=2, seed_ngram=2, max_gap=15, min_words=3, min_extra_words=3,
                   excerpt_words=0, linked_words=3)

    def linked(self) -> ReuseParams:
        """The rules for a pair one of whose pages links to the other in a credit line ("Source: <a>Wire</a>"):
        the link already says the text was taken, so a blog quoting one short sentence of the report it links
        pairs with it, where two unlinked pages sharing that little may share a stock phrase."""
        return replace(self, min_words=self.linked_words, min_extra_words=min(self.min_extra_words, self.linked_words),
                       excerpt_words=0)

    def with_(self, **changes: object) -> ReuseParams:
        return replace(self, **changes)  # type: ignore[arg-type]

    def validate(self) -> None:
        if not 1 <= self.ngram <= 12 or not 1 <= self.seed_ngram <= 12:
            raise ValueError("ngram and seed_ngram must be between 1 and 12")
        if (self.winnow < 1 or self.df_cap < 2 or self.min_shared < 1
                or not 1 <= self.min_extra_words <= self.min_words or not 0 < self.min_exact_share <= 1):
            raise ValueError("winnow and min_shared must be positive, df_cap at least 2, "
                             "1 <= min_extra_words <= min_words, and 0 < min_exact_share <= 1")
        if not 0 <= self.df_hubs <= self.df_cap:
            raise ValueError("df_hubs must be between 0 (off) and df_cap")
        if self.excerpt_words < 0 or 0 < self.excerpt_words < self.min_extra_words:
            raise ValueError("excerpt_words must be 0 (off) or at least min_extra_words")
        if not 0 <= self.linked_words <= self.min_words:
            raise ValueError("linked_words must be between 0 (off) and min_words")

    def key(self) -> str:
        """Hash of the parameters and engine version: stored with results to detect a change."""
        blob = json.dumps({"engine": ENGINE_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
