"""Provenance: who copied whom, in which order, and who got credit.

Pure functions over plain data (articles, reuse pairs and passages, boilerplate ranges):
`evidence` decides the direction of each reuse edge, `trees` builds each story's republication tree,
`credit` classes each copy's credit, `changes` says what a copy added, cut and reworded, `network`
summarises site-to-site copying. `runner` runs them over the store incrementally.
"""

from __future__ import annotations

from .credit import CREDIT_CLASSES, CREDITED, INTERMEDIARY, ORIGIN, UNCREDITED, credit_class
from .evidence import Direction, infer_direction
from .trees import SecondarySource, StoryTree, TreeOptions, build_story, story_components, trace_stories

__all__ = [
    "CREDIT_CLASSES", "CREDITED", "INTERMEDIARY", "ORIGIN", "UNCREDITED", "Direction", "SecondarySource",
    "StoryTree", "TreeOptions", "build_story", "credit_class", "infer_direction", "story_components",
    "trace_stories",
]
