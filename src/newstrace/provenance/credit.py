"""Did a copy credit where its text came from?

The definition (the same words as the synthetic corpus's `credit_class`):

- **credited** — the copy names the *origin* of the text it took (the root of its chain of copies: the
  article that copied nothing), by outlet name, domain or link, in any credit line (original source,
  originally published, source, via, republished, copyright, dateline, credit link);
- **intermediary** — it names one of its other ancestors (typically its immediate source, e.g. the blog it
  reposted) but not the origin the intermediary copied: the pattern of an aggregator whose footer says
  "The original source of this article is <Blog>" when the blog relayed an agency report;
- **uncredited** — it names none of its ancestors (nor, in a credit line, an outlet outside its story: below);
- **origin** — the article copies nothing in its story and credits no other outlet.

A root, or an article in no story, whose credit lines name another outlet (original source, via, source,
republished, dateline, credit link — not bylines or copyright lines) says itself that it is a copy: its
source is outside the corpus or shares too little text to be paired. It is **credited**, with its source
named but not held (`standalone_credit`) — or **intermediary** when every outlet it names is a site the corpus
knows as a copier (copies more than twice as often as it is copied: a blog, an aggregator). On the synthetic
corpora no origin carries such a line and every copy that does names one of its ancestors.

A copy naming none of its ancestors but, in a credit line (not a link in its body), an outlet outside its story
says by its own account where its text came from, a source the story does not hold (typically the report that the
translation it copied was made from): it is judged as such a root is, **credited**, or **intermediary** when every
outlet it names is a known copier (`copy_credit`).

When the immediate source is itself the origin, a copy is credited or uncredited, never intermediary.
Credit lines naming the copy's own site do not count (a site's own copyright line is not a credit).

A story's root that itself credits an outlet outside the story (a translation naming the report it translated,
a page whose own source reuse did not pair with it) is not where the text started: the outlet it names is the
origin for its copies, so a copy naming that outlet is credited and one naming only the root is intermediary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..models import Article, AttributionStatement
from ..sites import outlet_key
from .evidence import ROLE_MIN_OBSERVATIONS, SiteRoles, credits_naming, names_article, outlet_names_site

__all__ = ["CREDITED", "INTERMEDIARY", "UNCREDITED", "ORIGIN", "CREDIT_CLASSES", "CREDIT_LINES", "carried_lines",
           "copy_credit", "credit_class", "credit_strength", "named_ancestors", "named_site", "outside_credits",
           "standalone_credit", "story_credits"]

CREDITED, INTERMEDIARY, UNCREDITED, ORIGIN = "credited", "intermediary", "uncredited", "origin"
# the statements that say where a page's text came from (not a link in its body, a byline or a copyright line)
CREDIT_LINES = ("original-source", "originally-published", "source", "via", "republished", "dateline")
CREDIT_CLASSES = (ORIGIN, CREDITED, INTERMEDIARY, UNCREDITED)


def named_ancestors(copy: Article, ancestors: list[Article]) -> dict[int, list[AttributionStatement]]:
    """For each ancestor the copy names (by id), the statements naming it."""
    out: dict[int, list[AttributionStatement]] = {}
    for anc in ancestors:
        hits = [stmt for stmt, _how in credits_naming(copy, anc)]
        if hits and anc.id is not None:
            out[anc.id] = hits
    return out


def roots_outside_credits(roots: list[int], members: list[Article]) -> dict[int, list[AttributionStatement]]:
    """Each root's (by id) credits naming outlets outside its story (`outside_credits`), where it has some."""
    by_id = {a.id: a for a in members}
    return {r: found for r in roots if (found := outside_credits(by_id[r], members))}


def outside_credits(root: Article, members: list[Article]) -> list[AttributionStatement]:
    """The root's credit lines naming no member of its story, its own site included. Bylines, copyright lines and
    links in the body do not count: a "© Photo Agency" under a picture, or "as the Guardian reported", says
    nothing about where the text came from."""
    return [st for st in root.attributions if st.kind in CREDIT_LINES
            and not names_article(st, root) and not any(names_article(st, m) for m in members)]


def standalone_credit(article: Article, members: list[Article] | None = None, roles: SiteRoles | None = None,
                      site_names: Mapping[str, str | None] | None = None) -> tuple[str, list[AttributionStatement]]:
    """Class of an article with no source in its story (a root, or an article in no story), and the credit lines
    naming outlets outside the story: `origin` when there are none; `intermediary` when every one names a site
    the corpus knows as a copier (`roles`: site -> (times source, times copy); a blog that republishes others is
    not where text starts); else `credited`."""
    found = outside_credits(article, members or [])
    if not found:
        return ORIGIN, []
    if roles and all(_names_only_copiers(st, roles, site_names or {}) for st in found):
        return INTERMEDIARY, found
    return CREDITED, found


def named_site(st: AttributionStatement, site_names: Mapping[str, str | None]) -> str | None:
    """The stored site (of `site_names`: domain -> name) a credit line names by domain or outlet name, if one."""
    if st.domain and st.domain.lower() in site_names:
        return st.domain.lower()
    if not st.outlet:
        return None
    exact = [d for d, name in site_names.items() if name and outlet_key(name) == outlet_key(st.outlet)]
    hits = exact or [d for d, name in site_names.items() if outlet_names_site(st.outlet, d, name)]
    return hits[0] if len(hits) == 1 else None


