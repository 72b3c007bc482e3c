"""Which of two articles sharing text came first: every piece of evidence, weighed, with conflicts said out loud.

Evidence, strongest first:
- **link**: the page links to the other article's URL (or its canonical URL);
- **credit**: a credit line ("The original source of this article is X", "Source: X", "via X", a copyright
  line, an agency dateline "(X) -") names the other article's outlet or domain;
- **canonical**: the page's canonical link points at the other article;
- **date**: the earlier publication time, trusted by where it came from (page metadata > URL > text) and by how
  far apart the two times are; a fetch time only bounds publication from above (an undated page fetched before
  the other was published came first);
- **site-role**: sites have habits (an agency is usually the source, an aggregator the copy), counted from the
  corpus's confident decisions (`count_roles`) and used as weak evidence where nothing else decides;
- **containment**: the copy usually holds the source's passages plus its own additions, so the article whose
  text is more fully covered by the shared passages is more likely the source (weak: copies also cut).

A copy dated before its source by clock skew but crediting it comes out in the credit's direction, with
`conflict` saying what disagreed and a lower confidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from ..bylines import Bylines, byline_key, byline_keys, count_names
from ..models import Article, ArticlePair, AttributionStatement, Evidence
from ..sites import name_matches_site, outlet_key, page_key

__all__ = [
    "Bylines",
    "byline_evidence",
    "byline_key",
    "count_bylines",
    "DATE_TRUST",
    "Direction",
    "article_time",
    "published_time",
    "credits_naming",
    "direction_evidence",
    "decide",
    "infer_direction",
    "names_article",
    "outlet_names_site",
    "SiteRoles",
    "count_roles",
    "pair_decisions",
    "site_role_evidence",
    "DateReliability",
    "learn_date_reliability",
]

# How far a published time can be trusted, by where it came from.
DATE_TRUST: dict[str, float] = {"metadata": 0.9, "record": 0.85, "url": 0.7, "text": 0.3, "fetch": 0.15}

# Weight of a credit line naming the other article's outlet, by statement kind.
CREDIT_WEIGHT: dict[str, float] = {
    "original-source": 2.0,
    "originally-published": 2.0,
    "republished": 2.0,
    "source": 1.8,
    "via": 1.8,
    "credit-link": 1.6,
    "dateline": 1.2,
    "copyright": 1.2,
    "byline": 0.6,
}
LINK_WEIGHT = 2.5  # a link to the very article
CANONICAL_WEIGHT = 1.0
CONTAINMENT_WEIGHT = 0.15  # weak: copies add intros and commentary, but they cut just as often
MIN_GAP_SECONDS = 300  # closer than this, the dates say nothing
OVERLAP_WEIGHT = 0.25  # a day-only date against a time on that day: a lean, not a decision
FULL_GAP_HOURS = 6.0  # from this gap on, a date counts fully
PRIOR = 0.1  # smoothing: no evidence at all gives confidence 0.5


@dataclass(slots=True)
class Direction:
    """The decision for one pair: `source_id` came first and `copy_id` took from it."""

    source_id: int
    copy_id: int
    confidence: float  # 0.5 (a coin toss) .. 1
    evidence: list[Evidence] = field(default_factory=list)
    conflict: str | None = None

    def prob_first(self, article_id: int) -> float:
        """Probability that `article_id` is the earlier one (the source)."""
        return self.confidence if article_id == self.source_id else 1.0 - self.confidence


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def article_time(article: Article) -> tuple[datetime | None, float, str]:
    """The article's publication time, how far to trust it, and where it came from."""
    if article.published is not None:
        src = article.published_source or "text"
        return _utc(article.published), DATE_TRUST.get(src, 0.5), src
    if article.fetched_at is not None:
        return _utc(article.fetched_at), DATE_TRUST["fetch"], "fetch"
    return None, 0.0, "none"


def published_time(article: Article) -> datetime | None:
    """When the page says it was published (UTC), or None: what delays and a story's span are reported from.
    A fetch time orders an undated page among the others, but it is the day of the crawl, not of the story."""
    return _utc(article.published) if article.published is not None else None


def names_article(stmt: AttributionStatement, other: Article) -> str | None:
    """How a statement names `other`: "url" (its very URL), "site" (its domain or outlet name) or None."""
    targets = {page_key(other.url), page_key(other.canonical_url)} - {""}
    if stmt.url and page_key(stmt.url) in targets:
        return "url"
    if stmt.domain and other.site and stmt.domain.lower() == other.site.lower():
        return "site"
    if stmt.outlet and outlet_names_site(stmt.outlet, other.site, other.site_name):
        return "site"
    return None


