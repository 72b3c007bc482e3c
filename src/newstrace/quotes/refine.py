"""Refine rule-based attributions with a trained model's entities and subjects (optional layer).

The rules decide person versus organisation from capitals and word lists; a trained English
pipeline knows better. `refine(text, attributions, analysis)` takes the rule-based attributions and
what a model found in the text (entity spans with labels, subjects of verbs) and returns new
attributions where:

1. a named speaker is a named person when a PERSON entity overlaps its name (or, for a speaker the
   rules already call a person, anywhere in its mention: the last such entity is the name), and a
   named organisation when its whole name lies inside an organisation-like entity (ORG, GPE, NORP)
   and no PERSON entity touches the mention;
2. a name written in the mention takes the entity's boundaries: "said Kwame" with the entity
   "Kwame ole Sankok" is extended, "Kwame Mensah of Brightwater" (the rules read "Brightwater") is
   trimmed to "Kwame Mensah"; the speaker span grows to cover the entity and never shrinks (the
   words around the name are a role or an affiliation); a name the rules resolved from elsewhere
   ("Mensah" -> "Kwame Mensah") is kept;
3. other attributions given to the same speaker (pronouns, floating quotes, a later bare mention the
   model has no entity for) follow a change of kind or an extended name, but not a trimmed one
   ("Brightwater" read for "Kwame Mensah of Brightwater" says nothing about "Brightwater said");
4. an attribution with a cue but no speaker takes the subject of the cue verb as speaker when that
   subject is a PERSON or organisation entity.

Nothing else changes, and with an empty analysis the output equals the input. The model itself is
found and run by `nlp.py`; this module is pure and needs no spaCy, so tests inject hand-written
analyses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from .models import Attribution

PERSON_LABELS = frozenset({"PERSON", "PER"})
ORG_LABELS = frozenset({"ORG", "GPE", "NORP"})
NAMED_KINDS = frozenset({"named-person", "named-organisation"})


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity a model found: character offsets into the text and its label (PERSON, ORG, ...)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Subject:
    """The subject noun phrase (`start`, `end`) of the verb at (`verb_start`, `verb_end`)."""

    verb_start: int
    verb_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """What a model found in one text."""

    entities: tuple[Entity, ...] = ()
    subjects: tuple[Subject, ...] = ()


class Model(Protocol):
    """Anything that analyses a text: the spaCy adapter in `nlp.py`, or a fake in tests."""

    name: str

    def analyse(self, text: str) -> Analysis: ...


def refine(text: str, attributions: list[Attribution], analysis: Analysis) -> list[Attribution]:
    """The attributions with speakers corrected by a model's entities and subjects (new objects; input untouched)."""
    if not analysis.entities:
        return list(attributions)
    ents = sorted((e for e in analysis.entities if e.label in PERSON_LABELS | ORG_LABELS),
                  key=lambda e: (e.start, e.end))
    out: list[Attribution] = []
    renames: dict[str, tuple[str, str]] = {}  # rule name -> (new name, new kind)
    touched: set[int] = set()
    for i, a in enumerate(attributions):
        new = _refine_named(text, a, ents, renames)
        if new is None:
            new = _from_subject(text, a, ents, analysis.subjects, out)
        if new is not None:
            touched.add(i)
        out.append(new or a)
    if renames:
        for i, a in enumerate(out):
            if i not in touched and a.speaker_name in renames:
                name, kind = renames[a.speaker_name]
                out[i] = replace(a, speaker_name=name, kind=kind if a.kind in NAMED_KINDS else a.kind)
    return out


def _overlapping(ents: list[Entity], start: int, end: int) -> list[Entity]:
    return [e for e in ents if e.start < end and start < e.end]