def _names_only_copiers(st: AttributionStatement, roles: SiteRoles, names: Mapping[str, str | None]) -> bool:
    sites = [d for d in roles if (st.domain and st.domain.lower() == d)
             or (st.outlet and outlet_names_site(st.outlet, d, names.get(d)))]
    return bool(sites) and all(roles[d][1] >= ROLE_MIN_OBSERVATIONS and roles[d][1] > 2 * roles[d][0] for d in sites)


def _same_outlet(a: AttributionStatement, b: AttributionStatement) -> bool:
    """Whether two credit lines name the same outlet (same link, domain or name, or a name matching a domain)."""
    if a.url and b.url and a.url.rstrip("/").lower() == b.url.rstrip("/").lower():
        return True
    if a.domain and b.domain and a.domain.lower() == b.domain.lower():
        return True
    if a.outlet and b.outlet and " ".join(a.outlet.casefold().split()) == " ".join(b.outlet.casefold().split()):
        return True
    return bool((a.outlet and b.domain and outlet_names_site(a.outlet, b.domain, b.outlet))
                or (b.outlet and a.domain and outlet_names_site(b.outlet, a.domain, a.outlet)))


def credit_class(copy: Article, ancestors: list[Article], outside: list[AttributionStatement] | None = None) -> str:
    """Credit class of `copy` given its chain of ancestors, nearest first and the origin last.

    An empty chain means the article is an origin. `outside`: the chain root's credits naming outlets outside
    the story (`outside_credits`); with some, the outlet they name is the origin and the root an intermediary.
    """
    if not ancestors:
        return ORIGIN
    if outside and ancestors[-1].site != copy.site:
        own = [st for st in copy.attributions if st.kind != "byline" and not names_article(st, copy)]
        if any(_same_outlet(st, o) for st in own for o in outside):
            return CREDITED
        return INTERMEDIARY if named_ancestors(copy, ancestors) else UNCREDITED
    origin = ancestors[-1]
    if origin.site == copy.site:
        # a site copying its own earlier article: the text stayed home; judge against the first foreign ancestor
        foreign = [a for a in ancestors if a.site != copy.site]
        if not foreign:
            return CREDITED
        ancestors = foreign
        origin = foreign[-1]
    named = named_ancestors(copy, ancestors)
    if origin.id in named:
        return CREDITED
    if named:
        return INTERMEDIARY
    return UNCREDITED


def copy_credit(copy: Article, ancestors: list[Article], outside: list[AttributionStatement] | None,
                members: list[Article], roles: SiteRoles | None = None,
                site_names: Mapping[str, str | None] | None = None) -> str:
    """`credit_class`, except that a copy naming none of its ancestors but an outlet outside its story credits, by
    its own account, a source the story does not hold (the report that the translation it copied was made from,
    a page outside the corpus): it is judged as a root naming one is (`standalone_credit`), not as uncredited."""
    cls = credit_class(copy, ancestors, outside)
    if cls != UNCREDITED:
        return cls
    found_cls, found = standalone_credit(copy, members, roles, site_names)
    return found_cls if found else UNCREDITED


def story_credits(order: list[int], ancestors: Callable[[int], list[int]], articles: Mapping[int, Article],
                  outside: Mapping[int, list[AttributionStatement]], roles: SiteRoles | None = None) -> dict[int, str]:
    """The credit class of each member of a story's tree (`ancestors(m)`: its chain of sources, nearest first);
    `outside`: the roots' credits naming outlets outside the story (`outside_credits`)."""
    arts = [articles[m] for m in order]
    names = {a.site: a.site_name for a in arts if a.site_name}
    out: dict[int, str] = {}
    for c in order:
        anc = ancestors(c)
        if not anc:  # a root naming an outlet outside the story is itself a copy of it
            out[c] = standalone_credit(articles[c], arts, roles, names)[0] if c in outside else ORIGIN
        else:
            out[c] = copy_credit(articles[c], [articles[a] for a in anc], outside.get(anc[-1]), arts, roles, names)
    return out


def carried_lines(copy: Article, cands: list[int], articles: dict[int, Article]) -> dict[int, set[str]]:
    """For each candidate, the copy's credit lines it must not count: lines that another candidate the copy
    also credits carries word for word. An aggregator reposting a proxy keeps the proxy's "The original source
    of this article is Wire One" and adds its own "via Proxy": the first line is the proxy's, carried along, so
    it says the aggregator came through the proxy, not straight from the agency."""
    named = [q for q in cands if credits_naming(copy, articles[q])]
    if len(named) < 2:
        return {}
    lines = {q: {" ".join(st.text.split()).lower() for st in articles[q].attributions if st.text} for q in named}
    return {p: set().union(*(lines[q] for q in named if q != p)) for p in named}


def credit_strength(copy: Article, cand: Article, carried: set[str] | None = None) -> float:
    """1 for a credit line naming the candidate's outlet, 1.5 for a link to the very article, 0.2 for a dateline
    only (datelines travel down a chain of copies); lines in `carried` (see `carried_lines`) do not count."""
    hits = credits_naming(copy, cand)
    if carried:
        hits = [(st, how) for st, how in hits if " ".join((st.text or "").split()).lower() not in carried]
    if not hits:
        return 0.0
    if any(how == "url" for _stmt, how in hits):
        return 1.5
    kinds = {stmt.kind for stmt, _how in hits}
    if kinds <= {"dateline", "byline"}:
        return 0.2
    return 0.5 if kinds <= {"dateline", "byline", "copyright"} else 1.0
