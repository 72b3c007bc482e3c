"""Speakers: find the noun phrase that names a source, split it into name and role, resolve it.

A mention is read off the tokens next to a cue: backwards from "said" ("Foreign Ministry
Spokeswoman Maria Zakharova said") or forwards after it ("said Zamir Kabulov, director of...").
Resolution runs through the article in order: pronouns and bare surnames go back to the nearest
compatible full name; "the diplomat" goes to the person with that role, else the last person quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx
from .tokens import Token

DETERMINERS = {"a", "an", "the", "two", "three", "four", "five", "several", "some", "many", "one", "other",
               "another", "both", "his", "her", "their", "its", "our", "most", "few", "multiple", "numerous"}
NOUNS = lx.ROLE_NOUNS | lx.ANONYMOUS_NOUNS | lx.DOCUMENT_NOUNS | lx.SOCIAL_NOUNS | lx.ORG_NOUNS
# "a source familiar with the matter": the prepositional tail of an anonymous source, read as one block.
_PP_TAIL_RE = re.compile(
    r"\b(?:familiar with|close to|briefed on|with (?:direct )?knowledge of|knowledgeable about|involved in|"
    r"speaking on (?:the )?condition of anonymity|who (?:asked|declined) not to be (?:named|identified)|"
    r"who spoke on (?:the )?condition of anonymity|not authori[sz]ed to speak publicly)"
    r"(?:\s+[\w'’-]+){0,6}\s*,?\s*$"
)
_NAME_RE = re.compile(r"\b[A-Z][a-zà-ÿ'’-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-zà-ÿ'’-]+){1,2}\b")


# lower-case words that may sit inside a title: "the country's defence minister"
_LOWER_TITLE = (lx.TITLE_WORDS | {"country", "city", "region", "nation", "province", "state"}) - {
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "dame", "press"}


@dataclass(slots=True)
class Mention:
    """A source as written next to its cue, split into name and role."""

    start: int
    end: int
    text: str
    category: str  # pronoun, person, organisation, nominal, anonymous, document, social
    name: str | None = None  # the proper-name part ("Maria Zakharova", "Zakharova")
    role: str | None = None
    head: str = ""  # lower-cased head word ("spokeswoman", "sources", "she")
    gender: str = ""  # m, f, p (plural) or "" when unknown


def _is_cap(t: Token) -> bool:
    w = t.text
    return w[:1].isupper() and w.lower().rstrip(".") not in lx.CAPITAL_STOPWORDS


def _lower(t: Token) -> str:
    return t.text.lower().rstrip(".")


def _is_noun(t: Token) -> bool:
    return t.text.lower() in NOUNS


def _is_member(t: Token) -> bool:
    """Whether a token can sit inside a speaker noun phrase (not counting connectors and determiners)."""
    lo = t.text.lower()
    return _is_cap(t) or lo in NOUNS or (lo in lx.NP_MODIFIERS or lo in _LOWER_TITLE) and lo not in DETERMINERS


def _is_acronym(w: str) -> bool:
    letters = w.replace(".", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


def np_before(toks: list[Token], end: int) -> tuple[int, int] | None:
    """Token range [i, end) of the speaker noun phrase ending just before index `end`, or None."""
    j = end - 1
    if j >= 1 and toks[j].text == ")":
        # "Sen. Jack Reed (D-R.I.) said": the parenthesis belongs to the name
        opening = next((x for x in range(j - 1, max(-1, j - 8), -1) if toks[x].text == "("), None)
        if opening is None or opening == 0:
            return None
        j = opening - 1
        end = opening  # the mention is the name without its party tag
    if j < 0:
        return None
    if _lower(toks[j]) in lx.PRONOUNS:
        return (j, end)
    if not (_is_cap(toks[j]) or _is_noun(toks[j])):
        return None
    i = j
    while i - 1 >= 0:
        t = toks[i - 1]
        lo = t.text.lower()
        if _is_member(t):
            i -= 1
            continue
        if (lo.isalpha() and lo.islower() and _is_noun(toks[i]) and i - 2 >= 0 and j - i < 5
                and (toks[i - 2].text.lower() in DETERMINERS or _is_cap(toks[i - 2]))):
            i -= 1  # "Some protest leaders", "Abortion rights advocates": a modifier noun before the head
            continue
        if lo in lx.NAME_CONNECTORS and lo != "the" and i - 2 >= 0 and _is_member(toks[i - 2]):
            i -= 1
            continue
        if lo in {"'s", "’s"} and i - 3 >= 0 and toks[i - 2].text.isalpha() and toks[i - 3].text.lower() in DETERMINERS:
            i -= 3  # "the harbour's director": a possessive noun phrase, determiner included
            break
        if lo == "the" and i - 3 >= 0 and toks[i - 2].text.lower() in {"of", "for", "at"} and (
                _is_cap(toks[i - 3]) or _is_noun(toks[i - 3])):
            i -= 2  # "Director of the Russian Foreign Ministry’s ..."
            continue
        if lo in DETERMINERS:
            i -= 1
        break
    while i < j and toks[i].text.lower() in lx.NAME_CONNECTORS - {"the"}:
        i += 1
    return (i, end)


def np_after(toks: list[Token], start: int, stop: int) -> tuple[int, int] | None:
    """Token range [start, k) of a speaker noun phrase that begins at `start` ("said the official")."""
    if start >= stop:
        return None
    t0 = toks[start]
    if _lower(t0) in lx.PRONOUNS:
        return (start, start + 1)
    k = start
    while k < stop and toks[k].text.lower() in DETERMINERS:
        k += 1
    first = k
    while k < stop:
        t = toks[k]
        lo = t.text.lower()
        if _is_member(t) and lo not in DETERMINERS:
            k += 1
            continue
        if lo in lx.NAME_CONNECTORS and k + 1 < stop and _is_cap(toks[k + 1]) and k > first:
            k += 1
            continue
        if first > start and lo.isalpha() and lo.islower():
            # "his best friend", "a former senior law enforcement official": words before a source noun
            ahead = next((x for x in range(k + 1, min(stop, k + 4)) if _is_noun(toks[x])), None)
            if ahead is not None and all(toks[y].text.isalpha() for y in range(k, ahead)):
                k = ahead + 1
                continue
        break
    if k == first:
        return None
    if not (_is_cap(toks[k - 1]) or _is_noun(toks[k - 1])):
        return None
    return (start, k)


def pp_tail(text: str, start: int, end: int) -> int | None:
    """Where an anonymous source's tail ("familiar with the matter") begins in text[start:end], if it has one."""
    m = _PP_TAIL_RE.search(text, start, end)
    return m.start() if m else None