@lru_cache(maxsize=65536)
def outlet_names_site(outlet: str, site: str, site_name: str | None) -> bool:
    """`name_matches_site`, cached (a story asks the same question for every pair of its articles), except that
    two names of two words or more match only when they are the same name (the domain may still say they do):
    `name_matches_site` lets a name match a longer one that starts with it ("Global Research" ~ the site named
    "Global Research Centre"), which between two outlets' own names is more often two outlets than one (without
    this guard, unseen seed 9 loses 0.4 parent points)."""
    if not name_matches_site(outlet, site, site_name):
        return False
    if not site_name or name_matches_site(outlet, site, None):
        return True
    if len(outlet.split()) >= 2 and len(site_name.split()) >= 2:
        return outlet_key(outlet) == outlet_key(site_name)
    return True


def credits_naming(copy: Article, source: Article) -> list[tuple[AttributionStatement, str]]:
    """The copy's attribution statements that name the source (by URL, domain or outlet name).

    Statements about the copy's own site never count: a page's own copyright line is not a credit.
    """
    if copy.site and source.site and copy.site == source.site:
        return []
    out = []
    for stmt in copy.attributions:
        how = names_article(stmt, source)
        if how:
            out.append((stmt, how))
    return out


def _credit_evidence(copy: Article, source: Article) -> list[Evidence]:
    """The strongest credit and the strongest link in `copy` naming `source` (at most one of each)."""
    best_credit: tuple[float, str, str] | None = None
    best_link: tuple[float, str] | None = None
    for stmt, how in credits_naming(copy, source):
        if how == "url":
            cand = (LINK_WEIGHT, f"article {copy.id} links to {source.url}: {stmt.text[:120]!r}")
            if best_link is None or cand[0] > best_link[0]:
                best_link = cand
        else:
            w = CREDIT_WEIGHT.get(stmt.kind, 0.8)
            cand2 = (w, f"article {copy.id} credits {source.site} ({stmt.kind}): {stmt.text[:120]!r}",
                     "dateline" if stmt.kind == "dateline" else "credit")
            if best_credit is None or cand2[0] > best_credit[0]:
                best_credit = cand2
    out = []
    if best_link:
        out.append(Evidence("link", source.id, best_link[0], best_link[1]))
    if best_credit:
        out.append(Evidence(best_credit[2], source.id, best_credit[0], best_credit[1]))
    return out


def _fetch_bound(a: Article, b: Article) -> Evidence | None:
    """A fetch time is an upper bound: a page fetched before the other was published came first."""
    for x, y in ((a, b), (b, a)):
        if x.published is None and x.fetched_at is not None and y.published is not None:
            ty, cy, sy = article_time(y)
            gap = (ty - _utc(x.fetched_at)).total_seconds() if ty else 0.0
            if gap > MIN_GAP_SECONDS:
                hours = gap / 3600
                return Evidence("date", x.id, round(cy * min(1.0, 0.4 + 0.6 * hours / FULL_GAP_HOURS), 4),
                                f"article {x.id} (undated) was fetched {hours:.1f} h before article {y.id} was "
                                f"published (date from {sy})")
    return None


def _window(article: Article) -> tuple[datetime, datetime, float, str] | None:
    """When the article may have appeared: a day-precision date (from the URL, or a time of exactly midnight)
    is any time from 12 h before to 36 h after its midnight (the day in any time zone), an exact time is itself."""
    t, trust, src = article_time(article)
    if t is None:
        return None
    if src in ("url", "text") or (t.hour, t.minute, t.second) == (0, 0, 0):
        return t - timedelta(hours=12), t + timedelta(hours=36), trust, f"{src}, day only"
    return t, t, trust, src


def _overlap_evidence(a: Article, b: Article, wa: tuple[datetime, datetime, float, str],
                      wb: tuple[datetime, datetime, float, str], trust: float) -> Evidence:
    """Overlapping windows (a day-only date against a time that day): a slight lean to the earlier midpoint."""
    ma, mb = wa[0] + (wa[1] - wa[0]) / 2, wb[0] + (wb[1] - wb[0]) / 2
    gap_h = abs((mb - ma).total_seconds()) / 3600
    if gap_h * 3600 < MIN_GAP_SECONDS or (wa[0] == wa[1] and wb[0] == wb[1]):
        return Evidence("date", None, 0.0, f"publication times too close to order ({wa[3]}, {wb[3]})")
    first, second = (a, b) if ma < mb else (b, a)
    weight = round(OVERLAP_WEIGHT * trust * min(1.0, gap_h / 24), 4)
    return Evidence("date", first.id, weight, f"article {first.id} probably published before article {second.id} "
                    f"(a day-only date overlapping the other's time; {wa[3]}, {wb[3]})")


