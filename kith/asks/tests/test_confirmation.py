"""After sending an ask (issue 9, "Finding the way in and back"): the confirmation page says how
to reach the team, a message with the reference goes by the way the person chose, and an ask from
a postcode no team covers says so honestly and still reaches the default team."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kith.asks.answers import AskAnswers
from kith.asks.models import Ask
from kith.asks.services import ask_confirmation_text, ask_submit
from kith.asks.tests.factories import team_make
from kith.core.testing import html, one, text
from kith.directory.models import Postcode
from kith.directory.search import index_services
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types
from kith.people.models import Person
from kith.teams.models import Team

pytestmark = pytest.mark.django_db

WORDS = "My landlord wants me out and I cannot stop crying at work"
HELP = "Someone to help with the housing letters"
MATTERS = "Keeping my job"


@pytest.fixture(autouse=True)
def outbox(tmp_path: Path, settings: Any) -> Path:
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    return tmp_path / "outbox"


def _messages(outbox: Path) -> list[dict[str, str]]:
    if not outbox.exists():
        return []
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(outbox.iterdir())]


def _brixton(**contact: str) -> Team:
    team = team_make(name="Brixton community team", districts="SW9, SW2", hours=24)
    values = {
        "contact_phone": "07700 900461",
        "contact_email": "brixton.team@example.com",
        "contact_hours": "Monday to Friday, 9am to 5pm",
        **contact,
    }
    for field, value in values.items():
        setattr(team, field, value)
    team.save()
    return team


def _ask(client: Client, *, contact: dict[str, str], postcode: str = "SW9 8EJ") -> Any:
    """Answer every page and send, as a person would without JavaScript; the sent page."""
    pages = [
        ("/ask/what-is-happening/", {"text": WORDS}),
        ("/ask/what-would-help/", {"what_would_help": HELP, "what_matters": MATTERS}),
        ("/ask/how-to-reach-you/", {"contact_times": "", **contact}),
        ("/ask/language-and-access/", {"language": "", "needs_interpreter": "no"}),
        ("/ask/about-you/", {"postcode": postcode}),
    ]
    for path, data in pages:
        assert client.post(path, data).status_code == 302, path
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    sent = client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    assert sent.status_code == 302
    return client.get(sent["Location"])


EMAIL = {"contact_method": "email", "contact_email": "sam@example.com"}
TEXT = {"contact_method": "text", "contact_phone": "07700 900123"}
PHONE = {"contact_method": "phone", "contact_phone": "020 7946 0123"}
NONE = {"contact_method": "none"}


def test_given_a_team_with_contact_details_when_someone_asks_then_the_page_says_how_to_reach_it(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _brixton()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = html(_ask(client, contact=EMAIL))
    # then
    contact = one(page, ".app-team-contact")
    rows = [
        (text(row, "dt"), text(row, "dd")) for row in contact.select(".nhsuk-summary-list__row")
    ]
    assert rows == [
        ("Phone", "07700 900461"),
        ("Email", "brixton.team@example.com"),
        ("When someone answers", "Monday to Friday, 9am to 5pm"),
    ]
    assert one(page, ".app-team-contact__phone")["href"] == "tel:07700900461"
    assert one(page, ".app-team-contact__email")["href"] == "mailto:brixton.team@example.com"
    assert text(page, ".app-confirmation-sent") == (
        "We have emailed your reference to sam@example.com."
    )
    assert not page.select(".app-uncovered-postcode")


def test_given_a_team_without_contact_details_when_someone_asks_then_the_page_says_so_plainly(
    client: Client,
) -> None:
    # given
    _brixton(contact_phone="", contact_email="", contact_hours="")
    # when
    page = html(_ask(client, contact=NONE))
    # then
    assert not page.select(".app-team-contact")
    assert text(page, ".app-team-contact-none") == (
        "Brixton community team has not given us a phone number or email address yet. They "
        "will get in touch with you."
    )
    assert text(page, ".app-confirmation-sent") == (
        "We have not sent your reference to you, because you did not give us an email address "
        "or a mobile number. Write it down or take a screenshot."
    )


def test_given_an_email_ask_when_sent_then_one_email_with_the_reference_and_none_of_their_words(
    client: Client, outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _brixton()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, contact=EMAIL)
    # then
    ask = Ask.objects.get()
    [message] = _messages(outbox)
    assert (message["kind"], message["to"]) == ("email", "sam@example.com")
    assert message["subject"] == f"Your Kith reference: {ask.reference}"
    assert f"Your reference is {ask.reference}." in message["body"]
    assert "A person from Brixton community team will get in touch by email" in message["body"]
    assert (
        "To reach Brixton community team yourself:\nPhone: 07700 900461\n"
        "Email: brixton.team@example.com\nWhen someone answers: Monday to Friday, 9am to 5pm"
    ) in message["body"]
    for words in (WORDS, HELP, MATTERS, "landlord", "crying", "housing"):
        assert words.lower() not in message["body"].lower()
        assert words.lower() not in message["subject"].lower()


def test_given_a_text_ask_when_sent_then_one_text_to_the_number_they_gave(
    client: Client, outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _brixton()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = html(_ask(client, contact=TEXT))
    # then
    ask = Ask.objects.get()
    [message] = _messages(outbox)
    assert (message["kind"], message["to"]) == ("sms", "+447700900123")
    assert message["body"] == (
        f"Kith: we have your ask for help. Your reference is {ask.reference}. A person from "
        "Brixton community team will get in touch. To reach them: 07700 900461 (Monday to "
        "Friday, 9am to 5pm). Need help now? Samaritans free on 116 123, any time."
    )
    assert text(page, ".app-confirmation-sent") == (
        "We have texted your reference to 07700 900123."
    )


@pytest.mark.parametrize(
    ("contact", "said"),
    [
        (
            PHONE,
            "We have not sent your reference to you, because you asked for a phone call. "
            "Write it down or take a screenshot.",
        ),
        (
            NONE,
            "We have not sent your reference to you, because you did not give us an email "
            "address or a mobile number. Write it down or take a screenshot.",
        ),
    ],
    ids=["phone call", "none"],
)
def test_given_a_phone_call_or_no_contact_when_sent_then_no_message_and_the_page_says_why(
    client: Client,
    outbox: Path,
    django_capture_on_commit_callbacks: Any,
    contact: dict[str, str],
    said: str,
) -> None:
    # given
    _brixton()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = html(_ask(client, contact=contact))
    # then
    assert _messages(outbox) == []
    assert text(page, ".app-confirmation-sent") == said


def test_given_a_signed_in_person_when_they_ask_with_another_address_then_only_that_one_hears(
    client: Client, outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given: their account has a proved mobile number, and they give an email address this time
    _brixton()
    person = Person.objects.create(phone="+447700900999", preferred_contact="text")
    session = client.session
    session["person_id"] = str(person.pk)
    session.save()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, contact=EMAIL)
    # then
    assert [(m["kind"], m["to"]) for m in _messages(outbox)] == [("email", "sam@example.com")]


def test_given_an_ask_through_the_api_when_it_has_an_email_then_the_email_is_sent_too(
    client: Client, outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _brixton()
    body = {"text": WORDS, "contact_method": "email", "contact_email": "sam@example.com"}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/asks", json.dumps(body), content_type="application/json")
    # then
    assert response.status_code == 201
    assert [(m["kind"], m["to"]) for m in _messages(outbox)] == [("email", "sam@example.com")]


def test_given_the_ask_is_rolled_back_when_it_fails_then_no_message_is_sent(
    outbox: Path, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _brixton()
    answers = AskAnswers.from_dict({"text": WORDS, **EMAIL})
    # when: the transaction the ask is saved in never commits
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask_submit(answers=answers)
    # then: the message waits for the commit
    assert len(callbacks) == 1
    assert _messages(outbox) == []


def test_given_sending_fails_when_the_ask_is_sent_then_the_person_still_sees_their_reference(
    client: Client, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    _brixton()

    def broken(**_kwargs: object) -> None:
        raise ConnectionError("Notify is down")

    monkeypatch.setattr("kith.asks.services.send_email", broken)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        page = html(_ask(client, contact=EMAIL))
    # then
    assert text(page, ".app-reference") == Ask.objects.get().reference


def test_given_a_team_with_no_contact_when_a_message_is_written_then_it_names_no_empty_lines() -> (
    None
):
    # given
    team = _brixton(contact_phone="", contact_email="", contact_hours="")
    ask = Ask(reference="KTH-7Q4M-2X", team=team, text=WORDS, contact_method="email")
    # when
    email = ask_confirmation_text(ask=ask, is_text_message=False)
    sms = ask_confirmation_text(ask=ask, is_text_message=True)
    # then
    assert "To reach" not in email
    assert "Phone:" not in email
    assert sms == (
        "Kith: we have your ask for help. Your reference is KTH-7Q4M-2X. A person from Brixton "
        "community team will get in touch. Need help now? Samaritans free on 116 123, any time."
    )


# An ask from a postcode no team covers.


@pytest.fixture
def far_away() -> Team:
    """Brixton covers SW9 and SW2; the default team takes the rest. Manchester is known to the
    postcode table and a listening group in Brixton fits the ask's words."""
    _brixton()
    default = team_make(name="Lambeth front door team", districts="", is_default=True)
    Postcode.objects.create(code="M11AE", latitude=53.4774, longitude=-2.2309)
    Postcode.objects.create(code="SW98EJ", latitude=51.4652, longitude=-0.1150)
    sal: Any = ServiceAtLocationFactory(
        service__name="Brixton tenants' advice evening",
        service__description="Help with a landlord, housing letters and eviction worries.",
        location__latitude=51.4650,
        location__longitude=-0.1140,
    )
    tag_support_types(sal.service, "housing")
    index_services()
    return default


