"""Short, heavily cut copies: an added intro plus one kept sentence of 16-19 words must still pair
with their source, and so must an excerpt of one whole sentence of 12 or more words, while stock
phrases a few words apart, or inside other sentences, must not (the synthetic provenance bench
lost 3-4% of its copies' true parents to the first case, 2-4% to the second)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newstrace.models import Article, AttributionStatement
from newstrace.reuse.align import align_pair
from newstrace.reuse.engine import Doc, reuse_in_memory
from newstrace.reuse.links import LinkIndex
from newstrace.reuse.params import ReuseParams
from newstrace.reuse.runner import run_reuse
from newstrace.store import Store
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
    no_excerpts = ReuseParams(excerpt_words=0)
    source, copy, _ = _short_copy(7, 17)
    assert align_pair(source, copy, params=no_excerpts.with_(min_exact_share=1.0)) == []  # 20 matching words
    source, copy, _ = _short_copy(8, 15)  # one sentence of 15 words: below 0.8 x 20, and excerpts are off
    assert align_pair(source, copy, params=no_excerpts) == []
    with pytest.raises(ValueError, match="min_exact_share"):
        ReuseParams(min_exact_share=0.0).validate()
    assert ReuseParams().key() != ReuseParams(min_exact_share=1.0).key()  # a change forces a rebuild


@pytest.mark.parametrize("n", [12, 13, 15])
def test_an_excerpt_of_one_whole_sentence_of_12_to_15_words_pairs(n: int) -> None:
    for seed in range(5):
        source, copy, kept = _short_copy(300 + 10 * n + seed, n)
        passages = align_pair(source, copy)
        assert len(passages) == 1, (n, seed)
        p = passages[0]
        for text, lo, hi in ((source, p.a_start, p.a_end), (copy, p.b_start, p.b_end)):
            # the kept sentence, and at most a short word before it that both texts happen to share
            assert kept in text[lo:hi] and hi - lo - len(kept) <= 6, (n, seed, text[lo:hi])


def test_an_excerpt_shorter_than_excerpt_words_or_switched_off_does_not_pair() -> None:
    source, copy, _ = _short_copy(41, 11)
    assert align_pair(source, copy) == []
    source, copy, _ = _short_copy(42, 14)
    assert align_pair(source, copy, params=ReuseParams(excerpt_words=0)) == []
    assert align_pair(source, copy, params=ReuseParams(excerpt_words=15)) == []
    assert ReuseParams().key() != ReuseParams(excerpt_words=0).key()
    with pytest.raises(ValueError, match="excerpt_words"):
        ReuseParams(excerpt_words=5).validate()  # shorter than the shortest passage ever kept


def test_fifteen_shared_words_inside_different_sentences_are_no_excerpt() -> None:
    """The same 15 words, but as the middle of a sentence on one side or both: a stock phrase, not an excerpt."""
    rng = random.Random(43)
    run = " ".join(words(rng, 15))
    tail_a, tail_b = " ".join(words(rng, 6)), " ".join(words(rng, 5))
    source = "\n".join([paragraph(rng), f"Lead words here {run} {tail_a}.", paragraph(rng)])
    copy_inside = "\n".join([paragraph(rng, 30), f"Other lead {run} {tail_b}.", paragraph(rng, 20)])
    copy_whole = "\n".join([paragraph(rng, 30), f"{run[:1].upper()}{run[1:]}.", paragraph(rng, 20)])
    assert align_pair(source, copy_inside) == []  # a sentence on neither side
    assert align_pair(source, copy_whole) == []  # a whole sentence in the copy, a piece of one in the source


def test_an_excerpt_of_a_first_sentence_that_followed_a_dateline_pairs() -> None:
    """The report's first sentence hangs on its dateline; the copy dropped the dateline and kept the sentence."""
    rng = random.Random(47)
    kept = _sentence(rng, 13)
    source = "\n".join([f"LONDON, March 5 (Wire One) - {kept} {paragraph(rng, 30)}", paragraph(rng)])
    copy = "\n".join([paragraph(rng, 30), kept, paragraph(rng, 20)])
    passages = align_pair(source, copy)
    assert len(passages) == 1 and kept in copy[passages[0].b_start:passages[0].b_end]
    # the same words in the middle of the copy's own sentence: a sentence start on neither side
    inside = "\n".join([paragraph(rng, 30), "And so " + kept[:1].lower() + kept[1:-1] + " again.", paragraph(rng, 20)])
    assert align_pair(source, inside) == []


def _zh_short_copy(seed: int, kept_chars: int) -> tuple[str, str, str]:
    """`_short_copy` in Chinese: (source, copy, kept sentence of `kept_chars` characters and a full stop)."""
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def para(n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n)) + "。"

    kept = para(kept_chars)
    source = "\n".join([para(80), para(40) + kept + para(30), para(80)])
    return source, "\n".join([para(40), kept, para(25)]), kept


