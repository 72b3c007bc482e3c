"""Sites: an outlet is keyed by its registered domain; outlet names are matched to sites loosely.

Provenance asks "does this credit line name that site?": a page may say "Reuters", "Global Research"
or "ANTI-BELLUM A Journal Of NATO's Threat To World Peace" where the site is reuters.com,
globalresearch.ca or antibellum.com. We compare letters-only forms of names and domain labels.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

__all__ = ["site_of", "site_key", "page_key", "resolve_links", "outlet_key", "name_matches_site", "domain_label",
           "transliterate", "spelled_initials"]

_EXTRACTOR: tldextract.TLDExtract | None = None


def _extractor() -> tldextract.TLDExtract:
    """The bundled public-suffix snapshot, never fetched: newstrace must work offline."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        _EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
    return _EXTRACTOR


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def page_key(url: str | None) -> str:
    """The form under which two links to one page compare equal: no scheme, "www.", fragment or trailing
    slash, lowercased ("" for none). A credit line's link and a stored page's URL are matched on it."""
    if not url:
        return ""
    u = url.strip().lower().split("#", 1)[0]
    for p in ("https://", "http://"):
        u = u.removeprefix(p)
    return u.removeprefix("www.").rstrip("/")


def resolve_links(links: Iterable[tuple[int, str]], pages: Iterable[tuple[int, str | None, str | None]]
                  ) -> list[tuple[int, int]]:
    """(linking page, page linked) for each link (page id, URL) that names one of `pages` (id, URL, canonical URL),
    compared as `page_key` compares them: the page at that URL (the newest, ids ascending), else a page claiming
    it as its canonical URL. A page linking itself is left out."""
    by_url: dict[str, int] = {}
    by_canonical: dict[str, int] = {}
    for i, url, canonical in sorted(pages, key=lambda p: p[0]):
        if (k := page_key(url)):
            by_url[k] = i
        if (k := page_key(canonical)):
            by_canonical[k] = i
    out = []
    for i, url in links:
        k = page_key(url)
        t = by_url.get(k, by_canonical.get(k)) if k else None
        if t is not None and t != i:
            out.append((i, t))
    return out


@lru_cache(maxsize=4096)
def site_of(url: str) -> str:
    """The registered domain of `url` ("www.BBC.co.uk/x" -> "bbc.co.uk").

    IP addresses and localhost keep their port (test servers on 127.0.0.1 are distinct sites);
    `file://` URIs and bare paths are "local"; an unparseable URL gives its lowercased host or "".
    """
    url = (url or "").strip()
    if not url:
        return ""
    if url.startswith(("file:", "/", "./", "../")) or re.match(r"^[A-Za-z]:[\\/]", url):
        return "local"
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return ""
    if not host:
        return "local" if url.startswith("file") else ""
    if _is_ip(host) or host == "localhost" or "." not in host:
        return f"{host}:{port}" if port else host
    return _registered(host)


def site_key(value: str) -> str:
    """A site as someone typed it, as the store keys sites: "https://www.Example.com/news" -> "example.com"."""
    value = value.strip()
    return site_of(value) or value.lower()


@lru_cache(maxsize=65536)
def _registered(host: str) -> str:
    """Registered domain of a host name; cached per host because tldextract costs ~0.3 ms a call."""
    ext = _extractor()(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}"
    return host.removeprefix("www.")


def domain_label(domain: str) -> str:
    """The part of a registered domain before its public suffix: "globalresearch.ca" -> "globalresearch"."""
    domain = domain.lower().removeprefix("www.")
    if ":" in domain or _is_ip(domain):
        return domain
    ext = _extractor()(domain)
    if ext.suffix:
        return ext.domain or domain.split(".")[0]
    return domain.rsplit(".", 1)[0] if "." in domain else domain  # unknown suffix, e.g. "wire-one.example"


