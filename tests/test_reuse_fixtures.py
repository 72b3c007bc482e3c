"""Small hand-made corpora for the reuse tests (built by code, deterministic)."""

from __future__ import annotations

import random

_SYL = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "sa", "do", "gu", "ha", "ni", "be", "fo", "le", "mu"]


def words(rng: random.Random, n: int) -> list[str]:
    """`n` pseudo-words from a vocabulary of a few thousand, so 4-grams rarely repeat by chance."""
    return ["".join(rng.choice(_SYL) for _ in range(rng.randint(1, 3))) for _ in range(n)]


def paragraph(rng: random.Random, n: int = 45) -> str:
    """A paragraph of `n` words in sentences of about 15 words."""
    w = words(rng, n)
    out = []
    for k in range(0, n, 15):
        s = w[k:k + 15]
        s[0] = s[0].capitalize()
        out.append(" ".join(s) + ".")
    return " ".join(out)


def story(seed: int, paragraphs: int = 6, n: int = 45) -> list[str]:
    rng = random.Random(seed)
    return [paragraph(rng, n) for _ in range(paragraphs)]


FOOTER = "Follow us on Twitter and Facebook for the latest updates from our newsroom."
SHARE = "Share this article"
