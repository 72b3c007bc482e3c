"""Plain data for quotes: who said what in one article, and how a quote travels across articles."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("named-person", "named-organisation", "anonymous", "document", "social-media")


@dataclass(slots=True)
class Attribution:
    """One statement attributed to a source inside one article; offsets index `Article.text`.

    `content_*` covers what was said (with the quote marks for a direct quote), `cue_*` the words
    that attribute it ("said", "according to", ":"), `speaker_*` the mention of the source as
    written ("she", "the diplomat"), and `speaker_name` that mention resolved to a full name.
    A floating quote (a paragraph-long quote continuing the previous speaker) has no cue span.
    """

    content_start: int
    content_end: int
    content: str  # the words said, without the quote marks
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_name: str | None = None  # resolved: "Maria Zakharova" for "she", "the diplomat", "Zakharova"
    role: str | None = None  # "Foreign Ministry Spokeswoman"
    kind: str = "named-person"  # one of KINDS
    direct: bool = False  # the content is a quotation inside quote marks
    partial: bool = False  # reported speech that carries quoted words inside it
    confidence: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


@dataclass(slots=True)
class QuoteAppearance:
    """One appearance of a quote in one article."""

    article_id: int
    published: datetime | None
    content: str
    speaker_name: str | None
    content_start: int = 0
    content_end: int = 0
    site: str | None = None
    similarity: float = 1.0  # to the first appearance's words, 0..1


@dataclass(slots=True)
class Alteration:
    """How a later appearance differs from the first: words changed inside the quote, or another speaker."""

    article_id: int
    kind: str  # "words" or "speaker"
    removed: list[str] = field(default_factory=list)  # word runs in the first appearance, not in this one
    added: list[str] = field(default_factory=list)  # word runs in this appearance, not in the first
    speaker_before: str | None = None
    speaker_after: str | None = None
    similarity: float = 1.0


@dataclass(slots=True)
class QuoteTrail:
    """The same quote across articles: its first appearance, every later one, and what changed."""

    key: str  # normalised words of the first appearance
    first: QuoteAppearance
    later: list[QuoteAppearance] = field(default_factory=list)
    alterations: list[Alteration] = field(default_factory=list)

    @property
    def appearances(self) -> list[QuoteAppearance]:
        return [self.first, *self.later]

    @property
    def speaker_name(self) -> str | None:
        """Who said it: as the first appearance names the speaker, else as most later ones do (a copy that
        kept the quote and named its speaker where the first page's attribution was not read)."""
        if self.first.speaker_name:
            return self.first.speaker_name
        named = Counter(a.speaker_name for a in self.later if a.speaker_name)
        return named.most_common(1)[0][0] if named else None