def test_given_a_postcode_no_team_covers_when_someone_asks_then_it_says_so_and_goes_to_default(
    client: Client, far_away: Team
) -> None:
    # when
    page = html(_ask(client, contact=NONE, postcode="M1 1AE"))
    # then: it reaches the default team, and the page is honest about where and how far
    ask = Ask.objects.get()
    assert ask.team == far_away
    assert text(page, ".app-uncovered-postcode") == (
        "Information: There is no team for M1 1AE in Kith yet, so your ask has gone to Lambeth "
        "front door team. They will still read it and get in touch."
    )
    assert [a.get_text(strip=True) for a in page.select(".app-suggestions a")] == [
        "Brixton tenants' advice evening"
    ]
    assert text(page, ".app-suggestions-not-near") == (
        "You do not need to wait for us. These fit what you wrote and need no referral, but "
        "they may be a long way from you: check where each one is."
    )
    assert "near you" not in text(page, "main").lower()


def test_given_a_postcode_a_team_covers_when_someone_asks_then_suggestions_are_near_and_no_notice(
    client: Client, far_away: Team
) -> None:
    # when
    page = html(_ask(client, contact=NONE, postcode="SW9 8EJ"))
    # then
    assert Ask.objects.get().team.name == "Brixton community team"  # type: ignore[union-attr]
    assert not page.select(".app-uncovered-postcode")
    assert not page.select(".app-suggestions-not-near")
    assert "These are near you and fit what you wrote" in text(page, "main")


def test_given_an_unknown_postcode_when_someone_asks_then_it_goes_to_default_and_says_so(
    client: Client, far_away: Team
) -> None:
    # when: a postcode the table does not know, in a district no team covers
    page = html(_ask(client, contact=NONE, postcode="ZE2 9AA"))
    # then
    assert Ask.objects.get().team == far_away
    assert text(page, ".app-uncovered-postcode").startswith(
        "Information: There is no team for ZE2 9AA in Kith yet"
    )
    assert "near you" not in text(page, "main").lower()
