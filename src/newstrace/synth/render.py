"""HTML pages: a modern news page per article, in the site's own template.

Site chrome (cookie banner, navigation, share buttons, newsletter box, footer) is rendered once per site
and reused; only the article parts are built per page. All generated text goes through `html.escape`.
The article body is the `<div itemprop="articleBody">`: each `<p>` in it is one paragraph of the truth
text, boilerplate included.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from .jsonout import dumps
from .locales import LOCALES
from .sites import Site, visible_date
from .stories import Art
from .text import Body, joiner

_OG_LOCALE = {"en": "en_US", "ru": "ru_RU", "zh": "zh_CN"}
# Per template: (article class, body class, headline class, title separator)
_TEMPLATES = [
    ("article post", "article-body entry-content", "headline", " | "),
    ("story", "story-body__inner", "story-title", " - "),
    ("news-article", "content__article-body", "content__headline", " — "),
    ("single-post", "post-content td-post-content", "entry-title", " :: "),
]


def _a(text: str) -> str:
    return escape(text, quote=True)


def _t(text: str) -> str:
    return escape(text, quote=False)


@dataclass(frozen=True, slots=True)
class _Chrome:
    """A site's pre-rendered, article-independent page parts."""

    title_tail: str
    og_tail: str
    head_end: str
    top: str
    bottom: str
    article_open: str
    h1_cls: str
    body_open: str
    share: str
    by: str
    related: str
    boiler: dict[str, str]


def _slug(name: str) -> str:
    return quote(name.lower().replace(" ", "-"))


