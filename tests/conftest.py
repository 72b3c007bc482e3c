"""Shared fixtures: a fresh store per test, and where the shared real data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"


@pytest.fixture
def store(tmp_path: Path):
    from newstrace.store import Store

    s = Store(tmp_path / "test.db")
    yield s
    s.close()


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"real data not available: {p} is absent (it lives in ../shared beside the repository)")
    return p
