from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from kith.asks.answers import AskAnswers
from kith.asks.models import Ask, AskNote, AskStatus, CrisisOption
from kith.asks.selectors import ask_export_for_person, asks_for_person, crisis_options
from kith.asks.services import (
    ask_note_add,
    ask_submit,
    ask_withdraw,
    asks_claim_for_person,
    asks_erase_for_person,
    normalise_phone,
    reference_new,
)
from kith.asks.tests.factories import ask_make, team_make
from kith.core.errors import ValidationFailed
from kith.people.models import Person

pytestmark = pytest.mark.django_db


def test_references_are_short_and_unambiguous() -> None:
    # when
    references = {reference_new() for _ in range(500)}
    # then
    assert len(references) == 500
    for reference in references:
        assert re.fullmatch(r"KTH-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}", reference)


def test_an_ask_goes_to_the_team_covering_the_postcode_district() -> None:
    # given
    team_make(name="Default team", districts="", is_default=True)
    brixton = team_make(name="Brixton team", districts="SW9, SW2", hours=6)
    # when
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        ask = ask_make(postcode="sw9 8ej")
    # then
    assert ask.team == brixton
    assert ask.postcode == "SW9 8EJ"
    assert ask.postcode_district == "SW9"
    assert ask.respond_by_at == dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
    assert ask.status == AskStatus.NEW


def test_an_ask_without_a_covered_postcode_goes_to_the_default_team() -> None:
    # given
    default = team_make(name="Default team", districts="", is_default=True)
    team_make(name="Brixton team", districts="SW9")
    # when
    without_postcode = ask_make()
    elsewhere = ask_make(postcode="LS1 4AP")
    # then
    assert without_postcode.team == default
    assert elsewhere.team == default


def test_crisis_words_flag_the_ask_urgent_and_it_still_goes_through() -> None:
    # when
    ask = ask_make(text="I have the tablets ready and I want to end my life tonight")
    # then
    assert Ask.objects.get(pk=ask.pk).is_urgent is True
    assert ask.screening_categories == ["suicidal-intent", "suicide-plan-or-means"]
    assert ask.screening_matches == ["intent-end-life", "means-ready", "reach-medicine"]


def test_everyday_words_are_not_urgent() -> None:
    # when
    ask = ask_make(text="My phone is dying and I killed it in my exam, but I'm lonely")
    # then
    assert ask.is_urgent is False
    assert ask.screening_categories == []


def test_too_long_text_gets_a_clear_error_naming_the_limit() -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        ask_submit(answers=AskAnswers(text="a" * 5001))
    # then
    assert error.value.field == "text"
    assert error.value.message.startswith("This must be 5,000 characters or fewer.")
    assert "5,001" in error.value.message
    assert Ask.objects.count() == 0


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "help", "contact_method": "phone"}, "contact_phone"),
        ({"text": "help", "contact_method": "text", "contact_phone": "12"}, "contact_phone"),
        ({"text": "help", "contact_method": "email", "contact_email": "nope"}, "contact_email"),
        ({"text": "help", "ethnicity": "martian"}, "ethnicity"),
        ({"text": "help", "postcode": "not a postcode"}, "postcode"),
    ],
)
def test_answers_to_correct_name_their_field(answers: dict[str, object], field: str) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        ask_submit(answers=AskAnswers.from_dict(answers))
    # then
    assert error.value.field == field


def test_phone_numbers_are_normalised() -> None:
    # when / then
    assert normalise_phone("07700 900123") == "+447700900123"
    assert normalise_phone("+44 7700 900123") == "+447700900123"
    assert ask_make(contact_method="text", contact_phone="07700-900-123").contact_phone == (
        "+447700900123"
    )


def test_the_person_adds_to_their_ask_and_crisis_words_in_a_note_flag_it_urgent() -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person)
    # when
    ask_note_add(ask=ask, person=person, text="Things got worse, I want to kill myself")
    # then
    ask.refresh_from_db()
    assert [note.text for note in AskNote.objects.filter(ask=ask)] == [
        "Things got worse, I want to kill myself"
    ]
    assert ask.is_urgent is True


