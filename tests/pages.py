"""Small builders of news pages for tests (invented text, never real articles)."""

from __future__ import annotations

import html
import random
from pathlib import Path

WORDS = (
    "council minister report harbour northern village supply bridge budget election weather "
    "trade farmers river talks court agency project winter summer school hospital ministry "
    "delegation city border market energy water railway festival museum league season coach "
    "player"
).split()


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 3) -> str:
    return " ".join(sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def page(url: str, title: str, paragraphs: list[str], published: str | None = "2024-05-01T10:00:00+00:00",
         author: str | None = "Jane Doe", site_name: str = "Example News", extra_head: str = "") -> str:
    """A plain modern news page whose body paragraphs extraction should recover exactly."""
    e = html.escape
    meta = f'<meta property="article:published_time" content="{e(published)}">' if published else ""
    byline = f'<p class="byline">By {e(author)}</p>' if author else ""
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)} | {e(site_name)}</title>
<link rel="canonical" href="{e(url)}"><meta property="og:url" content="{e(url)}">
<meta property="og:title" content="{e(title)}"><meta property="og:site_name" content="{e(site_name)}">
{meta}{extra_head}</head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>{e(title)}</h1>{byline}
{body}
</article></main>
<footer><p>© {e(site_name)}. All rights reserved.</p></footer></body></html>"""


def write_corpus(folder: Path, n: int, seed: int = 1, site: str = "news.example") -> dict[str, tuple[str, list[str]]]:
    """Write n distinct pages under folder; return url -> (title, paragraphs)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, tuple[str, list[str]]] = {}
    for i in range(n):
        url = f"https://{site}/2024/05/{i:05d}-story"
        title = f"Story {i}: " + sentence(rng, 6).rstrip(".")
        paras = [paragraph(rng) for _ in range(rng.randint(3, 6))]
        (folder / f"{i:05d}.html").write_text(page(url, title, paras), encoding="utf-8")
        truth[url] = (title, paras)
    return truth