def classify(text: str, toks: list[Token], role: str | None = None) -> Mention:
    """Split a speaker noun phrase into name and role and say what kind of source it is."""
    start, end = toks[0].start, toks[-1].end
    words = [t.text for t in toks]
    lows = [_lower(t) for t in toks]
    phrase = text[start:end]
    if len(toks) == 1 and lows[0] in lx.PRONOUNS:
        return Mention(start, end, phrase, "pronoun", head=lows[0], gender=lx.PRONOUNS[lows[0]])
    # the proper name: the run of capitalised non-title words at the end
    k = len(toks)
    if k >= 2 and _is_cap(toks[-1]) and not _name_word(toks[-1]) and _name_word(toks[-2]) and (
            _lower(toks[-2]) in lx.FEMALE_NAMES or _lower(toks[-2]) in lx.MALE_NAMES):
        k -= 1  # a surname that is also a title word: "Phyllis King"
    elif (role and 2 <= k <= 3 and all(_is_cap(t) for t in toks) and not _is_acronym(toks[-1].text)
          and any(w in lx.ROLE_NOUNS for w in role.lower().split())):
        k = 0  # "Becky Church, a senior analyst, said": the apposition says it is a person
    elif k >= 3 and _is_cap(toks[-1]) and not _name_word(toks[-1]) and _name_word(toks[-2]) and (
            _is_cap(toks[-3]) and _lower(toks[-3]) in lx.ORG_WORDS):
        k -= 1  # "... National Statistics Office Becky Church": a name between an organisation and a title word
    while k > 0 and _name_word(toks[k - 1]) and len(toks) - k < 4:
        k -= 1
    while k < len(toks) and toks[k].text.lower() in lx.NAME_CONNECTORS:
        k += 1
    if k > 0 and toks[k - 1].text.lower() in lx.NAME_CONNECTORS | {"at"} and len(toks) - k >= 2:
        k = len(toks) - 2 if len(toks) - k >= 3 else len(toks) - 1  # "mayor of Riga Carrie Watts"
    name_toks = toks[k:]
    pre = toks[:k]
    person_by_role = k == 0 and bool(role)
    gender = ""
    honorific = ""
    while pre and _lower(pre[-1]) in lx.HONORIFICS:
        honorific = _lower(pre[-1])
        gender = gender or lx.HONORIFICS[honorific]
        pre = pre[:-1]
    pre_words = [t for t in pre if t.text.lower() not in DETERMINERS or t is not pre[0]]
    while pre_words and pre_words[0].text.lower() in DETERMINERS:
        pre_words = pre_words[1:]
    pre_text = text[pre_words[0].start:pre_words[-1].end] if pre_words else ""
    head = lows[-1]
    if name_toks and not (len(name_toks) == 1 and name_toks[0].text in lx.COUNTRIES) and (
            person_by_role or _name_word(name_toks[-1]) or len(name_toks) >= 2):
        name = " ".join(t.text for t in name_toks)
        title = role or (pre_text if pre_text and any(_lower(t) in lx.TITLE_WORDS for t in pre_words) else None)
        if honorific and honorific not in {"mr", "mrs", "ms", "miss"} and not title:
            title = None
        gender = gender or _gender_of(name, title)
        return Mention(start, end, phrase, "person", name=name, role=title, head=head, gender=gender)
    if head in lx.ORG_NOUNS and not words[-1][:1].isupper():
        # "the campaign says", "a major civil rights group says": an organisation, unnamed when indefinite
        if lows[0] in {"a", "an"}:
            return Mention(start, end, phrase, "anonymous", role=role, head=head)
        return Mention(start, end, phrase, "organisation", name=_strip_det(phrase), role=role, head=head, gender="o")
    if head in lx.SOCIAL_NOUNS:
        return Mention(start, end, phrase, "social", role=role, head=head)
    if head in lx.DOCUMENT_NOUNS:
        return Mention(start, end, phrase, "document", role=role, head=head)
    definite = lows[0] in {"the", "this", "that"} and len(toks) <= 4
    if definite and head in lx.ROLE_NOUNS:  # "the official", "the senior diplomat": someone named before
        g = "f" if head in lx.FEMALE_ROLES else "m" if head in lx.MALE_ROLES else ""
        return Mention(start, end, phrase, "nominal", role=role or _strip_det(phrase), head=head, gender=g)
    if head in lx.ANONYMOUS_NOUNS and not any(w[:1].isupper() and _lower(t) in lx.ORG_WORDS for w, t in
                                               zip(words, toks, strict=True)):
        return Mention(start, end, phrase, "anonymous", role=role, head=head, gender="p" if head.endswith("s") else "")
    if head in lx.ROLE_NOUNS:
        g = "f" if head in lx.FEMALE_ROLES else "m" if head in lx.MALE_ROLES else ""
        return Mention(start, end, phrase, "nominal", role=role or _strip_det(phrase), head=head, gender=g)
    if words[-1][:1].isupper() or _is_acronym(words[-1]):
        return Mention(start, end, phrase, "organisation", name=_strip_det(phrase), role=role, head=head, gender="o")
    return Mention(start, end, phrase, "anonymous", role=role, head=head)


