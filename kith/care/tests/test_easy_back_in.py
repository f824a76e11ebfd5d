"""Easy back in, signed in or not (issue 9, "Finding the way in and back").

Someone the team worked with who asks again with the same email address or mobile number goes
back to the same worker, but only on a contact they have PROVED (`Person.email_verified_at`,
`phone_verified_at`): never on one only typed, and the match is in their "Who has looked at my
record". Whoever types a contact without signing in has proved nothing, so the match changes
nothing they can see: the ask stays with the team it was sent to (its name is on the
confirmation page), and goes back to another team only once the person signs in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kith.asks.models import Ask, Outcome
from kith.asks.services import asks_claim_for_person
from kith.audit.models import AuditEvent
from kith.care.consent import consent_for_person, consent_withdraw
from kith.care.models import Involvement, InvolvementStatus
from kith.care.services import ask_pick_up, involvement_close
from kith.care.tests.factories import ask_for
from kith.core.testing import html, one, text
from kith.people.models import PendingContact, Person
from kith.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db


def _known(team: Team, member: TeamMember, **person: Any) -> tuple[Person, Involvement]:
    """Sam, who asked signed in, was supported by `member` and closed with an open door."""
    values: dict[str, Any] = {
        "email": "sam@example.com",
        "email_verified_at": timezone.now() - dt.timedelta(days=60),
        "display_name": "Sam",
        **person,
    }
    sam = Person.objects.create(**values)
    involvement = ask_pick_up(ask=ask_for(team, person=sam), member=member)
    involvement_close(involvement=involvement, member=member, outcome=Outcome.SUPPORTED)
    return sam, involvement


def test_given_a_proved_email_when_they_ask_again_signed_out_then_the_same_worker_and_record(
    team: Team, member: TeamMember
) -> None:
    # given
    sam, involvement = _known(team, member)
    # when: they ask again without signing in, with the same email address in other capitals
    again = ask_for(team, contact_method="email", contact_email="Sam@Example.com")
    # then: back with the worker they know, the record open again, the ask not yet theirs
    again.refresh_from_db()
    involvement.refresh_from_db()
    assert (again.team, again.worker, again.involvement) == (team, member, involvement)
    assert (involvement.status, involvement.reopened_count) == (InvolvementStatus.OPEN, 1)
    assert again.person is None
    event = AuditEvent.objects.get(purpose="return_by_verified_email")
    assert (event.person_id, event.actor_type, event.subject_id) == (
        sam.pk,
        "system",
        str(involvement.pk),
    )


def test_given_a_proved_mobile_when_they_ask_again_by_text_then_the_same_worker(
    team: Team, member: TeamMember
) -> None:
    # given: Sam proved their mobile number (and has no email address)
    sam, involvement = _known(
        team,
        member,
        email="",
        email_verified_at=None,
        phone="+447700900123",
        phone_verified_at=timezone.now(),
    )
    # when
    again = ask_for(team, contact_method="text", contact_phone="07700 900123")
    # then
    again.refresh_from_db()
    assert (again.worker, again.involvement) == (member, involvement)
    assert AuditEvent.objects.get(purpose="return_by_verified_phone").person_id == sam.pk


def test_given_the_match_when_the_person_looks_then_who_has_looked_says_so(
    client: Client, team: Team, member: TeamMember
) -> None:
    # given
    sam, _involvement = _known(team, member)
    ask_for(team, contact_method="email", contact_email="sam@example.com")
    session = client.session
    session["person_id"] = str(sam.pk)
    session.save()
    # when
    page = text(client.get(reverse("people:access_log")), "main")
    # then
    assert "sent a new ask made with your email address to the worker you know in the team" in page
    assert "you have proved this email address is yours; we never match on one you have not" in (
        page
    )


@pytest.mark.parametrize(
    "unproved",
    [
        {"email_verified_at": None},  # typed into their account before proof was asked for
        {"closed_at": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)},  # a closed account
    ],
    ids=["never proved", "account closed"],
)
def test_given_an_email_nobody_open_has_proved_when_someone_asks_with_it_then_no_match(
    team: Team, member: TeamMember, unproved: dict[str, Any]
) -> None:
    # given
    sam, involvement = _known(team, member)
    Person.objects.filter(pk=sam.pk).update(**unproved)
    # when
    again = ask_for(team, contact_method="email", contact_email="sam@example.com")
    # then: a new ask like anyone's, nothing reopened, nothing in their log
    again.refresh_from_db()
    involvement.refresh_from_db()
    assert (again.worker, again.involvement) == (None, None)
    assert involvement.status == InvolvementStatus.CLOSED
    assert not AuditEvent.objects.filter(purpose__startswith="return_by_verified").exists()


def test_given_an_email_only_waiting_for_its_code_when_someone_asks_with_it_then_no_match(
    team: Team, member: TeamMember
) -> None:
    # given: Sam typed a new address into their account but never entered the code
    sam, involvement = _known(team, member)
    PendingContact.objects.create(
        person=sam,
        kind="email",
        contact="sam.new@example.com",
        token_hash="0" * 64,
        expires_at=timezone.now() + dt.timedelta(minutes=10),
    )
    # when
    again = ask_for(team, contact_method="email", contact_email="sam.new@example.com")
    # then
    again.refresh_from_db()
    assert (again.worker, again.involvement) == (None, None)


def test_given_an_email_and_a_phone_proved_by_two_people_when_both_are_given_then_no_guess(
    team: Team, member: TeamMember
) -> None:
    # given
    _known(team, member)
    Person.objects.create(phone="+447700900123", phone_verified_at=timezone.now())
    # when
    again = ask_for(
        team,
        contact_method="email",
        contact_email="sam@example.com",
        contact_phone="07700 900123",
    )
    # then
    again.refresh_from_db()
    assert (again.worker, again.involvement) == (None, None)


def test_given_they_stopped_sharing_with_the_team_when_they_ask_signed_out_then_no_match(
    team: Team, member: TeamMember
) -> None:
    # given
    sam, involvement = _known(team, member)
    consent = consent_for_person(consent_id=sam.consents.get().pk, person=sam)
    assert consent is not None
    consent_withdraw(person=sam, consent=consent)
    # when
    again = ask_for(team, contact_method="email", contact_email="sam@example.com")
    # then: the ask is the team's like anyone's; their closed record stays closed
    again.refresh_from_db()
    involvement.refresh_from_db()
    assert (again.team, again.worker, again.involvement) == (team, None, None)
    assert involvement.status == InvolvementStatus.CLOSED


def test_given_a_match_in_another_team_when_they_ask_signed_out_then_it_waits_for_sign_in(
    team: Team, other_team: Team, member: TeamMember
) -> None:
    # given: Sam was supported in Brixton, and now asks from Vauxhall without signing in
    sam, involvement = _known(team, member)
    again = ask_for(other_team, contact_method="email", contact_email="sam@example.com")
    again.refresh_from_db()
    assert (again.team, again.worker, again.involvement) == (other_team, None, None)
    # when: Sam signs in with that email address
    asks_claim_for_person(person=sam, email="sam@example.com")
    # then: back with Brixton and the worker they know
    again.refresh_from_db()
    assert (again.team, again.worker, again.involvement) == (team, member, involvement)


def _ask_on_the_web(client: Client, email: str) -> Any:
    pages = [
        ("/ask/what-is-happening/", {"text": "Things are hard again since the winter came"}),
        ("/ask/what-would-help/", {"what_would_help": "", "what_matters": ""}),
        (
            "/ask/how-to-reach-you/",
            {"contact_method": "email", "contact_email": email, "contact_times": ""},
        ),
        ("/ask/language-and-access/", {"language": "", "needs_interpreter": "no"}),
        ("/ask/about-you/", {"postcode": "SW9 8EJ"}),
    ]
    for path, data in pages:
        assert client.post(path, data).status_code == 302, path
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    sent = client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    return client.get(sent["Location"])


def test_given_a_match_when_the_confirmation_shows_then_it_reads_as_anyone_elses_would(
    team: Team, member: TeamMember
) -> None:
    # given: Sam is known by their proved email; Alex is not known at all
    _known(team, member)
    # when
    matched = html(_ask_on_the_web(Client(), "sam@example.com"))
    unknown = html(_ask_on_the_web(Client(), "alex@example.com"))
    # then: the same page but for the reference and the address it was sent to
    asks = {ask.contact_email: ask for ask in Ask.objects.filter(person__isnull=True)}
    assert asks["sam@example.com"].worker == member
    assert asks["alex@example.com"].worker is None

    def page(soup: Any, ask: Ask) -> str:
        return (
            text(soup, "main")
            .replace(ask.reference, "REFERENCE")
            .replace(ask.contact_email, "EMAIL")
        )

    assert page(matched, asks["sam@example.com"]) == page(unknown, asks["alex@example.com"])
