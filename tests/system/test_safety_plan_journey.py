"""Journey: a worker finds a person the team works with, writes a safety plan with them, closes
connecting them to community support found by its name in the directory (JavaScript on and off),
and the person reads their safety plan on their phone and adds to it. axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kith.asks.models import Outcome
from kith.care.models import Involvement, InvolvementStatus, SafetyPlanEntry
from kith.care.services import ask_pick_up, step_add
from kith.care.tests.factories import ask_for, member_make, team_make
from kith.core.testing.staff import TEST_TOTP_KEY, totp_device_for
from kith.directory.models import Address, Service
from kith.directory.search import index_services
from kith.directory.tests.factories import OrganizationFactory, ServiceAtLocationFactory
from kith.people.models import Person
from tests.system.conftest import assert_accessible, person_signs_in, staff_signs_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 - a fictional test account


def _directory() -> Service:
    """The community support Sam was connected to, and another, in the search index."""
    organisation = OrganizationFactory.create(name="Brixton Community Trust")
    shed = ServiceAtLocationFactory.create(
        service__organization=organisation, service__name="Brixton Men's Shed"
    )
    Address.objects.create(
        location=shed.location,
        address_1="12 Coldharbour Lane",
        city="London",
        postal_code="SW9 8EJ",
        country="GB",
    )
    ServiceAtLocationFactory.create(service__name="Stockwell walking group")
    index_services()
    return shed.service


def _sign_in(page: Any, base: str) -> None:
    staff_signs_in(page, base, username="alex", password=PASSWORD)


def _click(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_a_worker_writes_a_safety_plan_with_the_person_and_closes_connecting_them(
    request: pytest.FixtureRequest,
    phone_page: Any,
    live_server: Any,
    outbox: Path,
    browser_page: str,
) -> None:
    # given Alex's team works with Sam, who has a step in their plan still to do
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    alex = member_make(team=team, username="alex", display_name="Alex Morgan")
    alex.user.set_password(PASSWORD)
    alex.user.save(update_fields=["password"])
    totp_device_for(alex.user, key=TEST_TOTP_KEY)
    sam = Person.objects.create(
        display_name="Sam Okafor", email="sam@example.com", email_verified_at=None
    )
    sam.email_verified_at = sam.created_at
    sam.save(update_fields=["email_verified_at"])
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=alex)
    step_add(involvement=involvement, member=alex, text="Ring the council", who="worker")
    shed = _directory()
    base = live_server.url
    page = request.getfixturevalue(browser_page)
    is_js = browser_page == "page"

    # when Alex signs in and looks for Sam
    _sign_in(page, base)
    _click(page, "Find a person")
    assert page.url == f"{base}/team/people/"
    assert_accessible(page)
    page.get_by_label("Name, reference, email address or phone number").fill("sam okafor")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()
    # then Sam is found, with their open work
    rows = page.locator("tr.app-involvement-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Open, Alex Morgan")
    assert_accessible(page)

    # when Alex opens Sam's record and their safety plan
    _click(page, "Sam Okafor")
    involvement_url = f"{base}/team/involvements/{involvement.pk}/"
    assert page.url == involvement_url
    _click(page, "Safety plan")
    assert page.url == f"{involvement_url}safety-plan/"
    assert_accessible(page)

    # and writes Sam's warning signs and who they can ask, with Sam, in Sam's words
    _click(page, "Write my warning signs")
    assert_accessible(page)
    page.get_by_label("Their warning signs").fill("Not sleeping\nStaying in my room all day")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url == f"{involvement_url}safety-plan/#warning-signs"
    _click(page, "Write people i can ask for help")
    page.get_by_label("People they can ask for help").fill("My sister Jo, 07700 900111")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    # then the plan shows each, written by Alex, with the crisis lines
    warning = page.locator("#warning-signs .app-safety-plan__lines li")
    expect(warning).to_have_text(["Not sleeping", "Staying in my room all day"])
    expect(page.locator("#people-to-ask .app-safety-plan__by")).to_contain_text("Written by you")
    expect(page.locator(".app-safety-plan__crisis-lines")).to_contain_text("116 123")
    assert_accessible(page)

    # when Alex looks at their caseload
    _click(page, "Your caseload")
    row = page.locator("tr.app-involvement-row")
    expect(row).to_have_count(1)
    for shown in ("Sam Okafor", "No conversation yet", "1 step to do", "Safety plan"):
        expect(row).to_contain_text(shown)
    assert_accessible(page)

    # and goes to close with Sam
    page.goto(involvement_url)
    _click(page, "Close with the person")
    # then they are warned that a step is not done, and can go on
    expect(page.locator(".app-close-steps-to-do")).to_contain_text("Ring the council")
    assert_accessible(page)

    # when they close as connected to community support, finding it by its name
    page.get_by_label("Connected to community support").check()
    page.get_by_label("What helped").fill("Having somewhere to go on Tuesdays.")
    page.get_by_label("Name of the community support").fill("mens shed")
    if not is_js:
        page.get_by_role("button", name="Search the directory").click()
        page.wait_for_load_state()
        # what was typed is still there after the search
        expect(page.get_by_label("What helped")).to_have_value(
            "Having somewhere to go on Tuesdays."
        )
        expect(page.get_by_label("Connected to community support")).to_be_checked()
    choice = page.get_by_label("Brixton Men's Shed")
    expect(choice).to_be_visible()
    if is_js:
        expect(page.locator("#service-choices-status")).to_have_text("1 service found")
    choice.check()
    assert_accessible(page)
    page.get_by_role("button", name="Close with an open door").click()
    page.wait_for_load_state()
    # then the record is closed, connected to the shed
    assert page.url == involvement_url
    expect(page.locator(".app-timeline__connected")).to_have_text("Connected to Brixton Men's Shed")
    assert_accessible(page)
    involvement = Involvement.objects.get()
    assert (involvement.status, involvement.outcome, involvement.outcome_service_id) == (
        InvolvementStatus.CLOSED,
        Outcome.CONNECTED,
        shed.pk,
    )

    # when Sam signs in on their phone and opens their safety plan
    person_signs_in(phone_page, base, outbox)
    phone_page.locator("main").get_by_role("link", name="Your safety plan", exact=True).click()
    phone_page.wait_for_load_state()
    # then they read what they wrote with Alex, and the crisis options
    assert phone_page.url == f"{base}/my/safety-plan/"
    plan = phone_page.locator(f"#safety-plan-{involvement.pk}")
    expect(
        plan.locator(f"#warning-signs-{involvement.pk} .app-safety-plan__lines li")
    ).to_have_text(["Not sleeping", "Staying in my room all day"])
    expect(plan.locator(f"#people-to-ask-{involvement.pk} .app-safety-plan__by")).to_contain_text(
        "Written by Alex Morgan, Peer worker"
    )
    expect(phone_page.locator(".app-crisis-options")).to_contain_text("116 123")
    assert_accessible(phone_page)

    # when they add what helps them cope, on their own
    plan.get_by_role("link", name="Write things i can do on my own to help me cope").click()
    phone_page.wait_for_load_state()
    assert_accessible(phone_page)
    phone_page.get_by_label("What can you do on your own to help you cope?").fill(
        "Music\nA walk by the river"
    )
    phone_page.get_by_role("button", name="Save").click()
    phone_page.wait_for_load_state()
    # then it is on their plan, written by them
    coping = phone_page.locator(f"#coping-{involvement.pk}")
    expect(coping.locator(".app-safety-plan__lines li")).to_have_text(
        ["Music", "A walk by the river"]
    )
    expect(coping.locator(".app-safety-plan__by")).to_contain_text("Written by you")
    assert_accessible(phone_page)
    entry = SafetyPlanEntry.objects.get(section="coping")
    assert (entry.is_written_by_person, entry.written_by_id) == (True, None)
