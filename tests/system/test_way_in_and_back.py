"""Journey: finding the way in and back (issue 9).

A person searches in their own words near a postcode with a filter, opens a result and comes
back to the same search (the Back link, and with JavaScript the browser's back button too); a
search that finds nothing offers "Ask for help" and "Your record" in the page itself, as every
page's header does; they ask for help and the confirmation says how to reach the team, and
where their reference was sent. JavaScript on and off, and phone size; axe-core on every page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from kith.asks.models import Ask
from kith.directory.models import Postcode, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import (
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    tag_support_types,
)
from kith.teams.models import Team
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SW9_8EJ = (51.4655, -0.1150)
SEARCH = {"q": ["money worries"], "postcode": ["SW9 8EJ"], "free": ["on"]}


@pytest.fixture
def outbox(tmp_path: Path, settings: Any) -> Path:
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    settings.KITH_ASK_RATE_LIMIT = "10/h"
    cache.clear()
    return tmp_path / "outbox"


@pytest.fixture
def brixton(outbox: Path) -> Team:
    """A team covering SW9 with its contact details, and money advice near SW9 8EJ: one free,
    one not, so the "Free" filter shows in the results."""
    team = Team.objects.create(
        name="Brixton and Stockwell team",
        postcode_districts="SW9",
        response_time_hours=24,
        contact_phone="07700 900461",
        contact_email="brixton.team@example.com",
        contact_hours="Monday to Friday, 9am to 5pm",
    )
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    for n, (name, is_free) in enumerate(
        [("Money worries drop-in", True), ("Paid money coaching", False)]
    ):
        service: Service = ServiceFactory.create(
            name=name, description="Help with debt and money worries.", is_free=is_free
        )
        location = LocationFactory.create(
            organization=service.organization,
            latitude=SW9_8EJ[0] + 0.003 * (n + 1),
            longitude=SW9_8EJ[1],
        )
        ServiceAtLocationFactory.create(service=service, location=location)
        tag_support_types(service, "debt-money")
    index_services()
    return team


def _search(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _header_links(page: Any) -> dict[str, str]:
    """The header's links by name (on a phone some sit in the "More" menu: still in the page)."""
    links = page.locator("header.nhsuk-header a")
    return {
        (links.nth(i).text_content() or "").strip(): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }


