"""Journey: an editor finds the organisation by typing its name (or picks it from the list
without JavaScript), adds a second session on a Monday and a monthly one, and another editor
publishes it; the public page shows every session. Sending the form back unchanged proposes
nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kith.directory.models import ListingChange, Schedule, Service
from kith.directory.tests.factories import (
    OrganizationFactory,
    ScheduleFactory,
    ServiceFactory,
    tag_support_types,
)
from tests.system.conftest import assert_accessible
from tests.system.test_staff_curation import diff_rows, sign_in, sign_out

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listing() -> Service:
    from kith.core.testing.staff import TEST_TOTP_KEY, totp_device_for
    from kith.directory.services.curation import editor_add
    from tests.system.test_staff_curation import PASSWORD

    for name in ("Another fictional group", "Stockwell Neighbours", "The Stockwell Allotment"):
        OrganizationFactory.create(name=name)
    service = ServiceFactory.create(
        organization=OrganizationFactory.create(name="Kennington Kindness Collective"),
        name="Monday drop-in",
        description="Come along for a chat.\n\nNo need to book.",
        is_free=True,
    )
    tag_support_types(service, "peer-support")
    ScheduleFactory.create(service=service, byday="MO", opens_at=dt.time(9), closes_at=dt.time(12))
    for username, email in (("editor.ada", "ada@example.com"), ("editor.ben", "ben@example.com")):
        editor = editor_add(username=username, email=email, password=PASSWORD)
        totp_device_for(editor, key=TEST_TOTP_KEY)
    return service


def choose_organisation(page: Any, *, javascript: bool) -> None:
    if not javascript:
        # a plain select
        page.get_by_label("Organisation", exact=True).select_option(label="Stockwell Neighbours")
        return
    picker = page.get_by_role("combobox", name="Organisation")
    assert picker.input_value() == "Kennington Kindness Collective"
    picker.fill("stockw")
    options = page.get_by_role("listbox", name="Organisations").get_by_role("option")
    assert options.all_inner_texts() == ["Stockwell Neighbours", "The Stockwell Allotment"]
    assert page.locator(".app-listing-form [role=status]").inner_text() == (
        "2 organisations match."
    )
    assert_accessible(page)  # with the list open
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == "Stockwell Neighbours"
    assert page.get_by_role("listbox", name="Organisations").is_hidden()


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_sessions_and_the_organisation_picker(
    request: pytest.FixtureRequest, live_server: Any, listing: Service, browser_page: str
) -> None:
    # given
    page = request.getfixturevalue(browser_page)
    javascript = browser_page == "page"
    edit_path = f"/staff/directory/listings/{listing.pk}/edit/"
    sign_in(page, live_server, "editor.ada", path=edit_path)
    assert_accessible(page)

    # when the editor sends the form back without changing anything
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    # then nothing is proposed, and they are told why
    assert page.locator(".app-nothing-changed p").inner_text() == (
        "You have not changed anything, so there is nothing to review."
    )
    assert ListingChange.objects.count() == 0
    assert_accessible(page)

    # when they move it to another organisation and add two sessions
    choose_organisation(page, javascript=javascript)
    afternoon = page.locator("fieldset.app-session").nth(1)
    afternoon.get_by_label("Monday").check()
    afternoon.get_by_label("Opens").fill("1pm")
    afternoon.get_by_label("Closes").fill("5pm")
    monthly = page.locator("fieldset.app-session").nth(2)
    monthly.get_by_label("Tuesday").check()
    monthly.get_by_label("How often").select_option(label="First in the month")
    monthly.get_by_label("Opens").fill("6pm")
    monthly.get_by_label("Closes").fill("8pm")
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_load_state()
    # then the proposal shows exactly those changes
    assert page.locator("h1").inner_text() == "Edit to Monday drop-in"
    assert_accessible(page)
    change_url = page.url
    sign_out(page)

    # when another editor reviews and publishes it
    sign_in(page, live_server, "editor.ben", path=change_url.removeprefix(live_server.url))
    assert diff_rows(page) == [
        ["Organisation", "Kennington Kindness Collective", "Stockwell Neighbours"],
        [
            "Opening times",
            "Monday: 9am to midday",
            "Monday: 9am to midday, 1pm to 5pm; First Tuesday of the month: 6pm to 8pm",
        ],
    ]
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert_accessible(page)

    # then the public page shows every session
    page.goto(f"{live_server.url}/services/{listing.pk}/")
    assert page.locator(".app-service__organisation").inner_text() == (
        "Run by Stockwell Neighbours"
    )
    times = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in page.locator(".app-service__times .app-opening-times tbody tr").all()
    ]
    assert [row for row in times if row[1] != "Closed"] == [["Monday", "9am to midday, 1pm to 5pm"]]
    assert page.locator(".app-service__times .app-other-times li").all_inner_texts() == [
        "First Tuesday of the month, 6pm to 8pm"
    ]
    assert page.locator(".app-service__description p").all_inner_texts() == [
        "Come along for a chat.",
        "No need to book.",
    ]
    assert_accessible(page)
    assert sorted(
        Schedule.objects.filter(service=listing).values_list("freq", "byday", "opens_at")
    ) == [
        ("MONTHLY", "1TU", dt.time(18)),
        ("WEEKLY", "MO", dt.time(9)),
        ("WEEKLY", "MO", dt.time(13)),
    ]
