"""Cue-driven parsing of one sentence: speaker, cue and content around each verb of speech.

Forms read here: "X said (that) ...", "X told Y ...", "..., X said.", "“...,” said X, a ...",
"..., X said, ..." (parenthetical), "according to X, ..." and "..., according to X.". A content that
is a quotation becomes a direct quote; reported content with quoted words inside is marked partial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from .direct import CLOSING, MARKS, OPENING, QuoteSpan, quote_at
from .speakers import DETERMINERS, Mention, classify, np_after, np_before, pp_tail
from .tokens import Token

# Words that may stand just before a speaker at the start of a clause ("But he said", "and officials said").
CLAUSE_OPENERS = {",", ";", ":", "(", "--", "—", "–", "-", "and", "but", "while", "as", "because", "so", "yet",
                  "even", "just", "only", "both", "either",
                  "although", "though", "when", "after", "before", "since", "meanwhile", "however", "then", "now",
                  "where", "also", "still", "instead", "indeed", "later", "earlier", "today", "yesterday", "or",
                  "thus", "separately", "moreover", "once", "if", "whereas"} | set(MARKS) | {"‘", "’"}
_BLOCKERS = {"was", "were", "is", "are", "be", "been", "being", "not", "n't", "never", "to", "who", "which", "will",
             "would", "could", "should", "might", "can", "may", "must", "shall", "did", "does", "do"}
_POSSESSIVES = {"his", "her", "their", "its", "our", "my", "your", "the", "a", "an", "'s", "’s", "these", "those",
                "this", "that", "of", "no", "any", "some", "such"}
# Words that may stand between a cue and "that": where, when and to whom it was said.
_ADJUNCT_WORDS = {
    "on", "in", "at", "during", "earlier", "later", "last", "this", "yesterday", "today", "tonight", "recently",
    "previously", "publicly", "privately", "again", "also", "separately", "via", "through", "a", "an", "the", "his",
    "her", "their", "its", "next", "with", "of", "by", "for", "to", "statement", "interview", "briefing", "press",
    "news", "conference", "speech", "post", "tweet", "video", "week", "month", "year", "day", "morning",
    "afternoon", "evening", "night", "weekend", "meeting", "call", "phone", "hearing", "session", "rally", "event",
    "online", "televised", "radio", "television", "tv", "address", "letter", "email", "e-mail", "release",
    "message", "remarks", "comments", "appearance", "summit", "forum", "reporters", "journalists", "hosted",
    "organized", "organised", "held", "him", "them", "us", "me", ",", "'s", "’s", "-", "—", "after", "before",
    "repeatedly", "then", "and", "recent", "late", "early", "weekly", "daily", "written", "joint", "panel",
}
# A content never starts with these: "reported from Washington", "responded with ads".
_NOT_CONTENT_STARTS = {"from", "with", "as", "like", "into", "than", "above", "below", "back", "up", "out", "off",
                       "over", "under", "down", "upon"}
# A stretch before "X said" that opens with these is a setting, not a statement.
_ADJUNCT_LEADS = {"during", "on", "in", "at", "after", "before", "while", "when", "with", "without", "following",
                  "despite", "since", "until", "having", "asked", "speaking", "walking", "if", "although", "though",
                  "because", "for", "from", "by", "under", "over", "like", "upon", "once", "whereas", "later"}
# Cues that are speech only with "that", a quote or a colon after them ("she responded that ...").
_NEED_THAT = {"respond", "boast", "estimate", "elaborate", "answer", "reply", "highlight", "agree", "testify",
              "tweet", "post", "reiterate", "remark"}
TELL_VERBS = {"tell", "inform", "assure", "advise", "warn", "urge", "ask", "remind"}
_ADJUNCT_RE = re.compile(
    r"(?:\s*,?\s*(?:on|in|at|during|earlier|later|last|this|yesterday|today|tonight|recently|previously|"
    r"publicly|privately|again|also|separately|via|through|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|morning|afternoon|evening|[a-z]{3,}ly)\b"
    r"(?:\s+(?:a|an|the|his|her|their|its|this|last|next|that|with|of|by|on|[A-Z][\w’'.&-]*|\d[\w,]*|"
    r"statement|interview|briefing|press|news|conference|speech|post|tweet|video|week|month|year|day|morning|"
    r"afternoon|evening|night|weekend|earlier|meeting|call|phone|hearing|session|rally|event|online|televised|"
    r"radio|television|tv|address|letter|email|e-mail|release|message|remarks|comments|appearance|summit|"
    r"forum|told|reporters|journalists|hosted|organized|organised|held))*)+\s*,?",
)


@dataclass(slots=True)
class Candidate:
    """An attribution found in one sentence, before its speaker is resolved."""

    content_start: int
    content_end: int
    cue_start: int | None
    cue_end: int | None
    lemma: str | None
    mention: Mention | None
    quote: QuoteSpan | None  # the quotation that is the whole content, for a direct quote
    form: str
    confidence: float
    role: str | None = None


def _content_end(text: str, start: int, end: int) -> int:
    """End of a content stretch, without the sentence's final punctuation and spaces."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".;:,—–-"):
        end -= 1
    return end


