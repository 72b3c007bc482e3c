"""The statements of the seed page come out right; an invented page in the same style runs without shared/.

The seed page is real article text, so it is read from ../shared/seed/ and never copied into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.quotes import Attribution, extract_attributions

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_6b9851dab32c511f.txt"

# Invented, in the seed's shape: a question headline, a byline, a spokeswoman introduced with her title inside
# "according to", a pronoun, a nominal reference, an anonymous source inside her statement, a director with a
# long pre-name title, and site boilerplate that must yield nothing.
INVENTED = """Is Northland Arming Rebels In Vostia? Eastland's Interior Ministry

Facts point to links between Northland and rebels in Vostia — Eastland official

By [Lena Ashby](#)

Harbour Review, March 3, 2024

Visit and follow us on Instagram at [@harbour_review](#).

According to Interior Ministry Spokeswoman Elena Varga, Eastland knows of unmarked trucks crossing the border at \
night. “No convoy of that size could move unnoticed by the Northland border guards who control every crossing,” \
she explained

Eastland knows of unmarked trucks crossing the border at night, particularly near the southern passes, the official \
underlined. According to Vostian sources, this is how the rebels received fuel and ammunition, Varga stressed. \
“No convoy of that size could move unnoticed by the Northland border guards who control every crossing,” she explained.

Head of the Eastland Interior Ministry’s Border Policy Department Tomas Halloran said earlier during a panel hosted \
by the Lakeside Security Forum that Eastland had received reports of specific deliveries to rebel camps.

The original source of this article is [Harbour Review](#)
Copyright © [Lena Ashby](#), 2024

Disclaimer: The contents of this article are of sole responsibility of the author(s). The Review will not be \
responsible for any inaccurate or incorrect statement in this article."""


def _check(atts: list[Attribution], spokes: str, role: str, official: str, director: str, director_role: str,
           anonymous: str) -> None:
    by_cue: dict[str, list[Attribution]] = {}
    for a in atts:
        by_cue.setdefault((a.cue or "").lower(), []).append(a)
    hers = [a for a in atts if a.speaker_name == spokes]
    assert {(a.cue or "").lower() for a in hers} == {"according to", "explained", "stressed", official}
    assert all(a.role == role and a.kind == "named-person" for a in hers)
    nominal = by_cue[official][0]
    assert nominal.speaker == "the " + ("diplomat" if official == "emphasized" else "official")
    assert [a.speaker for a in by_cue["explained"]] == ["she", "she"] and all(a.direct for a in by_cue["explained"])
    anon = [a for a in atts if a.kind == "anonymous"]
    assert len(anon) == 1 and anon[0].speaker == anonymous and anon[0].cue == "According to"
    assert anon[0].content.startswith("this is how")
    d = by_cue["said"]
    assert len(d) == 1 and d[0].speaker_name == director and d[0].role == director_role
    assert d[0].content.startswith("that ") and d[0].kind == "named-person"
    assert len(atts) == 7  # nothing from the headline, byline, credit lines or disclaimer


def test_invented_page_in_the_seed_style() -> None:
    _check(extract_attributions(INVENTED), "Elena Varga", "Interior Ministry Spokeswoman", "underlined",
           "Tomas Halloran", "Head of the Eastland Interior Ministry’s Border Policy Department", "Vostian sources")


@pytest.mark.realdata
def test_seed_page_statements() -> None:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    atts = extract_attributions(SEED.read_text(encoding="utf-8"))
    _check(atts, "Maria Zakharova", "Foreign Ministry Spokeswoman", "emphasized", "Zamir Kabulov",
           "Director of the Russian Foreign Ministry’s Second Asian Department", "Afghan sources")
