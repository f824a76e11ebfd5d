"""Journeys: crisis support someone can reach now, JavaScript on and off and on a phone, every
page checked with axe-core.

- A person in danger asks for help at 8pm on a Wednesday: the confirmation says what happens
  today, and "Crisis support near you" lists what is open now first, with its hours, then the
  lines open any time, and never the clinic that opens next Tuesday.
- A person searches /find/ for "I want to end my life": the crisis options are at the top of the
  page at once, and what is open now comes first in the results.

The live server runs in this process, so `time_machine` moves its clock too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from kith.teams.models import Team
from tests.system.conftest import assert_accessible
from tests.system.test_ask_for_help import CRISIS, _ask_for_help, _send

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_8PM = dt.datetime(2026, 3, 4, 20, 0, tzinfo=LONDON)
SW9_8EJ = (51.4655, -0.1150)
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
ALWAYS_OPEN_LINES = [
    "999 Call 999 any time, day or night",
    "NHS 111 Call 111 any time, day or night",
    "Samaritans Call 116 123 any time, day or night",
    "Shout Text SHOUT any time, day or night",
]
BROWSER_PAGES = ["page", "page_without_js", "phone_page"]


@pytest.fixture
def wednesday_8pm() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY_8PM, tick=True):
        yield


def listing(name: str, metres_north: int, **schedule: Any) -> Service:
    service: Service = ServiceFactory.create(
        name=name,
        description="Crisis support in Brixton when things feel too much.",
        is_free=True,
        is_no_referral_needed=True,
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
def brixton(wednesday_8pm: None, outbox: Any) -> Team:
    """A team for SW9 that answers ordinary asks within 72 hours, and crisis support near SW9
    8EJ: the nearest opens next Tuesday, one is open all day, one this evening."""
    team = Team.objects.create(
        name="Brixton and Stockwell team", postcode_districts="SW9", response_time_hours=72
    )
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    listing(
        "Stockwell Tuesday clinic", 100, byday="TU", opens_at=dt.time(10), closes_at=dt.time(12)
    )
    listing(
        "Coldharbour night hub",
        3000,
        byday=EVERY_DAY,
        opens_at=dt.time(0),
        closes_at=dt.time(23, 59),
    )
    listing(
        "Brixton evening sanctuary",
        500,
        byday=EVERY_DAY,
        opens_at=dt.time(18),
        closes_at=dt.time(23),
    )
    index_services()
    return team


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_after_an_urgent_ask_crisis_support_open_now_comes_first_and_the_promise_is_today(
    request: pytest.FixtureRequest, live_server: Any, brixton: Team, browser_page: str
) -> None:
    # given a person in danger, at 8pm on a Wednesday
    page = request.getfixturevalue(browser_page)
    base = live_server.url

    # when they ask for help from SW9 8EJ and send it
    _ask_for_help(page, base, words=CRISIS)
    ask = _send(page, base)  # checks the confirmation with axe-core

    # then the crisis options are first on the page, in view at once, even on a phone
    assert ask.is_urgent is True
    first = page.locator("main .nhsuk-grid-column-two-thirds > *").first
    expect(first).to_have_class("app-ask-crisis")
    expect(page.locator(".app-ask-crisis .app-crisis-options")).to_be_in_viewport()
    # and the promise is about today, not the team's usual 72 hours
    assert page.locator(".app-next").all_inner_texts() == [
        "Because of what you wrote, your ask is marked urgent. A person from Brixton and "
        "Stockwell team will try to reach you today, the way you asked.",
        "If you have not heard from us by the end of today, or you cannot keep yourself safe, "
        "do not wait: use the support on this page, which is open now, or call 999.",
    ]
    # and crisis support near them lists what is open now first, with its hours
    near = page.locator(".app-crisis-near")
    assert near.locator("h2").inner_text() == "Crisis support near you"
    assert near.locator(".app-local-crisis .app-local-crisis__name").all_inner_texts() == [
        "Brixton evening sanctuary",
        "Coldharbour night hub",
    ]
    assert near.locator(".app-local-crisis .app-local-crisis__hours").all_inner_texts() == [
        "Open now until 11pm",
        "Open 24 hours",
    ]
    # then the lines they can reach now, wherever they are
    lines = [" ".join(t.split()) for t in near.locator(".app-crisis-lines li").all_inner_texts()]
    assert lines == ALWAYS_OPEN_LINES
    # and never the clinic that opens next Tuesday
    assert "Stockwell Tuesday clinic" not in near.inner_text()

    # when they follow the link to all crisis support near them
    near.get_by_role("link", name="All crisis support near you, and when it opens").click()
    page.wait_for_load_state()

    # then the search lists what is open now first
    assert [n.strip() for n in page.locator(".app-result__name").all_inner_texts()] == [
        "Brixton evening sanctuary",
        "Coldharbour night hub",
        "Stockwell Tuesday clinic",
    ]
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_search_in_crisis_words_shows_the_crisis_options_at_once_and_open_now_first(
    request: pytest.FixtureRequest, live_server: Any, brixton: Team, browser_page: str
) -> None:
    # given a person on the search page
    page = request.getfixturevalue(browser_page)
    page.goto(f"{live_server.url}/find/")
    assert_accessible(page)
    crisis = page.locator("#search-crisis")
    assert crisis.inner_text().strip() == ""

    # when they search near SW9 8EJ in their own words
    page.get_by_label("What is happening, or what are you looking for?").fill(
        "I want to end my life"
    )
    page.get_by_label("Postcode (optional)").fill("SW9 8EJ")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()

    # then the crisis options are at the top of the page, in view, above the search and results
    expect(crisis.locator(".app-crisis-options")).to_be_visible()
    expect(crisis.locator(".app-crisis-options")).to_be_in_viewport()
    assert [a.get_attribute("href") for a in crisis.locator(".app-crisis-options a").all()] == [
        "tel:999",
        "tel:111",
        "tel:116123",
        "sms:85258&body=SHOUT",
    ]
    box_top = crisis.bounding_box()["y"]
    assert box_top < page.locator("#search-form").bounding_box()["y"]
    assert box_top < page.locator("#results").bounding_box()["y"]
    if browser_page != "page_without_js":
        expect(crisis).to_be_focused()  # htmx put them there: focus brings them into view
    # and the results put what is open now first, with its hours
    expect(page.locator("#results-heading")).to_have_text("3 places found")
    assert [n.strip() for n in page.locator(".app-result__name").all_inner_texts()] == [
        "Brixton evening sanctuary",
        "Coldharbour night hub",
        "Stockwell Tuesday clinic",
    ]
    assert page.locator(".app-result__opening").all_inner_texts() == [
        "Open now until 11pm",
        "Open 24 hours",
        "Opens Tuesday at 10am",
    ]
    assert_accessible(page)

    # when they search again without words of danger
    page.get_by_label("What is happening, or what are you looking for?").fill("Brixton")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()

    # then the crisis options go, and the results stay
    expect(crisis.locator(".app-crisis-options")).to_have_count(0)
    expect(page.locator("#results-heading")).to_have_text("3 places found")
    assert_accessible(page)
