"""What a copy did to its source: what it added, what it cut, what it reworded.

Paragraph-level, from the shared passages: a paragraph of the copy that no source explains is an
addition — a new **intro** before the copied text (short lines there, bylines and date lines, are not),
**commentary** inside or after it, a **footer** once site boilerplate, a credit line or a short line follows
the copied text — and a new title is a **headline**. A paragraph of the source that the copy does not hold was
**cut**, as is a long stretch dropped inside a passage; a long stretch added inside one is an **insert**.
Passages whose words differ a little were **reworded**; passages in a different order were **reordered**.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..models import Article, Passage
from . import _spans
from ._spans import Spans

__all__ = ["Changes", "describe_changes", "paragraph_spans", "side_spans"]

UNEXPLAINED = 0.3  # a paragraph less covered than this is the copy's own
BIG_EDIT_WORDS = 8  # an edit inside a passage this long is a cut or an insertion, not a rewording
_SHORT_LINE = 80


@dataclass(slots=True)
class Changes:
    """The labels stored with a copy, and the paragraphs behind them for display."""

    added: list[str] = field(default_factory=list)  # headline, intro, commentary, footer, insert
    removed: list[str] = field(default_factory=list)  # cut
    changed: list[str] = field(default_factory=list)  # reword, reorder
    added_text: list[tuple[str, str]] = field(default_factory=list)  # (label, paragraph)
    removed_text: list[str] = field(default_factory=list)
    reworded: list[tuple[str, str]] = field(default_factory=list)  # (source words, copy words)


def paragraph_spans(article: Article) -> Spans:
    """Character range of each paragraph inside `article.text`."""
    out: Spans = []
    pos = 0
    for p in article.paragraphs:
        out.append((pos, pos + len(p)))
        pos += len(p) + 1
    return out


def side_spans(passages: list[Passage], article_id: int) -> Spans:
    """The merged ranges of `article_id`'s text that these passages cover."""
    spans = []
    for p in passages:
        if p.a_id == article_id:
            spans.append((p.a_start, p.a_end))
        elif p.b_id == article_id:
            spans.append((p.b_start, p.b_end))
    return _spans.merge(spans)


def _fraction(span: tuple[int, int], covered: Spans) -> float:
    s, e = span
    if e <= s:
        return 1.0
    return _spans.total(_spans.clip(covered, s, e)) / (e - s)


def _norm_title(t: str) -> str:
    return " ".join(re.findall(r"\w+", (t or "").lower()))


def _is_credit_line(text: str, article: Article) -> bool:
    t = text.strip()
    return any(a.text and (a.text.strip() in t or t in a.text) for a in article.attributions if len(t) > 3)


def describe_changes(copy: Article, source: Article, passages: list[Passage],
                     boilerplate: dict[int, Spans] | None = None, explained: Spans | None = None) -> Changes:
    """What `copy` added to, cut from and changed in `source`.

    `passages` are those the two articles share; `explained` adds ranges of the copy taken from its
    other sources (so text from a second source is not mistaken for the copy's own commentary).
    """
    if copy.id is None or source.id is None:
        raise ValueError("describe_changes needs stored articles (id set)")
    bp = boilerplate or {}
    ch = Changes()
    src_title, copy_title = _norm_title(source.title), _norm_title(copy.title)
    if copy_title and src_title and difflib.SequenceMatcher(None, src_title, copy_title).ratio() < 0.8:
        ch.added.append("headline")
        ch.added_text.append(("headline", copy.title))

    covered = _spans.merge(side_spans(passages, copy.id) + list(explained or []))
    copy_bp = _spans.merge(bp.get(copy.id, []))
    paras = paragraph_spans(copy)
    fracs = [_fraction(sp, covered) for sp in paras]
    # a paragraph that repeats the title is the headline (extraction often keeps the <h1>), not shared text
    heading = {i for i, t in enumerate(copy.paragraphs) if _norm_title(t) == copy_title}
    shared_idx = [i for i, f in enumerate(fracs) if f >= UNEXPLAINED and i not in heading]
    if shared_idx:
        first, last = shared_idx[0], shared_idx[-1]
        labels: list[str] = []
        in_footer = False
        for i, (sp, f) in enumerate(zip(paras, fracs, strict=True)):
            text = copy.paragraphs[i]
            if f >= UNEXPLAINED or not text.strip() or i in heading:
                continue
            boiler = _fraction(sp, copy_bp) >= 0.5
            footerish = boiler or _is_credit_line(text, copy) or len(text) < _SHORT_LINE
            if i < first:
                label = "header" if footerish else "intro"  # bylines, date lines, site furniture are no intro
            elif i > last:
                in_footer = in_footer or footerish
                label = "footer" if in_footer else "commentary"
            elif boiler:
                continue
            else:
                label = "commentary"
            if label == "header":
                continue
            labels.append(label)
            ch.added_text.append((label, text))
        for lab in ("intro", "commentary", "footer"):
            if lab in labels:
                ch.added.append(lab)

    src_cov = side_spans(passages, source.id)
    src_bp = _spans.merge(bp.get(source.id, []))
    for i, sp in enumerate(paragraph_spans(source)):
        text = source.paragraphs[i]
        if not text.strip() or _fraction(sp, src_bp) >= 0.5:
            continue
        if _fraction(sp, src_cov) < UNEXPLAINED and len(text) >= 40:
            ch.removed_text.append(text)
    if ch.removed_text:
        ch.removed.append("cut")

    inserted = False
    for p in passages:
        for e in p.edits:
            a_text, b_text = (e.a_text, e.b_text) if p.a_id == source.id else (e.b_text, e.a_text)
            gone, new = len(a_text.split()), len(b_text.split())
            if e.op == "substitute" or max(gone, new) < BIG_EDIT_WORDS:
                ch.reworded.append((a_text, b_text))
            elif gone >= BIG_EDIT_WORDS and not new:
                ch.removed_text.append(a_text)  # a sentence or more dropped inside a copied stretch
            elif new >= BIG_EDIT_WORDS:
                inserted = True
                ch.added_text.append(("insert", b_text))
    if ch.removed_text and "cut" not in ch.removed:
        ch.removed.append("cut")
    if inserted:
        ch.added.append("insert")
    if ch.reworded or any(p.similarity < 0.999 and not p.edits for p in passages):
        ch.changed.append("reword")
    order = sorted(passages, key=lambda p: p.a_start if p.a_id == source.id else p.b_start)
    copy_starts = [p.b_start if p.a_id == source.id else p.a_start for p in order]
    if any(b < a for a, b in zip(copy_starts, copy_starts[1:], strict=False)):
        ch.changed.append("reorder")
    return ch