RELIABLE_GAP_HOURS = 48.0  # date agreement is learnt apart for gaps below and from this


@dataclass(frozen=True, slots=True)
class DateReliability:
    """How often exact publication times agree with credit lines in this corpus, for gaps under and over
    `RELIABLE_GAP_HOURS`: (agreeing, counted) pairs. A corpus whose pages' clocks are often wrong learns to
    trust its dates less; the default (no pairs) leaves the date weights as they are."""

    near: tuple[int, int] = (0, 0)
    far: tuple[int, int] = (0, 0)

    def factor(self, hours: float) -> float:
        """What the date's weight is multiplied by: the weight whose lone decision would be right as often as
        dates were here ((w + PRIOR) / (w + 2 PRIOR) = agreement rate), against the weight the trust table
        assumes (0.9), never above 1; 1 with fewer than `min_pairs` pairs."""
        agree, n = self.near if hours < RELIABLE_GAP_HOURS else self.far
        if n < DATE_MIN_PAIRS:
            return 1.0
        rate = (agree + 1) / (n + 2)
        w = (2 * PRIOR * rate - PRIOR) / max(1e-6, 1 - rate)
        return round(max(0.1, min(1.0, w / DATE_TRUST["metadata"])), 4)


DATE_MIN_PAIRS = 20


def learn_date_reliability(pairs: Iterable[tuple[Article, Article]]) -> DateReliability:
    """Count, over pairs where exactly one article credits or links the other, how often the exact dates
    (not day-only ones) put the credited article first."""
    counts = {True: [0, 0], False: [0, 0]}
    for a, b in pairs:
        ab, ba = bool(credits_naming(a, b)), bool(credits_naming(b, a))
        if ab == ba:
            continue
        wa, wb = _window(a), _window(b)
        if wa is None or wb is None or wa[0] != wa[1] or wb[0] != wb[1]:
            continue
        src, cp = (wb, wa) if ab else (wa, wb)
        gap = (cp[0] - src[0]).total_seconds()
        if abs(gap) < MIN_GAP_SECONDS:
            continue
        c = counts[abs(gap) / 3600 < RELIABLE_GAP_HOURS]
        c[0] += gap > 0
        c[1] += 1
    return DateReliability(near=(counts[True][0], counts[True][1]), far=(counts[False][0], counts[False][1]))


def _date_evidence(a: Article, b: Article, reliability: DateReliability | None = None) -> Evidence | None:
    if a.published is None or b.published is None:
        return _fetch_bound(a, b)  # fetch times alone say nothing about publication order
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return None
    trust = min(wa[2], wb[2])
    if wa[1] + timedelta(seconds=MIN_GAP_SECONDS) <= wb[0]:
        first, second, gap, s1, s2 = a, b, (wb[0] - wa[1]).total_seconds(), wa[3], wb[3]
    elif wb[1] + timedelta(seconds=MIN_GAP_SECONDS) <= wa[0]:
        first, second, gap, s1, s2 = b, a, (wa[0] - wb[1]).total_seconds(), wb[3], wa[3]
    else:
        return _overlap_evidence(a, b, wa, wb, trust)
    hours = gap / 3600
    weight = trust * min(1.0, 0.4 + 0.6 * hours / FULL_GAP_HOURS)
    note = ""
    if reliability is not None and (f := reliability.factor(hours)) < 1.0:
        weight *= f
        note = f"; dates this close agree with credits in {f:.0%} of the weight here"
    return Evidence("date", first.id, round(weight, 4),
                    f"article {first.id} published {hours:.1f} h before article {second.id} "
                    f"(dates from {s1} and {s2}{note})")


def _canonical_evidence(a: Article, b: Article) -> list[Evidence]:
    out = []
    for x, y in ((a, b), (b, a)):
        canon = page_key(x.canonical_url)
        if canon and canon != page_key(x.url) and canon in {page_key(y.url), page_key(y.canonical_url)}:
            out.append(Evidence("canonical", y.id, CANONICAL_WEIGHT,
                                f"article {x.id} declares article {y.id}'s URL as canonical"))
    return out


