"""Sentences and paragraphs: the units that copies take, edit and move.

A paragraph is a list of segments (sentence-like units). Each segment carries a story-wide id (`sid`),
kept when a copy takes it (even after rewording), so that the passages a copy shares with its parent
can be computed exactly; segments a copier adds get fresh ids. Segments are never mutated after
creation (they are not frozen only because frozen dataclasses are slow to build): an edit makes a new
segment, because the parent's own text must stay as published.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field, replace
from operator import itemgetter

from .words import Vocab


@dataclass(slots=True)
class Quote:
    """A quoted or reported statement; `start`/`end` delimit its content inside the segment text."""

    start: int
    end: int
    speaker: str
    role: str | None
    kind: str  # named-person, named-organisation, anonymous, document, social-media
    cue: str
    direct: bool


@dataclass(slots=True)
class Credit:
    """A credit a page gives: the form, the outlet named (its domain) and the URL linked, if any."""

    form: str
    site: str
    url: str | None = None


@dataclass(slots=True)
class Seg:
    """One sentence-like unit of a paragraph."""

    text: str
    sid: int
    quote: Quote | None = None
    link: tuple[int, int, str] | None = None  # anchor start, end (in text) and href
    credit: Credit | None = None
    typo: tuple[str, str] | None = None  # (misspelt, correct) word present in text
    dateline: bool = False

    @property
    def plain(self) -> bool:
        """True when rewording cannot break a quote, link, credit or typo span."""
        return self.quote is None and self.link is None and self.credit is None and self.typo is None \
            and not self.dateline


@dataclass(slots=True)
class Para:
    """A paragraph: its segments and why it is there (body, intro, commentary, credit)."""

    segs: list[Seg]
    role: str = "body"


@dataclass(slots=True)
class Ids:
    """Story-wide counter for segment ids."""

    next: int = 0

    def __call__(self) -> int:
        self.next += 1
        return self.next


def joiner(lang: str) -> str:
    """What separates sentences inside a paragraph: nothing in Chinese, a space elsewhere."""
    return "" if lang == "zh" else " "


def para_text(p: Para, lang: str) -> str:
    return joiner(lang).join(s.text for s in p.segs)


class TextGen:
    """Running text for one language from a seeded `Random`.

    Words are drawn in blocks: one `getrandbits` call gives 16-bit indices into a 65,536-slot table of
    the vocabulary, which is far faster than one `random()` per word and stays deterministic.
    """

    __slots__ = ("rng", "v", "lang", "_table", "_buf", "_pos")
    _BLOCK = 8192

    def __init__(self, rng: random.Random, v: Vocab) -> None:
        self.rng = rng
        self.v = v
        self.lang = v.lang
        reps = -(-65536 // len(v.mixed))
        self._table = (v.mixed * reps)[:65536]
        self._buf: tuple[str, ...] = ()
        self._pos = 0

    def take(self, n: int) -> tuple[str, ...]:
        """The next `n` random words."""
        if self._pos + n > len(self._buf):
            k = self._BLOCK
            raw = self.rng.getrandbits(16 * k).to_bytes(2 * k, sys.byteorder)
            fresh = itemgetter(*memoryview(raw).cast("H"))(self._table)
            self._buf = self._buf[self._pos:] + fresh
            self._pos = 0
        out = self._buf[self._pos:self._pos + n]
        self._pos += n
        return out

    def clause(self, lo: int = 6, hi: int = 14, cap: bool = False) -> str:
        """A run of words without final punctuation (quote content, reported speech)."""
        rng = self.rng
        n = lo + int(rng.random() * (hi - lo + 1))
        w = list(self.take(n))
        if self.lang == "zh":
            if n > 8:
                w.insert(n // 2, "，")
            return "".join(w)
        r = rng.random()
        if n > 9 and r < 0.5:
            w[n // 2 - 1] += ","
        if r > 0.85:
            w.insert(1 + int(rng.random() * (n - 1)), _NUMBERS[int(r * 1000) % len(_NUMBERS)])
        if cap:
            w[0] = w[0][:1].upper() + w[0][1:]
        return " ".join(w)

    def sentence(self, lo: int = 8, hi: int = 22) -> str:
        """A declarative sentence with its final punctuation."""
        if self.lang == "zh":
            return self.clause(lo, hi) + "。"
        return self.clause(lo, hi, cap=True) + "."

    def seg(self, ids: Ids) -> Seg:
        """A plain sentence segment with a fresh id."""
        return Seg(self.sentence(), ids())

    def segs(self, ids: Ids, k: int, lo: int = 8, hi: int = 22) -> list[Seg]:
        """`k` plain sentence segments (the same text `sentence` makes, drawn in one block: faster)."""
        rnd = self.rng.random
        span = hi - lo + 1
        lens = [lo + int(rnd() * span) for _ in range(k)]
        buf = self.take(sum(lens))
        out = []
        pos = 0
        zh = self.lang == "zh"
        for n in lens:
            w = list(buf[pos:pos + n])
            pos += n
            if zh:
                if n > 8:
                    w.insert(n // 2, "，")
                text = "".join(w) + "。"
            else:
                r = rnd()
                if n > 9 and r < 0.5:
                    w[n // 2 - 1] += ","
                if r > 0.85:
                    w.insert(1 + int(rnd() * (n - 1)), _NUMBERS[int(r * 1000) % len(_NUMBERS)])
                w[0] = w[0].capitalize()  # the word lists are lower case, bar a few proper nouns
                text = " ".join(w) + "."
            ids.next += 1
            out.append(Seg(text, ids.next))
        return out


_NUMBERS = ("3", "12", "40", "250", "1,200", "2024", "17", "96", "5.4", "30")


def with_typo(rng: random.Random, seg: Seg, lang: str) -> Seg:
    """The segment with one misspelt word (letters swapped), remembering the correct spelling."""
    toks = seg.text.split(" ") if lang != "zh" else None
    if toks is None:
        i = rng.randrange(0, max(1, len(seg.text) - 2))
        right = seg.text[i:i + 2]
        wrong = right[::-1]
        if wrong == right or seg.text.count(right) != 1:
            return seg
        return replace(seg, text=seg.text.replace(right, wrong), typo=(wrong, right))
    cands = [t for t in toks if len(t) >= 5 and t.isalpha() and seg.text.count(t) == 1]
    if not cands:
        return seg
    right = rng.choice(cands)
    wrong = right[0] + right[2] + right[1] + right[3:]
    if wrong == right or wrong in toks:
        return seg
    return replace(seg, text=seg.text.replace(right, wrong, 1), typo=(wrong, right))


def fix_typo(seg: Seg) -> Seg:
    """The segment with its known misspelling corrected."""
    assert seg.typo is not None
    wrong, right = seg.typo
    return replace(seg, text=seg.text.replace(wrong, right, 1), typo=None)


def reword(rng: random.Random, seg: Seg, v: Vocab, n: int) -> Seg:
    """Swap `n` words for synonyms (or other words): the edit a rewriting newspaper makes."""
    if v.lang == "zh":
        text = seg.text
        for _ in range(n):
            i = rng.randrange(0, max(1, len(text) - 3))
            text = text[:i] + rng.choice(v.words) + text[i + 2:]
        return replace(seg, text=text)
    toks = seg.text.split(" ")
    for _ in range(n):
        i = rng.randrange(1, len(toks)) if len(toks) > 1 else 0
        tok = toks[i]
        core = tok.rstrip(".,")
        tail = tok[len(core):]
        if not core.isalpha():
            continue
        new = v.synonyms.get(core) or rng.choice(v.words)
        toks[i] = new + tail
    return replace(seg, text=" ".join(toks))


@dataclass(slots=True)
class Body:
    """The paragraphs of one article plus the segments' start offsets, filled by `layout`."""

    paras: list[Para]
    lang: str
    text: str = ""
    seg_spans: list[tuple[Seg, int, int, int]] = field(default_factory=list)  # seg, start, end, para index
    para_spans: list[tuple[int, int]] = field(default_factory=list)
    para_texts: list[str] = field(default_factory=list)


def layout(paras: list[Para], lang: str) -> Body:
    """Join paragraphs with "\\n" and remember where every segment and paragraph lies in the text."""
    j = joiner(lang)
    jl = len(j)
    parts: list[str] = []
    seg_spans: list[tuple[Seg, int, int, int]] = []
    para_spans: list[tuple[int, int]] = []
    pos = 0
    for pi, p in enumerate(paras):
        if pi:
            pos += 1
        start = pos
        for s in p.segs:
            end = pos + len(s.text)
            seg_spans.append((s, pos, end, pi))
            pos = end + jl
        pos -= jl
        para_spans.append((start, pos))
        parts.append(j.join([s.text for s in p.segs]))
    return Body(paras, lang, "\n".join(parts), seg_spans, para_spans, parts)
