"""Published domain rating sets (Lin et al. 2023, OpenSources, or any CSV with a domain column), read into plain
rows for the store, and the lookup of a site's ratings: what is known about a source before reading it.

A rating set is read as it was published: its score (0 worst .. 1 best, where the set has one), its labels
("bias", "conspiracy", "state"...), and every other column kept as it is, so nothing of the set is lost and
nothing is invented. Rows that name no usable domain are reported with their line numbers and skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DomainRating", "RatingFile", "RatingsError", "describe", "host_of", "normalise_domain", "parent_domains",
           "read_ratings", "MAX_BYTES", "MAX_FIELD"]

MAX_BYTES = 200 * 1024 * 1024  # a rating set is a table of domains: anything larger is not one
MAX_FIELD = 2000  # characters kept of any one cell (notes can be long; none needs to be a page)
MAX_NAME = 200  # characters of a set's name
MAX_COLUMNS = 60  # columns kept per row (Lin et al. has 17)

_DOMAIN_COLUMNS = ("domain", "site", "source", "url", "website", "outlet")
_SCORE_COLUMNS = ("pc1", "score", "rating", "reliability", "quality", "trust", "trust_score")
_LABEL_COLUMNS = ("type", "2nd type", "3rd type", "label", "labels", "category", "categories", "bias", "class")
_DOMAIN_RE = re.compile(r"^(?=.{3,253}$)[a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,62}[a-z0-9\u00a1-\uffff])?"
                        r"(\.[a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,62}[a-z0-9\u00a1-\uffff])?)+$")


class RatingsError(ValueError):
    """A file that cannot be read as a rating set at all (no domain column, not text, too large)."""


@dataclass(slots=True)
class DomainRating:
    domain: str
    score: float | None = None  # 0..1 as the set publishes it (None: the set gives labels only)
    labels: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # every other non-empty column, as published


@dataclass(slots=True)
class RatingFile:
    name: str
    kind: str  # "lin2023", "opensources" or "csv": how the columns were read
    score_column: str | None
    rows: list[DomainRating]
    skipped: list[tuple[int, str]]  # (line, reason)


def normalise_domain(value: str) -> str | None:
    """"https://www.Example.com/path" -> "example.com"; None when the value is no domain name."""
    v = value.strip().lower()
    if not v:
        return None
    v = re.sub(r"^[a-z][a-z0-9+.-]*://", "", v)
    v = v.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    v = v.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if v.startswith("www.") and v.count(".") >= 2:
        v = v[4:]
    return v if _DOMAIN_RE.match(v) else None


def host_of(url: str | None) -> str | None:
    """The host a page's ratings are looked up by: its own, not its site's. A blog on blogspot.com is stored
    under the site "blogspot.com", but Lin et al. rate many such blogs one by one, and the platform's rating
    says nothing of one blog."""
    return normalise_domain(url or "")


def parent_domains(domain: str) -> list[str]:
    """The domain, then each parent down to its registered domain: news.bbc.co.uk, bbc.co.uk (never "co.uk").
    Hosting platforms on the public suffix list's private part stop there too: a blog on blogspot.com or
    github.io does not take the platform's rating. Under an unknown suffix, parents down to two labels."""
    from .sites import _extractor

    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", domain):  # an address has no parents
        return [domain]
    parts = domain.split(".")
    ext = _extractor()(domain, include_psl_private_domains=True)
    floor = len(f"{ext.domain}.{ext.suffix}".split(".")) if ext.domain and ext.suffix else 2
    return [".".join(parts[i:]) for i in range(max(1, len(parts) - floor + 1))]


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise RatingsError(f"{path}: not a text file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older sets were saved from spreadsheets


def _column(header: list[str], names: Iterable[str]) -> int | None:
    low = [h.strip().lower() for h in header]
    for name in names:
        if name in low:
            return low.index(name)
    return None


def read_ratings(path: str | Path, name: str | None = None) -> RatingFile:
    """Read a rating set from a CSV or TSV file.

    Recognised as published: Lin et al. 2023 (`domain`, `pc1` and the six sets' columns; score = pc1) and
    OpenSources (first column the domain, unnamed; `type`, `2nd type`, `3rd type` are labels). Any other table
    needs a column named domain, site, source, url, website or outlet; a column named score, rating,
    reliability, quality or trust is the score (it must lie in 0..1), and type/label/category/bias columns give
    labels (several labels in one cell are split at commas, semicolons or "|").
    """
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise RatingsError(f"{p}: {size:,} bytes, more than a rating set can be ({MAX_BYTES:,})")
    text = _decode(p.read_bytes(), p)
    if not text.strip():
        raise RatingsError(f"{p}: empty file")
    name = name or p.stem
    if len(name) > MAX_NAME:
        raise RatingsError(f"{p}: the set's name is longer than {MAX_NAME} characters")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # one huge cell is cut, not a failed file
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise RatingsError(f"{p}: the header line: {exc}") from exc
    low = [h.strip().lower() for h in header]
    if "domain" in low and "pc1" in low:
        kind, dom, score = "lin2023", low.index("domain"), low.index("pc1")
    elif low and low[0] == "" and "type" in low:
        kind, dom, score = "opensources", 0, None
    else:
        kind, dom, score = "csv", _column(header, _DOMAIN_COLUMNS), _column(header, _SCORE_COLUMNS)
        if dom is None:
            raise RatingsError(f"{p}: no domain column (name one of: {', '.join(_DOMAIN_COLUMNS)}); "
                               f"the header is {header[:8]!r}")
    label_cols = [i for i, h in enumerate(low) if h in _LABEL_COLUMNS and i not in (dom, score)]
    names: list[str] = []  # each column's name, unique ("notes", "notes (2)"); cells past the header's get one
    for i in range(MAX_COLUMNS):
        base = ((header[i].strip() if i < len(header) else "") or f"column {i + 1}")[:80]
        names.append(base if base not in names else f"{base} ({i + 1})")
    rows: dict[str, DomainRating] = {}
    skipped: list[tuple[int, str]] = []
    try:
        records = list(reader)
    except csv.Error as exc:
        raise RatingsError(f"{p}: line {reader.line_num}: {exc}") from exc
    for line, rec in enumerate(records, start=2):
        if not any(c.strip() for c in rec):
            continue
        if any("\n" in c for c in rec):
            skipped.append((line, "a cell runs over several lines (an unclosed quote mark?): the row, and what "
                                  "the quote swallowed, are skipped"))
            continue
        if len(rec) <= dom:
            skipped.append((line, "too few columns"))
            continue
        domain = normalise_domain(rec[dom])
        if domain is None:
            skipped.append((line, f"not a domain name: {rec[dom][:80]!r}"))
            continue
        path = re.sub(r"^[a-z][a-z0-9+.-]*://", "", rec[dom].strip().lower()).partition("/")[2].strip("/")
        if path:  # "westernjournal.com/commentary", "twitter.com/someone": one section or account, not the site
            skipped.append((line, f"rates a part of a site ({rec[dom].strip()[:80]}), not a whole domain"))
            continue
        value: float | None = None
        if score is not None and score < len(rec) and rec[score].strip():
            try:
                value = float(rec[score])
            except ValueError:
                value = math.nan
            if not 0.0 <= value <= 1.0:  # NaN fails too
                skipped.append((line, f"score {rec[score][:40]!r} is not a number from 0 to 1"))
                continue
        labels = [lab.strip().lower() for i in label_cols if i < len(rec)
                  for lab in re.split(r"[,;|]", rec[i]) if lab.strip()]
        fields = {names[i]: c.strip()[:MAX_FIELD] for i, c in enumerate(rec[:MAX_COLUMNS])
                  if i not in (dom, score, *label_cols) and c.strip()}
        if domain in rows:
            skipped.append((line, f"{domain} already rated on an earlier line (the first is kept)"))
            continue
        rows[domain] = DomainRating(domain, value, list(dict.fromkeys(labels)), fields)
    if not rows:  # a set that reads as nothing must not replace a good one of the same name
        why = f" (line {skipped[0][0]}: {skipped[0][1]})" if skipped else ""
        raise RatingsError(f"{p}: no usable row: {len(skipped):,} skipped{why}")
    return RatingFile(name, kind, header[score].strip() if score is not None else None, list(rows.values()),
                      skipped)


def describe(rating: dict[str, Any]) -> str:
    """One set's verdict on a site in a few words (a row of `Store.ratings_for`): "0.29 (lin2023)",
    "state, bias (opensources)"."""
    parts = [f"{rating['score']:.2f}"] if rating.get("score") is not None else []
    parts += [", ".join(rating["labels"])] if rating.get("labels") else []
    return f"{' '.join(parts) or 'listed'} ({rating['set']})"
