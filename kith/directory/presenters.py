"""Display values for the public directory pages, so templates stay plain."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse

from kith.core.presenters import format_date_long, format_distance, format_time_short
from kith.directory import opening
from kith.directory.forms.public import SearchForm
from kith.directory.models import ClosedDate, Location, Schedule, Service
from kith.directory.search import SearchHit, SearchResults
from kith.directory.taxonomy import support_type_labels

UPCOMING_CLOSED_DATES = 5
# An opening at least this long is "Open 24 hours": many listings write a whole day as midnight
# to 11:59pm, one minute short of a day.
ALL_DAY = dt.timedelta(hours=23, minutes=59)
# What a search is made of, carried to a service's page and back: the search form's fields and
# the page of results. Anything else in a query string is left behind.
SEARCH_PARAMETERS = (*SearchForm.base_fields, "page")
SEARCH_VALUE_MAX = 200
SEARCH_VALUES_MAX = 60
# A listing last checked longer ago than this says so to the public: its details may be out of date.
CHECKED_WITHIN_DAYS = 365


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.KITH_TIME_ZONE)


def opening_text(
    *,
    is_open_now: bool,
    next_open_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    now: dt.datetime,
    opened_at: dt.datetime | None = None,
) -> str:
    """ "Open 24 hours", "Open now until 5pm", "Open now until 2am tomorrow", "Opens tomorrow
    at 9am", "Opens Tuesday at 9am", or "". `opened_at`: when the opening in progress began."""
    today = now.astimezone(_zone()).date()
    if is_open_now:
        if closes_at is not None and opened_at is not None and closes_at - opened_at >= ALL_DAY:
            return "Open 24 hours"
        if closes_at is not None:
            closes = closes_at.astimezone(_zone())
            if closes.date() == today:
                return f"Open now until {format_time_short(closes)}"
            if closes.date() == today + dt.timedelta(days=1):
                if closes.time() == dt.time(0):
                    return "Open now until midnight"
                return f"Open now until {format_time_short(closes)} tomorrow"
        return "Open now"
    if next_open_at is None:
        return ""
    local = next_open_at.astimezone(_zone())
    days = (local.date() - today).days
    at = format_time_short(local)
    if days <= 0:
        return f"Opens today at {at}"
    if days == 1:
        return f"Opens tomorrow at {at}"
    if days < 7:
        return f"Opens {local.strftime('%A')} at {at}"
    return f"Opens on {local.day} {local.strftime('%B')} at {at}"


@dataclass
class ResultView:
    service_id: str
    name: str
    url: str
    organisation: str
    summary: str
    distance: str
    opening: str
    support_types: list[str]
    is_place_to_talk: bool
    is_no_referral_needed: bool
    is_free: bool
    place: str
    # A result with no place (no distance, not on the map) says how to contact them instead.
    has_no_place: bool = False
    contact: list[ContactLink] = field(default_factory=list)
    # Last checked over a year ago (a listing never checked has no date to say it by).
    is_unchecked: bool = False


@dataclass(frozen=True)
class ContactLink:
    text: str
    href: str
    kind: str  # "phone", "email" or "website"


def contact_links(service: Service, *, phones: Sequence[str] = ()) -> list[ContactLink]:
    """How to get in touch, for a service with no place: its first phone number, its email
    address and its website (the organisation's where the service has none)."""
    links = [ContactLink(number, tel_href(number), "phone") for number in phones[:1]]
    organization = service.organization
    email = service.email or (organization.email if organization else "")
    if email:
        links.append(ContactLink(email, f"mailto:{email}", "email"))
    website = service.url or (organization.website if organization else "")
    if website:
        links.append(ContactLink(website_text(website), website, "website"))
    return links


