"""Quoted and reported statements with their speakers, in the many shapes news writing uses.

A named person is introduced once per article with full name and role ("Foreign Ministry spokeswoman
Maria Petrova stressed"); later statements refer back by pronoun ("she explained"), by title ("the
diplomat emphasized") or by surname. There are also organisations, anonymous sources, documents and
social-media posts, and reported speech without quote marks ("X said that ..."). The truth of every
statement (content span, resolved speaker, role, kind, cue, direct) rides on its segment, so it
follows the text through copies and edits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from .locales import LOCALES
from .text import Ids, Quote, Seg, TextGen
from .words import Person, Vocab, people


@dataclass(frozen=True, slots=True)
class Speaker:
    """A named person with a role, as the story's cast."""

    person: Person
    role: str
    title: str  # how a later sentence refers to them: "the diplomat"


@dataclass(slots=True)
class Cast:
    """The speakers a story quotes and, per article, who has been introduced already."""

    speakers: list[Speaker]
    org: str
    introduced: set[str] = field(default_factory=set)


def make_cast(rng: random.Random, pool: list[Speaker], orgs: list[str]) -> Cast:
    """One to three named speakers from the pool, and an organisation, for a story."""
    k = 1 + int(rng.random() * 3)
    return Cast(rng.sample(pool, k), orgs[int(rng.random() * len(orgs))])


def city_name(rng: random.Random, lang: str) -> str:
    """A city as running text writes it (datelines use the capitals)."""
    c = rng.choice(LOCALES[lang]["cities"])
    return c if lang == "zh" else c.title()


def speaker_pool(rng: random.Random, v: Vocab, n: int = 300) -> list[Speaker]:
    """Pre-sampled speakers with fixed roles: the same officials recur across stories, as in real news."""
    loc = LOCALES[v.lang]
    out = []
    for p in people(rng, v, n):
        fem, masc, title = rng.choice(loc["roles"])
        role = (fem if p.female else masc).format(org=rng.choice(loc["orgs"]), city=city_name(rng, v.lang))
        out.append(Speaker(p, role, title))
    return out


def _seg(ids: Ids, pre: str, content: str, post: str, **q: object) -> Seg:
    start = len(pre)
    return Seg(pre + content + post, ids(), quote=Quote(start, start + len(content), **q))  # type: ignore[arg-type]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def quote_seg(g: TextGen, ids: Ids, cast: Cast) -> Seg:
    """One statement segment: a random sourcing kind, introducing or referring back to a speaker."""
    rng = g.rng
    r = rng.random()
    if r < 0.62:
        sp = rng.choice(cast.speakers)
        if rng.random() < 0.12:
            return _social(g, ids, sp, cast)
        return _named(g, ids, sp, cast)
    if r < 0.72:
        return _org(g, ids, cast.org)
    if r < 0.88:
        return _anonymous(g, ids)
    if r < 0.95:
        return _document(g, ids)
    sp = rng.choice(cast.speakers)
    return _social(g, ids, sp, cast)


def _content(g: TextGen, direct: bool) -> str:
    c = g.clause(7, 16, cap=direct)
    if direct and g.lang != "zh" and g.rng.random() < 0.3:
        c += ". " + g.clause(5, 10, cap=True)
    return c


def _cue(g: TextGen, p: Person) -> str:
    cue = g.rng.choice(LOCALES[g.lang]["cues"])
    if isinstance(cue, tuple):
        return cue[0] if p.female else cue[1]
    return str(cue)