def _name_span(text: str, a: Attribution) -> tuple[int, int, bool]:
    """Where the speaker's name is written inside its mention, and whether it is written there in full."""
    assert a.speaker_start is not None and a.speaker_end is not None
    s, e = a.speaker_start, a.speaker_end
    name = a.speaker_name or ""
    mention = text[s:e]
    at = mention.rfind(name) if name else -1
    if at >= 0:
        return s + at, s + at + len(name), True
    last = name.split()[-1] if name.split() else ""
    at = mention.rfind(last) if last else -1
    if at >= 0:
        return s + at, s + at + len(last), False
    return s, e, False


def _refine_named(text: str, a: Attribution, ents: list[Entity],
                  renames: dict[str, tuple[str, str]]) -> Attribution | None:
    """Rules 1 and 2 for one attribution with a named speaker; None when nothing changes."""
    if a.kind not in NAMED_KINDS or a.speaker_start is None or a.speaker_end is None:
        return None
    n0, n1, literal = _name_span(text, a)
    in_mention = _overlapping(ents, a.speaker_start, a.speaker_end)
    people = [e for e in in_mention if e.label in PERSON_LABELS
              and (a.kind == "named-person" or (e.start < n1 and n0 < e.end))]
    orgs = [e for e in _overlapping(ents, n0, n1) if e.label in ORG_LABELS]
    if people:
        # the rules said person: the model says which words are the name ("Kwame Mensah of Brightwater")
        ent, kind = people[-1], "named-person"
    elif not any(e.label in PERSON_LABELS for e in in_mention) and orgs and orgs[0].start <= n0 and n1 <= orgs[0].end:
        ent, kind = orgs[0], "named-organisation"  # the whole name inside one organisation, no person in sight
    else:
        return None
    ent_text = text[ent.start:ent.end]
    if kind == "named-organisation":
        ent_text = _strip_article(ent_text)
    name = a.speaker_name
    if literal or kind != a.kind or not (ent.start < n1 and n0 < ent.end):
        name = ent_text
    start = min(a.speaker_start, ent.start)
    end = max(a.speaker_end, ent.end)  # the mention grows to a name the rules cut short; never shrinks
    if (name, kind, start, end) == (a.speaker_name, a.kind, a.speaker_start, a.speaker_end):
        return None
    if a.speaker_name and name and a.speaker_name in name and (name, kind) != (a.speaker_name, a.kind):
        # the same speaker, better named: "Kwame" -> "Kwame ole Sankok"; a trimmed name is another speaker
        renames.setdefault(a.speaker_name, (name, kind))
    return replace(a, speaker_name=name, kind=kind, speaker_start=start, speaker_end=end, speaker=text[start:end])


def _from_subject(text: str, a: Attribution, ents: list[Entity], subjects: tuple[Subject, ...],
                  before: list[Attribution]) -> Attribution | None:
    """Rule 4: a cue with no speaker takes its verb's subject, when that subject is a named entity."""
    if a.speaker_start is not None or a.cue_start is None or a.cue_end is None:
        return None
    subj = next((s for s in subjects if s.verb_start < a.cue_end and a.cue_start < s.verb_end), None)
    if subj is None:
        return None
    near = _overlapping(ents, subj.start, subj.end)
    people = [e for e in near if e.label in PERSON_LABELS]
    if people:
        ent, kind = people[-1], "named-person"
    elif near:
        ent, kind = near[0], "named-organisation"
    else:
        return None
    name = text[ent.start:ent.end]
    if kind == "named-person" and " " not in name:  # a surname: the full name of an earlier speaker
        name = next((b.speaker_name for b in reversed(before) if b.kind == "named-person" and b.speaker_name
                     and " " in b.speaker_name and b.speaker_name.split()[-1] == name), name)
    else:
        name = _strip_article(name) if kind == "named-organisation" else name
    kind = a.kind if a.kind == "social-media" else kind
    return replace(a, speaker=text[subj.start:subj.end], speaker_start=subj.start, speaker_end=subj.end,
                   speaker_name=name, kind=kind)


def _strip_article(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    return rest if first.lower() == "the" and rest else phrase
