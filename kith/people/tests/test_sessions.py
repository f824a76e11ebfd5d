"""People's sessions: an idle expiry renewed on use, an absolute lifetime, and "keep me signed in".

Shared phones are common, and the record is about someone's mental health (issue 8, point 5).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.core.testing import one, text
from kith.people.tests.conftest import outbox_messages

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 7, 9, 0, 10, tzinfo=dt.UTC)
CODE = re.compile(r"\b(\d{6})\b")
LINK = re.compile(r"http://testserver(/sign-in/link/[^/\s]+/)")
RECORD = reverse("people:record")
SIGN_IN = reverse("people:sign_in")


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _sign_in(client: Client, outbox: Path, *, remember: bool = False) -> None:
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    match = CODE.search(outbox_messages(outbox)[-1]["body"])
    assert match is not None
    data = {"code": match.group(1)}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("people:sign_in_code"), data)
    assert response["Location"] == RECORD


def _is_signed_in(client: Client) -> bool:
    return client.get(RECORD).status_code == 200


def _banner(client: Client) -> str:
    return text(client.get(SIGN_IN), ".nhsuk-notification-banner")


def test_given_a_session_unused_for_31_minutes_when_a_page_is_opened_then_sign_in_says_why(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    _sign_in(client, outbox)
    clock.shift(dt.timedelta(minutes=31))
    # when
    response = client.get(RECORD)
    # then
    assert response["Location"] == SIGN_IN
    assert "person_id" not in client.session
    assert _banner(client) == (
        "Important You were signed out because you had not used Kith for 30 minutes. "
        "Sign in again to carry on."
    )
    assert client.get(RECORD)["Location"] == SIGN_IN


def test_given_a_session_used_every_25_minutes_then_it_stays_signed_in(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    _sign_in(client, outbox)
    # when
    used = []
    for _ in range(8):  # 3 hours 20 minutes
        clock.shift(dt.timedelta(minutes=25))
        used.append(_is_signed_in(client))
    # then
    assert used == [True] * 8


def test_given_a_busy_session_when_12_hours_pass_then_it_is_signed_out_all_the_same(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given: a page every 25 minutes, never idle
    _sign_in(client, outbox)
    for _ in range(28):  # 11 hours 40 minutes
        clock.shift(dt.timedelta(minutes=25))
        assert _is_signed_in(client)
    # when
    clock.shift(dt.timedelta(minutes=25))  # 12 hours 5 minutes
    response = client.get(RECORD)
    # then
    assert response["Location"] == SIGN_IN
    assert _banner(client) == (
        "Important You were signed out because you signed in more than 12 hours ago. "
        "Sign in again to carry on."
    )


def test_given_keep_me_signed_in_when_unused_for_days_then_it_stays_until_14_days_idle(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    _sign_in(client, outbox, remember=True)
    # when
    clock.shift(dt.timedelta(days=13, hours=23))
    after_13_days = _is_signed_in(client)
    clock.shift(dt.timedelta(days=14, minutes=1))
    response = client.get(RECORD)
    # then
    assert after_13_days
    assert response["Location"] == SIGN_IN
    assert _banner(client) == (
        "Important You were signed out because you had not used Kith for 14 days. "
        "Sign in again to carry on."
    )


def test_given_keep_me_signed_in_when_used_often_then_it_ends_after_30_days(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given: used every 5 days
    _sign_in(client, outbox, remember=True)
    used = []
    for _ in range(5):  # 25 days
        clock.shift(dt.timedelta(days=5))
        used.append(_is_signed_in(client))
    # when
    clock.shift(dt.timedelta(days=5, minutes=1))  # 30 days and a minute
    response = client.get(RECORD)
    # then
    assert used == [True] * 5
    assert response["Location"] == SIGN_IN
    assert _banner(client) == (
        "Important You were signed out because you signed in more than 30 days ago. "
        "Sign in again to carry on."
    )


def test_given_settings_when_the_limits_change_then_the_sessions_follow(
    outbox: Path, clock: Any, settings: Any
) -> None:
    # given
    settings.KITH_PERSON_IDLE_MINUTES = 5
    settings.KITH_PERSON_SESSION_HOURS = 1
    idle, busy = Client(), Client()
    _sign_in(idle, outbox)
    _sign_in(busy, outbox)
    # when
    clock.shift(dt.timedelta(minutes=4))
    busy_after_4 = _is_signed_in(busy)
    clock.shift(dt.timedelta(minutes=2))
    idle_after_6 = _is_signed_in(idle)
    busy_after_6 = _is_signed_in(busy)
    for _ in range(13):  # 52 more minutes: 58 in all
        clock.shift(dt.timedelta(minutes=4))
        assert _is_signed_in(busy)
    clock.shift(dt.timedelta(minutes=4))  # 62 minutes
    # then
    assert busy_after_4
    assert busy_after_6
    assert not idle_after_6
    assert not _is_signed_in(busy)


def test_given_a_timed_out_session_on_a_public_page_then_it_carries_on_signed_out(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    _sign_in(client, outbox)
    clock.shift(dt.timedelta(minutes=31))
    # when
    response = client.get(reverse("asks:ask_start"))
    # then
    assert response.status_code == 200
    assert "person_id" not in client.session
    assert client.get(RECORD)["Location"] == SIGN_IN
    assert "had not used Kith for 30 minutes" in _banner(client)


def test_given_a_sign_out_when_signing_in_again_then_no_old_reason_shows(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    _sign_in(client, outbox)
    clock.shift(dt.timedelta(minutes=31))
    client.get(RECORD)
    client.get(SIGN_IN)
    # when
    page = client.get(SIGN_IN)
    # then
    assert not page.content.decode().count("nhsuk-notification-banner")


@pytest.mark.parametrize("page", ["code", "link"])
def test_given_the_last_step_of_signing_in_then_keep_me_signed_in_says_what_it_means(
    client: Client, outbox: Path, page: str
) -> None:
    # given
    if page == "code":
        client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
        url = reverse("people:sign_in_code")
    else:
        client.post(SIGN_IN, {"email": "sam@example.com"})
        match = LINK.search(outbox_messages(outbox)[-1]["body"])
        assert match is not None
        url = match.group(1)
    # when
    response = client.get(url)
    # then
    checkbox = one(response, "input[name=remember]")
    assert checkbox.get("checked") is None
    assert text(response, "label[for=id_remember]") == "Keep me signed in on this device"
    assert text(response, "#id_remember-hint") == (
        "You will stay signed in for up to 30 days, unless you do not use Kith for 14 days "
        "or you sign out. Do not tick this on a shared or public phone or computer: anyone "
        "who uses it after you could read your record. Without it, we sign you out after "
        "30 minutes without using Kith, and after 12 hours at most."
    )


def test_given_keep_me_signed_in_on_the_link_page_when_confirmed_then_it_applies(
    client: Client, outbox: Path, clock: Any
) -> None:
    # given
    client.post(SIGN_IN, {"email": "sam@example.com"})
    match = LINK.search(outbox_messages(outbox)[-1]["body"])
    assert match is not None
    # when
    client.post(match.group(1), {"remember": "on"})
    clock.shift(dt.timedelta(hours=5))
    # then
    assert _is_signed_in(client)