def _content_start(text: str, start: int, end: int) -> int:
    while start < end and (text[start].isspace() or text[start] in ",:;—–-"):
        start += 1
    return start


def _words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _clause_start(toks: list[Token], i: int) -> bool:
    """Whether a speaker phrase at token i may start a clause (so it is not the object of something)."""
    if i == 0:
        return True
    prev = toks[i - 1].text
    return prev.lower() in CLAUSE_OPENERS or prev in OPENING or prev in CLOSING


def _mention(text: str, toks: list[Token], rng: tuple[int, int], role: str | None = None) -> Mention:
    return classify(text, toks[rng[0]:rng[1]], role)


def _appositive(text: str, toks: list[Token], a: int, b: int) -> str | None:
    """toks[a:b] as a role ("director of the Second Asian Department"), when it reads like one."""
    if b - a < 1 or b - a > 40:
        return None
    seg = toks[a:b]
    lows = [t.text.lower().rstrip(".") for t in seg]
    first = lows[0]
    if first in {"who", "whose"} or (b - a == 1 and first.isdigit()):
        return ""  # a relative clause or an age: an apposition, but no role
    if first.isdigit() and b - a > 2 and seg[1].text == ",":
        return _appositive(text, toks, a + 2, b)  # "Marley Anderson, 21, a junior from Las Vegas, said"
    if not any(w in lx.ROLE_NOUNS or w in lx.ORG_WORDS or w in lx.TITLE_WORDS for w in lows) and first not in {
            "a", "an", "the"}:
        return None
    if not (first in DETERMINERS or first in lx.NP_MODIFIERS or first in lx.ROLE_NOUNS or first in lx.TITLE_WORDS
            or seg[0].text[:1].isupper()):
        return None
    if any(t.text in MARKS or t.text in {";", ":"} for t in seg):
        return None
    s = text[seg[0].start:seg[-1].end]
    first_word, _, rest = s.partition(" ")
    return rest if first_word.lower() in {"a", "an", "the"} and rest else s


# Third-person forms that are also plural nouns ("estimates", "reports", "claims").
_NOUN_LIKE = {"estimates", "reports", "claims", "notes", "posts", "comments", "replies", "answers", "promises",
              "pledges", "remarks", "tweets", "boasts", "jokes", "quips", "protests", "counters", "highlights",
              "mentions", "states", "warns", "urges", "statements", "vows", "predicts", "recalls", "concedes"}


def _bare_capital(toks: list[Token], m: Mention) -> bool:
    """A one-word capitalised "speaker" that is not a known first name, nor a pronoun or a noun phrase."""
    words = m.text.split()
    return len(words) == 1 and m.category not in {"pronoun"} and words[0][:1].isupper() and (
        words[0].lower() not in lx.FEMALE_NAMES | lx.MALE_NAMES) and toks[0].start == m.start


