"""Dates as pages and records state them, normalised to aware UTC datetimes.

Publication times decide who published first, so a timezone offset must survive parsing
("2021-07-22T18:30:00+03:00" is 15:30 UTC); a date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

__all__ = ["parse_date", "date_from_url", "to_utc"]

_MIN_YEAR, _MAX_YEAR = 1990, 2100
_URL_DATE = [
    re.compile(r"/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/)"),
]
def _tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


# zone abbreviations seen in news pages; dateutil only knows UTC/GMT by itself
TZINFOS = {name: _tz(h) for name, h in {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "IST": 5.5, "PKT": 5, "WIB": 7, "ICT": 7, "HKT": 8, "SGT": 8, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "ACST": 9.5, "AWST": 8, "NZST": 12, "NZDT": 13, "SAST": 2, "EAT": 3, "WAT": 1,
    "CAT": 2, "GST": 4, "AST": 3, "TRT": 3, "IRST": 3.5,
}.items()}
_EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime: naive values are taken as UTC, offsets are converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: str | None) -> datetime | None:
    """Parse an ISO 8601, RFC 2822 or common human date to UTC; None for empty, absurd or unparseable values."""
    if not value:
        return None
    value = " ".join(str(value).split())
    if not value or len(value) > 80:
        return None
    try:
        if _EPOCH.match(value):
            stamp = int(value[:10])
            parsed = datetime.fromtimestamp(stamp, UTC)
        else:
            try:
                parsed = dateutil_parser.isoparse(value)
            except ValueError:
                with warnings.catch_warnings():
                    # an unknown zone name ("EDT+1") is taken as UTC rather than warned about
                    warnings.simplefilter("ignore")
                    parsed = dateutil_parser.parse(value, fuzzy=False, tzinfos=TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    if not (_MIN_YEAR <= parsed.year <= _MAX_YEAR):
        return None
    return to_utc(parsed)


def date_from_url(url: str | None) -> datetime | None:
    """A date written in a URL path ("/2021/07/22/slug", "/2021-07-22-slug", "/20210722/"), as UTC midnight."""
    if not url:
        return None
    path = url.split("?", 1)[0]
    for pattern in _URL_DATE:
        m = pattern.search(path)
        if m:
            try:
                return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=UTC)
            except ValueError:
                continue
    return None
