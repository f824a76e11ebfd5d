"""Finding support: one search engine behind the web page and the ORUK API.

CONTRACT (kept stable for views, the ORUK API, the demo and the importers):
- `search_services(SearchQuery) -> SearchResults`: best first.
- `index_services(service_ids=None)`: bring the search index up to date for these services
  (None: all). Every write path that changes a listing calls it after saving.

PLACEHOLDER: a plain substring match until the real engine lands; same signatures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Q

from kith.directory.models import Location, Service


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_m: float | None = None  # only with latitude/longitude
    support_types: tuple[str, ...] = ()
    open_at: dt.datetime | None = None  # aware; "open now" passes timezone.now()
    is_free: bool = False
    is_no_referral_needed: bool = False
    language: str = ""  # ISO 639 code, e.g. "pt"
    has_step_free_access: bool = False
    organization_id: UUID | None = None
    page: int = 1
    per_page: int = 20


@dataclass
class SearchHit:
    service: Service
    location: Location | None  # the nearest location, when a point was given; else the first
    distance_m: float | None
    score: float
    support_types: list[str] = field(default_factory=list)
    is_open_now: bool = False
    next_open_at: dt.datetime | None = None


@dataclass
class Interpretation:
    """What the engine understood, so the page can say "Showing results for ..."."""

    support_types: list[str] = field(default_factory=list)  # inferred from everyday words
    corrected_text: str | None = None  # when typos were corrected


@dataclass
class SearchResults:
    hits: list[SearchHit]
    total: int
    page: int
    per_page: int
    interpretation: Interpretation = field(default_factory=Interpretation)


def search_services(query: SearchQuery) -> SearchResults:
    services = Service.objects.filter(status=Service.Status.ACTIVE)
    if query.text.strip():
        services = services.filter(
            Q(name__icontains=query.text) | Q(description__icontains=query.text)
        )
    total = services.count()
    start = (query.page - 1) * query.per_page
    hits = [
        SearchHit(service=s, location=None, distance_m=None, score=0.0)
        for s in services[start : start + query.per_page]
    ]
    return SearchResults(hits=hits, total=total, page=query.page, per_page=query.per_page)


def index_services(service_ids: Iterable[UUID] | None = None) -> None:
    return None
