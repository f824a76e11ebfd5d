"""Crisis support someone can reach now: the crisis lines matched to what they need, and local
crisis support that is open now, for an urgent ask and for a search in crisis words.

Screening (`screening.py`) decides whether words suggest danger, and in which categories; this
module only reads its result. Like screening it only ever adds help: it never blocks, delays or
hides anything, and a failure here costs the local part, never the national lines.

- `crisis_needs()`: which `CrisisNeed` lines to add to the lines for everyone. Someone hurting or
  threatening them (screening's "threat-from-someone") brings the domestic abuse lines; a child
  at risk ("child-at-risk") the line for adults worried about a child; their own age (an ask's
  age band, or "I'm 15" in their words) Childline (under 19) and Papyrus (under 35). An age in
  someone else's words ("my son is 15") is not theirs, and is not read.
- `crisis_nearby()`: crisis support within a few kilometres that is open now, support for their
  need first, then the nearest; and what opens within the next day. Nothing that opens next week
  is offered as crisis support, and nothing at all without a place to be near.
- `crisis_lines_for_search()`: the lines for a search on /find/, or none when its words do not
  suggest danger. The directory sits below asks and never imports it (docs/architecture.md):
  settings.KITH_SEARCH_CRISIS_LINES names this function for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from django.utils import timezone

from kith.asks.models import AgeBand, CrisisNeed, CrisisOption
from kith.asks.screening import screen
from kith.asks.selectors import crisis_options
from kith.core.errors import ApplicationError
from kith.directory.geo import postcode_location
from kith.directory.search import SearchHit, SearchQuery, search_services

logger = logging.getLogger(__name__)

NEARBY_RADIUS_M: Final = 5000.0
NEARBY_COUNT: Final = 3
LATER_WITHIN: Final = dt.timedelta(hours=24)
# Local support for a need, where the directory has it, beside its crisis support.
NEED_SUPPORT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    CrisisNeed.DOMESTIC_ABUSE: ("domestic-abuse",),
    CrisisNeed.UNDER_19: ("young-people",),
    CrisisNeed.WORRIED_ABOUT_CHILD: ("young-people",),
}
_YOUNG: Final = frozenset({CrisisNeed.UNDER_19, CrisisNeed.UNDER_35})
_AGE_BAND_NEEDS: Final[dict[str, frozenset[str]]] = {
    AgeBand.UNDER_18: _YOUNG,
    AgeBand.AGE_18_24: frozenset({CrisisNeed.UNDER_35}),
    AgeBand.AGE_25_34: frozenset({CrisisNeed.UNDER_35}),
}
# "I'm 15", "im 16", "I am only 14": their own age, not a number of weeks, miles or pounds.
_STATED_AGE: Final = re.compile(
    r"\bi(?:'m| am|m)\s+(?:only\s+|just\s+)?(\d{1,2})\b(?!\s*(?:%|weeks?|months?|days?|hours?"
    r"|hrs?|minutes?|mins?|miles?|pounds?|quid|stone|kg|times?|pills|tablets|am|pm|o'?clock))"
)


def crisis_needs(
    *, categories: Iterable[str], words: str = "", age_band: str = ""
) -> frozenset[str]:
    """The needs (`CrisisNeed` codes, never "everyone") whose lines to add; see the module doc."""
    found: set[str] = set()
    categories = set(categories)
    if "threat-from-someone" in categories:
        found.add(CrisisNeed.DOMESTIC_ABUSE)
    if "child-at-risk" in categories:
        found.add(CrisisNeed.WORRIED_ABOUT_CHILD)
    found |= _AGE_BAND_NEEDS.get(age_band, frozenset())
    age = _stated_age(words)
    if age is not None and age < 19:
        found |= _YOUNG
    elif age is not None and age < 35:
        found.add(CrisisNeed.UNDER_35)
    return frozenset(str(need) for need in found)


def _stated_age(words: str) -> int | None:
    match = _STATED_AGE.search((words or "")[:5000].casefold().replace("\u2019", "'"))
    if match is None:
        return None
    age = int(match.group(1))
    return age if 5 <= age <= 99 else None


@dataclass(frozen=True)
class CrisisNearby:
    open_now: list[SearchHit] = field(default_factory=list)  # their need first, then nearest
    later: list[SearchHit] = field(default_factory=list)  # opens within a day, soonest first


def crisis_point(postcode: str) -> tuple[float, float] | None:
    """Where a postcode is, or None when it is not given or not known."""
    if not postcode:
        return None
    try:
        return postcode_location(postcode)
    except ApplicationError:
        return None


def crisis_nearby(
    *,
    point: tuple[float, float] | None,
    needs: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> CrisisNearby:
    """Crisis support near `point` open now, and opening within a day (see the module doc)."""
    if point is None:
        return CrisisNearby()
    now = now or timezone.now()
    need_types = sorted({code for need in needs for code in NEED_SUPPORT_TYPES.get(need, ())})
    near = {"latitude": point[0], "longitude": point[1], "radius_m": NEARBY_RADIUS_M}
    types = ("crisis", *need_types)
    try:
        open_now = search_services(
            SearchQuery(support_types=types, open_at=now, per_page=20, **near)  # type: ignore[arg-type]
        ).hits
        soon = search_services(SearchQuery(support_types=types, per_page=20, **near)).hits  # type: ignore[arg-type]
    except Exception:  # the national lines still show; never lose the page over this
        logger.exception("Finding crisis support nearby failed")
        return CrisisNearby()
    open_now.sort(key=lambda hit: not set(hit.support_types) & set(need_types))  # stable
    later = sorted(
        (
            hit
            for hit in soon
            if not hit.is_open_now
            and hit.next_open_at is not None
            and hit.next_open_at - now <= LATER_WITHIN
        ),
        key=lambda hit: hit.next_open_at or now,  # soonest first; nearest first when equal
    )
    return CrisisNearby(open_now=open_now[:NEARBY_COUNT], later=later[:NEARBY_COUNT])


def crisis_lines_reachable_now(lines: Sequence[CrisisOption]) -> list[CrisisOption]:
    """Of these lines, those open any time, in the same order."""
    return [line for line in lines if line.is_always_open]


def crisis_lines_by_need() -> list[tuple[str, list[CrisisOption]]]:
    """Each need's heading ("If you are under 19") with its lines, in the order of the needs,
    leaving out needs with no line shown; the lines for everyone are not here."""
    lines = [line for line in crisis_options(CrisisNeed.values) if line.need]
    return [
        (str(need.label), found)
        for need in CrisisNeed
        if need and (found := [line for line in lines if line.need == need])
    ]


def crisis_lines_for_search(words: str) -> list[CrisisOption]:
    """The crisis lines for a search's words, matched to their need; [] when screening does
    not suggest danger. Called by the directory's search page through settings."""
    screening = screen(words)
    if not screening.is_urgent:
        return []
    return crisis_options(crisis_needs(categories=screening.categories, words=words))
