"""A light tokenizer and sentence splitter with character offsets (plain Python, no model).

Sentences never end inside a known quotation, so a multi-sentence quote and the cue after it
("“It failed. We tried,” she said.") stay in one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# words (inner hyphens, apostrophes, "&"), a possessive "’s" on its own, any other character as punctuation;
# "U.S.", "J." and "Mr." are put back together after matching (cheaper than a regex alternative per position)
WORD_RE = re.compile(r"\w+(?:(?:[-&]|['’](?![sS]\b))\w+)*|['’][sS]\b|[^\w\s]", re.UNICODE)
# A sentence ends at . ! ? (and closing marks after it) followed by space and a capital, digit or opening mark.
_BOUNDARY_RE = re.compile(
    r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-ÖØ-ÞЀ-Я])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])"
)
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "capt", "sgt", "adm", "maj", "cmdr",
    "rev", "st", "jr", "sr", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "inc", "corp", "co", "ltd", "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "approx", "dept", "est",
    "pres", "amb", "hon", "ft", "mt", "fig", "ave", "u.s.a", "d.c", "a.m", "p.m", "gov't", "lt.-gen", "op", "vol",
}


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words and punctuation of text[start:end], with offsets into `text`.

    A word keeps a dot only when it is an abbreviation or an initial ("U.S.", "Mr.", "J."); a possessive
    is its own token ("Ministry’s" -> "Ministry" + "’s").
    """
    stop = len(text) if end is None else end
    out: list[Token] = []
    for m in WORD_RE.finditer(text, start, stop):
        w = m.group()
        s, e = m.start(), m.end()
        if w == "." and out and out[-1].end == s:
            prev = out[-1]
            pw = prev.text
            if (len(pw) == 1 and pw.isalpha()) or pw.lower() in ABBREVIATIONS or (
                    pw.endswith(".") and len(pw) >= 2 and pw[-2].isalpha() and (len(pw) == 2 or pw[-3] == ".")):
                out[-1] = Token(pw + ".", prev.start, e)  # "U" "." "S" "." -> "U.S."
                continue
        if (out and out[-1].end == s and out[-1].text.endswith(".") and len(out[-1].text) >= 2 and len(w) == 1
                and w.isalpha() and e < stop and text[e] == "."):
            prev = out[-1]
            out[-1] = Token(prev.text + w, prev.start, e)  # "U." + "S" (the dot follows)
            continue
        out.append(Token(w, s, e))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of an article text (lines joined by newlines)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or an initial rather than a sentence."""
    j = dot
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in "(\"“":
        j -= 1
    word = text[j:dot]
    if word.lower() in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha() and word.isupper()  # "J. Smith", not "... a."


def sentences(text: str, start: int, end: int, protected: list[tuple[int, int]] | None = None,
              keep: Callable[[int], bool] | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end]; no boundary falls strictly inside a `protected` span.

    `keep(pos)`, when given, may veto a boundary right after a closing quote mark whose next sentence
    starts at `pos` ("“We need it NOW!” Trump said on Twitter." stays one sentence).
    """
    out: list[tuple[int, int]] = []
    cur = start
    pi = 0
    prot = sorted(protected or [])
    for m in _BOUNDARY_RE.finditer(text, start, end):
        dot = m.start()
        stripped = dot + len(m.group().rstrip())
        while pi < len(prot) and prot[pi][1] < stripped:
            pi += 1
        # a boundary inside a quotation that goes on past it is no boundary
        if any(s < dot and e > stripped for s, e in prot[pi:pi + 3]):
            continue
        if text[dot] == "." and _is_abbreviation(text, dot):
            continue
        if keep is not None and text[stripped - 1] in "\"”" and keep(m.end()):
            continue
        out.append((cur, stripped))
        cur = m.end()
    if cur < end:
        tail_end = end
        while tail_end > cur and text[tail_end - 1].isspace():
            tail_end -= 1
        if tail_end > cur:
            out.append((cur, tail_end))
    return out
