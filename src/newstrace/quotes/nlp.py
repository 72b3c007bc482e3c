"""Find and load a trained spaCy English pipeline when the user has installed one (optional).

Quote extraction is rule-based and needs nothing beyond plain Python. When spaCy and a trained
English pipeline are installed (the user's own `pip install spacy && python -m spacy download
en_core_web_sm`; newstrace never downloads a model), its entities and parse refine the rule-based
speakers (see `refine.py`). Selection is automatic: the best of en_core_web_trf, _lg, _md, _sm that
is installed, or the name in NEWSTRACE_SPACY_MODEL ("none" forces the rules). spaCy is imported only
when it is installed and only on first use; the choice is logged once per process at INFO level.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from .refine import Analysis, Entity, Model, Subject

log = logging.getLogger("newstrace.quotes")

ENV_VAR = "NEWSTRACE_SPACY_MODEL"
PREFERRED = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm")
OFF_VALUES = frozenset({"none", "off", "rules", "0", "false", "no"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True, slots=True)
class Choice:
    """Which path quote extraction takes: a pipeline name, or None for the rules, and why."""

    model: str | None
    reason: str


def choose() -> Choice:
    """Decide which trained pipeline to use, without loading it (cheap; reads the environment now)."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override.lower() in OFF_VALUES:
        return Choice(None, f"{ENV_VAR}={override}")
    if importlib.util.find_spec("spacy") is None:
        why = "spaCy is not installed"
        return Choice(None, f"{why} ({ENV_VAR}={override} ignored)" if override else why)
    spacy_util: Any = importlib.import_module("spacy.util")
    if override:
        if _installed(spacy_util, override) or os.path.isdir(override):
            return Choice(override, f"{ENV_VAR}={override}")
        return Choice(None, f"{ENV_VAR}={override} is not an installed spaCy pipeline")
    try:
        installed = set(spacy_util.get_installed_models())
    except Exception:  # older spaCy without get_installed_models: ask for each name
        installed = {name for name in PREFERRED if _installed(spacy_util, name)}
    for name in PREFERRED:
        if name in installed:
            return Choice(name, "installed")
    return Choice(None, "spaCy is installed but no trained English pipeline (en_core_web_trf/lg/md/sm)")


def _installed(spacy_util: Any, name: str) -> bool:
    try:
        return bool(spacy_util.is_package(name))
    except Exception:
        return False


class SpacyModel:
    """A loaded spaCy pipeline seen through the `Model` protocol: entities and verb subjects of a text."""

    def __init__(self, nlp: Any, name: str) -> None:
        self.nlp = nlp
        self.name = name

    def analyse(self, text: str) -> Analysis:
        """Entities and the subjects of verbs; an empty analysis for a text longer than the pipeline accepts."""
        if len(text) > getattr(self.nlp, "max_length", 1_000_000):
            return Analysis()
        doc = self.nlp(text)
        entities = tuple(Entity(e.start_char, e.end_char, e.label_) for e in doc.ents)
        subjects: list[Subject] = []
        has_parse = getattr(doc, "has_annotation", None)
        if has_parse is None or has_parse("DEP"):
            for tok in doc:
                if tok.dep_ in SUBJECT_DEPS:
                    verb, left, right = tok.head, tok.left_edge, tok.right_edge
                    subjects.append(Subject(verb.idx, verb.idx + len(verb.text), left.idx, right.idx + len(right.text)))
        return Analysis(entities, tuple(subjects))


@dataclass(slots=True)
class _Loaded:
    choice: Choice
    model: Model | None
    versions: dict[str, str]


_lock = threading.Lock()
_loaded: _Loaded | None = None


def load_model() -> Model | None:
    """The installed trained pipeline, loaded once per process; None means the rule path."""
    return _load().model


def _load() -> _Loaded:
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        choice = choose()
        model: Model | None = None
        versions: dict[str, str] = {}
        if choice.model is not None:
            try:
                spacy: Any = importlib.import_module("spacy")
                nlp = spacy.load(choice.model)
                model = SpacyModel(nlp, choice.model)
                versions = {"spacy": str(spacy.__version__), "model": str(nlp.meta.get("version", ""))}
            except Exception as exc:  # a broken install must not stop extraction: fall back to the rules
                choice = Choice(None, f"loading {choice.model} failed: {type(exc).__name__}: {exc}")
        if model is not None:
            log.info("quotes: refining speakers with spaCy pipeline %s (%s)", choice.model, choice.reason)
        else:
            log.info("quotes: rule-based extraction only (%s)", choice.reason)
        _loaded = _Loaded(choice, model, versions)
        return _loaded


def model_info() -> dict[str, Any]:
    """Which extraction path this process uses, for `--json` output and stats."""
    state = _load()
    return {"path": "spacy" if state.model is not None else "rules", "model": state.choice.model,
            "reason": state.choice.reason, **({"versions": state.versions} if state.versions else {})}


def reset() -> None:
    """Forget the loaded pipeline so the next use chooses again (tests; after changing NEWSTRACE_SPACY_MODEL)."""
    global _loaded
    with _lock:
        _loaded = None
