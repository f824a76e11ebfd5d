"""Journey: a listing imported from a list-form council feed (no place, no organisation, HTML
description) is found and read like any other, with how to contact them instead of a map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kith.directory.oruk.importer import oruk_import
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

LIST_FORM = (
    Path(__file__).resolve().parents[2]
    / "kith"
    / "directory"
    / "tests"
    / "data"
    / "oruk"
    / "v1_list_form.json"
)


@pytest.fixture
def imported() -> None:
    oruk_import(source=str(LIST_FORM))


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_a_listing_without_a_place_says_how_to_contact_them(
    browser_page: str, request: pytest.FixtureRequest, live_server: Any, imported: None
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    page.goto(live_server.url + "/find/?q=befriending")
    # then the result says how to contact them, with no distance and no map
    result = page.locator(".app-result")
    assert result.count() == 1
    assert result.locator(".app-result__contact").inner_text() == (
        "No address given. Contact them: 07700 900123, example.org"
    )
    assert page.locator(".app-result__distance").count() == 0
    assert page.locator("#results-map").count() == 0
    assert_accessible(page)
    # when
    result.locator(".app-result__name a").click()
    # then the page says there is no address, and how to get in touch
    assert page.locator("h1").inner_text() == "Fictional befriending line"
    assert page.locator(".app-service__no-place").is_visible()
    assert page.locator(".app-service__contact .app-phone").inner_text() == "07700 900123"
    assert page.locator("#where").count() == 0
    assert page.locator("#times").count() == 0
    assert_accessible(page)