class Renderer:
    """Renders pages; caches each site's chrome the first time the site is seen."""

    def __init__(self) -> None:
        self._chrome: dict[str, _Chrome] = {}

    def chrome(self, site: Site) -> _Chrome:
        """Everything on a site's pages that does not depend on the article, rendered once."""
        got = self._chrome.get(site.domain)
        if got is not None:
            return got
        ui = LOCALES[site.language]["ui"]
        nav = LOCALES[site.language]["nav"]
        art_cls, body_cls, h1_cls, sep = _TEMPLATES[site.template]
        home = f"https://{site.domain}/"
        top: list[str] = []
        if site.template in (0, 2):
            top.append(f'<div class="cookie-banner" role="dialog"><p>{_t(ui["cookie"])}</p>'
                       f'<button type="button">{_t(ui["accept"])}</button></div>')
        items = "".join(f'<li><a href="/section/{i}/">{_t(n)}</a></li>' for i, n in enumerate(nav))
        top.append(f'<header class="site-header"><div class="logo"><a href="{_a(home)}">{_t(site.name)}</a></div>'
                   f'<nav class="main-nav" aria-label="Main"><ul>{items}</ul></nav></header>')
        top.append('<main id="content">')
        bottom = [f'<div class="newsletter-box"><h3>{_t(ui["newsletter"])}</h3><form action="/subscribe" '
                  f'method="post"><input type="email" name="email" placeholder="Email">'
                  f'<button type="submit">{_t(ui["subscribe"])}</button></form></div>', "</main>",
                  f'<footer class="site-footer"><p>© {_t(site.name)}</p><ul><li><a href="/about/">About</a></li>'
                  f'<li><a href="/contact/">Contact</a></li><li><a href="/privacy/">Privacy</a></li></ul></footer>',
                  "</body>", "</html>"]
        share = (f'<div class="share-buttons"><span>{_t(ui["share"])}</span>'
                 '<a class="share-x" href="https://x.example/intent/post?url={0}">X</a>'
                 '<a class="share-fb" href="https://facebook.example/sharer?u={0}">Facebook</a>'
                 '<a class="share-tg" href="https://t.example/share?url={0}">Telegram</a></div>\n')
        boiler = {}
        for p in site.boiler_top + site.boiler_bottom:
            inner = _t(p.segs[0].text)
            boiler[p.segs[0].text] = (f'<p class="site-note"><em>{inner}</em></p>' if site.template % 2
                                      else f'<p class="site-note">{inner}</p>')
        got = _Chrome(
            title_tail=_t(sep) + _t(site.name),
            og_tail=f'<meta property="og:site_name" content="{_a(site.name)}">\n'
                    f'<meta property="og:locale" content="{_OG_LOCALE[site.language]}">',
            head_end=f'<link rel="stylesheet" href="/static/site-{site.template}.css">\n</head>\n'
                     f'<body class="site-t{site.template} kind-{site.kind}">',
            top="\n".join(top), bottom="\n".join(bottom),
            article_open=f'<article class="{art_cls}">\n<header class="article-header">', h1_cls=h1_cls,
            body_open=f'<div class="{body_cls}" itemprop="articleBody">', share=share, by=_t(ui["by"]),
            related=_t(ui["related"]), boiler=boiler)
        self._chrome[site.domain] = got
        return got

    def page(self, art: Art, laid: Body, canonical: str | None, related: list[tuple[str, str]]) -> str:
        """The page of one article; `laid` is its whole body (boilerplate included), laid out.

        `related` holds (url, ready `<li>` HTML) for the site's most recent articles.
        """
        paras = laid.paras
        site = art.site
        lang = art.lang
        c = self.chrome(site)
        title = _t(art.title)
        url = _a(art.url)
        t = art.page_time
        mode = site.date_mode
        iso = t.astimezone(site.tz).isoformat() if t is not None and mode != "url" else None
        first = paras[0].segs[0].text if paras and paras[0].segs else ""
        head = [f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{title}{c.title_tail}</title>\n"
                f'<meta name="description" content="{_a(first[:160])}">']
        if canonical:
            head.append(f'<link rel="canonical" href="{_a(canonical)}">')
        head.append(f'<meta property="og:type" content="article">\n<meta property="og:title" content="{title}">\n'
                    f'<meta property="og:url" content="{url}">\n{c.og_tail}')
        if iso and mode == "meta":
            head.append(f'<meta property="article:published_time" content="{iso}">')
        for a in art.authors:
            head.append(f'<meta name="author" content="{_a(a)}">')
        ld: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
                                 "url": art.url, "inLanguage": lang}
        if iso and mode in ("meta", "jsonld"):
            ld["datePublished"] = iso
        if art.authors:
            ld["author"] = [{"@type": "Person", "name": a} for a in art.authors]
        ld["publisher"] = {"@type": "Organization", "name": site.name}
        head.append('<script type="application/ld+json">' + dumps(ld).replace("</", "<\\/") + "</script>")
        head.append(c.head_end)
        meta = []
        if art.authors:
            links = ", ".join(f'<a rel="author" href="/author/{_slug(a)}/">{_t(a)}</a>' for a in art.authors)
            meta.append(f'<span class="byline">{c.by} {links}</span>')
        if t is not None and mode != "url":
            shown = _t(visible_date(site, t))
            meta.append(f'<time datetime="{iso}">{shown}</time>' if mode in ("meta", "time")
                        else f'<span class="date">{shown}</span>')
        enc = art.url.replace(":", "%3A").replace("/", "%2F")  # our URLs are ASCII: scheme, host, slug
        share = c.share.format(_a(enc))
        j = joiner(lang)
        body = []
        for p, text in zip(paras, laid.para_texts, strict=True):
            if p.role == "boiler":
                body.append(c.boiler[p.segs[0].text])
                continue
            if any(s.link is not None for s in p.segs):
                inner = j.join(_seg_html(s.text, s.link) for s in p.segs)
            else:
                inner = _t(text)
            if p.role == "credit":
                body.append(f'<p class="source-credit">{inner}</p>')
            elif p.role == "subhead":
                body.append(f'<p class="standfirst"><strong>{inner}</strong></p>')
            else:
                body.append(f"<p>{inner}</p>")
        rel = ""
        if related:
            rel = (f'\n<aside class="related-articles"><h2>{c.related}</h2><ul>'
                   + "".join(li for _u, li in related) + "</ul></aside>")
        return "\n".join(head) + (
            f"\n{c.top}\n{c.article_open}\n<h1 class=\"{c.h1_cls}\">{title}</h1>\n"
            f'<div class="article-meta">{" · ".join(meta)}</div>\n</header>\n'
            f"{share if site.template != 3 else ''}{c.body_open}\n" + "\n".join(body)
            + f"\n</div>\n{share if site.template == 3 else ''}</article>{rel}\n{c.bottom}\n")


def _seg_html(seg_text: str, link: tuple[int, int, str] | None) -> str:
    if link is None:
        return _t(seg_text)
    a, b, href = link
    return f'{_t(seg_text[:a])}<a href="{_a(href)}">{_t(seg_text[a:b])}</a>{_t(seg_text[b:])}'
