"""Attribution statements: what a page says about its own origin.

Republishers credit (or half-credit) their sources in a handful of set phrases: "The original source of
this article is X", "Originally published at X", "Source: X", "(Reuters) -" datelines, "Copyright ©
Author, Outlet, 2021", links out of the body. `detect_statements` finds those lines and names the
outlet, URL and domain they point at, so provenance can tell credited copies from uncredited ones.
Photo credits, disclaimers and ordinary sentences that happen to say "source" or "via" are not credits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newstrace.models import AttributionStatement
from newstrace.sites import name_matches_site, site_of

__all__ = ["detect_statements", "SOCIAL_DOMAINS"]

SOCIAL_DOMAINS = frozenset(
    "facebook.com fb.com fb.me twitter.com x.com t.co instagram.com telegram.org telegram.me t.me vk.com vk.ru "
    "youtube.com youtu.be linkedin.com lnkd.in whatsapp.com wa.me pinterest.com reddit.com tiktok.com "
    "ok.ru gab.com truthsocial.com threads.net bsky.app mastodon.social flipboard.com tumblr.com "
    "getpocket.com addthis.com sharethis.com".split()
)
_SHARE_PATH = re.compile(r"/(?:share|sharer|intent/tweet|submit)\b|[?&](?:share|u)=", re.I)
_MAX_LINE = 400  # credit lines are short; a long paragraph is prose (datelines are matched at its start only)

_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(([^)\s]*)\)")
_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/[^\s<>\"')\]]*)?", re.I)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_MEDIA_CREDIT = re.compile(
    r"^\W*(?:featured\s+|top\s+|cover\s+|header\s+|main\s+|lead\s+)?"
    r"(?:photo|image|picture|pic|photograph|illustration|graphic|video|footage|map|chart|infographic|"
    r"фото|изображение)s?\b",
    re.I,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CUTS = [
    re.compile(rf",?\s+(?:on|in)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH}(?:\s|\d|,|$).*$", re.I),
    re.compile(r",?\s+(?:on|in)\s+\d{1,4}[-/.]\d{1,2}.*$", re.I),
    re.compile(rf",?\s+{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}.*$", re.I),
    re.compile(rf",?\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}}.*$", re.I),
    re.compile(r",?\s+(?:under|with|and\s+(?:is|was|has\s+been)|and\s+(?:re)?published|and\s+reproduced)\s+.*$", re.I),
    re.compile(r"\.\s+(?=[A-Z]).*$"),
    re.compile(r"\s+\((?:opens|link|external)[^)]*\)?.*$", re.I),
    re.compile(r"\s*[|]\s*.*$"),
]
_CONNECTORS = {"of", "the", "and", "for", "de", "du", "des", "la", "le", "el", "der", "die", "das", "on", "a", "an",
               "to", "in", "&", "at", "di", "al", "y", "und", "et", "news"}
_ROLE_WORDS = re.compile(
    r"\b(?:writer|correspondent|reporter|editor|contributor|staff|columnist|analyst|professor|author|journalist|"
    r"fellow|director|researcher|producer|photographer|intern|senior|special|guest|chief)\b",
    re.I,
)
_OUTLET_WORDS = re.compile(
    r"\b(?:news|times|post|press|agency|journal|tribune|herald|daily|gazette|media|tv|radio|network|review|"
    r"magazine|insider|today|observer|guardian|telegraph|monitor|chronicle|report|wire|blog|research|reuters|"
    r"tass|sputnik|xinhua|bloomberg|associated|afp|ria|novosti|rt|bbc|cnn|service|online|weekly|mail|star|"
    r"sun|globe|express|standard|independent|dispatch|bulletin|courier|digest|world|international|institute)\b",
    re.I,
)

_ORIGINAL_SOURCE = re.compile(
    r"^\W*(?:the\s+)?original\s+source\s+(?:of|for)\s+this\s+(?:article|story|post|piece|report|item)\s+is\s*:?\s*"
    r"(?P<o>.+)$|^\W*read\s+(?:the\s+)?original(?:\s+(?:article|story|post|piece|version))?\s+(?:at|on|in|here\s+at)"
    r"\s*:?\s*(?P<o2>.+)$|^\W*original\s+(?:article|source|story|post)\s*:\s*(?P<o3>.+)$",
    re.I,
)
_ORIGINALLY = re.compile(
    r"^\W*(?:(?:this|the|a\s+(?:shorter\s+|longer\s+|different\s+)?version\s+of\s+this|an\s+earlier\s+version\s+of\s+"
    r"this)\s+(?:article|story|post|piece|report|op-?ed|commentary|essay|interview|analysis|column)\s+"
    r"(?:was\s+|is\s+|has\s+been\s+|had\s+been\s+)?|it\s+was\s+|was\s+)?"
    r"(?:originally|first|initially)\s+(?:published|posted|appeared|ran|printed|aired)\s+"
    r"(?:at|on|in|by|with|as\s+part\s+of)\s*:?\s*(?P<o>.+)$",
    re.I,
)
_REPUBLISHED = re.compile(
    r"^\W*(?:(?:this|the)\s+(?:article|story|post|piece|report|op-?ed|commentary|essay)\s+(?:is|was|has\s+been)\s+)?"
    r"(?:re-?published|re-?printed|re-?posted|cross-?posted|reproduced|syndicated)\s*"
    r"(?:(?:with|by)\s+(?:(?:the\s+)?(?:kind\s+)?permission)(?:\s+(?:from|of|by)\s+(?P<o>.+))?|"
    r"(?:here\s+)?(?:from|courtesy\s+of|via|by\s+arrangement\s+with)\s+(?P<o2>.+)|(?P<bare>\W*)$)",
    re.I,
)
_FIRST_APPEARED = re.compile(
    r"^\W*(?:this|the)\s+(?:article|story|post|piece|report|op-?ed|commentary)\s+(?:first|originally)\s+"
    r"appeared\s+(?:at|on|in)\s+(?P<o>.+)$",
    re.I,
)
_SOURCE = re.compile(r"^\W*(?:sources?|источник|quelle|fuente|الم[صص]در)\s*[:：]\s*(?P<o>.+)$", re.I)
_VIA = re.compile(r"^\W*(?:via|h/t|hat\s+tip(?:\s+to)?)\s*:?\s+(?P<o>.+)$|\((?:via|h/t)\s+(?P<o2>[^)]+)\)\W*$", re.I)
_ARTICLE_BY_FROM = re.compile(
    r"^\W*(?:article|story|post|essay|text|report)\s+by\s+(?P<a>.+?),?\s+(?:from|at|for|published\s+(?:by|in|on))"
    r"\s+(?P<o>.+)$",
    re.I,
)
_BYLINE = re.compile(
    r"^\W*[Bb][Yy]\s+(?P<a>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|van|von|de|la|al|bin))*?)"
    r"\s*(?:,|\||\s[-–—]\s|\s+(?:of|for|at)\s+)\s*(?P<o>.+)$"
)
_DATELINE_PAREN = re.compile(
    r"^\W{0,3}(?:[A-ZÀ-ÝА-Я][^()\n]{0,60}?\s*)?\((?P<o>[A-Z][\w.&/ -]{0,30}?)\)\s*[-–—:]+\s"
)
_DATELINE_SLASH = re.compile(
    r"^\W{0,3}[A-ZÀ-ÝА-Я][\w .'’-]{1,40},\s+(?:[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+)\.?\s*/\s*"
    r"(?P<o>[A-Z][\w -]{0,25}?)\s*/"
)
_AGENCIES = (
    "Reuters|AP|AFP|TASS|ITAR-TASS|RIA Novosti|RIA|Sputnik|Interfax|Xinhua|UPI|Bloomberg|dpa|DPA|EFE|ANSA|IANS|PTI|"
    "APP|Kyodo|Yonhap|Anadolu|IRNA|ANI|Bernama|Antara|CNA|PA|AAP|Tass"
)
_DATELINE_TAIL = re.compile(rf"(?:^|\s)[-–—]\s*(?P<o>{_AGENCIES})\s*\.?\s*$")
_COPYRIGHT = re.compile(r"^\W*(?:copyright\b|©|\(c\)|&copy;)\s*(?P<rest>.*)$", re.I)


def _strip_markdown_links(line: str, found: list[tuple[str, str]]) -> str:
    """Replace "[anchor](url)" by the anchor, remembering (anchor, url) for real URLs."""

    def repl(m: re.Match[str]) -> str:
        anchor, href = m.group(1), m.group(2)
        if href and not href.startswith("#"):
            found.append((anchor, href))
        return anchor

    return _MD_LINK.sub(repl, line)


def _clean_outlet(raw: str) -> str:
    """Cut a credited name out of the rest of its line: dates, licence terms, trailing sentences."""
    s = raw.strip().strip("\"'“”‘’«»*_ ")
    for cut in _CUTS:
        s = cut.sub("", s)
    s = s.strip().rstrip(".,;:!-–— ").strip("\"'“”‘’«»*_ ")
    s = re.sub(r"^(?:the\s+website\s+|the\s+site\s+|website\s+)", "", s, flags=re.I)
    return s.strip()


def _looks_like_outlet(name: str) -> bool:
    """A name, a domain or a URL — not a clause ("the highway, then north")."""
    if not name or len(name) > 120:
        return False
    if _URL.search(name) or _BARE_DOMAIN.match(name):
        return True
    words = re.findall(r"[^\W_][\w'’.&-]*", name)
    if not words or len(words) > 12:
        return False
    content = [w for w in words if w.lower() not in _CONNECTORS]
    if not content:
        return False
    capital = sum(1 for w in content if w[0].isupper() or w[0].isdigit() or "." in w)
    return capital / len(content) >= 0.6 and (words[0][0].isupper() or words[0][0].isdigit() or "." in words[0]
                                             or words[0].lower() in _CONNECTORS)


def _is_outletish(name: str, links: dict[str, str]) -> bool:
    """Whether the second part of a byline is an outlet rather than a role ("Staff Writer")."""
    if _ROLE_WORDS.search(name):
        return False
    if name.lower() in links or _URL.search(name) or _BARE_DOMAIN.match(name):
        return True
    if _OUTLET_WORDS.search(name):
        return True
    letters = re.sub(r"\W", "", name)
    return 2 <= len(letters) <= 8 and letters.isupper()


def _social(domain: str, href: str) -> bool:
    return domain in SOCIAL_DOMAINS or bool(_SHARE_PATH.search(href)) or href.lower().startswith(("mailto:", "tel:"))


class _Collector:
    """Builds statements, resolving names to URLs through the body's links, skipping the page's own site."""

    def __init__(self, links: list[tuple[str, str]], page_url: str | None) -> None:
        self.links = links
        self.by_anchor = {" ".join(a.split()).lower(): h for a, h in links if a and h}
        self.own = site_of(page_url) if page_url else ""
        self.out: list[AttributionStatement] = []
        self.seen: set[tuple[str, str, str]] = set()

    def _url_for(self, outlet: str, line: str) -> str | None:
        key = " ".join(outlet.split()).lower()
        if key in self.by_anchor:
            return self.by_anchor[key]
        m = _URL.search(outlet) or _URL.search(line)
        if m:
            u = m.group(0).rstrip(".,;:")
            return u if u.lower().startswith("http") else "http://" + u
        if _BARE_DOMAIN.match(outlet):
            return "http://" + outlet.lower()
        return None

    def own_site(self, outlet: str | None, domain: str | None) -> bool:
        if not self.own:
            return False
        if domain:
            return domain == self.own
        return bool(outlet) and name_matches_site(outlet, self.own)

    def add(self, kind: str, line: str, outlet: str | None, url: str | None = None) -> None:
        outlet = _clean_outlet(outlet) if outlet else None
        if outlet is not None and not outlet:
            outlet = None
        if url is None and outlet:
            url = self._url_for(outlet, line)
        domain = site_of(url) if url else None
        if domain in ("", "local"):
            domain = None
        if domain and outlet and outlet.lower().startswith(("http://", "https://")):
            outlet = domain  # "Originally published at https://x.com/a" names the outlet x.com
        if self.own_site(outlet, domain):
            return
        key = (kind, (outlet or "").lower(), url or "")
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.append(AttributionStatement(kind=kind, text=line.strip(), outlet=outlet, url=url, domain=domain))


def _lines(paragraphs: Iterable[str]) -> Iterable[str]:
    for p in paragraphs:
        for line in p.split("\n"):
            line = " ".join(line.split())
            if line:
                yield line


def _match_line(line: str, col: _Collector) -> None:
    """Try every credit phrasing on one line (a paragraph or a line of one)."""
    if _MEDIA_CREDIT.match(line):
        return  # photo, image and video credits say where a picture came from, not the article
    # datelines open long paragraphs, so they are tried before the length limit
    m = _DATELINE_PAREN.match(line) or _DATELINE_SLASH.match(line)
    if m and _looks_like_outlet(m.group("o")) and len(m.group("o").split()) <= 4:
        col.add("dateline", line[: m.end()].strip(), m.group("o"))
    if len(line) > _MAX_LINE:
        return
    m = _DATELINE_TAIL.search(line)
    if m:
        col.add("dateline", line, m.group("o"))
    if m := _ORIGINAL_SOURCE.match(line):
        col.add("original-source", line, m.group("o") or m.group("o2") or m.group("o3"))
        return
    if m := (_ORIGINALLY.match(line) or _FIRST_APPEARED.match(line)):
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name):
            col.add("originally-published", line, name)
        return
    if m := _REPUBLISHED.match(line):
        name = m.group("o") or m.group("o2")
        if name is None or _looks_like_outlet(_clean_outlet(name)):
            col.add("republished", line, name)
        return
    if m := _COPYRIGHT.match(line):
        _copyright(line, m.group("rest"), col)
        return
    if m := _SOURCE.match(line):
        name = _clean_outlet(m.group("o"))
        if len(line) <= 200 and _looks_like_outlet(name):
            col.add("source", line, name)
        return
    if m := _VIA.search(line):
        name = _clean_outlet(m.group("o") or m.group("o2"))
        if len(line) <= 160 and _looks_like_outlet(name) and len(name.split()) <= 8:
            col.add("via", line, name)
        return
    if m := _ARTICLE_BY_FROM.match(line):
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name):
            col.add("byline", line, name)
        return
    if (m := _BYLINE.match(line)) and len(line) <= 200:
        name = _clean_outlet(m.group("o"))
        if _looks_like_outlet(name) and _is_outletish(name, col.by_anchor):
            col.add("byline", line, name)


def _copyright(line: str, rest: str, col: _Collector) -> None:
    """"Copyright © Author, Outlet, 2021" / "(c) 2021 Outlet. All rights reserved." -> the outlet named last."""
    rest = re.sub(r"\ball\s+rights\s+reserved\b.*$", "", rest, flags=re.I)
    rest = re.sub(r"^(?:©|\(c\)|&copy;|\s)+", "", rest, flags=re.I)
    parts = [p.strip(" .") for p in re.split(r",|\s[-–—|]\s", rest)]
    parts = [re.sub(r"^(?:\d{4}(?:\s*[-–]\s*\d{4})?)\s*", "", p).strip() for p in parts]
    parts = [p for p in parts if p and not re.fullmatch(r"\d{4}(?:\s*[-–]\s*\d{4})?", p)]
    if not parts:
        return
    for name in reversed(parts):
        name = _clean_outlet(name)
        if _looks_like_outlet(name):
            col.add("copyright", line, name)
            return


def detect_statements(
    paragraphs: list[str],
    links: list[tuple[str, str]] | None = None,
    page_url: str | None = None,
) -> list[AttributionStatement]:
    """Find what a page says about its own origin, in reading order.

    `paragraphs` are the article body's paragraphs (credit lines are part of the body); `links` are
    (anchor text, href) pairs found in the body: a link to another registered domain is a credit-link
    (share buttons and social profiles are not). "[anchor](url)" markdown in a paragraph counts as a link.
    Statements naming the page's own site (from `page_url`) are dropped.
    """
    md_links: list[tuple[str, str]] = []
    lines = [_strip_markdown_links(line, md_links) for line in _lines(paragraphs)]
    all_links = list(links or []) + md_links
    col = _Collector(all_links, page_url)
    for line in lines:
        try:
            _match_line(line, col)
        except re.error:  # a pathological line never stops extraction
            continue
    _credit_links(all_links, lines, col)
    return col.out


def _credit_links(links: list[tuple[str, str]], lines: list[str], col: _Collector) -> None:
    """A link out of the body to another registered domain names that domain as a source."""
    seen: set[str] = set()
    for anchor, href in links:
        href = (href or "").strip()
        if not href.lower().startswith(("http://", "https://", "//")):
            continue
        if href.startswith("//"):
            href = "https:" + href
        domain = site_of(href)
        if not domain or domain == "local" or domain == col.own or _social(domain, href) or href in seen:
            continue
        seen.add(href)
        anchor = " ".join((anchor or "").split())
        text = next((ln for ln in lines if anchor and anchor in ln), anchor or href)
        if len(text) > _MAX_LINE:
            text = anchor or href
        col.add("credit-link", text, anchor or domain, url=href)
