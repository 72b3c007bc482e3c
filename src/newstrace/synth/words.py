"""Word and name pools per language, read once from Faker's lorem and person providers.

Faker is only a source of word lists here: we read its class attributes once and draw everything else
with our own `random.Random`, which keeps generation fast and deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from .locales import LOCALES

_FAKER_LOCALE = {"en": "en_US", "ru": "ru_RU", "zh": "zh_CN"}


@dataclass(frozen=True, slots=True)
class Person:
    """A named person: a speaker or an author."""

    name: str
    surname: str
    female: bool


@dataclass(frozen=True, slots=True)
class Vocab:
    """Everything text generation draws from for one language."""

    lang: str
    words: tuple[str, ...]  # content words
    function: tuple[str, ...]
    mixed: tuple[str, ...]  # content and function words, the draw for running text
    first_female: tuple[str, ...]
    first_male: tuple[str, ...]
    last_female: tuple[str, ...]
    last_male: tuple[str, ...]
    synonyms: dict[str, str]


def _faker_attr(kind: str, locale: str, attr: str) -> tuple[str, ...]:
    """Read a list-like attribute of a Faker provider class without instantiating Faker."""
    try:
        module = __import__(f"faker.providers.{kind}.{locale}", fromlist=["Provider"])
    except ImportError as exc:  # faker is the `synth` extra
        raise RuntimeError("newstrace synth needs Faker: pip install 'newstrace[synth]'") from exc
    value = getattr(module.Provider, attr)
    return tuple(sorted(value)) if isinstance(value, dict | set | frozenset) else tuple(value)


# A few real synonym pairs for the rewording edit; other swaps draw another word from the list.
_EN_SYNONYMS = {
    "about": "regarding", "after": "following", "also": "additionally", "big": "large", "buy": "purchase",
    "change": "shift", "help": "assist", "important": "significant", "increase": "rise", "large": "big",
    "leave": "quit", "many": "numerous", "need": "require", "often": "frequently", "official": "authorised",
    "people": "citizens", "report": "account", "say": "state", "show": "reveal", "small": "minor",
    "start": "begin", "try": "attempt", "use": "employ", "very": "highly", "week": "seven days",
}


@cache
def vocab(lang: str) -> Vocab:
    """The pools for `lang`, built once per process."""
    if lang not in LOCALES:
        raise ValueError(f"unsupported language {lang!r}; choose from {', '.join(LOCALES)}")
    loc = _FAKER_LOCALE[lang]
    words = tuple(w for w in _faker_attr("lorem", loc, "word_list") if w and " " not in w)
    if lang == "en":
        words = tuple(w for w in words if len(w) > 2)
    function = tuple(LOCALES[lang]["function"])
    ff = _faker_attr("person", loc, "first_names_female")
    fm = _faker_attr("person", loc, "first_names_male")
    if lang == "ru":
        lf = _faker_attr("person", loc, "last_names_female")
        lm = _faker_attr("person", loc, "last_names_male")
    else:
        lf = lm = _faker_attr("person", loc, "last_names")
    mixed = words + function * max(1, len(words) // (len(function) * 2))
    return Vocab(lang, words, function, mixed, ff, fm, lf, lm, _EN_SYNONYMS if lang == "en" else {})


def person(rng: random.Random, v: Vocab) -> Person:
    """A random person with a name written the way the language writes names."""
    female = rng.random() < 0.5
    first = rng.choice(v.first_female if female else v.first_male)
    last = rng.choice(v.last_female if female else v.last_male)
    name = f"{last}{first}" if v.lang == "zh" else f"{first} {last}"
    return Person(name, last, female)


def people(rng: random.Random, v: Vocab, n: int) -> list[Person]:
    """`n` distinct people (a pre-sampled pool; per-article draws pick from it)."""
    seen: set[str] = set()
    out: list[Person] = []
    for _ in range(n * 20):
        p = person(rng, v)
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
            if len(out) == n:
                break
    return out
