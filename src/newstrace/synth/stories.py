"""Stories: an origin article and the copies that spread it along chains and trees of sites.

Each copy starts from its parent's paragraphs (its parent is always an earlier article of the same
story) and applies the edits its kind of site makes: newspapers rewrite wire copy (new headline,
reworded sentences, cut or reordered paragraphs, inserted sentences), blogs excerpt and comment,
aggregators and proxies republish whole or in part. Credit is given in many forms, to the parent,
to the origin, or to nobody; some stories are republished in another language (text regenerated).
"""

from __future__ import annotations

import bisect
import math
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .locales import LOCALES
from .quotes import Cast, Speaker, alter_quote, city_name, make_cast, quote_seg, speaker_pool, trim_quote
from .sites import ORIGINATORS, Site
from .text import Body, Credit, Ids, Para, Seg, TextGen, fix_typo, reword, with_typo
from .words import vocab

_NON_WORD = re.compile(r"[^a-z0-9]+")
BASE_TIME = datetime(2024, 3, 1, tzinfo=UTC)
EDIT_KINDS = ("headline", "intro", "commentary", "cut", "reorder", "reword", "insert", "typo", "quote-trim",
              "quote-alter")
CREDIT_FORMS = ("original-source", "originally-published", "source", "via", "link", "dateline", "republished",
                "copyright")
_PARETO_ALPHA = 1.3
_SIZE_SCALE = 1.5  # a spreading story has 1 + int(1.5 * (Pareto(1.3) - 1)) copies: 1 most often, heavy tail
_MAX_COPIES = 60
# Base probability of each edit per copying kind, at edit intensity 0.5.
_EDIT_P = {
    "newspaper": {"headline": .9, "intro": .3, "commentary": .05, "cut": .45, "reorder": .25, "reword": .85,
                  "insert": .4, "typo": .2, "quote-trim": .25, "quote-alter": .12},
    "aggregator": {"headline": .6, "intro": .15, "commentary": .1, "cut": .35, "reorder": .08, "reword": .2,
                   "insert": .1, "typo": .1, "quote-trim": .1, "quote-alter": .05},
    "proxy": {"headline": .2, "intro": .08, "commentary": .05, "cut": .1, "reorder": .03, "reword": .08,
              "insert": .05, "typo": .1, "quote-trim": .03, "quote-alter": .03},
    "blog": {"headline": .9, "intro": .8, "commentary": .75, "cut": .8, "reorder": .05, "reword": .3,
             "insert": .15, "typo": .1, "quote-trim": .2, "quote-alter": .1},
}
_CREDIT_FORM_P = {
    "newspaper": [("dateline", 4), ("source", 2), ("link", 2), ("republished", 2), ("copyright", 2), ("via", 1)],
    "wire": [("dateline", 3), ("source", 2)], "state": [("dateline", 3), ("source", 2)],
    "proxy": [("original-source", 4), ("originally-published", 3), ("republished", 3), ("copyright", 3),
              ("source", 1)],
    "aggregator": [("source", 4), ("via", 3), ("link", 2), ("original-source", 1), ("dateline", 1), ("copyright", 1)],
    "blog": [("link", 5), ("via", 3), ("source", 2), ("originally-published", 2)],
}
_CREDIT_HABIT = {"proxy": 1.4, "aggregator": 1.0, "blog": 1.0, "newspaper": 0.8, "wire": 0.8, "state": 0.6}
_COPIER_P = {  # which kind of site copies from which
    "wire": [("newspaper", 45), ("aggregator", 20), ("proxy", 15), ("blog", 20)],
    "state": [("newspaper", 35), ("aggregator", 20), ("proxy", 25), ("blog", 20)],
    "newspaper": [("aggregator", 35), ("proxy", 25), ("blog", 30), ("newspaper", 10)],
    "blog": [("proxy", 45), ("aggregator", 45), ("blog", 10)],
    "aggregator": [("proxy", 40), ("aggregator", 40), ("blog", 20)],
    "proxy": [("proxy", 40), ("aggregator", 40), ("blog", 20)],
}
_ORIGIN_KIND_P = [("wire", 30), ("state", 15), ("newspaper", 40), ("blog", 15)]


@dataclass(slots=True)
class Art:
    """One generated article, kept in memory only while its story is written."""

    idx: int
    story: str
    site: Site
    lang: str
    title: str
    paras: list[Para]
    time: datetime
    page_time: datetime | None
    url: str
    slug: str
    authors: list[str]
    cast: Cast
    parent: Art | None = None
    translated_from: Art | None = None
    edits: list[str] = field(default_factory=list)
    body: Body | None = None  # set by the writer once laid out

    @property
    def source(self) -> Art | None:
        return self.parent or self.translated_from


