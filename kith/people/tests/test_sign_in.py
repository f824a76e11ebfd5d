"""Passwordless sign-in: email link, text code, and coming back with a reference."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kith.audit.models import AuditEvent
from kith.core.testing import text
from kith.people.models import Person, SignInToken
from kith.people.tests.conftest import make_ask, outbox_messages

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/sign-in/link/[^/\s]+/)")
CODE = re.compile(r"\b(\d{6})\b")


def _request_link(client: Client, email: str = "sam@example.com") -> str:
    response = client.post(reverse("people:sign_in"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:sign_in_check_email")
    return response["Location"]


def _link_path(outbox: Path) -> str:
    match = LINK.search(outbox_messages(outbox)[-1]["body"])
    assert match is not None
    return match.group(1)


def _code(outbox: Path) -> str:
    match = CODE.search(outbox_messages(outbox)[-1]["body"])
    assert match is not None
    return match.group(1)


def test_given_an_email_when_the_link_is_followed_and_confirmed_then_the_person_is_signed_in(
    client: Client, outbox: Path
) -> None:
    ask = make_ask()
    _request_link(client)
    path = _link_path(outbox)

    confirm = client.get(path)
    response = client.post(path)

    assert text(confirm, "h1") == "Sign in to Kith"
    assert response.status_code == 302
    assert response["Location"] == reverse("people:record")
    person = Person.objects.get()
    assert (person.email, person.preferred_contact) == ("sam@example.com", "email")
    assert client.session["person_id"] == str(person.id)
    ask.refresh_from_db()
    assert ask.person_id == person.id
    record = client.get(reverse("people:record"))
    assert text(record, ".app-ask-card h3") == "Ask KTH-TEST-01"
    assert AuditEvent.objects.filter(action="sign_in", person_id=person.id).count() == 1


def test_given_a_link_when_only_fetched_by_get_then_it_still_works(
    client: Client, outbox: Path
) -> None:
    _request_link(client)
    path = _link_path(outbox)

    client.get(path)
    client.get(path)

    assert SignInToken.objects.get().used_at is None
    assert client.post(path)["Location"] == reverse("people:record")


def test_given_a_used_link_when_posted_again_then_it_is_refused(
    client: Client, outbox: Path
) -> None:
    _request_link(client)
    path = _link_path(outbox)
    client.post(path)

    again = Client().post(path)

    assert again.status_code == 200
    assert text(again, "h1") == "This link cannot be used"
    assert "has expired or has already been used" in text(again, "main")


def test_given_a_link_older_than_30_minutes_when_posted_then_it_is_refused(
    client: Client, outbox: Path
) -> None:
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _request_link(client)
    path = _link_path(outbox)

    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.post(path)

    assert text(response, "h1") == "This link cannot be used"
    assert "person_id" not in client.session
    assert Person.objects.count() == 0


def test_given_a_link_at_29_minutes_when_posted_then_it_works(client: Client, outbox: Path) -> None:
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _request_link(client)
    path = _link_path(outbox)

    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        response = client.post(path)

    assert response["Location"] == reverse("people:record")


def test_given_a_sign_in_when_it_completes_then_the_session_key_rotates(
    client: Client, outbox: Path
) -> None:
    _request_link(client)
    before = client.session.session_key
    client.post(_link_path(outbox))

    assert client.session.session_key != before


def test_given_an_email_link_when_sent_then_only_its_hash_is_stored(
    client: Client, outbox: Path
) -> None:
    _request_link(client)
    secret = _link_path(outbox).split("/")[-2]

    token = SignInToken.objects.get()
    assert secret not in token.token_hash
    assert len(token.token_hash) == 64


def test_given_a_known_and_an_unknown_email_when_links_are_asked_for_then_answers_match(
    outbox: Path,
) -> None:
    Person.objects.create(email="known@example.com")
    known, unknown = Client(), Client()

    first = known.post(reverse("people:sign_in"), {"email": "known@example.com"})
    second = unknown.post(reverse("people:sign_in"), {"email": "nobody@example.com"})

    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert [m["to"] for m in outbox_messages(outbox)] == [
        "known@example.com",
        "nobody@example.com",
    ]


def test_given_a_mobile_when_the_right_code_is_entered_then_the_person_is_signed_in(
    client: Client, outbox: Path
) -> None:
    ask = make_ask(
        reference="KTH-TEXT-01",
        contact_method="text",
        contact_email="",
        contact_phone="+447700900123",
    )
    response = client.post(reverse("people:sign_in_text"), {"phone": "07700 900 123"})
    assert response["Location"] == reverse("people:sign_in_code")
    message = outbox_messages(outbox)[-1]
    assert (message["kind"], message["to"]) == ("sms", "+447700900123")

    signed_in = client.post(reverse("people:sign_in_code"), {"code": _code(outbox)})

    assert signed_in["Location"] == reverse("people:record")
    person = Person.objects.get()
    assert (person.phone, person.preferred_contact) == ("+447700900123", "text")
    ask.refresh_from_db()
    assert ask.person_id == person.id


def test_given_a_code_when_entered_wrongly_five_times_then_even_the_right_code_fails(
    client: Client, outbox: Path
) -> None:
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    code = _code(outbox)
    wrong = "000000" if code != "000000" else "111111"

    answers = [client.post(reverse("people:sign_in_code"), {"code": wrong}) for _ in range(5)]
    last = client.post(reverse("people:sign_in_code"), {"code": code})

    assert [r.status_code for r in answers] == [200] * 5
    assert text(answers[0], "#id_code-error") == (
        "Error: The code is not right or has expired. Check it, or get a new code."
    )
    assert text(last, "#id_code-error") == (
        "Error: The code is not right or has expired. Check it, or get a new code."
    )
    assert SignInToken.objects.get().attempts == 5
    assert "person_id" not in client.session


def test_given_a_code_older_than_10_minutes_when_entered_then_it_fails(
    client: Client, outbox: Path
) -> None:
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        response = client.post(reverse("people:sign_in_code"), {"code": _code(outbox)})

    assert response.status_code == 200
    assert "person_id" not in client.session


def test_given_a_used_code_when_entered_again_then_it_fails(client: Client, outbox: Path) -> None:
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    code = _code(outbox)
    client.post(reverse("people:sign_in_code"), {"code": code})
    other = Client()
    other.post(reverse("people:sign_in_text"), {"phone": "07700900999"})
    session = other.session
    session["sign_in_pending"] = {"kind": "phone", "contact": "+447700900123"}
    session.save()

    response = other.post(reverse("people:sign_in_code"), {"code": code})

    assert response.status_code == 200
    assert "person_id" not in other.session


def test_given_a_new_code_when_the_old_one_is_entered_then_it_fails(
    client: Client, outbox: Path
) -> None:
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    old = _code(outbox)
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    new = _code(outbox)
    if old == new:
        pytest.skip("the two random codes happened to be equal")

    assert client.post(reverse("people:sign_in_code"), {"code": old}).status_code == 200
    assert client.post(reverse("people:sign_in_code"), {"code": new}).status_code == 302


def test_given_a_reference_and_its_email_when_the_code_is_entered_then_signed_in_and_claimed(
    client: Client, outbox: Path
) -> None:
    ask = make_ask(reference="KTH-7Q4M-2X", contact_email="alex@example.com")

    response = client.post(
        reverse("people:sign_in_reference"),
        {"reference": "kth-7q4m-2x", "contact": "Alex@EXAMPLE.com"},
    )
    message = outbox_messages(outbox)[-1]
    signed_in = client.post(reverse("people:sign_in_code"), {"code": _code(outbox)})

    assert response["Location"] == reverse("people:sign_in_code")
    assert (message["kind"], message["to"]) == ("email", "Alex@example.com")
    assert signed_in["Location"] == reverse("people:record")
    ask.refresh_from_db()
    assert ask.person is not None
    assert ask.person.email == "Alex@example.com"


def test_given_wrong_references_or_contacts_when_submitted_then_the_page_is_the_same(
    outbox: Path,
) -> None:
    make_ask(reference="KTH-7Q4M-2X", contact_email="alex@example.com")
    tries = [
        ("KTH-7Q4M-2X", "alex@example.com"),
        ("KTH-7Q4M-2X", "someone@example.com"),
        ("KTH-AAAA-AA", "alex@example.com"),
    ]
    pages = []
    for reference, contact in tries:
        client = Client()
        response = client.post(
            reverse("people:sign_in_reference"), {"reference": reference, "contact": contact}
        )
        assert response["Location"] == reverse("people:sign_in_code")
        code_page = client.get(reverse("people:sign_in_code"))
        pages.append(text(code_page, "main").replace(contact, "CONTACT"))

    assert pages[0] == pages[1] == pages[2]
    assert [m["to"] for m in outbox_messages(outbox)] == ["alex@example.com"]


def test_given_many_sends_to_one_contact_when_over_the_limit_then_crisis_options_still_show(
    client: Client, outbox: Path, settings: object
) -> None:
    for _ in range(5):
        client.post(reverse("people:sign_in"), {"email": "sam@example.com"})

    response = client.post(reverse("people:sign_in"), {"email": "sam@example.com"})

    assert response.status_code == 429
    assert text(response, "h1") == "We cannot send another message yet"
    assert "Samaritans free on 116 123" in text(response, ".app-crisis-options__list")
    assert len(outbox_messages(outbox)) == 5


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("people:sign_in", {"email": ""}, "email", "Enter your email address"),
        (
            "people:sign_in",
            {"email": "not-an-email"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "people:sign_in",
            {"email": "a" * 5000 + "@example.com"},
            "email",
            "Enter an email address of 254 characters or fewer",
        ),
        (
            "people:sign_in_text",
            {"phone": "020 7946 0000"},
            "phone",
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982",
        ),
        (
            "people:sign_in_text",
            {"phone": "9" * 5000},
            "phone",
            "Enter a UK mobile number, like 07700 900 982",
        ),
        (
            "people:sign_in_reference",
            {"reference": "K" * 500, "contact": "sam@example.com"},
            "reference",
            "Enter a reference of 32 characters or fewer, like KTH-7Q4M-2X",
        ),
        (
            "people:sign_in_reference",
            {"reference": "KTH-7Q4M-2X", "contact": "hello"},
            "contact",
            "Enter an email address like name@example.com, or a UK mobile number like "
            "07700 900 982",
        ),
    ],
)
def test_given_hostile_or_malformed_input_when_submitted_then_a_clear_error_keeps_the_page(
    client: Client, outbox: Path, url: str, data: dict[str, str], field: str, message: str
) -> None:
    response = client.post(reverse(url), data)

    assert response.status_code == 200
    assert text(response, f"#id_{field}-error") == f"Error: {message}"
    assert text(response, "title").startswith("Error: ")
    assert outbox_messages(outbox) == []


def test_given_a_code_page_when_code_is_not_six_digits_then_a_clear_error(
    client: Client, outbox: Path
) -> None:
    client.post(reverse("people:sign_in_text"), {"phone": "07700900123"})

    response = client.post(reverse("people:sign_in_code"), {"code": "12ab"})

    assert text(response, "#id_code-error") == ("Error: Enter the code as 6 digits, like 123456")
    assert SignInToken.objects.get().attempts == 0
