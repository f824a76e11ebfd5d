"""Journey: on a service's page, a person finds everything to go there or get in touch, and can
print or share it. It is a Wednesday, 10am in London (the live server shares the test's clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from kith.directory.models import Schedule, Service
from kith.directory.tests.factories import nested_service
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

WEDNESDAY_10AM = dt.datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def service() -> Iterator[Service]:
    with time_machine.travel(WEDNESDAY_10AM, tick=True):
        service = nested_service(2)
        # Tuesday evenings at its room (6pm to 8pm), Saturday mornings anywhere.
        Schedule.objects.filter(service=service, byday="TU").update(closes_at=dt.time(20))
        yield service


def texts(page: Any, selector: str) -> list[str]:
    return [line.strip() for line in page.locator(selector).all_inner_texts()]


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_the_page_has_everything_to_go_there_or_get_in_touch(
    request: pytest.FixtureRequest, live_server: Any, service: Service, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    # when
    page.goto(f"{live_server.url}/services/{service.pk}/")
    # then
    assert page.title().startswith("Evening listening circle 2")
    assert page.locator("h1").inner_text() == "Evening listening circle 2"
    assert page.locator(".app-service__organisation").inner_text() == (
        "Run by Kennington Kindness Collective 2"
    )
    assert texts(page, ".app-service__badges li") == ["Place to talk", "No referral needed", "Free"]
    assert page.locator(".app-service__open").inner_text() == "Opens Saturday at 10am"
    # how to get in touch: the service's number, then its contact's (where ORUK 1.0 feeds put
    # them), each a link that dials it
    phones = page.locator(".app-service__contact .app-phone")
    assert phones.all_inner_texts() == ["07700 900123", "07700 900125"]
    assert [link.get_attribute("href") for link in phones.all()] == [
        "tel:07700900123",
        "tel:07700900125",
    ]
    assert page.locator(".app-email").get_attribute("href") == "mailto:circle2@example.com"
    assert page.locator(".app-website").get_attribute("href") == (
        "https://kindness2.example.com/circle"
    )
    # where to go
    location = page.locator(".app-location")
    assert location.locator("h3").inner_text() == "Vauxhall community room 2"
    assert location.locator(".app-location__address").inner_text() == (
        "2 Fictional Walk\nLondon\nSE11 5QY"
    )
    assert texts(page, ".app-location__access li") == [
        "Step-free access",
        "Level access and a hearing loop",
    ]
    assert [
        (link.inner_text(), link.get_attribute("href"))
        for link in location.locator(".app-phone").all()
    ] == [("07700 900124", "tel:07700900124"), ("07700 900002", "tel:07700900002")]
    # when it is open
    assert [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator(".app-service__times tbody tr").all()
    ] == [
        ["Monday", "Closed"],
        ["Tuesday", "6pm to 8pm"],
        ["Wednesday", "Closed"],
        ["Thursday", "Closed"],
        ["Friday", "Closed"],
        ["Saturday", "10am to midday"],
        ["Sunday", "Closed"],
    ]
    assert texts(page, ".app-service__times .app-closed-dates li") == [
        "Friday 3 April 2026 (Good Friday)"
    ]
    # and when it is open at this place
    at_location = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in location.locator(".app-opening-times tbody tr").all()
    ]
    assert [row for row in at_location if row[1] != "Closed"] == [["Tuesday", "6pm to 8pm"]]
    assert texts(page, ".app-location .app-closed-dates li") == ["Friday 25 December 2026 (Xmas)"]
    # what it costs, and when the listing was last checked
    assert texts(page, ".app-service__cost p, .app-service__cost li") == [
        "Free",
        "Free, donations welcome",
        "Donation: £2.50",
    ]
    assert page.locator(".app-service__languages").inner_text() == "Portuguese"
    assert page.locator(".app-service__training").inner_text() == (
        "Training: Mental Health First Aid (2026) (completed 5 January 2026)"
    )
    assert page.locator(".app-service__checked").inner_text() == "Last checked on 12 January 2026"
    assert page.get_by_role("link", name="Report something wrong").get_attribute("href") == (
        f"/services/{service.pk}/report/"
    )
    assert_accessible(page)


def test_with_javascript_print_is_a_button_and_share_uses_the_phone_share_sheet(
    page: Any, live_server: Any, service: Service
) -> None:
    # given a phone browser that can share, and a print dialogue we can see was asked for
    page.add_init_script(
        """
        navigator.share = (data) => { window.kithShared = data; return Promise.resolve(); };
        window.print = () => { window.kithPrinted = true; };
        """
    )
    page.goto(f"{live_server.url}/services/{service.pk}/")
    # then the print button shows, and its "use your browser" hint does not
    print_button = page.get_by_role("button", name="Print this page")
    expect(print_button).to_be_visible()
    expect(page.locator(".app-print__hint")).to_be_hidden()
    share = page.locator(".app-share")
    expect(share).to_have_text("Share this page")
    assert_accessible(page)
    # when they print
    print_button.click()
    # then the browser's print dialogue was asked for
    assert page.evaluate("() => window.kithPrinted") is True
    # when they share
    share.click()
    # then the share sheet gets the page's name and address, and the page stays put
    assert page.evaluate("() => window.kithShared") == {
        "title": "Evening listening circle 2",
        "url": f"{live_server.url}/services/{service.pk}/",
    }
    assert page.url == f"{live_server.url}/services/{service.pk}/"


def test_with_javascript_and_no_share_sheet_share_stays_an_email(
    page: Any, live_server: Any, service: Service
) -> None:
    # given Chromium on Linux, which has no share sheet
    # when
    page.goto(f"{live_server.url}/services/{service.pk}/")
    # then
    assert page.evaluate("() => typeof navigator.share") == "undefined"
    assert page.locator(".app-share").inner_text() == "Share by email"
    assert page.locator(".app-share").get_attribute("href").startswith("mailto:?")
    assert_accessible(page)


def test_without_javascript_print_and_share_fall_back_to_the_browser_and_email(
    page_without_js: Any, live_server: Any, service: Service
) -> None:
    # given
    page = page_without_js
    # when
    page.goto(f"{live_server.url}/services/{service.pk}/")
    # then printing is the browser's own, as the page says
    assert page.locator(".app-print button").is_hidden()
    assert page.locator(".app-print__hint").inner_text() == (
        "To print this page, use your browser's print option."
    )
    # and sharing is an email holding the page's address, and nothing about the person
    share = page.locator(".app-share")
    assert share.inner_text() == "Share by email"
    href = share.get_attribute("href")
    assert href.startswith("mailto:?")
    assert parse_qs(urlsplit(href).query) == {
        "subject": ["Evening listening circle 2 on Kith"],
        "body": [
            f"I found this and thought it might help: {live_server.url}/services/{service.pk}/"
        ],
    }
    assert_accessible(page)
