"""Journey: a team member sees enough on the huddle board to act (the first words of each ask, how
to reach them, why it is urgent) and picks an ask up, with a confirmation; the person then reads
who has looked at their record, grouped and in plain words, downloads it as a page they can
read, and finds the download first when closing their account. JavaScript on and off; every
page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kith.asks.models import Ask
from kith.care.services import note_add
from kith.care.tests.factories import ask_make, member_make, person_make, team_make
from kith.core.testing.staff import TEST_TOTP_KEY, totp_device_for
from kith.teams.models import Team, TeamMember
from tests.system.conftest import assert_accessible, person_signs_in, staff_signs_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"  # noqa: S105 - a fictional test account
BROWSER_PAGES = ["page", "page_without_js"]
CRISIS = "I've got the tablets saved up and I'm going to take them tonight"
LOW = "My hours got cut and I can't stop worrying about the rent. I'm not sleeping at all now."
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture
def brixton() -> tuple[Team, TeamMember]:
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    member = member_make(team=team, username="alex", display_name="Alex Morgan")
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    totp_device_for(member.user, key=TEST_TOTP_KEY)
    return team, member


def _sign_in(page: Any, base: str) -> None:
    staff_signs_in(page, base, username="alex", password=PASSWORD)


def _ask(*, hours_ago: int, **answers: Any) -> Ask:
    ask = ask_make(postcode="SW9 8EJ", **answers)
    Ask.objects.filter(pk=ask.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours_ago))
    ask.refresh_from_db()
    return ask


def _cells(page: Any, ask: Ask) -> dict[str, str]:
    row = page.locator(f'tr[data-ask-id="{ask.pk}"]')
    return {
        part: " ".join(row.locator(f".app-board-ask__{part}").inner_text().split())
        for part in ("words", "contact", "status")
    }


@pytest.mark.parametrize("browser_page", BROWSER_PAGES)
def test_the_board_shows_enough_to_act_and_the_person_reads_their_record_in_plain_words(
    request: pytest.FixtureRequest,
    live_server: Any,
    outbox: Path,
    brixton: tuple[Team, TeamMember],
    browser_page: str,
) -> None:
    # given an urgent ask from Sam, who wants a text in the evenings, and an older one
    team, alex = brixton
    page = request.getfixturevalue(browser_page)
    base = live_server.url
    sam = person_make(email="sam@example.com")
    urgent = _ask(
        hours_ago=1,
        person=sam,
        text=CRISIS,
        contact_method="text",
        contact_phone="07700 900123",
        contact_times="Evenings after 6",
    )
    older = _ask(hours_ago=3, text=LOW)

    # when Alex signs in
    _sign_in(page, base)
    # then each new ask shows its first words, how to reach them and why it is urgent
    assert _cells(page, urgent) == {
        "words": f"“{CRISIS}”",
        "contact": "Text message Evenings after 6",
        "status": f"Waiting Pick up {urgent.reference}",
    }
    expect(page.locator(f'tr[data-ask-id="{urgent.pk}"] .app-board-ask__why')).to_have_text(
        "Urgent because: a plan or the means to end their life"
    )
    assert _cells(page, older)["words"] == (
        "“My hours got cut and I can't stop worrying about the rent. I'm not sleeping at…”"
    )
    assert_accessible(page)

    # when Alex picks up Sam's ask from the board
    page.locator(f'tr[data-ask-id="{urgent.pk}"]').get_by_role("button", name="Pick up").click()
    expect(page).to_have_url(f"{base}/team/asks/{urgent.pk}/")
    page.wait_for_load_state()
    # then a confirmation says so, and the ask's status has changed
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"You picked up {urgent.reference}. You are its named worker."
    )
    expect(page.locator(".nhsuk-summary-list").first).to_contain_text("Picked up by Alex Morgan")
    assert_accessible(page)
    # and back on the board, so has its row
    page.get_by_role("link", name="Huddle board").first.click()
    page.wait_for_load_state()
    assert _cells(page, urgent)["status"] == "Picked up by Alex Morgan"
    assert_accessible(page)
    urgent.refresh_from_db()
    assert urgent.involvement is not None
    note_add(involvement=urgent.involvement, author=alex, text="Sam would like a call at 7pm.")

    # when Alex signs out, and Sam signs in and reads their record
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    person_signs_in(page, base, outbox)
    # then the note says who wrote it: name and role, as the log does
    expect(page.locator(".app-person-note__by")).to_contain_text(
        "Alex Morgan, peer worker, Brixton Mind, Brixton community team"
    )
    assert_accessible(page)

    # when they open "who has looked at my record"
    page.get_by_role("link", name="Who has looked at my record").first.click()
    page.wait_for_load_state()
    assert page.url == f"{base}/my/who-has-looked/"
    # then repeated looks are grouped, with who, how often and why, in plain words
    summaries = [
        " ".join(text.split())
        for text in page.locator(".app-access-entry__summary").all_inner_texts()
    ]
    today = f"{timezone.localdate().day} {timezone.localdate():%B}"
    assert [summary.split(" on ")[0] for summary in summaries] == [
        "Alex Morgan, peer worker, wrote a note",
        "Alex Morgan, peer worker, looked at your record twice",
        "Alex Morgan, peer worker, looked at your record",
        "Alex Morgan, peer worker, picked up your ask",
        "Alex Morgan, peer worker, looked at your record",
    ]
    assert all(f" on {today}, " in summary for summary in summaries)
    assert page.locator(".app-access-entry__why").all_inner_texts() == [
        "Why: you can read it in your record.",
        "Why: you were on the team's board, where the team sees new asks and what is due today.",
        "Why: to read your ask.",
        "Why: so you have a named worker.",
        "Why: to pick up your ask.",
    ]
    assert_accessible(page)

    # when they open the readable download
    page.get_by_role("link", name="Back").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Download everything we hold").click()
    page.wait_for_load_state()
    # then it has headings and plain words, no ids or field names
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:3] == ["About you", "Your asks", "Who you shared your record with"]
    assert "Who has looked at or changed your record" in headings
    main = page.locator("main").inner_text()
    assert f"Ask {urgent.reference}" in main
    assert "Text message" in main
    assert not UUID.search(main)
    assert "contact_method" not in main
    assert not re.search(r"\d{4}-\d{2}-\d{2}", main)
    assert_accessible(page)

    # when they go to close their account
    page.goto(f"{base}/my/close/")
    # then the first link on the page is the download, and the warning is said once
    first = page.locator("main a").first
    expect(first).to_have_text("Download your record")
    expect(first).to_have_attribute("href", "/my/download/")
    assert page.locator("main").inner_text().count("This cannot be undone") == 1
    assert_accessible(page)
