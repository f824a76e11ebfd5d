"""Journey: a person searches near the start of a postcode, chooses "Nearest first", opens a result
and comes back to the same choice; the map shows its markers with no tile server (issue 11, "The
search page a person expects"). With JavaScript on, on a phone, and off.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import ServiceAtLocationFactory
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

BEST = ["Lonely hearts friendship club", "Kennington community cafe"]
NEAREST = ["Kennington community cafe", "Lonely hearts friendship club"]


@pytest.fixture
def listings() -> dict[str, Service]:
    """Fictional: the better match a mile north of SE11 5, a weaker one beside it."""
    for code, lat, lon in [("SE115AA", 51.4840, -0.1140), ("SE115AB", 51.4860, -0.1160)]:
        Postcode.objects.create(code=code, latitude=lat, longitude=lon)
    Postcode.objects.create(code="SE11", latitude=51.4890, longitude=-0.1100, is_district=True)
    far_match = ServiceAtLocationFactory.create(
        service__name="Lonely hearts friendship club",
        service__description="A friendship club for anyone feeling lonely.",
        location__latitude=51.4990,
        location__longitude=-0.1150,
    ).service
    near_other = ServiceAtLocationFactory.create(
        service__name="Kennington community cafe",
        service__description="Tea, cake and company for anyone lonely.",
        location__latitude=51.4852,
        location__longitude=-0.1150,
    ).service
    index_services()
    return {"far_match": far_match, "near_other": near_other}


def result_names(page: Any) -> list[str]:
    return [name.strip() for name in page.locator(".app-result__name").all_inner_texts()]


def search_near_a_sector(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/find/")
    page.get_by_label("What is happening, or what are you looking for?").fill("lonely friendship")
    page.get_by_label("Postcode (optional)").fill("SE11 5")
    page.locator("#search-submit").click()
    expect(page.locator(".app-result__name")).to_have_count(2)  # htmx swaps them in with JS


def expect_map_with_marker_images(page: Any, count: int) -> None:
    """The map shows, on a plain background (no tile server), each marker's image loaded."""
    expect(page.locator("#results-map")).to_be_visible()
    expect(page.locator("#results-map")).to_have_class(
        "app-map leaflet-container leaflet-touch leaflet-fade-anim leaflet-grab"
        " leaflet-touch-drag leaflet-touch-zoom app-map--plain"
    )
    markers = page.locator("#results-map img.leaflet-marker-icon")
    expect(markers).to_have_count(count)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#results-map img.leaflet-marker-icon,"
        " #results-map img.leaflet-marker-shadow')].every((img) => img.complete)"
    )
    widths = page.eval_on_selector_all(
        "#results-map img.leaflet-marker-icon, #results-map img.leaflet-marker-shadow",
        "(imgs) => imgs.map((img) => img.naturalWidth)",
    )
    assert sorted(widths) == [25] * count + [41] * count  # every icon and shadow arrived
    assert page.locator("#results-map img.leaflet-tile").count() == 0
    expect(page.locator("#results-map .app-map__centre")).to_have_count(1)  # where from


@pytest.mark.parametrize("browser_page", ["page", "phone_page"])
def test_with_javascript_nearest_first_keeps_its_map_and_survives_back(
    request: pytest.FixtureRequest,
    live_server: Any,
    listings: dict[str, Service],
    browser_page: str,
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    search_near_a_sector(page, live_server)
    # then the best match comes first, with distances, and the map shows both markers
    assert result_names(page) == BEST
    expect(page.locator(".app-result__distance")).to_have_count(2)
    expect(page.get_by_label("Best match")).to_be_checked()
    expect_map_with_marker_images(page, 2)
    assert_accessible(page)
    # when the person chooses "Nearest first"
    page.get_by_label("Nearest first").check()
    # then the results change in place, nearest first, still with distances and a map
    expect(page.locator(".app-result__name").first).to_have_text(NEAREST[0])
    assert result_names(page) == NEAREST
    assert "order=nearest" in page.url
    expect(page.locator(".app-result__distance")).to_have_count(2)
    expect_map_with_marker_images(page, 2)
    assert_accessible(page)
    # when they open a result and go back with the browser
    page.get_by_role("link", name=NEAREST[0]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEAREST[0])
    page.go_back()
    # then the whole page is back, with their choice
    expect(page.get_by_role("heading", level=1)).to_have_text("Find support")
    expect(page.get_by_label("Nearest first")).to_be_checked()
    assert result_names(page) == NEAREST
    expect_map_with_marker_images(page, 2)
    assert_accessible(page)


def test_without_javascript_the_choice_and_the_back_link_work(
    page_without_js: Any, live_server: Any, listings: dict[str, Service]
) -> None:
    # given
    page = page_without_js
    search_near_a_sector(page, live_server)
    assert result_names(page) == BEST
    # when
    page.get_by_label("Nearest first").check()
    page.locator("#search-submit").click()
    page.wait_for_load_state()
    # then
    assert result_names(page) == NEAREST
    assert page.locator(".app-result__distance").count() == 2
    assert page.locator("#results-map").is_hidden()
    assert_accessible(page)
    # when they open a result and follow its Back link
    page.get_by_role("link", name=NEAREST[0]).click()
    page.get_by_role("link", name="Back").click()
    # then the search comes back as they left it
    assert page.get_by_label("Nearest first").is_checked()
    assert result_names(page) == NEAREST
    assert_accessible(page)