@pytest.mark.parametrize(("n", "pairs"), [(26, True), (22, False)])
def test_a_chinese_excerpt_of_26_characters_pairs_and_of_22_does_not(n: int, pairs: bool) -> None:
    """A character counts half a word: 26 characters are 13 words, 22 are 11."""
    source, copy, kept = _zh_short_copy(44, n)
    passages = align_pair(source, copy)
    assert bool(passages) == pairs
    if pairs:
        assert copy[passages[0].b_start:passages[0].b_end] == kept


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
    """A character counts half a word: 33 characters are 16.5 words, one unbroken run (excerpts off)."""
    source, copy, kept = _zh_short_copy(11, 33)
    passages = align_pair(source, copy, params=ReuseParams(excerpt_words=0))
    assert len(passages) == 1 and copy[passages[0].b_start:passages[0].b_end] == kept


def _batch(seed: int, kept_words: int) -> list[Doc]:
    """A short copy and its source among six unrelated articles, each on its own site."""
    source, copy, _ = _short_copy(seed, kept_words)
    rng = random.Random(seed + 1)
    others = ["\n".join(paragraph(rng) for _ in range(3)) for _ in range(6)]
    docs = [Doc(1, "wire.example", source), Doc(2, "blog.example", copy)]
    return docs + [Doc(10 + k, f"site{k}.example", t) for k, t in enumerate(others)]


def test_short_copy_is_stored_as_a_pair_in_a_batch_among_unrelated_articles() -> None:
    res = reuse_in_memory(_batch(21, 18))
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(1, 2)]


def test_an_excerpt_is_found_through_its_sentence_end_key_in_a_batch() -> None:
    """A 13-word excerpt shares one or two n-gram fingerprints with its source: a candidate through its key."""
    docs = _batch(45, 13)
    res = reuse_in_memory(docs)
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(1, 2)]
    assert len(reuse_in_memory(docs, ReuseParams(excerpt_words=0)).candidates) == 0  # without its key: no candidate
    # the same two pages on one site: a repeated sentence there is the site's furniture, not an excerpt
    same_site = [Doc(d.id, "wire.example" if d.id in (1, 2) else d.site, d.text) for d in docs]
    assert reuse_in_memory(same_site).pairs == []


def test_the_runner_keeps_excerpts_across_sites_when_the_source_comes_from_the_index(tmp_path: Path) -> None:
    """Incremental: the source was indexed by an earlier run, so its site is read back from the store."""
    source, copy, _ = _short_copy(48, 13)
    for copy_site, expected in (("blog.example", 1), ("wire.example", 0)):
        store = Store(tmp_path / f"{copy_site}.db")
        store.write_articles([Article("https://wire.example/a", "Report", source.split("\n"), "wire.example")])
        run_reuse(store, workers=1)
        store.write_articles([Article(f"https://{copy_site}/b", "Excerpt", copy.split("\n"), copy_site)])
        report = run_reuse(store, workers=1)
        assert report.pairs == expected, copy_site
        store.close()


# -- a copy that links the page it quotes ------------------------------------------------------------------------
def _linked_excerpt(seed: int, kept_words: int = 9, typo: bool = False) -> tuple[str, str, str]:
    """(source, copy, kept): the copy keeps one short sentence of the source (with a letter pair swapped in its
    fifth word when `typo`), too little to pair without a link."""
    source, copy, kept = _short_copy(seed, kept_words)
    if typo:
        w = kept.split(" ")
        w[4] = w[4][0] + w[4][2] + w[4][1] + w[4][3:] if len(w[4]) > 3 else w[4] + "x"
        copy = copy.replace(kept, " ".join(w))
    return source, copy, kept


LINK = "https://wire.example/a"


def test_a_short_excerpt_pairs_with_the_page_its_credit_line_links_and_only_then() -> None:
    """Nine kept words, or twelve with a typo inside: no pair on their own (a stock phrase shares as much), a pair
    when one page links to the other in a credit line, in either order of the two ids."""
    for seed, n, typo in ((61, 9, False), (62, 10, False), (63, 13, True), (64, 12, True)):
        source, copy, kept = _linked_excerpt(seed, n, typo)
        docs = [Doc(1, "wire.example", source), Doc(2, "blog.example", copy)]
        assert reuse_in_memory(docs).pairs == [], (seed, n)
        for links in ([(2, 1)], [(1, 2)]):
            res = reuse_in_memory(docs, links=links)
            assert [(p.a_id, p.b_id) for p in res.pairs] == [(1, 2)], (seed, n, links)
            assert all(kept.split()[-1] in copy[p.b_start:p.b_end] for p in res.passages)
        # the same two pages on one site (a site linking its own report), or the rule switched off: no pair
        same = [Doc(1, "wire.example", source), Doc(2, "wire.example", copy)]
        assert reuse_in_memory(same, links=[(2, 1)]).pairs == []
        assert reuse_in_memory(docs, ReuseParams(linked_words=0), links=[(2, 1)]).pairs == []