def _containment_evidence(a: Article, b: Article, pair: ArticlePair | None) -> Evidence | None:
    if pair is None:
        return None
    cov = {pair.a_id: pair.coverage_a, pair.b_id: pair.coverage_b}
    ca, cb = cov.get(a.id or -1), cov.get(b.id or -1)
    if ca is None or cb is None:
        return None
    diff = ca - cb
    if abs(diff) < 0.1:
        return Evidence("containment", None, 0.0, f"coverage about equal ({ca:.2f} vs {cb:.2f})")
    contained, other = (a, b) if diff > 0 else (b, a)
    return Evidence("containment", contained.id, round(CONTAINMENT_WEIGHT * min(1.0, abs(diff) * 2), 4),
                    f"article {contained.id} lies {max(ca, cb):.0%} inside the shared text, article {other.id} "
                    f"only {min(ca, cb):.0%}: the latter added material")


def direction_evidence(a: Article, b: Article, pair: ArticlePair | None = None,
                       dates: DateReliability | None = None) -> list[Evidence]:
    """Every piece of evidence about which of `a` and `b` came first (ids must be set)."""
    ev: list[Evidence] = []
    ev += _credit_evidence(a, b)
    ev += _credit_evidence(b, a)
    ev += _canonical_evidence(a, b)
    d = _date_evidence(a, b, dates)
    if d is not None:
        ev.append(d)
    c = _containment_evidence(a, b, pair)
    if c is not None:
        ev.append(c)
    return ev


def _describe(side: list[Evidence]) -> str:
    return ", ".join(sorted({e.kind for e in side}))


def decide(a_id: int, b_id: int, evidence: list[Evidence], tie_first: int | None = None) -> Direction:
    """Weigh the evidence: confidence = smoothed share of the weight on the winning side.

    With no evidence either way the lower id (the one stored first) is taken as the source at 0.5,
    unless `tie_first` names another.
    """
    score = {a_id: 0.0, b_id: 0.0}
    for e in evidence:
        if e.favours in score:
            score[e.favours] += e.weight
    sa, sb = score[a_id], score[b_id]
    tie = tie_first if tie_first in score else min(a_id, b_id)
    first = tie if sa == sb else (a_id if sa > sb else b_id)
    second = b_id if first == a_id else a_id
    conf = (score[first] + PRIOR) / (sa + sb + 2 * PRIOR)
    win = [e for e in evidence if e.favours == first and e.weight > 0]
    lose = [e for e in evidence if e.favours == second and e.weight >= 0.3]
    conflict = None
    if lose:
        conflict = (f"{_describe(lose)} say{'s' if len(lose) == 1 else ''} article {second} came first, "
                    f"{_describe(win) or 'nothing'} say{'s' if len(win) == 1 else ''} article {first}")
        if any(e.kind == "date" for e in lose) and any(e.kind in {"credit", "link", "dateline"} for e in win):
            conflict += " (clock skew or a wrong date: the credit is trusted)"
    return Direction(first, second, round(conf, 4), evidence, conflict)


BYLINE_WEIGHT = 1.0
BYLINE_HOME_PAGES = 2  # a name on at least this many pages of one site is at home there


def count_bylines(articles: Iterable[Article]) -> Bylines:
    """`Store.byline_sites` over articles in memory."""
    return count_names((art.site, art.authors, 1) for art in articles)


def byline_evidence(a: Article, b: Article, bylines: Bylines | None) -> Evidence | None:
    """Both pages carry an author whose name is at home on one page's site (on several of its pages, and on
    no site more often) and turns up on the other's site on this page alone: a republisher kept the staff
    writer's byline, so the writer's site is the source. A name most at home on a third site says nothing
    here (both pages may have taken it from there; a site that often reposts that one carries it too)."""
    if not bylines or a.site == b.site:
        return None
    shared = byline_keys(a.authors) & byline_keys(b.authors)
    for name in sorted(shared):
        per = bylines.get(name, {})
        na, nb = per.get(a.site, 0), per.get(b.site, 0)
        if (na >= BYLINE_HOME_PAGES) == (nb >= BYLINE_HOME_PAGES) or max(na, nb) < max(per.values()):
            continue  # no lean, or the name is at home on a third site that both pages took it from
        home, away, n = (a, b, na) if na >= BYLINE_HOME_PAGES else (b, a, nb)
        shown = next((x.strip() for x in home.authors if byline_key(x) == name), name)
        return Evidence("byline", home.id, BYLINE_WEIGHT,
                        f"{shown} writes for {home.site} ({n} pages there); {away.site} carries the byline "
                        "on this page only: it kept the writer's name from the source")
    return None