def test_a_withdrawn_ask_cannot_be_added_to() -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_withdraw(ask=ask_make(person=person), person=person)
    # when
    with pytest.raises(ValidationFailed) as error:
        ask_note_add(ask=ask, person=person, text="One more thing")
    # then
    assert ask.status == AskStatus.WITHDRAWN
    assert ask.withdrawn_at is not None
    assert error.value.message.startswith("You withdrew this ask.")


def test_claiming_attaches_only_unclaimed_asks_with_a_matching_verified_contact() -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    other = Person.objects.create(email="alex@example.com")
    by_email = ask_make(contact_method="email", contact_email="Sam@Example.com")
    by_phone = ask_make(contact_method="text", contact_phone="07700 900123")
    someone_elses = ask_make(contact_method="email", contact_email="sam@example.com", person=other)
    unrelated = ask_make(contact_method="email", contact_email="jo@example.com")
    # when
    count = asks_claim_for_person(person=person, email="sam@example.com", phone="+447700900123")
    # then
    assert count == 2
    assert {a.pk for a in asks_for_person(person)} == {by_email.pk, by_phone.pk}
    someone_elses.refresh_from_db()
    unrelated.refresh_from_db()
    assert someone_elses.person == other
    assert unrelated.person is None


def test_asks_for_a_person_come_newest_first_with_their_notes_and_export() -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    with time_machine.travel(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)):
        older = ask_make(person=person, text="First ask")
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)):
        newer = ask_make(person=person, text="Second ask")
    ask_note_add(ask=older, person=person, text="More about the first")
    # when
    asks = asks_for_person(person)
    export = ask_export_for_person(person)
    # then
    assert [a.pk for a in asks] == [newer.pk, older.pk]
    assert [e["what_is_happening"] for e in export] == ["Second ask", "First ask"]
    assert export[1]["notes"] == [
        {"created_at": AskNote.objects.get().created_at.isoformat(), "text": "More about the first"}
    ]


def test_erasing_deletes_what_is_theirs_alone_and_restricts_urgent_asks() -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    plain = ask_make(person=person)
    urgent = ask_make(person=person, text="I am going to kill myself tonight")
    # when
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        kept = asks_erase_for_person(person=person)
    # then
    assert not Ask.objects.filter(pk=plain.pk).exists()
    urgent.refresh_from_db()
    assert urgent.person is None
    assert urgent.restricted_at is not None
    assert urgent.retain_until == dt.date(2034, 3, 2)
    assert kept == [
        f"Your ask {urgent.reference} is kept until 2 March 2034 as a clinical safety record, "
        "because its words suggested you or someone else might be in danger. It is hidden from "
        "everyone except the team's safeguarding lead."
    ]
    assert asks_for_person(person) == []


def test_crisis_options_are_seeded_in_order_with_a_last_checked_date() -> None:
    # when
    options = crisis_options()
    # then
    assert [o.how_to_contact for o in options] == [
        "Call 999",
        "Call NHS 111 and choose option 2",
        "Call Samaritans free on 116 123",
        "Text SHOUT to 85258",
    ]
    assert all(o.last_checked == dt.date(2026, 1, 5) for o in options)


def test_staff_edits_to_crisis_options_show_everywhere(client: object) -> None:
    # given
    CrisisOption.objects.filter(name="Shout").update(is_active=False)
    CrisisOption.objects.create(
        name="Lambeth crisis line",
        how_to_contact="Call the fictional crisis line on 020 7946 0000",
        contact="tel:02079460000",
        link_text="Call 020 7946 0000",
        description="any time.",
        last_checked=timezone.localdate(),
        order=50,
    )
    # when
    page = client.get("/help-now/").content.decode()  # type: ignore[attr-defined]
    # then
    assert "Text SHOUT to 85258" not in page
    assert "Call the fictional crisis line on 020 7946 0000" in page
