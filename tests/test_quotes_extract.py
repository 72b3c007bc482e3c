"""Attribution extraction: every pattern the extractor claims to read, on invented sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.quotes import Attribution, extract_attributions
from newstrace.quotes.direct import find_quotes, quote_text
from newstrace.quotes.tokens import sentences, tokenize


def _one(text: str) -> Attribution:
    atts = extract_attributions(text)
    assert len(atts) == 1, atts
    return atts[0]


def _span(text: str, a: Attribution) -> str:
    return text[a.content_start:a.content_end]


# -- quotation marks -------------------------------------------------------------------------
@pytest.mark.parametrize("open_, close", [("“", "”"), ('"', '"'), ("«", "»"), ("“", '"')])
def test_direct_quote_marks(open_: str, close: str) -> None:
    text = f"{open_}The bridge will reopen in May,{close} said Anna Berg, the city engineer."
    a = _one(text)
    assert a.direct and a.content == "The bridge will reopen in May,"
    assert _span(text, a).startswith(open_) and a.speaker_name == "Anna Berg"
    assert a.role == "city engineer" and a.cue == "said" and a.kind == "named-person"


def test_unbalanced_quote_runs_to_paragraph_end() -> None:
    text = "Anna Berg said: “The bridge will reopen in May and the ferry will stop\nThe council met later."
    qs = find_quotes(text)
    assert len(qs) == 1 and not qs[0].closed and text[qs[0].end - 1] == "p"
    a = _one(text)
    assert a.direct and a.content.endswith("ferry will stop") and a.speaker_name == "Anna Berg"


def test_stray_closing_mark_is_tolerated() -> None:
    text = "The council met on Monday.” Anna Berg said the bridge will reopen in May."
    a = _one(text)
    assert a.speaker_name == "Anna Berg" and _span(text, a) == "the bridge will reopen in May"


def test_multi_paragraph_quote_is_one_quote() -> None:
    text = ("Anna Berg, the city engineer, said: “The bridge will reopen in May.\n"
            "“The ferry will stop running the same week, and the buses will follow the old routes.”\n"
            "The council did not comment.")
    qs = find_quotes(text)
    assert len(qs) == 1 and qs[0].paragraphs == 2
    a = _one(text)
    assert a.direct and "ferry will stop" in a.content and "reopen in May" in a.content
    assert a.speaker_name == "Anna Berg" and a.role == "city engineer"


def test_quote_interrupted_and_cue_after_multi_sentence_quote() -> None:
    text = "“We tried. We failed twice,” Berg said. “It will not happen again,” she added."
    atts = extract_attributions(text)
    assert [a.content for a in atts] == ["We tried. We failed twice,", "It will not happen again,"]
    assert atts[1].speaker == "she"


def test_two_apostrophes_as_quote_marks() -> None:
    text = "''The ferry will stop running next week,'' Mr. Lund said."
    a = _one(text)
    assert a.direct and a.content == "The ferry will stop running next week," and a.speaker_name == "Lund"


def test_partial_quote_inside_reported_speech() -> None:
    text = "Anna Berg said the plan was “a disaster for the harbour” and would be dropped."
    a = _one(text)
    assert not a.direct and a.partial and "“a disaster for the harbour”" in a.content


def test_scare_quotes_alone_are_not_attributions() -> None:
    assert extract_attributions("The so-called “green corridor” opened on Monday along the river.") == []


# -- reported speech -------------------------------------------------------------------------
@pytest.mark.parametrize("text, content", [
    ("Anna Berg said that the bridge will reopen in May.", "that the bridge will reopen in May"),
    ("Anna Berg said the bridge will reopen in May.", "the bridge will reopen in May"),
    ("Anna Berg told reporters on Monday that the bridge will reopen in May.", "that the bridge will reopen in May"),
    ("Anna Berg told the Harbour Gazette the bridge will reopen in May.", "the bridge will reopen in May"),
    ("The bridge will reopen in May, Anna Berg said.", "The bridge will reopen in May"),
    ("The bridge will reopen in May, said Anna Berg.", "The bridge will reopen in May"),
    ("The bridge will reopen in May, Anna Berg said in a statement on Monday.", "The bridge will reopen in May"),
    ("Anna Berg warned that the bridge will not reopen before May.", "that the bridge will not reopen before May"),
    ("Anna Berg claimed the bridge was safe for lorries.", "the bridge was safe for lorries"),
])
def test_reported_speech_forms(text: str, content: str) -> None:
    a = _one(text)
    assert _span(text, a) == content and a.speaker_name == "Anna Berg" and not a.direct


def test_parenthetical_cue_keeps_both_halves() -> None:
    text = "The bridge, Anna Berg said, will reopen in May."
    a = _one(text)
    assert _span(text, a) == "The bridge, Anna Berg said, will reopen in May"


def test_according_to_before_and_after() -> None:
    t1 = "According to Anna Berg, the bridge will reopen in May."
    t2 = "The bridge will reopen in May, according to Anna Berg."
    a1, a2 = _one(t1), _one(t2)
    assert _span(t1, a1) == "the bridge will reopen in May" and a1.cue == "According to"
    assert _span(t2, a2) == "The bridge will reopen in May" and a2.speaker_name == "Anna Berg"


def test_colon_attribution_at_paragraph_start() -> None:
    text = "Anna Berg: the bridge will reopen in May and not a day later.\nDisclaimer: the views are the author's."
    a = _one(text)
    assert a.cue == ":" and a.speaker_name == "Anna Berg" and a.content.startswith("the bridge")


def test_verbs_that_are_not_speech_are_ignored() -> None:
    for text in ("The United States imposed new tariffs on steel last week.",
                 "His comments drew criticism from the council.",
                 "Anna Berg was told that the bridge would reopen in May."):
        assert extract_attributions(text) == [], text


def test_floating_quote_continues_previous_speaker() -> None:
    text = ("“The bridge will reopen in May,” Anna Berg said.\n"
            "“We have tested every cable twice and the results are good.”\n"
            "The council met on Monday.")
    atts = extract_attributions(text)
    assert len(atts) == 2
    assert atts[1].cue is None and atts[1].speaker_name == "Anna Berg" and atts[1].direct
    assert atts[1].confidence < atts[0].confidence


def test_floating_quote_without_a_speaker_before_is_dropped() -> None:
    assert extract_attributions("“We have tested every cable twice and the results are good.”") == []


# -- speakers and roles ----------------------------------------------------------------------
def test_pronoun_surname_and_title_resolution() -> None:
    text = ("Harbour Authority spokeswoman Anna Berg said the bridge will reopen in May. "
            "Olaf Lund, a councillor, said the date was too late.\n"
            "“We will not wait,” she said. “It is a matter of weeks,” Berg added. "
            "The delay is costly, the spokeswoman stressed. The plan is sound, he insisted.")
    atts = extract_attributions(text)
    names = [a.speaker_name for a in atts]
    assert names == ["Anna Berg", "Olaf Lund", "Anna Berg", "Anna Berg", "Anna Berg", "Olaf Lund"]
    assert atts[0].role == "Harbour Authority spokeswoman" and atts[1].role == "councillor"
    assert atts[4].speaker == "the spokeswoman" and atts[4].role == "Harbour Authority spokeswoman"


def test_roles_from_appositions_before_and_after_name() -> None:
    t1 = "Head of the Harbour Authority’s Bridge Department Olaf Lund said the cables were replaced."
    t2 = "Olaf Lund, head of the Harbour Authority’s bridge department, said the cables were replaced."
    t3 = "“The cables were replaced,” said Olaf Lund, head of the bridge department."
    for text in (t1, t2, t3):
        a = _one(text)
        assert a.speaker_name == "Olaf Lund", text
        assert a.role and a.role.lower().startswith("head of the"), (text, a.role)


# -- sourcing kinds --------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind", [
    ("Anna Berg said the bridge will reopen in May.", "named-person"),
    ("The Harbour Authority said in a statement that the bridge will reopen in May.", "named-organisation"),
    ("Officials said the bridge will reopen in May.", "anonymous"),
    ("According to local sources, the bridge will reopen in May.", "anonymous"),
    ("A source familiar with the plans said the bridge will reopen in May.", "anonymous"),
    ("The bridge will reopen in May, a senior official told reporters.", "anonymous"),
    ("According to the leaked memo, the bridge will reopen in May.", "document"),
    ("The report said the bridge will reopen in May.", "document"),
    ("Anna Berg wrote on Telegram: “The bridge will reopen in May.”", "social-media"),
    ("Anna Berg tweeted that the bridge will reopen in May.", "social-media"),
    ("“The bridge will reopen in May,” Anna Berg said in a Facebook post.", "social-media"),
])
def test_sourcing_kinds(text: str, kind: str) -> None:
    assert _one(text).kind == kind


def test_languages_without_rules_give_nothing_and_bad_input_is_safe() -> None:
    assert extract_attributions("„Die Brücke öffnet im Mai“, sagte Anna Berg.", "de") == []
    assert [a.speaker_name for a in extract_attributions("«Мост откроется в мае», — заявила Анна Берг.", "ru")] \
        == ["Анна Берг"]  # Russian has its own rules (test_quotes_languages.py)
    assert extract_attributions("", "en") == [] and extract_attributions("   \n\n", None) == []
    assert extract_attributions("“", "en") == [] and extract_attributions('"""', "en") == []


