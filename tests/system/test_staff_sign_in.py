"""Journey: a new member of staff signs in for the first time, sets up an authenticator app
without scanning (typing the key shown), and later signs in with a password and a code. A run
of wrong passwords pauses signing in, on a page that says what to do. Every page is checked
with axe-core."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from kith.care.tests.factories import member_make, team_make
from kith.core.testing.staff import totp_code, totp_code_for
from kith.teams.models import TeamMember
from tests.system.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"  # noqa: S105 - the factories' fictional password


@pytest.fixture
def newcomer() -> TeamMember:
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    return member_make(team=team, username="sky", display_name="Sky Adeyemi")


def _password(page: Any, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("browser_page", ["page", "page_without_js"])
def test_a_new_member_sets_up_an_authenticator_app_then_signs_in_with_a_code(
    request: pytest.FixtureRequest, live_server: Any, newcomer: TeamMember, browser_page: str
) -> None:
    # given a member of staff with a password and no authenticator app yet
    page = request.getfixturevalue(browser_page)
    base = live_server.url
    # when they go to their board and sign in with their password
    page.goto(f"{base}/team/")
    assert page.url == f"{base}/staff/sign-in/?next=/team/"
    assert_accessible(page)
    _password(page, "sky")
    # then they are asked to set up an app, with a QR code and the key as text
    assert page.url == f"{base}/staff/sign-in/set-up/?next=%2Fteam%2F"
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app.")
    ).to_be_visible()
    assert_accessible(page)
    key = page.locator(".app-totp-key").inner_text()
    # when they type a code that is not 6 numbers
    page.get_by_label("6-digit code").fill("12ab")
    page.get_by_role("button", name="Finish setting up").click()
    page.wait_for_load_state()
    # then the error says what to do, and the same key is still there
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the code as 6 numbers, like 123456"
    )
    assert page.locator(".app-totp-key").inner_text() == key
    assert_accessible(page)
    # when they type the code their app shows for that key
    page.get_by_label("6-digit code").fill(totp_code(b32decode(key.replace(" ", ""))))
    page.get_by_role("button", name="Finish setting up").click()
    page.wait_for_load_state()
    # then they are on their team's board
    assert page.url == f"{base}/team/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Huddle board")
    assert TOTPDevice.objects.get(user=newcomer.user).confirmed is True
    assert_accessible(page)

    # when they sign out and in again
    page.locator(".app-staff-nav").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto(f"{base}/team/")
    _password(page, "sky")
    # then only the code is asked for now
    assert page.url == f"{base}/staff/sign-in/code/?next=%2Fteam%2F"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    page.get_by_label("6-digit code").fill(
        totp_code_for(TOTPDevice.objects.get(user=newcomer.user))
    )
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/team/"


def test_five_wrong_passwords_pause_signing_in_with_a_page_that_says_what_to_do(
    page: Any, live_server: Any, newcomer: TeamMember
) -> None:
    # given
    page.goto(f"{live_server.url}/staff/sign-in/")
    # when a wrong password is typed five times
    for _ in range(5):
        _password(page, "sky", password="not-my-password")
    # then
    expect(page.get_by_role("heading", level=1)).to_have_text("Signing in is paused for 15 minutes")
    expect(page.locator("main")).to_contain_text("Wait 15 minutes, then sign in again.")
    assert_accessible(page)
