from __future__ import annotations

import pytest
from django.test import Client

from kith.asks.models import AskNote, AskStatus
from kith.asks.tests.factories import ask_make
from kith.core.testing import html, text
from kith.people.models import Person

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: Person) -> Client:
    session = client.session
    session["person_id"] = str(person.pk)
    session.save()
    return client


def test_a_person_sees_their_ask(client: Client) -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person, text="I feel lonely since I moved here")
    # when
    page = html(signed_in(client, person).get(f"/my/asks/{ask.pk}/"))
    # then
    assert text(page, ".app-reference") == ask.reference
    assert "I feel lonely since I moved here" in text(page, ".nhsuk-summary-list")


def test_someone_elses_ask_answers_404(client: Client) -> None:
    # given
    owner = Person.objects.create(email="sam@example.com")
    other = Person.objects.create(email="alex@example.com")
    ask = ask_make(person=owner)
    # when
    response = signed_in(client, other).get(f"/my/asks/{ask.pk}/")
    withdraw = client.post(f"/my/asks/{ask.pk}/withdraw/")
    # then
    assert response.status_code == 404
    assert withdraw.status_code == 404
    ask.refresh_from_db()
    assert ask.status == AskStatus.NEW


def test_signed_out_answers_404(client: Client) -> None:
    # given
    ask = ask_make(person=Person.objects.create(email="sam@example.com"))
    # when
    response = client.get(f"/my/asks/{ask.pk}/")
    # then
    assert response.status_code == 404


def test_a_person_adds_to_their_ask(client: Client) -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person)
    # when
    response = signed_in(client, person).post(f"/my/asks/{ask.pk}/", {"text": "I found a job"})
    page = html(client.get(f"/my/asks/{ask.pk}/"))
    # then
    assert response.status_code == 302
    assert text(page, ".app-notes").endswith("I found a job")
    assert AskNote.objects.get().person == person


def test_crisis_words_in_a_note_bring_crisis_options(client: Client) -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person)
    # when
    signed_in(client, person).post(f"/my/asks/{ask.pk}/", {"text": "I want to kill myself"})
    page = html(client.get(f"/my/asks/{ask.pk}/"))
    # then
    assert "116 123" in text(page, ".app-crisis-options")


def test_a_too_long_note_keeps_the_words(client: Client) -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person)
    words = "x" * 2001
    # when
    response = signed_in(client, person).post(f"/my/asks/{ask.pk}/", {"text": words})
    # then
    assert response.status_code == 400
    page = html(response)
    assert text(page, "textarea#text") == words
    assert "You have written 2,001" in text(page, ".nhsuk-error-message")
    assert AskNote.objects.count() == 0


def test_a_person_withdraws_their_ask_after_confirming(client: Client) -> None:
    # given
    person = Person.objects.create(email="sam@example.com")
    ask = ask_make(person=person)
    signed_in(client, person)
    # when
    confirm = html(client.get(f"/my/asks/{ask.pk}/withdraw/"))
    response = client.post(f"/my/asks/{ask.pk}/withdraw/")
    # then
    assert text(confirm, "h1") == "Are you sure you want to withdraw your ask?"
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == AskStatus.WITHDRAWN
    assert "Withdrawn" in text(html(client.get(f"/my/asks/{ask.pk}/")), ".nhsuk-summary-list")
