"""Staff security: a password and a second factor, always; lockout; idle and absolute timeouts.

Members of the public are not Django users; the last tests check nothing here touches them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from base64 import b32decode
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kith.audit.models import AuditEvent
from kith.care.tests.factories import member_make, person_make, team_make
from kith.core.access_inventory import inventory_load
from kith.core.middleware import BEFORE_SECOND_FACTOR
from kith.core.models import StaffSession
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff, totp_code, totp_code_for, totp_device_for
from kith.people.access import SESSION_KEY as PERSON_SESSION_KEY
from kith.teams.models import TeamMember

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"  # noqa: S105 - the factories' fictional password
START = dt.datetime(2026, 11, 26, 9, 0, 10, tzinfo=dt.UTC)
SIGN_IN = "/staff/sign-in/"
CODE = "/staff/sign-in/code/"
SET_UP = "/staff/sign-in/set-up/"


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member() -> TeamMember:
    return member_make(team=team_make(name="Brixton community team", districts="SW9", hours=24))


def _password(client: Client, username: str = "alex", password: str = PASSWORD, **extra: Any):
    return client.post(
        SIGN_IN, {"username": username, "password": password, "next": "/team/"}, **extra
    )


def _wrong(code: str) -> str:
    """A well-formed code that is not `code`."""
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def _is_verified_on_team_page(client: Client) -> bool:
    return client.get("/team/").status_code == 200


# Signing in: the password, then the code (or setting up the app the first time)


def test_given_a_member_with_an_app_when_they_sign_in_then_the_code_takes_them_on(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    device = totp_device_for(member.user)
    # when
    password = _password(client)
    before_code = client.get("/team/")
    coded = client.post(password["Location"], {"code": totp_code_for(device)})
    # then
    assert password["Location"] == f"{CODE}?next=%2Fteam%2F"
    assert before_code["Location"] == f"{CODE}?next=%2Fteam%2F"
    assert coded["Location"] == "/team/"
    assert client.get("/team/").status_code == 200
    event = AuditEvent.objects.get(action="sign_in")
    assert (event.actor_id, event.purpose, event.person_id) == (
        str(member.user.pk),
        "second-factor",
        None,
    )


def test_given_a_first_sign_in_when_the_app_is_set_up_then_the_device_is_confirmed(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    password = _password(client)
    # when: the key is read from the page, as someone who cannot scan the QR code would
    page = client.get(password["Location"])
    key_text = text(page, ".app-totp-key")
    done = client.post(
        password["Location"], {"code": totp_code(b32decode(key_text.replace(" ", "")))}
    )
    # then
    assert password["Location"] == f"{SET_UP}?next=%2Fteam%2F"
    assert page.status_code == 200
    assert text(page, "h1") == "Set up your authenticator app"
    qr = one(page, ".app-totp-qr svg[role=img]")
    assert str(qr["aria-label"]).startswith("QR code to scan with your authenticator app")
    assert [len(group) for group in key_text.split(" ")] == [4] * 8
    assert done["Location"] == "/team/"
    device = TOTPDevice.objects.get(user=member.user)
    assert device.confirmed is True
    assert client.get("/team/").status_code == 200
    assert AuditEvent.objects.filter(purpose="second-factor-set-up").count() == 1


def test_given_the_set_up_page_reloaded_then_the_key_stays_the_same(
    client: Client, member: TeamMember
) -> None:
    # given
    _password(client)
    # when
    first, second = client.get(SET_UP), client.get(SET_UP)
    # then
    assert text(first, ".app-totp-key") == text(second, ".app-totp-key")
    assert TOTPDevice.objects.filter(user=member.user).count() == 1


def test_given_a_confirmed_app_when_the_set_up_page_is_asked_for_then_no_new_device_is_made(
    client: Client, member: TeamMember
) -> None:
    # given: someone with only the password must not be able to add their own device
    totp_device_for(member.user)
    _password(client)
    # when
    page = client.get(SET_UP)
    posted = client.post(SET_UP, {"code": "123456"})
    # then
    assert page["Location"] == f"{CODE}?next=%2Fstaff%2F"
    assert posted["Location"] == f"{CODE}?next=%2Fstaff%2F"
    assert TOTPDevice.objects.filter(user=member.user).count() == 1
    assert not _is_verified_on_team_page(client)


def test_given_a_password_typed_long_ago_when_setting_up_then_sign_in_again_first(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given: a session left open 11 minutes after its password (say, after a device reset)
    _password(client)
    clock.shift(dt.timedelta(minutes=11))
    # when
    response = client.get(f"{SET_UP}?next=%2Fteam%2F")
    # then
    assert response["Location"] == f"{SIGN_IN}?next=/team/"
    assert text(client.get(response["Location"]), ".nhsuk-notification-banner") == (
        "Important Sign in again to set up your authenticator app."
    )
    assert TOTPDevice.objects.filter(user=member.user).count() == 0
    assert _password(client)["Location"] == f"{SET_UP}?next=%2Fteam%2F"
    assert client.get(f"{SET_UP}?next=%2Fteam%2F").status_code == 200


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12ab56", "Enter the code as 6 numbers, like 123456"),
        ("1234567", "Enter the code as 6 numbers, like 123456"),
    ],
)
def test_given_a_code_that_is_not_6_numbers_then_it_is_refused_clearly_and_not_counted(
    client: Client, member: TeamMember, code: str, message: str
) -> None:
    # given
    totp_device_for(member.user)
    _password(client)
    # when
    response = client.post(f"{CODE}?next=%2Fteam%2F", {"code": code, "next": "/team/"})
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary__list") == message
    assert text(response, ".nhsuk-error-message") == f"Error: {message}"
    assert one(response, "input[name=next]")["value"] == "/team/"
    assert AccessAttempt.objects.count() == 0
    assert not _is_verified_on_team_page(client)


def test_given_a_wrong_code_then_it_is_refused_counted_and_nothing_is_lost(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    device = totp_device_for(member.user)
    _password(client)
    # when
    response = client.post(f"{CODE}?next=%2Fteam%2F", {"code": _wrong(totp_code_for(device))})
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-message") == (
        "Error: The code is not right, or it has been used already. "
        "Enter the code your authenticator app shows now"
    )
    assert one(response, "input[name=next]")["value"] == "/team/"
    assert AccessAttempt.objects.get().failures_since_start == 1
    assert not _is_verified_on_team_page(client)
    # and after django-otp's pause, the right code still works
    clock.shift(dt.timedelta(seconds=2))
    right = client.post(f"{CODE}?next=%2Fteam%2F", {"code": totp_code_for(device)})
    assert right["Location"] == "/team/"


def test_given_a_wrong_code_when_the_next_comes_at_once_then_it_must_wait(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given: django-otp doubles the pause after each wrong code (1, 2, 4... seconds)
    device = totp_device_for(member.user)
    _password(client)
    client.post(CODE, {"code": _wrong(totp_code_for(device))})
    # when
    response = client.post(CODE, {"code": totp_code_for(device)})
    # then
    assert text(response, ".nhsuk-error-message") == (
        "Error: Wait a few seconds, then enter the code your authenticator app shows now"
    )
    assert AccessAttempt.objects.get().failures_since_start == 1
    assert not _is_verified_on_team_page(client)


def test_given_a_code_used_once_when_it_is_used_again_then_it_is_refused(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given: signed in with a code, then signed out, in the same 30 seconds
    device = totp_device_for(member.user)
    code = totp_code(device.bin_key)
    _password(client)
    assert client.post(CODE, {"code": code})["Location"] == "/staff/"
    client.post(reverse("core:sign_out"))
    # when
    _password(client)
    replayed = client.post(CODE, {"code": code})
    # then
    assert replayed.status_code == 400
    assert "used already" in text(replayed, ".nhsuk-error-message")
    assert not _is_verified_on_team_page(client)


def test_given_a_next_address_on_another_site_then_sign_in_ends_on_the_staff_home(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    device = totp_device_for(member.user)
    _password(client)
    # when
    response = client.post(
        f"{CODE}?next={quote('https://evil.example.com/')}", {"code": totp_code_for(device)}
    )
    # then
    assert response["Location"] == "/staff/"


def test_given_nobody_signed_in_when_the_code_pages_are_asked_for_then_sign_in_first(
    client: Client,
) -> None:
    assert client.get(CODE)["Location"] == f"{SIGN_IN}?next=/staff/sign-in/code/"
    assert client.get(SET_UP)["Location"] == f"{SIGN_IN}?next=/staff/sign-in/set-up/"


def test_given_a_wrong_password_then_the_page_says_so_and_keeps_the_username(
    client: Client, member: TeamMember
) -> None:
    # when
    response = _password(client, password="not-the-password")
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-summary__list").startswith(
        "The username or password is not right."
    )
    assert one(response, "#id_username")["value"] == "alex"
    assert one(response, "input[name=next]")["value"] == "/team/"


# Every staff page needs the second factor


UNKNOWN_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def _staff_routes() -> list[tuple[str, str]]:
    """Every staff route in the access inventory, built with ids that need not exist: the
    second factor is asked for before any object is looked up."""
    routes = []
    for entry in inventory_load():
        if entry.is_wildcard or entry.name in BEFORE_SECOND_FACTOR:
            continue
        if not entry.route.startswith(("staff/", "team/", "admin/")):
            continue
        path = "/" + entry.route
        for part in ("<uuid:", "<int:", "<str:", "<"):
            while part in path:
                start = path.index(part)
                path = path[:start] + str(UNKNOWN_ID) + path[path.index(">", start) + 1 :]
        routes.append((entry.method, path))
    return routes + [
        ("GET", "/admin/"),
        ("GET", "/admin/teams/teammember/"),
        ("GET", "/admin/otp_totp/totpdevice/"),
    ]


STAFF_ROUTES = _staff_routes()


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES, ids=[p for _m, p in STAFF_ROUTES])
def test_given_only_a_password_when_any_staff_page_is_asked_for_then_the_code_comes_first(
    client: Client, method: str, path: str
) -> None:
    # given: a team lead and superuser, signed in with a password but no second factor yet
    user = member_make(team=team_make(name="Team", districts="SW9", hours=24), is_lead=True).user
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    # when
    response = client.get(path) if method == "GET" else client.post(path)
    # then
    assert response.status_code == 302
    expected = f"{CODE}?next={quote(path, safe='')}" if method == "GET" else CODE
    assert response["Location"] == expected


@pytest.mark.parametrize("path", ["/", "/find/", "/help-now/", "/api/v1/openapi.json", "/ask/"])
def test_given_only_a_password_then_public_pages_and_the_api_answer_as_usual(
    client: Client, member: TeamMember, path: str
) -> None:
    # given
    client.force_login(member.user)
    # when
    response = client.get(path)
    # then
    assert response.status_code == 200


# Lockout after repeated failures


def test_given_five_wrong_passwords_then_signing_in_is_paused_with_a_clear_page(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    for _ in range(4):
        assert _password(client, password="wrong-password").status_code == 400
    # when
    fifth = _password(client, password="wrong-password")
    right_password = _password(client)
    # then
    assert fifth.status_code == 429
    assert text(fifth, "h1") == "Signing in is paused for 15 minutes"
    assert "Wait 15 minutes, then sign in again." in text(fifth, "main")
    assert one(fifth, "link[rel=stylesheet]")  # the NHS.UK layout, not a bare message
    assert right_password.status_code == 429
    assert client.get("/team/")["Location"].startswith(SIGN_IN)
    # and the pause is for this username from this address only
    assert _password(Client(REMOTE_ADDR="192.0.2.10"))["Location"].startswith(SET_UP)
    # and it ends after the cool-off
    clock.shift(dt.timedelta(minutes=16))
    assert _password(client)["Location"].startswith(SET_UP)


def test_given_wrong_codes_then_they_count_with_wrong_passwords_and_sign_the_session_out(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given: three wrong passwords, then the right one
    device = totp_device_for(member.user)
    for _ in range(3):
        _password(client, password="wrong-password")
    _password(client)
    # when: two wrong codes, a pause apart as django-otp asks
    first = client.post(CODE, {"code": _wrong(totp_code_for(device))})
    clock.shift(dt.timedelta(seconds=5))
    second = client.post(CODE, {"code": _wrong(totp_code_for(device))})
    # then
    assert first.status_code == 400
    assert second.status_code == 429
    assert text(second, "h1") == "Signing in is paused for 15 minutes"
    assert client.get("/team/")["Location"] == f"{SIGN_IN}?next=/team/"
    assert _password(client).status_code == 429


def test_given_a_full_sign_in_then_earlier_failures_no_longer_count(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    device = totp_device_for(member.user)
    for _ in range(4):
        _password(client, password="wrong-password")
    # when
    _password(client)
    client.post(CODE, {"code": totp_code_for(device)})
    # then
    assert AccessAttempt.objects.count() == 0
    client.post(reverse("core:sign_out"))
    for _ in range(4):
        assert _password(client, password="wrong-password").status_code == 400
    assert _password(client)["Location"].startswith(CODE)


# Idle and absolute timeouts


def test_given_a_staff_session_unused_for_30_minutes_then_it_is_signed_out_and_told_why(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    sign_in_staff(client, member.user)
    clock.shift(dt.timedelta(minutes=29))
    assert client.get("/team/").status_code == 200
    # when: 31 minutes after that last page
    clock.shift(dt.timedelta(minutes=31))
    response = client.get("/team/")
    sign_in_page = client.get(response["Location"])
    # then
    assert response["Location"] == f"{SIGN_IN}?next=/team/"
    assert text(sign_in_page, ".nhsuk-notification-banner") == (
        "Important You were signed out because you had not used Kith for 30 minutes. "
        "Sign in again to carry on."
    )
    assert client.get("/team/")["Location"] == f"{SIGN_IN}?next=/team/"
    assert StaffSession.objects.count() == 0
    assert AuditEvent.objects.filter(purpose="staff-session-idle").count() == 1


def test_given_a_busy_staff_session_when_12_hours_pass_then_it_is_signed_out_all_the_same(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given: a page every 25 minutes, never idle
    sign_in_staff(client, member.user)
    for _ in range(28):  # 11 hours 40 minutes
        clock.shift(dt.timedelta(minutes=25))
        assert client.get("/team/").status_code == 200
    # when
    clock.shift(dt.timedelta(minutes=25))  # 12 hours 5 minutes
    response = client.get("/team/")
    # then
    assert response["Location"] == f"{SIGN_IN}?next=/team/"
    assert text(client.get(response["Location"]), ".nhsuk-notification-banner") == (
        "Important You were signed out because you signed in more than 12 hours ago. "
        "Sign in again to carry on."
    )
    assert AuditEvent.objects.filter(purpose="staff-session-too-long").count() == 1


def test_given_a_timed_out_session_on_a_public_page_then_it_carries_on_signed_out(
    client: Client, member: TeamMember, clock: Any
) -> None:
    # given
    sign_in_staff(client, member.user)
    clock.shift(dt.timedelta(minutes=31))
    # when
    response = client.get("/find/")
    # then
    assert response.status_code == 200
    assert client.get("/team/")["Location"] == f"{SIGN_IN}?next=/team/"


def test_given_settings_when_the_limits_change_then_the_sessions_follow(
    client: Client, member: TeamMember, clock: Any, settings: Any
) -> None:
    # given
    settings.KITH_STAFF_IDLE_MINUTES = 5
    sign_in_staff(client, member.user)
    # when
    clock.shift(dt.timedelta(minutes=6))
    # then
    assert client.get("/team/")["Location"] == f"{SIGN_IN}?next=/team/"


# Sessions of users made inactive, signing out, and the public


def test_given_a_user_made_inactive_then_their_next_request_signs_them_out(
    client: Client, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    get_user_model().objects.filter(pk=member.user.pk).update(is_active=False)
    # when
    response = client.get("/team/")
    # then
    assert response["Location"] == f"{SIGN_IN}?next=/team/"
    assert "your account is no longer active" in text(
        client.get(response["Location"]), ".nhsuk-notification-banner"
    )
    assert "_auth_user_id" not in client.session


def test_given_a_sign_out_then_the_session_and_its_record_are_gone(
    client: Client, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    assert StaffSession.objects.filter(user=member.user).count() == 1
    # when
    response = client.post(reverse("core:sign_out"))
    # then
    assert response["Location"] == "/"
    assert StaffSession.objects.count() == 0
    assert client.get("/team/")["Location"] == f"{SIGN_IN}?next=/team/"


def test_given_a_person_signed_in_when_hours_pass_then_nothing_here_signs_them_out(
    client: Client, clock: Any
) -> None:
    # given: a member of the public, signed in passwordlessly (not a Django user)
    session = client.session
    session[PERSON_SESSION_KEY] = str(person_make().pk)
    session.save()
    # when
    clock.shift(dt.timedelta(hours=13))
    response = client.get(reverse("people:record"))
    # then
    assert response.status_code == 200
    assert client.session[PERSON_SESSION_KEY]
    assert StaffSession.objects.count() == 0
    assert not AuditEvent.objects.filter(action="sign_out").exists()


def test_given_a_person_on_a_staff_page_then_they_are_sent_to_staff_sign_in_untouched(
    client: Client,
) -> None:
    # given
    session = client.session
    session[PERSON_SESSION_KEY] = str(person_make().pk)
    session.save()
    # when
    response = client.get("/team/")
    # then
    assert response["Location"] == f"{SIGN_IN}?next=/team/"
    assert client.session[PERSON_SESSION_KEY]
    assert not html(client.get(SIGN_IN)).select(".nhsuk-notification-banner")
