"""newstrace: trace a news story back to its sources."""

__version__ = "0.1.0"