def _letters(text: str) -> str:
    """Lowercase letters and digits only, accents folded: "Anti-Bellum" -> "antibellum"."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text.lower() if ch.isalnum() and not unicodedata.combining(ch))


_GENERIC_TAILS = {"english", "news", "online", "international", "uk", "us", "usa", "daily", "today", "tv", "radio",
                  "agency", "network", "media", "com", "world", "global", "live", "digital", "newsagency", "ru",
                  "en", "arabic", "espanol", "francais", "deutsch", "weekly", "magazine", "channel"}
_STOP = {"the", "a", "an", "of", "and", "for", "to", "on", "in", "at", "by", "news", "com", "www"}
_SPLIT = re.compile(r"\s+(?:[-–—|:]|–|—)\s+|\s*\|\s*")


_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
     "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g"],
    strict=True,
))


def transliterate(text: str, soft_sign: str = "") -> str:
    """Cyrillic to Latin letters as Russian outlets spell their domains ("Эхо Севера" -> "ekho severa")."""
    out = []
    for ch in text.lower():
        if ch == "ь":
            out.append(soft_sign)
        else:
            out.append(_CYRILLIC.get(ch, ch))
    return "".join(out)


def outlet_key(name: str) -> str:
    """A matching key for an outlet name: lowercase letters only, 'the', 'www.' and suffixes dropped.

    "ANTI-BELLUM A Journal Of NATO's Threat To World Peace" -> "antibellumajournalofnatosthreattoworldpeace",
    "www.Reuters.com" -> "reuters", "The Guardian" -> "guardian".
    """
    name = (name or "").strip()
    if not name:
        return ""
    low = name.lower()
    if re.fullmatch(r"(?:https?://)?(?:www\.)?[a-z0-9.-]+\.[a-z]{2,}(?:/\S*)?", low):
        return _letters(domain_label(site_of(low)))
    low = re.sub(r"^(?:the)\s+", "", low)
    return _letters(low)


FULL, LEAD, INITIALS = 0, 1, 2  # how a letters-only form of a name may match (see `name_matches_site`)


def _name_forms(name: str) -> dict[str, int]:
    """Letters-only forms of a name, each with its kind: FULL (the name, without "the", before a sub-title,
    its content words), LEAD (a capitalised or hyphenated first word: "ANTI-BELLUM A Journal ..."; matches
    only exactly) and INITIALS ("Associated Press" -> "ap"; never matched against other initials)."""
    name = (name or "").strip()
    out: dict[str, int] = {}
    if not name:
        return out

    def put(form: str, kind: int) -> None:
        if form and (form not in out or kind < out[form]):
            out[form] = kind

    put(outlet_key(name), FULL)
    put(_letters(name), FULL)  # "The Moscow Times" ~ themoscowtimes.com
    put(outlet_key(_SPLIT.split(name)[0]), FULL)
    words = [w for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)?", name.lower())]
    first = re.match(r"\s*([^\W\d_][\w'’.-]*)", name)
    if first and ("-" in first.group(1) or first.group(1).isupper()) and len(_letters(first.group(1))) >= 4:
        put(_letters(first.group(1)), LEAD)
    content = [w for w in words if w not in _STOP]
    if len(content) >= 2:
        put("".join(w[0] for w in content), INITIALS)
        put("".join(content), FULL)
    if re.search("[\u0400-\u04ff]", name):
        for soft in ("", "i"):  # "Курьер" is kurer or kurier
            for form, kind in _name_forms(transliterate(name, soft)).items():
                put(form, kind)
    spelled = spelled_initials(name)
    if spelled:
        put(spelled, FULL)  # "اے پی پی" is APP, the agency's own short name, not initials made here
    return out


# English letters as Urdu writes their names: agencies are named by their initials, spelled out ("اے پی پی", APP)
_URDU_LETTERS = {
    "اے": "a", "بی": "b", "سی": "c", "ڈی": "d", "ای": "e", "ایف": "f", "جی": "g", "ایچ": "h", "آئی": "i", "آئ": "i",
    "جے": "j", "کے": "k", "ایل": "l", "ایم": "m", "این": "n", "او": "o", "پی": "p", "کیو": "q", "آر": "r",
    "ایس": "s", "ٹی": "t", "یو": "u", "وی": "v", "ڈبلیو": "w", "ایکس": "x", "وائی": "y", "زیڈ": "z", "زیڈی": "z",
}
_URDU_LETTER_KEYS = {_letters(k): v for k, v in _URDU_LETTERS.items()}


def spelled_initials(name: str) -> str:
    """The Latin initials of a name written as spelled-out letters ("اے پی پی" -> "app", "این این آئی" ->
    "nni"), or "" when any word is not a letter's name. Two letters at least: "کے" alone is the word "of"."""
    words = name.split()
    if len(words) < 2 or len(words) > 6:
        return ""
    out = []
    for w in words:
        letter = _URDU_LETTER_KEYS.get(_letters(w))
        if letter is None:
            return ""
        out.append(letter)
    return "".join(out)


def name_matches_site(name: str, domain: str, site_name: str | None = None) -> bool:
    """Whether an outlet name from a credit line names the site with this domain (or this site name).

    Compares letters-only forms: the name (or its lead words, or initials) against the domain's label
    ("Global Research" ~ globalresearch.ca, "TASS" ~ tass.ru, "Associated Press" ~ ap.org) and
    against the site's own name when known. Short keys (< 3 letters) must match exactly. Initials never
    match initials ("Время Онлайн" is not "Вести Онлайн", though both are "ВО"), and a name's lead word
    only matches whole ("Anti-Bellum Notes" is not anti-bellum-dispatches.example).
    """
    if not name:
        return False
    forms = _name_forms(name)
    if not forms:
        return False
    targets: dict[str, int] = {}
    if domain:
        label = _letters(domain_label(domain))
        if label:
            targets[label] = FULL
            targets.setdefault(label.removesuffix("news"), FULL)
    if site_name:
        for form, kind in _name_forms(site_name).items():
            if form not in targets or kind < targets[form]:
                targets[form] = kind
    targets.pop("", None)
    for v, vk in forms.items():
        for t, tk in targets.items():
            if v == t:
                if not (vk == INITIALS and tk == INITIALS):
                    return True
                continue
            if vk != FULL or tk != FULL:
                continue
            # the name is the start of the label: "Sputnik" ~ sputniknews.com, "Reuters" ~ reutersagency.com
            if len(v) >= 5 and t.startswith(v):
                return True
            # the label is the start of the name only before a generic word: "Al Jazeera English" ~
            # aljazeera.com, but "Global Research" is not global.com
            if len(t) >= 5 and v.startswith(t) and v[len(t):] in _GENERIC_TAILS:
                return True
    return False

