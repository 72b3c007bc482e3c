"""Direct quotations: spans inside quote marks, straight or curly, balanced or not, across paragraphs.

Journalistic convention: a quote that runs on into the next paragraph leaves its first paragraph
unclosed and opens the next one again; both paragraphs are one quotation. A quotation still open
at the end of a paragraph that the next paragraph does not continue ends with its paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .tokens import paragraphs

OPENING = "“„«‟"
CLOSING = "”»"
STRAIGHT = '"'
MARKS = OPENING + CLOSING + STRAIGHT
_MARK_RE = re.compile(f"[{MARKS}]")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class QuoteSpan:
    """One quotation: offsets from its opening mark to just after its closing mark (or its paragraph end)."""

    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1  # how many paragraphs it runs through
    used: bool = False  # already the content of an attribution

    def words(self, text: str) -> int:
        return len(_WORD_RE.findall(text, self.start, self.end))


def _paragraph_quotes(text: str, start: int, end: int) -> tuple[list[QuoteSpan], bool]:
    """Quotations inside one paragraph; the flag says the last one is still open at the paragraph end."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for m in _MARK_RE.finditer(text, start, end):
        p = m.start()
        ch = m.group()
        if ch in OPENING:
            if (open_at is not None and p > open_at + 1 and text[p - 1] in ",.!?"
                    and (p + 1 >= end or text[p + 1].isspace())):
                spans.append(QuoteSpan(open_at, p + 1))  # “It's unusual,“ said ...: an opening mark used to close
                open_at = None
                continue
            if open_at is not None and p > open_at + 1:
                # an opening mark while one is open: the first one was never closed
                spans.append(QuoteSpan(open_at, _trim_end(text, open_at, p), closed=False))
            open_at = p
        elif ch in CLOSING:
            if open_at is not None:
                spans.append(QuoteSpan(open_at, p + 1))
                open_at = None
            elif p - start > 0 and _starts_quote_like(text, start, p):
                # a stray closing mark with no opening one: the quote began with the paragraph
                spans.append(QuoteSpan(start, p + 1, closed=False))
        else:  # straight mark: opens or closes by position
            before = text[p - 1] if p > start else " "
            after = text[p + 1] if p + 1 < end else " "
            if open_at is None:
                if after.isspace() and not before.isspace() and p > start:
                    continue  # looks like a stray closing mark; ignore it
                open_at = p
            else:
                if after.isalnum() and before.isspace():
                    # an opening mark while one is open: restart there
                    spans.append(QuoteSpan(open_at, _trim_end(text, open_at, p), closed=False))
                    open_at = p
                    continue
                spans.append(QuoteSpan(open_at, p + 1))
                open_at = None
    if open_at is not None and end - open_at > 1:
        spans.append(QuoteSpan(open_at, _trim_end(text, open_at, end), closed=False))
        return spans, True
    return spans, False


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _starts_quote_like(text: str, start: int, p: int) -> bool:
    """A closing mark without an opening one counts only when it ends a sentence-like stretch."""
    return p - start > 10 and text[p - 1] in ".,!?"


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quotation in an article text, in order; multi-paragraph quotations are merged into one span."""
    out: list[QuoteSpan] = []
    carry: QuoteSpan | None = None  # a quotation left open by the previous paragraph
    for p_start, p_end in paragraphs(text):
        lead = p_start
        while lead < p_end and text[lead].isspace():
            lead += 1
        spans, still_open = _paragraph_quotes(text, p_start, p_end)
        if carry is not None:
            if spans and spans[0].start == lead and text[lead] in OPENING + STRAIGHT:
                first = spans.pop(0)
                carry.end = first.end
                carry.closed = first.closed
                carry.paragraphs += 1
                if still_open and not spans:
                    continue  # goes on into the next paragraph
                out.append(carry)
                carry = None
            else:
                out.append(carry)
                carry = None
        if still_open and spans:
            carry = spans.pop()
        out.extend(spans)
    if carry is not None:
        out.append(carry)
    out.sort(key=lambda q: q.start)
    return out


def quote_text(text: str, start: int, end: int) -> str:
    """The words of a quotation without its marks; paragraphs of a long quote are joined by a space."""
    parts = []
    for line in text[start:end].split("\n"):
        line = line.strip().strip(MARKS).strip()
        if line:
            parts.append(line)
    return " ".join(parts)


def quote_at(quotes: list[QuoteSpan], pos: int) -> QuoteSpan | None:
    """The quotation that contains position `pos`, if any (`quotes` sorted by start; binary search)."""
    i = bisect.bisect_right(quotes, pos, key=lambda q: q.start) - 1
    if i >= 0 and quotes[i].start <= pos < quotes[i].end:
        return quotes[i]
    return None