def _strip_article(s: str) -> str:
    first, _, rest = s.partition(" ")
    return rest if first.lower() in {"a", "an", "the"} and rest else s


def _is_ly_adverb(w: str) -> bool:
    """"defiantly told", "flatly denied": a lower-case -ly word between speaker and cue."""
    return len(w) > 4 and w.endswith("ly") and w.islower() and w not in {"early", "only", "family", "rally", "italy"}


def _relative_speaker(text: str, toks: list[Token], who: int) -> tuple[Mention, int] | None:
    """"Anna Berg, who said ...", "a voter who said ...": the speaker is written "who" and means the phrase before."""
    if toks[who - 1].text != ",":
        return None  # "voters who said X were ...": the relative clause ends somewhere inside; too unsure
    rng = np_before(toks, who - 1)
    if rng is None:
        return None
    ante = _mention(text, toks, rng)
    role = None
    start = rng[0]
    for _ in range(3):  # "Anna Berg, 54, a ferry captain, who said": back over ages and roles to the name
        if ante.category == "person" or start < 2 or toks[start - 1].text != ",":
            break
        if ante.category in {"nominal", "anonymous"}:
            role = role or _strip_article(text[ante.start:ante.end])
        if toks[start - 2].text.isdigit():
            start -= 2
            if start < 2 or toks[start - 1].text != ",":
                break
        back = np_before(toks, start - 1)
        if back is None:
            break
        ante, start = _mention(text, toks, back), back[0]
    if ante.category not in {"person", "organisation", "nominal", "anonymous"}:
        return None
    if ante.category == "person" and role and not ante.role:
        ante.role = role
    t = toks[who]
    ante.start, ante.end, ante.text = t.start, t.end, t.text
    return ante, who


def _coordinated_subject(text: str, toks: list[Token], conj: int) -> tuple[Mention, int] | None:
    """"Ebeling reminisced about ..., and said ...": the subject at the start of the sentence (or after an
    introductory phrase ending in a comma) speaks through the second verb too."""
    opener = toks[0].text.lower()
    starts = [] if opener in _ADJUNCT_LEADS or opener.endswith("ing") else [0]  # "Walking to the pier, ..."
    comma = next((x for x in range(min(conj, 12)) if toks[x].text == ","), None)
    if comma is not None:
        starts.append(comma + 1)
    for st in starts:
        rng = np_after(toks, st, conj)
        if rng is None or rng[1] >= conj or not toks[rng[1]].text[:1].islower():
            continue
        if toks[rng[1]].text.lower() in lx.NAME_CONNECTORS | {"who", "which", "that"}:
            continue
        m = _mention(text, toks, rng)
        if m.category in {"person", "pronoun", "organisation"}:
            return m, rng[0]
    return None


def _apposition(text: str, toks: list[Token], c2: int, c1: int) -> tuple[Mention, int] | None:
    """Speaker and role around two commas at c2 < c1: "Name, role, said" or "role, Name, said"."""
    rng = np_before(toks, c2)
    if rng is None or not _clause_start(toks, rng[0]):
        return None
    if c1 - c2 - 1 <= 5:
        # "the bureau's director, James B. Comey, said": the name sits between the commas
        name = classify(text, toks[c2 + 1:c1]) if c1 > c2 + 1 else None
        lead = classify(text, toks[rng[0]:rng[1]])
        if name is not None and name.category == "person" and " " in (name.name or "") and \
                lead.category in {"nominal", "anonymous"}:
            name.role = _strip_article(text[lead.start:lead.end])
            return name, rng[0]
    role = _appositive(text, toks, c2 + 1, c1)
    if role is None:
        return None
    m = _mention(text, toks, rng, role or None)
    if m.category not in {"person", "organisation"}:
        return None
    return m, rng[0]


