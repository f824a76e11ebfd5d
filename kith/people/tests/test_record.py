"""The person's own record: asks, contact details, download, closing, who has looked."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kith.asks.models import Ask, AskNote
from kith.audit.events import Action, Purpose, SubjectType
from kith.audit.models import AuditEvent
from kith.audit.services import Actor, audit
from kith.core.testing import html, one, text
from kith.people.models import Person, SignInToken
from kith.people.tests.conftest import make_ask

pytestmark = pytest.mark.django_db


def _signed_in(client: Client, person: Person) -> Client:
    session = client.session
    session["person_id"] = str(person.id)
    session.save()
    return client


@pytest.fixture
def sam() -> Person:
    return Person.objects.create(display_name="Sam", email="sam@example.com", phone="+447700900123")


@pytest.fixture
def alex() -> Person:
    return Person.objects.create(display_name="Alex", email="alex@example.com")


@pytest.mark.parametrize(
    "name", ["record", "contact", "download", "download_json", "close", "access_log"]
)
def test_given_nobody_signed_in_when_a_record_page_is_asked_for_then_sign_in_comes_first(
    client: Client, name: str
) -> None:
    response = client.get(reverse(f"people:{name}"))

    assert response.status_code == 302
    assert response["Location"] == reverse("people:sign_in")


def test_given_a_person_with_asks_when_they_open_their_record_then_they_see_only_theirs(
    client: Client, sam: Person, alex: Person
) -> None:
    mine = make_ask(reference="KTH-SAMS-01", person=sam)
    AskNote.objects.create(ask=mine, person=sam, text="I can talk on Tuesdays.")
    make_ask(reference="KTH-ALEX-01", person=alex, contact_email="alex@example.com")

    response = _signed_in(client, sam).get(reverse("people:record"))

    cards = html(response).select(".app-ask-card")
    assert [text(card, "h3") for card in cards] == ["Ask KTH-SAMS-01"]
    assert "New" in text(cards[0], ".nhsuk-tag")
    assert "1 note" in text(cards[0], ".nhsuk-summary-list")
    assert response["Cache-Control"] == "no-store"


def test_given_new_contact_details_when_saved_then_they_change_and_the_change_is_audited(
    client: Client, sam: Person
) -> None:
    # given: Sam's email address and mobile number were proved when they signed in
    Person.objects.filter(pk=sam.pk).update(
        email_verified_at=timezone.now(), phone_verified_at=timezone.now()
    )
    # when: a new name, no email, the same mobile written another way, texts preferred
    response = _signed_in(client, sam).post(
        reverse("people:contact"),
        {
            "display_name": "Sammy",
            "email": "",
            "phone": "+44 (0)7700 900123",
            "preferred_contact": "text",
        },
    )
    # then: stored at once, nothing to confirm
    assert response["Location"] == reverse("people:record")
    sam.refresh_from_db()
    assert (sam.display_name, sam.email, sam.phone, sam.preferred_contact) == (
        "Sammy",
        "",
        "+447700900123",
        "text",
    )
    event = AuditEvent.objects.get(action="change")
    assert (event.actor_type, event.actor_id, event.subject_id, event.purpose) == (
        "person",
        str(sam.id),
        str(sam.id),
        "contact_details",
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"email": "", "phone": "", "preferred_contact": "email"},
            "email",
            "Enter an email address so we can email you",
        ),
        (
            {"email": "sam@", "phone": "", "preferred_contact": "email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            {"email": "x" * 10_000, "phone": "", "preferred_contact": "none"},
            "email",
            "Enter an email address of 254 characters or fewer",
        ),
        (
            {"email": "", "phone": "12345", "preferred_contact": "text"},
            "phone",
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982",
        ),
        (
            {"display_name": "S" * 101, "email": "", "phone": "", "preferred_contact": "none"},
            "display_name",
            "Enter a name of 100 characters or fewer",
        ),
    ],
)
def test_given_bad_contact_details_when_saved_then_a_clear_error_and_nothing_changes(
    client: Client, sam: Person, data: dict[str, str], field: str, message: str
) -> None:
    response = _signed_in(client, sam).post(reverse("people:contact"), data)

    assert response.status_code == 200
    assert text(response, f"#id_{field}-error") == f"Error: {message}"
    assert text(response, ".nhsuk-error-summary") == f"There is a problem {message}"
    sam.refresh_from_db()
    assert (sam.email, sam.phone, sam.preferred_contact) == (
        "sam@example.com",
        "+447700900123",
        "email",
    )
    assert not AuditEvent.objects.filter(action="change").exists()


def test_given_two_people_when_one_downloads_json_then_it_holds_exactly_their_data(
    client: Client, sam: Person, alex: Person
) -> None:
    make_ask(reference="KTH-SAMS-01", person=sam, text="Money worries are keeping me awake.")
    make_ask(
        reference="KTH-ALEX-01",
        person=alex,
        contact_email="alex@example.com",
        text="Alex's private words.",
    )
    audit(
        Actor.staff(7),
        (SubjectType.ASK, "x"),
        action=Action.READ,
        purpose=Purpose.HUDDLE,
        person_id=alex.id,
    )

    response = _signed_in(client, sam).get(reverse("people:download_json"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kith-record-')
    data = json.loads(response.content)
    assert set(data) == {
        "exported_at",
        "person",
        "asks",
        "sharing",
        "notes_from_the_team",
        "plans",
        "safety_plans",
        "measures",
        "audit_log",
    }
    assert (data["notes_from_the_team"], data["plans"], data["measures"]) == ([], [], [])
    assert data["safety_plans"] == []
    assert data["person"]["id"] == str(sam.id)
    assert (data["person"]["email"], data["person"]["phone"]) == (
        "sam@example.com",
        "+447700900123",
    )
    assert [ask["reference"] for ask in data["asks"]] == ["KTH-SAMS-01"]
    assert data["asks"][0]["what_is_happening"] == "Money worries are keeping me awake."
    assert [(e["action"], e["purpose"]) for e in data["audit_log"]] == [("export", "download")]
    body = response.content.decode()
    assert "alex" not in body.lower()
    assert str(alex.id) not in body


def test_given_a_person_when_they_open_the_readable_download_then_it_shows_their_record(
    client: Client, sam: Person
) -> None:
    make_ask(reference="KTH-SAMS-01", person=sam, text="Money worries are keeping me awake.")

    response = _signed_in(client, sam).get(reverse("people:download"))

    assert text(response, "h1") == "Everything Kith holds about you"
    page = text(response, "main")
    assert "sam@example.com" in page
    assert "KTH-SAMS-01" in page
    assert "Money worries are keeping me awake." in page
    assert one(response, "a[download]")["href"] == reverse("people:download_json")


def test_given_a_person_when_they_close_their_account_then_their_data_goes_and_they_are_out(
    client: Client, sam: Person, alex: Person
) -> None:
    make_ask(reference="KTH-SAMS-01", person=sam)
    make_ask(reference="KTH-SAMS-02", person=sam, is_urgent=True)
    make_ask(reference="KTH-ALEX-01", person=alex, contact_email="alex@example.com")
    SignInToken.objects.create(
        kind="link", contact="sam@example.com", token_hash="a" * 64, expires_at="2030-01-01T00:00Z"
    )
    _signed_in(client, sam)

    confirm = client.get(reverse("people:close"))
    response = client.post(reverse("people:close"))
    closed = client.get(response["Location"])

    assert text(confirm, "h1") == "Close your account"
    assert response["Location"] == reverse("people:closed")
    sam.refresh_from_db()
    assert (sam.display_name, sam.email, sam.phone) == ("", "", "")
    assert sam.closed_at is not None
    assert SignInToken.objects.count() == 0
    assert list(Ask.objects.order_by("reference").values_list("reference", "person_id")) == [
        ("KTH-ALEX-01", alex.id),
        ("KTH-SAMS-02", None),
    ]
    kept = [li.get_text(" ", strip=True) for li in html(closed).select(".app-kept li")]
    assert len(kept) == 2
    assert kept[0].startswith("Your ask KTH-SAMS-02 is kept until")
    assert kept[1].startswith("We keep a log of who looked at or changed your record")
    assert "person_id" not in client.session
    assert client.get(reverse("people:record"))["Location"] == reverse("people:sign_in")
    assert AuditEvent.objects.filter(person_id=sam.id, action="erase").count() == 1


def test_given_a_closed_account_when_its_old_session_comes_back_then_it_is_not_signed_in(
    sam: Person,
) -> None:
    old = _signed_in(Client(), sam)
    _signed_in(Client(), sam).post(reverse("people:close"))

    assert old.get(reverse("people:record"))["Location"] == reverse("people:sign_in")


def test_given_reads_by_others_and_by_the_person_when_they_look_then_only_others_are_listed(
    client: Client, sam: Person, alex: Person
) -> None:
    audit(
        Actor.staff(7),
        (SubjectType.ASK, uuid.uuid4()),
        action=Action.READ,
        purpose=Purpose.HUDDLE,
        person_id=sam.id,
    )
    audit(sam, sam, action=Action.EXPORT, purpose=Purpose.DOWNLOAD)
    audit(
        Actor.staff(7),
        (SubjectType.ASK, "1"),
        action=Action.CHANGE,
        purpose=Purpose.PICK_UP,
        person_id=alex.id,
    )

    response = _signed_in(client, sam).get(reverse("people:access_log"))

    entries = [
        entry.get_text(" ", strip=True) for entry in html(response).select(".app-access-entry")
    ]
    assert len(entries) == 1
    assert entries[0].startswith("A member of staff looked at your record on ")
    assert "Why: you were on the team's board" in entries[0]


def test_given_nobody_else_has_looked_when_the_person_looks_then_they_are_told_so(
    client: Client, sam: Person
) -> None:
    response = _signed_in(client, sam).get(reverse("people:access_log"))

    assert text(response, ".app-access-none") == "Nobody other than you has looked at your record."


def test_given_a_signed_in_person_when_they_sign_out_then_the_session_ends(
    client: Client, sam: Person
) -> None:
    _signed_in(client, sam)

    response = client.post(reverse("people:sign_out"))

    assert response["Location"] == reverse("people:sign_in")
    assert "person_id" not in client.session
