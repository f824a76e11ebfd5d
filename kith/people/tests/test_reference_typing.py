"""Coming back with a reference, however it is typed (issue 9, "Finding the way in and back").

A reference is accepted with spaces, without hyphens, in lower case and with or without "KTH".
One that cannot be a reference says what to check. A mistyped reference or contact never counts
against the sending limit of the person's contact, and a failed attempt reads the same as a
matching one, with what to check if no code comes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kith.core.testing import html, text
from kith.people.models import SignInToken
from kith.people.tests.conftest import make_ask, outbox_messages

pytestmark = pytest.mark.django_db

REFERENCE = "KTH-7Q4M-2X"


def _attempt(client: Client, reference: str, contact: str = "alex@example.com") -> Any:
    return client.post(
        reverse("people:sign_in_reference"),
        {"reference": reference, "contact": contact},
        REMOTE_ADDR="192.0.2.10",
    )


@pytest.mark.parametrize(
    "typed",
    [
        "kth-7q4m-2x",
        "KTH 7Q4M 2X",
        "kth7q4m2x",
        "7Q4M2X",
        "7q4m 2x",
        "  KTH\u20137Q4M\u20132X  ",  # en dashes, as a phone's keyboard may write them
        "KTH.7Q4M.2X",
        "k t h 7 q 4 m 2 x",
    ],
)
def test_given_a_reference_typed_another_way_when_sent_then_the_code_goes_to_its_contact(
    client: Client, outbox: Path, typed: str
) -> None:
    # given
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    # when
    response = _attempt(client, typed)
    # then
    assert response["Location"] == reverse("people:sign_in_code")
    assert [(m["kind"], m["to"]) for m in outbox_messages(outbox)] == [
        ("email", "alex@example.com")
    ]
    assert SignInToken.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "KTH-7Q4M",
            "A reference is KTH and then 6 letters and numbers, like KTH-7Q4M-2X. Check you have "
            "all of it: it is on the page you saw after asking, and in the message we sent you.",
        ),
        (
            "KTH-7Q4M-2XX",
            "A reference is KTH and then 6 letters and numbers, like KTH-7Q4M-2X. Check you have "
            "all of it: it is on the page you saw after asking, and in the message we sent you.",
        ),
        (
            "KTH-7O4M-2X",  # a letter O: no reference has one
            "References never use the letters O, I, L or U, or the numbers 0 or 1. Check each "
            "letter and number against your reference, like KTH-7Q4M-2X.",
        ),
        (
            "kth-7q4m-21",  # a number 1
            "References never use the letters O, I, L or U, or the numbers 0 or 1. Check each "
            "letter and number against your reference, like KTH-7Q4M-2X.",
        ),
        ("  -  ", "Enter your reference, like KTH-7Q4M-2X"),
    ],
)
def test_given_something_that_cannot_be_a_reference_when_sent_then_it_says_what_to_check(
    client: Client, outbox: Path, typed: str, message: str
) -> None:
    # given
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    # when
    response = _attempt(client, typed)
    # then: the same page, the error, what they typed kept, and nothing sent
    assert response.status_code == 200
    assert text(response, "#id_reference-error") == f"Error: {message}"
    assert html(response).select_one("#id_reference")["value"] == typed  # type: ignore[index]
    assert outbox_messages(outbox) == []


def test_given_mistyped_references_and_contacts_when_the_person_then_gets_it_right_a_code_comes(
    outbox: Path, settings: Any
) -> None:
    # given: one code an hour for a contact, and a person who mistypes four times first
    settings.KITH_SIGN_IN_SENDS_PER_CONTACT = 1
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    client = Client()
    mistakes = [
        _attempt(client, "KTH-7Q4M-2Y"),  # one character wrong
        _attempt(client, "KTH-Q74M-2X"),  # two swapped
        _attempt(client, "KTH-7Q4M-2X", "alex@exmaple.com"),  # the email address mistyped
        _attempt(client, "KTH-7Q4M-2X", "07700 900123"),  # a number they did not give
    ]
    # when
    right = _attempt(client, "kth 7q4m 2x")
    # then: every mistake went on to the code page, sent nothing, and the right one sent a code
    assert [r["Location"] for r in mistakes] == [reverse("people:sign_in_code")] * 4
    assert right["Location"] == reverse("people:sign_in_code")
    assert [m["to"] for m in outbox_messages(outbox)] == ["alex@example.com"]


def test_given_a_reference_that_matches_nothing_when_sent_then_the_code_page_says_what_to_check(
    outbox: Path,
) -> None:
    # given
    make_ask(reference=REFERENCE, contact_email="alex@example.com")
    wrong, right = Client(), Client()
    # when
    failed = wrong.get(_attempt(wrong, "KTH-7Q4M-2Y")["Location"])
    matched = right.get(_attempt(right, REFERENCE)["Location"])
    # then: what to check, and the page reads exactly the same whether or not it matched
    assert text(failed, ".app-reference-checks") == (
        "If no code comes We send a code only when your reference and the email address or "
        "mobile number both match your ask. Wait 5 minutes, then check: your reference: "
        "it is on the page you saw after asking, and in the message we sent you, like "
        "KTH-7Q4M-2X that you gave us this email address or mobile number when you asked, not "
        "another one your spam or junk folder, for an email Try your reference again If you "
        "did not give us an email address or mobile number when you asked, you cannot sign in "
        "with your reference. The team still has your ask: quote your reference if you contact "
        "them, or ask for help again ."
    )
    assert text(failed, "main") == text(matched, "main")
    assert [m["to"] for m in outbox_messages(outbox)] == ["alex@example.com"]


def test_given_a_code_asked_for_by_text_when_the_code_page_shows_then_no_reference_checks(
    client: Client, outbox: Path
) -> None:
    # when
    client.post(reverse("people:sign_in_text"), {"phone": "07700 900123"})
    page = client.get(reverse("people:sign_in_code"))
    # then
    assert html(page).select(".app-reference-checks") == []