def _named(g: TextGen, ids: Ids, sp: Speaker, cast: Cast) -> Seg:
    rng, p, lang = g.rng, sp.person, g.lang
    cue = _cue(g, p)
    first = p.name not in cast.introduced
    cast.introduced.add(p.name)
    meta = {"speaker": p.name, "role": sp.role, "kind": "named-person", "cue": cue}
    form = rng.randrange(3)
    if lang == "en":
        if first:
            if form == 0:
                return _seg(ids, "“", _content(g, True), f",” {sp.role} {p.name} {cue}.", direct=True, **meta)
            if form == 1:
                c = "said" if cue in ("emphasised", "emphasized", "admitted") else cue
                meta["cue"] = c
                return _seg(ids, f"{p.name}, {sp.role}, {c} that ", _content(g, False), ".", direct=False,
                            **meta)
            meta["cue"] = "according to"
            return _seg(ids, f"According to {sp.role} {p.name}, ", _content(g, False), ".", direct=False,
                        **meta)
        if form == 0:
            pron = LOCALES["en"]["pronouns"][0 if p.female else 1]
            return _seg(ids, "“", _content(g, True), f",” {pron} {cue}.", direct=True, **meta)
        if form == 1:
            return _seg(ids, "", _content(g, True), f", {sp.title} {cue}.", direct=False, **meta)
        return _seg(ids, "“", _content(g, True), f",” {p.surname} {cue}.", direct=True, **meta)
    if lang == "ru":
        pron = LOCALES["ru"]["pronouns"][0 if p.female else 1]
        if first:
            if form == 0:
                return _seg(ids, "«", _content(g, True), f"», — {cue} {sp.role} {p.name}.", direct=True, **meta)
            return _seg(ids, f"{p.name}, {sp.role}, {cue}, что ", _content(g, False), ".", direct=False, **meta)
        if form == 0:
            return _seg(ids, "«", _content(g, True), f"», — {cue} {pron}.", direct=True, **meta)
        return _seg(ids, "«", _content(g, True), f"», — {cue} {sp.title}.", direct=True, **meta)
    pron = LOCALES["zh"]["pronouns"][0 if p.female else 1]
    if first:
        if form == 0:
            return _seg(ids, "“", _content(g, True), f"，”{sp.role}{p.name}{cue}。", direct=True, **meta)
        return _seg(ids, f"{sp.role}{p.name}{cue}，", _content(g, False), "。", direct=False, **meta)
    if form == 0:
        return _seg(ids, f"{pron}{cue}：“", _content(g, True), "。”", direct=True, **meta)
    return _seg(ids, f"{sp.title}{cue}，", _content(g, False), "。", direct=False, **meta)


def _social(g: TextGen, ids: Ids, sp: Speaker, cast: Cast) -> Seg:
    rng, p, lang = g.rng, sp.person, g.lang
    cast.introduced.add(p.name)
    s = rng.choice(LOCALES[lang]["social"])
    cue = (s[0] if p.female else s[1]) if lang == "ru" else s[0]
    meta = {"speaker": p.name, "role": sp.role, "kind": "social-media", "cue": cue}
    if lang == "en":
        return _seg(ids, f"{p.name} {cue}: “", _content(g, True), ".”", direct=True, **meta)
    if lang == "ru":
        return _seg(ids, f"{p.name} {cue}: «", _content(g, True), "».", direct=True, **meta)
    return _seg(ids, f"{p.name}{cue}：“", _content(g, True), "。”", direct=True, **meta)


def _org(g: TextGen, ids: Ids, org: str) -> Seg:
    rng, lang = g.rng, g.lang
    if lang == "en":
        meta = {"speaker": org, "role": None, "kind": "named-organisation", "cue": "said"}
        if rng.random() < 0.5:
            return _seg(ids, f"The {org} said in a statement that ", _content(g, False), ".", direct=False,
                        **meta)
        return _seg(ids, "“", _content(g, True), f",” the {org} said in a statement.", direct=True, **meta)
    if lang == "ru":
        name = f"Пресс-служба {org}"
        meta = {"speaker": name, "role": None, "kind": "named-organisation", "cue": "сообщила"}
        return _seg(ids, f"{name} сообщила, что ", _content(g, False), ".", direct=False, **meta)
    meta = {"speaker": org, "role": None, "kind": "named-organisation", "cue": "表示"}
    return _seg(ids, f"{org}在声明中表示，", _content(g, False), "。", direct=False, **meta)


