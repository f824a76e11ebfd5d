"""The search page a person expects (issue 11): postcode sectors and partial postcodes, a postcode
outside the directory's area, "best match" or "nearest first", and listings not checked for over
a year.

The page-level tests ask only through HTTP, so they also run against the code before the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from kith.core.errors import ValidationFailed
from kith.core.testing import html, one, text
from kith.directory.geo import (
    is_outside_area,
    normalise_postcode,
    normalise_search_postcode,
    postcode_location,
)
from kith.directory.models import Postcode, Service
from kith.directory.search import SearchQuery, index_services, search_services
from kith.directory.tests.factories import ServiceAtLocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON)
# Fictional points in and around Kennington; the postcodes are real shapes, the places are not.
KENNINGTON = (51.4850, -0.1150)


def names(response: Any) -> list[str]:
    return [a.get_text(strip=True) for a in html(response).select(".app-result__name a")]


def distances(response: Any) -> list[str]:
    return [s.get_text(strip=True) for s in html(response).select(".app-result__distance")]


@pytest.fixture
def postcodes() -> None:
    """Two postcodes in sector SE11 5, one in SE11 6, one in SE1 5 and one in SE15 5 (whose
    compact codes start alike), and the districts."""
    rows = {
        "SE115AA": (51.4840, -0.1140),
        "SE115AB": (51.4860, -0.1160),
        "SE116AA": (51.4900, -0.1200),
        "SE15AB": (51.5000, -0.0900),
        "SE155AB": (51.4700, -0.0700),
    }
    for code, (lat, lon) in rows.items():
        Postcode.objects.create(code=code, latitude=lat, longitude=lon)
    districts = {"SE11": (51.4890, -0.1100), "SE1": (51.4985, -0.0960), "SE15": (51.47, -0.07)}
    for code, (lat, lon) in districts.items():
        Postcode.objects.create(code=code, latitude=lat, longitude=lon, is_district=True)


# Postcodes and the start of one ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sw9 8ej", "SW9 8EJ"),
        ("  SW98EJ ", "SW9 8EJ"),
        ("se11 5", "SE11 5"),
        ("SE115", "SE11 5"),
        ("se11 5a", "SE11 5"),
        ("SE24 0", "SE24 0"),
        ("sw1a 1", "SW1A 1"),
        ("se11", "SE11"),
        ("SW95", "SW95"),  # a district shape stays a district
    ],
)
def test_a_search_takes_a_postcode_its_sector_or_its_district(typed: str, expected: str) -> None:
    # when
    normalised = normalise_search_postcode(typed)
    # then
    assert normalised == expected


@pytest.mark.parametrize("typed", ["", "SE11 !", "12345", "SW9 XXX", "SE11 5ABC", "NOT A PC"])
def test_anything_else_is_a_clear_error(typed: str) -> None:
    # when
    with pytest.raises(ValidationFailed) as raised:
        normalise_search_postcode(typed)
    # then
    assert raised.value.message == (
        "Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9"
    )
    assert raised.value.field == "postcode"


def test_a_person_s_own_postcode_is_still_a_whole_one() -> None:
    # when / then: asks and listings keep whole postcodes
    with pytest.raises(ValidationFailed):
        normalise_postcode("SE11 5")


@pytest.mark.usefixtures("postcodes")
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SE11 5", (51.4850, -0.1150)),  # the centre of its two postcodes
        ("se115", (51.4850, -0.1150)),
        ("SE1 5", (51.5000, -0.0900)),  # SE1 5AB only, not SE15 5AB
        ("SE15 5", (51.4700, -0.0700)),
        ("SE11 5ZZ", (51.4850, -0.1150)),  # an unknown postcode: its sector
        ("SE11 9", (51.4890, -0.1100)),  # an empty sector: its district
        ("SE11", (51.4890, -0.1100)),
        ("SE11 6AA", (51.4900, -0.1200)),
    ],
)
def test_a_sector_is_the_centre_of_its_postcodes(typed: str, expected: tuple[float, float]) -> None:
    # when
    point = postcode_location(typed)
    # then
    assert point == pytest.approx(expected)


@pytest.mark.usefixtures("postcodes")
def test_a_postcode_in_no_known_district_has_no_place() -> None:
    # when / then
    assert postcode_location("EH1 1") is None
    assert postcode_location("EH1 1YZ") is None


def test_a_point_far_from_every_listing_is_outside_the_area() -> None:
    # given an empty directory: nowhere is "outside" it
    assert is_outside_area(55.95, -3.19) is False
    ServiceAtLocationFactory.create(location__latitude=51.4860, location__longitude=-0.1160)
    index_services()
    # when / then
    assert is_outside_area(55.95, -3.19) is True  # Edinburgh
    assert is_outside_area(51.60, -0.20) is False  # north London, 15 km away


# The search page ---------------------------------------------------------------------------------


@pytest.fixture
def listings(postcodes: None) -> dict[str, Service]:
    """Two listings for the same need: one that matches the words best, a mile away; one that
    matches them less, beside SE11 5."""
    far_match = ServiceAtLocationFactory.create(
        service__name="Lonely hearts friendship club",
        service__description="A friendship club for anyone feeling lonely.",
        location__latitude=51.4990,
        location__longitude=-0.1150,  # about a mile north of SE11 5
    ).service
    near_other = ServiceAtLocationFactory.create(
        service__name="Kennington community cafe",
        service__description="Tea, cake and company for anyone lonely.",
        location__latitude=51.4852,
        location__longitude=-0.1150,
    ).service
    index_services()
    return {"far_match": far_match, "near_other": near_other}


def test_a_postcode_sector_finds_what_is_near_with_distances(
    client: Client, listings: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "lonely", "postcode": "SE11 5"})
    # then
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(".nhsuk-error-summary") is None
    assert page.select_one(".app-unknown-postcode") is None
    assert sorted(names(response)) == ["Kennington community cafe", "Lonely hearts friendship club"]
    assert len(distances(response)) == 2


def test_best_match_or_nearest_first_with_distances_either_way(
    client: Client, listings: dict[str, Service]
) -> None:
    # when
    best = client.get("/find/", {"q": "lonely friendship", "postcode": "SE11 5", "order": "best"})
    nearest = client.get(
        "/find/", {"q": "lonely friendship", "postcode": "SE11 5", "order": "nearest"}
    )
    # then
    assert names(best) == ["Lonely hearts friendship club", "Kennington community cafe"]
    assert names(nearest) == ["Kennington community cafe", "Lonely hearts friendship club"]
    assert [d.split(" – ")[0] for d in distances(best)] == ["1.0 miles", "less than 0.1 miles"]
    assert distances(nearest) == list(reversed(distances(best)))


def test_the_choice_stays_in_the_form_and_goes_with_the_links_back(
    client: Client, listings: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "lonely", "postcode": "SE11 5", "order": "nearest"})
    # then
    page = html(response)
    assert one(page, "input[name=order][value=nearest]").has_attr("checked")
    assert not one(page, "input[name=order][value=best]").has_attr("checked")
    assert "order=nearest" in one(page, ".app-result__name a")["href"]
    # and a new search starts with the best match
    fresh = html(client.get("/find/"))
    assert one(fresh, "input[name=order][value=best]").has_attr("checked")


def test_nearest_first_with_no_place_says_what_it_needs(
    client: Client, listings: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "lonely friendship", "order": "nearest"})
    # then
    assert text(response, ".app-needs-place") == "To see the nearest first, enter a postcode."
    assert names(response) == ["Lonely hearts friendship club", "Kennington community cafe"]


def test_an_unknown_order_is_a_clear_error(client: Client) -> None:
    # when
    response = client.get("/find/", {"q": "lonely", "order": "cheapest"})
    # then
    assert text(response, "#order-error") == "Error: Select how to sort the results"


def test_a_malformed_postcode_is_an_error_that_keeps_the_other_fields(
    client: Client, listings: dict[str, Service]
) -> None:
    # when
    response = client.get(
        "/find/", {"q": "lonely", "postcode": "SE11 !", "order": "nearest", "free": "on"}
    )
    # then
    page = html(response)
    assert text(page, "#postcode-error") == (
        "Error: Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9"
    )
    assert one(page, "#q")["value"] == "lonely"
    assert one(page, "#postcode")["value"] == "SE11 !"
    assert one(page, "input[name=order][value=nearest]").has_attr("checked")
    assert one(page, "#free").has_attr("checked")


def test_a_postcode_outside_the_area_says_so_and_still_shows_results(
    client: Client, listings: dict[str, Service]
) -> None:
    # given a real place the postcode table knows, 500 km from every listing
    Postcode.objects.create(code="EH11YZ", latitude=55.9500, longitude=-3.1900)
    # when
    response = client.get("/find/", {"q": "lonely friendship", "postcode": "EH1 1YZ"})
    # then
    assert response.status_code == 200
    assert text(response, ".app-outside-area p") == (
        "EH1 1YZ is outside Lambeth, the area this directory covers. These results are from"
        " anywhere in Lambeth, not sorted by distance."
    )
    assert names(response) == ["Lonely hearts friendship club", "Kennington community cafe"]
    assert distances(response) == []


def test_the_same_address_answers_htmx_differently_so_back_gets_the_whole_page(
    client: Client,
) -> None:
    # when
    response = client.get("/find/", {"q": "lonely"})
    # then
    assert "HX-Request" in response["Vary"]


def test_the_engine_puts_the_nearest_first_when_asked(listings: dict[str, Service]) -> None:
    # given
    query = SearchQuery(
        text="lonely friendship",
        latitude=KENNINGTON[0],
        longitude=KENNINGTON[1],
        radius_m=5_000,
    )
    # when
    best = search_services(query)
    nearest = search_services(SearchQuery(**{**query.__dict__, "is_nearest_first": True}))
    # then
    assert [h.service.name for h in best.hits] == [
        "Lonely hearts friendship club",
        "Kennington community cafe",
    ]
    assert [h.service.name for h in nearest.hits] == [
        "Kennington community cafe",
        "Lonely hearts friendship club",
    ]
    assert [h.distance_m for h in nearest.hits] == sorted(h.distance_m or 0 for h in best.hits)


# Listings not checked for over a year ------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("assured_date", "notice", "footer"),
    [
        (dt.date(2026, 2, 1), None, "Last checked on 1 February 2026"),
        (dt.date(2025, 3, 4), None, "Last checked on 4 March 2025"),  # a year ago today
        (
            dt.date(2025, 3, 3),
            "This listing was last checked on 3 March 2025, over a year ago. Details may have"
            " changed: contact them before you go.",
            None,
        ),
        (
            None,
            "We do not know when this listing was last checked. Details may have changed:"
            " contact them before you go.",
            None,
        ),
    ],
    ids=["a month ago", "a year ago today", "a year and a day ago", "never"],
)
def test_the_service_page_says_when_a_listing_was_last_checked(
    client: Client, assured_date: dt.date | None, notice: str | None, footer: str | None
) -> None:
    # given
    service = ServiceFactory.create(assured_date=assured_date)
    # when
    response = client.get(f"/services/{service.pk}/")
    # then
    page = html(response)
    found = page.select_one(".app-service__unchecked p")
    assert (found.get_text(strip=True) if found else None) == notice
    checked = page.select_one(".app-service__checked")
    assert (checked.get_text(strip=True) if checked else None) == footer


@time_machine.travel(NOON, tick=False)
def test_a_result_not_checked_for_over_a_year_says_so(client: Client) -> None:
    # given
    for name, assured in [
        ("Stale drop-in", dt.date(2024, 1, 1)),
        ("Fresh drop-in", dt.date(2026, 1, 1)),
        ("Unknown drop-in", None),
    ]:
        ServiceFactory.create(name=name, description="A drop-in.", assured_date=assured)
    index_services()
    # when
    response = client.get("/find/", {"q": "drop-in"})
    # then
    flagged = [
        text(result, ".app-result__name")
        for result in html(response).select(".app-result")
        if result.select_one(".app-result__unchecked")
    ]
    assert flagged == ["Stale drop-in"]
    assert text(response, ".app-result__unchecked") == (
        "Not checked for over a year: contact them before you go."
    )