@pytest.mark.parametrize(("kept_words", "pairs"), [(5, 0), (6, 1)])
def test_a_link_makes_a_pair_from_linked_words_shared_words(kept_words: int, pairs: int) -> None:
    rng = random.Random(65)
    source = "\n".join(paragraph(rng) for _ in range(3))
    kept = _sentence(rng, kept_words)
    docs = [Doc(1, "wire.example", source + "\n" + kept), Doc(2, "blog.example", paragraph(rng, 30) + "\n" + kept)]
    assert len(reuse_in_memory(docs, links=[(2, 1)]).pairs) == pairs
    assert reuse_in_memory(docs).pairs == []
    with pytest.raises(ValueError, match="linked_words"):
        ReuseParams(linked_words=30).validate()
    assert ReuseParams().key() != ReuseParams(linked_words=0).key()  # a change forces a rebuild


def _page(url: str, site: str, text: str, link: str | None = None, canonical: str | None = None) -> Article:
    attrs = [AttributionStatement("credit-link", "Source: Wire One", "Wire One", link, "wire.example")] if link else []
    return Article(url, "T", text.split("\n"), site, canonical_url=canonical, attributions=attrs)


@pytest.mark.parametrize("copy_first", [False, True])
def test_the_runner_pairs_a_linked_excerpt_whichever_page_came_first(tmp_path: Path, copy_first: bool) -> None:
    """Incremental runs: the copy may be ingested before the page it links (a later crawl finds the source)."""
    source, copy, _ = _linked_excerpt(66, 10)
    pages = [_page(LINK, "wire.example", source), _page("https://blog.example/b", "blog.example", copy,
                                                         link="http://www.wire.example/a/#top")]
    if copy_first:
        pages.reverse()
    store = Store(tmp_path / "s.db")
    store.write_articles([pages[0]])
    assert run_reuse(store, workers=1).pairs == 0
    store.write_articles([pages[1]])
    assert run_reuse(store, workers=1).pairs == 1
    (pair,) = store.all_pairs()
    assert {pair.a_id, pair.b_id} == {1, 2}
    assert run_reuse(store, workers=1, rebuild=True).pairs == 1  # a full run finds it too
    assert run_reuse(store, workers=1, rebuild=True, chunk_size=1).pairs == 1  # one page a step: the index grows
    store.close()


def test_credit_links_match_urls_loosely_and_canonical_urls_only_as_a_fallback(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    store.write_articles([
        _page("https://wire.example/a", "wire.example", "Report text."),
        _page("https://mirror.example/a", "mirror.example", "Mirror text.", canonical="https://wire.example/a"),
        _page("https://blog.example/b", "blog.example", "Blog text.", link="HTTPS://www.Wire.example/a/"),
        _page("https://blog.example/c", "blog.example", "Other.", link="https://wire.example/gone"),
        _page("https://other.example/d", "other.example", "Text.", link="https://wire.example/old"),
        _page("https://wire.example/new", "wire.example", "Moved.", canonical="https://wire.example/old"),
    ])
    index = LinkIndex()
    index.add(*store.page_links(0, 2), upto=2)
    assert index.pairs([1, 2]) == []  # the linking page is not in yet
    index.add(*store.page_links(2, 6), upto=6)
    assert index.upto == 6
    assert index.pairs([1, 2, 3, 4]) == [(3, 1)]  # the page itself, not the mirror naming it canonical
    assert index.pairs([1]) == [(3, 1)]  # found from the linked page's side too
    assert index.pairs([5]) == [(5, 6)] == index.pairs([6])  # no page at that URL: the one whose canonical URL it is
    store.close()


# -- a copy that kept or dressed up the headline of the page it quotes -------------------------------------------
HEADLINE = "Ships held at the port for a week"


@pytest.mark.parametrize("copy_title", [HEADLINE, f"BREAKING: {HEADLINE}", f"Is {HEADLINE.lower()}?",
                                        f"{HEADLINE} | The Evening Courier"])
def test_a_short_excerpt_under_the_sources_headline_pairs_with_it(copy_title: str) -> None:
    source, copy, kept = _linked_excerpt(71, 9)
    docs = [Doc(1, "wire.example", source, HEADLINE), Doc(2, "blog.example", copy, copy_title)]
    res = reuse_in_memory(docs)
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(1, 2)]
    assert kept.split()[-1] in copy[res.passages[0].b_start:res.passages[0].b_end]
    # a headline of its own, the same two pages on one site, or the rule off: no pair
    assert reuse_in_memory([docs[0], Doc(2, "blog.example", copy, "Port dispute: what we know")]).pairs == []
    assert reuse_in_memory([docs[0], Doc(2, "wire.example", copy, copy_title)]).pairs == []
    assert reuse_in_memory(docs, ReuseParams(linked_words=0)).pairs == []


