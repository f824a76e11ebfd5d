"""Team areas: a GeoJSON Polygon or MultiPolygon, checked before it is kept, and whether a point
lies inside it.

GeoJSON (RFC 7946) writes a point as [longitude, latitude]; the rest of Kith passes (latitude,
longitude), so every function here names its arguments. Pure functions: no database.

The test is planar ray casting on longitude and latitude, which is exact enough for areas the
size of a borough or a county. Areas that cross the antimeridian are not supported. A point
exactly on an edge may count either way.
"""

from __future__ import annotations

import math
from typing import Any

from kith.core.errors import ValidationFailed

# Generous for a hand-drawn or simplified boundary (a London borough from ONS, simplified, has a
# few hundred points), small enough that routing one ask stays quick however it is drawn.
MAX_POINTS = 10_000
MAX_POLYGONS = 100
MAX_HOLES = 100
# The most JSON text the admin form reads before it tries to parse it.
MAX_TEXT = 1_000_000
AREA_TYPES = ("Polygon", "MultiPolygon")
EXAMPLE = (
    '{"type": "Polygon", "coordinates": [[[-0.12, 51.46], [-0.10, 51.46], [-0.11, 51.47], '
    "[-0.12, 51.46]]]}"
)

Position = tuple[float, float]  # (longitude, latitude), as GeoJSON has it
Ring = list[Position]
Polygon = list[Ring]  # the outer ring, then any holes


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="area")


def _unwrap(value: object) -> object:
    """A pasted Feature, or a FeatureCollection of one Feature, stands for its geometry."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise _fail(
                "Paste one area: a Polygon, a MultiPolygon, or a FeatureCollection with exactly "
                "one feature"
            )
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    return value


def _ring_name(polygon: int, ring: int, *, multi: bool) -> str:
    if not multi:
        return "The outer ring" if ring == 0 else f"Hole {ring}"
    return f"Polygon {polygon}, outer ring" if ring == 0 else f"Polygon {polygon}, hole {ring}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _ring_clean(raw: object, name: str) -> Ring:
    if not isinstance(raw, list) or len(raw) < 4:
        raise _fail(f"{name} needs at least 4 points: 3 corners, then the first point again")
    ring: Ring = []
    for index, point in enumerate(raw, start=1):
        where = f"{name}, point {index}"
        if not isinstance(point, list) or len(point) not in (2, 3):
            raise _fail(f"{where}: a point must be [longitude, latitude], two numbers")
        longitude, latitude = _number(point[0]), _number(point[1])
        if longitude is None or latitude is None:
            raise _fail(f"{where}: a point must be [longitude, latitude], two numbers")
        if not -180 <= longitude <= 180:
            raise _fail(
                f"{where}: longitude {longitude:g} is outside -180 to 180. "
                "GeoJSON puts longitude first: [longitude, latitude]"
            )
        if not -90 <= latitude <= 90:
            raise _fail(
                f"{where}: latitude {latitude:g} is outside -90 to 90. "
                "GeoJSON puts longitude first: [longitude, latitude]"
            )
        ring.append((longitude, latitude))
    if ring[0] != ring[-1]:
        raise _fail(f"{name} is not closed: its last point must be the same as its first")
    if len(set(ring)) < 3:
        raise _fail(f"{name} has fewer than 3 different points, so it encloses nothing")
    return ring


def _count_points(polygons: list[Any]) -> int:
    """Count before checking, so an enormous area is refused without walking all of it."""
    total = 0
    for polygon in polygons:
        if isinstance(polygon, list):
            total += sum(len(ring) for ring in polygon if isinstance(ring, list))
    return total


def area_clean(value: object) -> dict[str, Any] | None:
    """The area as `{"type": ..., "coordinates": ...}` with plain numbers and no altitudes, or
    None for no area. Raises ValidationFailed (field "area") saying what is wrong and where."""
    if value is None or value == "" or value == {}:
        return None
    value = _unwrap(value)
    if not isinstance(value, dict):
        raise _fail(f"Enter the area as a GeoJSON Polygon or MultiPolygon, like {EXAMPLE}")
    kind = value.get("type")
    if kind not in AREA_TYPES:
        shown = str(kind)[:40] if kind is not None else "missing"
        raise _fail(f"The area must be a GeoJSON Polygon or MultiPolygon; its type is {shown}")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise _fail(
            'The area needs "coordinates": a list of rings, each a list of '
            "[longitude, latitude] points"
        )
    multi = kind == "MultiPolygon"
    polygons_raw: list[Any] = coordinates if multi else [coordinates]
    if len(polygons_raw) > MAX_POLYGONS:
        raise _fail(
            f"The area has {len(polygons_raw):,} polygons; the most Kith takes is {MAX_POLYGONS}"
        )
    points = _count_points(polygons_raw)
    if points > MAX_POINTS:
        raise _fail(
            f"The area has {points:,} points; the most Kith takes is {MAX_POINTS:,}. "
            "Simplify the boundary and try again"
        )
    polygons: list[Polygon] = []
    for number, polygon_raw in enumerate(polygons_raw, start=1):
        if not isinstance(polygon_raw, list) or not polygon_raw:
            where = f"Polygon {number}" if multi else "The polygon"
            raise _fail(f"{where} has no rings: give at least its outer ring")
        if len(polygon_raw) > MAX_HOLES + 1:
            raise _fail(f"A polygon may have at most {MAX_HOLES} holes")
        polygons.append(
            [
                _ring_clean(ring, _ring_name(number, index, multi=multi))
                for index, ring in enumerate(polygon_raw)
            ]
        )
    as_lists = [[[list(point) for point in ring] for ring in polygon] for polygon in polygons]
    return {"type": kind, "coordinates": as_lists if multi else as_lists[0]}


def _polygons(area: dict[str, Any]) -> list[list[list[list[float]]]]:
    coordinates = area["coordinates"]
    return list(coordinates) if area["type"] == "MultiPolygon" else [coordinates]


def area_bounds(area: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min latitude, max latitude, min longitude, max longitude) of a cleaned area."""
    outer = [point for polygon in _polygons(area) for point in polygon[0]]
    longitudes = [point[0] for point in outer]
    latitudes = [point[1] for point in outer]
    return (min(latitudes), max(latitudes), min(longitudes), max(longitudes))


def _ring_contains(ring: list[list[float]], longitude: float, latitude: float) -> bool:
    """Ray casting: count the edges a ray from the point crosses; odd means inside."""
    inside = False
    previous = ring[-1]
    for point in ring:
        (x1, y1), (x2, y2) = previous[:2], point[:2]
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
        previous = point
    return inside


def area_contains(area: dict[str, Any], *, latitude: float, longitude: float) -> bool:
    """Whether the point lies inside a cleaned area: inside an outer ring and in none of its
    holes, for any of its polygons."""
    for polygon in _polygons(area):
        outer, holes = polygon[0], polygon[1:]
        if _ring_contains(outer, longitude, latitude) and not any(
            _ring_contains(hole, longitude, latitude) for hole in holes
        ):
            return True
    return False
