"""Russian attributions, rule-based, from the punctuation conventions of Russian news writing.

Russian marks a direct quote with «ёлочки» and hands over to the speaker with a dash:
«…», — заявил министр обороны Иван Петров. The other common forms are the colon
(Петров заявил: «…»), reported speech with «что» (Петров, министр обороны, заявил, что …),
the sentence-initial source («По словам Петрова, …», «Как говорится в докладе, …», «По данным
источников, …») and the dash without quote marks (…, — сообщили в ведомстве.). Cue verbs are past
tense and agree with the speaker (заявил / заявила / заявили), so a later «она» finds the last woman
quoted. Speakers are read as written: a role in lower case, then a name in capitals («директор
Института стратегических исследований Анна Смирнова»).
"""

from __future__ import annotations

import re

from .models import Attribution

# Verbs of speech, past masculine (the feminine adds -а, the plural -и), and present forms.
_PAST = ["заявил", "сказал", "сообщил", "отметил", "подчеркнул", "добавил", "пояснил", "рассказал", "признал",
         "предупредил", "напомнил", "уточнил", "указал", "заверил", "констатировал", "написал", "ответил",
         "заметил", "объяснил", "призвал", "пообещал", "опроверг", "передал", "сообщал", "заявлял", "говорил",
         "утверждал", "считал", "полагал", "высказал", "выразил", "уверил", "посетовал", "признался"]
_PRESENT = ["заявляет", "говорит", "считает", "утверждает", "сообщает", "отмечает", "подчеркивает", "подчёркивает",
            "пишет", "полагает", "уверен", "уверена", "говорится", "сообщается", "отмечается", "указывается"]
_FORMS = sorted({f for v in _PAST for f in (v, v + "а", v + "и")} | set(_PRESENT), key=len, reverse=True)
CUE = r"(?:" + "|".join(_FORMS) + r")"

_QUOTE = r"[«“„](?P<q>[^«»“”„]{3,}?(?:[«„][^»“”]*[»“][^«»“”„]*?)*)[»”“]"
_DASH = r"\s*[—–]\s*"
_INITIAL = r"(?<![^\s.])[А-ЯЁA-Z]\.\s?"  # «В. Путин», «В.В. Путин»: an initial's full stop ends no sentence
_END = r"(?=[.!?…]|$)"
_SOCIAL = re.compile(r"\s*(?:в|во|на)\s+(?:своём\s+|своем\s+)?(?:«)?(Telegram|Телеграм|Twitter|Твиттер|X|"
                     r"Facebook|Фейсбук|ВКонтакте|VK|YouTube|Instagram)(?:»)?(?:[- ]канале|е)?\s*$")

_PATTERNS = [
    # «…», — заявил министр Иван Петров.
    ("quote-dash-cue", re.compile(_QUOTE + r"[,!?.…]*" + _DASH + r"(?P<cue>" + CUE + r")\b(?P<sp>(?:" + _INITIAL
                                  + r"|[^.!?\n])*?)" + _END)),
    # «…», — министр заявил.
    ("quote-dash-speaker", re.compile(_QUOTE + r"[,!?.…]*" + _DASH + r"(?P<sp>(?:" + _INITIAL
                                      + r"|[^.!?\n«»]){2,80}?)\s+(?P<cue>" + CUE + r")" + _END)),
    # Петров заявил: «…»
    ("speaker-colon", re.compile(r"(?:^|(?<=[.!?…]\s)|(?<=\n))(?P<sp>(?:" + _INITIAL
                                 + r"|[^.!?\n«»:]){2,120}?)\s+(?P<cue>" + CUE
                                 + r")\b(?P<ctx>(?:[^:.!?\n«»]|«[^»\n]{1,20}»){0,40}):\s*" + _QUOTE)),
    # Петров, министр обороны, заявил, что …
    ("reported-that", re.compile(r"(?:^|(?<=[.!?…]\s)|(?<=\n))(?P<sp>(?:" + _INITIAL
                                 + r"|[^.!?\n«»]){2,160}?),?\s+(?P<cue>" + CUE
                                 + r"),\s+что\s+(?P<r>[^\n]+?)" + _END)),
    # По словам Петрова, … / По данным источников, … / Как говорится в докладе, … / Как заявил Петров, …
    # (a participle after the source belongs to it: «По словам источника, знакомого с ситуацией, …»)
    ("source-first", re.compile(r"(?:^|(?<=[.!?…]\s)|(?<=\n))(?P<lead>По словам|По данным|По информации|"
                                r"Как (?P<cue>" + CUE + r")(?:\s+в)?)\s+(?P<sp>[^,\n]{2,100}"
                                r"(?:,\s+[а-яё]+(?:ого|его|ых|их)\b[^,\n]{0,60})?),\s+(?P<r>[^\n]+?)"
                                + _END)),
    # …, — сообщили в ведомстве.
    ("reported-dash", re.compile(r"(?:^|(?<=[.!?…]\s)|(?<=\n))(?P<r>[^.!?\n«»]{10,}?)," + _DASH + r"(?P<cue>"
                                 + CUE + r")\b(?P<sp>[^.!?\n]*?)" + _END)),
]