def _name_word(t: Token) -> bool:
    lo = _lower(t)
    return (_is_cap(t) and lo not in lx.TITLE_WORDS and lo not in NOUNS and not _is_acronym(t.text)) or (
        lo in {"de", "van", "von", "bin", "al", "al-", "der", "da", "di", "la", "le", "el", "ibn"})


def _strip_det(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    return rest if first.lower() in DETERMINERS and rest else phrase


def _gender_of(name: str, role: str | None) -> str:
    first = name.split()[0].lower()
    if first in lx.FEMALE_NAMES:
        return "f"
    if first in lx.MALE_NAMES:
        return "m"
    if role:
        lows = set(role.lower().split())
        if lows & lx.FEMALE_ROLES:
            return "f"
        if lows & lx.MALE_ROLES:
            return "m"
    return ""


@dataclass(slots=True)
class _Person:
    name: str
    role: str | None
    gender: str
    category: str  # person, organisation, anonymous, document, social


@dataclass(slots=True)
class Resolver:
    """Reads an article's mentions in order and resolves each to a full name (stateful, one per article)."""

    text: str
    surnames: dict[str, str] = field(default_factory=dict)  # surname -> first full name seen in the text
    history: list[_Person] = field(default_factory=list)  # speakers so far, oldest first

    def __post_init__(self) -> None:
        for m in _NAME_RE.finditer(self.text):
            parts = m.group().split()
            if any(p.lower().rstrip(".") in lx.TITLE_WORDS or p.lower() in lx.CAPITAL_STOPWORDS for p in parts):
                continue
            self.surnames.setdefault(parts[-1], m.group())

    def resolve(self, mention: Mention) -> tuple[str | None, str | None, str]:
        """(resolved name, role, category) for a mention; records it as the latest speaker."""
        name, role, cat = self._resolve(mention)
        if name is not None or cat in {"anonymous", "document", "social"}:
            gender = mention.gender if mention.category != "pronoun" else ""
            known = next((p for p in reversed(self.history) if p.name == name), None) if name else None
            if known is not None:
                role = role or known.role
                gender = known.gender or gender
                if mention.role and not known.role:
                    known.role = mention.role
            if not gender and name and cat == "person":
                gender = _gender_of(name, role)
            self.history.append(_Person(name or mention.text, role, gender, cat))
        return name, role, cat

    def _resolve(self, m: Mention) -> tuple[str | None, str | None, str]:
        if m.category == "person":
            name = m.name or m.text
            if " " not in name:
                full = self._full_name(name)
                if full:
                    name = full
            return name, m.role or self._role_of(name), "person"
        if m.category == "organisation":
            word = (m.name or "").strip()
            if " " not in word:  # "Church said", "Washington added": a surname seen before wins over the word
                person = self._full_name(word)
                if person:
                    return person, self._role_of(person), "person"
            return m.name, m.role, "organisation"
        if m.category == "pronoun":
            return self._pronoun(m)
        if m.category == "nominal":
            p = self._nominal(m.head)
            if p is not None:
                return p.name, p.role, p.category
            return None, m.role, "anonymous"
        return None, m.role, m.category

    def _full_name(self, surname: str) -> str | None:
        for p in reversed(self.history):
            if p.category == "person" and p.name.split()[-1] == surname and " " in p.name:
                return p.name
        return self.surnames.get(surname) if self.surnames.get(surname, surname) != surname else None

    def _role_of(self, name: str) -> str | None:
        for p in reversed(self.history):
            if p.name == name and p.role:
                return p.role
        return None

    def _pronoun(self, m: Mention) -> tuple[str | None, str | None, str]:
        g = m.gender
        for p in reversed(self.history[-6:]):
            if g in {"m", "f"} and p.category == "person" and (not p.gender or p.gender == g):
                return p.name, p.role, "person"
            if g == "o" and p.category in {"organisation", "document"}:
                return p.name, p.role, p.category
            if g == "p" and p.category in {"organisation", "anonymous", "person"}:
                return (p.name, p.role, p.category) if p.category != "anonymous" else (None, p.role, "anonymous")
        return None, None, "anonymous" if g in {"p", "o"} else "person"

    def _nominal(self, head: str) -> _Person | None:
        people = [p for p in reversed(self.history[-8:]) if p.category == "person"]
        for p in people:
            if p.role and head in p.role.lower():
                return p
        related = lx.ROLE_REFERENCES.get(head, ())
        for p in people:
            if p.role and any(r in p.role.lower() for r in related):
                return p
        if head in lx.PERSON_REFERENCES and people:
            return people[0]
        return None
