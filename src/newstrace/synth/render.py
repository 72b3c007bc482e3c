"""HTML pages: a modern news page per article, in the site's own template.

Site chrome (cookie banner, navigation, share buttons, newsletter box, footer) is rendered once per site
and reused; only the article parts are built per page. All generated text goes through `html.escape`.
The article body is the `<div itemprop="articleBody">`: each `<p>` in it is one paragraph of the truth
text, boilerplate included.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

from .locales import LOCALES
from .sites import Site, visible_date
from .stories import Art
from .text import Para, joiner

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


class Renderer:
    """Renders pages; caches each site's chrome the first time the site is seen."""

    def __init__(self) -> None:
        self._chrome: dict[str, tuple[str, str]] = {}

    def chrome(self, site: Site) -> tuple[str, str]:
        """(page top after <body>, page bottom from the newsletter box to </html>) for a site."""
        got = self._chrome.get(site.domain)
        if got is not None:
            return got
        ui = LOCALES[site.language]["ui"]
        nav = LOCALES[site.language]["nav"]
        home = f"https://{site.domain}/"
        top = []
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
        got = ("\n".join(top), "\n".join(bottom))
        self._chrome[site.domain] = got
        return got

    def page(self, art: Art, paras: list[Para], canonical: str | None, related: list[tuple[str, str]]) -> str:
        site = art.site
        lang = art.lang
        art_cls, body_cls, h1_cls, sep = _TEMPLATES[site.template]
        ui = LOCALES[lang]["ui"]
        title = art.title
        t = art.page_time
        iso = t.astimezone(site.tz).isoformat() if t is not None and site.date_mode != "url" else None
        first = paras[0].segs[0].text if paras and paras[0].segs else ""
        head = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{_t(title)}{_t(sep)}{_t(site.name)}</title>",
                f'<meta name="description" content="{_a(first[:160])}">']
        if canonical:
            head.append(f'<link rel="canonical" href="{_a(canonical)}">')
        head += ['<meta property="og:type" content="article">', f'<meta property="og:title" content="{_a(title)}">',
                 f'<meta property="og:url" content="{_a(art.url)}">',
                 f'<meta property="og:site_name" content="{_a(site.name)}">',
                 f'<meta property="og:locale" content="{_OG_LOCALE[lang]}">']
        if iso and site.date_mode == "meta":
            head.append(f'<meta property="article:published_time" content="{iso}">')
        for a in art.authors:
            head.append(f'<meta name="author" content="{_a(a)}">')
        ld: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                                 "url": art.url, "inLanguage": lang}
        if iso and site.date_mode in ("meta", "jsonld"):
            ld["datePublished"] = iso
        if art.authors:
            ld["author"] = [{"@type": "Person", "name": a} for a in art.authors]
        ld["publisher"] = {"@type": "Organization", "name": site.name}
        head.append('<script type="application/ld+json">'
                    + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/") + "</script>")
        head.append(f'<link rel="stylesheet" href="/static/site-{site.template}.css">')
        head.append("</head>")
        top, bottom = self.chrome(site)
        meta = []
        if art.authors:
            links = ", ".join(f'<a rel="author" href="/author/{quote(a.lower().replace(" ", "-"))}/">{_t(a)}</a>'
                              for a in art.authors)
            meta.append(f'<span class="byline">{_t(ui["by"])} {links}</span>')
        if t is not None and site.date_mode != "url":
            shown = _t(visible_date(site, t))
            meta.append(f'<time datetime="{iso}">{shown}</time>' if site.date_mode in ("meta", "time")
                        else f'<span class="date">{shown}</span>')
        enc = quote(art.url, safe="")
        share = (f'<div class="share-buttons"><span>{_t(ui["share"])}</span>'
                 f'<a class="share-x" href="https://x.example/intent/post?url={enc}">X</a>'
                 f'<a class="share-fb" href="https://facebook.example/sharer?u={enc}">Facebook</a>'
                 f'<a class="share-tg" href="https://t.example/share?url={enc}">Telegram</a></div>')
        body = "\n".join(_para(p, lang, site.template) for p in paras)
        rel = ""
        if related:
            rel = (f'<aside class="related-articles"><h2>{_t(ui["related"])}</h2><ul>'
                   + "".join(f'<li><a href="{_a(u)}">{_t(ti)}</a></li>' for u, ti in related) + "</ul></aside>")
        article = [f'<article class="{art_cls}">', '<header class="article-header">',
                   f'<h1 class="{h1_cls}">{_t(title)}</h1>', f'<div class="article-meta">{" · ".join(meta)}</div>',
                   "</header>", share if site.template != 3 else "",
                   f'<div class="{body_cls}" itemprop="articleBody">', body, "</div>",
                   share if site.template == 3 else "", "</article>", rel]
        return "\n".join(head + [f'<body class="site-t{site.template} kind-{site.kind}">', top]
                         + [x for x in article if x] + [bottom]) + "\n"


def _seg_html(seg_text: str, link: tuple[int, int, str] | None) -> str:
    if link is None:
        return _t(seg_text)
    a, b, href = link
    return f'{_t(seg_text[:a])}<a href="{_a(href)}">{_t(seg_text[a:b])}</a>{_t(seg_text[b:])}'


def _para(p: Para, lang: str, template: int) -> str:
    j = joiner(lang)
    if any(s.link is not None for s in p.segs):
        inner = j.join(_seg_html(s.text, s.link) for s in p.segs)
    else:
        inner = _t(j.join(s.text for s in p.segs))
    if p.role == "boiler":
        return f'<p class="site-note"><em>{inner}</em></p>' if template % 2 else f'<p class="site-note">{inner}</p>'
    if p.role == "credit":
        return f'<p class="source-credit">{inner}</p>'
    return f"<p>{inner}</p>"
