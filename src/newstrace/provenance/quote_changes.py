"""Quotes a copy altered relative to its source: words changed inside quote marks, or another speaker.

Pure functions over the two articles' attributions (`quotes.models.Attribution`, as the quotes stage
stores them). Each quote of the copy is matched to the source quote it lines up with best, word by word
(`quotes.trail.word_containment`, the measure the quote trails use); a matched pair is then compared with
`quotes.trail.compare`, so an edge shows exactly the alterations a quote trail would show, but between the
copy and its *immediate* source rather than the quote's first appearance.

Word changes count between two direct quotes (inside quote marks) or two pieces of reported speech (the words
attributed to the speaker cut or changed; `direct` says which), never between a quote and a paraphrase of it; a
change of speaker counts for any attribution, when both speakers are resolved to names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..quotes.models import Attribution, QuoteAppearance
from ..quotes.trail import compare, word_containment, words

__all__ = ["QUOTE_ALTERED", "QUOTE_REATTRIBUTED", "attributions_from", "quote_changes", "change_labels"]

QUOTE_ALTERED = "altered quote"
QUOTE_REATTRIBUTED = "re-attributed quote"
MIN_WORDS = 4  # shorter quotes match too easily by chance
_FIELDS = frozenset(Attribution.__slots__)  # type: ignore[attr-defined]
MATCH = 0.75  # share of the shorter quote's words that must line up, in order (as quote trails use)


def attributions_from(rows: Iterable[Attribution | Mapping[str, Any]]) -> list[Attribution]:
    """Attributions from stored rows (dicts of the `Attribution` fields) or the values themselves."""
    out = []
    for r in rows:
        if isinstance(r, Attribution):
            out.append(r)
        else:
            out.append(Attribution(**{k: v for k, v in r.items() if k in _FIELDS}))
    return out


def _best_match(att: Attribution, ws: list[str], source: list[tuple[Attribution, list[str]]]
                ) -> Attribution | None:
    """The source quote lining up best with `att` (a quote of the same kind wins a tie), or None."""
    best: tuple[float, bool] | None = None
    out = None
    for cand, cws in source:
        key = (word_containment(ws, cws), cand.direct == att.direct)
        if key[0] >= MATCH and (best is None or key > best):
            best, out = key, cand
    return out


def quote_changes(source_id: int, source: list[Attribution], copy_id: int, copy: list[Attribution],
                  quote_ids: Mapping[tuple[int, int], int] | None = None) -> list[dict[str, Any]]:
    """The copy's quotes that differ from the source's: one dict per alteration.

    Keys: `kind` ("words" or "speaker"), `before` / `after` (the quote's words in the source and in the copy,
    or the two speakers), `removed` / `added` (word runs), `similarity`, `copy_start` / `copy_end` and
    `source_start` / `source_end` (offsets into each article's text), and `quote_id` (the stored quote trail
    the source's quote belongs to, from `quote_ids[(article id, content_start)]`, or None).
    """
    src = [(a, words(a.content)) for a in source]
    src = [(a, ws) for a, ws in src if len(ws) >= MIN_WORDS]
    out: list[dict[str, Any]] = []
    used: set[int] = set()
    for att in copy:
        ws = words(att.content)
        if len(ws) < MIN_WORDS or not src:
            continue
        before = _best_match(att, ws, src)
        if before is None:
            continue
        if id(before) in used:
            continue  # the same source quote repeated in the copy: one change
        first = QuoteAppearance(source_id, None, before.content, before.speaker_name, before.content_start,
                                before.content_end)
        later = QuoteAppearance(copy_id, None, att.content, att.speaker_name, att.content_start, att.content_end)
        qid = (quote_ids or {}).get((source_id, before.content_start))
        for alt in compare(first, later):
            if alt.kind == "words" and att.direct != before.direct:
                continue  # a quote turned into reported speech (or back) is rewording, not an altered quote
            used.add(id(before))
            change: dict[str, Any] = {
                "quote_id": qid, "kind": alt.kind, "direct": bool(att.direct), "similarity": alt.similarity,
                "removed": list(alt.removed), "added": list(alt.added),
                "source_start": before.content_start, "source_end": before.content_end,
                "copy_start": att.content_start, "copy_end": att.content_end,
            }
            if alt.kind == "words":
                change.update(before=before.content, after=att.content)
            else:
                change.update(before=alt.speaker_before, after=alt.speaker_after)
            out.append(change)
    return out


def change_labels(changes: list[dict[str, Any]]) -> list[str]:
    """The labels an edge's `changed` list gets for these quote changes."""
    kinds = {c["kind"] for c in changes}
    return [label for kind, label in (("words", QUOTE_ALTERED), ("speaker", QUOTE_REATTRIBUTED)) if kind in kinds]
