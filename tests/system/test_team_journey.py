"""Journey: a team member signs in with a second factor, sees an urgent ask first on the huddle
board, picks it up, records the first conversation, adds a goal, records a SWEMWBS with the
person, writes an open note, closes with an open door; the person's next ask comes back to them,
and the person reads the note and the audit trail of their record on their phone. Every page is
checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kith.asks.models import Ask, Outcome
from kith.care.models import Involvement, InvolvementStatus
from kith.care.tests.factories import ask_make, member_make, person_make, team_make
from kith.core.testing.staff import TEST_TOTP_KEY, totp_code_for, totp_device_for
from kith.people.models import Person
from kith.teams.models import Team, TeamMember
from tests.system.conftest import assert_accessible, person_signs_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 - a fictional test account
LOW = "I have been feeling low since I lost my job."
CRISIS = "I've got the tablets saved up and I'm going to take them tonight"
NO_CONTACT = "They will get back in touch"  # how they want to be contacted, in the team's words
# SWEMWBS answers, one per statement: raw total 4 + 3 + 3 + 4 + 5 + 2 + 3 = 24.
SWEMWBS = ["Often", "Some of the time", "Some of the time", "Often", "All of the time"]
SWEMWBS += ["Rarely", "Some of the time"]


@pytest.fixture
def brixton() -> tuple[Team, TeamMember]:
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    member = member_make(team=team, username="alex", display_name="Alex Morgan")
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    totp_device_for(member.user, key=TEST_TOTP_KEY)  # Alex's authenticator app
    member_make(team=team, username="jo", display_name="Jo Patel", role="social-prescriber")
    return team, member


def _ask(*, text: str, hours_ago: int, person: Person | None = None) -> Ask:
    """An ask from SW9 sent `hours_ago`, so a conversation 'now' is after it."""
    ask = ask_make(text=text, postcode="SW9 8EJ", person=person)
    Ask.objects.filter(pk=ask.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago))
    ask.refresh_from_db()
    return ask


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/team/")
    assert page.url.startswith(f"{base}/staff/sign-in/?next=")
    assert_accessible(page)
    page.get_by_label("Username").fill("alex")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    # the second factor: the code Alex's authenticator app shows now
    assert page.url.startswith(f"{base}/staff/sign-in/code/?next=")
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__username="alex")
    page.get_by_label("6-digit code").fill(totp_code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/team/"


def _board_rows(page: Any) -> list[str]:
    return [" ".join(row.inner_text().split()) for row in page.locator("tr.app-board-ask").all()]


def _go(page: Any, link: str, url: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect(page).to_have_url(url)
    page.wait_for_load_state()
    assert_accessible(page)


def test_a_team_member_works_with_an_urgent_ask_and_the_person_comes_back_to_them(
    page: Any, phone_page: Any, live_server: Any, outbox: Path, brixton: tuple[Team, TeamMember]
) -> None:
    # given two asks for the team: an older one, then an urgent one from Sam
    team, alex = brixton
    base = live_server.url
    sam = person_make(email="sam@example.com")
    older = _ask(text=LOW, hours_ago=3)
    urgent = _ask(text=CRISIS, hours_ago=2, person=sam)
    assert (older.is_urgent, urgent.is_urgent) == (False, True)

    # when Alex signs in
    _sign_in(page, base)
    # then the urgent ask comes first on the board, though it is newer
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(
        "Huddle board Brixton community team"
    )
    assert _board_rows(page) == [
        f"{urgent.reference} Urgent “{CRISIS}” Urgent because: a plan or the means to end their "
        f"life {NO_CONTACT} 2 hours of 24 hours Waiting Pick up {urgent.reference}",
        f"{older.reference} “{LOW}” {NO_CONTACT} 3 hours of 24 hours Waiting Pick up "
        f"{older.reference}",
    ]
    assert_accessible(page)

    # when Alex picks up the urgent ask from the board
    page.locator(f'tr[data-ask-id="{urgent.pk}"]').get_by_role("button", name="Pick up").click()
    expect(page).to_have_url(f"{base}/team/asks/{urgent.pk}/")
    page.wait_for_load_state()
    # then Alex is its named worker
    assert page.locator("h1").inner_text() == f"Ask {urgent.reference}"
    expect(page.locator("#id_worker option:checked")).to_have_text("Alex Morgan (Peer worker)")
    assert_accessible(page)
    urgent.refresh_from_db()
    involvement = Involvement.objects.get(asks=urgent)
    assert (urgent.worker_id, involvement.worker_id) == (alex.pk, alex.pk)

    # when Alex records the first conversation
    _go(
        page,
        "Record the first conversation",
        f"{base}/team/asks/{urgent.pk}/conversation/",
    )
    page.get_by_label("Phone call").check()
    page.get_by_label("Who did you talk with?").fill("the person")
    page.get_by_label("What you talked about").fill("We made a safety plan together.")
    page.get_by_role("button", name="Save conversation").click()
    involvement_url = f"{base}/team/involvements/{involvement.pk}/"
    expect(page).to_have_url(involvement_url)
    page.wait_for_load_state()
    # then the record shows it
    expect(page.locator(".app-timeline__conversation")).to_contain_text(
        "Conversation (phone call, with the person, Alex Morgan). We made a safety plan together."
    )
    assert_accessible(page)
    urgent.refresh_from_db()
    assert urgent.first_conversation_at is not None

    # when Alex adds a goal to the plan
    _go(page, "Plan", f"{involvement_url}plan/")
    _go(page, "Add a goal", f"{involvement_url}plan/goals/add/")
    page.get_by_label("Goal, in the person's words").fill("Get back to playing football")
    page.get_by_label("Part of life").select_option(label="Leisure activities")
    page.get_by_role("button", name="Save goal").click()
    expect(page).to_have_url(f"{involvement_url}plan/")
    page.wait_for_load_state()
    # then the plan shows it
    expect(page.locator("main")).to_contain_text("Get back to playing football")
    assert_accessible(page)

    # when Alex records a SWEMWBS with Sam
    page.goto(involvement_url)
    page.wait_for_load_state()
    _go(page, "Outcome measures", f"{involvement_url}measures/")
    expect(page.locator(".app-measures-empty")).to_have_text("No measures have been completed yet.")
    _go(page, "Record a measure with the person", f"{involvement_url}measures/record/")
    page.get_by_label("Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{involvement_url}measures/record/?measure=swemwbs")
    page.wait_for_load_state()
    assert_accessible(page)
    groups = page.locator("form.app-measure-form fieldset")
    assert groups.count() == 7
    for index, answer in enumerate(SWEMWBS):
        groups.nth(index).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save their answers").click()
    expect(page).to_have_url(f"{involvement_url}measures/")
    page.wait_for_load_state()
    # then the trend table shows today's score
    rows = page.locator('section[data-measure="swemwbs"] table.app-trend__table tbody tr')
    assert rows.count() == 1
    cells = [cell.strip() for cell in rows.first.locator("td").all_inner_texts()]
    assert cells[0] == f"{timezone.localdate().day} {timezone.localdate():%B %Y}"
    assert cells[1:3] == ["24", "21.54"]  # raw score, and Warwick's metric score beside it
    assert_accessible(page)

    # when Alex writes an open note
    page.goto(involvement_url)
    page.wait_for_load_state()
    _go(page, "Add a note", f"{involvement_url}notes/add/")
    page.get_by_label("Note", exact=True).fill("Sam wants a call on Fridays after work.")
    page.get_by_role("button", name="Save note").click()
    expect(page).to_have_url(involvement_url)
    page.wait_for_load_state()
    expect(page.locator(".app-timeline__note").last).to_contain_text("The person can read this")

    # when Alex closes the involvement with Sam
    _go(page, "Close with the person", f"{involvement_url}close/")
    page.get_by_label("Supported by the team").check()
    page.get_by_label("What helped").fill("Having someone call back when they said they would.")
    page.get_by_role("button", name="Close with an open door").click()
    expect(page).to_have_url(involvement_url)
    page.wait_for_load_state()
    # then it is closed with an open door
    summary = page.locator(".nhsuk-summary-list").first.inner_text()
    assert "Closed with an open door" in summary
    assert "Supported by the team" in summary
    assert_accessible(page)
    involvement.refresh_from_db()
    assert (involvement.status, involvement.outcome) == (
        InvolvementStatus.CLOSED,
        Outcome.SUPPORTED,
    )

    # when Sam asks again
    again = ask_make(text="Things got hard again this week.", postcode="SW9 8EJ", person=sam)
    # then it lands back with Alex, shown on the board as a returning person
    page.goto(f"{base}/team/")
    page.wait_for_load_state()
    rows = _board_rows(page)
    assert len(rows) == 2
    # (the journey takes a while: "3 hours" may have become "3 hours 2 minutes")
    assert re.fullmatch(
        re.escape(f"{older.reference} “{LOW}” {NO_CONTACT} 3 hours")
        + r"( \d+ minutes?)?"
        + re.escape(f" of 24 hours Waiting Pick up {older.reference}"),
        rows[0],
    )
    assert re.fullmatch(
        re.escape(f"{again.reference} Returning “Things got hard again this week.” {NO_CONTACT} ")
        + r"(less than a minute|\d+ minutes?)"
        + re.escape(" of 24 hours Picked up by Alex Morgan"),
        rows[1],
    )
    expect(page.locator(".app-board-returning")).to_have_text(
        f"{again.reference}, back with Alex Morgan"
    )
    assert_accessible(page)
    involvement.refresh_from_db()
    assert (again.involvement_id, again.worker_id) == (involvement.pk, alex.pk)
    assert (involvement.status, involvement.reopened_count) == (InvolvementStatus.OPEN, 1)

    # when Sam signs in on their phone
    person_signs_in(phone_page, base, outbox)
    # then they read Alex's note and their plan in their record
    expect(phone_page.locator(".app-person-notes")).to_contain_text(
        "Sam wants a call on Fridays after work."
    )
    expect(phone_page.locator("main")).to_contain_text("Get back to playing football")
    assert_accessible(phone_page)
    # and see that Alex looked at and changed their record, and why
    phone_page.get_by_role("link", name="Who has looked at my record").first.click()
    phone_page.wait_for_load_state()
    assert phone_page.url == f"{base}/my/who-has-looked/"
    summaries = phone_page.locator(".app-access-entry__summary").all_inner_texts()
    done = {summary.split(" on ")[0] for summary in summaries}
    assert {
        "Alex Morgan, peer worker, picked up your ask",
        "Alex Morgan, peer worker, wrote a note",
        "Alex Morgan, peer worker, closed their work with you",
    } <= done
    assert_accessible(phone_page)


def test_the_board_and_a_record_work_without_javascript(
    page_without_js: Any, live_server: Any, brixton: tuple[Team, TeamMember]
) -> None:
    # given an ask waiting for the team
    page = page_without_js
    base = live_server.url
    ask = _ask(text=LOW, hours_ago=1, person=person_make())
    # when Alex signs in and picks it up from the board
    _sign_in(page, base)
    assert _board_rows(page) == [
        f"{ask.reference} “{LOW}” {NO_CONTACT} 1 hour of 24 hours Waiting Pick up {ask.reference}"
    ]
    assert_accessible(page)
    page.get_by_role("button", name="Pick up").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/team/asks/{ask.pk}/"
    assert_accessible(page)
    # then their record with the team opens
    ask.refresh_from_db()
    page.get_by_role("link", name="Their record with the team").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/team/involvements/{ask.involvement_id}/"
    assert page.locator("h1").inner_text() == "Record with the team"
    assert re.search(
        r"Named worker\s+Alex Morgan", page.locator(".nhsuk-summary-list").first.inner_text()
    )
    assert_accessible(page)


def test_a_long_board_pages_without_javascript(
    page_without_js: Any, live_server: Any, brixton: tuple[Team, TeamMember]
) -> None:
    # given 27 asks waiting for the team, the oldest asked 27 hours ago
    page = page_without_js
    base = live_server.url
    asks = [_ask(text=LOW, hours_ago=27 - n) for n in range(27)]
    # when Alex signs in
    _sign_in(page, base)
    # then the board shows the oldest 25 and says so
    expect(page.locator("#new-asks-count")).to_have_text("Showing 1 to 25 of 27")
    assert len(_board_rows(page)) == 25
    assert _board_rows(page)[0].startswith(asks[0].reference)
    assert_accessible(page)
    # when Alex goes to the next page of new asks
    pages = page.get_by_role("navigation", name="Pages of new asks")
    pages.get_by_role("link", name="Next").click()
    page.wait_for_load_state()
    # then the last two are there, and the way back
    assert page.url == f"{base}/team/?asks=2#new-asks"
    expect(page.locator("#new-asks-count")).to_have_text("Showing 26 to 27 of 27")
    assert [row.split()[0] for row in _board_rows(page)] == [a.reference for a in asks[25:]]
    expect(pages.get_by_role("link", name="Previous")).to_have_attribute(
        "href", "/team/?asks=1#new-asks"
    )
    assert_accessible(page)
