"""Who said what in one article: the public entry point of quote extraction.

`extract_attributions(text)` is pure: the same text gives the same attributions. It finds the
quotations first (so sentences never split inside one), parses each sentence around its cue
verbs, reads "Name: ..." colon attributions, gives paragraph-long quotes with no cue to the
previous speaker, then resolves every speaker in reading order and names its sourcing kind.
Where a trained spaCy English pipeline is installed, its entities and parse refine the speakers
afterwards (`refine.py`); without one, the result is the rule-based one and nothing else runs.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Literal

from . import chinese, nlp, russian
from . import lexicon as lx
from .direct import CLOSING, MARKS, OPENING, QuoteSpan, find_quotes, quote_text
from .kinds import sourcing_kind
from .models import Attribution
from .refine import Model, refine
from .reported import Candidate, parse_sentence
from .speakers import Resolver, classify
from .tokens import paragraphs, sentences, tokenize

OTHER_LANGUAGES = {"ru": russian.extract, "zh": chinese.extract}  # rule sets of their own, not a `Lexicon`
_COLON_RE = re.compile(r"([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3})\s*:\s+(?=\S)")
# Two apostrophes as a quote mark (''like this''), as some archives print them.
_TWO_APOSTROPHES = re.compile(r"''")
_NOT_SPEAKERS = {"disclaimer", "copyright", "note", "editor", "update", "updated", "source", "photo", "image",
                 "video", "read", "related", "watch", "see", "subscribe", "share", "tags", "contact", "email",
                 "tel", "phone", "fax", "address", "date", "time", "title", "summary", "warning", "caption",
                 "credit", "credits", "correction", "advertisement", "q", "a", "question", "answer"}


def extract_attributions(text: str, language: str | None = "en",
                         model: Model | None | Literal["auto"] = "auto") -> list[Attribution]:
    """Every attribution in an article text (offsets into `text`), in reading order.

    Russian and Chinese have their own rule sets (`russian.py`, `chinese.py`); other languages without a
    lexicon give an empty list; `None` is taken as English. `model` refines
    English speakers: "auto" uses an installed trained spaCy pipeline if there is one (see `nlp.py`),
    None keeps the rule-based result, and any object with `analyse(text)` is used as given.
    """
    lang = (language or "en").split("-")[0].lower()
    if lang in OTHER_LANGUAGES:
        return OTHER_LANGUAGES[lang](text) if text and text.strip() else []
    atts = _extract(text, language)
    if atts and lang == "en":
        chosen = nlp.load_model() if model == "auto" else model
        if chosen is not None and not isinstance(chosen, str):
            try:
                analysis = chosen.analyse(text)
            except Exception as exc:  # a model failing on one text keeps that text's rule-based result
                nlp.log.warning("quotes: %s failed on a text (%s: %s); rule-based result kept",
                                getattr(chosen, "name", "model"), type(exc).__name__, exc)
                return atts
            atts = refine(text, atts, analysis)
    return atts


def _extract(text: str, language: str | None) -> list[Attribution]:
    """The rule-based attributions: the whole default path."""
    lex = lx.LEXICONS.get((language or "en").split("-")[0].lower())
    if lex is None or not text or not text.strip():
        return []
    original = text
    if "''" in text:
        text = _TWO_APOSTROPHES.sub(lambda m: ' "' if m.end() < len(m.string) and m.string[m.end()].isalnum() else '" ',
                                    text)
    quotes = find_quotes(text)
    protected = [(q.start, q.end) for q in quotes]
    cue_at = lex.cue_positions(text)  # one pass: sentences without a cue are never tokenized
    cands: list[Candidate] = []
    for p0, p1 in paragraphs(text):
        if p1 - p0 < 3:
            continue
        found_in_para: list[Candidate] = []
        if not _has_cue(cue_at, p0, p1):
            sentence_spans: list[tuple[int, int]] = []
        else:
            keep = functools.partial(_short_cue_clause, text, cue_at, end=p1)
            sentence_spans = sentences(text, p0, p1, protected, keep)
        for s0, s1 in sentence_spans:
            if not _has_cue(cue_at, s0, s1):
                continue
            toks = tokenize(text, s0, s1)
            if toks:
                found = parse_sentence(text, s0, s1, toks, quotes, lex)
                _trim_nested(text, found)
                found_in_para.extend(found)
        if not found_in_para:
            colon = _colon(text, p0, p1, quotes)
            if colon is not None:
                found_in_para.append(colon)
        cands.extend(found_in_para)
    cands = _dedupe(cands)
    for c in cands:
        if c.quote is not None:
            c.quote.used = True
    return _resolve(text, cands, quotes, original)


def _short_cue_clause(text: str, cue_at: list[int], pos: int, end: int) -> bool:
    """Whether the stretch from `pos` to its sentence end is a short attribution ("Trump said on Twitter.")."""
    stop = text.find(".", pos, end)
    stop = end if stop < 0 else stop
    return len(text[pos:stop].split()) <= 8 and _has_cue(cue_at, pos, stop)


def _has_cue(cue_at: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_left(cue_at, start)
    return i < len(cue_at) and cue_at[i] < end


def _trim_nested(text: str, found: list[Candidate]) -> None:
    """"According to X, A, Y said": X's content stops where Y's speaker begins."""
    for c in found:
        if c.quote is not None:
            continue
        for other in found:
            if other is c or other.mention is None:
                continue
            ms = other.mention.start
            if c.content_start < ms < c.content_end and other.content_start <= c.content_start:
                end = ms
                while end > c.content_start and (text[end - 1].isspace() or text[end - 1] in ",;—–-"):
                    end -= 1
                c.content_end = end


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One attribution per content span and cue; the more confident candidate wins."""
    best: dict[tuple[int, int, int], Candidate] = {}
    for c in cands:
        key = (c.content_start, c.content_end, c.cue_start if c.cue_start is not None else -1)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return sorted(best.values(), key=lambda c: (c.content_start, c.cue_start or 0))