SiteRoles = dict[str, tuple[int, int]]  # site -> (times it was the source, times it was the copy)
ROLE_MIN_OBSERVATIONS = 3
ROLE_MIN_CONFIDENCE = 0.75
ROLE_WEIGHT = 0.8


ROLE_PER_ARTICLE = 10  # decisions one article adds to its site's tally per role (see `count_roles`)


def count_roles(decisions: Iterable[tuple], roles: SiteRoles | None = None) -> SiteRoles:
    """Tally, per site, how often it was the source and how often the copy in confident decisions.

    `decisions` are (source site, copy site, confidence), or (source site, copy site, confidence, source id,
    copy id): with the ids, one article adds at most `ROLE_PER_ARTICLE` observations per role, however many
    pairs it is in, so one widely copied article (or a hub of a story run by hundreds of sites, which reuse
    pairs with every later copy) does not make its site look like an agency. Pairs within one site are
    skipped.
    """
    out: dict[str, list[int]] = {k: list(v) for k, v in (roles or {}).items()}
    seen: Counter[tuple[int, int]] = Counter()
    for d in decisions:
        src, cp, conf = d[0], d[1], d[2]
        if not src or not cp or src == cp or conf < ROLE_MIN_CONFIDENCE:
            continue
        ids = d[3:5] if len(d) >= 5 else None
        if ids is None or seen[(ids[0], 0)] < ROLE_PER_ARTICLE:
            out.setdefault(src, [0, 0])[0] += 1
        if ids is None or seen[(ids[1], 1)] < ROLE_PER_ARTICLE:
            out.setdefault(cp, [0, 0])[1] += 1
        if ids is not None:
            seen[(ids[0], 0)] += 1
            seen[(ids[1], 1)] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _source_share(roles: SiteRoles, site: str) -> float | None:
    src, cp = roles.get(site, (0, 0))
    if src + cp < ROLE_MIN_OBSERVATIONS:
        return None
    return (src + 1) / (src + cp + 2)


def site_role_evidence(a: Article, b: Article, roles: SiteRoles | None) -> Evidence | None:
    """Sites have habits: an agency is usually the source, an aggregator the copy (learned from confident pairs)."""
    if not roles or a.site == b.site:
        return None
    ra, rb = _source_share(roles, a.site), _source_share(roles, b.site)
    if ra is None or rb is None or abs(ra - rb) < 0.2:
        return None
    first, second, r1, r2 = (a, b, ra, rb) if ra > rb else (b, a, rb, ra)
    return Evidence("site-role", first.id, round(ROLE_WEIGHT * min(1.0, r1 - r2), 4),
                    f"{first.site} is the source in {r1:.0%} of its confident copies, {second.site} in {r2:.0%}")


def infer_direction(a: Article, b: Article, pair: ArticlePair | None = None,
                    roles: SiteRoles | None = None, dates: DateReliability | None = None,
                    extra: Iterable[Evidence] = ()) -> Direction:
    """Which of two articles sharing text is the source, with all evidence and any conflict.

    `roles` (from `count_roles`) adds the sites' habits as weak evidence; `dates` (from
    `learn_date_reliability`) scales the date's weight by how often dates agreed with credits in the corpus;
    `extra` is evidence read from the shared passages (`lede.lede_evidence`).
    """
    if a.id is None or b.id is None:
        raise ValueError("infer_direction needs stored articles (id set)")
    ta, _, _ = article_time(a)
    tb, _, _ = article_time(b)
    tie = None
    if ta is not None and tb is not None and ta != tb:
        tie = a.id if ta < tb else b.id
    evidence = direction_evidence(a, b, pair, dates)
    role = site_role_evidence(a, b, roles)
    if role is not None:
        evidence.append(role)
    evidence += [e for e in extra if e is not None]
    return decide(a.id, b.id, evidence, tie_first=tie)


def pair_decisions(articles: dict[int, Article], pairs: Iterable[ArticlePair]
                   ) -> list[tuple[str, str, float, int, int]]:
    """(source site, copy site, confidence, source id, copy id) of each pair's direction without site roles:
    what roles are learnt from."""
    out = []
    for p in pairs:
        a, b = articles.get(p.a_id), articles.get(p.b_id)
        if a is None or b is None or a.site == b.site:
            continue
        d = infer_direction(a, b, p)
        src, cp = (a, b) if d.source_id == a.id else (b, a)
        out.append((src.site, cp.site, d.confidence, src.id or 0, cp.id or 0))
    return out
