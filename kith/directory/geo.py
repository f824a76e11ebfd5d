"""Postcodes and distances: validate what people type, find where it is, measure how far."""

from __future__ import annotations

import math
import re

from kith.core.errors import ValidationFailed
from kith.directory.models import Postcode

EARTH_RADIUS_M = 6_371_008.8
# UK postcode: outward code (area, district, optional letter) then inward code (digit, two letters).
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
POSTCODE_ERROR = "Enter a real postcode, like SW9 8EJ"


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


def postcode_key(postcode: str) -> str:
    return postcode.replace(" ", "").upper()


def postcode_location(raw: str) -> tuple[float, float] | None:
    """The centre of a postcode, else of its district; None when neither is known.

    Raises ValidationFailed when `raw` is not shaped like a postcode at all.
    """
    postcode = normalise_postcode(raw)
    keys = [postcode_key(postcode)]
    if " " in postcode:
        keys.append(postcode.split(" ")[0])
    found = {p.code: p for p in Postcode.objects.filter(code__in=keys)}
    for key in keys:
        if key in found:
            return (found[key].latitude, found[key].longitude)
    return None


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