def test_offsets_point_into_the_text() -> None:
    text = "Intro.\n“The bridge will reopen in May,” Anna Berg said.\nAnna Berg told reporters the date was firm."
    for a in extract_attributions(text):
        assert text[a.cue_start:a.cue_end] == a.cue
        assert text[a.speaker_start:a.speaker_end] == a.speaker
        assert quote_text(text, a.content_start, a.content_end) == a.content or not a.direct


def test_sentences_do_not_split_inside_quotes_or_abbreviations() -> None:
    text = "Mr. Lund said “It failed. We tried,” she said. The U.S. Army left. Then it ended."
    qs = [(q.start, q.end) for q in find_quotes(text)]
    got = [text[a:b] for a, b in sentences(text, 0, len(text), qs)]
    assert got == ["Mr. Lund said “It failed. We tried,” she said.", "The U.S. Army left.", "Then it ended."]
    assert [t.text for t in tokenize("Ministry’s U.S. said.")] == ["Ministry", "’s", "U.S.", "said", "."]


def test_public_names() -> None:
    import newstrace.quotes as q

    assert set(q.__all__) == {"extract_attributions", "Attribution", "QuoteAppearance", "QuoteTrail", "Alteration",
                              "KINDS"}
    assert q.KINDS == ("named-person", "named-organisation", "anonymous", "document", "social-media")


