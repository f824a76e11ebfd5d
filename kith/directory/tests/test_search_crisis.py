"""A search in crisis words on /find/ gets the crisis options above the results (screened as an
ask is), and the results favour what is open now. It is a Wednesday, 8pm in Brixton."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from kith.core.testing import html, one, text
from kith.directory.models import Postcode, Service
from kith.directory.presenters import opening_text
from kith.directory.search import SearchQuery, index_services, search_services
from kith.directory.tests.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_8PM = dt.datetime(2026, 3, 4, 20, 0, tzinfo=LONDON)
SW9_8EJ = (51.4655, -0.1150)
END_MY_LIFE = "I want to end my life"
GENERAL_HREFS = ["tel:999", "tel:111", "tel:116123", "sms:85258&body=SHOUT"]


@pytest.fixture(autouse=True)
def wednesday_8pm() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY_8PM, tick=False):
        yield


def listing(name: str, metres_north: int, **schedule: Any) -> Service:
    service: Service = ServiceFactory.create(
        name=name, description="Crisis support in Brixton when things feel too much."
    )
    location = LocationFactory.create(
        organization=service.organization,
        latitude=SW9_8EJ[0] + metres_north / 111_000,
        longitude=SW9_8EJ[1],
    )
    ServiceAtLocationFactory.create(service=service, location=location)
    tag_support_types(service, "crisis")
    ScheduleFactory.create(service=service, **schedule)
    return service


@pytest.fixture
def crisis_near() -> None:
    """Near SW9 8EJ: a crisis cafe 200 metres away, closed until tomorrow morning, and a night
    hub 3 km away, open all day."""
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    listing("Stockwell crisis cafe", 200, byday="TH", opens_at=dt.time(9), closes_at=dt.time(17))
    listing(
        "Coldharbour night hub",
        3000,
        byday="MO,TU,WE,TH,FR,SA,SU",
        opens_at=dt.time(0),
        closes_at=dt.time(23, 59),
    )
    index_services()


def names(page: Any) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".app-result__name a")]


def hrefs(page: Any, selector: str) -> list[str]:
    return [a["href"] for a in page.select(f"{selector} a")]


def test_a_search_in_crisis_words_shows_the_crisis_options_above_the_results(
    client: Client, crisis_near: None
) -> None:
    # when
    response = client.get("/find/", {"q": END_MY_LIFE, "postcode": "SW9 8EJ"})
    # then the crisis options are at the top of the page, before the form and the results
    page = html(response)
    assert hrefs(page, "#search-crisis .app-crisis-options") == GENERAL_HREFS
    assert text(page, "#search-crisis .app-search-crisis__lead") == (
        "You do not have to wait. If you need to talk to someone now, these are free and open "
        "now. What is open now is listed first below."
    )
    content = response.content.decode()
    assert content.index('id="search-crisis"') < content.index('id="search-form"')
    assert content.index('id="search-crisis"') < content.index('id="results"')
    # and the search still runs
    assert names(page) == ["Coldharbour night hub", "Stockwell crisis cafe"]


def test_results_of_a_search_in_crisis_words_favour_what_is_open_now(
    client: Client, crisis_near: None
) -> None:
    # when the same place is searched with and without words of danger
    ordinary = html(client.get("/find/", {"q": "Brixton", "postcode": "SW9 8EJ"}))
    crisis = html(client.get("/find/", {"q": END_MY_LIFE, "postcode": "SW9 8EJ"}))
    # then only the search in crisis words puts the far one, open now, before the near one
    assert names(ordinary) == ["Stockwell crisis cafe", "Coldharbour night hub"]
    assert names(crisis) == ["Coldharbour night hub", "Stockwell crisis cafe"]
    assert [t.get_text(strip=True) for t in crisis.select(".app-result__opening")] == [
        "Open 24 hours",
        "Opens tomorrow at 9am",
    ]
    assert not ordinary.select("#search-crisis .app-crisis-options")


def test_choosing_crisis_support_as_the_type_also_favours_what_is_open_now(
    client: Client, crisis_near: None
) -> None:
    # when
    page = html(client.get("/find/", {"type": "crisis", "postcode": "SW9 8EJ"}))
    # then
    assert names(page) == ["Coldharbour night hub", "Stockwell crisis cafe"]


def test_the_engine_puts_what_is_open_now_first_when_asked(crisis_near: None) -> None:
    # given
    latitude, longitude = SW9_8EJ
    # when
    usual = search_services(
        SearchQuery(support_types=("crisis",), latitude=latitude, longitude=longitude)
    )
    favoured = search_services(
        SearchQuery(
            support_types=("crisis",),
            latitude=latitude,
            longitude=longitude,
            is_open_now_first=True,
        )
    )
    # then
    assert [h.service.name for h in usual.hits] == [
        "Stockwell crisis cafe",
        "Coldharbour night hub",
    ]
    assert [h.service.name for h in favoured.hits] == [
        "Coldharbour night hub",
        "Stockwell crisis cafe",
    ]
    assert favoured.total == usual.total == 2


def test_a_search_in_crisis_words_that_finds_nothing_still_shows_the_crisis_options(
    client: Client,
) -> None:
    # given an empty directory
    index_services()
    # when
    page = html(client.get("/find/", {"q": "I'm going to kill myself tonight"}))
    # then
    assert hrefs(page, "#search-crisis .app-crisis-options") == GENERAL_HREFS
    assert text(page, "#results-heading") == "We could not find anything that matches"


def test_a_search_in_crisis_words_with_a_mistake_in_the_form_still_shows_the_crisis_options(
    client: Client,
) -> None:
    # when the postcode cannot be understood
    response = client.get("/find/", {"q": END_MY_LIFE, "postcode": "NOT A POSTCODE"})
    # then the form says what to fix, and the crisis options are there
    page = html(response)
    one(page, ".nhsuk-error-summary")
    assert hrefs(page, "#search-crisis .app-crisis-options") == GENERAL_HREFS


def test_a_search_about_a_violent_partner_shows_the_domestic_abuse_lines(client: Client) -> None:
    # when
    page = html(client.get("/find/", {"q": "my partner hits me and I want to die"}))
    # then
    assert hrefs(page, "#search-crisis .app-crisis-options") == [
        "tel:999",
        "tel:08082000247",
        "tel:08088010327",
        *GENERAL_HREFS[1:],
    ]
    # and, as the Men's Advice Line is not open day and night, nothing says they all are
    assert text(page, "#search-crisis .app-search-crisis__lead") == (
        "You do not have to wait. If you need to talk to someone now, these are free, and most "
        "are open now."
    )


def test_an_ordinary_search_shows_no_crisis_options(client: Client, crisis_near: None) -> None:
    # when
    page = html(client.get("/find/", {"q": "I feel lonely"}))
    # then the place for them is there, empty
    assert one(page, "#search-crisis").get_text(strip=True) == ""


@pytest.mark.parametrize(
    ("words", "has_crisis_options"), [(END_MY_LIFE, True), ("I feel lonely", False)]
)
def test_with_javascript_the_crisis_options_arrive_with_the_results(
    client: Client, crisis_near: None, words: str, has_crisis_options: bool
) -> None:
    # when the search form sends its request with htmx
    response = client.get("/find/", {"q": words}, headers={"HX-Request": "true"})
    # then the results come with the crisis options (or none) to put at the top of the page
    page = html(response)
    box = one(page, "#search-crisis")
    assert box["hx-swap-oob"] == "true"
    assert bool(box.select(".app-crisis-options")) is has_crisis_options
    assert not page.select("form#search-form")


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("opened_at", "closes_at", "expected"),
    [
        # midnight to 11:59pm, as many listings write a whole day
        (_at(4, 0), _at(4, 23, 59), "Open 24 hours"),
        # days that run into each other, joined into one opening
        (_at(2, 0), _at(9, 0), "Open 24 hours"),
        (_at(4, 18), _at(4, 23), "Open now until 11pm"),
        (_at(4, 18), _at(5, 0), "Open now until midnight"),
        (_at(4, 18), _at(5, 2), "Open now until 2am tomorrow"),
    ],
)
def test_hours_of_what_is_open_now_say_how_long_it_stays_open(
    opened_at: dt.datetime, closes_at: dt.datetime, expected: str
) -> None:
    # when
    shown = opening_text(
        is_open_now=True,
        next_open_at=None,
        closes_at=closes_at,
        now=WEDNESDAY_8PM,
        opened_at=opened_at,
    )
    # then
    assert shown == expected


def test_when_nothing_found_is_open_now_the_crisis_options_do_not_say_it_is_listed_first(
    client: Client,
) -> None:
    # given support that matches, with no opening hours
    service: Service = ServiceFactory.create(name="Bristol wellbeing cafe", description="Life.")
    tag_support_types(service, "crisis")
    index_services()
    # when
    page = html(client.get("/find/", {"q": END_MY_LIFE}))
    # then
    assert names(page) == ["Bristol wellbeing cafe"]
    assert text(page, "#search-crisis .app-search-crisis__lead") == (
        "You do not have to wait. If you need to talk to someone now, these are free and open now."
    )