def website_text(url: str) -> str:
    """A web address as people say it: "samaritans.org" for "https://www.samaritans.org/"."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def service_phones(service: Service) -> list[tuple[str, str]]:
    """The service's phone numbers and its contacts' (ORUK 1.0 puts them there), each once,
    as (number as written, tel: href). Needs `phones` and `contacts__phones` prefetched."""
    numbers: dict[str, str] = {}
    for phone in [
        *service.phones.all(),
        *(p for contact in service.contacts.all() for p in contact.phones.all()),
    ]:
        if phone.number:
            numbers.setdefault(tel_href(phone.number), phone.number)
    return [(number, href) for href, number in numbers.items()]


def search_query_string(params: QueryDict) -> str:
    """The search in `params` (query, postcode, filters, page) as a query string, "" for none.
    Only the search's own fields, each value at most 200 characters, so a link cannot carry
    anything else along."""
    kept = QueryDict(mutable=True)
    count = 0
    for name in SEARCH_PARAMETERS:
        values = [v for v in params.getlist(name) if v and len(v) <= SEARCH_VALUE_MAX]
        values = values[: max(0, SEARCH_VALUES_MAX - count)]
        if values:
            kept.setlist(name, values)
            count += len(values)
    return kept.urlencode()


def service_href(service_id: object, *, search: str = "") -> str:
    """A service's page; with `search` (from search_query_string), its Back link goes back to
    that search, with or without JavaScript."""
    path = reverse("directory:service_show", args=[service_id])
    return f"{path}?{search}" if search else path


def search_href(*, search: str = "") -> str:
    """The search page: the search in `search` (from search_query_string), or a new one."""
    path = reverse("directory:search")
    return f"{path}?{search}" if search else path


def result_view(
    hit: SearchHit, *, now: dt.datetime, search: str = "", phones: Sequence[str] = ()
) -> ResultView:
    """One result; `phones`, the service's numbers, for a result with no place."""
    service = hit.service
    closes_at = hit.opening.ends_at if (hit.is_open_now and hit.opening is not None) else None
    labels = support_type_labels()
    return ResultView(
        service_id=str(service.pk),
        name=service.name,
        url=service_href(service.pk, search=search),
        organisation=service.organization.name if service.organization else "",
        summary=_first_sentence(service.description),
        distance=format_distance(hit.distance_m),
        opening=opening_text(
            is_open_now=hit.is_open_now,
            next_open_at=hit.next_open_at,
            closes_at=closes_at,
            now=now,
            opened_at=hit.opening.starts_at if closes_at is not None and hit.opening else None,
        ),
        support_types=[labels[code] for code in hit.support_types if code in labels],
        is_place_to_talk=service.is_place_to_talk,
        is_no_referral_needed=service.is_no_referral_needed,
        is_free=service.is_free,
        place=(hit.location.name if hit.location is not None else ""),
        has_no_place=hit.location is None,
        contact=contact_links(service, phones=phones) if hit.location is None else [],
        is_unchecked=(
            service.assured_date is not None
            and checked_notice(service.assured_date, now=now).is_out_of_date
        ),
    )


@dataclass(frozen=True)
class CheckedNotice:
    text: str
    is_out_of_date: bool  # not checked within CHECKED_WITHIN_DAYS, or never


def checked_notice(assured_date: dt.date | None, *, now: dt.datetime) -> CheckedNotice:
    """When the listing was last checked, in words for the public page; over a year ago (or
    never) is said plainly, with what to do about it."""
    if assured_date is None:
        return CheckedNotice(
            "We do not know when this listing was last checked. Details may have changed: "
            "contact them before you go.",
            is_out_of_date=True,
        )
    today = now.astimezone(_zone()).date()
    if (today - assured_date).days > CHECKED_WITHIN_DAYS:
        return CheckedNotice(
            f"This listing was last checked on {format_date_long(assured_date)}, over a year "
            "ago. Details may have changed: contact them before you go.",
            is_out_of_date=True,
        )
    return CheckedNotice(f"Last checked on {format_date_long(assured_date)}", is_out_of_date=False)