def speaker_left(text: str, toks: list[Token], k: int, s0: int) -> tuple[Mention, int] | None:
    """The speaker written before the cue at token k, and the token index where that phrase starts."""
    j = k
    while j - 1 >= 0 and (toks[j - 1].text.lower() in lx.ADVERBS or _is_ly_adverb(toks[j - 1].text)):
        j -= 1
    if j - 2 >= 0 and toks[j - 1].text.lower() == "who":
        return _relative_speaker(text, toks, j - 1)
    if j - 1 >= 0 and toks[j - 1].text.lower() in _BLOCKERS:
        return None
    if j - 1 >= 0 and toks[j - 1].text.lower() in {"and", "but"}:
        return _coordinated_subject(text, toks, j - 1)
    if j - 1 >= 0 and toks[j - 1].text == ",":
        # "Zamir Kabulov, director of ..., said"
        if j - 2 >= 0 and toks[j - 2].text == ")":
            rng = np_before(toks, j - 1)  # "Sen. Jack Reed (D-R.I.), said"
            if rng is not None and _clause_start(toks, rng[0]):
                return _mention(text, toks, rng), rng[0]
        # try each earlier comma, nearest first: "Sandy Phillips, who lost her daughter ... in Aurora, Colorado,
        # in July 2012, said" has commas inside the apposition
        for c2 in (x for x in range(j - 2, max(-1, j - 40), -1) if toks[x].text == ","):
            found = _apposition(text, toks, c2, j - 1)
            if found is not None:
                return found
        return None
    if j == 0:
        return None
    tail = pp_tail(text, s0, toks[j - 1].end)
    if tail is not None:
        jj = next((x for x in range(j) if toks[x].start >= tail), j)
        rng = np_before(toks, jj)
        if rng and _clause_start(toks, rng[0]):
            m = classify(text, toks[rng[0]:rng[1]])
            m.end = toks[j - 1].end
            m.text = text[m.start:m.end].rstrip(", ")
            m.end = m.start + len(m.text)
            if m.category in {"nominal", "person"}:
                m.category = "anonymous"
            return m, rng[0]
    rng = np_before(toks, j)
    if rng is None or not _clause_start(toks, rng[0]):
        return None
    return _mention(text, toks, rng), rng[0]


def speaker_right(text: str, toks: list[Token], start: int) -> tuple[Mention, int] | None:
    """The speaker written after an inverted cue ("said Maria Petrova, the ministry's spokeswoman")."""
    rng = np_after(toks, start, len(toks))
    if rng is None:
        return None
    end = rng[1]
    role = None
    if end < len(toks) and toks[end].text == ",":
        stop = next((x for x in range(end + 1, min(len(toks), end + 20)) if toks[x].text in {",", ".", ";"}),
                    len(toks))
        role = _appositive(text, toks, end + 1, stop)
        if role is not None:
            end = stop
    m = _mention(text, toks, rng, role or None)
    return m, end


def _is_cue(toks: list[Token], i: int, lex: lx.Lexicon) -> tuple[int, str] | None:
    """(number of tokens, lemma) when a cue verb starts at token i."""
    w = toks[i].text
    if not w[:1].islower():
        return None  # "the United States", "Says" in a headline
    if i > 0 and toks[i - 1].text.lower() in _POSSESSIVES:
        return None  # "his comments", "the report's findings"
    lo = w.lower()
    if i + 1 < len(toks):
        two = lo + " " + toks[i + 1].text.lower()
        if two in lex.cue_forms:
            return 2, lex.cue_forms[two]
    if lo in lex.cue_forms:
        return 1, lex.cue_forms[lo]
    return None


