"""Services at locations nearest a point, a page at a time, from the search index.

The same "near" as the search engine (`engine._near`): a bounding box on the index's
(lat_band, longitude) index, ordered in SQL by the engine's flat-earth distance, widening the
circle (2, 5, 12, 30, 80, 200 km, then everywhere) until the page is filled. Only the rows up to
the end of the page are read, never the whole directory; a count gives the total. Rows with no
point come after every placed row, by id. Like search, it holds active services only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import ExpressionWrapper, F, FloatField, QuerySet, Value

from kith.directory.geo import bounding_box, distance_m
from kith.directory.models import SearchEntry

WIDENING_RADII_M: tuple[float | None, ...] = (
    2_000,
    5_000,
    12_000,
    30_000,
    80_000,
    200_000,
    None,
)


@dataclass
class NearPage:
    ids: list[UUID]  # service-at-location ids, nearest first, then those with no point
    total: int
    distances: dict[UUID, float] = field(default_factory=dict)  # metres, for placed rows


def service_at_locations_near(
    latitude: float,
    longitude: float,
    *,
    radius_m: float | None = None,
    service_ids: QuerySet[Any] | Sequence[UUID] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> NearPage:
    """The page [offset, offset + limit) of services at locations by distance from the point
    (limit None: all of them). With `radius_m`, only those within it (and none without a
    point). `service_ids` narrows to those services (a queryset of ids or a list)."""
    entries = SearchEntry.objects.filter(service_at_location__isnull=False)
    if service_ids is not None:
        entries = entries.filter(service_id__in=service_ids)
    scale = math.cos(math.radians(latitude)) ** 2
    by_distance = entries.annotate(
        flat_distance=ExpressionWrapper(
            (F("latitude") - Value(latitude)) * (F("latitude") - Value(latitude))
            + (F("longitude") - Value(longitude))
            * (F("longitude") - Value(longitude))
            * Value(scale),
            output_field=FloatField(),
        )
    ).order_by("flat_distance", "service_at_location_id")
    end = None if limit is None else offset + limit

    if radius_m is not None:
        inside = _within(by_distance, latitude, longitude, radius_m, None)
        return _page(inside, [], offset, end, total=len(inside))

    placed_total = entries.filter(latitude__isnull=False).count()
    total = entries.count()
    wanted = placed_total if end is None else min(end, placed_total)
    placed: list[tuple[UUID, float]] = []
    for radius in WIDENING_RADII_M if offset < wanted else ():
        placed = _within(by_distance, latitude, longitude, radius, wanted)
        if len(placed) >= wanted:
            break
    unplaced: list[UUID] = []
    if end is None or end > placed_total:
        first = max(offset - placed_total, 0)
        last = None if end is None else end - placed_total
        unplaced = list(
            entries.filter(latitude__isnull=True)
            .order_by("service_at_location_id")
            .values_list("service_at_location_id", flat=True)[first:last]
        )
    return _page(placed, unplaced, offset, end, total=total)


def _within(
    by_distance: QuerySet[Any],
    latitude: float,
    longitude: float,
    radius: float | None,
    limit: int | None,
) -> list[tuple[UUID, float]]:
    """(id, metres) nearest first, inside the circle (everywhere when radius is None)."""
    rows = by_distance.filter(latitude__isnull=False)
    if radius is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, radius)
        bands = list(range(math.floor(min_lat * 100), math.floor(max_lat * 100) + 1))
        rows = rows.filter(
            lat_band__in=bands,
            longitude__range=(min_lon, max_lon),
            latitude__range=(min_lat, max_lat),
        )
    values = rows.values_list("service_at_location_id", "latitude", "longitude")
    if limit is not None:
        values = values[:limit]
    found = [(sal_id, distance_m(latitude, longitude, lat, lon)) for sal_id, lat, lon in values]
    if radius is not None:
        found = [(sal_id, metres) for sal_id, metres in found if metres <= radius]
    # The flat-earth order is the engine's; equal or near-equal distances settle by metres, id.
    return sorted(found, key=lambda row: (row[1], str(row[0])))


def _page(
    placed: list[tuple[UUID, float]],
    unplaced: list[UUID],
    offset: int,
    end: int | None,
    *,
    total: int,
) -> NearPage:
    """Cut the page out of the placed rows (the first of the order) and add the unplaced rows
    (already cut to the page)."""
    page = [sal_id for sal_id, _ in placed[offset:end]]
    if unplaced:
        page += unplaced
    distances = dict(placed[offset:end])
    return NearPage(ids=page, total=total, distances=distances)