def description_paragraphs(description: str) -> list[str]:
    """Paragraphs are separated by a blank line, whichever line endings the text was saved with
    (a browser sends a textarea's as CRLF)."""
    text = description.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def _first_sentence(description: str, limit: int = 160) -> str:
    text = " ".join(description.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def map_markers(hits: Sequence[SearchHit], *, search: str = "") -> list[dict[str, Any]]:
    """Points for the results map; only locations with coordinates."""
    markers = []
    for hit in hits:
        location = hit.location
        if location is None or location.latitude is None or location.longitude is None:
            continue
        markers.append(
            {
                "lat": location.latitude,
                "lng": location.longitude,
                "name": hit.service.name,
                "url": service_href(hit.service.pk, search=search),
            }
        )
    return markers


@dataclass
class PageLink:
    number: int
    href: str
    current: bool


@dataclass
class Pagination:
    previous_href: str = ""
    next_href: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    last_page: int = 1


def pagination(results: SearchResults, params: QueryDict, path: str) -> Pagination:
    last_page = max(1, -(-results.total // results.per_page))

    def href(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return f"{path}?{query.urlencode()}"

    page = results.page
    shown = sorted({1, last_page, *range(max(1, page - 2), min(last_page, page + 2) + 1)})
    items: list[dict[str, Any]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page})
        previous = number
    return Pagination(
        previous_href=href(page - 1) if 1 < page <= last_page else "",
        next_href=href(page + 1) if page < last_page else "",
        items=items if last_page > 1 else [],
        last_page=last_page,
    )


def share_mailto(*, service: Service, page_url: str) -> str:
    subject = f"{service.name} on Kith"
    body = f"I found this and thought it might help: {page_url}"
    return f"mailto:?{urlencode({'subject': subject, 'body': body}, quote_via=quote)}"


def tel_href(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def map_link(location: Location) -> str:
    """OpenStreetMap at the location's coordinates; empty when it has none."""
    if location.latitude is None or location.longitude is None:
        return ""
    lat, lng = f"{location.latitude:.5f}", f"{location.longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}"


def hours_text(hours: Sequence[tuple[dt.time, dt.time]]) -> str:
    if not hours:
        return "Closed"
    return ", ".join(f"{format_time_short(a)} to {format_time_short(b)}" for a, b in hours)


@dataclass
class TimesView:
    """Opening times for a service or one of its locations."""

    open_text: str
    weekly: list[tuple[str, str]]  # (day, "9am to 5pm" | "Closed")
    other: list[str]
    closed_dates: list[str]  # "Friday 25 December 2026 (Christmas Day)"

    @property
    def has_any(self) -> bool:
        return bool(self.weekly or self.other)


def times_view(
    schedules: Sequence[Schedule], closed_dates: Sequence[ClosedDate], *, now: dt.datetime
) -> TimesView:
    today = now.astimezone(_zone()).date()
    is_open = opening.is_open_at(schedules, closed_dates, now)
    upcoming = opening.next_opening(schedules, closed_dates, now)
    closes_at = upcoming.ends_at if (is_open and upcoming is not None) else None
    coming = sorted((c for c in closed_dates if c.date >= today), key=lambda c: c.date)
    return TimesView(
        open_text=opening_text(
            is_open_now=is_open,
            next_open_at=upcoming.starts_at if upcoming is not None and not is_open else None,
            closes_at=closes_at,
            now=now,
            opened_at=upcoming.starts_at if closes_at is not None and upcoming else None,
        )
        if schedules
        else "",
        # No rules at all says nothing about opening (list-form feeds give none): not "Closed".
        weekly=[(day.day, hours_text(day.hours)) for day in opening.weekly_hours(schedules)]
        if schedules
        else [],
        other=opening.other_times(schedules, on=today),
        closed_dates=[
            f"{c.date.strftime('%A')} {format_date_long(c.date)}"
            + (f" ({c.reason})" if c.reason else "")
            for c in coming[:UPCOMING_CLOSED_DATES]
        ],
    )


@dataclass
class LocationView:
    name: str
    address_lines: list[str]
    map_href: str
    transportation: str
    phones: list[tuple[str, str]]  # (number as written, tel: href)
    has_step_free_access: bool
    accessibility: list[str]
    languages: list[str]
    times: TimesView | None


def location_views(service: Service, *, now: dt.datetime) -> list[LocationView]:
    views = []
    for sal in service.service_at_locations.all():
        location = sal.location
        address_lines: list[str] = []
        for address in location.addresses.all():
            address_lines += [
                line for line in (address.address_1, address.address_2, address.city) if line
            ]
            address_lines.append(address.postal_code)
        schedules = list(sal.schedules.all())
        views.append(
            LocationView(
                name=location.name,
                address_lines=address_lines,
                map_href=map_link(location),
                transportation=location.transportation,
                phones=[
                    (phone.number, tel_href(phone.number))
                    for phone in [*sal.phones.all(), *location.phones.all()]
                ],
                has_step_free_access=location.has_step_free_access,
                accessibility=[
                    line
                    for item in location.accessibility.all()
                    for line in (item.description, item.details)
                    if line
                ],
                languages=[lang.name or lang.code for lang in location.languages.all()],
                times=times_view(schedules, list(sal.closed_dates.all()), now=now)
                if schedules
                else None,
            )
        )
    return views


@dataclass
class CostLine:
    option: str
    amount: str


def cost_lines(service: Service) -> list[CostLine]:
    """Priced options, as "Option: £5.00 per session". A free option only repeats "Free", which
    the page already says, so it is left out."""
    lines = []
    for cost in service.cost_options.all():
        if not cost.amount and service.is_free:
            continue
        amount = f"£{cost.amount:.2f}" if cost.amount is not None else ""
        if cost.amount_description:
            amount = f"{amount} {cost.amount_description}".strip()
        lines.append(CostLine(option=cost.option, amount=amount))
    return lines


def why_lines(hit: SearchHit) -> list[str]:
    """Why this result, for directory editors (SearchQuery.explain): the words matched and
    where, the support type, distance, open now, and the blend's parts (search/__init__.py)."""
    why = hit.explanation
    if why is None:
        return []
    labels = support_type_labels()
    words = [
        f"“{m.word}” in the {m.field}" + (" (added for a support type)" if m.is_added else "")
        for m in why.matched
    ]
    lines = [("Words: " + "; ".join(words)) if words else "Words: none matched"]
    if why.support_types:
        lines.append(
            "Support type: " + ", ".join(labels.get(code, code) for code in why.support_types)
        )
    if hit.distance_m is not None:
        lines.append(f"Distance: {format_distance(hit.distance_m)}")
    lines.append("Open now: yes" if hit.is_open_now else "Open now: no")
    text, support, near, soon = why.weights
    lines.append(
        f"Blend: words {why.text:.2f} × {text} + support type {why.support_type:.0f} × {support}"
        f" + closeness {why.closeness:.2f} × {near} + open soon {why.open_soon:.2f} × {soon}"
        f" = {why.blend:.3f}"
    )
    found = {
        "words": "its words",
        "meaning": "meaning only",
        "words and meaning": "words and meaning",
    }
    rank = f", place {why.rank_by_words} by words alone" if why.rank_by_words else ""
    lines.append(f"Found by {found.get(why.found_by, why.found_by)}{rank}")
    return lines
