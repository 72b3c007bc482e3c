"""Short, heavily cut copies: an added intro plus one kept sentence of 16-19 words must still pair
with their source, while stock phrases a few words apart must not (the synthetic provenance bench
lost 3-4% of its copies' true parents to the first case)."""

from __future__ import annotations

import random

import pytest

from newstrace.reuse.align import align_pair
from newstrace.reuse.engine import Doc, reuse_in_memory
from newstrace.reuse.params import ReuseParams
from test_reuse_fixtures import paragraph, words


def _sentence(rng: random.Random, n: int) -> str:
    w = words(rng, n)
    return " ".join([w[0].capitalize(), *w[1:]]) + "."


def _short_copy(seed: int, kept_words: int) -> tuple[str, str, str]:
    """(source, copy, kept sentence): the copy is its own intro, one sentence of the source, its own outro."""
    rng = random.Random(seed)
    kept = _sentence(rng, kept_words)
    source = "\n".join([paragraph(rng), paragraph(rng, 30) + " " + kept + " " + paragraph(rng, 15), paragraph(rng)])
    copy = "\n".join([paragraph(rng, 30), kept, paragraph(rng, 20)])
    return source, copy, kept


@pytest.mark.parametrize("n", [16, 17, 19])
def test_one_kept_sentence_of_16_to_19_words_pairs_the_copy_with_its_source(n: int) -> None:
    for seed in range(5):
        source, copy, kept = _short_copy(100 * n + seed, n)
        passages = align_pair(source, copy)
        assert len(passages) == 1, (n, seed)
        p = passages[0]
        assert source[p.a_start:p.a_end] == kept and copy[p.b_start:p.b_end] == kept
        assert min(p.a_words, p.b_words) == n and p.similarity == 1.0


def test_the_old_rule_is_one_exact_share_and_shorter_runs_still_do_not_pair() -> None:
    source, copy, _ = _short_copy(7, 17)
    assert align_pair(source, copy, params=ReuseParams(min_exact_share=1.0)) == []  # 20 matching words, as before
    source, copy, _ = _short_copy(8, 15)  # one sentence of 15 words: below 0.8 x 20, may be a stock phrase
    assert align_pair(source, copy) == []
    with pytest.raises(ValueError, match="min_exact_share"):
        ReuseParams(min_exact_share=0.0).validate()
    assert ReuseParams().key() != ReuseParams(min_exact_share=1.0).key()  # a change forces a rebuild


def test_two_stock_phrases_a_few_words_apart_do_not_make_a_pair() -> None:
    """18 matching words across a gap (the synthetic corpus's one false pair when min_words was 16)."""
    rng = random.Random(3)
    s1 = "a senior official who asked not to be named said."
    s2 = "According to the head of the Ministry of Energy"
    gap_a = "Their budget grew although blue executives argued over trial doctors."
    gap_b = "Design well reduce bit economic where."
    a = " ".join([paragraph(rng, 30), s1, gap_a, s2, paragraph(rng, 30)])
    b = " ".join([paragraph(rng, 30), s1, gap_b, s2, paragraph(rng, 30)])
    assert align_pair(a, b) == []


def test_chinese_kept_sentence_of_33_characters_pairs() -> None:
    """A character counts half a word: 33 characters are 16.5 words, one unbroken run."""
    rng = random.Random(11)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def para(n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n)) + "。"

    kept = para(33)
    source = "\n".join([para(80), para(40) + kept + para(30), para(80)])
    copy = "\n".join([para(40), kept, para(25)])
    passages = align_pair(source, copy)
    assert len(passages) == 1 and copy[passages[0].b_start:passages[0].b_end] == kept


def test_short_copy_is_stored_as_a_pair_in_a_batch_among_unrelated_articles() -> None:
    source, copy, _ = _short_copy(21, 18)
    rng = random.Random(22)
    others = ["\n".join(paragraph(rng) for _ in range(3)) for _ in range(6)]
    docs = [Doc(1, "wire.example", source), Doc(2, "blog.example", copy)]
    docs += [Doc(10 + k, f"site{k}.example", t) for k, t in enumerate(others)]
    res = reuse_in_memory(docs)
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(1, 2)]
