"""Changing contact details: a new email address or mobile number counts only once proved.

A detail typed on /my/contact/ waits as a pending contact until the code sent to it comes back;
sign-in and claiming asks use proved contacts only (issue 8, point 1).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kith.asks.models import Ask
from kith.audit.events import Action, Purpose
from kith.audit.models import AuditEvent
from kith.audit.services import audit
from kith.core.testing import text
from kith.people.models import PendingContact, Person, SignInToken
from kith.people.tests.conftest import make_ask, outbox_messages

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/sign-in/link/[^/\s]+/)")
CODE = re.compile(r"\b(\d{6})\b")
START = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def _last_code(outbox: Path, to: str) -> str:
    bodies = [m["body"] for m in outbox_messages(outbox) if m["to"] == to]
    assert bodies, f"nothing was sent to {to}"
    match = CODE.search(bodies[-1])
    assert match is not None
    return match.group(1)


def _sign_in_by_text(client: Client, outbox: Path, phone: str) -> Person:
    client.post(reverse("people:sign_in_text"), {"phone": phone})
    number = "+44" + phone.replace(" ", "")[1:]
    response = client.post(reverse("people:sign_in_code"), {"code": _last_code(outbox, number)})
    assert response["Location"] == reverse("people:record")
    return Person.objects.get(id=client.session["person_id"])


def _sign_in_by_link(client: Client, outbox: Path, email: str) -> Person:
    client.post(reverse("people:sign_in"), {"email": email})
    bodies = [m["body"] for m in outbox_messages(outbox) if m["to"] == email]
    match = LINK.search(bodies[-1])
    assert match is not None
    response = client.post(match.group(1))
    assert response["Location"] == reverse("people:record")
    return Person.objects.get(id=client.session["person_id"])


def _contact(client: Client, **fields: str) -> Any:
    data = {"display_name": "", "email": "", "phone": "", "preferred_contact": "email"}
    data.update(fields)
    return client.post(reverse("people:contact"), data)


@pytest.fixture
def sam(client: Client, outbox: Path) -> Person:
    """Sam, signed in by email link: their email address is proved."""
    return _sign_in_by_link(client, outbox, "sam@example.com")


# The attack the probe walked


def test_given_an_attacker_sets_the_victims_email_when_the_victim_asks_and_signs_in_then_the_ask_is_the_victims_alone(  # noqa: E501
    outbox: Path,
) -> None:
    # given: the attacker signs in by text and puts the victim's email address on their account
    attacker = Client()
    attacker_person = _sign_in_by_text(attacker, outbox, "07700 900 111")
    _contact(attacker, email="robin@example.com", phone="07700900111")
    # when: the victim, who has no account, asks for help with that email and signs in by link
    victim = Client()
    asked = victim.post(
        "/api/v1/asks",
        json.dumps(
            {
                "text": "I have not slept properly for weeks and I feel on edge.",
                "contact_method": "email",
                "contact_email": "robin@example.com",
            }
        ),
        content_type="application/json",
    )
    assert asked.status_code == 201
    victim_person = _sign_in_by_link(victim, outbox, "robin@example.com")
    # then: a new account of their own, holding their ask
    ask = Ask.objects.get(reference=asked.json()["reference"])
    assert victim_person.id != attacker_person.id
    assert (victim_person.email, victim_person.phone) == ("robin@example.com", "")
    assert ask.person_id == victim_person.id
    assert ask.reference in text(victim.get(reverse("people:record")), "main")
    # and the attacker's account sees nothing of it
    attacker_person.refresh_from_db()
    assert attacker_person.email == ""
    assert not Ask.objects.filter(person=attacker_person).exists()
    attacker_record = attacker.get(reverse("people:record"))
    assert ask.reference not in attacker_record.content.decode()
    assert "You have no asks in your record yet." in text(attacker_record, "main")
    assert attacker.get(reverse("asks:ask_show", args=[ask.pk])).status_code == 404


# Changing an email address or a mobile number


def test_given_a_new_email_when_saved_then_it_waits_for_the_code_and_the_old_one_stays(
    client: Client, outbox: Path, sam: Person
) -> None:
    # when
    response = _contact(client, display_name="Sam", email="sam.new@example.com")
    page = client.get(response["Location"])
    # then
    assert response["Location"] == reverse("people:contact_confirm")
    assert text(page, "h1") == "Confirm your new email address"
    assert text(page, "#contact-confirm-sent") == (
        "We've sent a code to sam.new@example.com. Enter it to confirm this email address. "
        "It lasts 10 minutes."
    )
    assert text(page, "#contact-confirm-until") == (
        "Until you do, we keep using your old email address, sam@example.com."
    )
    sam.refresh_from_db()
    assert (sam.display_name, sam.email) == ("Sam", "sam@example.com")
    message = outbox_messages(outbox)[-1]
    assert (message["kind"], message["to"]) == ("email", "sam.new@example.com")
    pending = PendingContact.objects.get(person=sam)
    assert (pending.kind, pending.contact) == ("email", "sam.new@example.com")
    assert _last_code(outbox, "sam.new@example.com") not in pending.token_hash
    assert len(pending.token_hash) == 64


def test_given_the_code_for_a_new_email_when_entered_then_it_becomes_the_persons_email(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    _contact(client, email="sam.new@example.com")
    code = _last_code(outbox, "sam.new@example.com")
    # when
    response = client.post(reverse("people:contact_confirm"), {"code": code})
    page = client.get(response["Location"])
    # then
    assert response["Location"] == reverse("people:contact")
    assert text(page, ".nhsuk-notification-banner") == (
        "Success Your email address is now sam.new@example.com."
    )
    sam.refresh_from_db()
    assert sam.email == "sam.new@example.com"
    assert sam.email_verified_at is not None
    assert not PendingContact.objects.exists()
    assert list(
        AuditEvent.objects.filter(action="change", person_id=sam.id).values_list(
            "purpose", flat=True
        )
    ) == ["contact_details"]


def test_given_a_new_mobile_when_saved_then_a_code_goes_by_text_and_confirms_it(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    response = _contact(client, email="sam@example.com", phone="07700 900 456")
    message = outbox_messages(outbox)[-1]
    page = client.get(response["Location"])
    # when
    client.post(reverse("people:contact_confirm"), {"code": _last_code(outbox, "+447700900456")})
    # then
    assert (message["kind"], message["to"]) == ("sms", "+447700900456")
    assert text(page, "h1") == "Confirm your new mobile number"
    assert text(page, "#contact-confirm-until") == (
        "Until you do, we will not use this mobile number."
    )
    sam.refresh_from_db()
    assert (sam.email, sam.phone) == ("sam@example.com", "+447700900456")
    assert sam.phone_verified_at is not None


def test_given_a_new_email_and_mobile_when_saved_then_each_is_confirmed_in_turn(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    _contact(client, email="sam.new@example.com", phone="07700900456", preferred_contact="text")
    # when
    first = client.post(
        reverse("people:contact_confirm"), {"code": _last_code(outbox, "sam.new@example.com")}
    )
    second_page = client.get(reverse("people:contact_confirm"))
    second = client.post(
        reverse("people:contact_confirm"), {"code": _last_code(outbox, "+447700900456")}
    )
    # then
    assert first["Location"] == reverse("people:contact_confirm")
    assert text(second_page, "h1") == "Confirm your new mobile number"
    assert second["Location"] == reverse("people:contact")
    sam.refresh_from_db()
    assert (sam.email, sam.phone, sam.preferred_contact) == (
        "sam.new@example.com",
        "+447700900456",
        "text",
    )


def test_given_a_wrong_or_late_code_when_entered_then_the_old_email_stays(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    with time_machine.travel(START, tick=False):
        _contact(client, email="sam.new@example.com")
    code = _last_code(outbox, "sam.new@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    # when
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        answers = [client.post(reverse("people:contact_confirm"), {"code": wrong})]
    with time_machine.travel(START + dt.timedelta(minutes=11), tick=False):
        answers.append(client.post(reverse("people:contact_confirm"), {"code": code}))
    # then
    assert [r.status_code for r in answers] == [200, 200]
    assert [text(r, "#id_code-error") for r in answers] == [
        "Error: The code is not right or has expired. Check it, or get a new code."
    ] * 2
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"


def test_given_five_wrong_codes_when_the_right_one_is_entered_then_it_fails(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    _contact(client, email="sam.new@example.com")
    code = _last_code(outbox, "sam.new@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(reverse("people:contact_confirm"), {"code": wrong})
    # when
    response = client.post(reverse("people:contact_confirm"), {"code": code})
    # then
    assert response.status_code == 200
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"


def test_given_a_pending_email_when_another_person_enters_its_code_then_nothing_changes(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given: Sam's new address waits for its code; Alex is signed in elsewhere
    _contact(client, email="sam.new@example.com")
    alex = Client()
    alex_person = _sign_in_by_link(alex, outbox, "alex@example.com")
    code = _last_code(outbox, "sam.new@example.com")
    # when
    response = alex.post(reverse("people:contact_confirm"), {"code": code})
    # then
    assert response["Location"] == reverse("people:contact")
    alex_person.refresh_from_db()
    assert alex_person.email == "alex@example.com"
    assert PendingContact.objects.get().person_id == sam.id


def test_given_only_a_name_or_a_choice_changes_when_saved_then_it_is_stored_at_once(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    sent_before = len(outbox_messages(outbox))
    # when
    response = _contact(client, display_name="Sammy", email="sam@example.com")
    # then
    assert response["Location"] == reverse("people:record")
    sam.refresh_from_db()
    assert sam.display_name == "Sammy"
    assert len(outbox_messages(outbox)) == sent_before
    assert not PendingContact.objects.exists()


def test_given_an_email_removed_when_saved_then_it_goes_at_once(
    client: Client, outbox: Path, sam: Person
) -> None:
    # when
    response = _contact(client, email="", phone="", preferred_contact="none")
    # then
    assert response["Location"] == reverse("people:record")
    sam.refresh_from_db()
    assert (sam.email, sam.email_verified_at, sam.preferred_contact) == ("", None, "none")


def test_given_a_confirmed_new_email_when_unclaimed_asks_have_it_then_they_are_claimed(
    client: Client, outbox: Path, sam: Person
) -> None:
    # given
    ask = make_ask(reference="KTH-NEWS-01", contact_email="sam.new@example.com")
    _contact(client, email="sam.new@example.com")
    assert Ask.objects.get(pk=ask.pk).person_id is None
    # when
    client.post(
        reverse("people:contact_confirm"), {"code": _last_code(outbox, "sam.new@example.com")}
    )
    # then
    ask.refresh_from_db()
    assert ask.person_id == sam.id


def test_given_too_many_codes_when_another_is_asked_for_then_a_clear_error(
    client: Client, outbox: Path, sam: Person, settings: object
) -> None:
    # given
    settings.KITH_SIGN_IN_SENDS_PER_CONTACT = 2  # type: ignore[attr-defined]
    for _ in range(2):
        _contact(client, email="sam.new@example.com")
    # when
    response = _contact(client, email="sam.new@example.com")
    # then
    assert response.status_code == 200
    assert text(response, "#id_email-error") == (
        "Error: We have sent a lot of codes to this email address. Try again in an hour."
    )
    assert len([m for m in outbox_messages(outbox) if m["to"] == "sam.new@example.com"]) == 2


def test_given_nothing_pending_when_the_confirm_page_is_opened_then_back_to_contact(
    client: Client, sam: Person
) -> None:
    response = client.get(reverse("people:contact_confirm"))

    assert response["Location"] == reverse("people:contact")


def test_given_an_unproved_email_on_record_when_the_contact_page_opens_then_it_says_so(
    client: Client,
) -> None:
    # given: an account from before contacts were proved, with an email nobody proved
    person = Person.objects.create(email="sam@example.com", phone="+447700900123")
    Person.objects.filter(pk=person.pk).update(phone_verified_at=timezone.now())
    session = client.session
    session["person_id"] = str(person.id)
    session.save()
    # when
    page = client.get(reverse("people:contact"))
    # then
    assert text(page, "#id_email-hint") == (
        "Not confirmed yet, so we do not use it. Select Save to get a code to confirm it."
    )
    assert text(page, "#id_phone-hint") == "A UK mobile number, like 07700 900 982"


# Contacts stored before this change: which count as proved (the data migration)


def test_given_stored_contacts_when_the_migration_runs_then_only_proved_ones_count() -> None:
    # given
    now = timezone.now()
    signed_in = Person.objects.create(email="sam@example.com", phone="+447700900123")
    SignInToken.objects.create(
        kind="link",
        contact="sam@example.com",
        token_hash="a" * 64,
        person=signed_in,
        expires_at=now,
        used_at=now,
    )
    audit(signed_in, signed_in, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
    typed = Person.objects.create(email="robin@example.com", phone="+447700900111")
    SignInToken.objects.create(
        kind="code",
        contact="+447700900111",
        token_hash="b" * 64,
        person=typed,
        expires_at=now,
        used_at=now,
    )
    audit(typed, typed, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
    Person.objects.create(email="ash@example.com")
    unused = Person.objects.create(phone="+447700900222")
    SignInToken.objects.create(
        kind="code",
        contact="+447700900222",
        token_hash="c" * 64,
        person=unused,
        expires_at=now,
    )
    audit(unused, unused, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
    Person.objects.update(email_verified_at=None, phone_verified_at=None)
    migration = importlib.import_module("kith.people.migrations.0003_contacts_proved")
    # when
    migration.mark_proved_contacts(apps, None)
    # then
    proved = {
        p.email or p.phone: (p.email_verified_at is not None, p.phone_verified_at is not None)
        for p in Person.objects.all()
    }
    assert proved == {
        "sam@example.com": (True, False),  # signed in with the email; the phone was typed
        "robin@example.com": (False, True),  # signed in by text, then typed the email
        "ash@example.com": (True, False),  # never changed: the contact they were made with
        "+447700900222": (False, False),  # a code was sent but never used, after a change
    }