_PRONOUNS = {"он": "m", "она": "f", "они": "p"}
_ANONYMOUS = re.compile(r"источник|собеседник|очевид|свидетел|официальные лица|в ведомстве|осведомл|знаком(ый|ая|ые)|"
                        r"пожелавш|анонимн|неназванн|в окружении|в правительстве|в министерстве|в кремле",
                        re.IGNORECASE)
_DOCUMENT = re.compile(r"^(?:в\s+)?(?:доклад|заявлени|документ|отчёт|отчет|проект|резолюци|иск|сообщени|"
                       r"коммюнике|письм|постановлени|указ|соглашени|исследовани)", re.IGNORECASE)
_ORG = re.compile(r"^(?:пресс-служб|министерств|ведомств|мид\b|правительств|администраци|компани|посольств|"
                  r"комисси|совет\b|кремл|штаб|управлени|служб|агентств|партия|фонд)", re.IGNORECASE)
_PLACE_PREPOSITIONS = {"в", "во", "на", "из", "от", "у", "при", "под", "над"}
_PATRONYMIC = re.compile(r"(?:вич|вна|ична|инична)$")
_CAP_WORD = re.compile(r"^(?:[А-ЯЁA-Z][а-яёa-z\-]+|(?:[А-ЯЁA-Z]\.)+)$")


def _gender(cue: str) -> str:
    if cue.endswith(("ла", "лась")):
        return "f"
    if cue.endswith(("ли", "лись")):
        return "p"
    return "m"


def _trailing_name(part: str) -> tuple[str | None, str | None]:
    """(role, name) of one comma-free stretch: its trailing run of capitalised words is the name (two words,
    three with a patronymic; all-capital abbreviations such as МИД belong to the role)."""
    words = part.split()
    k = len(words)
    while k > 0 and _CAP_WORD.match(words[k - 1]):
        k -= 1
    if len(words) - k == 3 and not _PATRONYMIC.search(words[-2]):
        k += 1  # «мэр города Минск Иван Петров»
    if k == len(words) or len(words) - k > 3 or (k > 0 and words[k - 1].lower() in _PLACE_PREPOSITIONS):
        return None, None  # «сообщили в Кремле»: a place or an institution, not a name
    return (" ".join(words[:k]).strip(" —–-") or None), " ".join(words[k:])


def _split_name(phrase: str) -> tuple[str | None, str | None]:
    """(role, name) of a speaker phrase: the first comma-separated stretch that ends in a name («Министр обороны
    Андрей Белоусов, выступая в Москве»); a name alone before a comma takes the next stretch as its role («Анна
    Смирнова, директор института»)."""
    parts = [p.strip() for p in phrase.split(",") if p.strip()]
    for i, part in enumerate(parts):
        role, name = _trailing_name(part)
        if name:
            if role is None and i == 0 and len(parts) > 1:
                role = parts[1]
            return role, name
    return (phrase or None), None


