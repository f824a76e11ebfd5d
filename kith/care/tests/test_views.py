"""The team workspace over HTTP: who may see what, the huddle board, and the journeys."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from kith.asks.models import Ask
from kith.audit.models import AuditEvent
from kith.care.models import Involvement, Note
from kith.care.services import ask_pick_up, conversation_record, note_add
from kith.care.tests.factories import ask_for, person_make
from kith.core.testing import html, one, text
from kith.core.testing.staff import sign_in_staff
from kith.people.access import SESSION_KEY
from kith.teams.access import member_for_request
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def picked_up(team: Team, member: TeamMember) -> Ask:
    ask = ask_for(team, person=person_make())
    ask_pick_up(ask=ask, member=member)
    ask.refresh_from_db()
    return ask


def _routes(ask: Ask) -> list[tuple[str, str]]:
    """Every /team/ route, with a method that reads it."""
    involvement_id = ask.involvement_id
    return [
        ("get", reverse("care:huddle_board")),
        ("get", reverse("care:ask_show", args=[ask.pk])),
        ("post", reverse("care:ask_pick_up", args=[ask.pk])),
        ("get", reverse("care:conversation_record", args=[ask.pk])),
        ("get", reverse("care:involvement_show", args=[involvement_id])),
        ("get", reverse("care:note_add", args=[involvement_id])),
        ("get", reverse("care:involvement_close", args=[involvement_id])),
    ]


def _sign_in(client: Client, role: str, member: TeamMember, outsider: TeamMember) -> None:
    if role == "person":
        session = client.session
        session[SESSION_KEY] = str(person_make(email="pat@example.com").pk)
        session.save()
    elif role == "this team":
        sign_in_staff(client, member.user)
    elif role == "another team":
        sign_in_staff(client, outsider.user)


# The permission table: anonymous and people go to the staff sign-in; staff of another team
# get 404 for this team's objects and their own (empty) board.
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", [302, 302, 302, 302, 302, 302, 302]),
        ("person", [302, 302, 302, 302, 302, 302, 302]),
        ("this team", [200, 200, 302, 200, 200, 200, 200]),
        ("another team", [200, 404, 404, 404, 404, 404, 404]),
    ],
)
def test_who_may_use_each_team_route(
    client: Client,
    picked_up: Ask,
    member: TeamMember,
    outsider: TeamMember,
    role: str,
    expected: list[int],
) -> None:
    # given
    _sign_in(client, role, member, outsider)
    # when
    statuses = [getattr(client, method)(path).status_code for method, path in _routes(picked_up)]
    # then
    assert statuses == expected


def test_signed_out_visitors_are_sent_to_the_staff_sign_in(client: Client, picked_up: Ask) -> None:
    # when
    response = client.get(reverse("care:ask_show", args=[picked_up.pk]))
    # then
    assert response["Location"] == f"/staff/sign-in/?next=/team/asks/{picked_up.pk}/"


def test_a_signed_in_user_who_is_not_in_a_team_gets_not_found(
    client: Client, django_user_model: Any
) -> None:
    # given
    sign_in_staff(client, django_user_model.objects.create_user(username="editor"))
    # when
    response = client.get(reverse("care:huddle_board"))
    # then
    assert response.status_code == 404


def test_another_teams_ask_answers_404_without_showing_it_and_the_refusal_is_audited(
    client: Client, picked_up: Ask, outsider: TeamMember
) -> None:
    # given
    sign_in_staff(client, outsider.user)
    # when
    response = client.get(reverse("care:ask_show", args=[picked_up.pk]))
    # then
    assert response.status_code == 404
    assert picked_up.reference not in response.text
    event = AuditEvent.objects.get(outcome="denied")
    assert (event.actor_id, event.subject_id, event.person_id) == (
        str(outsider.user_id),
        str(picked_up.pk),
        None,
    )


def test_reading_an_ask_and_a_record_is_audited_for_the_person(
    client: Client, picked_up: Ask, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    client.get(reverse("care:ask_show", args=[picked_up.pk]))
    client.get(reverse("care:involvement_show", args=[picked_up.involvement_id]))
    # then
    reads = AuditEvent.objects.filter(action="read", outcome="ok").order_by("at", "subject_type")
    assert [(e.subject_type, e.subject_id, e.person_id, e.purpose) for e in reads] == [
        ("ask", str(picked_up.pk), picked_up.person_id, "ask"),
        ("involvement", str(picked_up.involvement_id), picked_up.person_id, "involvement"),
    ]


def test_the_board_shows_urgent_asks_first_then_oldest_with_their_waiting_times(
    client: Client, team: Team, member: TeamMember, other_team: Team
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        oldest = ask_for(team)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        middle = ask_for(team)
    with time_machine.travel(START + dt.timedelta(hours=20), tick=False):
        urgent = ask_for(team, text="I want to end my life")
    ask_for(other_team)  # another team's: never on this board
    assert urgent.is_urgent
    # when
    with time_machine.travel(START + dt.timedelta(hours=25, minutes=30), tick=False):
        sign_in_staff(client, member.user)
        response = client.get(reverse("care:huddle_board"))
    # then
    rows = html(response).select("tr.app-board-ask")
    assert [row["data-ask-id"] for row in rows] == [str(urgent.pk), str(oldest.pk), str(middle.pk)]
    waited = [text(row, ".app-board-ask__waited") for row in rows]
    assert waited == [
        "5 hours 30 minutes of 24 hours",
        "1 day 1 hour of 24 hours Over response time",
        "23 hours 30 minutes of 24 hours",
    ]


def test_the_board_shows_who_picked_up_next_steps_due_and_returning_people(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    person = person_make()
    with time_machine.travel(START, tick=False):
        first = ask_for(team, person=person)
        involvement = ask_pick_up(ask=first, member=member)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        conversation_record(
            ask=first,
            member=member,
            happened_at=START + dt.timedelta(minutes=30),
            method="phone",
            with_whom="the person",
            next_step="Call about the housing letter",
            next_step_due_on=dt.date(2026, 11, 27),
        )
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        again = ask_for(team, person=person)
    # when
    with time_machine.travel(START + dt.timedelta(days=1, hours=1), tick=False):
        sign_in_staff(client, member.user)
        response = client.get(reverse("care:huddle_board"))
    # then
    row = one(response, f'tr[data-ask-id="{again.pk}"]')
    assert text(row, ".app-board-ask__status") == "Picked up by Alex Morgan"
    assert text(response, ".app-board-next-steps") == (
        "Call about the housing letter , due 27 November 2026, Alex Morgan"
    )
    assert text(response, ".app-board-returning") == f"{again.reference} , back with Alex Morgan"
    assert involvement.pk == again.involvement_id


@pytest.mark.parametrize("count", [1, 6])
def test_the_board_takes_the_same_number_of_queries_however_many_asks(
    client: Client,
    team: Team,
    member: TeamMember,
    count: int,
    django_assert_max_num_queries: Any,
) -> None:
    # given
    for n in range(count):
        person = person_make(email=f"person{n}@example.com")
        ask_pick_up(ask=ask_for(team, person=person), member=member)
    sign_in_staff(client, member.user)
    # when / then: session, user, second-factor device, staff session, member, new asks, next
    # steps, same-day calls, returning people, one audit insert, demo banner
    with django_assert_max_num_queries(11):
        response = client.get(reverse("care:huddle_board"))
    assert len(html(response).select("tr.app-board-ask")) == count
    assert AuditEvent.objects.filter(purpose="huddle").count() == 1


def test_a_member_picks_up_from_the_board_and_records_the_first_conversation(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask = ask_for(team)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        sign_in_staff(client, member.user)
        # when
        picked = client.post(reverse("care:ask_pick_up", args=[ask.pk]))
        talked = client.post(
            reverse("care:conversation_record", args=[ask.pk]),
            {"date": "26/11/2026", "time": "10:15", "method": "phone", "with_whom": "the person"},
        )
    # then
    ask.refresh_from_db()
    assert picked.status_code == 302
    assert talked["Location"] == reverse("care:involvement_show", args=[ask.involvement_id])
    assert ask.worker == member
    assert ask.time_to_first_conversation == dt.timedelta(hours=1, minutes=15)


def test_a_conversation_with_a_bad_date_is_refused_and_nothing_is_lost(
    client: Client, picked_up: Ask, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        reverse("care:conversation_record", args=[picked_up.pk]),
        {"date": "31/02/2026", "time": "10:15", "method": "phone", "with_whom": "the person"},
    )
    # then
    assert response.status_code == 400
    assert text(response, ".nhsuk-error-message") == "Error: Enter a real date, like 26/11/2026"
    assert one(response, "#id_with_whom")["value"] == "the person"
    picked_up.refresh_from_db()
    assert picked_up.first_conversation_at is None


def test_an_open_note_written_by_the_team_shows_on_the_persons_record(
    client: Client, picked_up: Ask, member: TeamMember
) -> None:
    # given
    staff = Client()
    sign_in_staff(staff, member.user)
    staff.post(
        reverse("care:note_add", args=[picked_up.involvement_id]),
        {"text": "We agreed to look at the debt letter together."},
    )
    staff.post(
        reverse("care:note_add", args=[picked_up.involvement_id]),
        {
            "text": "Neighbour reported shouting.",
            "held_back_reason": "safeguarding",
            "held_back_explanation": "Showing it could put the neighbour at risk.",
        },
    )
    session = client.session
    session[SESSION_KEY] = str(picked_up.person_id)
    session.save()
    # when
    response = client.get(reverse("people:record"))
    # then
    notes = html(response).select(".app-person-notes li p:last-child")
    assert [note.get_text(strip=True) for note in notes] == [
        "We agreed to look at the debt letter together."
    ]
    assert Note.objects.count() == 2


def test_closing_with_the_person_and_coming_back_to_the_same_worker(
    client: Client, picked_up: Ask, member: TeamMember, other_team: Team
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    closed = client.post(
        reverse("care:involvement_close", args=[picked_up.involvement_id]),
        {"outcome": "not-reached", "attempts": "Phoned 27 Nov 10am and 28 Nov 4pm; texted."},
    )
    again = ask_for(other_team, person=picked_up.person)
    # then
    assert closed.status_code == 302
    again.refresh_from_db()
    involvement = Involvement.objects.get()
    assert (again.worker, again.involvement, involvement.status) == (member, involvement, "open")
    page = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    assert [li["class"][0] for li in html(page).select(".app-timeline li")] == [
        "app-timeline__ask",
        "app-timeline__ask",
    ]


def test_closing_as_not_reached_without_attempts_shows_what_to_do(
    client: Client, picked_up: Ask, member: TeamMember
) -> None:
    # given
    sign_in_staff(client, member.user)
    # when
    response = client.post(
        reverse("care:involvement_close", args=[picked_up.involvement_id]),
        {"outcome": "not-reached", "what_helped": "kept"},
    )
    # then
    assert response.status_code == 400
    assert text(response, "#id_attempts-error") == (
        "Error: Write down each attempt to get in touch: when and how"
    )
    assert Involvement.objects.get().status == "open"


def test_the_timeline_shows_asks_conversations_and_notes_in_order(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask = ask_for(team)
        involvement = ask_pick_up(ask=ask, member=member)
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        note_add(involvement=involvement, author=member, text="Sam prefers texts.")
        conversation_record(
            ask=ask,
            member=member,
            happened_at=START + dt.timedelta(hours=1),
            method="in-person",
            with_whom="Sam and her sister",
        )
    sign_in_staff(client, member.user)
    # when
    response = client.get(reverse("care:involvement_show", args=[involvement.pk]))
    # then
    kinds = [li["class"][0] for li in html(response).select(".app-timeline li")]
    assert kinds == ["app-timeline__ask", "app-timeline__conversation", "app-timeline__note"]
    assert "The person can read this" in text(response, ".app-timeline__note")


def test_a_view_reached_without_the_middleware_still_needs_the_second_factor(
    rf: RequestFactory, member: TeamMember
) -> None:
    # given: a request from Alex signed in with a password only (no second factor in session)
    request = rf.get("/team/")
    request.user = member.user
    # when / then: the team workspace refuses it, as if there were no team
    with pytest.raises(Http404):
        member_for_request(request)
    # and once the second factor is verified (django-otp's middleware says so), it is Alex's
    member.user.is_verified = lambda: True  # type: ignore[attr-defined]
    assert member_for_request(request) == member
