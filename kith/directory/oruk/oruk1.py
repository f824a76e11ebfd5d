"""Translate an ORUK 1.0 service into the ORUK 3.0 shape the importer reads.

ORUK 1.0 (most UK council feeds until 2024) nests `service_at_locations` with `physical_addresses`
and `accessibility_for_disabilities`, opening times as `regular_schedules` (a weekday and hours)
and `holiday_schedules` (closures and special hours between two dates), and classifies through
`service_taxonomys`. Its ids need not be UUIDs: those that are not become UUID5s of the original,
so importing the same feed again updates the same rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

NAMESPACE = uuid.UUID("1b6f0b7e-3c55-4b59-9d8a-0e2f5a7c9d41")
ORUK1_KEYS = frozenset(
    {
        "regular_schedules",
        "holiday_schedules",
        "service_taxonomys",
        "eligibilitys",
        "fundings",
        "reviews",
        "deliverable_type",
        "attending_type",
        "attending_access",
    }
)
WEEKDAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
MAX_HOLIDAY_DAYS = 366
Json = dict[str, Any]


def is_oruk1(record: Json) -> bool:
    if ORUK1_KEYS & record.keys():
        return True
    for sal in record.get("service_at_locations") or []:
        location = sal.get("location") if isinstance(sal, dict) else None
        if isinstance(location, dict) and (
            "physical_addresses" in location or "accessibility_for_disabilities" in location
        ):
            return True
    return False


def oruk1_id(raw: object, kind: str, *, parent: str = "", index: int = 0) -> str:
    """A UUID for a 1.0 id: kept when it is one, else derived from it (or from its parent)."""
    if raw not in (None, ""):
        try:
            return str(uuid.UUID(str(raw)))
        except ValueError:
            return str(uuid.uuid5(NAMESPACE, f"oruk1:{kind}:{raw}"))
    return str(uuid.uuid5(NAMESPACE, f"oruk1:{kind}:{parent}:{index}"))


def _items(value: object) -> list[Json]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _weekday(raw: object) -> str:
    text = str(raw or "").strip().lower()
    if text.isdigit() and 1 <= int(text) <= 7:
        return list(WEEKDAYS.values())[int(text) - 1]
    for name, code in WEEKDAYS.items():
        if text in (name, name[:3], code.lower()):
            return code
    return ""


def _regular_schedules(items: list[Json], parent: str) -> list[Json]:
    out = []
    for n, item in enumerate(items):
        byday = item.get("byday") or _weekday(item.get("weekday"))
        out.append(
            {
                "id": oruk1_id(item.get("id"), "regular_schedule", parent=parent, index=n),
                "freq": (item.get("freq") or "WEEKLY").upper(),
                "interval": item.get("interval"),
                "byday": byday,
                "bymonthday": item.get("bymonthday"),
                "dtstart": item.get("dtstart"),
                "valid_from": item.get("valid_from"),
                "valid_to": item.get("valid_to"),
                "opens_at": item.get("opens_at"),
                "closes_at": item.get("closes_at"),
                "description": item.get("description"),
            }
        )
    return out


def _date(raw: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return None


def _holiday_schedules(items: list[Json], parent: str) -> list[Json]:
    out: list[Json] = []
    for n, item in enumerate(items):
        holiday_id = oruk1_id(item.get("id"), "holiday_schedule", parent=parent, index=n)
        start = _date(item.get("start_date"))
        end = _date(item.get("end_date")) or start
        if item.get("closed") in (True, "true", "True", 1) and start and end:
            days = min((end - start).days, MAX_HOLIDAY_DAYS)
            for offset in range(days + 1):
                day = (start + dt.timedelta(days=offset)).isoformat()
                out.append(
                    {
                        "id": str(uuid.uuid5(NAMESPACE, f"{holiday_id}:{day}")),
                        "valid_from": day,
                        "valid_to": day,
                        "notes": "Closed (holiday)",
                    }
                )
        else:
            out.append(
                {
                    "id": holiday_id,
                    "valid_from": item.get("start_date"),
                    "valid_to": item.get("end_date"),
                    "opens_at": item.get("opens_at"),
                    "closes_at": item.get("closes_at"),
                    "description": "Special opening hours",
                }
            )
    return out


def _location(location: Json, parent: str) -> Json:
    location_id = oruk1_id(location.get("id"), "location", parent=parent)
    return {
        "id": location_id,
        "location_type": "physical",
        "name": location.get("name"),
        "description": location.get("description"),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "addresses": [
            {
                "id": oruk1_id(a.get("id"), "physical_address", parent=location_id, index=n),
                "attention": a.get("attention"),
                "address_1": a.get("address_1"),
                "city": a.get("city"),
                "state_province": a.get("state_province"),
                "postal_code": a.get("postal_code"),
                "country": a.get("country") or "GB",
                "address_type": "physical",
            }
            for n, a in enumerate(_items(location.get("physical_addresses")))
        ],
        "accessibility": [
            {
                "id": oruk1_id(a.get("id"), "accessibility", parent=location_id, index=n),
                "description": a.get("accessibility"),
            }
            for n, a in enumerate(_items(location.get("accessibility_for_disabilities")))
        ],
    }


def _attributes(items: list[Json], parent: str) -> list[Json]:
    out = []
    for n, item in enumerate(items):
        raw = item.get("taxonomy")
        taxonomy: Json = raw if isinstance(raw, dict) else {}
        vocabulary = str(taxonomy.get("vocabulary") or "")
        code = str(taxonomy.get("id") or "")
        out.append(
            {
                "id": oruk1_id(item.get("id"), "service_taxonomy", parent=parent, index=n),
                "taxonomy_term": {
                    "id": oruk1_id(f"{vocabulary}:{code}", "taxonomy"),
                    "name": taxonomy.get("name"),
                    "description": "",
                    "term": code,
                    "taxonomy": vocabulary,
                },
            }
        )
    return out


def service_from_oruk1(record: Json) -> Json:
    service_id = oruk1_id(record.get("id"), "service") if record.get("id") else None
    sid = service_id or ""
    raw = record.get("organization")
    organization: Json = raw if isinstance(raw, dict) else {}
    eligibilities = _items(record.get("eligibilitys"))
    ages = [(e.get("minimum_age"), e.get("maximum_age")) for e in eligibilities]
    return {
        "id": service_id,
        "name": record.get("name"),
        "description": record.get("description"),
        "url": record.get("url"),
        "email": record.get("email"),
        "status": record.get("status") or "active",
        "fees": record.get("fees"),
        "accreditations": record.get("accreditations"),
        "assured_date": record.get("assured_date"),
        "minimum_age": next((lo for lo, _ in ages if lo is not None), None),
        "maximum_age": next((hi for _, hi in ages if hi is not None), None),
        "eligibility_description": "; ".join(
            str(e["eligibility"]) for e in eligibilities if e.get("eligibility")
        ),
        "organization": None
        if not organization
        else {
            "id": oruk1_id(organization.get("id"), "organization", parent=sid),
            "name": organization.get("name"),
            "description": organization.get("description") or "",
            "email": organization.get("email"),
            "website": organization.get("url") or organization.get("website"),
            "logo": organization.get("logo"),
            "uri": organization.get("uri"),
        },
        "contacts": [
            {
                "id": oruk1_id(c.get("id"), "contact", parent=sid, index=n),
                "name": c.get("name"),
                "title": c.get("title"),
                "phones": [
                    {
                        "id": oruk1_id(p.get("id"), "phone", parent=f"{sid}:{n}", index=m),
                        "number": p.get("number"),
                    }
                    for m, p in enumerate(_items(c.get("phones")))
                ],
            }
            for n, c in enumerate(_items(record.get("contacts")))
        ],
        "cost_options": [
            {
                "id": oruk1_id(c.get("id"), "cost_option", parent=sid, index=n),
                "option": c.get("option"),
                "amount": c.get("amount"),
                "amount_description": c.get("amount_description"),
                "valid_from": c.get("valid_from"),
                "valid_to": c.get("valid_to"),
            }
            for n, c in enumerate(_items(record.get("cost_options")))
        ],
        "funding": [
            {"id": oruk1_id(f.get("id"), "funding", parent=sid, index=n), "source": f.get("source")}
            for n, f in enumerate(_items(record.get("fundings")))
        ],
        "languages": [
            {
                "id": oruk1_id(lang.get("id"), "language", parent=sid, index=n),
                "name": lang.get("language"),
            }
            for n, lang in enumerate(_items(record.get("languages")))
        ],
        "service_areas": [
            {
                "id": oruk1_id(a.get("id"), "service_area", parent=sid, index=n),
                "name": a.get("service_area"),
                "extent": a.get("extent"),
                "uri": a.get("uri"),
            }
            for n, a in enumerate(_items(record.get("service_areas")))
        ],
        "schedules": _regular_schedules(_items(record.get("regular_schedules")), sid)
        + _holiday_schedules(_items(record.get("holiday_schedules")), sid),
        "service_at_locations": [
            {
                "id": oruk1_id(s.get("id"), "service_at_location", parent=sid, index=n),
                "location": _location(s["location"], f"{sid}:{n}")
                if isinstance(s.get("location"), dict)
                else None,
                "schedules": _regular_schedules(_items(s.get("regular_schedules")), f"{sid}:{n}")
                + _holiday_schedules(_items(s.get("holiday_schedules")), f"{sid}:{n}"),
            }
            for n, s in enumerate(_items(record.get("service_at_locations")))
        ],
        "attributes": _attributes(_items(record.get("service_taxonomys")), sid),
    }
