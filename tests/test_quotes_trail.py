"""Quote trails as pure functions: grouping across articles, first appearance, word changes, re-attribution."""

from __future__ import annotations

from datetime import UTC, datetime

from newstrace.quotes import extract_attributions
from newstrace.quotes.models import QuoteAppearance
from newstrace.quotes.trail import ArticleQuotes, build_trails, compare, normalise, word_diff

ORIGINAL = ("“We will not allow the pipeline to be built across our farmland this year,” said Maria Petrova, "
            "the mayor of Riga.")


def _art(aid: int, day: int | None, text: str, site: str = "x.example") -> ArticleQuotes:
    pub = datetime(2024, 5, day, 9, tzinfo=UTC) if day else None
    return ArticleQuotes(aid, pub, extract_attributions(text), site)


def test_altered_quote_detected_between_two_copies() -> None:
    altered = "Mayor Maria Petrova said: “We will never allow the pipeline to be built across our farmland.”"
    [trail] = build_trails([_art(2, 3, altered, "copy.example"), _art(1, 1, ORIGINAL, "wire.example")])
    assert trail.first.article_id == 1 and [a.article_id for a in trail.later] == [2]
    [alt] = trail.alterations
    assert alt.kind == "words" and alt.article_id == 2
    assert alt.removed == ["not", "this year"] and alt.added == ["never"]
    assert 0.7 < alt.similarity < 1.0 and trail.later[0].similarity == alt.similarity


def test_first_appearance_is_the_earliest_published_and_undated_come_last() -> None:
    arts = [_art(5, None, ORIGINAL), _art(7, 4, ORIGINAL), _art(9, 2, ORIGINAL)]
    [trail] = build_trails(arts)
    assert [a.article_id for a in trail.appearances] == [9, 7, 5]
    assert trail.alterations == []  # verbatim copies change nothing


def test_reattributed_quote() -> None:
    wrong = "“We will not allow the pipeline to be built across our farmland this year,” Ivan Sokolov said."
    [trail] = build_trails([_art(1, 1, ORIGINAL), _art(2, 2, wrong)])
    [alt] = trail.alterations
    assert alt.kind == "speaker" and alt.speaker_before == "Maria Petrova" and alt.speaker_after == "Ivan Sokolov"


def test_trimmed_quote_still_joins_its_trail() -> None:
    trimmed = "“We will not allow the pipeline to be built,” Petrova said."
    [trail] = build_trails([_art(1, 1, ORIGINAL), _art(2, 2, trimmed)])
    [alt] = trail.alterations
    assert alt.removed == ["across our farmland this year"] and alt.added == []


def test_different_quotes_stay_apart_and_single_appearances_are_not_trails() -> None:
    other = "“The harbour tax will be cut in half from June onwards,” said Olaf Lund."
    assert build_trails([_art(1, 1, ORIGINAL), _art(2, 2, other)]) == []
    near = "“We will not allow the harbour tax to be cut in half this year,” said Olaf Lund."  # shares a trigram
    assert build_trails([_art(1, 1, ORIGINAL), _art(2, 2, near)]) == []
    assert build_trails([_art(1, 1, ORIGINAL + " " + ORIGINAL)]) == []  # twice in one article


def test_helpers() -> None:
    assert normalise("“We’ll NOT go,” she said.") == "we'll not go she said"
    assert word_diff(["a", "b", "c"], ["a", "x", "c"]) == (["b"], ["x"], 0.6667)
    first = QuoteAppearance(1, None, "a b c d", "Anna Berg")
    assert compare(first, QuoteAppearance(2, None, "A b, c d.", "Berg")) == []  # same words, same surname
    assert [x.kind for x in compare(first, QuoteAppearance(2, None, "a b c e", "Olaf Lund"))] == ["words", "speaker"]


def test_many_articles_is_not_quadratic_in_practice() -> None:
    texts = [f"“Quote number {k} says the harbour {k} will open on day {k} of the year,” Anna Berg said."
             for k in range(400)]
    arts = [_art(k + 1, 1 + k % 28, t) for k, t in enumerate(texts)]
    arts.append(_art(1000, 28, texts[0]))
    trails = build_trails(arts)
    assert len(trails) == 1 and trails[0].first.article_id == 1


def test_a_trail_names_its_speaker_from_later_appearances_when_the_first_does_not() -> None:
    unnamed = "“We will not allow the pipeline to be built across our farmland this year,” she said."
    arts = [_art(1, 1, unnamed), _art(2, 2, ORIGINAL), _art(3, 3, ORIGINAL), _art(4, 4, unnamed)]
    [trail] = build_trails(arts)
    assert trail.first.article_id == 1 and trail.first.speaker_name is None
    assert trail.speaker_name == "Maria Petrova"
    [named_first] = build_trails([_art(1, 1, ORIGINAL), _art(2, 2, unnamed)])
    assert named_first.speaker_name == "Maria Petrova"
    [nobody] = build_trails([_art(1, 1, unnamed), _art(2, 2, unnamed)])
    assert nobody.speaker_name is None


def test_a_trail_starts_where_provenance_says_not_at_a_misdated_copy() -> None:
    from newstrace.quotes.trail import root_trails

    altered = "Mayor Maria Petrova said: “We will never allow the pipeline to be built across our farmland.”"
    arts = [_art(1, 3, ORIGINAL, "wire.example"),  # the source
            _art(2, 1, altered, "copy.example"),  # its copy, dated two days before it by a wrong clock
            _art(3, 4, altered, "copy2.example")]  # a copy of the copy
    [trail] = build_trails(arts)
    assert trail.first.article_id == 2  # by date alone
    [trail] = root_trails([trail], {2: 1, 3: 2})
    assert trail.first.article_id == 1 and [a.article_id for a in trail.later] == [2, 3]
    assert sorted(a.article_id for a in trail.alterations) == [2, 3]  # measured against the source again
    assert all(a.kind == "words" and a.removed == ["not", "this year"] for a in trail.alterations)
    [same] = root_trails(build_trails(arts), {})  # no provenance: dates decide, as before
    assert same.first.article_id == 2
