"""The reuse engine on hand-made corpora: boilerplate, partial copies, edits, reordering, Chinese."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.reuse.align import align_pair, summarise
from newstrace.reuse.boilerplate import article_units, count_units, learn_boilerplate
from newstrace.reuse.candidates import FingerprintIndex, find_candidates, live_postings, merge_segments, postings
from newstrace.reuse.engine import Doc, reuse_in_memory, units_of
from newstrace.reuse.fingerprints import KEY_BIT, fingerprint_spans, sentence_keys
from newstrace.reuse.params import ReuseParams
from newstrace.reuse.tokens import ngram_hashes, tokenize
from test_reuse_fixtures import FOOTER, SHARE, paragraph, story


def _site_pages(site: str, n: int, seed: int, extra: list[str] | None = None) -> list[str]:
    return ["\n".join(story(seed + k, 3) + (extra or [])) for k in range(n)]


def _docs(texts_by_site: dict[str, list[str]]) -> list[Doc]:
    docs, i = [], 1
    for site, texts in texts_by_site.items():
        for t in texts:
            docs.append(Doc(i, site, t))
            i += 1
    return docs


def test_tokens_offsets_case_and_scripts() -> None:
    text = "The PRIME-minister said: «café» 中文 ok"
    tk = tokenize(text)
    assert [text[s:e] for s, e in zip(tk.starts, tk.ends, strict=True)] == [
        "The", "PRIME", "minister", "said", "café", "中", "文", "ok"]
    assert np.array_equal(tokenize("THE Prime").hashes, tokenize("the prime").hashes)
    assert not np.array_equal(tokenize("the prime").hashes, tokenize("prime the").hashes)
    assert len(tokenize("")) == 0
    # n-gram hashes depend on order
    h = tokenize("a b c a b d").hashes
    g = ngram_hashes(h, 2)
    assert g[0] == g[3] and g[1] != g[4]


def test_footer_on_fifty_pages_is_boilerplate_but_one_off_and_wire_copy_are_not() -> None:
    wire = story(7)
    blog = _site_pages("blog.example", 50, 100, [FOOTER, SHARE])
    one_off = paragraph(random.Random(55))
    blog[3] = blog[3] + "\n" + one_off
    blog[4] = "\n".join(wire[:3]) + "\n" + blog[4]  # the blog copies a wire story once
    others = {f"site{k}.example": ["\n".join(story(500 + 10 * k + j, 3) + wire[:3]) for j in range(1)]
              for k in range(6)}  # six sites carry the same wire paragraphs
    docs = _docs({"blog.example": blog, **others})
    res = reuse_in_memory(docs)
    bp = res.boilerplate
    for d in docs[:50]:
        marked = "".join(d.text[s:e] for s, e in bp[d.id])
        assert FOOTER in marked and SHARE in marked
        assert one_off not in marked and wire[0] not in marked
    for d in docs[50:]:
        assert bp[d.id] == [], "a wire story copied by many sites is not boilerplate"
    # the footer ranges are exact character ranges
    t = docs[0].text
    assert (t.index(FOOTER), t.index(FOOTER) + len(FOOTER)) in bp[docs[0].id] or \
        any(s <= t.index(FOOTER) and e >= t.index(FOOTER) + len(FOOTER) for s, e in bp[docs[0].id])
    # boilerplate alone never makes a pair: the blog's 50 pages share the footer and nothing else
    blog_ids = {d.id for d in docs[:50]}
    for p in res.pairs:
        assert not ({p.a_id, p.b_id} <= blog_ids and docs[4].id not in (p.a_id, p.b_id))


def test_thresholds_adapt_to_site_size_and_republication_is_not_boilerplate() -> None:
    params = ReuseParams()
    twice = "\n".join(story(3, 3))
    pages = _site_pages("small.example", 8, 300) + [twice, twice]  # the same story republished
    counts = count_units(units_of(Doc(i, "small.example", t)) for i, t in enumerate(pages))
    assert counts.pages["small.example"] == 9  # an identical republication counts once
    model = learn_boilerplate(counts, params)
    assert len(model.site_hashes["small.example"]) == 0
    # a big site needs more pages than a small one, but never more than bp_max_pages
    from newstrace.reuse.boilerplate import threshold

    assert threshold(10, params) == 3 and threshold(200, params) == 7 and threshold(100_000, params) == 50
    assert threshold(256, params) == threshold(511, params) == 13 < threshold(512, params)


def test_single_page_site_falls_back_to_cross_site_list_and_patterns() -> None:
    disclaimer = "The views expressed in this column are the author's own and not those of the network."
    sites = {f"s{k}.example": _site_pages("", 12, 1000 * (k + 1), [disclaimer]) for k in range(2)}
    lone = "\n".join(story(77, 3) + [disclaimer, "Follow us on Telegram"])
    sites["lone.example"] = [lone]
    docs = _docs(sites)
    res = reuse_in_memory(docs)
    lone_doc = docs[-1]
    marked = "".join(lone_doc.text[s:e] for s, e in res.boilerplate[lone_doc.id])
    assert disclaimer in marked  # learned on two sites -> applies to a one-page site
    assert "Follow us on Telegram" in marked  # built-in pattern
    assert story(77, 3)[0] not in marked


def test_partial_copy_inside_longer_text_has_exact_offsets() -> None:
    wire = story(11, 6)
    own = story(12, 4)
    blog = own[:2] + wire[1:4] + own[2:]
    a_text, b_text = "\n".join(wire), "\n".join(blog)
    passages = align_pair(a_text, b_text)
    assert len(passages) == 1
    p = passages[0]
    copied = "\n".join(wire[1:4])
    assert (p.a_start, p.a_end) == (a_text.index(copied), a_text.index(copied) + len(copied))
    assert (p.b_start, p.b_end) == (b_text.index(copied), b_text.index(copied) + len(copied))
    assert p.similarity == 1.0 and p.edits == [] and p.a_words == p.b_words == 135
    pair = summarise(0, 1, passages, len(a_text), len(b_text))
    assert abs(pair.coverage_a - len(copied) / len(a_text)) < 0.01
    assert abs(pair.coverage_b - len(copied) / len(b_text)) < 0.01


def test_reordered_and_edited_passages_report_edits() -> None:
    wire = story(21, 4)
    w1 = wire[1].split()
    w1[10] = "EDITED"  # substitution
    del w1[20]  # deletion
    w1.insert(30, "inserted")  # insertion
    copy = [wire[3], " ".join(w1), wire[0]]  # reordered; paragraph 2 cut
    a_text, b_text = "\n".join(wire), "\n".join(copy)
    passages = align_pair(a_text, b_text)
    got = sorted((a_text[p.a_start:p.a_end], b_text[p.b_start:p.b_end]) for p in passages)
    assert len(passages) == 3
    assert (wire[0], wire[0]) in got and (wire[3], wire[3]) in got
    edited = next(p for p in passages if a_text[p.a_start:p.a_end] == wire[1])
    assert b_text[edited.b_start:edited.b_end] == " ".join(w1)
    ops = {(e.op, e.a_text, e.b_text) for e in edited.edits}
    assert ("substitute", wire[1].split()[10], "EDITED") in ops
    assert ("delete", wire[1].split()[20], "") in ops
    assert ("insert", "", "inserted") in ops
    assert 0.9 < edited.similarity < 1.0


def test_chinese_without_spaces() -> None:
    rng = random.Random(5)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def para(n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n)) + "。"

    src = [para(80) for _ in range(4)]
    copy = [para(60), src[1], src[2], para(50)]
    a_text, b_text = "\n".join(src), "\n".join(copy)
    passages = align_pair(a_text, b_text)
    assert len(passages) == 1
    p = passages[0]
    shared = src[1] + "\n" + src[2]
    assert a_text[p.a_start:p.a_end] == shared and b_text[p.b_start:p.b_end] == shared


def test_candidates_need_shared_fingerprints_and_respect_the_df_cap() -> None:
    params = ReuseParams(df_cap=3, df_hubs=0, min_shared=2)  # no hubs: only a fingerprint's first 3 holders pair
    fps = {1: np.array([1, 2, 10, 11], dtype=np.uint64), 2: np.array([1, 2, 10, 11], dtype=np.uint64),
           3: np.array([1, 2, 20], dtype=np.uint64), 4: np.array([1, 2, 20, 21], dtype=np.uint64)}
    h, a = postings(list(fps), list(fps.values()))
    cand = find_candidates(h, a, params)
    # hashes 1 and 2 are on 4 articles > cap: they count for pairs among articles 1-3 only; 3-4 share just 20
    assert cand.tolist() == [[1, 2, 4], [1, 3, 2], [2, 3, 2]]
    # incremental: the same pairs when 3 and 4 come later against an index of 1 and 2
    first = {k: fps[k] for k in (1, 2)}
    h1, a1 = postings(list(first), list(first.values()))
    idx = FingerprintIndex()
    idx.add(h1, a1)
    later = {k: fps[k] for k in (3, 4)}
    h2, a2 = postings(list(later), list(later.values()))
    assert find_candidates(h2, a2, params, idx).tolist() == [[1, 3, 2], [2, 3, 2]]
    assert find_candidates(h1, a1, params).tolist() == [[1, 2, 4]]


def _run_steps(fps: dict[int, np.ndarray], steps: list[list[int]], params: ReuseParams,
               redo: list[int] | None = None) -> dict[tuple[int, int], int]:
    """Candidates found step by step against a growing index (as the runner does); `redo` articles come back in
    the last step under their old ids, their earlier postings marked dead and their earlier pairs dropped."""
    idx = FingerprintIndex()
    found: dict[tuple[int, int], int] = {}
    redo = redo or []
    for k, step in enumerate(steps):
        again = redo if k == len(steps) - 1 else []
        ids = sorted(step + again)
        if again:
            idx.dead = [np.array(sorted(again), dtype=np.int64)] * len(idx.segments)
            found = {p: n for p, n in found.items() if not set(p) & set(again)}
        h, a = postings(ids, [fps[i] for i in ids])
        for x, y, n in find_candidates(h, a, params, idx):
            assert (int(x), int(y)) not in found
            found[(int(x), int(y))] = int(n)
        idx.add(h, a)
    return found


def test_a_widely_shared_fingerprint_pairs_later_holders_with_the_first_ones() -> None:
    """Seven articles hold fingerprints 1 and 2 (a wire story on seven sites), the cap is 4 and there are 2 hubs:
    the first four pair with each other, the last three with articles 1 and 2 only."""
    params = ReuseParams(df_cap=4, df_hubs=2, min_shared=2)
    fps = {i: np.array([1, 2, 100 + i], dtype=np.uint64) for i in range(1, 8)}
    cand = find_candidates(*postings(list(fps), list(fps.values())), params)
    firsts = [(i, j) for i in range(1, 5) for j in range(i + 1, 5)]
    later = [(i, j) for j in range(5, 8) for i in (1, 2)]
    assert sorted((int(x), int(y)) for x, y, _n in cand) == sorted(firsts + later)
    assert all(n == 2 for _x, _y, n in cand)  # both wide fingerprints count
    # a widely shared key makes a candidate on its own among its first four holders only
    key = int(KEY_BIT) | 5
    keyed = {i: np.array([key, 200 + i], dtype=np.uint64) for i in range(1, 8)}
    got = find_candidates(*postings(list(keyed), list(keyed.values())), params)
    assert sorted((int(x), int(y)) for x, y, _n in got) == firsts
    assert ReuseParams(df_cap=4, df_hubs=2, min_shared=1).key() != params.key()
    with pytest.raises(ValueError, match="df_hubs"):
        ReuseParams(df_cap=4, df_hubs=5).validate()


def test_full_and_incremental_runs_give_the_same_candidates_past_the_cap() -> None:
    """Random fingerprints (keys among them), caps and hubs: any split into steps, and an article redone in the
    last step (boilerplate relearnt), gives the pairs and shared counts of one run over all."""
    rng = random.Random(5)
    for _ in range(400):
        n = rng.randint(2, 18)
        nh = rng.randint(1, 6)
        fps = {}
        for i in range(1, n + 1):
            held = set(rng.sample(range(nh), rng.randint(1, nh)))
            if rng.random() < 0.3:
                held.add(int(KEY_BIT) | rng.randint(0, 2))
            fps[i] = np.array(sorted(held), dtype=np.uint64)
        cap = rng.randint(2, 6)
        params = ReuseParams(df_cap=cap, df_hubs=rng.randint(0, cap), min_shared=rng.randint(1, 3))
        ids = list(range(1, n + 1))
        full = _run_steps(fps, [ids], params)
        cuts = sorted(rng.sample(range(1, n), rng.randint(0, min(3, n - 1))))
        steps = [ids[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
        assert _run_steps(fps, steps, params) == full, (cap, params.df_hubs, steps)
        if len(steps) > 1:
            redo = rng.sample([i for s in steps[:-1] for i in s], 1)
            assert _run_steps(fps, steps, params, redo) == full, (cap, params.df_hubs, steps, redo)


def test_a_story_on_more_sites_than_the_cap_is_still_found() -> None:
    """30 sites run the same wire story, each with its own other text; with a cap of 10 every copy pairs and the
    pairs grow linearly past the cap (45 among the first ten, then 3 hubs for each of the other twenty)."""
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(400)]

    def para(n: int = 40) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n)) + "."

    story = "\n".join(para() for _ in range(5))
    docs = [Doc(i, f"site{i}.example", story + "\n" + para() + "\n" + para()) for i in range(1, 31)]
    docs += [Doc(100 + i, f"other{i}.example", "\n".join(para() for _ in range(6))) for i in range(10)]
    res = reuse_in_memory(docs, ReuseParams(df_cap=10, df_hubs=3))
    paired = {x for p in res.pairs for x in (p.a_id, p.b_id)}
    assert paired == set(range(1, 31))
    assert len(res.pairs) == 45 + 20 * 3
    off = reuse_in_memory(docs, ReuseParams(df_cap=10, df_hubs=0)).pairs  # no hubs: the first ten pages only
    assert {x for p in off for x in (p.a_id, p.b_id)} == set(range(1, 11))


def test_one_sentence_end_key_makes_a_candidate_new_and_against_the_index() -> None:
    """A shared sentence-end key (top bit set) is enough on its own; one shared n-gram fingerprint is not."""
    key = int(KEY_BIT) | 77
    fps = {1: np.array([5, 30, key], dtype=np.uint64), 2: np.array([5, 40], dtype=np.uint64),
           3: np.array([5, 30, 50, key], dtype=np.uint64), 4: np.array([50, 60], dtype=np.uint64),
           5: np.array([40, 70, key], dtype=np.uint64)}
    params = ReuseParams(min_shared=3)
    h, a = postings(list(fps), list(fps.values()))
    expected = [[1, 3, 3], [1, 5, 1], [3, 5, 1]]  # 2-4, 2-5 and 3-4 share one or two n-grams only
    assert find_candidates(h, a, params).tolist() == expected
    assert find_candidates(h, a, params.with_(min_shared=4)).tolist() == expected  # keys count alone
    # the same pairs when 3, 4 and 5 come later, against an index holding 1 and 2
    idx = FingerprintIndex()
    idx.add(*postings([1, 2], [fps[1], fps[2]]))
    later = postings([3, 4, 5], [fps[3], fps[4], fps[5]])
    assert find_candidates(*later, params, idx).tolist() == expected


def test_sentence_end_keys_cover_long_sentences_and_never_look_like_fingerprints() -> None:
    text = ("LONDON, March 5 (Wire One) - The ministry said on Tuesday that the new rules would apply from May. "
            "Short one here.\nAnother sentence that is long enough to carry a key of its own at the end!")
    tokens = tokenize(text)
    keys, starts, ends, _ = sentence_keys(tokens, 12)
    assert len(keys) == 2 and bool(np.all(keys & KEY_BIT))
    assert text[starts[0]:ends[0]] == "ministry said on Tuesday that the new rules would apply from May"  # last 12
    copy = "My own intro.\nThe ministry said on Tuesday that the new rules would apply from May.\nBye."
    assert keys[0] in sentence_keys(tokenize(copy), 12)[0]  # the dateline's sentence and the whole one agree
    assert len(sentence_keys(tokens, 20)[0]) == 0 and len(sentence_keys(tokens, 0)[0]) == 0
    fp = fingerprint_spans(tokens, ReuseParams())[0]
    assert len(fp) and not np.any(fp & KEY_BIT)
    zh = "前言。" + "".join(chr(0x4E00 + k) for k in range(23)) + "。"
    zh += "".join(chr(0x4E80 + k) for k in range(24)) + "。"
    assert len(sentence_keys(tokenize(zh), 12)[0]) == 1  # 24 characters are 12 words, 23 are not


@pytest.mark.parametrize("block", [1, 3, 7, 64, 1 << 20])
def test_streaming_merge_equals_one_sort_without_the_dead(block: int) -> None:
    rng = np.random.default_rng(block)
    segs, dead = [], []
    for size in (0, 1, 40, 300, 97):
        h = rng.integers(0, 60, size).astype(np.uint64)  # few distinct hashes: long runs of equal ones
        a = rng.integers(1, 50, size)
        o = np.lexsort((a, h))
        segs.append((h[o], a[o].astype(np.uint32)))
        dead.append(np.unique(rng.integers(1, 50, 5)))
    dead[1] = np.zeros(0, dtype=np.int64)
    blocks = list(merge_segments(segs, dead, block=block))
    h = np.concatenate([b[0] for b in blocks])
    a = np.concatenate([b[1] for b in blocks])
    live = [(x, y) for (hs, as_), d in zip(segs, dead, strict=True) for x, y in zip(hs, as_, strict=True)
            if y not in set(d.tolist())]
    assert list(zip(h.tolist(), a.tolist(), strict=True)) == sorted((int(x), int(y)) for x, y in live)
    assert live_postings(segs, dead, block=block) == len(h)
    if block < 300:
        assert len(blocks) > 1  # really streamed
    # no hash is split between two blocks, so a lookup never sees half of a hash's postings
    firsts = [int(b[0][0]) for b in blocks]
    lasts = [int(b[0][-1]) for b in blocks]
    assert all(lasts[i] < firsts[i + 1] for i in range(len(blocks) - 1))


def test_dead_postings_are_invisible_to_lookups() -> None:
    h = np.array([5, 5, 5, 9], dtype=np.uint64)
    a = np.array([1, 2, 3, 2], dtype=np.uint32)
    idx = FingerprintIndex()
    idx.add(h, a, dead=np.array([2]))
    idx.add(np.array([5], dtype=np.uint64), np.array([2], dtype=np.uint32))  # article 2 posted again later
    counts, qi, ai = idx.lookup(np.array([5, 9], dtype=np.uint64))
    assert counts.tolist() == [3, 0] and ai.tolist() == [1, 2, 3]


def test_same_site_reuse_is_found_and_units_cover_paragraphs() -> None:
    wire = story(31, 3)
    pages = _site_pages("one.example", 20, 600, [FOOTER])
    pages[5] = "\n".join(wire + [FOOTER])
    pages[6] = "\n".join(story(700, 2) + wire[:2] + [FOOTER])
    docs = _docs({"one.example": pages})
    res = reuse_in_memory(docs)
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(6, 7)]
    text = pages[0]
    units = article_units(text, tokenize(text))
    lines = text.split("\n")
    spans = {text[s:e] for s, e in zip(units.starts, units.ends, strict=True)}
    assert set(lines) <= spans


def test_degenerate_texts_never_stop_a_batch() -> None:
    wire = "\n".join(story(41, 3))
    odd = ["", " \n\n ", "x", "😀 emoji 𠀀 astral " * 3, "\ud800 lone surrogate", wire]
    docs = [Doc(i + 1, "odd.example", t) for i, t in enumerate(odd)] + [Doc(99, "copy.example", wire)]
    res = reuse_in_memory(docs)
    assert [(p.a_id, p.b_id) for p in res.pairs] == [(6, 99)]
    assert all(res.boilerplate[d.id] == [] for d in docs)
    tk = tokenize("😀 a𠀀b")
    assert len(tk) == 3  # the emoji is not a word; 𠀀 (CJK extension B) is one character token


def test_derived_mode_finds_rewritten_text_that_copy_mode_misses() -> None:
    src = story(51, 3)
    # rewrite: every third word changed, so no 4-gram survives but many bigrams do
    rewritten = []
    for para in src:
        w = para.split()
        rewritten.append(" ".join("X" + x if k % 3 == 2 else x for k, x in enumerate(w)))
    other = "\n".join(story(52, 2) + rewritten[:2])
    a_text = "\n".join(src)
    assert align_pair(a_text, other) == []
    derived = align_pair(a_text, other, params=ReuseParams.derived())
    assert derived and sum(p.b_end - p.b_start for p in derived) > 0.8 * len("\n".join(rewritten[:2]))


def test_batched_analysis_equals_one_article_at_a_time() -> None:
    """Joining texts for one tokenisation must not change any article's tokens, units or fingerprints."""
    from newstrace.reuse.engine import Doc, analyse, analyse_many
    from newstrace.reuse.params import ReuseParams

    texts = [
        "", "\n", "One line without a full stop", "Ends with a newline.\n\nAnd a blank line between.\n",
        "北京今天下雨。明天会晴天吗？记者报道。", "Mixed 中文 and English. Twice. Twice.",
        "Emoji 😀 astral 𠀀 characters. Next sentence here!", "يه کتاب ہے۔ دوسرا جملہ؟",
        "  leading spaces. \n trailing spaces.  ", "...", "A\nB\nC",
        " ".join(f"word{k % 37} other{k % 11}." for k in range(300)),  # long: many winnowing windows
        "\n".join("记者报道北京今天下雨明天会晴天" * 3 for _ in range(5)),
        "Short one. This sentence has more than enough words to carry a sentence end key of its own today!\nEnd",
        "The dateline ends here - and the first sentence runs on for a good fourteen words or so.",
    ]
    params = ReuseParams()
    docs = [Doc(k, f"s{k % 3}.example", t) for k, t in enumerate(texts * 3)]
    many = analyse_many(docs, params)
    assert len(many) == len(docs)
    assert sum(int(np.count_nonzero(a.fp_hash & KEY_BIT)) for a in many) >= 3 * 3  # sentence-end keys included
    for d, got in zip(docs, many, strict=True):
        want = analyse(d, params)
        assert (got.id, got.site) == (want.id, want.site)
        for f in ("hashes", "starts", "ends", "words"):
            assert np.array_equal(getattr(got.units, f), getattr(want.units, f)), (d.text, f)
        for f in ("fp_hash", "fp_start", "fp_end"):
            assert np.array_equal(getattr(got, f), getattr(want, f)), (d.text, f)