def _right_content(text: str, toks: list[Token], after: int, s1: int, lemma: str | None,
                   quotes: list[QuoteSpan]) -> tuple[int, int, QuoteSpan | None, int] | None:
    """Content after a cue: skips "that", the person told, and where/when it was said."""
    pos = toks[after - 1].end if after > 0 else s1
    n = len(toks)
    i = after
    that_at = next((x for x in range(i, min(n, i + 8)) if toks[x].text.lower() == "that"), None)
    if lemma in TELL_VERBS and that_at is not None and that_at > i and not any(
            toks[x].text in MARKS or toks[x].text in {",", ";", ":", "."} for x in range(i, that_at)):
        i = that_at  # "told voters that ...", "warned the council on Monday that ..."
    elif lemma in TELL_VERBS and i < n and toks[i].text.lower() not in {"that", ":", ",", "of", "against"} | set(
            MARKS):
        rng = np_after(toks, i, n)
        if rng is None and toks[i].text.lower() in {"him", "her", "them", "us", "me", "reporters", "journalists"}:
            rng = (i, i + 1)
        if rng is None:
            return None
        i = rng[1]
        pos = toks[i - 1].end
    # "that" within reach starts the content, when only where/when words stand between
    for x in range(i, min(n, i + 25)):
        t = toks[x]
        lo = t.text.lower()
        if lo == "that":
            pos = t.start
            break
        if not (lo in _ADJUNCT_WORDS or t.text[:1].isupper() or t.text[:1].isdigit()):
            break
    if pos == (toks[i - 1].end if i > 0 else s1):
        m = _ADJUNCT_RE.match(text, pos, s1)
        if m and m.end() > pos:
            pos = m.end()
    start = _content_start(text, pos, s1)
    q = quote_at(quotes, start)
    if q is not None and q.start == start and (text[max(0, start - 4):start].lower().strip() in {"on", "in"}
                                               or _is_title(text, q) and pos > toks[after - 1].end):
        start = _content_start(text, q.end, s1)  # said on “Face the Nation”: a show's name, not the content
        q = quote_at(quotes, start)
    end = _content_end(text, start, s1)
    if start >= end:
        return None
    if q is not None and q.start == start and text[q.end:s1].strip(" .,;:!?") == "":
        return q.start, q.end, q, n
    words = text[start:end].split(None, 2)
    first = words[0].lower().strip(",.;:")
    second = words[1].lower().strip(",.;:") if len(words) > 1 else ""
    if first in _NOT_CONTENT_STARTS or (lemma in _NEED_THAT and first != "that"):
        return None
    if first == "to" and (second in {"the", "a", "an", "his", "her", "their", "its"} or second[:1].isupper()):
        return None  # "said to the convention": the audience, not the content
    if lemma in {"add", "report", "post", "claim"} and (first[:1].isdigit() or (
            first in {"around", "about", "nearly", "almost", "roughly", "over", "some"} and second[:1].isdigit())):
        return None  # "the economy added around 292,000 jobs"
    if _words(text, start, end) < 2:
        return None
    return start, end, None, n


def _left_content(text: str, s0: int, stop: int, quotes: list[QuoteSpan],
                  ends_sentence: bool = False) -> tuple[int, int, QuoteSpan | None] | None:
    """Content before the speaker ("..., X said"); `ends_sentence` when nothing but the cue follows it."""
    end = _content_end(text, s0, stop)
    while end > s0 and text[end - 1] in ",—–- ":
        end -= 1
    if end <= s0:
        return None
    q = quote_at(quotes, end - 1)
    if q is not None and q.end == end:
        return q.start, q.end, q
    start = _content_start(text, s0, end)
    if _words(text, start, end) < 3:
        return None
    first = text[start:end].split(None, 1)[0]
    if (not ends_sentence and first.lower().strip(",") in _ADJUNCT_LEADS and _words(text, start, end) <= 10) or (
            first.isupper() and len(first) > 2):
        return None  # "During the service, X asked ...", "PORTLAND, Maine - X told ...": not what was said
    return start, end, None