def _results(page: Any) -> list[str]:
    return [name.strip() for name in page.locator(".app-result__name").all_inner_texts()]


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_a_person_finds_the_way_in_and_back_and_the_confirmation_says_how_to_reach_the_team(
    request: pytest.FixtureRequest,
    live_server: Any,
    brixton: Team,
    outbox: Path,
    browser_page: str,
) -> None:
    page = request.getfixturevalue(browser_page)
    base = live_server.url
    has_js = browser_page != "page_without_js"

    # given a person searching in their own words near a postcode, for free support only
    page.goto(f"{base}/find/")
    assert _header_links(page)["Ask for help"] == "/ask/"
    assert _header_links(page)["Your record"] == "/sign-in/"
    page.get_by_label("What is happening, or what are you looking for?").fill("money worries")
    page.get_by_label("Postcode (optional)").fill("SW9 8EJ")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".app-result__name")).to_have_count(2)
    page.get_by_label("Free", exact=True).check()
    if not has_js:  # with JavaScript, a filter searches at once
        page.get_by_role("button", name="Search").click()
    expect(page.locator(".app-result__name")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"free=on"))
    searched = page.url
    assert {key: _search(page)[key] for key in SEARCH} == SEARCH
    assert_accessible(page)

    # when they open the result
    page.get_by_role("link", name="Money worries drop-in").click()
    expect(page.locator("h1")).to_have_text("Money worries drop-in")
    # then the page offers both ways in, in the header and beside the service
    assert _header_links(page)["Ask for help"] == "/ask/"
    aside = page.locator(".app-way-in")
    expect(aside.get_by_role("link", name="Ask for help")).to_have_attribute("href", "/ask/")
    expect(aside.get_by_role("link", name="Your record")).to_have_attribute("href", "/sign-in/")
    assert_accessible(page)

    if has_js:
        # when, with JavaScript, they use the browser's own back button (the search keeps no
        # history snapshot, so the page loads again from its address)
        page.go_back()
        # then the search they made comes back too
        expect(page).to_have_url(searched)
        expect(page.get_by_label("Free", exact=True)).to_be_checked()
        expect(page.locator(".app-result__name")).to_have_count(1)
        page.get_by_role("link", name="Money worries drop-in").click()
        expect(page.locator("h1")).to_have_text("Money worries drop-in")

    # when they go back with the page's Back link
    page.locator("a.nhsuk-back-link").click()
    # then it is the same search: the words, the postcode, the filter and the one result
    expect(page).to_have_url(re.compile(r"^" + re.escape(f"{base}/find/?")))
    assert {key: _search(page)[key] for key in SEARCH} == SEARCH
    expect(page.get_by_label("What is happening, or what are you looking for?")).to_have_value(
        "money worries"
    )
    expect(page.get_by_label("Postcode (optional)")).to_have_value("SW9 8EJ")
    expect(page.get_by_label("Free", exact=True)).to_be_checked()
    assert _results(page) == ["Money worries drop-in"]
    assert_accessible(page)

    # when a search finds nothing
    page.goto(f"{base}/find/?q=xylophone+quartz")
    expect(page.locator("#results-heading")).to_have_text("We could not find anything that matches")
    # then the page itself offers both ways in
    way_in = page.locator("#results .app-way-in")
    expect(way_in.get_by_role("link", name="Your record")).to_have_attribute("href", "/sign-in/")
    assert_accessible(page)

    # when they ask for help from there
    way_in.get_by_role("link", name="Ask for help").click()
    expect(page).to_have_url(f"{base}/ask/")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("What is happening?").fill("The bills keep coming and I cannot sleep")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address (for an email)").fill("sam@example.com")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Postcode", exact=True).fill("SW9 8EJ")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/ask/check/")
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/ask/sent/[0-9a-f-]{{36}}/$"))

    # then the confirmation says how to reach the team, and where the reference went
    ask = Ask.objects.get()
    assert page.locator(".app-reference").inner_text() == ask.reference
    contact = page.locator(".app-team-contact")
    assert [key.strip() for key in contact.locator("dt").all_inner_texts()] == [
        "Phone",
        "Email",
        "When someone answers",
    ]
    expect(contact.get_by_role("link", name="07700 900461")).to_have_attribute(
        "href", "tel:07700900461"
    )
    expect(contact.get_by_role("link", name="brixton.team@example.com")).to_have_attribute(
        "href", "mailto:brixton.team@example.com"
    )
    expect(contact.locator(".app-team-contact__hours")).to_have_text("Monday to Friday, 9am to 5pm")
    expect(page.locator(".app-confirmation-sent")).to_have_text(
        "We have emailed your reference to sam@example.com."
    )
    assert page.locator(".app-uncovered-postcode").count() == 0
    assert_accessible(page)
    # and the email holds the reference and the team's contact, never what they wrote
    [message] = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(outbox.iterdir())]
    assert (message["to"], message["subject"]) == (
        "sam@example.com",
        f"Your Kith reference: {ask.reference}",
    )
    assert "Phone: 07700 900461" in message["body"]
    assert "bills" not in message["body"]
    assert "sleep" not in message["body"]

    # when they follow "Your record" from the header
    page.goto(base + _header_links(page)["Your record"])
    # then they can sign in, or come back with their reference
    expect(page).to_have_url(f"{base}/sign-in/")
    expect(page.get_by_role("link", name="Come back with your reference")).to_be_visible()
    assert_accessible(page)


def test_an_ask_from_a_postcode_no_team_covers_says_so_and_reaches_the_default_team(
    page_without_js: Any, live_server: Any, brixton: Team, outbox: Path
) -> None:
    page, base = page_without_js, live_server.url
    # given a default team for everywhere no team covers
    default = Team.objects.create(
        name="Lambeth front door team", is_default=True, response_time_hours=48
    )
    # when someone from Manchester asks for help, to be called
    page.goto(f"{base}/ask/what-is-happening/")
    page.get_by_label("What is happening?").fill("I cannot stop worrying about money")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Phone call", exact=True).check()
    page.get_by_label("Phone number (for a call or a text)").fill("07700 900123")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Postcode", exact=True).fill("M1 1AE")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/ask/sent/[0-9a-f-]{{36}}/$"))
    # then it reached the default team, and the page says so and calls nothing "near you"
    assert Ask.objects.get().team == default
    expect(page.locator(".app-uncovered-postcode")).to_contain_text(
        "There is no team for M1 1AE in Kith yet, so your ask has gone to Lambeth front door "
        "team. They will still read it and get in touch."
    )
    assert "near you" not in page.locator("main").inner_text().lower()
    expect(page.locator(".app-confirmation-sent")).to_have_text(
        "We have not sent your reference to you, because you asked for a phone call. "
        "Write it down or take a screenshot."
    )
    assert not outbox.exists()
    assert_accessible(page)