def _pick(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Group:
    """Sites of one language and kind with cumulative weights for fast weighted draws."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = sites
        self.cum = []
        total = 0.0
        for s in sites:
            total += s.weight
            self.cum.append(total)
        self.total = total

    def draw(self, rng: random.Random, used: set[str]) -> Site | None:
        for _ in range(6):
            s = self.sites[min(len(self.sites) - 1, bisect.bisect(self.cum, rng.random() * self.total))]
            if s.domain not in used:
                return s
        free = [s for s in self.sites if s.domain not in used]
        return rng.choice(free) if free else None


class StoryMaker:
    """Generates stories one at a time (constant memory); all randomness from one seeded `Random`."""

    def __init__(self, rng: random.Random, sites: list[Site], articles: int, copy_share: float,
                 edit_intensity: float, credit_rate: float, date_noise: float, languages: tuple[str, ...]) -> None:
        self.rng = rng
        self.sites = sites
        self.intensity = edit_intensity
        self.credit_rate = credit_rate
        self.date_noise = date_noise
        self.languages = tuple(lang for lang in languages if any(s.language == lang for s in sites))
        self.groups: dict[tuple[str, str], _Group] = {}
        for lang in self.languages:
            for kind in ("wire", "state", "newspaper", "aggregator", "proxy", "blog"):
                members = [s for s in sites if s.language == lang and s.kind == kind]
                if members:
                    self.groups[(lang, kind)] = _Group(members)
        self.pools: dict[str, list[Speaker]] = {lang: speaker_pool(rng, vocab(lang)) for lang in self.languages}
        self.gen = {lang: TextGen(rng, vocab(lang)) for lang in self.languages}
        self.period = timedelta(days=min(730, max(21, articles / 400)))
        share = min(max(copy_share, 0.0), 0.85)
        self.mean_copies = share / (1 - share)
        # E[min(1 + int(c * (X - 1)), cap)] = 1 + sum over n >= 1 of P(X >= 1 + n / c), X ~ Pareto(alpha)
        expected = 1 + sum((1 + n / _SIZE_SCALE) ** -_PARETO_ALPHA for n in range(1, _MAX_COPIES))
        self.spread_p = min(1.0, self.mean_copies / expected)
        self.size_scale = _SIZE_SCALE * max(1.0, self.mean_copies / expected)
        origins = [(lang, k) for lang in self.languages for k in ORIGINATORS if (lang, k) in self.groups]
        if not origins:
            raise ValueError("no site can originate stories")
        self.translate_p = 0.06 if len(self.languages) > 1 else 0.0
        self.next_idx = 0
        self.debt = 0

    # -- helpers ---------------------------------------------------------------------------------
    def _p(self, kind: str, edit: str) -> float:
        table = _EDIT_P.get(kind, _EDIT_P["newspaper"])
        return min(1.0, table[edit] * self.intensity / 0.5)

    def _page_time(self, site: Site, t: datetime) -> datetime | None:
        rng = self.rng
        if site.date_mode == "none" or (site.date_mode != "url" and rng.random() < 0.03):
            return None
        if rng.random() < self.date_noise:
            r = rng.random()
            if r < 0.65:
                t = t - timedelta(minutes=rng.randint(120, 36 * 60))  # the site's clock is behind
            elif r < 0.8:
                t = t + timedelta(minutes=rng.randint(30, 12 * 60))
            else:  # local time declared as if it were UTC
                t = t.astimezone(site.tz).replace(tzinfo=UTC)
        t = t.replace(second=0, microsecond=0)
        if site.date_mode == "url":
            local = t.astimezone(site.tz)
            t = datetime(local.year, local.month, local.day, tzinfo=UTC)
        return t

    def _authors(self, site: Site) -> list[str]:
        rng = self.rng
        if rng.random() >= site.author_rate:
            return []
        n = 2 if rng.random() < 0.12 and len(site.authors) > 1 else 1
        return rng.sample(site.authors, n)

    def _slug(self, lang: str, title: str, idx: int) -> str:
        if lang == "en":
            return "-".join(_NON_WORD.sub(" ", title.lower()).split()[:6] + [format(idx, "x")])
        return f"{'novosti' if lang == 'ru' else 'xinwen'}-{idx:07x}"

    def _make_art(self, story: str, site: Site, title: str, paras: list[Para], t: datetime, authors: list[str],
                  cast: Cast, **kw: Any) -> Art:
        from .sites import article_url
        idx = self.next_idx
        self.next_idx += 1
        page_time = self._page_time(site, t)
        slug = self._slug(site.language, title, idx)
        return Art(idx, story, site, site.language, title, paras, t, page_time, article_url(site, page_time, slug),
                   slug, authors, cast, **kw)

    def _title(self, lang: str) -> str:
        g = self.gen[lang]
        return g.clause(8, 14) if lang == "zh" else g.clause(6, 11, cap=True).replace(",", "")

    def _paras(self, lang: str, ids: Ids, cast: Cast, n: int) -> list[Para]:
        rng, g = self.rng, self.gen[lang]
        cast.introduced = set()
        paras = []
        quoted = False
        rnd = rng.random
        sizes = [1 + int(rnd() * 3) for _ in range(n)]
        pool = g.segs(ids, sum(sizes))  # one draw for the whole article
        pos = 0
        for i, k in enumerate(sizes):
            segs = pool[pos:pos + k]
            pos += k
            if (i > 0 and rnd() < 0.5) or (i == n - 1 and not quoted and rnd() < 0.9):
                segs.insert(int(rnd() * (k + 1)), quote_seg(g, ids, cast))
                quoted = True
            paras.append(Para(segs))
        if rng.random() < 0.2:
            pi = rng.randrange(n)
            cands = [j for j, s in enumerate(paras[pi].segs) if s.plain]
            if cands:
                j = rng.choice(cands)
                paras[pi].segs[j] = with_typo(rng, paras[pi].segs[j], lang)
        return paras

    def _n_paras(self) -> int:
        return min(14, 3 + int(self.rng.expovariate(1 / 3.5)))

    def _dateline(self, lang: str, named: Site, t: datetime, ids: Ids) -> Seg:
        loc = LOCALES[lang]
        city = self.rng.choice(loc["cities"])
        local = t.astimezone(named.tz)
        month = loc["months"][local.month - 1] if "months" in loc else local.month
        text = loc["dateline"].format(city=city, month=month, day=local.day, x=named.name)
        return Seg(text, ids(), credit=Credit("dateline", named.domain), dateline=True)

    # -- stories ---------------------------------------------------------------------------------
    def story(self, number: int, budget: int) -> list[Art]:
        """One story of at most `budget` articles: its origin first, every copy after its parent."""
        rng = self.rng
        name = f"st-{number:06d}"
        lang, kind = self._origin_kind()
        site = self.groups[(lang, kind)].draw(rng, set())
        assert site is not None
        ids = Ids()
        t0 = BASE_TIME + timedelta(seconds=rng.random() * self.period.total_seconds())
        cast = make_cast(rng, self.pools[lang], LOCALES[lang]["orgs"])
        paras = self._paras(lang, ids, cast, self._n_paras())
        if kind in ("wire", "state"):
            paras[0].segs.insert(0, self._dateline(lang, site, t0, ids))
        origin = self._make_art(name, site, self._title(lang), paras, t0, self._authors(site), cast)
        arts = [origin]
        used = {site.domain}
        n_copies = 0
        if rng.random() < self.spread_p:
            n_copies = min(_MAX_COPIES, 1 + int(self.size_scale * (rng.paretovariate(_PARETO_ALPHA) - 1)))
        elif self.debt >= 1:  # copies earlier stories could not place (too few sites) go to later ones
            n_copies = 1
            self.debt -= 1
        wanted = min(n_copies, budget - 1)
        for _ in range(wanted):
            r = rng.random()  # trees: often from the origin; chains: often from the latest copy
            parent = origin if r < 0.4 else arts[-1] if r < 0.7 else rng.choice(arts)
            art = self._copy(parent, arts, used, ids)
            if art is None:
                break
            arts.append(art)
            used.add(art.site.domain)
        self.debt += wanted - (len(arts) - 1)
        return arts

    def _origin_kind(self) -> tuple[str, str]:
        rng = self.rng
        weights = [0.76 if lang == "en" else 0.24 / max(1, len(self.languages) - 1) for lang in self.languages]
        if "en" not in self.languages:
            weights = [1.0] * len(self.languages)
        lang = rng.choices(self.languages, weights=weights)[0]
        pairs = [(k, w) for k, w in _ORIGIN_KIND_P if (lang, k) in self.groups]
        return lang, _pick(rng, pairs)

    def _copy(self, parent: Art, arts: list[Art], used: set[str], ids: Ids) -> Art | None:
        rng = self.rng
        if rng.random() < self.translate_p:
            others = [lang for lang in self.languages if lang != parent.lang]
            lang = rng.choice(others)
            for kind in ("newspaper", "aggregator", "state", "blog", "proxy"):
                g = self.groups.get((lang, kind))
                site = g.draw(rng, used) if g else None
                if site is not None:
                    return self._translate(parent, site, ids)
        order = [_pick(rng, _COPIER_P[parent.site.kind])] + [k for k, _ in _COPIER_P[parent.site.kind]]
        for kind in order:
            g = self.groups.get((parent.lang, kind))
            site = g.draw(rng, used) if g else None
            if site is not None:
                return self._republish(parent, site, arts[0], ids)
        return None

    def _delay(self) -> timedelta:
        return timedelta(minutes=max(5.0, min(60 * 24 * 20, 180 * math.exp(self.rng.gauss(0, 1.2)))))

    def _translate(self, parent: Art, site: Site, ids: Ids) -> Art:
        rng, lang = self.rng, site.language
        loc = LOCALES[lang]
        speakers = []
        for sp in parent.cast.speakers:
            fem, masc, title = rng.choice(loc["roles"])
            role = (fem if sp.person.female else masc).format(org=rng.choice(loc["orgs"]), city=city_name(rng, lang))
            speakers.append(Speaker(sp.person, role, title))
        cast = Cast(speakers, rng.choice(loc["orgs"]))
        n = max(2, sum(1 for p in parent.paras if p.role == "body"))
        paras = self._paras(lang, ids, cast, min(n, 14))
        if rng.random() < self.credit_rate:
            named = parent if rng.random() < 0.8 else _origin(parent)
            paras.append(self._credit_para(rng.choice(("source", "original-source")), named, lang, ids))
        return self._make_art(parent.story, site, self._title(lang), paras, parent.time + self._delay(),
                              self._authors(site), cast, translated_from=parent)

    def _credit_para(self, form: str, named: Art, lang: str, ids: Ids) -> Para:
        loc = LOCALES[lang]
        name = named.site.name
        x = name
        if form == "copyright" and lang == "en" and named.authors:
            x = f"{named.authors[0]}, {name}"
        text = loc["credit"][form].format(x=x, year=named.time.year)
        linked = form == "link" or (form in ("original-source", "via", "source") and self.rng.random() < 0.5)
        link = None
        if linked:
            a = text.index(name)
            link = (a, a + len(name), named.url)
        seg = Seg(text, ids(), link=link, credit=Credit(form, named.site.domain, named.url if linked else None))
        return Para([seg], "credit")

    def _republish(self, parent: Art, site: Site, origin: Art, ids: Ids) -> Art:
        rng, kind, lang = self.rng, site.kind, parent.lang
        g = self.gen[lang]
        v = g.v
        keep_credit = {"proxy": 0.5, "aggregator": 0.3}.get(kind, 0.1)
        body = [Para(list(p.segs), "body") for p in parent.paras if p.role != "credit"]
        credits = [Para(list(p.segs), "credit") for p in parent.paras if p.role == "credit"
                   and rng.random() < keep_credit]
        edits: list[str] = []
        if rng.random() < self._p(kind, "cut") and self._cut(kind, body):
            edits.append("cut")
        if len(body) >= 3 and rng.random() < self._p(kind, "reorder"):
            i, j = rng.sample(range(1, len(body)), 2)
            body[i], body[j] = body[j], body[i]
            edits.append("reorder")
        if rng.random() < self._p(kind, "reword"):
            share = 0.15 + 0.4 * self.intensity
            changed = False
            for p in body:
                for k, s in enumerate(p.segs):
                    if s.plain and rng.random() < share:
                        p.segs[k] = reword(rng, s, v, rng.randint(1, 3))
                        changed = changed or p.segs[k].text != s.text
            if changed:
                edits.append("reword")
        if rng.random() < self._p(kind, "insert"):
            for _ in range(rng.randint(1, 2)):
                p = rng.choice(body)
                lo = 1 if p.segs and p.segs[0].dateline else 0
                p.segs.insert(rng.randint(lo, len(p.segs)), g.seg(ids))
            edits.append("insert")
        if rng.random() < self._p(kind, "typo") and self._typo(body, lang):
            edits.append("typo")
        for edit, fn in (("quote-trim", lambda s: trim_quote(rng, s, lang)), ("quote-alter",
                                                                             lambda s: alter_quote(rng, s, v))):
            if rng.random() < self._p(kind, edit):
                spots = [(p, k) for p in body for k, s in enumerate(p.segs) if s.quote is not None]
                if spots:
                    p, k = rng.choice(spots)
                    new = fn(p.segs[k])
                    if new.text != p.segs[k].text:
                        p.segs[k] = new
                        edits.append(edit)
        form = None
        named: list[Art] = []
        if rng.random() < min(1.0, self.credit_rate * _CREDIT_HABIT[kind]):
            form = _pick(rng, _CREDIT_FORM_P[kind])
            r = rng.random()
            named = [parent] if parent is origin or r < 0.75 else [origin] if r < 0.9 else [parent, origin]
        first = body[0].segs if body else []
        strip = {"newspaper": 0.5, "blog": 0.5}.get(kind, 0.1) * self.intensity / 0.5
        if len(first) > 1 and first[0].dateline and form != "dateline" and rng.random() < strip:
            del first[0]
            if "cut" not in edits:
                edits.append("cut")
        paras: list[Para] = []
        if rng.random() < self._p(kind, "intro"):
            paras.append(Para([Seg(rng.choice(LOCALES[lang]["intro"]), ids()), g.seg(ids)], "intro"))
            edits.append("intro")
        paras += [p for p in body if p.segs]
        if rng.random() < self._p(kind, "commentary"):
            for _ in range(rng.randint(1, 3)):
                paras.append(Para(g.segs(ids, rng.randint(1, 3)), "commentary"))
            edits.append("commentary")
        paras += credits
        if form == "dateline" and paras:
            target = next((p for p in paras if p.role == "body"), paras[0])
            if kind == "newspaper" and rng.random() < 0.4:  # agency sign-off at the end: "— Wire One"
                name = named[0].site
                text = LOCALES[lang]["signoff"].format(x=name.name)
                paras.append(Para([Seg(text, ids(), credit=Credit("dateline", name.domain))], "credit"))
            elif not (target.segs and target.segs[0].dateline):
                target.segs.insert(0, self._dateline(lang, named[0].site, parent.time, ids))
        elif form is not None:
            paras += [self._credit_para(form, a, lang, ids) for a in named]
        title = parent.title
        if rng.random() < self._p(kind, "headline"):
            title = self._headline(parent.title, lang)
            edits.append("headline")
            if kind in ("aggregator", "proxy") and rng.random() < 0.3:  # the source's headline kept beneath
                paras.insert(0, Para([Seg(parent.title, ids())], "subhead"))
        authors = list(parent.authors) if kind in ("proxy", "aggregator") and rng.random() < 0.4 \
            else self._authors(site)
        ordered = [e for e in EDIT_KINDS if e in edits]
        return self._make_art(parent.story, site, title, paras, parent.time + self._delay(), authors,
                              parent.cast, parent=parent, edits=ordered)

    def _cut(self, kind: str, body: list[Para]) -> bool:
        """Drop paragraphs (or a sentence) the way this kind of site does; True if anything was cut."""
        rng = self.rng
        n = len(body)
        if kind == "blog" and n > 1:
            keep = rng.randint(1, min(3, n - 1))
            del body[keep:]
            last = body[-1]
            keep_segs = max((len(last.segs) + 1) // 2, 2 if last.segs[0].dateline else 1)
            if len(last.segs) > keep_segs and rng.random() < 0.4:
                del last.segs[keep_segs:]
            return True
        if kind == "aggregator" and n > 2:
            del body[rng.randint(2, n - 1):]
            return True
        if n >= 3 and rng.random() < 0.7:
            for _ in range(rng.randint(1, min(2, n - 2))):
                del body[rng.randrange(1, len(body))]
            return True
        multi = [p for p in body if len(p.segs) > 1]
        if multi:
            p = rng.choice(multi)
            lo = 1 if p.segs[0].dateline else 0
            if len(p.segs) - lo < 2:
                return False
            del p.segs[rng.randrange(lo, len(p.segs))]
            return True
        return False

    def _typo(self, body: list[Para], lang: str) -> bool:
        """Fix the parent's typos if it has any, else make one."""
        fixed = False
        for p in body:
            for k, s in enumerate(p.segs):
                if s.typo is not None:
                    p.segs[k] = fix_typo(s)
                    fixed = True
        if fixed:
            return True
        spots = [(p, k) for p in body for k, s in enumerate(p.segs) if s.plain]
        if not spots:
            return False
        p, k = self.rng.choice(spots)
        new = with_typo(self.rng, p.segs[k], lang)
        p.segs[k] = new
        return new.typo is not None

    def _headline(self, title: str, lang: str) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return self._title(lang)
        t = rng.choice(LOCALES[lang]["loud"])
        base = title.rstrip(".!?")
        if "{T}" in t:
            return t.format(T=base.upper())
        if t.startswith("Is "):
            return t.format(t=base[:1].lower() + base[1:])
        return t.format(t=base)


def _origin(art: Art) -> Art:
    while art.source is not None:
        art = art.source
    return art

