"""Sites: kinds of outlet, names and domains, and the per-site habits their pages show.

Each site gets its own template variant, date format and time zone, URL style, canonical-link habit,
staff authors and recurring boilerplate paragraphs inside the article body (translation offers,
"follow us" lines, disclaimers, copyright), which the reuse engine has to learn per site.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .locales import LOCALES
from .text import Para, Seg
from .words import people, vocab

KINDS = ("wire", "state", "newspaper", "aggregator", "proxy", "blog")
ORIGINATORS = ("wire", "state", "newspaper", "blog")
_KIND_SHARE = {"wire": 0.06, "state": 0.05, "newspaper": 0.34, "aggregator": 0.17, "proxy": 0.14, "blog": 0.24}
_OTHER_LANG_CORE = ("state", "newspaper", "aggregator")
_TZ = {"en": [(0, "GMT"), (-300, "EST"), (60, "CET"), (-480, "PST"), (0, "UTC"), (120, "EET")],
       "ru": [(180, "MSK")], "zh": [(480, "CST")]}
_DATE_MODES = {  # how pages declare their date: (mode, weight)
    "wire": [("meta", 6), ("jsonld", 2), ("time", 2)], "state": [("meta", 6), ("jsonld", 2), ("time", 2)],
    "newspaper": [("meta", 6), ("jsonld", 2), ("time", 2)],
    "aggregator": [("meta", 4), ("jsonld", 2), ("time", 2), ("url", 1), ("none", 1)],
    "proxy": [("meta", 3), ("time", 2), ("url", 2), ("none", 3)],
    "blog": [("meta", 4), ("time", 3), ("url", 2), ("none", 1)],
}
_AUTHOR_RATE = {"wire": 0.6, "state": 0.5, "newspaper": 0.92, "aggregator": 0.3, "proxy": 0.4, "blog": 0.95}
_BOILER_COUNT = {"wire": (0, 1), "state": (0, 2), "newspaper": (0, 2), "aggregator": (1, 3), "proxy": (2, 4),
                 "blog": (1, 3)}


@dataclass(slots=True)
class Site:
    """One outlet and its publishing habits."""

    domain: str
    name: str
    kind: str
    language: str
    weight: float
    tz_minutes: int
    tz_label: str
    date_mode: str  # meta, jsonld, time, url, none
    date_format: int
    url_style: str  # dated, section, news, blog
    canonical: str  # correct, missing, home, other
    authors: tuple[str, ...]
    author_rate: float
    boiler_top: tuple[Para, ...]
    boiler_bottom: tuple[Para, ...]
    template: int
    related: list[tuple[str, str]] = field(default_factory=list)  # recent (url, <li> HTML), bounded

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(minutes=self.tz_minutes))

    def to_json(self) -> dict[str, object]:
        return {"domain": self.domain, "name": self.name, "kind": self.kind, "language": self.language,
                "date_mode": self.date_mode, "canonical": self.canonical, "url_style": self.url_style,
                "template": self.template, "time_zone": self.tz_label,
                "boilerplate": [p.segs[0].text for p in self.boiler_top + self.boiler_bottom]}


def default_sites(articles: int) -> int:
    """A number of sites that grows slower than the corpus (24 up to 1,500 articles, 72 for 10k, 500 for 1M)."""
    return max(24, round(1.5 * articles ** 0.42))


def min_sites(languages: tuple[str, ...]) -> int:
    return len(KINDS) + len(_OTHER_LANG_CORE) * (len(languages) - 1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _names(rng: random.Random, lang: str, kind: str) -> list[tuple[str, str]]:
    """Candidate (display name, domain label) pairs for one language and kind, in a seeded order."""
    loc = LOCALES[lang]
    if lang == "en":
        pre, suf = loc["sites"][kind]
        out = [(f"{p} {s}", _slug(f"{p} {s}")) for p in pre for s in suf if p != s]
        if kind == "newspaper":
            out = [(("The " + n) if i % 3 == 0 else n, d) for i, (n, d) in enumerate(out)]
    else:
        sep = " " if lang == "ru" else ""
        tag = {"wire": "agency", "state": "state", "newspaper": "", "aggregator": "digest", "proxy": "mirror",
               "blog": "blog"}[kind]
        out = [(f"{p}{sep}{s}", "-".join(x for x in (pl, sl, tag) if x))
               for p, pl in loc["sites"] for s, sl in loc["site_suffixes"]]
    rng.shuffle(out)
    return out


def _boilerplate(rng: random.Random, lang: str, kind: str, name: str, domain: str) -> tuple[tuple[Para, ...], ...]:
    lo, hi = _BOILER_COUNT[kind]
    templates = LOCALES[lang]["boiler"]
    chosen = rng.sample(range(len(templates)), min(len(templates), rng.randint(lo, hi)))
    handle = domain.split(".")[0].replace("-", "_")
    top: list[Para] = []
    bottom: list[Para] = []
    for i in sorted(chosen):
        text = templates[i].format(name=name, domain=domain, handle=handle, n=rng.choice((32, 51, 64)))
        para = Para([Seg(text, -1)], "boiler")
        (top if i < 2 and rng.random() < 0.6 else bottom).append(para)
    return tuple(top), tuple(bottom)


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def make_sites(rng: random.Random, n: int, languages: tuple[str, ...]) -> list[Site]:
    """`n` sites: every kind in the first language and a core of kinds in each other language."""
    if n < min_sites(languages):
        raise ValueError(f"--sites {n} is too few for languages {','.join(languages)}: "
                         f"need at least {min_sites(languages)} (every kind in {languages[0]}, and "
                         f"{'/'.join(_OTHER_LANG_CORE)} in each other language)")
    plan: list[tuple[str, str]] = [(languages[0], k) for k in KINDS]
    plan += [(lang, k) for lang in languages[1:] for k in _OTHER_LANG_CORE]
    lang_w = [0.76 if lang == "en" else 0.24 / max(1, len(languages) - 1) for lang in languages]
    if "en" not in languages:
        lang_w = [1.0] * len(languages)
    while len(plan) < n:
        plan.append((rng.choices(languages, weights=lang_w)[0],
                     rng.choices(KINDS, weights=[_KIND_SHARE[k] for k in KINDS])[0]))
    pools: dict[tuple[str, str], list[tuple[str, str]]] = {}
    used: set[str] = set()
    sites = []
    for lang, kind in plan:
        pool = pools.setdefault((lang, kind), _names(rng, lang, kind))
        if lang == "en" and kind == "wire" and "wire-one" not in used:
            name, label = "Wire One", "wire-one"
        else:
            name, label = pool.pop() if pool else ("", "")
            k = 2
            while not label or label in used:
                base_name, base_label = rng.choice(_names(rng, lang, kind))
                name, label = f"{base_name} {k}", f"{base_label}-{k}"
                k += 1
        used.add(label)
        sites.append(_site(rng, lang, kind, name, f"{label}.example"))
    return sites


def _site(rng: random.Random, lang: str, kind: str, name: str, domain: str) -> Site:
    v = vocab(lang)
    tz_minutes, tz_label = rng.choice(_TZ[lang])
    mode = _weighted(rng, _DATE_MODES[kind])
    url_style = "dated" if mode == "url" else rng.choice(("dated", "section", "news", "blog" if kind == "blog"
                                                         else "dated"))
    if kind in ("proxy", "aggregator"):
        canonical = _weighted(rng, [("correct", 5), ("missing", 2), ("home", 2), ("other", 2)])
    else:
        canonical = _weighted(rng, [("correct", 16), ("missing", 2), ("home", 1), ("other", 1)])
    staff = tuple(p.name for p in people(rng, v, rng.randint(1, 2) if kind == "blog" else rng.randint(3, 10)))
    top, bottom = _boilerplate(rng, lang, kind, name, domain)
    return Site(domain=domain, name=name, kind=kind, language=lang, weight=rng.lognormvariate(0, 1.0),
                tz_minutes=tz_minutes, tz_label=tz_label, date_mode=mode, date_format=rng.randrange(5),
                url_style=url_style, canonical=canonical, authors=staff, author_rate=_AUTHOR_RATE[kind],
                boiler_top=top, boiler_bottom=bottom, template=rng.randrange(4))


def visible_date(site: Site, when: datetime) -> str:
    """The date as the page prints it, in the site's own format and time zone."""
    t = when.astimezone(site.tz)
    lang, f = site.language, site.date_format
    if lang == "zh":
        return t.strftime("%Y年%m月%d日 %H:%M") if f % 2 else t.strftime("%Y-%m-%d %H:%M")
    if lang == "ru":
        months = LOCALES["ru"]["months"]
        return f"{t.day} {months[t.month - 1]} {t.year}, {t:%H:%M}" if f % 2 else f"{t:%d.%m.%Y %H:%M} {site.tz_label}"
    month = LOCALES["en"]["months"][t.month - 1]
    if f == 0:
        return f"{month} {t.day}, {t.year}"
    if f == 1:
        return f"{t.day} {month} {t.year} {t:%H:%M} {site.tz_label}"
    if f == 2:
        return f"{t:%d.%m.%Y %H:%M} {site.tz_label}"
    if f == 3:
        return f"{t:%Y-%m-%d %H:%M}"
    return f"{t:%a} {t.day} {t:%b %Y} - {t.hour % 12 or 12}:{t:%M}{'am' if t.hour < 12 else 'pm'}"


def article_url(site: Site, when: datetime | None, slug: str) -> str:
    """The article's URL in the site's style (dated URLs use the declared local date)."""
    style = site.url_style
    if style == "dated" and when is not None:
        t = when if site.date_mode == "url" else when.astimezone(site.tz)  # url mode stores the local day
        return f"https://{site.domain}/{t.year:04d}/{t.month:02d}/{t.day:02d}/{slug}"
    if style == "news":
        return f"https://{site.domain}/news/{slug}.html"
    if style == "blog":
        return f"https://{site.domain}/{slug}/"
    return f"https://{site.domain}/world/{slug}"