def parse_sentence(text: str, s0: int, s1: int, toks: list[Token], quotes: list[QuoteSpan],
                   lex: lx.Lexicon) -> list[Candidate]:
    """Every attribution whose cue sits in the sentence text[s0:s1] (tokens `toks`)."""
    out: list[Candidate] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        lo = t.text.lower()
        if lo not in lex.first_words:
            i += 1
            continue
        q_in = quote_at(quotes, t.start)
        if q_in is not None and q_in.start < t.start:
            i += 1
            continue
        if lo == "according" and i + 1 < n and toks[i + 1].text.lower() == "to":
            cand = _according(text, s0, s1, toks, i, quotes)
            if cand:
                out.append(cand)
            i += 2
            continue
        cue = _is_cue(toks, i, lex)
        if cue is None:
            i += 1
            continue
        width, lemma = cue
        cue_start, cue_end = t.start, toks[i + width - 1].end
        cand = _at_cue(text, s0, s1, toks, i, width, lemma, quotes)
        if cand is not None and lo in _NOUN_LIKE and cand.mention is not None and _bare_capital(toks, cand.mention):
            cand = None  # "Subsequent estimates put the figure ...": a noun, not a verb
        if (cand is not None and cand.mention is not None and lo.endswith("s") and lo != "says"
                and " and " in cand.mention.text and lo in _NOUN_LIKE):
            cand = None  # "Brunei and Taiwan claims": a plural subject never takes "claims"
        if cand is not None:
            cand.cue_start, cand.cue_end = cue_start, cue_end
            out.append(cand)
        i += width
    return out


def _at_cue(text: str, s0: int, s1: int, toks: list[Token], i: int, width: int, lemma: str,
            quotes: list[QuoteSpan]) -> Candidate | None:
    prev = toks[i - 1].text if i > 0 else ""
    # inverted: "“...,” said X" / "..., said X"
    found_left = speaker_left(text, toks, i, s0) if prev == "," else None
    if found_left is None and (prev in MARKS or (prev == "," and lemma not in TELL_VERBS)):
        found = speaker_right(text, toks, i + width)
        if found is not None:
            mention, after = found
            if mention.category == "pronoun":
                return None  # "..., said she" is archaic: the comma ended an apposition, e.g. "Name, 21, ..., said she"
            left = _left_content(text, s0, toks[i].start, quotes, _only_adjuncts(text, toks, after, s1))
            if left is not None:
                a, b, q = left
                return Candidate(a, b, None, None, lemma, mention, q, "content-cue-speaker", 0.9 if q else 0.8)
        return None
    found_left = found_left or speaker_left(text, toks, i, s0)
    if found_left is None:
        return None
    mention, first = found_left
    right = _right_content(text, toks, i + width, s1, lemma, quotes)
    if mention.text.lower() == "who":
        return _right_candidate(right, lemma, mention) if right is not None else None
    left_stop = toks[first].start
    left_text = text[s0:left_stop].strip()
    has_left = len(left_text.split()) >= 3 or (left_text[-1:] in CLOSING + '"' and len(left_text) > 2)
    after_text = text[toks[i + width - 1].end:s1]
    if (not has_left and left_text.endswith(",") and len(left_text.split()) >= 2 and after_text.startswith(", ")
            and after_text[2:3].islower() and left_text.split()[0].lower() not in lx.ADJUNCT_HEADS):
        # parenthetical with a short subject: "The bridge, she said, will reopen in May."
        a = _content_start(text, s0, left_stop)
        return Candidate(a, _content_end(text, a, s1), None, None, lemma, mention, None, "parenthetical", 0.8)
    if has_left and left_text[-1:] in ",—–" + CLOSING + '"':
        after_cue = text[toks[i + width - 1].end:s1].strip()
        adj = _ADJUNCT_RE.match(" " + after_cue)
        rest_after = after_cue[adj.end() - 1:].strip() if adj and adj.end() > 0 else after_cue
        left = _left_content(text, s0, left_stop, quotes, not rest_after.strip(" .!?;"))
        if left is not None:
            a, b, q = left
            if right is not None and right[2] is not None:
                return _right_candidate(right, lemma, mention)
            if rest_after.startswith(",") and rest_after[1:].strip()[:1].islower() and q is None:
                # parenthetical: "The plan, he said, would fail."
                b = _content_end(text, a, s1)
            elif rest_after.strip(" .!?;") and right is not None and not q:
                return _right_candidate(right, lemma, mention)
            return Candidate(a, b, None, None, lemma, mention, q, "content-speaker-cue", 0.9 if q else 0.8)
    if right is None:
        return None
    return _right_candidate(right, lemma, mention)


