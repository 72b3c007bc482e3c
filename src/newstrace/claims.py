"""Already fact-checked claims: reading published fact-check sets, and finding the sentences of an article that
repeat one of their claims.

Retrieval is BM25 (bm25s) over each claim with its fact-check's headline; a candidate counts as a match only
when the sentence holds most of the claim's distinctive words (`coverage`: the IDF-weighted share of the claim's
words found in the sentence, at least 0.6) and at least four of them (three when they are 80% of the claim), so
a sentence sharing a few common words with a claim is no match. Words are
Unicode words, lower-cased; scripts written without spaces (Chinese, Japanese, Thai, Lao) are read as
character pairs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FactCheck", "ClaimFile", "ClaimsError", "ClaimIndex", "ClaimMatch", "MatchReport", "read_claims",
           "repeats", "sentence_spans", "tokens", "update_matches", "MIN_COVERAGE", "MAX_BYTES"]

MAX_BYTES = 500 * 1024 * 1024
MAX_CLAIM = 2000  # characters kept of a claim or headline (a claim is a sentence or two)
MIN_COVERAGE = 0.6  # share of a claim's distinctive words a sentence must hold to repeat it
MIN_WORDS = 4  # ...and at least this many of them...
SHORT_COVERAGE = 0.8  # ...or one less, when they are this share of the claim (a short claim, nearly all there)


def repeats(coverage: float, words: int, min_coverage: float = MIN_COVERAGE) -> bool:
    """Whether a sentence holding `words` of a claim's words, `coverage` of its IDF weight, repeats the claim."""
    return coverage >= min_coverage and (words >= MIN_WORDS or (words == MIN_WORDS - 1 and coverage >= SHORT_COVERAGE))

_CLAIM_KEYS = ("claim", "vclaim", "claimreviewed", "claim_text", "text", "statement")
_TITLE_KEYS = ("title", "headline", "review_title")
_ID_KEYS = ("id", "claim_id", "", "vclaim_id", "uid")
_VERDICT_KEYS = ("verdict", "rating", "textualrating", "reviewrating", "label", "ruling")
_URL_KEYS = ("url", "review_url", "fact_check_url", "link")
_DATE_KEYS = ("date", "review_date", "datepublished", "published", "claim_date", "claimdate")
_PUBLISHER_KEYS = ("publisher", "fact_checker", "author", "site", "source")

_WORD = re.compile(r"\w+", re.UNICODE)
_NO_SPACE = re.compile(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
_STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been being it its
this that these those there their they them he she his her we our you your i me my not no do does did has have had
will would can could should may might than then so such into over about after before also just more most very
и в во не на с со что как а но по к ко из за от до у же ли бы это то он она они мы вы я его её их был была были
""".split())


class ClaimsError(ValueError):
    """A file that cannot be read as a fact-check set (no claim column, not text, too large)."""


@dataclass(slots=True)
class FactCheck:
    ext_id: str  # the set's own id for it
    claim: str
    title: str | None = None
    verdict: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    id: int | None = None  # the store's id, once stored


@dataclass(slots=True)
class ClaimFile:
    name: str
    rows: list[FactCheck]
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class ClaimMatch:
    fact_check_id: int
    start: int  # the sentence's span in the article's text
    end: int
    coverage: float  # IDF-weighted share of the claim's words in the sentence
    score: float  # BM25


def tokens(text: str) -> list[str]:
    """Lower-cased words without stop words; runs of Chinese or Japanese characters as overlapping pairs."""
    out: list[str] = []
    for w in _WORD.findall(text.lower()):
        if _NO_SPACE.search(w):
            for run in _NO_SPACE.split(w):
                if run and run not in _STOP:
                    out.append(run)
            for run in _NO_SPACE.findall(w):
                out += [run[i:i + 2] for i in range(max(1, len(run) - 1))]
        elif w not in _STOP and (len(w) > 1 or w.isdigit()):
            out.append(w)
    return out


def _pick(rec: dict[str, Any], keys: Sequence[str]) -> str | None:
    low = {str(k).strip().lower(): v for k, v in rec.items()}
    for k in keys:
        v = low.get(k)
        if isinstance(v, dict):  # ClaimReview: "reviewRating": {"alternateName": "False"}
            v = v.get("alternateName") or v.get("name")
        if v is not None and str(v).strip():
            return " ".join(str(v).split())[:MAX_CLAIM]
    return None


def _json_items(value: Any) -> list[Any] | None:
    """The records of a JSON document: a list, or the list a feed object holds ("claims": the Google Fact
    Check Tools API; "dataFeedElement": a schema.org DataFeed; "items", "data")."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ("claims", "dataFeedElement", "items", "data"):
            if isinstance(value.get(key), list):
                return value[key]
    return None


def _records(text: str, path: Path) -> Iterable[tuple[int, dict[str, Any] | None, str]]:
    """(line or item number, record or None, why) from a JSON document, JSON lines or a CSV/TSV table."""
    first = text.lstrip()[:1]
    if first in "[{":
        try:
            whole = json.loads(text)
        except (ValueError, RecursionError):
            whole = None
        items = _json_items(whole)
        if items is not None:
            for i, item in enumerate(items, start=1):
                yield (i, item, "") if isinstance(item, dict) else (i, None, f"item {i} is not a JSON object")
            return
        if first == "[" or isinstance(whole, dict):  # a broken JSON list, or one object that is no feed
            raise ClaimsError(f"{path}: not a JSON list of claims, nor JSON lines")
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, RecursionError) as exc:  # nested a hundred thousand deep is no claim either
                yield i, None, f"not valid JSON ({getattr(exc, 'msg', type(exc).__name__)})"
                continue
            yield (i, item, "") if isinstance(item, dict) else (i, None, "not a JSON object")
        return
    head = text.split("\n", 1)[0]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # one huge cell is cut, not a failed file
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        for rec in reader:
            if sum(c.count("\n") for c in rec) > 2:
                yield reader.line_num, None, "a cell runs over several lines (an unclosed quote mark?)"
                continue
            row: dict[str, str] = {}
            for name, cell in zip(header, rec, strict=False):  # two "claim" columns: the first non-empty counts
                if not row.get(name, "").strip():
                    row[name] = cell
            yield reader.line_num, row, ""
    except csv.Error as exc:
        raise ClaimsError(f"{path}: line {reader.line_num}: {exc}") from exc


