"""Marked-up text without HTML: split plain text at span offsets into pieces that each carry their marks.

Scraped text is hostile, so highlighting never inserts markup into it: the text is cut at every span
boundary (and at paragraph breaks) and the template escapes each piece and wraps it in its own element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    """A marked stretch [start, end) of the text; `info` travels to the piece (a link target, a speaker)."""

    start: int
    end: int
    kind: str  # boilerplate, shared, quote, speaker, cue, added, removed, edit
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Piece:
    text: str
    start: int
    kinds: list[str]
    infos: list[dict[str, Any]]

    @property
    def css(self) -> str:
        return " ".join(f"m-{k}" for k in self.kinds)

    def first(self, kind: str) -> dict[str, Any] | None:
        """The info of the first span of `kind` covering this piece."""
        for k, i in zip(self.kinds, self.infos, strict=True):
            if k == kind:
                return i
        return None

    def all(self, kind: str) -> list[dict[str, Any]]:
        return [i for k, i in zip(self.kinds, self.infos, strict=True) if k == kind]


def split(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> list[list[Piece]]:
    """Paragraphs of pieces covering text[start:end]; each piece lists the spans over it (in span order).

    Spans outside the text are clipped; empty and inverted spans are ignored.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    good = [s for s in spans if s.end > s.start and s.end > start and s.start < end]
    cuts = {start, end}
    for s in good:
        cuts.add(max(start, s.start))
        cuts.add(min(end, s.end))
    pos = text.find("\n", start)
    while 0 <= pos < end:
        cuts.add(pos)
        cuts.add(pos + 1)
        pos = text.find("\n", pos + 1)
    bounds = sorted(cuts)
    paragraphs: list[list[Piece]] = [[]]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if hi <= lo:
            continue
        chunk = text[lo:hi]
        if chunk == "\n":
            paragraphs.append([])
            continue
        over = [s for s in good if s.start <= lo and s.end >= hi]
        paragraphs[-1].append(Piece(chunk, lo, [s.kind for s in over], [s.info for s in over]))
    return [p for p in paragraphs if p]


def find_words(text: str, needle: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `needle` first occurs in text[start:end] (for marking an edit's words inside a passage)."""
    if not needle.strip():
        return None
    i = text.find(needle, start, end)
    return (i, i + len(needle)) if i >= 0 else None


def uncovered(start: int, end: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of [start, end) outside every covered range."""
    out: list[tuple[int, int]] = []
    pos = start
    for s, e in sorted(covered):
        if e <= pos:
            continue
        if s >= end:
            break
        if s > pos:
            out.append((pos, min(s, end)))
        pos = max(pos, e)
    if pos < end:
        out.append((pos, end))
    return out
