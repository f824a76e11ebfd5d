"""Journey: a person signs in with an email link from the outbox, sees their record, downloads
it and closes their account, with JavaScript on and off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kith.asks.models import Ask
from kith.people.models import Person
from tests.system.conftest import assert_accessible, link_from_outbox

pytestmark = pytest.mark.django_db(transaction=True)

BROWSER_PAGES = ["page", "page_without_js"]


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_a_person_signs_in_by_email_sees_downloads_and_closes_their_record(
    request: pytest.FixtureRequest, live_server: Any, outbox: Path, browser_page: str
) -> None:
    # given someone who asked for help with their email address
    Ask.objects.create(
        reference="KTH-7Q4M-2X",
        text="I have been feeling low since I lost my job.",
        contact_method="email",
        contact_email="sam@example.com",
    )
    page = request.getfixturevalue(browser_page)
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)

    # when they ask for a link and follow it from their email
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_role("button", name="Send me a sign-in link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page)
    page.goto(link_from_outbox(outbox))
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    # then they see their record with their ask
    assert page.url == f"{live_server.url}/my/"
    assert page.locator(".app-ask-card h3").inner_text() == "Ask KTH-7Q4M-2X"
    assert_accessible(page)

    # and can download everything as a file
    page.get_by_role("link", name="Download everything we hold").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Everything Kith holds about you"
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download it as a file (JSON)").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert [ask["reference"] for ask in data["asks"]] == ["KTH-7Q4M-2X"]
    assert data["person"]["email"] == "sam@example.com"

    # and close their account
    page.goto(f"{live_server.url}/my/close/")
    assert_accessible(page)
    page.get_by_role("button", name="Close my account").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/my/closed/"
    assert page.locator(".nhsuk-panel h1").inner_text() == "Your account is closed"
    assert_accessible(page)
    assert Person.objects.get().email == ""
    assert Ask.objects.count() == 0
    page.goto(f"{live_server.url}/my/")
    assert page.url == f"{live_server.url}/sign-in/"
