"""Journey: one editor proposes an edit to a listing, another reviews the difference and publishes
it, and the public page shows the change. Stale listings and reports have their own queues."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.core.testing.staff import TEST_TOTP_KEY, totp_code_for, totp_device_for
from kith.directory.models import Address, ListingReport, Service
from kith.directory.services.curation import editor_add
from kith.directory.tests.factories import (
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_PAGES = ["page", "page_without_js"]
PASSWORD = "correct horse battery staple"  # noqa: S105 - a fictional test account


@pytest.fixture
def listing() -> Service:
    service = ServiceFactory.create(
        name="Evening circle",
        description="A calm group where you can talk, or just listen.",
        is_free=True,
        is_no_referral_needed=True,
        assured_date=dt.date(2025, 6, 2),
    )
    tag_support_types(service, "peer-support")
    sal = ServiceAtLocationFactory.create(service=service)
    Address.objects.create(
        location=sal.location, address_1="2 Fictional Walk", city="London", postal_code="SE11 5QY"
    )
    ScheduleFactory.create(
        service=service, byday="MO,WE", opens_at=dt.time(18), closes_at=dt.time(20)
    )
    for username, email in (("editor.ada", "ada@example.com"), ("editor.ben", "ben@example.com")):
        editor = editor_add(username=username, email=email, password=PASSWORD)
        totp_device_for(editor, key=TEST_TOTP_KEY)  # their authenticator app
    return service


def sign_in(page: Any, live_server: Any, username: str, *, path: str) -> None:
    """Go to a staff page, get sent to sign in, and come back to it."""
    page.goto(live_server.url + path)
    assert page.url.startswith(f"{live_server.url}/staff/sign-in/?next=")
    assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # then the code from their authenticator app
    assert page.url.startswith(f"{live_server.url}/staff/sign-in/code/?next=")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__username=username)
    page.get_by_label("6-digit code").fill(totp_code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + path
    assert page.locator(".app-staff-nav").inner_text().count(f"Signed in as {username}.") == 1


def sign_out(page: Any) -> None:
    page.locator(".app-staff-nav").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def diff_rows(page: Any) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator("table.app-diff tbody tr").all()
    ]


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_an_edit_is_public_only_after_a_second_editor_publishes_it(
    request: pytest.FixtureRequest, live_server: Any, listing: Service, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    sign_in(page, live_server, "editor.ada", path="/staff/directory/")
    assert_accessible(page)
    # when editor A finds the listing and proposes a new name and a Friday session
    page.get_by_role("link", name="Find a listing to edit").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Evening circle").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/staff/directory/listings/{listing.pk}/edit/"
    assert page.get_by_label("Service name").input_value() == "Evening circle"
    assert_accessible(page)
    page.get_by_label("Service name").fill("Evening listening circle")
    friday = page.locator("fieldset.app-session").nth(1)
    friday.get_by_label("Friday").check()
    friday.get_by_label("Opens").fill("6pm")
    friday.get_by_label("Closes").fill("8pm")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    # then the proposal waits for someone else, and the public listing is unchanged
    assert page.locator("h1").inner_text() == "Edit to Evening listening circle"
    assert page.get_by_role("button", name="Publish").count() == 0
    assert (
        page.locator(".nhsuk-inset-text")
        .inner_text()
        .endswith("You proposed this change, so another editor must review it.")
    )
    assert_accessible(page)
    change_url = page.url
    listing.refresh_from_db()
    assert (listing.name, listing.assured_date) == ("Evening circle", dt.date(2025, 6, 2))
    sign_out(page)

    # when editor B signs in and opens it from the review queue
    sign_in(page, live_server, "editor.ben", path="/staff/directory/changes/")
    assert_accessible(page)
    page.get_by_role("link", name="Evening listening circle").click()
    page.wait_for_load_state()
    # then they see exactly what changes
    assert page.url == change_url
    assert diff_rows(page) == [
        ["Service name", "Evening circle", "Evening listening circle"],
        [
            "Opening times",
            "Monday: 6pm to 8pm; Wednesday: 6pm to 8pm",
            "Monday: 6pm to 8pm; Wednesday: 6pm to 8pm; Friday: 6pm to 8pm",
        ],
    ]
    assert_accessible(page)
    # when they publish it
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    # then it is published, and marked as checked today
    assert_accessible(page)
    listing.refresh_from_db()
    today = timezone.localdate()
    assert (listing.name, listing.assured_date) == ("Evening listening circle", today)

    # when anyone opens the public page
    page.goto(f"{live_server.url}/services/{listing.pk}/")
    # then it shows the change
    assert page.locator("h1").inner_text() == "Evening listening circle"
    times = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator(".app-service__times tbody tr").all()
    ]
    assert [row for row in times if row[1] != "Closed"] == [
        ["Monday", "6pm to 8pm"],
        ["Wednesday", "6pm to 8pm"],
        ["Friday", "6pm to 8pm"],
    ]
    assert page.locator(".app-service__checked").inner_text() == (
        f"Last checked on {today.day} {today:%B %Y}"
    )
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_stale_listings_and_reports_queues(
    request: pytest.FixtureRequest, live_server: Any, listing: Service, browser_page: str
) -> None:
    # given a stale listing with a report from the public, and one checked last week
    page = request.getfixturevalue(browser_page)
    ServiceFactory.create(name="Fresh listing", assured_date=timezone.localdate() - dt.timedelta(7))
    ListingReport.objects.create(
        service=listing, reason=ListingReport.Reason.TIMES, details="It is on Tuesdays now."
    )
    # when an editor opens the stale list
    sign_in(page, live_server, "editor.ada", path="/staff/directory/stale/")
    # then only the stale listing is there, with when it was last checked
    assert page.locator("h1").inner_text() == "Stale listings"
    assert [
        (row.locator("td a").inner_text(), row.locator("td").nth(1).inner_text())
        for row in page.locator("table.app-stale tbody tr").all()
    ] == [("Evening circle", "2 June 2025")]
    assert_accessible(page)
    # when they open the reports queue
    page.locator(".app-staff-nav").get_by_role("link", name="Reports").click()
    page.wait_for_load_state()
    # then the report is there as the person wrote it
    assert page.locator("h1").inner_text() == "Open reports"
    assert [
        [cell.strip() for cell in row.locator("td").all_inner_texts()][:3]
        for row in page.locator("table.app-reports tbody tr").all()
    ] == [["Evening circle", "Opening times are wrong", "It is on Tuesdays now."]]
    assert_accessible(page)