def read_claims(path: str | Path, name: str | None = None) -> ClaimFile:
    """Read a fact-check set: a CSV/TSV table (CLEF CheckThat!'s `verified_claims.docs.tsv`: id, vclaim, title)
    or JSON lines / a JSON list (ClaimReview-like: claimReviewed, reviewRating, url). A claim column is required;
    the headline, verdict, URL, date and publisher are kept where the set has them."""
    p = Path(path)
    if p.stat().st_size > MAX_BYTES:
        raise ClaimsError(f"{p}: larger than a fact-check set can be ({MAX_BYTES:,} bytes)")
    data = p.read_bytes()
    if b"\x00" in data[:4096]:
        raise ClaimsError(f"{p}: not a text file (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise ClaimsError(f"{p}: empty file")
    rows: list[FactCheck] = []
    skipped: list[tuple[int, str]] = []
    seen: set[str] = set()
    any_claim_column = False
    for line, rec, why in _records(text, p):
        if rec is None:
            skipped.append((line, why))
            continue
        claim = _pick(rec, _CLAIM_KEYS)
        any_claim_column = any_claim_column or any(str(k).strip().lower() in _CLAIM_KEYS for k in rec)
        if not claim or len(tokens(claim)) < 2:
            skipped.append((line, "no claim text" if not claim else f"too short to match: {claim[:60]!r}"))
            continue
        ext = (_pick(rec, _ID_KEYS) or str(line))[:200]
        if ext in seen:
            skipped.append((line, f"id {ext!r} already used on an earlier line (the first is kept)"))
            continue
        seen.add(ext)
        url = _pick(rec, _URL_KEYS)
        rows.append(FactCheck(ext, claim, _pick(rec, _TITLE_KEYS), _pick(rec, _VERDICT_KEYS),
                              url if url and re.match(r"https?://", url, re.I) else None,
                              (_pick(rec, _DATE_KEYS) or "")[:40] or None, _pick(rec, _PUBLISHER_KEYS)))
    if not any_claim_column and not rows:
        raise ClaimsError(f"{p}: no claim column (name one of: {', '.join(_CLAIM_KEYS)})")
    if not rows:  # a set that reads as nothing must not replace a good one of the same name
        why = f" (line {skipped[0][0]}: {skipped[0][1]})" if skipped else ""
        raise ClaimsError(f"{p}: no usable claim: {len(skipped):,} rows skipped{why}")
    name = name or p.stem
    if len(name) > 200:
        raise ClaimsError(f"{p}: the set's name is longer than 200 characters")
    return ClaimFile(name, rows, skipped)


class ClaimIndex:
    """BM25 over fact-checked claims (claim + headline), with the IDF weights that judge coverage."""

    def __init__(self, checks: Sequence[FactCheck]) -> None:
        import bm25s

        self.checks = list(checks)
        self.claim_tokens = [tokens(c.claim) for c in self.checks]
        docs = [ct + tokens(c.title or "") for ct, c in zip(self.claim_tokens, self.checks, strict=True)]
        df: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                df[t] = df.get(t, 0) + 1
        n = max(1, len(docs))
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        self.bm25 = bm25s.BM25()
        if docs:
            self.bm25.index([d or ["\x00"] for d in docs], show_progress=False)

    def __len__(self) -> int:
        return len(self.checks)

    def coverage(self, claim: int, query: set[str]) -> tuple[float, int]:
        """IDF-weighted share of claim `claim`'s words in `query`, and how many of its words are there."""
        words = set(self.claim_tokens[claim])
        total = sum(self.idf.get(t, 0.0) for t in words)
        hit = words & query
        return (sum(self.idf.get(t, 0.0) for t in hit) / total if total else 0.0), len(hit)

    def search(self, queries: Sequence[Sequence[str]], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
        """The `k` best claims (positions in `checks`) and their BM25 scores for each tokenised query."""
        k = min(k, len(self.checks))
        if not queries or not k:
            return np.zeros((len(queries), 0), dtype=int), np.zeros((len(queries), 0))
        docs, scores = self.bm25.retrieve([list(q) or ["\x00"] for q in queries], k=k, show_progress=False,
                                          n_threads=1)
        return np.asarray(docs), np.asarray(scores)

    def match(self, text: str, spans: Sequence[tuple[int, int]], k: int = 3,
              min_coverage: float = MIN_COVERAGE) -> list[ClaimMatch]:
        """The claims that sentences of `text` (its `spans`) repeat, each with its best sentence, best first."""
        return self.match_many([(text, spans)], k, min_coverage)[0]

    def match_many(self, items: Sequence[tuple[str, Sequence[tuple[int, int]]]], k: int = 3,
                   min_coverage: float = MIN_COVERAGE) -> list[list[ClaimMatch]]:
        """`match` for several texts at once: one BM25 call for all their sentences (much faster in batches)."""
        queries = [(n, s, e, toks) for n, (text, spans) in enumerate(items) for s, e in spans
                   if len(toks := tokens(text[s:e])) >= MIN_WORDS - 1]
        best: list[dict[int, ClaimMatch]] = [{} for _ in items]
        if not queries or not self.checks:
            return [[] for _ in items]
        docs, scores = self.search([q[3] for q in queries], k)
        for (n, s, e, toks), row, srow in zip(queries, docs, scores, strict=True):
            qs = set(toks)
            for d, sc in zip(row, srow, strict=True):
                if sc <= 0:
                    continue
                cov, hits = self.coverage(int(d), qs)
                if not repeats(cov, hits, min_coverage):
                    continue
                fc = self.checks[int(d)]
                key = fc.id if fc.id is not None else int(d)
                if key not in best[n] or cov > best[n][key].coverage:
                    best[n][key] = ClaimMatch(key, s, e, round(cov, 4), round(float(sc), 4))
        return [sorted(b.values(), key=lambda m: (-m.coverage, -m.score)) for b in best]


@dataclass(slots=True)
class MatchReport:
    sets: int = 0
    claims: int = 0
    articles: int = 0  # matched now
    matched: int = 0  # of those, articles repeating at least one claim
    matches: int = 0
    errors: list[str] = field(default_factory=list)  # "article 12: reason"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The article's sentences (the quotes module's splitter: abbreviations and quotations kept whole)."""
    from .quotes.tokens import sentences

    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            spans += sentences(text, pos, pos + len(para))
        pos += len(para) + 1
    return spans


def update_matches(store: Any, progress: Callable[[int, int], None] | None = None,
                   batch_size: int = 200) -> MatchReport:
    """Match every article not yet matched against the fact-check sets loaded now; each batch is stored (and
    marked done) in one transaction, so an interrupted run resumes with the next batch."""
    report = MatchReport()
    sets = store.fact_check_sets()
    version = store.claims_version()
    report.sets = len(sets)
    if not sets:
        return report
    index = ClaimIndex(store.all_fact_checks())
    report.claims = len(index)
    todo = store.articles_to_match(version)
    for i in range(0, len(todo), batch_size):
        ids = todo[i:i + batch_size]
        results: dict[int, list[ClaimMatch]] = {a: [] for a in ids}
        texts: list[tuple[int, str, int, list[tuple[int, int]]]] = []  # (article, title + text, offset, sentences)
        for art in store.get_articles(ids):
            try:
                text = "\n".join(filter(None, [art.title or "", art.text]))
                texts.append((art.id or 0, text, len(art.title or "") + 1 if art.title else 0, sentence_spans(text)))
            except Exception as exc:  # one bad article never stops the run
                report.errors.append(f"article {art.id}: {type(exc).__name__}: {exc}")
        try:
            found = index.match_many([(t, spans) for _, t, _, spans in texts])
        except Exception:  # find the article at fault, one at a time
            found = []
            for aid, t, _, spans in texts:
                try:
                    found.append(index.match(t, spans))
                except Exception as exc:
                    report.errors.append(f"article {aid}: {type(exc).__name__}: {exc}")
                    found.append([])
        for (aid, _, offset, _), ms in zip(texts, found, strict=True):
            # spans are kept in the article's text; a match in the headline is stored as (-1, -1)
            results[aid] = [ClaimMatch(m.fact_check_id, *((m.start - offset, m.end - offset) if m.start >= offset
                                                           else (-1, -1)), m.coverage, m.score) for m in ms]
        if store.claims_version() != version:  # a set was loaded or removed meanwhile: these ids may be gone
            report.errors.append("the fact-check sets changed during the run: run `newstrace claims match` again")
            break
        store.save_claim_matches(version, results)
        report.articles += len(ids)
        report.matched += sum(1 for ms in results.values() if ms)
        report.matches += sum(len(ms) for ms in results.values())
        if progress:
            progress(min(i + batch_size, len(todo)), len(todo))
    return report