def _is_title(text: str, q: QuoteSpan) -> bool:
    """A short quotation in title case ("“Morning Joe”", "“CBS This Morning”"): a name, not a statement."""
    words = [w for w in text[q.start:q.end].strip(MARKS + ".,").split() if w[:1].isalpha()]
    return 0 < len(words) <= 5 and all(w[:1].isupper() for w in words)


def _only_adjuncts(text: str, toks: list[Token], k: int, s1: int) -> bool:
    """Whether nothing but where/when words and punctuation follow token k to the sentence end."""
    if k >= len(toks):
        return True
    rest = text[toks[k].start:s1]
    m = _ADJUNCT_RE.match(" " + rest)
    if m and m.end() > 1:
        rest = rest[m.end() - 1:]
    return not rest.strip(" .!?;,")


def _right_candidate(right: tuple[int, int, QuoteSpan | None, int], lemma: str, mention: Mention) -> Candidate:
    a, b, q, _ = right
    conf = 0.9 if q else 0.8
    if mention.category == "pronoun":
        conf -= 0.05
    return Candidate(a, b, None, None, lemma, mention, q, "speaker-cue-content", conf)


def _according(text: str, s0: int, s1: int, toks: list[Token], i: int, quotes: list[QuoteSpan]) -> Candidate | None:
    found = _according_source(text, toks, i + 2) or speaker_right(text, toks, i + 2)
    if found is None:
        return None
    mention, end = found
    cue_start, cue_end = toks[i].start, toks[i + 1].end
    before = text[s0:cue_start].strip().rstrip(",").strip()
    n_before = len(before.split())
    after_start = _content_start(text, toks[end].end, s1) if end < len(toks) and toks[end].text == "," else None
    after_stop = _content_end(text, after_start, s1) if after_start is not None else None
    n_after = _words(text, after_start, after_stop) if after_start is not None and after_stop is not None else 0
    if n_before >= 3 and not (n_after >= 3 and n_before < 6):
        left = _left_content(text, s0, cue_start, quotes, _only_adjuncts(text, toks, end, s1))
        if left is None:
            return None
        a, b, q = left
        if n_after >= 3 and q is None and after_stop is not None:
            b = after_stop  # "The plan, according to X, will fail": both halves
        return Candidate(a, b, cue_start, cue_end, "according to", mention, q, "content-according", 0.85)
    if after_start is None or after_stop is None or n_after < 3:
        return None
    q = quote_at(quotes, after_start)
    q = q if q is not None and q.start == after_start and q.end >= after_stop else None
    return Candidate(after_start, after_stop, cue_start, cue_end, "according to", mention, q, "according-content",
                     0.85)


def _according_source(text: str, toks: list[Token], start: int) -> tuple[Mention, int] | None:
    """After "according to": the whole phrase up to the next comma (or the sentence end), when it reads like a
    source ("the leaked memo", "recent polling", "a senior analyst at the Port Authority Jane Roe")."""
    stop = next((x for x in range(start, min(len(toks), start + 14)) if toks[x].text in {",", ";", ".", ":"}), None)
    if stop is None:
        stop = len(toks) if len(toks) - start <= 14 else None
    if stop is None or stop <= start:
        return None
    seg = toks[start:stop]
    if any(t.text in MARKS or t.text in {"(", ")"} for t in seg):
        return None
    last = seg[-1]
    if not (last.text[:1].isupper() or last.text.isalpha()):
        return None
    return classify(text, seg), stop
