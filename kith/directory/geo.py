"""Postcodes and distances: validate what people type, find where it is, measure how far."""

from __future__ import annotations

import math
import re

from django.db.models import Avg, Count
from django.db.models.functions import Length

from kith.core.errors import ValidationFailed
from kith.directory.models import Postcode, SearchEntry

EARTH_RADIUS_M = 6_371_008.8
# UK postcode: outward code (area, district, optional letter) then inward code (digit, two letters).
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# A postcode sector as people type the start of a postcode: outward code, inward digit, perhaps
# one letter more ("SE115", "SE11 5A"). Only tried after a district, so "SW95" stays a district.
_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9])[A-Z]?$")
_INWARD_START = re.compile(r"^[0-9][A-Z]{0,2}$")
POSTCODE_ERROR = "Enter a real postcode, like SW9 8EJ"
SEARCH_POSTCODE_ERROR = "Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9"
# A point with no listing this close is outside the directory's area (not merely a quiet corner).
OUTSIDE_AREA_M = 50_000


def normalise_postcode(raw: str) -> str:
    """'sw9 8ej' → 'SW9 8EJ'; 'sw9' → 'SW9'. Raises ValidationFailed for anything else."""
    compact = re.sub(r"\s+", "", (raw or "").upper())
    if len(compact) > 8:
        raise ValidationFailed(POSTCODE_ERROR, field="postcode")
    match = _FULL.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if _OUTWARD.match(compact):
        return compact
    raise ValidationFailed(POSTCODE_ERROR, field="postcode")


def normalise_search_postcode(raw: str) -> str:
    """A postcode or the start of one, as people search by it: a full postcode ('sw9 8ej' →
    'SW9 8EJ'), a sector ('se11 5', 'SE115', 'se11 5a' → 'SE11 5') or a district ('sw9' → 'SW9').
    Raises ValidationFailed for anything else."""
    text = " ".join((raw or "").upper().split())
    compact = text.replace(" ", "")
    if len(compact) > 8:
        raise ValidationFailed(SEARCH_POSTCODE_ERROR, field="postcode")
    outward, _, inward = text.partition(" ")
    inward = inward.replace(" ", "")
    if inward and _OUTWARD.match(outward) and _INWARD_START.match(inward):
        return f"{outward} {inward}" if len(inward) == 3 else f"{outward} {inward[0]}"
    match = _FULL.match(compact)
    if match:
        return f"{match.group(1)} {match.group(2)}"
    if _OUTWARD.match(compact):
        return compact
    sector = _SECTOR.match(compact)
    if sector:
        return f"{sector.group(1)} {sector.group(2)}"
    raise ValidationFailed(SEARCH_POSTCODE_ERROR, field="postcode")


def postcode_key(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def postcode_location(raw: str) -> tuple[float, float] | None:
    """The centre of a postcode, else of its sector, else of its district; None when none is
    known. A sector ('SE11 5') is the centre of its postcodes; a district ('SE11'), its own row.

    Raises ValidationFailed when `raw` is not shaped like a postcode or the start of one.
    """
    postcode = normalise_search_postcode(raw)
    outward, _, inward = postcode.partition(" ")
    keys = [postcode_key(postcode)] if len(inward) == 3 else []
    keys.append(outward)
    found = {p.code: p for p in Postcode.objects.filter(code__in=keys)}
    if len(inward) == 3 and keys[0] in found:
        return (found[keys[0]].latitude, found[keys[0]].longitude)
    if inward:
        centre = sector_centre(outward, inward[0])
        if centre is not None:
            return centre
    if outward in found:
        return (found[outward].latitude, found[outward].longitude)
    return None


def sector_centre(outward: str, digit: str) -> tuple[float, float] | None:
    """The mean of the postcodes in a sector ('SE11', '5'), or None when it has none.

    An index range scan on the primary key: the sector's codes are exactly those from 'SE115AA'
    to 'SE115ZZ' that are two characters longer than 'SE115' (which keeps 'SE1 5xx' apart from
    'SE15 5xx': '5' sorts before every letter)."""
    prefix = f"{outward}{digit}"
    found = (
        Postcode.objects.filter(is_district=False, code__gte=f"{prefix}AA", code__lte=f"{prefix}ZZ")
        .annotate(code_length=Length("code"))
        .filter(code_length=len(prefix) + 2)
        .aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"), count=Count("code"))
    )
    if not found["count"]:
        return None
    return (round(found["latitude"], 6), round(found["longitude"], 6))


def is_outside_area(latitude: float, longitude: float) -> bool:
    """Whether the point is far from every listed place (none within OUTSIDE_AREA_M, in a box
    as wide, on the search index's near index) while the directory has places somewhere."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, OUTSIDE_AREA_M)
    bands = range(math.floor(min_lat * 100), math.floor(max_lat * 100) + 1)
    placed = SearchEntry.objects.filter(latitude__isnull=False)
    nearby = placed.filter(
        lat_band__in=list(bands),
        longitude__range=(min_lon, max_lon),
        latitude__range=(min_lat, max_lat),
    )
    return not nearby.exists() and placed.exists()


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle; for an indexed pre-filter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
