"""A synthetic news ecosystem with ground truth: sites, stories that spread, credit, quotes, noise.

`generate(SynthConfig(...), out_dir)` writes `html/<domain>/<slug>.html` (and optionally
`corpus.warc.gz`, `corpus.jsonl`), `truth.jsonl` (one object per article, streamed) and `sites.json`.
Output is byte-identical for a given config (seeded `random.Random`, no clock, no hash order) and
memory stays flat: stories are generated and written one at a time.

Credit classes in the truth are judged against the story's ORIGIN: "credited" when the page names
the origin's outlet or links the origin article (so a copy of the origin is credited exactly when it
credits its parent); "intermediary" when it names only sites between the origin and itself (the seed
page: an aggregator crediting the blog, not the agency the blog copied); "uncredited" when it names
none of them; "origin" for an article that copies nothing. See `truth.py` for the details.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .locales import SUPPORTED
from .sites import default_sites, make_sites, min_sites
from .stories import CREDIT_FORMS, EDIT_KINDS, StoryMaker
from .writer import Writer

__all__ = ["SynthConfig", "SynthSummary", "generate", "default_sites", "EDIT_KINDS", "CREDIT_FORMS",
           "SOURCING_KINDS", "SITE_KINDS"]

SOURCING_KINDS = ("named-person", "named-organisation", "anonymous", "document", "social-media")
SITE_KINDS = ("wire", "state", "newspaper", "aggregator", "proxy", "blog")


@dataclass(frozen=True, slots=True)
class SynthConfig:
    """The knobs of `newstrace synth` (one field per CLI option)."""

    articles: int = 1000
    sites: int | None = None  # None: grows with `articles` (see `default_sites`)
    seed: int = 0
    warc: bool = False
    jsonl: bool = False
    copy_share: float = 0.35  # target share of articles that copy another (before budget truncation)
    edit_intensity: float = 0.5  # 0 = verbatim copies, 1 = heavy rewriting
    credit_rate: float = 0.55  # chance a copy adds an explicit credit of its own
    languages: tuple[str, ...] = ("en", "ru", "zh")
    date_noise: float = 0.08  # share of pages whose declared date is skewed
    html: bool = True  # one HTML file per article (off for WARC/JSONL-only corpora of millions)

    def validate(self) -> SynthConfig:
        """The config with defaults filled in; ValueError naming the bad knob otherwise."""
        if self.articles < 1:
            raise ValueError(f"--articles must be at least 1, got {self.articles}")
        raw = self.languages.split(",") if isinstance(self.languages, str) else self.languages
        langs = tuple(dict.fromkeys(x.strip() for x in raw if x.strip()))
        if not langs:
            raise ValueError("--languages must name at least one language")
        bad = [x for x in langs if x not in SUPPORTED]
        if bad:
            raise ValueError(f"unsupported language(s) {', '.join(bad)}; choose from {', '.join(SUPPORTED)}")
        for name in ("copy_share", "edit_intensity", "credit_rate", "date_noise"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"--{name.replace('_', '-')} must be between 0 and 1, got {value}")
        sites = self.sites if self.sites is not None else max(default_sites(self.articles), min_sites(langs))
        if sites < min_sites(langs):
            raise ValueError(f"--sites {sites} is too few for languages {','.join(langs)}: "
                             f"need at least {min_sites(langs)}")
        return SynthConfig(self.articles, sites, self.seed, self.warc, self.jsonl, self.copy_share,
                           self.edit_intensity, self.credit_rate, langs, self.date_noise, self.html)


@dataclass(slots=True)
class SynthSummary:
    """What was generated, for the CLI and benchmarks."""

    out_dir: Path
    articles: int
    sites: int
    stories: int
    copies: int
    translations: int
    credit_classes: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def generate(config: SynthConfig, out_dir: str | Path,
             progress: Callable[[int], None] | None = None) -> SynthSummary:
    """Write a synthetic corpus into `out_dir` (which must be empty or absent).

    `progress`, when given, is called with the number of articles written so far after each story.
    """
    cfg = config.validate()
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; choose a new folder for the corpus")
    started = time.perf_counter()
    rng = random.Random(cfg.seed)
    assert cfg.sites is not None
    sites = make_sites(rng, cfg.sites, cfg.languages)
    maker = StoryMaker(rng, sites, cfg.articles, cfg.copy_share, cfg.edit_intensity, cfg.credit_rate,
                       cfg.date_noise, cfg.languages)
    out.mkdir(parents=True, exist_ok=True)
    writer = Writer(out, sites, cfg.warc, cfg.jsonl, cfg.html)
    classes: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    written = stories = translations = 0
    try:
        while written < cfg.articles:
            arts = maker.story(stories, cfg.articles - written)
            stories += 1
            for art in arts:
                rec = writer.write(art)
                classes[rec["credit_class"]] += 1
                langs[art.lang] += 1
                translations += art.translated_from is not None
            written += len(arts)
            if progress is not None:
                progress(written)
    finally:
        writer.close()
    return SynthSummary(out, written, len(sites), stories, written - classes["origin"], translations,
                        dict(sorted(classes.items())), dict(sorted(langs.items())),
                        time.perf_counter() - started)
