"""Quotes: who said what in each article, the sourcing kind of each statement, and quotes across copies."""

from __future__ import annotations

from .extract import extract_attributions
from .models import KINDS, Alteration, Attribution, QuoteAppearance, QuoteTrail

__all__ = ["extract_attributions", "Attribution", "QuoteAppearance", "QuoteTrail", "Alteration", "KINDS"]
