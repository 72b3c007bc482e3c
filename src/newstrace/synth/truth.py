"""The ground truth of one article: text, boilerplate, passages shared with its parent, credit, quotes.

Credit classes are judged against the ORIGIN of the story (the article that copies nothing), using the
credits the page actually shows (explicit credit lines, datelines and links, including ones inherited
from the parent's text), never counting the page's own site:

* ``origin``: the article copies nothing.
* ``credited``: the page names the origin's outlet or links to the origin article. A copy whose
  parent is the origin is credited exactly when it credits its parent.
* ``intermediary``: the page does not name the origin but names (or links to) a site between the origin
  and itself: its parent or another ancestor. The seed page is this case: an aggregator credits the
  blog it copied, not the agency the blog copied.
* ``uncredited``: the page names none of the sites the text passed through.

A translation (``translated_from``) is judged the same way along its source's chain; it has no
passages (its text was regenerated in another language), so its ``parents`` list is empty.
"""

from __future__ import annotations

from typing import Any

from .stories import Art
from .text import Body


def passages(child: Body, parent: Body) -> list[dict[str, int]]:
    """Spans the child took from the parent, from segment identities.

    A passage grows over consecutive parent segments; inside one paragraph it bridges one inserted or
    cut sentence (a lightly edited copy of the same stretch), across paragraphs only when both texts
    break paragraphs at the same place. Reordered or cut paragraphs therefore start new passages, and
    added intros, commentary, credit lines and boilerplate are never inside one.
    """
    where: dict[int, tuple[int, int, int, int]] = {}
    for g, (seg, start, end, pi) in enumerate(parent.seg_spans):
        if seg.sid >= 0:
            where[seg.sid] = (g, start, end, pi)
    last_in_para = {pi: g for g, (_, _, _, pi) in enumerate(parent.seg_spans)}
    first_in_para: dict[int, int] = {}
    for g, (_, _, _, pi) in enumerate(parent.seg_spans):
        first_in_para.setdefault(pi, g)
    child_last = {pi: k for k, (_, _, _, pi) in enumerate(child.seg_spans)}
    child_first: dict[int, int] = {}
    for k, (_, _, _, pi) in enumerate(child.seg_spans):
        child_first.setdefault(pi, k)
    out: list[dict[str, int]] = []
    run: list[int] | None = None  # parent_start, parent_end, child_start, child_end, last g, last child para, k
    gap = 0
    for k, (seg, start, end, cpi) in enumerate(child.seg_spans):
        hit = where.get(seg.sid)
        if hit is None:
            if run is not None and cpi == run[5] and gap == 0:
                gap = 1
                continue
            if run is not None:
                out.append(_passage(run))
                run = None
            gap = 0
            continue
        g, pstart, pend, ppi = hit
        if run is not None:
            last_g, last_cpi, last_k = run[4], run[5], run[6]
            same_para = cpi == last_cpi and parent.seg_spans[last_g][3] == ppi
            ok = same_para and 0 < g - last_g <= 2 and not (gap and g - last_g == 2)
            boundary = (cpi == last_cpi + 1 and g == last_g + 1 and gap == 0 and child_last[last_cpi] == last_k
                        and child_first[cpi] == k and last_in_para[parent.seg_spans[last_g][3]] == last_g
                        and first_in_para[ppi] == g)
            if ok or boundary:
                run[1], run[3], run[4], run[5], run[6] = pend, end, g, cpi, k
                gap = 0
                continue
            out.append(_passage(run))
        run = [pstart, pend, start, end, g, cpi, k]
        gap = 0
    if run is not None:
        out.append(_passage(run))
    return out


def _passage(run: list[int]) -> dict[str, int]:
    return {"parent_start": run[0], "parent_end": run[1], "child_start": run[2], "child_end": run[3]}


def credits(art: Art) -> list[dict[str, Any]]:
    """Credits shown on the page, in reading order, leaving out the page's own site."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str | None]] = set()
    for p in art.paras:
        for s in p.segs:
            c = s.credit
            if c is None or c.site == art.site.domain:
                continue
            key = (c.form, c.site, c.url)
            if key not in seen:
                seen.add(key)
                out.append({"form": c.form, "names_url": c.url, "names_site": c.site})
    return out


def credit_class(art: Art, shown: list[dict[str, Any]]) -> str:
    """origin, credited, intermediary or uncredited (see the module docstring)."""
    src = art.source
    if src is None:
        return "origin"
    chain = []
    while src is not None:
        chain.append(src.site.domain)
        src = src.source
    named = {c["names_site"] for c in shown}
    if chain[-1] in named:
        return "credited"
    if named.intersection(chain[:-1]):
        return "intermediary"
    return "uncredited"


def record(art: Art, body: Body, canonical: str | None) -> dict[str, Any]:
    """The truth.jsonl object for one article (the format in notes/contracts.md)."""
    quotes = []
    for seg, start, _end, _pi in body.seg_spans:
        q = seg.quote
        if q is not None:
            quotes.append({"start": start + q.start, "end": start + q.end, "speaker": q.speaker, "role": q.role,
                           "kind": q.kind, "cue": q.cue, "direct": q.direct})
    boiler = [[a, b] for p, (a, b) in zip(body.paras, body.para_spans, strict=True) if p.role == "boiler"]
    parents = []
    if art.parent is not None and art.parent.body is not None:
        parents.append({"url": art.parent.url, "passages": passages(body, art.parent.body)})
    shown = credits(art)
    return {
        "url": art.url, "site": art.site.domain, "site_name": art.site.name, "story": art.story,
        "title": art.title, "language": art.lang, "authors": art.authors,
        "published_true": art.time.replace(microsecond=0).isoformat(),
        "published_page": art.page_time.isoformat() if art.page_time else None,
        "canonical_url": canonical, "text": body.text, "boilerplate": boiler, "parents": parents,
        "credit_class": credit_class(art, shown), "credits": shown, "edits": art.edits,
        "translated_from": art.translated_from.url if art.translated_from else None, "quotes": quotes,
    }
