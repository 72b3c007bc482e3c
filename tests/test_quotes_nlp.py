"""The optional trained-pipeline layer: detection of an installed spaCy model, and refinement of speakers.

spaCy is not needed here: models are fakes with hand-written entities for invented texts, and
detection runs against a fake `spacy` module.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from newstrace.quotes import Attribution, extract_attributions, nlp
from newstrace.quotes.refine import Analysis, Entity, Subject, refine

TEXTS = [
    "“The port will close,” said Anna Berg, the city engineer. She added that jobs would go.",
    "Brightwater Logistics said the port will close.\n\n“We regret the decision and we will support every worker.”",
    "“The port will close,” said Kwame ole Sankok.",
    "“The port will close,” Kwame Mensah of Brightwater said.",
    "Harbour Authority Chair Ines Duarte said the port will close.",
    "“The port will close,” said Montserrat. Officials familiar with the talks said no date was set.",
    "Kwame Mensah said the port will close. “Nobody was consulted,” said Mensah.",
]


@dataclass
class FakeModel:
    """Entities by surface text (every occurrence), as a trained pipeline would label them."""

    labels: dict[str, str] = field(default_factory=dict)
    name: str = "fake"
    calls: int = 0

    def analyse(self, text: str) -> Analysis:
        self.calls += 1
        ents: list[Entity] = []
        for surface, label in sorted(self.labels.items(), key=lambda kv: -len(kv[0])):  # longest first, no overlaps
            at = text.find(surface)
            while at >= 0:
                if not any(e.start < at + len(surface) and at < e.end for e in ents):
                    ents.append(Entity(at, at + len(surface), label))
                at = text.find(surface, at + 1)
        return Analysis(tuple(sorted(ents, key=lambda e: e.start)))


@pytest.fixture(autouse=True)
def _fresh_choice(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(nlp.ENV_VAR, raising=False)
    nlp.reset()
    yield
    nlp.reset()


def _speaker(text: str, a: Attribution) -> str:
    assert a.speaker_start is not None and a.speaker_end is not None
    return text[a.speaker_start:a.speaker_end]


# -- the default path stands on its own --------------------------------------------------------
@pytest.mark.parametrize("text", TEXTS)
def test_without_a_model_the_result_is_the_rules(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = extract_attributions(text, model=None)
    assert rules
    assert extract_attributions(text, model=FakeModel()) == rules  # a model that finds nothing changes nothing
    monkeypatch.setenv(nlp.ENV_VAR, "none")
    assert extract_attributions(text) == rules  # "auto" with the override off


def test_auto_without_spacy_is_the_rule_path() -> None:
    if importlib.util.find_spec("spacy") is not None:
        pytest.skip("spaCy is installed here; the absent case is covered by the monkeypatched tests below")
    assert nlp.load_model() is None
    assert nlp.model_info() == {"path": "rules", "model": None, "reason": "spaCy is not installed"}
    assert "spacy" not in sys.modules  # detection never imports spaCy when it is absent


def test_the_model_is_not_run_without_attributions_or_for_other_languages() -> None:
    fake = FakeModel({"Anna Berg": "PERSON"})
    assert extract_attributions("The port closed on Monday after a storm.", model=fake) == []
    extract_attributions("« Le port fermera », a déclaré Anna Berg.", language="fr", model=fake)
    assert fake.calls == 0


# -- entities decide person or organisation ----------------------------------------------------
def test_an_organisation_entity_turns_a_rule_person_into_an_organisation_and_its_floating_quote_follows() -> None:
    text = TEXTS[1]
    rules = extract_attributions(text, model=None)
    assert [(a.speaker_name, a.kind) for a in rules] == [("Brightwater Logistics", "named-person")] * 2
    got = extract_attributions(text, model=FakeModel({"Brightwater Logistics": "ORG"}))
    assert [(a.speaker_name, a.kind) for a in got] == [("Brightwater Logistics", "named-organisation")] * 2
    assert got[1].speaker_start is None and got[1].content.startswith("We regret")  # the floating quote, renamed


def test_a_place_entity_is_an_organisation() -> None:
    text = TEXTS[5]
    assert extract_attributions(text, model=None)[0].kind == "named-person"
    got = extract_attributions(text, model=FakeModel({"Montserrat": "GPE"}))
    assert (got[0].speaker_name, got[0].kind) == ("Montserrat", "named-organisation")
    assert got[1:] == extract_attributions(text, model=None)[1:]  # the anonymous officials are untouched


def test_a_person_entity_extends_a_name_the_rules_cut_short() -> None:
    text = TEXTS[2]
    rules = extract_attributions(text, model=None)[0]
    assert rules.speaker_name == "Kwame"
    a = extract_attributions(text, model=FakeModel({"Kwame ole Sankok": "PERSON"}))[0]
    assert a.speaker_name == "Kwame ole Sankok" and _speaker(text, a) == "Kwame ole Sankok" == a.speaker
    assert a.kind == "named-person" and (a.content, a.cue) == (rules.content, rules.cue)


def test_a_person_entity_trims_the_name_to_the_person_and_keeps_the_mention() -> None:
    text = TEXTS[3]
    assert extract_attributions(text, model=None)[0].speaker_name == "Brightwater"
    a = extract_attributions(text, model=FakeModel({"Kwame Mensah": "PERSON", "Brightwater": "ORG"}))[0]
    assert (a.speaker_name, a.kind) == ("Kwame Mensah", "named-person")
    assert _speaker(text, a) == "Kwame Mensah of Brightwater"  # the affiliation stays in the mention


def test_an_organisation_next_to_a_person_does_not_win() -> None:
    text = TEXTS[4]
    rules = extract_attributions(text, model=None)
    assert rules[0].speaker_name == "Ines Duarte" and rules[0].role == "Harbour Authority Chair"
    got = extract_attributions(text, model=FakeModel({"Harbour Authority": "ORG", "Ines Duarte": "PERSON"}))
    assert got == rules


def test_a_name_resolved_from_a_surname_is_kept() -> None:
    text = TEXTS[6]
    got = extract_attributions(text, model=FakeModel({"Kwame Mensah": "PERSON", "Mensah": "PERSON"}))
    assert [a.speaker_name for a in got] == ["Kwame Mensah", "Kwame Mensah"]
    assert got == extract_attributions(text, model=None)


def test_labels_other_than_people_and_organisations_are_ignored() -> None:
    text = TEXTS[1]
    assert extract_attributions(text, model=FakeModel({"Brightwater Logistics": "PRODUCT"})) == \
        extract_attributions(text, model=None)


# -- the subject of a cue with no speaker ------------------------------------------------------
def _cue_only(text: str, cue: str) -> Attribution:
    c0 = text.index(cue)
    return Attribution(content_start=0, content_end=c0 - 2, content=text[:c0 - 2], cue=cue, cue_start=c0,
                       cue_end=c0 + len(cue), kind="anonymous", confidence=0.8)


def test_a_cue_without_speaker_takes_the_verb_subject_when_it_is_an_entity() -> None:
    text = "Kwame Mensah spoke first. The port will close, the harbour's owner Mensah insisted."
    earlier = Attribution(content_start=0, content_end=5, content="x", speaker="Kwame Mensah", speaker_start=0,
                          speaker_end=12, speaker_name="Kwame Mensah", kind="named-person")
    orphan = _cue_only(text, "insisted")
    s0 = text.index("the harbour's")
    subj = Subject(orphan.cue_start or 0, orphan.cue_end or 0, s0, text.index(" insisted"))
    mensah = text.rindex("Mensah")
    analysis = Analysis((Entity(mensah, mensah + 6, "PERSON"),), (subj,))
    got = refine(text, [earlier, orphan], analysis)
    assert got[0] == earlier
    b = got[1]
    assert (b.speaker, b.speaker_name, b.kind) == ("the harbour's owner Mensah", "Kwame Mensah", "named-person")
    assert orphan.speaker is None  # the input is never modified
    # a subject that is no entity gives no speaker
    plain = Analysis((Entity(0, 12, "PERSON"),), (subj,))
    assert refine(text, [orphan], plain) == [orphan]


# -- the spaCy adapter, over objects shaped like a spaCy Doc -----------------------------------
@dataclass
class _Tok:
    text: str
    idx: int
    dep_: str = ""
    head: Any = None
    left_edge: Any = None
    right_edge: Any = None


@dataclass
class _Ent:
    start_char: int
    end_char: int
    label_: str


@dataclass
class _Doc:
    tokens: list[_Tok]
    ents: list[_Ent]
    parsed: bool = True

    def __iter__(self) -> Iterator[_Tok]:
        return iter(self.tokens)

    def has_annotation(self, attr: str) -> bool:
        return self.parsed and attr == "DEP"


def _fake_doc(text: str) -> _Doc:
    """"The harbour owner insisted.": subject "The harbour owner", entity-free except ORG on "harbour"."""
    words, toks, at = text.rstrip(".").split(), [], 0
    for w in words:
        at = text.index(w, at)
        toks.append(_Tok(w, at))
        at += len(w)
    verb, owner = toks[3], toks[2]
    owner.dep_, owner.head, owner.left_edge, owner.right_edge = "nsubj", verb, toks[0], owner
    for t in toks:
        if t.head is None:
            t.head = t
    return _Doc(toks, [_Ent(4, 11, "ORG")])


def test_spacy_adapter_reads_entities_and_subjects() -> None:
    text = "The harbour owner insisted."
    model = nlp.SpacyModel(_fake_doc, "en_fake")
    got = model.analyse(text)
    assert got.entities == (Entity(4, 11, "ORG"),)
    assert got.subjects == (Subject(18, 26, 0, 17),)
    assert text[0:17] == "The harbour owner" and text[18:26] == "insisted"

    def unparsed(t: str) -> _Doc:
        doc = _fake_doc(t)
        doc.parsed = False
        return doc

    assert nlp.SpacyModel(unparsed, "en_fake").analyse(text).subjects == ()


def test_spacy_adapter_skips_texts_longer_than_the_pipeline_accepts() -> None:
    def pipeline(t: str) -> _Doc:
        raise AssertionError("must not run")

    fn: Any = pipeline
    fn.max_length = 10
    assert nlp.SpacyModel(fn, "en_fake").analyse("x" * 11) == Analysis()


# -- detection ---------------------------------------------------------------------------------
def _fake_spacy(monkeypatch: pytest.MonkeyPatch, installed: list[str] | None, load: Any = None,
                packages: set[str] | None = None) -> types.ModuleType:
    """Make `spacy` look installed, with `installed` pipelines (None: a spaCy without get_installed_models)."""
    spacy = types.ModuleType("spacy")
    util = types.ModuleType("spacy.util")
    if installed is not None:
        util.get_installed_models = lambda: list(installed)  # type: ignore[attr-defined]
    util.is_package = lambda name: name in (packages if packages is not None else set(installed or []))  # type: ignore[attr-defined]
    spacy.util = util  # type: ignore[attr-defined]
    spacy.__version__ = "3.9.9"  # type: ignore[attr-defined]
    spacy.load = load or (lambda name: _FakePipeline(name))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "spacy", spacy)
    monkeypatch.setitem(sys.modules, "spacy.util", util)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: object() if name == "spacy" else real(name, *args))
    return spacy


class _FakePipeline:
    """A loaded 'pipeline' that labels Brightwater Logistics an organisation."""

    def __init__(self, name: str) -> None:
        self.meta = {"version": "3.9.0", "name": name}

    def __call__(self, text: str) -> _Doc:
        at = text.find("Brightwater Logistics")
        return _Doc([], [_Ent(at, at + 21, "ORG")] if at >= 0 else [])


def test_choose_without_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    assert nlp.choose() == nlp.Choice(None, "spaCy is not installed")
    monkeypatch.setenv(nlp.ENV_VAR, "en_core_web_sm")
    assert nlp.choose().model is None and "ignored" in nlp.choose().reason


@pytest.mark.parametrize(("installed", "expected"), [
    (["en_core_web_sm", "en_core_web_md"], "en_core_web_md"),
    (["en_core_web_sm", "en_core_web_trf", "en_core_web_lg"], "en_core_web_trf"),
    (["en_core_web_sm"], "en_core_web_sm"),
    (["de_core_news_sm"], None),
    ([], None),
])
def test_choose_prefers_the_largest_installed_english_pipeline(monkeypatch: pytest.MonkeyPatch,
                                                             installed: list[str], expected: str | None) -> None:
    _fake_spacy(monkeypatch, installed)
    assert nlp.choose().model == expected


def test_choose_asks_for_each_name_when_spacy_cannot_list_models(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_spacy(monkeypatch, None, packages={"en_core_web_lg"})
    assert nlp.choose().model == "en_core_web_lg"


def test_the_environment_overrides_the_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_spacy(monkeypatch, ["en_core_web_sm", "en_core_web_lg"], packages={"en_core_web_sm", "my_newsroom_ner"})
    monkeypatch.setenv(nlp.ENV_VAR, "none")
    assert nlp.choose() == nlp.Choice(None, f"{nlp.ENV_VAR}=none")
    monkeypatch.setenv(nlp.ENV_VAR, "en_core_web_sm")
    assert nlp.choose().model == "en_core_web_sm"
    monkeypatch.setenv(nlp.ENV_VAR, "my_newsroom_ner")
    assert nlp.choose().model == "my_newsroom_ner"
    monkeypatch.setenv(nlp.ENV_VAR, "en_core_web_xl")
    assert nlp.choose().model is None and "not an installed" in nlp.choose().reason


def test_an_installed_pipeline_is_loaded_once_logged_once_and_used(monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    loads: list[str] = []

    def load(name: str) -> _FakePipeline:
        loads.append(name)
        return _FakePipeline(name)

    _fake_spacy(monkeypatch, ["en_core_web_sm"], load=load)
    text = TEXTS[1]
    with caplog.at_level(logging.INFO, logger="newstrace.quotes"):
        got = extract_attributions(text)
        extract_attributions(text)
        info = nlp.model_info()
    assert loads == ["en_core_web_sm"]
    assert [r.getMessage() for r in caplog.records] == [
        "quotes: refining speakers with spaCy pipeline en_core_web_sm (installed)"]
    assert info == {"path": "spacy", "model": "en_core_web_sm", "reason": "installed",
                    "versions": {"spacy": "3.9.9", "model": "3.9.0"}}
    assert [a.kind for a in got] == ["named-organisation"] * 2
    assert [a.kind for a in extract_attributions(text, model=None)] == ["named-person"] * 2


def test_a_pipeline_that_fails_to_load_falls_back_to_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(name: str) -> Any:
        raise OSError("[E050] Can't find model")

    _fake_spacy(monkeypatch, ["en_core_web_sm"], load=load)
    assert extract_attributions(TEXTS[1]) == extract_attributions(TEXTS[1], model=None)
    info = nlp.model_info()
    assert info["path"] == "rules" and "loading en_core_web_sm failed: OSError" in info["reason"]


def test_renames_follow_the_same_speaker_but_a_trimmed_name_is_not_spread() -> None:
    text = "“The port will close,” said Kwame, the harbour master. Kwame later said that jobs would go."
    rules = extract_attributions(text, model=None)
    assert [a.speaker_name for a in rules] == ["Kwame", "Kwame"]
    first = text.index("Kwame")
    extended = refine(text, rules, Analysis((Entity(first, first + 5, "PERSON"),)))
    assert extended == rules  # the entity agrees with the rules: nothing to do
    text2 = text.replace("said Kwame,", "said Kwame ole Sankok,")
    rules2 = extract_attributions(text2, model=None)
    assert [a.speaker_name for a in rules2] == ["Kwame", "Kwame"]
    # only the first mention is labelled
    ent = Analysis((Entity(text2.index("Kwame"), text2.index(", the harbour"), "PERSON"),))
    assert [a.speaker_name for a in refine(text2, rules2, ent)] == ["Kwame ole Sankok"] * 2
    text3 = "“The port will close,” Kwame Mensah of Brightwater said. Brightwater said later that jobs would go."
    rules3 = extract_attributions(text3, model=None)
    assert [a.speaker_name for a in rules3] == ["Brightwater", "Brightwater"]
    got = refine(text3, rules3, Analysis((Entity(text3.index("Kwame"), text3.index(" of"), "PERSON"),)))
    assert [a.speaker_name for a in got] == ["Kwame Mensah", "Brightwater"]
    assert got[1] == rules3[1]


def test_a_model_that_fails_on_a_text_keeps_the_rule_result(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        name = "broken"

        def analyse(self, text: str) -> Analysis:
            raise ValueError("[E088] Text of length 2000000 exceeds maximum")

    with caplog.at_level(logging.WARNING, logger="newstrace.quotes"):
        assert extract_attributions(TEXTS[1], model=Broken()) == extract_attributions(TEXTS[1], model=None)
    assert "broken failed on a text (ValueError" in caplog.text