_PIECES = ["the", "ministry", "said", "on", "Tuesday", "that", "rules", "would", "apply", "from", "May", "北", "京",
           "今", "天", "下", "雨", "Россия", "заявил", ".", "!", "?", "。", "…", ",", " ", " ", " ", "\n", "😀", "-"]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=120).map(lambda ws: " ".join(ws)), min_size=1,
                max_size=6))
@settings(max_examples=60, deadline=None)
def test_sentence_end_keys_are_the_same_batched_and_lie_inside_the_text(texts: list[str]) -> None:
    from newstrace.reuse.engine import Doc, analyse, analyse_many

    params = ReuseParams(excerpt_words=3)  # short sentences: the random texts carry many keys
    docs = [Doc(k, "s.example", t) for k, t in enumerate(texts)]
    for d, got in zip(docs, analyse_many(docs, params), strict=True):
        want = analyse(d, params)
        assert np.array_equal(got.fp_hash, want.fp_hash) and np.array_equal(got.fp_start, want.fp_start)
        keys, starts, ends, _ = sentence_keys(tokenize(d.text), 3)
        assert bool(np.all(keys & KEY_BIT)) and bool(np.all((starts >= 0) & (starts < ends) & (ends <= len(d.text))))
        assert set(keys.tolist()) <= set(got.fp_hash.tolist())
