"""Consent: sharing a record with a team by asking or by choice, stopping, withholding it from an
organisation in the team, and what staff can then see (access functions and the board)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.http import Http404
from django.test import Client
from django.urls import reverse

from kith.asks.models import Ask, Outcome
from kith.asks.services import asks_claim_for_person
from kith.audit.events import Purpose
from kith.audit.models import AuditEvent
from kith.care.access import access_ask, access_huddle_board, access_involvement
from kith.care.consent import (
    consent_allow,
    consent_share,
    consent_visible_q,
    consent_withdraw,
    consent_withheld_organisations,
    consent_withhold,
    consents_end_for_person,
    sharing_for_person,
)
from kith.care.models import Involvement
from kith.care.selectors import huddle_board_for_team
from kith.care.services import ask_pick_up, involvement_close
from kith.care.tests.factories import ask_for, member_make, person_make
from kith.core.errors import ValidationFailed
from kith.core.testing import text
from kith.core.testing.staff import sign_in_staff
from kith.people.models import Consent, ConsentHow, Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def _sharing(person: Person, team: Team) -> Consent:
    return Consent.objects.get(person=person, team=team, withheld_organisation_name="")


def _events(person: Person, **filters: Any) -> list[tuple[str, str, str, str]]:
    return list(
        AuditEvent.objects.filter(person_id=person.pk, subject_type="consent", **filters)
        .order_by("at", "id")
        .values_list("actor_type", "actor_id", "action", "purpose")
    )


@pytest.fixture
def sam() -> Person:
    return person_make(email="sam@example.com")


@pytest.fixture
def picked_up(team: Team, member: TeamMember, sam: Person) -> Ask:
    """Sam asked the team for help and Alex (Brixton Mind) picked it up."""
    ask = ask_for(team, person=sam)
    ask_pick_up(ask=ask, member=member)
    ask.refresh_from_db()
    return ask


# Sharing by asking.


def test_asking_for_help_shares_the_record_with_the_team_the_ask_went_to(
    team: Team, sam: Person
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        # when
        ask = ask_for(team, person=sam)
    # then
    consent = Consent.objects.get()
    assert (consent.person, consent.team, consent.how_given, consent.ask) == (
        sam,
        team,
        ConsentHow.ASKED,
        ask,
    )
    assert (consent.given_at, consent.withdrawn_at, consent.withheld_organisation_name) == (
        ask.created_at,
        None,
        "",
    )
    assert _events(sam) == [("person", str(sam.pk), "share", "asked")]


def test_asking_again_keeps_the_one_sharing_in_force(team: Team, sam: Person) -> None:
    # given
    ask_for(team, person=sam)
    # when
    ask_for(team, person=sam)
    # then
    assert Consent.objects.count() == 1


def test_an_ask_from_someone_not_signed_in_shares_nothing_until_they_claim_it(
    team: Team, sam: Person
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask = ask_for(team, contact_method="email", contact_email="sam@example.com")
    assert Consent.objects.count() == 0
    # when
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        claimed = asks_claim_for_person(person=sam, email="sam@example.com")
    # then: shared when they asked, not when they signed in
    consent = _sharing(sam, team)
    assert claimed == 1
    assert (consent.how_given, consent.ask_id, consent.given_at) == (
        ConsentHow.ASKED,
        ask.pk,
        START,
    )


def test_claiming_an_ask_made_before_they_stopped_sharing_does_not_share_again(
    team: Team, sam: Person
) -> None:
    # given: Sam asked the team while signed out, and since then stopped sharing with it
    with time_machine.travel(START, tick=False):
        ask_for(team, contact_method="email", contact_email="sam@example.com")
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        ask_for(team, person=sam)
        consent_withdraw(person=sam, consent=_sharing(sam, team))
    # when
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        asks_claim_for_person(person=sam, email="sam@example.com")
    # then: their later choice stands
    assert list(Consent.objects.values_list("withdrawn_at", flat=True)) == [
        START + dt.timedelta(days=1)
    ]


def test_a_returning_person_who_stopped_sharing_with_their_old_team_stays_with_the_new_one(
    team: Team, other_team: Team, member: TeamMember, sam: Person
) -> None:
    # given: Sam worked with the team, then stopped sharing with it
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.SUPPORTED)
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    # when: they ask again from a postcode another team covers
    again = ask_for(other_team, person=sam)
    # then: the ask is not sent back to the team they stopped sharing with
    again.refresh_from_db()
    involvement.refresh_from_db()
    assert (again.team, again.involvement, again.worker) == (other_team, None, None)
    assert involvement.status == "closed"
    assert _sharing(sam, other_team).how_given == ConsentHow.ASKED
    assert not Consent.objects.filter(team=team, withdrawn_at=None).exists()


def test_asking_the_same_team_again_after_stopping_shares_again_and_reopens_the_record(
    team: Team, member: TeamMember, sam: Person
) -> None:
    # given
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.SUPPORTED)
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    # when
    again = ask_for(team, person=sam)
    # then
    again.refresh_from_db()
    assert (again.team, again.involvement, again.worker) == (team, involvement, member)
    in_force = Consent.objects.get(team=team, withdrawn_at=None)
    assert (in_force.how_given, in_force.ask) == (ConsentHow.ASKED, again)
    assert Consent.objects.filter(team=team).count() == 2


# The person's own choices.


def test_stopping_keeps_the_history_and_sharing_again_is_a_new_decision(
    team: Team, sam: Person
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask_for(team, person=sam)
    # when
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        consent_withdraw(person=sam, consent=_sharing(sam, team))
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        again = consent_share(person=sam, team=team)
    # then
    rows = list(
        Consent.objects.order_by("given_at").values_list("how_given", "given_at", "withdrawn_at")
    )
    assert rows == [
        ("asked", START, START + dt.timedelta(days=1)),
        ("chose", START + dt.timedelta(days=2), None),
    ]
    assert again.is_in_force
    assert [action for _, _, action, _ in _events(sam)] == ["share", "withdraw", "share"]
    assert {actor for actor, *_ in _events(sam)} == {"person"}


def test_stopping_twice_or_sharing_twice_is_refused_and_changes_nothing(
    team: Team, sam: Person
) -> None:
    # given
    ask_for(team, person=sam)
    consent = _sharing(sam, team)
    # when / then
    with pytest.raises(ValidationFailed, match="You already share your record with Brixton"):
        consent_share(person=sam, team=team)
    consent_withdraw(person=sam, consent=consent)
    with pytest.raises(ValidationFailed, match="You already stopped sharing"):
        consent_withdraw(person=sam, consent=consent)
    assert Consent.objects.count() == 1
    assert [action for _, _, action, _ in _events(sam)] == ["share", "withdraw"]


def test_nobody_can_stop_another_persons_sharing(team: Team, sam: Person) -> None:
    # given
    ask_for(team, person=sam)
    alex = person_make(email="alex@example.com")
    # when
    with pytest.raises(ValidationFailed):
        consent_withdraw(person=alex, consent=_sharing(sam, team))
    # then
    assert _sharing(sam, team).withdrawn_at is None


def test_withholding_needs_one_of_the_teams_organisations_matched_whatever_the_spacing_or_case(
    team: Team, member: TeamMember, colleague: TeamMember, sam: Person
) -> None:
    # given
    ask_for(team, person=sam)
    # when
    with pytest.raises(ValidationFailed, match="Choose an organisation in the team"):
        consent_withhold(person=sam, team=team, organisation_name="Nowhere surgery")
    withheld = consent_withhold(
        person=sam, team=team, organisation_name="  stockwell GP   Practice "
    )
    # then
    assert withheld.withheld_organisation_name == "Stockwell GP practice"
    assert Consent.objects.exclude(withheld_organisation_name="").count() == 1
    with pytest.raises(ValidationFailed, match="already cannot see your record"):
        consent_withhold(person=sam, team=team, organisation_name="Stockwell GP practice")
    assert consent_withheld_organisations(person_id=sam.pk, team=team) == ["Stockwell GP practice"]


def test_the_database_holds_one_decision_in_force_per_team_and_organisation(
    team: Team, sam: Person
) -> None:
    # given
    ask_for(team, person=sam)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(person=sam, team=team, how_given="chose", given_at=START)
    Consent.objects.create(
        person=sam,
        team=team,
        how_given="chose",
        given_at=START,
        withheld_organisation_name="Brixton Mind",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            person=sam,
            team=team,
            how_given="chose",
            given_at=START,
            withheld_organisation_name="BRIXTON MIND",
        )


def test_closing_an_account_stops_sharing_with_every_team_and_keeps_the_decisions(
    team: Team, other_team: Team, sam: Person
) -> None:
    # given
    ask_for(team, person=sam)
    consent_share(person=sam, team=other_team)
    # when
    ended = consents_end_for_person(person=sam)
    # then
    assert ended == 2
    assert Consent.objects.count() == 2
    assert not Consent.objects.filter(withdrawn_at=None).exists()
    assert [p for *_, p in _events(sam, action="withdraw")] == ["close_account"] * 2


def test_the_persons_sharing_page_data_lists_teams_organisations_and_history(
    team: Team,
    other_team: Team,
    member: TeamMember,
    colleague: TeamMember,
    outsider: TeamMember,
    sam: Person,
    django_assert_num_queries: Any,
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        ask_for(team, person=sam)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        consent_withhold(person=sam, team=team, organisation_name="Stockwell GP practice")
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        consent_share(person=sam, team=other_team)
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False):
        consent_withdraw(person=sam, consent=_sharing(sam, other_team))
    # when
    with django_assert_num_queries(4):
        sharing = sharing_for_person(person=sam)
    # then
    assert [(item.team, item.is_shared, item.open_asks) for item in sharing.teams] == [
        (team, True, 1),
        (other_team, False, 0),
    ]
    brixton = sharing.teams[0]
    assert [(o.name, o.withholding is not None) for o in brixton.organisations] == [
        ("Brixton Mind", False),
        ("Stockwell GP practice", True),
    ]
    assert sharing.teams_to_share_with == [other_team]
    assert [(event.kind, event.consent.team) for event in sharing.history] == [
        ("stopped", other_team),
        ("shared", other_team),
        ("withheld", team),
        ("shared", team),
    ]


# What staff can see.


def test_a_team_the_person_stopped_sharing_with_gets_404_for_their_ask_and_involvement(
    team: Team, member: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    # when / then
    with pytest.raises(Http404):
        access_ask(picked_up.pk, member=member, purpose=Purpose.ASK)
    with pytest.raises(Http404):
        access_involvement(picked_up.involvement_id, member=member)  # type: ignore[arg-type]
    # the refusals are in the person's log, so they see who tried
    refused = AuditEvent.objects.filter(person_id=sam.pk, outcome="denied")
    assert sorted(refused.values_list("actor_id", "subject_type", "subject_id")) == sorted(
        [
            (str(member.user_id), "ask", str(picked_up.pk)),
            (str(member.user_id), "involvement", str(picked_up.involvement_id)),
        ]
    )


def test_sharing_again_lets_the_team_see_the_ask_and_involvement_again(
    team: Team, member: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    # when
    consent_share(person=sam, team=team)
    # then
    assert access_ask(picked_up.pk, member=member) == picked_up
    assert access_involvement(picked_up.involvement_id, member=member).pk == (  # type: ignore[arg-type]
        picked_up.involvement_id
    )


def test_a_member_of_a_withheld_organisation_gets_404_and_a_colleague_from_another_still_sees(
    team: Team, member: TeamMember, colleague: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given: Sam keeps their record from Stockwell GP practice, where Jo works
    consent_withhold(person=sam, team=team, organisation_name="Stockwell GP practice")
    # when / then
    with pytest.raises(Http404):
        access_ask(picked_up.pk, member=colleague)
    with pytest.raises(Http404):
        access_involvement(picked_up.involvement_id, member=colleague)  # type: ignore[arg-type]
    assert access_ask(picked_up.pk, member=member) == picked_up
    assert access_involvement(picked_up.involvement_id, member=member).person == sam  # type: ignore[arg-type]


def test_allowing_an_organisation_again_lets_its_members_see(
    team: Team, colleague: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given
    withheld = consent_withhold(person=sam, team=team, organisation_name="Stockwell GP practice")
    # when
    consent_allow(person=sam, consent=withheld)
    # then
    assert access_ask(picked_up.pk, member=colleague) == picked_up


def test_an_ask_with_no_person_yet_is_seen_by_the_team_it_went_to(
    team: Team, member: TeamMember
) -> None:
    # given
    ask = ask_for(team, contact_method="email", contact_email="someone@example.com")
    # when
    seen = access_ask(ask.pk, member=member)
    # then
    assert seen == ask


def test_the_board_leaves_out_people_who_stopped_sharing_or_withheld_the_members_organisation(
    team: Team, member: TeamMember, colleague: TeamMember
) -> None:
    # given: four people asked the team; one stopped sharing, one withheld Stockwell GP practice
    people = {name: person_make(email=f"{name}@example.com") for name in ("kai", "lou", "mo")}
    asks = {name: ask_for(team, person=person) for name, person in people.items()}
    asks["anon"] = ask_for(team, contact_method="email", contact_email="anon@example.com")
    consent_withdraw(person=people["lou"], consent=_sharing(people["lou"], team))
    consent_withhold(person=people["mo"], team=team, organisation_name="Stockwell GP practice")
    now = START + dt.timedelta(days=400)
    # when
    for_alex = access_huddle_board(member=member, now=now)
    for_jo = access_huddle_board(member=colleague, now=now)
    # then
    assert {item.ask.pk for item in for_alex.new_asks} == {
        asks["kai"].pk,
        asks["mo"].pk,
        asks["anon"].pk,
    }
    assert {item.ask.pk for item in for_jo.new_asks} == {asks["kai"].pk, asks["anon"].pk}
    shown_to_jo = AuditEvent.objects.get(actor_id=str(colleague.user_id), purpose="huddle")
    assert shown_to_jo.person_ids == [str(people["kai"].pk)]


def test_the_board_leaves_out_involvements_due_today_of_someone_who_stopped_sharing(
    team: Team, member: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given: a next step due today with Sam
    assert picked_up.involvement_id is not None
    Involvement.objects.filter(pk=picked_up.involvement_id).update(
        next_step="Call back", next_step_due_on=START.date()
    )
    assert [i.pk for i in huddle_board_for_team(team=team, now=START).next_steps_due] == [
        picked_up.involvement_id
    ]
    # when
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    # then
    assert list(huddle_board_for_team(team=team, now=START).next_steps_due) == []


@pytest.mark.parametrize("count", [1, 6])
def test_the_board_takes_the_same_number_of_queries_however_many_asks_and_consents(
    team: Team,
    member: TeamMember,
    colleague: TeamMember,
    count: int,
    django_assert_num_queries: Any,
) -> None:
    # given: people with every kind of decision, and next steps due
    for n in range(count):
        person = person_make(email=f"person{n}@example.com")
        ask = ask_for(team, person=person)
        if n % 3 == 1:
            consent_withhold(person=person, team=team, organisation_name="Stockwell GP practice")
        if n % 3 == 2:
            involvement = ask_pick_up(ask=ask, member=member)
            Involvement.objects.filter(pk=involvement.pk).update(next_step_due_on=START.date())
            consent_withdraw(person=person, consent=_sharing(person, team))
            consent_share(person=person, team=team)
    # when / then: one per section (new asks, next steps due, same-day calls, returning people);
    # nothing per ask or per consent
    with django_assert_num_queries(4):
        board = huddle_board_for_team(
            team=team, now=START, organisation_name=colleague.organisation_name
        )
    withheld = [n for n in range(count) if n % 3 == 1]
    due = [n for n in range(count) if n % 3 == 2]
    assert (len(board.new_asks), len(board.next_steps_due)) == (count - len(withheld), len(due))


def test_the_filter_shows_an_involvement_with_no_person(team: Team, member: TeamMember) -> None:
    # given: the team picked up an ask from someone not signed in
    ask = ask_for(team, contact_method="email", contact_email="someone@example.com")
    involvement = ask_pick_up(ask=ask, member=member)
    # when
    visible = Involvement.objects.filter(consent_visible_q(team=team, organisation_name="x"))
    # then
    assert list(visible) == [involvement]


def test_over_http_a_team_the_person_stopped_sharing_with_gets_404(
    client: Client, team: Team, member: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given
    consent_withdraw(person=sam, consent=_sharing(sam, team))
    sign_in_staff(client, member.user)
    # when
    ask_page = client.get(reverse("care:ask_show", args=[picked_up.pk]))
    record = client.get(reverse("care:involvement_show", args=[picked_up.involvement_id]))
    board = client.get(reverse("care:huddle_board"))
    # then
    assert (ask_page.status_code, record.status_code, board.status_code) == (404, 404, 200)
    assert picked_up.reference not in board.text
    assert picked_up.text not in ask_page.text


def test_a_new_member_of_a_withheld_organisation_cannot_see_either(
    team: Team, member: TeamMember, sam: Person, picked_up: Ask
) -> None:
    # given: Sam withheld Brixton Mind; then someone else from there joins the team
    consent_withhold(person=sam, team=team, organisation_name="Brixton Mind")
    newcomer = member_make(team=team, username="rio", organisation_name="brixton mind")
    # when / then
    with pytest.raises(Http404):
        access_ask(picked_up.pk, member=newcomer)


def test_the_data_migration_shares_by_the_asks_people_sent_before_consents_existed(
    team: Team, other_team: Team, sam: Person
) -> None:
    # given: asks saved before consents existed (straight into the table), one restricted
    def old_ask(reference: str, at: dt.datetime, **fields: Any) -> Ask:
        ask = Ask.objects.create(
            reference=reference, text="Fictional.", contact_method="none", **fields
        )
        Ask.objects.filter(pk=ask.pk).update(created_at=at)
        return ask

    first = old_ask("KTH-OLD1-01", START, person=sam, team=team)
    old_ask("KTH-OLD1-02", START + dt.timedelta(days=1), person=sam, team=team)
    old_ask("KTH-OLD1-03", START, person=sam, team=other_team, restricted_at=START)
    old_ask("KTH-OLD1-04", START, team=team)
    migration = importlib.import_module("kith.care.migrations.0006_consent_from_asks")
    # the models as they were when the migration ran (Consent has moved app since)
    historical = MigrationLoader(connection).project_state(("care", "0006_consent_from_asks")).apps
    # when
    migration.share_by_earlier_asks(historical, None)
    migration.share_by_earlier_asks(historical, None)  # a second run adds nothing
    # then
    consent = Consent.objects.get()
    assert (consent.person, consent.team, consent.how_given, consent.ask_id) == (
        sam,
        team,
        ConsentHow.ASKED,
        first.pk,
    )
    assert consent.given_at == START
    assert _events(sam) == [("system", "", "share", "asked_before_consents")]


def test_the_record_tells_the_team_which_organisations_the_person_keeps_it_from(
    client: Client,
    team: Team,
    member: TeamMember,
    colleague: TeamMember,
    sam: Person,
    picked_up: Ask,
) -> None:
    # given: Sam keeps their record from Stockwell GP practice, where Jo works
    sign_in_staff(client, member.user)
    url = reverse("care:involvement_show", args=[picked_up.involvement_id])
    assert "app-withheld" not in client.get(url).text
    consent_withhold(person=sam, team=team, organisation_name="Stockwell GP practice")
    # when Alex, from another organisation, opens the record
    page = client.get(url)
    # then
    assert page.status_code == 200
    assert "Stockwell GP practice" in text(page, ".app-withheld")
