"""A small offline language guess: writing system first, then stopword counts.

Good enough to label news articles (long texts) in the languages newstrace meets most; it needs no
model download. Returns an ISO 639-1 code or None when unsure.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

__all__ = ["detect_language", "normalise_language"]

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the of and to in is that for it was on with as by at from he his said have are be this"),
    "fr": _words("le la les de des du et est une un dans pour que qui sur pas par au aux avec il elle ont"),
    "de": _words("der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es wird"),
    "es": _words("el la los las de del y en que un una por con para es se su al lo como más fue"),
    "it": _words("il lo la gli le di del della e che un una per con non sono è nel alla anche"),
    "pt": _words("o a os as de do da dos das e que um uma para com não em no na por mais foi"),
    "nl": _words("de het een en van in is dat op te zijn met voor niet die aan ook er"),
    "ru": _words("и в не на что с по это как из он она к у за о от для то был его"),
    "uk": _words("і в не на що з по це як із він вона до у за про від для та був його"),
    "ar": _words("في من على إلى أن عن مع هذا التي الذي كان قال و ما لا"),
    "fa": _words("و در به از که این را با است برای آن یک می شد"),
    "ur": _words("کے میں کی ہے اور سے کو نے کا ہیں پر کہ یہ تھا"),
}

# (lo, hi, label): a label is a language code or a script that needs stopwords to split
_RANGES: list[tuple[int, int, str]] = [
    (0x0400, 0x04FF, "cyrillic"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
    (0x0590, 0x05FF, "he"),
    (0x0370, 0x03FF, "el"),
    (0x0900, 0x097F, "hi"),
    (0x0980, 0x09FF, "bn"),
    (0x0E00, 0x0E7F, "th"),
    (0x10A0, 0x10FF, "ka"),
    (0x0530, 0x058F, "hy"),
    (0x3040, 0x30FF, "ja"),  # hiragana/katakana: Japanese even beside kanji
    (0xAC00, 0xD7AF, "ko"),
    (0x1100, 0x11FF, "ko"),
    (0x4E00, 0x9FFF, "han"),
    (0x3400, 0x4DBF, "han"),
]

_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())
_LATIN_EXT = re.compile(r"[\u00C0-\u024F]")
_NON_LATIN = re.compile(r"[^\W\d_\u0000-\u024F]")
_WORD = re.compile(r"[^\W\d_]+")
_URDU_LETTERS = set("ٹڈڑںےۓہھگ")
_PERSIAN_LETTERS = set("پچژگ")


def _script_counts(text: str) -> Counter[str]:
    """Letters per writing system: Latin by one regex, other scripts by their distinct characters."""
    counts: Counter[str] = Counter()
    # ASCII letters by bytes.translate (C speed); accented Latin letters are few enough to count by regex
    latin = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER))
    if text.isascii():
        if latin:
            counts["latin"] = latin
        return counts
    latin += len(_LATIN_EXT.findall(text))
    if latin:
        counts["latin"] = latin
    for ch, n in Counter(_NON_LATIN.findall(text)).items():
        label = _label(ch)
        if label:
            counts[label] += n
    return counts


@lru_cache(maxsize=8192)
def _label(ch: str) -> str | None:
    o = ord(ch)
    for lo, hi, label in _RANGES:
        if lo <= o <= hi:
            return label
    return None


def _by_stopwords(words: list[str], candidates: list[str]) -> str | None:
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in _STOPWORDS[lang]) for lang in candidates}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else None


def detect_language(text: str, sample: int = 3000) -> str | None:
    """Guess the language of `text` (ISO 639-1), or None for too little or unknown text."""
    text = text[:sample]
    counts = _script_counts(text)
    if not counts:
        return None
    script, n = counts.most_common(1)[0]
    if n < 3:
        return None
    if script == "han":
        return "ja" if counts.get("ja", 0) > n * 0.05 else "zh"
    if script in ("latin", "cyrillic", "arabic"):
        words = _WORD.findall(text.lower())
        if script == "latin":
            return _by_stopwords(words, ["en", "fr", "de", "es", "it", "pt", "nl"])
        if script == "cyrillic":
            if any(ch in text for ch in "іїєґ"):
                return "uk"
            return _by_stopwords(words, ["ru", "uk"]) or "ru"
        urdu = sum(1 for ch in text if ch in _URDU_LETTERS)
        if urdu >= 3:
            return "ur"
        guess = _by_stopwords(words, ["ar", "fa", "ur"])
        if guess:
            return guess
        return "fa" if sum(1 for ch in text if ch in _PERSIAN_LETTERS) >= 3 else "ar"
    return script


def normalise_language(value: str | None) -> str | None:
    """"en-US", "EN_gb", "ru" -> "en", "en", "ru"; anything else that is not a language tag -> None."""
    if not value:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return m.group(1).lower() if m else None
