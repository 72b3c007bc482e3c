"""Normalised tokens with character offsets, hashed to 64 bits, computed with numpy.

Spaced scripts give word tokens (letters, digits and combining marks); scripts written without
spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) give one token per character, so that
n-grams of tokens become character n-grams there. Tokens are lower-cased and a few Arabic-script
letter variants are folded (Arabic and Persian/Urdu yeh and kaf), so copies that differ only in
case or keyboard still match. Hashes are deterministic across processes and runs (never Python's
salted `hash`), because the fingerprint index outlives a run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

SEP, WORD, CHAR = 0, 1, 2

_NO_SPACE_RANGES = [
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1780, 0x17FF),  # Khmer
    (0x1000, 0x109F),  # Myanmar
]
_FOLD = {0x064A: 0x06CC, 0x0649: 0x06CC, 0x0643: 0x06A9, 0x0647: 0x06C1}  # Arabic -> Urdu letter forms

_M64 = (1 << 64) - 1
_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_NGRAM_MULT = [0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93, 0xA0761D6478BD642F,
               0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3, 0x1D8E4E27C47D124F,
               0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0x9FB21C651E98DF25]


@dataclass(slots=True)
class _Tables:
    cls: np.ndarray  # uint8 class per BMP code point
    fold: np.ndarray  # uint32 folded code point per BMP code point


_TABLES: _Tables | None = None
_POW: np.ndarray = np.ones(1, dtype=np.uint64)
_POW_INV: np.ndarray = np.ones(1, dtype=np.uint64)


def _char_class(cp: int) -> int:
    ch = chr(cp)
    cat = unicodedata.category(ch)
    if not (ch.isalnum() or cat in ("Mn", "Mc")):
        return SEP
    if any(lo <= cp <= hi for lo, hi in _NO_SPACE_RANGES) or 0x20000 <= cp <= 0x2FFFF:
        return CHAR
    return WORD


def _tables() -> _Tables:
    """Character classes and case folding for the Basic Multilingual Plane, built once per process."""
    global _TABLES
    if _TABLES is None:
        cls = np.zeros(0x10000, dtype=np.uint8)
        fold = np.arange(0x10000, dtype=np.uint32)
        for cp in range(0x10000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = _char_class(cp)
            cls[cp] = c
            if c:
                low = chr(cp).lower()
                if len(low) == 1:
                    fold[cp] = _FOLD.get(ord(low), ord(low))
        _TABLES = _Tables(cls, fold)
    return _TABLES


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < n (grown on demand, kept per process)."""
    global _POW, _POW_INV
    if len(_POW) < n:
        size = max(n, 2 * len(_POW), 4096)
        p = np.full(size, _BASE, dtype=np.uint64)
        p[0] = 1
        _POW = np.cumprod(p, dtype=np.uint64)
        q = np.full(size, _BASE_INV, dtype=np.uint64)
        q[0] = 1
        _POW_INV = np.cumprod(q, dtype=np.uint64)
    return _POW[:n], _POW_INV[:n]


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads polynomial hashes so their low bits are uniform (`x` is not changed)."""
    x = x ^ (x >> np.uint64(30))  # a new array; the rest works in place on it
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def range_hashes(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Hash of each slice values[s:e] (a polynomial over the slice, independent of where it sits)."""
    n = len(values)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.uint64)
    pw, pinv = _powers(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(values.astype(np.uint64) * pw[:n], out=prefix[1:])
    h = (prefix[ends] - prefix[starts]) * pinv[starts]
    return mix64(h + (ends - starts).astype(np.uint64))


@dataclass(slots=True)
class Tokens:
    """Tokens of one text: character offsets (end-exclusive) into the text and 64-bit hashes."""

    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    hashes: np.ndarray  # uint64
    codes: np.ndarray | None = None  # the text's code points (uint32), kept for paragraph and sentence splitting

    def __len__(self) -> int:
        return len(self.starts)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def tokenize(text: str) -> Tokens:
    """Split `text` into normalised tokens; offsets index the original string."""
    codes = _codes(text)
    t = _tables()
    if len(codes) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens(empty, empty.copy(), np.zeros(0, dtype=np.uint64))
    bmp = np.minimum(codes, 0xFFFF)
    cls = t.cls[bmp]
    folded = t.fold[bmp]
    high = np.nonzero(codes > 0xFFFF)[0]
    if len(high):  # astral characters: rare, classified one by one
        cls = cls.copy()
        folded = folded.copy()
        for i in high:
            cls[i] = _char_class(int(codes[i]))
            folded[i] = codes[i]
    is_word = cls == WORD
    prev = np.concatenate(([False], is_word[:-1]))
    nxt = np.concatenate((is_word[1:], [False]))
    w_starts = np.nonzero(is_word & ~prev)[0]
    w_ends = np.nonzero(is_word & ~nxt)[0] + 1
    c_pos = np.nonzero(cls == CHAR)[0]
    if len(c_pos):
        starts = np.concatenate((w_starts, c_pos))
        ends = np.concatenate((w_ends, c_pos + 1))
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], ends[order]
    else:
        starts, ends = w_starts, w_ends
    starts = starts.astype(np.int64)
    ends = ends.astype(np.int64)
    hashes = range_hashes(folded, starts, ends)
    return Tokens(starts, ends, hashes, codes)


def tokenize_many(texts: list[str]) -> tuple[Tokens, np.ndarray, np.ndarray]:
    """One tokenisation of the texts joined by newlines: (tokens, text start offsets, first token of each
    text; both with a final entry past the end). Token hashes do not depend on where a text sits."""
    lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    off = np.concatenate(([0], np.cumsum(lens + 1)))
    tokens = tokenize("\n".join(texts))
    return tokens, off, np.searchsorted(tokens.starts, off)


def cut(tokens: Tokens, off: np.ndarray, tb: np.ndarray, k: int) -> Tokens:
    """Text k's own tokens out of `tokenize_many`'s result, offsets into that text."""
    o, t0, t1 = int(off[k]), int(tb[k]), int(tb[k + 1])
    codes = tokens.codes[o:int(off[k + 1]) - 1] if tokens.codes is not None else None
    return Tokens(tokens.starts[t0:t1] - o, tokens.ends[t0:t1] - o, tokens.hashes[t0:t1], codes)


def ngram_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of `n` consecutive tokens (len(tokens) - n + 1 values, order-sensitive)."""
    m = len(token_hashes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    if n > len(_NGRAM_MULT):
        raise ValueError(f"n-grams longer than {len(_NGRAM_MULT)} tokens are not supported (got {n})")
    acc = np.zeros(m, dtype=np.uint64)
    for r in range(n):
        acc += token_hashes[r:r + m] * np.uint64(_NGRAM_MULT[r])
    return mix64(acc)


def text_hash64(text: str) -> int:
    """Stable 64-bit hash of the normalised tokens of `text` (used for unit and page keys)."""
    toks = tokenize(text)
    if not len(toks):
        return 0
    return int(range_hashes(toks.hashes, np.array([0]), np.array([len(toks)]))[0])