def _anonymous(g: TextGen, ids: Ids) -> Seg:
    rng, lang = g.rng, g.lang
    cue, phrase = rng.choice(LOCALES[lang]["anonymous"])
    meta = {"speaker": phrase, "role": None, "kind": "anonymous", "cue": cue}
    if lang == "en":
        if cue == "according to":
            return _seg(ids, f"According to {phrase}, ", _content(g, False), ".", direct=False, **meta)
        if phrase.startswith("a ") and rng.random() < 0.5:
            return _seg(ids, f"{_cap(phrase)} {cue} ", _content(g, False), ".", direct=False, **meta)
        obj = " reporters" if cue == "told" else ""
        return _seg(ids, "", _content(g, True), f", {phrase} {cue}{obj}.", direct=False, **meta)
    if lang == "ru":
        if cue == "по данным":
            return _seg(ids, f"По данным {phrase}, ", _content(g, False), ".", direct=False, **meta)
        return _seg(ids, "", _content(g, True), f", — {cue} {phrase}.", direct=False, **meta)
    if cue == "据":
        meta["cue"] = "称"
        return _seg(ids, f"据{phrase}称，", _content(g, False), "。", direct=False, **meta)
    return _seg(ids, f"{phrase}{cue}，", _content(g, False), "。", direct=False, **meta)


def _document(g: TextGen, ids: Ids) -> Seg:
    rng, lang = g.rng, g.lang
    doc = rng.choice(LOCALES[lang]["documents"])
    if lang == "en":
        meta = {"speaker": doc, "role": None, "kind": "document", "cue": "according to"}
        return _seg(ids, f"According to {doc}, ", _content(g, False), ".", direct=False, **meta)
    if lang == "ru":
        meta = {"speaker": doc, "role": None, "kind": "document", "cue": "говорится"}
        return _seg(ids, f"Как говорится в {doc}, ", _content(g, False), ".", direct=False, **meta)
    meta = {"speaker": doc, "role": None, "kind": "document", "cue": "指出"}
    return _seg(ids, f"{doc}指出，", _content(g, False), "。", direct=False, **meta)


def trim_quote(rng: random.Random, seg: Seg, lang: str) -> Seg:
    """Shorten a statement's content (a copier quoting only part of what was said)."""
    q = seg.quote
    assert q is not None
    content = seg.text[q.start:q.end]
    if lang == "zh":
        keep = max(4, int(len(content) * rng.uniform(0.45, 0.75)))
        new = content[:keep].rstrip("，")
    else:
        toks = content.split(" ")
        if len(toks) < 6:
            return seg
        new = " ".join(toks[:max(4, int(len(toks) * rng.uniform(0.45, 0.75)))]).rstrip(",.")
    if new == content:
        return seg
    return replace(seg, text=seg.text[:q.start] + new + seg.text[q.end:], quote=replace(q, end=q.start + len(new)))


def alter_quote(rng: random.Random, seg: Seg, v: Vocab) -> Seg:
    """Change a word inside a statement's content (a misquote)."""
    q = seg.quote
    assert q is not None
    content = seg.text[q.start:q.end]
    if v.lang == "zh":
        i = rng.randrange(0, max(1, len(content) - 2))
        new = content[:i] + rng.choice(v.words) + content[i + 2:]
    else:
        toks = content.split(" ")
        idx = [i for i, t in enumerate(toks[1:], 1) if t.isalpha()]
        if not idx:
            return seg
        i = rng.choice(idx)
        toks[i] = rng.choice(v.words)
        new = " ".join(toks)
    if new == content:
        return seg
    return replace(seg, text=seg.text[:q.start] + new + seg.text[q.end:], quote=replace(q, end=q.start + len(new)))
