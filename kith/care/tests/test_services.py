"""Picking up, the first conversation, open notes, closing with an open door, coming back."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.utils import timezone

from kith.asks.models import Ask, AskStatus, Outcome
from kith.asks.services import asks_claim_for_person
from kith.audit.models import AuditEvent
from kith.care.models import Involvement, InvolvementStatus, Note
from kith.care.selectors import notes_for_person
from kith.care.services import (
    ask_pick_up,
    conversation_record,
    involvement_close,
    note_add,
)
from kith.care.tests.factories import ask_for, person_make
from kith.core.errors import ValidationFailed
from kith.directory.tests.factories import ServiceFactory
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _talk(ask: Ask, member: TeamMember, at: dt.datetime) -> None:
    conversation_record(
        ask=ask, member=member, happened_at=at, method="phone", with_whom="the person"
    )


def test_picking_up_names_the_worker_and_opens_the_involvement(
    team: Team, member: TeamMember
) -> None:
    # given
    ask = ask_for(team)
    # when
    involvement = ask_pick_up(ask=ask, member=member)
    # then
    ask.refresh_from_db()
    assert ask.worker == member
    assert ask.involvement == involvement
    assert ask.picked_up_at is not None
    assert (involvement.team, involvement.worker, involvement.status) == (team, member, "open")
    event = AuditEvent.objects.get(purpose="pick_up")
    assert (event.actor_type, event.actor_id, event.subject_id) == (
        "staff",
        str(member.user_id),
        str(ask.pk),
    )


def test_the_named_worker_can_be_changed_to_a_colleague(
    team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given
    ask = ask_for(team)
    involvement = ask_pick_up(ask=ask, member=member)
    # when
    ask_pick_up(ask=ask, member=member, worker=colleague)
    # then
    ask.refresh_from_db()
    involvement.refresh_from_db()
    assert ask.worker == colleague
    assert involvement.worker == colleague
    assert Involvement.objects.count() == 1


def test_nobody_from_another_team_can_be_named_worker(
    team: Team, member: TeamMember, outsider: TeamMember
) -> None:
    # given
    ask = ask_for(team)
    # when
    with pytest.raises(ValidationFailed) as error:
        ask_pick_up(ask=ask, member=member, worker=outsider)
    # then
    assert error.value.message == "Choose someone in your team"
    ask.refresh_from_db()
    assert ask.worker is None
    assert Involvement.objects.count() == 0


def test_the_first_conversation_keeps_the_time_to_first_conversation(
    team: Team, member: TeamMember
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask = ask_for(team)
    with time_machine.travel(START + dt.timedelta(hours=5), tick=False):
        ask_pick_up(ask=ask, member=member)
        # when
        _talk(ask, member, START + dt.timedelta(hours=3, minutes=30))
        _talk(ask, member, START + dt.timedelta(hours=4))
    # then
    ask.refresh_from_db()
    assert ask.status == AskStatus.IN_TOUCH
    assert ask.first_conversation_at == START + dt.timedelta(hours=3, minutes=30)
    assert ask.time_to_first_conversation == dt.timedelta(hours=3, minutes=30)
    assert AuditEvent.objects.filter(subject_type="conversation", action="change").count() == 2


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (dt.timedelta(hours=1), "The conversation must have happened already"),
        (dt.timedelta(hours=-1), "The conversation must be after the ask was sent"),
    ],
)
def test_a_conversation_cannot_be_in_the_future_or_before_the_ask(
    team: Team, member: TeamMember, offset: dt.timedelta, message: str
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask = ask_for(team)
        ask_pick_up(ask=ask, member=member)
        # when
        with pytest.raises(ValidationFailed) as error:
            _talk(ask, member, START + offset)
    # then
    assert error.value.message == message
    ask.refresh_from_db()
    assert ask.first_conversation_at is None


def test_a_conversation_needs_the_ask_picked_up_first(team: Team, member: TeamMember) -> None:
    # given
    ask = ask_for(team)
    # when
    with pytest.raises(ValidationFailed) as error:
        _talk(ask, member, timezone.now())
    # then
    assert error.value.message == "Pick up this ask before recording a conversation"


def test_notes_are_open_and_holding_one_back_needs_a_recorded_reason(
    team: Team, member: TeamMember
) -> None:
    # given
    person = person_make()
    ask = ask_for(team, person=person)
    involvement = ask_pick_up(ask=ask, member=member)
    # when
    note_add(involvement=involvement, author=member, text="We talked about the rent arrears.")
    note_add(
        involvement=involvement,
        author=member,
        text="Her brother said he is worried.",
        held_back_reason="third-party",
        held_back_explanation="Her brother asked us not to share this.",
    )
    # then
    assert [note.text for note in notes_for_person(person)] == ["We talked about the rent arrears."]
    hold = AuditEvent.objects.get(action="hold_back")
    assert (hold.purpose, hold.person_id) == ("third-party", person.pk)


def test_a_note_held_back_without_an_explanation_is_refused(team: Team, member: TeamMember) -> None:
    # given
    involvement = ask_pick_up(ask=ask_for(team), member=member)
    # when
    with pytest.raises(ValidationFailed) as error:
        note_add(
            involvement=involvement, author=member, text="A note", held_back_reason="safeguarding"
        )
    # then
    assert error.value.field == "held_back_explanation"
    assert Note.objects.count() == 0


def test_closing_records_the_outcome_on_the_involvement_and_its_asks(
    team: Team, member: TeamMember
) -> None:
    # given
    ask = ask_for(team)
    involvement = ask_pick_up(ask=ask, member=member)
    service = ServiceFactory.create()
    # when
    involvement_close(
        involvement=involvement,
        member=member,
        outcome=Outcome.CONNECTED,
        service_id=service.pk,
        what_helped="The Tuesday walking group.",
    )
    # then
    involvement.refresh_from_db()
    ask.refresh_from_db()
    assert (involvement.status, involvement.outcome) == ("closed", "connected")
    assert involvement.outcome_service_id == service.pk
    assert (ask.status, ask.outcome) == (AskStatus.CLOSED, "connected")
    assert AuditEvent.objects.filter(purpose="close", subject_id=str(involvement.pk)).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "connected"}, "service_id"),
        ({"outcome": "connected", "service_id": uuid.UUID(int=7)}, "service_id"),
        ({"outcome": "not-reached"}, "attempts"),
        ({"outcome": "not-eligible"}, "outcome"),
    ],
)
def test_closing_without_what_an_outcome_needs_changes_nothing(
    team: Team, member: TeamMember, fields: dict[str, object], field: str
) -> None:
    # given
    ask = ask_for(team)
    involvement = ask_pick_up(ask=ask, member=member)
    # when
    with pytest.raises(ValidationFailed) as error:
        involvement_close(involvement=involvement, member=member, **fields)  # type: ignore[arg-type]
    # then
    assert error.value.field == field
    involvement.refresh_from_db()
    ask.refresh_from_db()
    assert (involvement.status, involvement.outcome, ask.status) == ("open", "", "new")


def test_a_new_ask_from_the_same_person_reopens_with_the_same_team_and_worker(
    team: Team, other_team: Team, member: TeamMember
) -> None:
    # given
    person = person_make()
    first = ask_for(team, person=person)
    involvement = ask_pick_up(ask=first, member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.CHOSE_TO_STOP)
    # when: they ask again, from a postcode another team covers
    again = ask_for(other_team, person=person)
    # then
    again.refresh_from_db()
    involvement.refresh_from_db()
    assert (again.team, again.worker, again.involvement) == (team, member, involvement)
    assert (involvement.status, involvement.reopened_count) == (InvolvementStatus.OPEN, 1)
    assert involvement.outcome == ""
    assert again.respond_by_at == again.created_at + dt.timedelta(hours=24)


def test_a_returning_person_whose_worker_left_comes_back_to_the_team_unassigned(
    team: Team, member: TeamMember
) -> None:
    # given
    person = person_make()
    involvement = ask_pick_up(ask=ask_for(team, person=person), member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.SUPPORTED)
    member.is_active = False
    member.save(update_fields=["is_active"])
    # when
    again = ask_for(team, person=person)
    # then
    again.refresh_from_db()
    assert (again.team, again.worker, again.involvement_id) == (team, None, involvement.pk)


def test_someone_new_gets_no_involvement_until_picked_up(team: Team) -> None:
    # given
    person = person_make()
    # when
    ask = ask_for(team, person=person)
    # then
    ask.refresh_from_db()
    assert (ask.involvement, ask.worker) == (None, None)


def test_an_ask_made_before_signing_in_goes_back_to_their_worker_when_they_claim_it(
    team: Team, other_team: Team, member: TeamMember
) -> None:
    # given: Sam worked with the team before, then asked again without signing in
    person = person_make(email="sam@example.com")
    involvement = ask_pick_up(ask=ask_for(team, person=person), member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.SUPPORTED)
    unsigned = ask_for(other_team, contact_method="email", contact_email="sam@example.com")
    assert (unsigned.team, unsigned.involvement) == (other_team, None)
    # when: Sam signs in with that email and the ask becomes theirs
    claimed = asks_claim_for_person(person=person, email="sam@example.com")
    # then: it is back with the same team and worker, and the record is open again
    unsigned.refresh_from_db()
    involvement.refresh_from_db()
    assert claimed == 1
    assert (unsigned.team, unsigned.worker, unsigned.involvement) == (team, member, involvement)
    assert (involvement.status, involvement.reopened_count) == (InvolvementStatus.OPEN, 1)


def test_claiming_an_ask_the_team_already_picked_up_puts_that_work_in_the_persons_record(
    team: Team, member: TeamMember
) -> None:
    # given: the team picked up an ask from someone not signed in and wrote an open note
    ask = ask_for(team, contact_method="email", contact_email="sam@example.com")
    involvement = ask_pick_up(ask=ask, member=member)
    note_add(involvement=involvement, author=member, text="Called back; talked about sleep.")
    person = person_make(email="sam@example.com")
    assert notes_for_person(person) == []
    # when
    asks_claim_for_person(person=person, email="sam@example.com")
    # then: the person sees the team's note, and the ask stays where it was
    involvement.refresh_from_db()
    ask.refresh_from_db()
    assert involvement.person == person
    assert [note.text for note in notes_for_person(person)] == ["Called back; talked about sleep."]
    assert (ask.involvement, ask.worker, involvement.reopened_count) == (involvement, member, 0)
    assert AuditEvent.objects.filter(purpose="claim", person_id=person.pk).count() == 1


def test_claiming_leaves_a_withdrawn_ask_where_it_is(
    team: Team, other_team: Team, member: TeamMember
) -> None:
    # given: an ask made signed out, from a postcode another team covers (so it waits there
    # for them to sign in), then withdrawn
    person = person_make(email="sam@example.com")
    involvement = ask_pick_up(ask=ask_for(team, person=person), member=member)
    withdrawn = ask_for(other_team, contact_method="email", contact_email="sam@example.com")
    Ask.objects.filter(pk=withdrawn.pk).update(status=AskStatus.WITHDRAWN)
    # when
    asks_claim_for_person(person=person, email="sam@example.com")
    # then
    withdrawn.refresh_from_db()
    assert (withdrawn.person, withdrawn.team, withdrawn.involvement) == (person, other_team, None)
    assert involvement.asks.count() == 1
