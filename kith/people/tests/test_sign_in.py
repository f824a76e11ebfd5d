"""Passwordless sign-in: email link, text code, and coming back with a reference."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

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


# Someone else naming a person's contact (issue 8, point 4): no limit used up, no code replaced,
# and a code works only in the browser session that asked for it.

REFERENCE = "KTH-7Q4M-2X"
ATTACKER_IP = "198.51.100.7"


def _reference_attempt(client: Client, reference: str, contact: str, ip: str = "192.0.2.10") -> Any:
    return client.post(
        reverse("people:sign_in_reference"),
        {"reference": reference, "contact": contact},
        REMOTE_ADDR=ip,
    )


def test_given_wrong_reference_attempts_naming_a_contact_then_its_sending_limit_is_untouched(
    outbox: Path, settings: Any
) -> None:
    # given
    settings.KITH_SIGN_IN_SENDS_PER_CONTACT = 2
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    attacker = Client()
    tries = [_reference_attempt(attacker, "KTH-AAAA-AA", "alex@example.com", ATTACKER_IP)]
    tries += [_reference_attempt(attacker, "KTH-BBBB-BB", "alex@example.com", ATTACKER_IP)]
    tries += [_reference_attempt(attacker, "KTH-CCCC-CC", "alex@example.com", ATTACKER_IP)]
    # when
    alex = Client()
    response = _reference_attempt(alex, REFERENCE, "alex@example.com")
    signed_in = alex.post(reverse("people:sign_in_code"), {"code": _code(outbox)})
    # then
    assert [r["Location"] for r in tries] == [reverse("people:sign_in_code")] * 3
    assert response["Location"] == reverse("people:sign_in_code")
    assert [m["to"] for m in outbox_messages(outbox)] == ["alex@example.com"]
    assert signed_in["Location"] == reverse("people:record")


def test_given_a_pending_code_when_a_wrong_reference_names_its_contact_then_only_its_session_can_use_it(  # noqa: E501
    outbox: Path,
) -> None:
    # given: Alex asks for a code with their reference
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    alex = Client()
    _reference_attempt(alex, REFERENCE, "alex@example.com")
    code = _code(outbox)
    # when: someone else names Alex's email with a wrong reference and tries Alex's code
    attacker = Client()
    _reference_attempt(attacker, "KTH-AAAA-AA", "alex@example.com", ATTACKER_IP)
    guessed = attacker.post(reverse("people:sign_in_code"), {"code": code})
    # then
    assert guessed.status_code == 200
    assert text(guessed, "#id_code-error") == (
        "Error: The code is not right or has expired. Check it, or get a new code."
    )
    assert "person_id" not in attacker.session
    assert len(outbox_messages(outbox)) == 1
    assert alex.post(reverse("people:sign_in_code"), {"code": code})["Location"] == reverse(
        "people:record"
    )


def test_given_a_texted_code_when_another_session_asks_for_one_then_the_first_still_works(
    outbox: Path,
) -> None:
    # given
    sam = Client()
    sam.post(reverse("people:sign_in_text"), {"phone": "07700900123"})
    code = _code(outbox)
    # when: someone else asks for a code for Sam's number, and tries Sam's code
    other = Client()
    other.post(reverse("people:sign_in_text"), {"phone": "07700900123"}, REMOTE_ADDR=ATTACKER_IP)
    tried = other.post(reverse("people:sign_in_code"), {"code": code})
    # then
    assert "person_id" not in other.session
    assert tried.status_code == 200
    assert sam.post(reverse("people:sign_in_code"), {"code": code})["Location"] == reverse(
        "people:record"
    )


def test_given_wrong_reference_attempts_from_one_address_then_its_limit_still_counts(
    outbox: Path, settings: Any
) -> None:
    # given
    settings.KITH_SIGN_IN_SENDS_PER_IP = 3
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    client = Client()
    tries = [  # well-formed references that match nothing (none has a 0 or 1 in it)
        _reference_attempt(client, f"KTH-AAAA-A{n}", "alex@example.com", ATTACKER_IP)
        for n in range(2, 5)
    ]
    # when: even the right reference, from that address
    response = _reference_attempt(client, REFERENCE, "alex@example.com", ATTACKER_IP)
    # then
    assert [r.status_code for r in tries] == [302] * 3
    assert response.status_code == 429
    assert outbox_messages(outbox) == []


def test_given_a_matching_reference_over_the_contact_limit_then_the_answer_is_a_non_matchs(
    outbox: Path, settings: Any
) -> None:
    # given
    settings.KITH_SIGN_IN_SENDS_PER_CONTACT = 1
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    _reference_attempt(Client(), REFERENCE, "alex@example.com", "192.0.2.1")
    # when
    matching = _reference_attempt(Client(), REFERENCE, "alex@example.com", "192.0.2.2")
    not_matching = _reference_attempt(Client(), "KTH-AAAA-AA", "alex@example.com", "192.0.2.3")
    # then: nobody can learn from a 429 that the reference and contact go together
    assert (matching.status_code, matching["Location"]) == (
        not_matching.status_code,
        not_matching["Location"],
    )
    assert len(outbox_messages(outbox)) == 1


def test_given_two_people_behind_one_trusted_proxy_then_each_has_their_own_sending_limit(
    outbox: Path, settings: Any
) -> None:
    # given one send an hour from an address, and everybody arriving through the load balancer
    settings.KITH_SIGN_IN_SENDS_PER_IP = 1
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]

    def send(forwarded: str, email: str) -> int:
        form = {"email": email}
        response = Client().post(
            reverse("people:sign_in"), form, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded
        )
        return response.status_code

    # when
    statuses = [
        send("203.0.113.1", "sam@example.com"),
        send("203.0.113.2", "alex@example.com"),
        send("203.0.113.1", "sam.again@example.com"),
    ]
    # then
    assert statuses == [302, 302, 429]
    assert [m["to"] for m in outbox_messages(outbox)] == ["sam@example.com", "alex@example.com"]


def test_given_a_client_forging_x_forwarded_for_then_its_sending_limit_still_counts(
    outbox: Path, settings: Any
) -> None:
    # given
    settings.KITH_SIGN_IN_SENDS_PER_IP = 1
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # when a client that is not our proxy names a new address each time
    statuses = [
        Client()
        .post(
            reverse("people:sign_in"),
            {"email": f"person{n}@example.com"},
            REMOTE_ADDR=ATTACKER_IP,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        .status_code
        for n in range(1, 4)
    ]
    # then
    assert statuses == [302, 429, 429]
    assert len(outbox_messages(outbox)) == 1
