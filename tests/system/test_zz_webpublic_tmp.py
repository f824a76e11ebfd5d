from __future__ import annotations

from typing import Any

import pytest

from kith.directory.models import Postcode
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _data() -> Any:
    Postcode.objects.create(code="SW98EJ", latitude=51.4655, longitude=-0.115)
    s = ServiceFactory.create(name="Debt advice cafe", is_free=True, is_place_to_talk=True)
    ServiceAtLocationFactory.create(service=s, location=LocationFactory.create())
    t = ServiceFactory.create(name="Debt help line", is_no_referral_needed=True)
    ServiceAtLocationFactory.create(service=t, location=LocationFactory.create(latitude=51.47))
    index_services()
    return s


def test_js_on(page: Any, live_server: Any) -> None:
    s = _data()
    page.goto(live_server.url + "/find/?postcode=SW9+8EJ")
    page.wait_for_selector("#results-map .leaflet-marker-icon")
    assert page.locator(".app-result").count() == 2
    assert page.locator("[data-module=app-locate]").is_visible()
    assert_accessible(page)
    page.locator("#free").check()
    page.locator(".app-result").nth(1).wait_for(state="detached")
    assert "free=on" in page.url
    page.wait_for_selector("#results-map .leaflet-marker-icon")
    assert page.locator("#results-status").inner_text() == "1 place found"
    page.goto(live_server.url + f"/services/{s.pk}/")
    page.locator("[data-module=app-print]").wait_for(state="visible")
    assert not page.locator(".app-print__hint").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/find/")
    assert_accessible(page)
    page.goto(live_server.url + "/find/?postcode=nope")
    assert_accessible(page)


def test_js_off(page_without_js: Any, live_server: Any) -> None:
    page = page_without_js
    page.set_default_timeout(8000)
    s = _data()
    page.goto(live_server.url + "/find/?postcode=SW9+8EJ")
    assert page.locator(".app-result").count() == 2
    assert not page.locator("#results-map").is_visible() if page.locator("#results-map").count() else True
    page.locator("#free").check()
    page.locator("#search-submit").click()
    assert page.locator(".app-result").count() == 1
    page.goto(live_server.url + f"/services/{s.pk}/report/")
    assert_accessible(page)
    page.locator("#search-submit").count()
    page.locator("button", has_text="Send report").click()
    assert "Select what is wrong" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.locator("#reason").check()
    page.locator("button", has_text="Send report").click()
    assert page.locator("h1").inner_text() == "Thank you, your report has been sent"
    assert_accessible(page)
