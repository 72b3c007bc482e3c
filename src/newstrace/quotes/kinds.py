"""Sourcing kinds: is a statement sourced to a named person, an organisation, someone unnamed, a document or a post?

The five words are shared with the synthetic corpus truth (see contracts): named-person,
named-organisation, anonymous, document, social-media.
"""

from __future__ import annotations

import re

from . import lexicon as lx

_PLATFORMS = "|".join(re.escape(p) for p in sorted(lx.SOCIAL_PLATFORMS, key=len, reverse=True))
# "on Twitter", "in a post on X", "on his Telegram channel", "in a Facebook post", "wrote on social media"
SOCIAL_CONTEXT_RE = re.compile(
    rf"\b(?:on|via|in)\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|their\s+|its\s+)?(?:official\s+)?(?:{_PLATFORMS})\b"
    rf"|\b(?:in|on)\s+(?:a|an|his|her|their|its)\s+(?:\w+\s+){{0,2}}(?:tweet|post|video|message|story|livestream)\b",
    re.IGNORECASE,
)
_X_RE = re.compile(r"\bon X\b")  # "X" alone is a platform only when capitalised

CATEGORY_KIND = {
    "person": "named-person",
    "organisation": "named-organisation",
    "anonymous": "anonymous",
    "document": "document",
    "social": "social-media",
}


def is_social(context: str) -> bool:
    """Whether the words around a cue place the statement on social media ("wrote on Telegram")."""
    m = SOCIAL_CONTEXT_RE.search(context)
    if m is None:
        return False
    if m.group().lower().endswith(" x"):
        return bool(_X_RE.search(context))
    return True


def sourcing_kind(category: str, cue_lemma: str | None, context: str = "") -> str:
    """The sourcing kind of one attribution from its speaker's category, its cue and the words around the cue."""
    if cue_lemma in lx.SOCIAL_VERBS or (context and is_social(context)):
        return "social-media"
    return CATEGORY_KIND.get(category, "anonymous")
