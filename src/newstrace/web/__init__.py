"""The web UI and JSON API (`newstrace serve`): pages and /api/ read the same view functions."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
