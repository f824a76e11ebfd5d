"""Staff see the language, interpreter and access needs a person gave when they asked: on the ask
(where the team picks it up) and on their record with the team."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask
from kith.care.services import ask_pick_up
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, text
from kith.core.testing.staff import sign_in_staff
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
NEEDS = {
    "language": "Polish",
    "needs_interpreter": True,
    "access_needs": "Step-free access, and a quiet room <please>",
}


def _rows(response: Any) -> list[tuple[str, str]]:
    """The "Language and access" summary list as (key, value) pairs."""
    rows = html(response).select(".app-language-access .nhsuk-summary-list__row")
    return [
        (text(row, ".nhsuk-summary-list__key"), text(row, ".nhsuk-summary-list__value"))
        for row in rows
    ]


def _ask_page(client: Client, ask: Ask, how: str) -> Any:
    if how == "read":
        return client.get(reverse("care:ask_show", args=[ask.pk]))
    # picking up with a worker who is not in the team: the page comes back with the error
    return client.post(reverse("care:ask_pick_up", args=[ask.pk]), {"worker": "nobody"})


@pytest.mark.parametrize(("how", "status"), [("read", 200), ("pick up, wrongly", 400)])
def test_the_ask_shows_the_language_interpreter_and_access_needs_they_gave(
    client: Client, team: Team, member: TeamMember, how: str, status: int
) -> None:
    # given
    ask = ask_for(team, person=person_make(), **NEEDS)
    sign_in_staff(client, member.user)
    # when
    response = _ask_page(client, ask, how)
    # then
    assert response.status_code == status
    assert text(response, "h2#language-and-access") == "Language and access"
    assert _rows(response) == [
        ("Language", "Polish"),
        ("Interpreter", "Yes"),
        ("Access needs", "Step-free access, and a quiet room <please>"),
    ]


def test_an_ask_that_gave_none_says_english_no_interpreter_and_no_access_needs(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: the form says "Leave blank for English"
    ask = ask_for(team, person=person_make())
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:ask_show", args=[ask.pk]))
    # then
    assert _rows(response) == [
        ("Language", "English"),
        ("Interpreter", "No"),
        ("Access needs", "None given"),
    ]


def test_the_record_shows_what_they_said_on_their_latest_ask(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: Sam asked in Polish, then came back asking for a British Sign Language interpreter
    sam = person_make()
    with time_machine.travel(START, tick=False):
        first = ask_for(team, person=sam, **NEEDS)
        involvement = ask_pick_up(ask=first, member=member)
    with time_machine.travel(START + dt.timedelta(days=3), tick=False):
        again = ask_for(team, person=sam, language="British Sign Language", needs_interpreter=True)
    assert again.involvement_id == involvement.pk
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    # then
    assert text(response, ".app-language-access__from") == (
        f"From their latest ask, {again.reference}, on 29 November 2026."
    )
    assert _rows(response) == [
        ("Language", "British Sign Language"),
        ("Interpreter", "Yes"),
        ("Access needs", "None given"),
    ]