@pytest.mark.parametrize("text, speaker, content", [
    ("“We need it now!” Anna Berg said on Telegram.", "Anna Berg", "We need it now!"),
    ("“It is unusual,“ said Olaf Lund, an engineer with the Harbour Authority.", "Olaf Lund", "It is unusual,"),
    ("“There was a leak,” said a former senior harbour safety official.", None, "There was a leak,"),
    ("Anna Berg, 54, a ferry captain from Riga, said the crossing was safe.", "Anna Berg",
     "the crossing was safe"),
    ("Sen. Olaf Lund (D-R.I.) said the crossing was safe.", "Olaf Lund", "the crossing was safe"),
    ("Walking to the pier, Anna Berg pointed at the cables and said they had been replaced.", "Anna Berg",
     "they had been replaced"),
    ("The harbour's director, Olaf Lund, said the crossing was safe.", "Olaf Lund", "the crossing was safe"),
])
def test_harder_speaker_forms(text: str, speaker: str | None, content: str) -> None:
    a = _one(text)
    assert a.speaker_name == speaker and a.content == content, a


def test_show_names_and_audiences_are_not_contents() -> None:
    assert extract_attributions("Anna Berg said Wednesday morning on Harbour TV’s “Morning Show.”") == []
    assert extract_attributions("She said to the convention in Riga.") == []
    a = _one("Olaf Lund said on “Harbour Today” that the crossing was safe.")
    assert a.content == "that the crossing was safe"


def test_surnames_that_are_also_words_resolve_to_the_person() -> None:
    text = ("Becky Church, a senior analyst at the Port Authority, said the crossing was safe.\n"
            "“The cables were replaced in May,” Church added.\n"
            "Anthony Washington, mayor of Riga, said the ferry would stop. “It is too old,” Washington said.")
    atts = extract_attributions(text)
    assert [(a.speaker_name, a.kind) for a in atts] == [
        ("Becky Church", "named-person"), ("Becky Church", "named-person"),
        ("Anthony Washington", "named-person"), ("Anthony Washington", "named-person")]
    assert atts[1].role == "senior analyst at the Port Authority" and atts[3].role == "mayor of Riga"


_PIECES = ["said", "told", "according to", "Anna Berg", "she", "the official", ",", ".", "“", "”", '"', "''",
           "\n", ":", "that", "Mr.", "U.S.", "(D-R.I.)", "officials", "the report", "wrote on X", "’s", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), max_size=40))
def test_never_raises_and_offsets_stay_inside(pieces: list[str]) -> None:
    text = " ".join(pieces)
    for a in extract_attributions(text):
        assert 0 <= a.content_start < a.content_end <= len(text)
        if a.cue_start is not None:
            assert text[a.cue_start:a.cue_end] == a.cue
        if a.speaker_start is not None:
            assert 0 <= a.speaker_start < a.speaker_end <= len(text)
        assert a.kind in ("named-person", "named-organisation", "anonymous", "document", "social-media")


def test_relative_who_speaks_for_the_phrase_before() -> None:
    a = _one("The crowd cheered for Anna Berg, 54, a ferry captain, who said the crossing was safe.")
    assert (a.speaker, a.speaker_name, a.role, a.content) == ("who", "Anna Berg", "ferry captain",
                                                             "the crossing was safe")
    # a restrictive "who said" ends somewhere inside the sentence: not emitted
    assert extract_attributions("Many voters who said they liked him stayed home.") == []