def test_the_headline_makes_the_candidate_where_the_text_shares_too_few_fingerprints() -> None:
    """Nine kept words share at most one winnowed n-gram: the headline's key makes the pair a candidate."""
    source, copy, _ = _linked_excerpt(72, 9)
    docs = [Doc(1, "wire.example", source, HEADLINE), Doc(2, "blog.example", copy, f"WATCH: {HEADLINE}")]
    assert len(reuse_in_memory([Doc(d.id, d.site, d.text) for d in docs]).candidates) == 0
    assert [tuple(c[:2]) for c in reuse_in_memory(docs).candidates] == [(1, 2)]


def test_a_shared_headline_is_not_enough_without_a_shared_passage() -> None:
    rng = random.Random(73)
    a = "\n".join(paragraph(rng) for _ in range(3))
    b = "\n".join(paragraph(rng) for _ in range(3))
    assert reuse_in_memory([Doc(1, "wire.example", a, HEADLINE), Doc(2, "blog.example", b, HEADLINE)]).pairs == []


def test_the_runner_pairs_a_copy_under_a_dressed_up_headline_ingested_before_its_source(tmp_path: Path) -> None:
    source, copy, _ = _linked_excerpt(74, 10)
    store = Store(tmp_path / "s.db")
    store.write_articles([Article("https://blog.example/b", f"EXCLUSIVE: {HEADLINE}", copy.split("\n"),
                                  "blog.example")])
    assert run_reuse(store, workers=1).pairs == 0
    store.write_articles([Article("https://wire.example/a", HEADLINE, source.split("\n"), "wire.example")])
    assert run_reuse(store, workers=1).pairs == 1
    store.close()


def test_the_link_index_is_kept_between_runs_and_read_again_only_for_new_pages(tmp_path: Path) -> None:
    """A second run reads the URLs and links of the pages it adds, not of the whole store, and still pairs a page
    with one an earlier run indexed; a rebuild forgets the saved index."""
    source, copy, _ = _linked_excerpt(66, 10)
    store = Store(tmp_path / "s.db")
    store.write_articles([_page(LINK, "wire.example", source), _page("https://other.example/x", "other.example",
                                                                     "Unrelated text of another page.")])
    run_reuse(store, workers=1)
    saved = store.reuse_links_path()
    assert saved.is_file() and LinkIndex.load(saved).upto == 2
    store.write_articles([_page("https://blog.example/b", "blog.example", copy, link="http://www.wire.example/a/")])
    ranges = []
    real = store.page_links
    store.page_links = lambda after, upto: (ranges.append((after, upto)), real(after, upto))[1]
    assert run_reuse(store, workers=1).pairs == 1
    assert ranges == [(2, 3)]  # only the new page
    assert LinkIndex.load(saved).upto == 3
    store.page_links = real
    run_reuse(store, workers=1, rebuild=True)
    assert LinkIndex.load(saved).upto == 3  # rebuilt from the start, saved again
    store.close()


def test_a_saved_link_index_reads_back_and_a_bad_file_reads_as_empty(tmp_path: Path) -> None:
    import subprocess
    import sys

    from newstrace.reuse.links import _key

    store = Store(tmp_path / "s.db")
    store.write_articles([_page("https://wire.example/a", "wire.example", "Report text."),
                          _page("https://blog.example/b", "blog.example", "Blog text.", link="https://wire.example/a")])
    index = LinkIndex()
    index.add(*store.page_links(0, 2), upto=2)
    index.save(tmp_path / "links.npz")
    back = LinkIndex.load(tmp_path / "links.npz")
    assert back.upto == 2 and back.pairs([1]) == index.pairs([1]) == [(2, 1)]
    (tmp_path / "bad.npz").write_bytes(b"not an index")
    assert LinkIndex.load(tmp_path / "bad.npz").upto == 0 and LinkIndex.load(tmp_path / "none.npz").upto == 0
    # the hashes must not change between processes (Python's own str hash does, unless PYTHONHASHSEED is set)
    other = subprocess.run([sys.executable, "-c", "from newstrace.reuse.links import _key; "
                            "print(_key('https://www.wire.example/a/'))"], capture_output=True, text=True, check=True)
    assert int(other.stdout) == _key("https://wire.example/a")
    store.close()
