"""What a search is asked and what it answers: the query and result types, re-exported by the
package (`from kith.directory.search import SearchQuery, SearchResults`). The bottom of the
package: imports nothing else from `search`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from uuid import UUID

from kith.directory.models import Location, Service
from kith.directory.opening import Opening


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_m: float | None = None  # only with latitude/longitude
    support_types: tuple[str, ...] = ()  # any of these
    open_at: dt.datetime | None = None  # aware; "open now" passes timezone.now()
    is_free: bool = False
    is_no_referral_needed: bool = False
    language: str = ""  # ISO 639 code ("pt") or English name ("Portuguese")
    has_step_free_access: bool = False
    organization_id: UUID | None = None
    # Put what is open now first, each part in the usual order (a search in crisis words).
    is_open_now_first: bool = False
    # Nearest first, whatever matches best (only with latitude/longitude); else the best match.
    is_nearest_first: bool = False
    # Say why each hit is there (SearchHit.explanation): for directory editors, one more query.
    explain: bool = False
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class MatchedWord:
    word: str  # as typed (or added by the everyday layer)
    field: str  # where the listing has it: "name", "other name or support type", "description"
    is_added: bool = False  # added by the everyday layer for a support type it inferred


@dataclass
class Explanation:
    """Why a hit is where it is: the parts of the blend (engine.py, WEIGHT_*), each 0 to 1."""

    matched: list[MatchedWord] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)  # inferred types the listing carries
    text: float = 0.0
    support_type: float = 0.0
    closeness: float = 0.0
    open_soon: float = 0.0
    blend: float = 0.0  # the weighted sum of the four
    weights: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # the blend's, in order
    found_by: str = "words"  # "words", "meaning" or "words and meaning" (hybrid search)
    rank_by_words: int | None = None  # place in the order by words alone, before any fusion


@dataclass
class SearchHit:
    service: Service
    location: Location | None  # the nearest location, when a point was given; else the first
    distance_m: float | None
    score: float
    support_types: list[str] = field(default_factory=list)
    is_open_now: bool = False
    next_open_at: dt.datetime | None = None  # start of the opening in progress, else the next
    opening: Opening | None = None  # that opening, with its end
    explanation: Explanation | None = None  # only when SearchQuery.explain


@dataclass
class Interpretation:
    """What the engine understood, so the page can say "Showing results for ..."."""

    support_types: list[str] = field(default_factory=list)  # inferred from everyday words
    corrected_text: str | None = None  # when typos were corrected
    understood_words: list[str] = field(default_factory=list)
    # Listing words the everyday layer added for the support types it inferred.
    added_words: list[str] = field(default_factory=list)
    ignored_words: list[str] = field(default_factory=list)  # words that matched nothing
    is_understood: bool = True  # False: words were given and none meant anything


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    interpretation: Interpretation = field(default_factory=Interpretation)
    is_total_capped: bool = False  # True: more matched than the 1,000 the engine ranks