class _Speakers:
    """The persons named so far in one article, for pronouns, surnames and titles said later."""

    def __init__(self) -> None:
        self.people: list[tuple[str, str | None, str]] = []  # (name, role, gender)

    def add(self, name: str, role: str | None, gender: str) -> str:
        full = next((n for n, _r, _g in reversed(self.people) if n.split()[-1] == name.split()[-1]), None) \
            if len(name.split()) == 1 else None
        name = full or name
        self.people.append((name, role, gender))
        return name

    def pronoun(self, gender: str) -> tuple[str | None, str | None]:
        for n, r, g in reversed(self.people):
            if gender in ("p", g):
                return n, r
        return None, None

    def title(self, word: str, gender: str) -> tuple[str | None, str | None]:
        stem = word.lower()[:5]
        for n, r, _g in reversed(self.people):
            if r and stem in r.lower():
                return n, r
        return self.pronoun(gender)


def _speaker(phrase: str, cue: str, people: _Speakers, lead: str = "",
             context: str = "") -> tuple[str, str | None, str | None, str]:
    """(kind, speaker name, role, phrase as written) of one speaker phrase (`context`: words between the cue and
    a colon, «написал в Telegram:»)."""
    phrase = phrase.strip(" ,—–-\u00a0")
    in_phrase = _SOCIAL.search(phrase)
    if in_phrase:
        phrase = phrase[:in_phrase.start()].strip()
    social = in_phrase or _SOCIAL.search(" " + context.strip())
    if "говорится" in cue and (lead.startswith("Как") or _DOCUMENT.match(phrase)):
        return "document", phrase, None, phrase
    gender = _gender(cue)
    low = phrase.lower()
    kind = "social-media" if social else "named-person"
    if low in _PRONOUNS:
        name, role = people.pronoun(_PRONOUNS[low])
        return kind, name, role, phrase
    if _ORG.match(phrase) or (phrase.isupper() and len(phrase) <= 10):
        return ("social-media" if social else "named-organisation"), phrase, None, phrase
    role, name = _split_name(phrase)
    if name is not None:  # a name wins over the words around it («Путин, выступая в Кремле, заявил»)
        return kind, people.add(name, role, gender), role, phrase
    if _ANONYMOUS.search(phrase):
        return "anonymous", None, None, phrase
    if phrase and " " not in phrase:  # «…», — предупредила директор: the title of someone named before
        name, role = people.title(phrase, gender)
        return kind, name, role, phrase
    return ("social-media" if social else "anonymous"), None, None, phrase


def extract(text: str) -> list[Attribution]:
    """Every attribution the patterns find in a Russian text (offsets into `text`), in reading order."""
    found: list[tuple[int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for name, pat in _PATTERNS:
        for m in pat.finditer(text):
            span = (m.start(), m.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append((m.start(), name, m))
    found.sort(key=lambda x: x[0])
    people = _Speakers()
    out: list[Attribution] = []
    for _pos, _name, m in found:
        groups = m.groupdict()
        cue = groups.get("cue") or groups.get("lead") or ""
        kind, speaker, role, phrase = _speaker(groups.get("sp") or "", cue, people, groups.get("lead") or "",
                                               groups.get("ctx") or "")
        if groups.get("q") is not None:
            c0, c1 = m.start("q") - 1, m.end("q") + 1
            content, direct = m.group("q"), True
        else:
            c0, c1 = m.start("r"), m.end("r")
            content, direct = m.group("r"), False
        cue_group = "cue" if groups.get("cue") else "lead"
        sp_start = m.start("sp") + (len(m.group("sp")) - len(m.group("sp").lstrip(" ,—–-")))
        out.append(Attribution(
            content_start=c0, content_end=c1, content=content.strip(), cue=m.group(cue_group),
            cue_start=m.start(cue_group), cue_end=m.end(cue_group), speaker=phrase or None,
            speaker_start=sp_start, speaker_end=sp_start + len(phrase), speaker_name=speaker, role=role,
            kind=kind, direct=direct, confidence=0.8 if direct else 0.6))
    return out
