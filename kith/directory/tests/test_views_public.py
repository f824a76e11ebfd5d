"""The public search page, /find/: filters, bad input, htmx and what results show."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from kith.core.testing import html, one, text
from kith.directory.forms.public import MILE_M
from kith.directory.models import Language, Postcode, Service
from kith.directory.presenters import opening_text
from kith.directory.search import (
    Interpretation,
    SearchHit,
    SearchQuery,
    SearchResults,
    index_services,
)
from kith.directory.selectors.services import languages_offered
from kith.directory.taxonomy import support_types
from kith.directory.tests.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from kith.directory.views import public

LONDON = ZoneInfo("Europe/London")
# A Wednesday, mid-morning in Brixton.
WEDNESDAY_10AM = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
SW9_8EJ = (51.4655, -0.1150)

pytestmark = pytest.mark.django_db


def names(response: Any) -> list[str]:
    return [a.get_text(strip=True) for a in html(response).select(".app-result__name a")]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[SearchQuery]:
    """Records each query the page sends to the real search engine."""
    seen: list[SearchQuery] = []
    real = public.search_services

    def recording(query: SearchQuery) -> SearchResults:
        seen.append(query)
        return real(query)

    monkeypatch.setattr(public, "search_services", recording)
    return seen


@pytest.fixture
def directory() -> dict[str, Service]:
    """Six fictional services, each alone in one way the filters can tell apart."""
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    near = LocationFactory.create(latitude=51.4660, longitude=-0.1150, has_step_free_access=True)
    far = LocationFactory.create(latitude=51.5500, longitude=-0.1150)  # about 6 miles north
    services = {
        "debt": ServiceFactory.create(name="Money worries drop-in", description="Help with debt."),
        "free": ServiceFactory.create(name="Free walking group", is_free=True),
        "no_referral": ServiceFactory.create(
            name="Open door peer group", is_no_referral_needed=True
        ),
        "step_free": ServiceFactory.create(name="Ground floor cafe chat"),
        "portuguese": ServiceFactory.create(name="Conversa comunitaria"),
        "weekend": ServiceFactory.create(name="Saturday garden club"),
    }
    tag_support_types(services["debt"], "debt-money")
    tag_support_types(services["free"], "physical-activity")
    Language.objects.create(service=services["portuguese"], code="pt", name="Portuguese")
    ServiceAtLocationFactory.create(service=services["step_free"], location=near)
    for key in ("debt", "free", "no_referral", "portuguese", "weekend"):
        ServiceAtLocationFactory.create(service=services[key], location=far)
    ScheduleFactory.create(service=services["debt"], byday="MO,TU,WE,TH,FR")
    ScheduleFactory.create(service=services["weekend"], byday="SA", opens_at=dt.time(9, 0))
    index_services()
    return services


def test_empty_search_offers_every_support_type_to_browse(client: Client) -> None:
    # when
    response = client.get("/find/")
    # then
    assert response.status_code == 200
    page = html(response)
    links = page.select(".app-browse-list a")
    assert len(links) == 39
    assert links[0]["href"] == "/find/?type=peer-support"
    assert [a.get_text(strip=True) for a in links] == [st.label for st in support_types()]
    assert len(page.select("h1")) == 1
    assert page.select_one(".app-result") is None


def test_words_find_the_matching_service_with_its_organisation(
    client: Client, directory: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "Money worries"})
    # then
    assert names(response) == ["Money worries drop-in"]
    result = one(response, ".app-result")
    organisation = directory["debt"].organization
    assert organisation is not None
    assert text(result, ".app-result__organisation") == organisation.name
    # the link carries the search, so the service's Back link can return to it
    assert one(result, ".app-result__name a")["href"] == (
        f"/services/{directory['debt'].pk}/?q=Money+worries"
    )


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_every_filter_is_passed_to_the_search_engine(
    client: Client, spy: list[SearchQuery]
) -> None:
    # given
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    Language.objects.create(service=ServiceFactory.create(), code="pt", name="Portuguese")
    # when
    response = client.get(
        "/find/",
        {
            "q": "I feel lonely",
            "postcode": "sw9 8ej",
            "radius": "5",
            "type": ["befriending", "peer-support"],
            "when": "at",
            "day": "saturday",
            "time": "10:00",
            "free": "on",
            "no_referral": "on",
            "step_free": "on",
            "language": "pt",
            "page": "2",
        },
    )
    # then
    assert response.status_code == 200
    assert spy == [
        SearchQuery(
            text="I feel lonely",
            latitude=SW9_8EJ[0],
            longitude=SW9_8EJ[1],
            radius_m=5 * MILE_M,
            support_types=("befriending", "peer-support"),
            open_at=dt.datetime(2026, 3, 7, 10, 0, tzinfo=LONDON),
            is_free=True,
            is_no_referral_needed=True,
            language="pt",
            has_step_free_access=True,
            page=2,
            per_page=20,
        )
    ]


@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_open_now_and_my_location_are_passed_to_the_search_engine(
    client: Client, spy: list[SearchQuery]
) -> None:
    # when "use my location" sends precise coordinates
    client.get("/find/", {"when": "now", "lat": "51.465512345", "long": "-0.115049876"})
    # then they are rounded to a ~100 metre grid before anything uses them
    assert spy[0].open_at == WEDNESDAY_10AM
    assert (spy[0].latitude, spy[0].longitude) == (51.466, -0.115)
    assert spy[0].radius_m == 3 * MILE_M


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "debt-money"}, ["Money worries drop-in"]),
        ({"free": "on"}, ["Free walking group"]),
        ({"no_referral": "on"}, ["Open door peer group"]),
        ({"step_free": "on"}, ["Ground floor cafe chat"]),
        ({"language": "pt"}, ["Conversa comunitaria"]),
        ({"postcode": "SW9 8EJ", "radius": "1"}, ["Ground floor cafe chat"]),
        ({"lat": "51.4655", "long": "-0.1150", "radius": "1"}, ["Ground floor cafe chat"]),
        ({"when": "now"}, ["Money worries drop-in"]),
        ({"when": "at", "day": "saturday", "time": "10:00"}, ["Saturday garden club"]),
        ({"day": "saturday", "time": "10:00"}, ["Saturday garden club"]),
    ],
)
@time_machine.travel(WEDNESDAY_10AM, tick=False)
def test_each_filter_narrows_the_results(
    client: Client, directory: dict[str, Service], params: dict[str, str], expected: list[str]
) -> None:
    # when
    response = client.get("/find/", params)
    # then
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"q": "x" * 10_000}, "q", "Enter 200 characters or fewer"),
        (
            {"postcode": "not a postcode"},
            "postcode",
            "Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9",
        ),
        ({"lat": "abc", "long": "-0.1"}, "postcode", "We could not use your location."),
        ({"lat": "91", "long": "0"}, "postcode", "We could not use your location."),
        ({"radius": "-5"}, "radius", "Select a distance from the list"),
        ({"type": "not-a-type"}, "type", "Select types of support from the list"),
        ({"when": "at"}, "day", "Select a day"),
        ({"when": "at", "day": "someday", "time": "10:00"}, "day", "Select a day from the list"),
        ({"when": "at", "day": "monday", "time": "25:00"}, "time", "Select a time from the list"),
        ({"when": "yesterday"}, "when", "Select when you want to go"),
        ({"language": "xx"}, "language", "Select a language from the list"),
    ],
)
def test_bad_input_gets_a_clear_error_linked_to_its_field(
    client: Client, params: dict[str, str], field: str, message: str
) -> None:
    # when
    response = client.get("/find/", {"q": "debt", **params})
    # then
    assert response.status_code == 200
    page = html(response)
    assert text(page, "title").startswith("Error: ")
    summary_link = one(page, ".nhsuk-error-summary a")
    assert summary_link.get_text(strip=True).startswith(message)
    assert summary_link["href"] == f"#{field}"
    assert page.select_one(f"#{field}") is not None
    assert page.select_one(".app-result") is None


def test_bad_postcode_keeps_everything_the_person_typed(client: Client) -> None:
    # when
    response = client.get(
        "/find/", {"q": "lost my mum", "postcode": "SW9 XXX", "free": "on", "type": "bereavement"}
    )
    # then
    page = html(response)
    assert text(page, "#postcode-error") == (
        "Error: Enter a postcode, like SW9 8EJ, or the start of one, like SW9 8 or SW9"
    )
    assert one(page, "#q")["value"] == "lost my mum"
    assert one(page, "#postcode")["value"] == "SW9 XXX"
    assert one(page, "#free").has_attr("checked")
    assert one(page, "input[name=type][value=bereavement]").has_attr("checked")


def test_unknown_postcode_gets_a_friendly_message_and_still_shows_results(
    client: Client, directory: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "Money worries", "postcode": "ZZ9 9ZZ"})
    # then
    assert response.status_code == 200
    assert text(response, ".app-unknown-postcode p") == (
        "We could not find ZZ9 9ZZ. This directory lists support in Lambeth, so it may be outside"
        " the area. These results are not sorted by distance: check the postcode, or try one"
        " nearby."
    )
    assert names(response) == ["Money worries drop-in"]


def test_page_past_the_end_says_so_and_links_to_the_first_page(
    client: Client, directory: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "Money worries", "page": "99999"})
    # then
    assert response.status_code == 200
    page = html(response)
    assert text(page, "#results-heading") == "There are no more results"
    assert "page=1" in one(page, "#results a")["href"]


@pytest.mark.parametrize("page_param", ["abc", "-3", "0"])
def test_unusable_page_numbers_show_the_first_page(
    client: Client, directory: dict[str, Service], page_param: str
) -> None:
    # when
    response = client.get("/find/", {"q": "Money worries", "page": page_param})
    # then
    assert response.status_code == 200
    assert names(response) == ["Money worries drop-in"]


def test_nonsense_gets_a_helpful_page_not_an_error(
    client: Client, directory: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "qwxzzkv plorf"})
    # then
    assert response.status_code == 200
    page = html(response)
    assert text(page, "#results-heading") == "We could not find anything that matches"
    tips = text(page, ".app-no-results-tips")
    assert "check the spelling" in tips
    assert one(page, ".app-no-results-tips a")["href"] == "/find/"
    assert one(page, "#results a[href='/help-now/']").get_text(strip=True) == "Need help now?"


def test_results_show_badges_and_support_types(client: Client) -> None:
    # given
    service = ServiceFactory.create(
        name="Fade and chat barbers",
        is_place_to_talk=True,
        is_no_referral_needed=True,
        is_free=True,
    )
    tag_support_types(service, "talking-space", "men")
    location = LocationFactory.create(name="Acre Lane", latitude=51.4610, longitude=-0.1200)
    ServiceAtLocationFactory.create(service=service, location=location)
    index_services()
    # when
    response = client.get("/find/", {"q": "Fade and chat"})
    # then
    result = one(response, ".app-result")
    badges = [t.get_text(strip=True) for t in result.select(".app-result__badges strong")]
    assert badges == ["Place to talk", "No referral needed", "Free"]


def test_results_show_distance_opening_and_support_types_from_the_hit(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a hit as the search engine describes it
    service = ServiceFactory.create(name="Stockwell listening cafe")
    location = LocationFactory.create(name="Stockwell library", latitude=51.472, longitude=-0.123)
    hit = SearchHit(
        service=service,
        location=location,
        distance_m=1300.0,
        score=1.0,
        support_types=["talking-space", "befriending"],
        is_open_now=False,
        next_open_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=LONDON),
    )
    results = SearchResults(
        hits=[hit],
        total=1,
        page=1,
        per_page=20,
        interpretation=Interpretation(support_types=["debt-money"], corrected_text="lonely"),
    )
    monkeypatch.setattr(public, "search_services", lambda query: results)
    # when
    with time_machine.travel(WEDNESDAY_10AM, tick=False):
        response = client.get("/find/", {"q": "lonley", "postcode": "SW9"})
    # then
    page = html(response)
    assert text(page, ".app-result__distance") == "0.8 miles – Stockwell library"
    assert text(page, ".app-result__opening") == "Opens Tuesday at 9am"
    types = [t.get_text(strip=True) for t in page.select(".app-result__types strong")]
    assert types == [
        "Places to talk (mental-health-informed barbers, cafes, libraries and other everyday spaces)",
        "Befriending and check-in calls",
    ]
    assert text(page, ".app-interpretation") == "Showing support for: Debt and money advice"
    assert text(page, ".app-did-you-mean") == "Did you mean lonely ?"
    assert one(page, ".app-did-you-mean a")["href"] == "/find/?q=lonely&postcode=SW9"
    map_element = one(page, "#results-map[data-module=app-map]")
    assert map_element.has_attr("hidden")  # shown only by JavaScript
    assert map_element["data-leaflet-js"] == "/static/vendor/leaflet/leaflet.js"
    assert map_element["data-tile-url"] == ""
    markers = json.loads(one(page, "#results-map-data").string or "")
    assert markers == [
        {
            "lat": 51.472,
            "lng": -0.123,
            "name": "Stockwell listening cafe",
            "url": f"/services/{service.pk}/?q=lonley&postcode=SW9",
        }
    ]


def test_results_are_paged_with_the_nhs_pagination(client: Client) -> None:
    # given
    for number in range(25):
        tag_support_types(
            ServiceFactory.create(name=f"Befriending calls {number:02d}"), "befriending"
        )
    index_services()
    # when
    first = client.get("/find/", {"type": "befriending"})
    second = client.get("/find/", {"type": "befriending", "page": "2"})
    # then
    assert names(first) == [f"Befriending calls {n:02d}" for n in range(20)]
    assert names(second) == [f"Befriending calls {n:02d}" for n in range(20, 25)]
    assert text(first, "#results-heading") == "25 places found"
    next_link = one(first, ".nhsuk-pagination a[rel=next]")
    assert next_link["href"] == "/find/?type=befriending&page=2"
    assert one(second, ".nhsuk-pagination a[rel=prev]")["href"] == "/find/?type=befriending&page=1"


def test_htmx_request_gets_only_the_results_partial(
    client: Client, directory: dict[str, Service]
) -> None:
    # when
    response = client.get("/find/", {"q": "Money worries"}, headers={"HX-Request": "true"})
    # then
    assert response.status_code == 200
    page = html(response)
    assert page.select_one("html") is None
    assert page.select_one("h1") is None
    assert page.select_one("form") is None
    assert names(response) == ["Money worries drop-in"]


def test_htmx_request_with_bad_input_loads_the_whole_page_to_show_the_error(
    client: Client,
) -> None:
    # when
    response = client.get("/find/", {"postcode": "nope"}, headers={"HX-Request": "true"})
    # then
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/find/?postcode=nope"
    assert response.content == b""


def test_full_page_loads_htmx_and_keeps_a_real_form(client: Client) -> None:
    # when
    page = html(client.get("/find/", {"q": "debt"}))
    # then
    form = one(page, "form#search-form")
    assert (form["action"], form["method"]) == ("/find/", "get")
    assert form["hx-get"] == "/find/"
    assert one(page, "script[src$='js/htmx.min.js']")
    assert one(page, "[data-module=app-locate]").has_attr("hidden")
    assert page.select_one("script[src*=leaflet]") is None


@pytest.mark.parametrize(
    ("is_open_now", "next_open_at", "closes_at", "expected"),
    [
        (True, None, dt.datetime(2026, 3, 4, 17, 0, tzinfo=LONDON), "Open now until 5pm"),
        (True, None, None, "Open now"),
        (False, dt.datetime(2026, 3, 4, 18, 30, tzinfo=LONDON), None, "Opens today at 6:30pm"),
        (False, dt.datetime(2026, 3, 5, 12, 0, tzinfo=LONDON), None, "Opens tomorrow at midday"),
        (False, dt.datetime(2026, 3, 10, 9, 0, tzinfo=LONDON), None, "Opens Tuesday at 9am"),
        (False, dt.datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), None, "Opens on 20 March at 9am"),
        (False, None, None, ""),
    ],
)
def test_opening_text(
    is_open_now: bool,
    next_open_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    expected: str,
) -> None:
    assert (
        opening_text(
            is_open_now=is_open_now,
            next_open_at=next_open_at,
            closes_at=closes_at,
            now=WEDNESDAY_10AM,
        )
        == expected
    )


def test_front_door_leads_into_the_search(client: Client) -> None:
    # when
    page = html(client.get("/"))
    # then
    form = one(page, "form[role=search]")
    assert (form["action"], form["method"]) == ("/find/", "get")
    assert {i["name"] for i in form.select("input")} == {"q", "postcode"}
    hrefs = [str(a["href"]) for a in page.select(".app-home-starts a")]
    assert hrefs == [
        "/find/?type=talking-space",
        "/find/?type=peer-support",
        "/find/?type=debt-money",
        "/find/?when=now",
        "/find/",
    ]
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_languages_offered_are_read_once_a_minute(django_assert_num_queries: Any) -> None:
    # given
    Language.objects.create(service=ServiceFactory.create(), code="so", name="Somali")
    with django_assert_num_queries(1):
        assert languages_offered() == [("so", "Somali")]
    # when asked again within the minute
    with django_assert_num_queries(0):
        again = languages_offered()
    # then
    assert again == [("so", "Somali")]
