"""Journey: a signed-in person changes their email address and confirms it with the code sent to
the new one (issue 8, point 1), with JavaScript on and off and on a phone."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kith.people.models import Person
from tests.system.conftest import assert_accessible, person_signs_in

pytestmark = pytest.mark.django_db(transaction=True)


def _code_sent_to(outbox: Path, to: str) -> str:
    messages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(outbox.iterdir())]
    [body] = [m["body"] for m in messages if m["to"] == to]
    match = re.search(r"\b(\d{6})\b", body)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_a_person_changes_their_email_and_it_counts_once_confirmed(
    request: pytest.FixtureRequest, live_server: Any, outbox: Path, browser_page: str
) -> None:
    # given a person signed in with their email
    page = request.getfixturevalue(browser_page)
    person_signs_in(page, live_server.url, outbox)

    # when they give a new email address on the contact page
    page.goto(f"{live_server.url}/my/contact/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("sam.new@example.com")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # then they are asked for the code sent to it, and the old address stays until then
    assert page.locator("h1").inner_text() == "Confirm your new email address"
    assert page.locator("#contact-confirm-until").inner_text() == (
        "Until you do, we keep using your old email address, sam@example.com."
    )
    assert_accessible(page)
    assert Person.objects.get().email == "sam@example.com"

    # when they enter a wrong code, then the right one
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert "The code is not right" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("6-digit code").fill(_code_sent_to(outbox, "sam.new@example.com"))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    # then the new address is theirs
    assert page.url == f"{live_server.url}/my/contact/"
    banner = page.locator(".nhsuk-notification-banner").inner_text()
    assert "Your email address is now sam.new@example.com." in banner
    assert_accessible(page)
    person = Person.objects.get()
    assert person.email == "sam.new@example.com"
    assert person.email_verified_at is not None