def _colon(text: str, p0: int, p1: int, quotes: list[QuoteSpan]) -> Candidate | None:
    """"Maria Petrova: the talks failed." at the start of a paragraph."""
    m = _COLON_RE.match(text, p0, p1)
    if m is None or m.group(1).split()[0].lower().rstrip(".") in _NOT_SPEAKERS:
        return None
    toks = tokenize(text, m.start(1), m.end(1))
    if not toks:
        return None
    mention = classify(text, toks)
    if mention.category != "person" or (mention.name or "").count(" ") < 1 or m.group(1).isupper():
        return None
    start = m.end()
    end = p1
    while end > start and text[end - 1].isspace():
        end -= 1
    words = text[start:end].split()
    if len(words) < 3 or sum(w[:1].isupper() for w in words) > len(words) / 2:
        return None  # a headline in title case ("Fix Is In: PBS Moderators Ignore ..."), not a statement
    q = next((q for q in quotes if q.start == start and q.end >= end - 1), None)
    colon_at = text.index(":", m.end(1))
    return Candidate(start, end, colon_at, colon_at + 1, ":", mention, q, "colon", 0.7)


def _resolve(text: str, cands: list[Candidate], quotes: list[QuoteSpan], original: str) -> list[Attribution]:
    """Resolve speakers in reading order and add floating quotes that continue the previous speaker."""
    resolver = Resolver(text)
    floating = [q for q in quotes if not q.used and _is_floating(text, q)]
    events: list[tuple[int, int, Candidate | QuoteSpan]] = []
    for c in cands:
        pos = min(c.content_start, c.mention.start if c.mention else c.content_start)
        events.append((pos, 0, c))
    for q in floating:
        events.append((q.start, 1, q))
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[Attribution] = []
    last: Attribution | None = None
    for _pos, _tag, item in events:
        if isinstance(item, QuoteSpan):
            if last is not None and last.speaker_name and text.count("\n", last.content_end, item.start) <= 2:
                out.append(Attribution(
                    content_start=item.start, content_end=item.end, content=quote_text(text, item.start, item.end),
                    speaker_name=last.speaker_name, role=last.role, kind=last.kind, direct=True, confidence=0.6))
            continue
        att = _attribution(text, item, resolver, original)
        out.append(att)
        last = att
    out.sort(key=lambda a: a.content_start)
    return out


def _is_floating(text: str, q: QuoteSpan) -> bool:
    """A quotation that is a whole paragraph on its own (or opens it) with no cue of its own."""
    p_start = text.rfind("\n", 0, q.start) + 1
    if text[p_start:q.start].strip():
        return False
    p_end = text.find("\n", q.end)
    p_end = len(text) if p_end < 0 else p_end
    rest = text[q.end:p_end].strip()
    return not rest and q.words(text) >= 4


def _attribution(text: str, c: Candidate, resolver: Resolver, original: str) -> Attribution:
    m = c.mention
    name = role = None
    category = "anonymous"
    if m is not None:
        name, role, category = resolver.resolve(m)
        role = c.role or role
    if c.quote is not None:
        content = quote_text(text, c.quote.start, c.quote.end)
        direct, partial = True, False
    else:
        content = original[c.content_start:c.content_end].strip()
        direct = False
        partial = any(ch in content for ch in MARKS) or _starts_and_ends_quoted(content)
    context = ""
    if c.cue_end is not None:
        if c.content_start >= c.cue_end:
            context = text[c.cue_end:c.content_start]
        else:
            eol = text.find("\n", c.cue_end)
            context = text[c.cue_end:eol if eol >= 0 else len(text)][:80]
    kind = sourcing_kind(category, c.lemma, context)
    cue = text[c.cue_start:c.cue_end] if c.cue_start is not None and c.cue_end is not None else None
    return Attribution(
        content_start=c.content_start, content_end=c.content_end, content=content,
        cue=cue, cue_start=c.cue_start, cue_end=c.cue_end,
        speaker=m.text if m else None, speaker_start=m.start if m else None, speaker_end=m.end if m else None,
        speaker_name=name if category in {"person", "organisation"} else (name or None),
        role=role, kind=kind, direct=direct, partial=partial, confidence=round(c.confidence, 2))


def _starts_and_ends_quoted(content: str) -> bool:
    return content[:1] in OPENING and content[-1:] in CLOSING
