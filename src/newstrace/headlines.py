"""Headlines compared across pages: a normalised form, and the cores a dressed-up headline wraps.

A copy often keeps its source's headline, or dresses it up: "BREAKING: <headline>", "Is <headline>?",
"<headline> | Outlet". A headline's *cores* are its normalised form with a few words taken off either end,
so that "breaking ships held at the port for a week" has "ships held at the port for a week" among them.
Reuse treats a page whose whole headline is a core of another's as a page that says it is related;
provenance (`trees`) compares headlines in the same normalised form to tell which page a copy took.
"""

from __future__ import annotations

import hashlib
import unicodedata

__all__ = ["norm_title", "headline_cores", "headline_hash"]

MIN_CORE_WORDS = 4  # a core names a story only from this many words ...
MIN_CORE_CHARS = 20  # ... and characters (half as many, and no word count, for scripts without spaces)
MAX_LEAD_WORDS = 3  # words a dressed-up headline adds before the one it wraps ("Exclusive:", "Is ...?") ...
MAX_TAIL_WORDS = 4  # ... and after it ("| The New York Times")
MAX_TRIM_CHARS = 4  # the same in characters, either end, for headlines written without spaces


def norm_title(title: str) -> str:
    """A headline compared without case, punctuation or extra spaces."""
    return " ".join("".join(ch for ch in (title or "").lower() if ch.isalnum() or ch.isspace()).split())


def headline_cores(title: str) -> list[str]:
    """The normalised headline and what is left of it with up to `MAX_LEAD_WORDS` words taken off the front and
    `MAX_TAIL_WORDS` off the back, keeping those long enough to name a story (the whole headline first; none
    for a short one)."""
    t = norm_title(title)
    words = t.split(" ")
    out: list[str] = []
    if len(words) == 1:  # one word: a headline in a script written without spaces, or too short
        if len(t) < MIN_CORE_CHARS // 2 or not _unspaced(t):
            return []
        for i in range(MAX_TRIM_CHARS + 1):
            for j in range(MAX_TRIM_CHARS + 1):
                core = t[i:len(t) - j]
                if len(core) >= MIN_CORE_CHARS // 2 and len(core) * 2 >= len(t):
                    out.append(core)
        return list(dict.fromkeys(out))
    for i in range(MAX_LEAD_WORDS + 1):
        for j in range(MAX_TAIL_WORDS + 1):
            kept = words[i:len(words) - j]
            core = " ".join(kept)
            if len(kept) >= MIN_CORE_WORDS and len(core) >= MIN_CORE_CHARS:
                out.append(core)
    return list(dict.fromkeys(out))


def _unspaced(text: str) -> bool:
    """Mostly characters of scripts written without spaces (Chinese, Japanese: wide forms; Thai)."""
    n = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F") or "\u0e00" <= ch <= "\u0e7f")
    return 2 * n >= len(text)


def headline_hash(core: str) -> int:
    """A stable 63-bit hash of a core (the same in every process: reuse keeps these in its index)."""
    return int.from_bytes(hashlib.blake2b(core.encode(), digest_size=8, person=b"nt-headline").digest(),
                          "little") >> 1
