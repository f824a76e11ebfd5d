"""Journey: a new person asks for help in their own words, with and without crisis words, with
JavaScript on and off and on a phone; then comes back with their reference, adds to the ask and
withdraws it. Every page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from kith.asks.models import Ask, AskStatus
from kith.asks.presenters import respond_by_text
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
LONELY = "I moved here last year and I feel lonely. I don't really talk to anyone most days."
CRISIS = "I've got the tablets saved up and I'm going to take them tonight"
CRISIS_OPTIONS = [
    "Call 999 or go to A&E if your life, or someone else's, is at risk now. Call 999",
    "Call NHS 111 and choose option 2 for urgent mental health help, any time. Call 111",
    "Call Samaritans free on 116 123 any time, day or night. Call 116 123",
    "Text SHOUT to 85258 for free, confidential text support, any time. Text SHOUT",
]
# name: (description, support type, metres north of SW9 8EJ)
LISTINGS = {
    "Brixton friendship circle": (
        "A friendly group for anyone feeling lonely. Come along, talk, or just listen.",
        "befriending",
        300,
    ),
    "Stockwell walk and talk": (
        "A gentle walk and a chat for people who feel lonely or low.",
        "social-connection",
        700,
    ),
    "Coldharbour crisis cafe": (
        "An evening crisis cafe: a calm place to go when things feel too much.",
        "crisis",
        500,
    ),
}


@pytest.fixture
def outbox(tmp_path: Path, settings: Any) -> Path:
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    settings.KITH_ASK_RATE_LIMIT = "10/h"
    cache.clear()
    return tmp_path / "outbox"


@pytest.fixture
def brixton(outbox: Path) -> Team:
    """A team covering SW9 that answers within a day, and support near SW9 8EJ."""
    team = Team.objects.create(
        name="Brixton and Stockwell team", postcode_districts="SW9", response_time_hours=24
    )
    Team.objects.create(name="Lambeth default team", is_default=True, response_time_hours=72)
    Postcode.objects.create(code="SW98EJ", latitude=SW9_8EJ[0], longitude=SW9_8EJ[1])
    for name, (description, support_type, metres_north) in LISTINGS.items():
        service: Service = ServiceFactory.create(
            name=name, description=description, is_free=True, is_no_referral_needed=True
        )
        location = LocationFactory.create(
            organization=service.organization,
            latitude=SW9_8EJ[0] + metres_north / 111_000,
            longitude=SW9_8EJ[1],
        )
        ServiceAtLocationFactory.create(service=service, location=location)
        tag_support_types(service, support_type)
    index_services()
    return team


def _continue(page: Any, url: str) -> None:
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(url)
    page.wait_for_load_state()


def _ask_for_help(page: Any, base: str, *, words: str, email: str = "sam@example.com") -> None:
    """Every page of the journey, one thing per page, each checked with axe-core."""
    page.goto(f"{base}/ask/")
    expect(page.locator("h1")).to_have_text("Ask for help")
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(f"{base}/ask/what-is-happening/")
    assert_accessible(page)

    page.get_by_label("What is happening?").fill(words)
    _continue(page, f"{base}/ask/what-would-help/")
    expect(page.locator("h1")).to_have_text("What would help?")
    assert_accessible(page)

    page.get_by_label("What would help you right now?").fill("Someone to talk to")
    page.get_by_label("What matters to you?").fill("My dog and my allotment")
    _continue(page, f"{base}/ask/how-to-reach-you/")
    expect(page.locator("h1")).to_have_text("How should we get in touch?")
    assert_accessible(page)

    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address (for an email)").fill(email)
    page.get_by_label("When is a good time? (optional)").fill("Weekday mornings")
    _continue(page, f"{base}/ask/language-and-access/")
    expect(page.locator("h1")).to_have_text("Language and access")
    assert_accessible(page)

    page.get_by_label("No", exact=True).check()
    _continue(page, f"{base}/ask/about-you/")
    expect(page.locator("h1")).to_have_text("About you optional")
    assert_accessible(page)

    page.get_by_label("Age", exact=True).select_option(label="35 to 44")
    page.get_by_label("Postcode", exact=True).fill("sw98ej")
    _continue(page, f"{base}/ask/check/")
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    assert_accessible(page)


def _check_answers(page: Any) -> dict[str, str]:
    keys = page.locator(".nhsuk-summary-list__key").all_inner_texts()
    values = page.locator(".nhsuk-summary-list__value").all_inner_texts()
    return {key.strip(): value.strip() for key, value in zip(keys, values, strict=True)}


def _send(page: Any, base: str, *, double_click: bool = False) -> Ask:
    send = page.get_by_role("button", name="Send")
    if double_click:
        send.dblclick()
    else:
        send.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/ask/sent/[0-9a-f-]{{36}}/$"))
    page.wait_for_load_state()
    # exactly one ask from this sending, whatever else the database holds
    created = Ask.objects.filter(pk=page.url.rstrip("/").rsplit("/", 1)[-1])
    ask = created.get()
    assert page.url == f"{base}/ask/sent/{ask.pk}/"
    assert_accessible(page)
    return ask


def _links(page: Any, selector: str) -> list[str]:
    return [name.strip() for name in page.locator(f"{selector} a").all_inner_texts()]


@pytest.mark.parametrize("browser_page", ["page", "page_without_js", "phone_page"])
def test_a_new_person_asks_for_help_in_their_own_words_and_sees_what_happens_next(
    request: pytest.FixtureRequest, live_server: Any, brixton: Team, browser_page: str
) -> None:
    # given a team covering SW9 and support near SW9 8EJ
    page = request.getfixturevalue(browser_page)
    base = live_server.url

    # when they answer every page and check their answers
    _ask_for_help(page, base, words=LONELY)

    # then their answers are there to check, and no crisis options were shown on the way
    answers = _check_answers(page)
    assert answers["What is happening"] == LONELY
    assert answers["How to reach you"] == "Email: sam@example.com"
    assert answers["Age"] == "35 to 44"
    assert answers["Postcode"] == "SW9 8EJ"
    assert answers["Ethnic group"] == "Not given"
    assert page.locator(".app-crisis-options").count() == 0

    # when they send it
    ask = _send(page, base)

    # then one ask is stored, routed to the team covering SW9, not urgent
    assert ask.team == brixton
    assert ask.is_urgent is False
    assert ask.text == LONELY
    assert ask.contact_email == "sam@example.com"
    assert ask.respond_by_at is not None
    assert ask.respond_by_at - ask.created_at < dt.timedelta(hours=24)
    assert ask.respond_by_at - ask.created_at > dt.timedelta(hours=23, minutes=59)
    # and the confirmation shows the reference, what happens next and by when
    expect(page.locator(".nhsuk-panel h1")).to_have_text("Your ask has been sent")
    assert page.locator(".app-reference").inner_text() == ask.reference
    assert page.locator(".app-next").inner_text() == (
        f"A person from Brixton and Stockwell team will get in touch {respond_by_text(ask)}, "
        "the way you asked."
    )
    # and support near them from the directory, with no crisis options
    suggestions = _links(page, ".app-suggestions")
    assert "Brixton friendship circle" in suggestions
    assert "Stockwell walk and talk" in suggestions
    assert page.locator(".app-crisis-options").count() == 0
    assert page.locator(".app-local-crisis").count() == 0


def test_a_person_in_crisis_sees_crisis_options_at_once_and_their_ask_still_goes_through(
    page: Any, live_server: Any, brixton: Team
) -> None:
    # given a person who writes that they are about to act
    base = live_server.url
    page.goto(f"{base}/ask/what-is-happening/")
    page.get_by_label("What is happening?").fill(CRISIS)

    # when they continue
    _continue(page, f"{base}/ask/what-would-help/")

    # then the crisis options are on the very next page, above its question
    expect(page.locator(".app-crisis-options")).to_be_visible()
    assert page.locator(".app-crisis-options li").all_inner_texts() == CRISIS_OPTIONS
    assert page.locator(".app-crisis-options").evaluate(
        "(crisis) => Boolean(crisis.compareDocumentPosition(document.querySelector('h1')) & 4)"
    )
    assert page.locator('.app-crisis-options a[href="tel:116123"]').inner_text() == "Call 116 123"
    assert_accessible(page)

    # and the journey goes on, with the options on every page, to sending the ask with an
    # impatient double click
    _ask_for_help(page, base, words=CRISIS)
    assert page.locator(".app-crisis-options li").count() == 4
    ask = _send(page, base, double_click=True)

    # then it is stored once, flagged urgent for the team covering SW9
    assert ask.is_urgent is True
    assert ask.team == brixton
    assert ask.text == CRISIS
    # and the confirmation shows the crisis options first, then the reference and local support
    first = page.locator("main .nhsuk-grid-column-two-thirds > *").first
    expect(first).to_have_class("app-ask-crisis")
    assert page.locator(".app-crisis-options li").all_inner_texts() == CRISIS_OPTIONS
    assert page.locator(".app-reference").inner_text() == ask.reference
    # and its crisis cafe, which lists no opening hours, is not offered as open now
    assert page.locator(".app-local-crisis").count() == 0
    assert page.locator(".app-local-crisis-none").count() == 1


def _code_from_outbox(outbox: Path) -> str:
    # The ask's confirmation email went first; the sign-in code is the one message after it.
    messages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(outbox.iterdir())]
    [message] = [m for m in messages if "sign-in code" in m["body"]]
    assert message["to"] == "sam@example.com"
    match = re.search(r"sign-in code is (\d{6})\.", message["body"])
    assert match is not None
    return match.group(1)


def test_sending_twice_makes_one_ask_then_the_person_comes_back_adds_to_it_and_withdraws_it(
    page_without_js: Any, live_server: Any, brixton: Team, outbox: Path
) -> None:
    page, base = page_without_js, live_server.url
    # given a person on "Check your answers", JavaScript off
    _ask_for_help(page, base, words=LONELY)
    form = {
        name: page.locator(f"#send input[name={name}]").input_value()
        for name in ("csrfmiddlewaretoken", "idempotency_key", "website")
    }

    # when they send, refresh the confirmation, go back (to a fresh start: what was sent is no
    # longer kept to send again), and the same form is posted once more, as a retrying browser
    # would
    ask = _send(page, base)
    sent_url = page.url
    page.reload()
    page.go_back()
    expect(page).to_have_url(f"{base}/ask/what-is-happening/")
    assert page.get_by_label("What is happening?").input_value() == ""
    again = page.request.post(f"{base}/ask/check/", form=form)

    # then there is one ask, and the repeat lands on the same confirmation
    assert again.status == 200
    assert again.url == sent_url
    assert Ask.objects.count() == 1
    assert Ask.objects.get().reference == ask.reference

    # when they come back with their reference and email address
    page.goto(f"{base}/sign-in/")
    page.get_by_role("link", name="Come back with your reference").click()
    expect(page).to_have_url(f"{base}/sign-in/reference/")
    assert_accessible(page)
    page.get_by_label("Your reference").fill(ask.reference.lower())
    page.get_by_label("Email address or mobile number").fill("sam@example.com")
    page.get_by_role("button", name="Send me a code").click()
    expect(page).to_have_url(f"{base}/sign-in/code/")
    assert_accessible(page)
    page.get_by_label("6-digit code").fill(_code_from_outbox(outbox))
    page.get_by_role("button", name="Sign in").click()

    # then they see the ask in their record
    expect(page).to_have_url(f"{base}/my/")
    assert page.locator(".app-ask-card h3").all_inner_texts() == [f"Ask {ask.reference}"]
    assert_accessible(page)

    # when they add to it
    page.get_by_role("link", name=f"Ask {ask.reference}").click()
    expect(page).to_have_url(f"{base}/my/asks/{ask.pk}/")
    assert_accessible(page)
    page.get_by_label("Add to your ask").fill("Evenings are the hardest.")
    page.get_by_role("button", name="Add").click()
    page.wait_for_load_state()

    # then what they added is on the ask
    expect(page.locator(".app-notes li p").nth(1)).to_have_text("Evenings are the hardest.")
    assert [note.text for note in Ask.objects.get().notes.all()] == ["Evenings are the hardest."]
    assert_accessible(page)

    # when they withdraw it
    page.get_by_role("link", name="Withdraw this ask").click()
    expect(page).to_have_url(f"{base}/my/asks/{ask.pk}/withdraw/")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw my ask").click()

    # then it is withdrawn, and the door stays open
    expect(page).to_have_url(f"{base}/my/asks/{ask.pk}/")
    assert page.get_by_role("link", name="ask for help again").count() == 1
    assert page.get_by_label("Add to your ask").count() == 0
    assert_accessible(page)
    stored = Ask.objects.get()
    assert stored.status == AskStatus.WITHDRAWN
    assert stored.withdrawn_at is not None
