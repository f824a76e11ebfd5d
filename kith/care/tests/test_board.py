"""The huddle board at any size: pages, counts, one audit event per view, constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask
from kith.audit.models import AuditEvent
from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.services import ask_pick_up
from kith.care.tests.factories import ask_for, person_make
from kith.core.pagination import showing
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.people.access import SESSION_KEY
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
LATER = START + dt.timedelta(hours=6)
URGENT = "I want to end my life"
RISK = [2, 2, 2, 2, 2, 2, 2, 2, 1]  # PHQ-9 with item 9 above zero: a same-day call


def _asks(team: Team, count: int, *, urgent: tuple[int, ...] = ()) -> list[Ask]:
    """`count` asks to the team from fictional people, a minute apart, oldest first."""
    asks = []
    for n in range(count):
        with time_machine.travel(START + dt.timedelta(minutes=n), tick=False):
            person = person_make(email=f"person{n}@example.com")
            text_ = URGENT if n in urgent else "I have been feeling low since I lost my job."
            asks.append(ask_for(team, person=person, text=text_))
    return asks


def _board(client: Client, member: TeamMember, **query: str) -> Any:
    sign_in_staff(client, member.user)
    with time_machine.travel(LATER, tick=False):
        return client.get(reverse("care:huddle_board"), query)


def _shown(response: Any) -> list[str]:
    return [str(row["data-ask-id"]) for row in html(response).select("tr.app-board-ask")]


def test_the_board_shows_25_new_asks_a_page_urgent_first_then_oldest(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: 27 new asks, three of them urgent
    asks = _asks(team, 27, urgent=(4, 13, 26))
    assert [n for n, ask in enumerate(asks) if ask.is_urgent] == [4, 13, 26]
    order = [asks[4], asks[13], asks[26]] + [a for n, a in enumerate(asks) if n not in (4, 13, 26)]
    # when
    first = _board(client, member)
    second = _board(client, member, asks="2")
    # then
    assert _shown(first) == [str(ask.pk) for ask in order[:25]]
    assert _shown(second) == [str(ask.pk) for ask in order[25:]]


def test_the_board_says_which_asks_it_shows_and_links_the_pages(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    _asks(team, 27)
    # when
    first = _board(client, member)
    second = _board(client, member, asks="2")
    beyond = _board(client, member, asks="9")
    nonsense = _board(client, member, asks="two")
    # then
    assert text(first, "#new-asks-count") == "Showing 1 to 25 of 27"
    assert text(second, "#new-asks-count") == "Showing 26 to 27 of 27"
    pages = one(first, "nav.app-board-new-asks-pages")
    assert one(pages, "a[rel=next]")["href"] == "/team/?asks=2#new-asks"
    assert [a["href"] for a in pages.select("a.nhsuk-pagination__link")] == [
        "/team/?asks=1#new-asks",
        "/team/?asks=2#new-asks",
    ]
    assert one(pages, "a[aria-current=page]").get_text(strip=True) == "1"
    back = one(second, "nav.app-board-new-asks-pages a[rel=prev]")
    assert back["href"] == "/team/?asks=1#new-asks"
    assert text(beyond, "#new-asks-count") == "Showing 26 to 27 of 27"
    assert text(nonsense, "#new-asks-count") == "Showing 1 to 25 of 27"


def test_a_board_that_fits_on_one_page_has_no_page_links(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    _asks(team, 2)
    # when
    response = _board(client, member)
    # then
    assert text(response, "#new-asks-count") == "Showing 1 to 2 of 2"
    assert html(response).select(".nhsuk-pagination") == []


def test_counts_are_written_with_thousands_separators() -> None:
    assert showing(number=1, size=25, total=2351) == "Showing 1 to 25 of 2,351"
    assert showing(number=95, size=25, total=2351) == "Showing 2,351 to 2,351 of 2,351"


def test_next_steps_due_are_paged_too(client: Client, team: Team, member: TeamMember) -> None:
    # given: 26 open involvements with a next step due today
    for ask in _asks(team, 26):
        involvement = ask_pick_up(ask=ask, member=member)
        Involvement.objects.filter(pk=involvement.pk).update(
            next_step="Call back", next_step_due_on=LATER.date()
        )
    # when
    first = _board(client, member)
    second = _board(client, member, due="2")
    both = _board(client, member, asks="2", due="2")
    # then
    assert len(html(first).select(".app-board-next-steps li")) == 25
    assert len(html(second).select(".app-board-next-steps li")) == 1
    assert text(first, "#next-steps-count") == "Showing 1 to 25 of 26"
    next_link = one(first, "nav.app-board-next-steps-pages a[rel=next]")
    assert next_link["href"] == "/team/?due=2#next-steps"
    # and paging one section keeps the other where it was
    assert one(both, "nav.app-board-new-asks-pages a[rel=prev]")["href"] == (
        "/team/?asks=1&due=2#new-asks"
    )
    assert one(both, "nav.app-board-next-steps-pages a[rel=prev]")["href"] == (
        "/team/?asks=2&due=1#next-steps"
    )


def test_viewing_the_board_is_one_audit_event_listing_the_people_on_the_page(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: 27 people asked; the first page shows 25 of them
    asks = _asks(team, 27)
    # when
    _board(client, member)
    # then
    event = AuditEvent.objects.get(purpose="huddle")
    assert (event.actor_type, event.actor_id, event.action) == (
        "staff",
        str(member.user_id),
        "read",
    )
    assert (event.subject_type, event.subject_id, event.person_id) == (
        "huddle_board",
        str(team.pk),
        None,
    )
    assert sorted(event.person_ids or []) == sorted(str(ask.person_id) for ask in asks[:25])


def test_a_person_finds_the_board_views_that_showed_them_in_who_has_looked(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given: a member of staff looked at the first page of the board, which showed the first 25
    asks = _asks(team, 27)
    _board(Client(), member)
    # when
    pages = {}
    for n in (0, 26):
        session = client.session
        session[SESSION_KEY] = str(asks[n].person_id)
        session.save()
        pages[n] = client.get(reverse("people:access_log"))
    # then
    entries = [
        [text(entry, f".app-access-entry__{part}") for part in ("why", "where")]
        for entry in html(pages[0]).select(".app-access-entry")
    ]
    assert entries == [
        [
            "Why: you were on the team's board, where the team sees new asks and what is due "
            "today.",
            "Brixton Mind, Brixton community team",
        ]
    ]
    assert text(html(pages[0]), ".app-access-entry__summary").startswith(
        "Alex Morgan, peer worker, looked at your record on "
    )
    assert "team's board" not in text(pages[26], "main")


@pytest.mark.parametrize("count", [1, 30])
def test_the_board_costs_the_same_number_of_queries_at_any_size(
    client: Client,
    team: Team,
    member: TeamMember,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    # given: `count` people the team picked up, each with a next step due today, a PHQ-9 with a
    # risk answer this morning, and a new ask that came back to them
    for n, ask in enumerate(_asks(team, count)):
        assert ask.person is not None
        with time_machine.travel(START + dt.timedelta(minutes=30, seconds=n), tick=False):
            involvement = ask_pick_up(ask=ask, member=member)
        Involvement.objects.filter(pk=involvement.pk).update(next_step_due_on=LATER.date())
        with time_machine.travel(START + dt.timedelta(hours=1, seconds=n), tick=False):
            ask_for(team, person=ask.person)
            measure_record(
                person=ask.person, code="phq9", answers=RISK, involvement=involvement, member=member
            )
    sign_in_staff(client, member.user)
    # when / then: session, user, second-factor device, staff session, member, one query per
    # section (new asks, next steps due, same-day calls, returning), one audit insert, demo
    # banner
    with time_machine.travel(LATER, tick=False), django_assert_num_queries(11):
        response = client.get(reverse("care:huddle_board"))
    shown = min(count, 25)
    # each person's first ask (picked up, no conversation yet) and their return are both new
    assert len(html(response).select("tr.app-board-ask")) == min(2 * count, 25)
    assert len(html(response).select(".app-board-next-steps li")) == shown
    assert len(html(response).select(".app-board-same-day-calls li")) == shown
    assert len(html(response).select(".app-board-returning li")) == shown
    # one audit event, listing the first 25 people once, though each is in every section
    [event] = AuditEvent.objects.filter(purpose="huddle")
    assert len(event.person_ids or []) == shown
