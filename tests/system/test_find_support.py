"""Journey: a person searches in their own words near a postcode, narrows the results, opens one.

The live server runs in this process, so `time_machine` moves its clock too: it is a Wednesday,
10am in Brixton, and the clock ticks on from there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from kith.directory.models import Language, Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

LONDON = ZoneInfo("Europe/London")
WEDNESDAY_10AM = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
SW9_8EJ = (51.4655, -0.1150)
LONELY = "A friendly group for anyone feeling lonely. Come along, or just listen."
PADDING = 16  # far, never open: with the seven below, 23 results make two pages of 20
TOTAL = 7 + PADDING
POSTCODE_ERROR = "Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9"

# name: (support type, opening, is_free, is_no_referral_needed, has_step_free_access, language)
# Each service is alone in failing one filter, in the order the journey applies them.
LISTINGS: dict[str, tuple[str, str, bool, bool, bool, str]] = {
    "Brixton friendship circle": ("befriending", "weekdays", True, True, True, "pt"),
    "Stockwell evening social": ("social-connection", "wednesday evening", True, True, True, "pt"),
    "Kennington lunch and chat": ("befriending", "weekdays", False, True, True, "pt"),
    "Loughborough Junction drop-in": ("befriending", "weekdays", True, False, True, "pt"),
    "Herne Hill walk and talk": ("social-connection", "weekdays", True, True, True, "pt"),
    "Clapham befriending calls": ("befriending", "weekdays", True, True, False, "pt"),
    "Tulse Hill tea afternoon": ("befriending", "weekdays", True, True, True, ""),
}


@pytest.fixture
def wednesday_morning() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY_10AM, tick=True):
        yield


@pytest.fixture
def lonely_listings(wednesday_morning: None) -> dict[str, Service]:
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    services: dict[str, Service] = {}
    for n, (name, listing) in enumerate(LISTINGS.items()):
        support_type, opening, is_free, no_referral, step_free, language = listing
        service = ServiceFactory.create(
            name=name,
            description=LONELY,
            is_free=is_free,
            is_no_referral_needed=no_referral,
            is_place_to_talk=name == "Brixton friendship circle",
            place_to_talk_training="Mental Health First Aid" if n == 0 else "",
        )
        location = LocationFactory.create(
            organization=service.organization,
            name=f"{name.split()[0]} community room",
            # The first is 0.3 miles north of SW9 8EJ, the others a little further each.
            latitude=SW9_8EJ[0] + 0.0045 + n * 0.002,
            longitude=SW9_8EJ[1],
            has_step_free_access=step_free,
        )
        ServiceAtLocationFactory.create(service=service, location=location)
        if opening == "weekdays":
            ScheduleFactory.create(service=service)
        else:
            ScheduleFactory.create(
                service=service, byday="WE", opens_at=dt.time(18), closes_at=dt.time(20)
            )
        if language:
            Language.objects.create(service=service, code=language, name="Portuguese")
        tag_support_types(service, support_type)
        services[name] = service
    far = LocationFactory.create(latitude=SW9_8EJ[0] + 0.025, longitude=SW9_8EJ[1])
    for n in range(PADDING):
        service = ServiceFactory.create(
            name=f"Neighbourly lunch club {n + 1:02d}", description=LONELY
        )
        ServiceAtLocationFactory.create(service=service, location=far)
        tag_support_types(service, "befriending")
    index_services()
    return services


def result_names(page: Any) -> list[str]:
    return [name.strip() for name in page.locator(".app-result__name").all_inner_texts()]


def search_from_the_front_page(page: Any, live_server: Any, *, q: str, postcode: str) -> None:
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_label("What is happening, or what are you looking for?").fill(q)
    page.get_by_label("Postcode (optional)").fill(postcode)
    page.get_by_role("button", name="Find support").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_everyday_words_near_a_postcode_find_support_with_distance_and_opening(
    request: pytest.FixtureRequest,
    live_server: Any,
    lonely_listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    search_from_the_front_page(page, live_server, q="I feel lonely", postcode="sw9 8ej")
    # then
    assert page.url.startswith(live_server.url + "/find/?q=I+feel+lonely&postcode=sw9+8ej")
    expect(page.locator("#results-heading")).to_have_text(f"{TOTAL} places found")
    assert page.locator(".app-interpretation strong").inner_text() == (
        "Befriending and check-in calls, Social groups and meet-ups"
    )
    names = result_names(page)
    assert len(names) == 20
    assert names[0] == "Brixton friendship circle"
    first = page.locator(".app-result").first
    assert first.locator(".app-result__distance").inner_text() == (
        "0.3 miles – Brixton community room"
    )
    assert first.locator(".app-result__opening").inner_text() == "Open now until 5pm"
    assert first.locator(".app-result__types li").all_inner_texts() == [
        "Befriending and check-in calls"
    ]
    assert first.locator(".app-result__badges li").all_inner_texts() == [
        "Place to talk",
        "No referral needed",
        "Free",
    ]
    evening = page.locator(".app-result", has_text="Stockwell evening social")
    assert evening.locator(".app-result__opening").inner_text() == "Opens today at 6pm"
    assert evening.locator(".app-badge-place-to-talk").count() == 0
    # the words typed stay in the form
    assert page.locator("#q").input_value() == "I feel lonely"
    assert page.locator("#postcode").input_value() == "sw9 8ej"
    assert_accessible(page)

    # when the person goes to the second page
    page.locator(".nhsuk-pagination").get_by_role("link", name="Next").click()
    page.wait_for_load_state()
    # then the last three are there, counted on from 21
    expect(page.locator(".app-result")).to_have_count(TOTAL - 20)
    assert page.locator(".app-result-list").get_attribute("start") == "21"
    assert set(result_names(page)) <= {
        f"Neighbourly lunch club {n + 1:02d}" for n in range(PADDING)
    }
    assert "page=2" in page.url
    assert_accessible(page)

    # when they go back to the first page and open the nearest result
    page.locator(".nhsuk-pagination").get_by_role("link", name="Previous").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Brixton friendship circle").click()
    page.wait_for_load_state()
    # then they see its page, its address carrying their search for the way back
    service = lonely_listings["Brixton friendship circle"]
    assert page.url.startswith(f"{live_server.url}/services/{service.pk}/?")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["I feel lonely"]
    assert page.locator("h1").inner_text() == "Brixton friendship circle"
    assert_accessible(page)


def apply_filter(page: Any, change: Any, *, expected: list[str]) -> None:
    """Make one change to the filters, then wait for exactly the `expected` results.

    With JavaScript, the change alone updates the results (htmx); without it, the person presses
    Search and the page reloads.
    """
    is_js = page.evaluate("() => document.body.classList.contains('js-enabled')")
    if is_js:
        with page.expect_response(lambda response: "/find/?" in response.url):
            change()
    else:
        change()
        page.locator("#search-submit").click()
        page.wait_for_load_state()
    count = (
        f"{len(expected)} place found" if len(expected) == 1 else f"{len(expected)} places found"
    )
    expect(page.locator("#results-heading")).to_have_text(count)
    assert sorted(result_names(page)) == sorted(expected)
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_each_filter_narrows_the_results(
    request: pytest.FixtureRequest,
    live_server: Any,
    lonely_listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    page.goto(live_server.url + "/find/?q=I+feel+lonely&postcode=SW9+8EJ")
    expect(page.locator("#results-heading")).to_have_text(f"{TOTAL} places found")
    remaining = list(LISTINGS)

    def without(name: str) -> list[str]:
        remaining.remove(name)
        return list(remaining)

    # when the person narrows the search one filter at a time, then each drops one service
    remaining.remove("Stockwell evening social")  # and the padding: none of it is ever open
    apply_filter(page, lambda: page.get_by_label("Open now").check(), expected=list(remaining))
    apply_filter(
        page,
        lambda: page.get_by_label("Free", exact=True).check(),
        expected=without("Kennington lunch and chat"),
    )
    apply_filter(
        page,
        lambda: page.get_by_label("No referral needed").check(),
        expected=without("Loughborough Junction drop-in"),
    )

    def choose_befriending() -> None:
        page.locator(".nhsuk-details__summary", has_text="Type of support").click()
        page.get_by_label("Befriending and check-in calls").check()

    apply_filter(page, choose_befriending, expected=without("Herne Hill walk and talk"))
    apply_filter(
        page,
        lambda: page.get_by_label("Step-free access").check(),
        expected=without("Clapham befriending calls"),
    )
    apply_filter(
        page,
        lambda: page.get_by_label("Language spoken").select_option("pt"),
        expected=without("Tulse Hill tea afternoon"),
    )
    # then the address says what was chosen, so it can be shared or bookmarked
    assert parse_qs(urlsplit(page.url).query) == {
        "q": ["I feel lonely"],
        "postcode": ["SW9 8EJ"],
        "radius": ["3"],
        "order": ["best"],
        "type": ["befriending"],
        "when": ["now"],
        "free": ["on"],
        "no_referral": ["on"],
        "step_free": ["on"],
        "language": ["pt"],
    }
    assert remaining == ["Brixton friendship circle"]


def test_with_javascript_the_map_shows_and_filters_update_without_a_reload(
    page: Any, live_server: Any, lonely_listings: dict[str, Service]
) -> None:
    # given
    page.goto(live_server.url + "/find/?q=I+feel+lonely&postcode=SW9+8EJ")
    # then the map appears with a marker for each result on the page
    expect(page.locator("#results-map")).to_be_visible()
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(20)
    assert_accessible(page)
    # when a filter changes
    page.evaluate("() => { window.kithSamePage = true; }")
    with page.expect_response(lambda response: "/find/?" in response.url) as response:
        page.get_by_label("Open now").check()
    # then htmx asked for the results alone, and swapped them into the same page
    assert response.value.request.headers["hx-request"] == "true"
    expect(page.locator("#results-heading")).to_have_text("6 places found")
    assert page.evaluate("() => window.kithSamePage") is True
    assert "when=now" in page.url
    # and the new results have their own map, and a status message for screen readers
    expect(page.locator("#results-map .leaflet-marker-icon")).to_have_count(6)
    expect(page.locator("#results-status")).to_have_text("6 places found")
    assert_accessible(page)


def test_without_javascript_the_list_stands_alone(
    page_without_js: Any, live_server: Any, lonely_listings: dict[str, Service]
) -> None:
    # given
    page = page_without_js
    # when
    page.goto(live_server.url + "/find/?q=I+feel+lonely&postcode=SW9+8EJ")
    # then
    assert page.locator("#results-map").is_hidden()
    assert page.locator(".app-result").count() == 20
    assert page.locator(".app-result").first.is_visible()
    assert page.locator(".app-locate").is_hidden()  # "use my location" needs JavaScript
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_an_empty_search_offers_every_type_of_support_to_browse(
    request: pytest.FixtureRequest, live_server: Any, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    search_from_the_front_page(page, live_server, q="", postcode="")
    # then
    assert page.url == live_server.url + "/find/?q=&postcode="
    links = page.locator(".app-browse-list a")
    assert links.count() == 39
    assert links.first.inner_text() == "Peer support groups"
    assert page.locator(".app-result").count() == 0
    assert_accessible(page)
    # when they choose a type
    links.filter(has_text="Debt and money advice").click()
    page.wait_for_load_state()
    # then the search is for that type
    assert page.url == live_server.url + "/find/?type=debt-money"
    assert page.get_by_label("Debt and money advice").is_checked()
    assert (
        page.locator("#results-heading").inner_text() == "We could not find anything that matches"
    )
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_nonsense_words_get_a_helpful_page(
    request: pytest.FixtureRequest,
    live_server: Any,
    lonely_listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    search_from_the_front_page(page, live_server, q="qzxv wqjk", postcode="")
    # then
    assert (
        page.locator("#results-heading").inner_text() == "We could not find anything that matches"
    )
    assert page.locator(".app-result").count() == 0
    assert page.locator(".app-no-results-tips li").all_inner_texts() == [
        "check the spelling, or use fewer or different words",
        "remove some of the filters, or choose a bigger distance",
        "browse all types of support",
    ]
    assert page.get_by_role("main").get_by_role("link", name="Need help now?").count() == 1
    assert page.locator("#q").input_value() == "qzxv wqjk"
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_a_bad_postcode_gets_the_error_summary_and_keeps_the_words(
    request: pytest.FixtureRequest,
    live_server: Any,
    lonely_listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    search_from_the_front_page(page, live_server, q="I feel lonely", postcode="ABC 123")
    # then
    assert page.title().startswith("Error: ")
    summary = page.locator(".nhsuk-error-summary")
    assert summary.locator("h2").inner_text() == "There is a problem"
    link = summary.locator("a")
    assert link.all_inner_texts() == [POSTCODE_ERROR]
    assert link.get_attribute("href") == "#postcode"
    assert page.locator("#postcode-error").inner_text().endswith(POSTCODE_ERROR)
    assert page.locator("#q").input_value() == "I feel lonely"
    assert page.locator("#postcode").input_value() == "ABC 123"
    assert page.locator(".app-result").count() == 0
    assert_accessible(page)
    # when they follow the error to the field and correct it
    link.click()
    page.locator("#postcode").fill("SW9 8EJ")
    page.locator("#search-submit").click()
    page.wait_for_load_state()
    # then the search runs with their words
    expect(page.locator("#results-heading")).to_have_text(f"{TOTAL} places found")
    assert page.locator(".nhsuk-error-summary").count() == 0
    assert_accessible(page)


def test_use_my_location_searches_near_a_rounded_position(
    browser: Any, live_server: Any, lonely_listings: dict[str, Service]
) -> None:
    # given a browser that knows precisely where the person is standing, close to SW9 8EJ
    here = (51.465123, -0.115432)
    context = browser.new_context(
        locale="en-GB",
        geolocation={"latitude": here[0], "longitude": here[1]},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/find/?q=I+feel+lonely")
        # when
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url("**/find/?*lat=*")
        # then the search is near them, and the address bar holds only a ~100 m grid position
        query = parse_qs(urlsplit(page.url).query)
        assert query["lat"] == ["51.465"]
        assert query["long"] == ["-0.115"]
        assert result_names(page)[0] == "Brixton friendship circle"
        assert (
            page.locator(".app-result")
            .first.locator(".app-result__distance")
            .inner_text()
            .startswith("0.3 miles")
        )
        assert_accessible(page)
    finally:
        context.close()


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_open_on_a_chosen_day_and_time(
    request: pytest.FixtureRequest,
    live_server: Any,
    lonely_listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    page.goto(live_server.url + "/find/?q=I+feel+lonely&postcode=SW9+8EJ")
    # when the person asks what is open on a Wednesday at 7pm
    page.get_by_label("On a day and time").check()
    page.get_by_label("Day", exact=True).select_option("wednesday")
    page.get_by_label("Time", exact=True).select_option("19:00")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    # then only the Wednesday evening social is open then
    expect(page.locator("#results-heading")).to_have_text("1 place found")
    assert result_names(page) == ["Stockwell evening social"]
    assert_accessible(page)
