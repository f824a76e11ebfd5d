"""The huddle board's new asks show enough to act on: the first words of the ask, how the person
wants to be contacted, why it is urgent (the screening category, never the matched words), and
who has picked it up, with a confirmation when someone does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask
from kith.asks.screening import CATEGORIES
from kith.care.presenters import URGENT_BECAUSE, ask_first_words
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
LATER = START + dt.timedelta(hours=2)
LONG = (
    "My hours got cut and I can't stop worrying about the rent. I'm not sleeping and I snap at "
    "the kids."
)
CRISIS = "I have the tablets saved up and I want to end my life"


def _ask(team: Team, minutes: int, **answers: Any) -> Ask:
    with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
        return ask_for(team, person=person_make(email=f"p{minutes}@example.com"), **answers)


def _board(client: Client, member: TeamMember) -> Any:
    sign_in_staff(client, member.user)
    with time_machine.travel(LATER, tick=False):
        return client.get(reverse("care:huddle_board"))


def _row(response: Any, ask: Ask) -> dict[str, str]:
    row = one(response, f'tr[data-ask-id="{ask.pk}"]')
    return {
        part: text(row, f".app-board-ask__{part}") if row.select(f".app-board-ask__{part}") else ""
        for part in ("words", "why", "contact", "status")
    }


def test_a_new_ask_shows_its_first_words_how_to_reach_them_and_why_it_is_urgent(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given an ordinary ask by text in the evenings, and an urgent one from someone who will get
    # back in touch themselves
    ordinary = _ask(
        team,
        0,
        text=LONG,
        contact_method="text",
        contact_phone="07700 900123",
        contact_times="Evenings after 6",
    )
    urgent = _ask(team, 5, text=CRISIS, contact_method="none")
    assert urgent.is_urgent
    assert urgent.screening_matches
    # when a member of the team looks at the board
    response = _board(client, member)
    # then each row shows the first words, how to reach them and, when urgent, why
    assert _row(response, ordinary) == {
        "words": "“My hours got cut and I can't stop worrying about the rent. I'm not sleeping and…”",
        "why": "",
        "contact": "Text message Evenings after 6",
        "status": "Waiting Pick up " + ordinary.reference,
    }
    assert _row(response, urgent) == {
        "words": f"“{CRISIS}”",
        "why": "Urgent because: thoughts of suicide; a plan or the means to end their life",
        "contact": "They will get back in touch",
        "status": "Waiting Pick up " + urgent.reference,
    }
    # and never the ids of the phrases that matched
    for phrase_id in urgent.screening_matches:
        assert phrase_id not in response.content.decode()


def test_every_screening_category_has_words_for_the_board() -> None:
    # then every category screening can raise says why an ask is urgent in plain words
    assert set(URGENT_BECAUSE) == set(CATEGORIES)
    assert all(words and words == words.lower() for words in URGENT_BECAUSE.values())


@pytest.mark.parametrize(
    ("words", "first"),
    [
        ("Short one.", "Short one."),
        ("  Lots   of\n\nspace  here ", "Lots of space here"),
        (
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen",
            "one two three four five six seven eight nine ten eleven "
            "twelve thirteen fourteen fifteen sixteen…",
        ),
        ("x" * 200, "x" * 120 + "…"),
    ],
)
def test_the_first_words_of_an_ask_are_its_first_sixteen_words_at_most(
    words: str, first: str
) -> None:
    assert ask_first_words(words) == first


def test_picking_up_from_the_board_changes_its_status_and_says_so(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given a new ask waiting on the board
    ask = _ask(team, 0, text=LONG)
    assert _row(_board(client, member), ask)["status"] == f"Waiting Pick up {ask.reference}"
    # when Alex picks it up from the board
    with time_machine.travel(LATER, tick=False):
        response = client.post(
            reverse("care:ask_pick_up", args=[ask.pk]), {"worker": member.pk}, follow=True
        )
    # then the ask's page confirms it and shows its new status
    assert response.redirect_chain == [(reverse("care:ask_show", args=[ask.pk]), 302)]
    banner = html(response).select(".nhsuk-notification-banner--success")
    assert [b.get_text(" ", strip=True) for b in banner] == [
        f"Success You picked up {ask.reference}. You are its named worker."
    ]
    rows = {
        text(row, "dt"): text(row, "dd")
        for row in html(response).select(".nhsuk-summary-list__row")
    }
    assert rows["Status"] == "Picked up by Alex Morgan"
    # and on the board the row says who picked it up
    assert _row(_board(client, member), ask)["status"] == "Picked up by Alex Morgan"
    # and the message is shown once only
    assert not html(client.get(reverse("care:ask_show", args=[ask.pk]))).select(
        ".nhsuk-notification-banner"
    )


def test_picking_up_for_a_colleague_says_who_the_named_worker_is(
    client: Client, team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given a new ask
    ask = _ask(team, 0, text=LONG)
    sign_in_staff(client, member.user)
    # when Alex picks it up for Jo
    response = client.post(
        reverse("care:ask_pick_up", args=[ask.pk]), {"worker": colleague.pk}, follow=True
    )
    # then the confirmation names Jo
    assert text(response, ".nhsuk-notification-banner--success") == (
        f"Success {ask.reference} is picked up. Jo Patel is its named worker."
    )


def test_the_ask_page_says_how_to_reach_them_in_staff_words(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given someone who will get back in touch themselves
    ask = _ask(team, 0, text=LONG, contact_method="none")
    sign_in_staff(client, member.user)
    # when a member of the team opens the ask
    response = client.get(reverse("care:ask_show", args=[ask.pk]))
    # then it says so in the team's words, not the person's
    rows = {
        text(row, "dt"): text(row, "dd")
        for row in html(response).select(".nhsuk-summary-list__row")
    }
    assert rows["How to reach them"] == "They will get back in touch"
    assert rows["Status"] == "Waiting for someone to pick it up"
    assert "I'll get back in touch" not in response.content.decode()
