from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.test import Client

from kith.asks.models import Ask, IdempotencyKey
from kith.asks.tests.factories import team_make
from kith.core.testing import html, one, text

pytestmark = pytest.mark.django_db

CRISIS = "I have the tablets ready and I want to end my life tonight"


def walk(client: Client, *, words: str = "I feel lonely since I moved here", **extra: str) -> None:
    """Answer every page of the journey, as a person would, without JavaScript."""
    pages = [
        ("/ask/what-is-happening/", {"text": words}),
        ("/ask/what-would-help/", {"what_would_help": "Someone to talk to", "what_matters": ""}),
        (
            "/ask/how-to-reach-you/",
            {"contact_method": "text", "contact_phone": "07700 900123", "contact_times": ""},
        ),
        ("/ask/language-and-access/", {"language": "", "needs_interpreter": "no"}),
        ("/ask/about-you/", {"postcode": extra.get("postcode", "SW9 8EJ")}),
    ]
    for path, data in pages:
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content[:2000])


def send(client: Client, **data: str) -> object:
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    return client.post("/ask/check/", {"idempotency_key": key, "website": "", **data})


def test_a_person_asks_for_help_and_sees_the_reference_and_when(client: Client) -> None:
    # given
    team_make(name="Brixton community team", districts="SW9", hours=24)
    # when
    walk(client)
    check = html(client.get("/ask/check/"))
    response = send(client)
    # then
    assert "I feel lonely since I moved here" in text(check, ".nhsuk-summary-list")
    assert response.status_code == 302  # type: ignore[attr-defined]
    ask = Ask.objects.get()
    assert response["Location"] == f"/ask/sent/{ask.pk}/"  # type: ignore[index]
    page = html(client.get(response["Location"]))  # type: ignore[index]
    assert text(page, ".app-reference") == ask.reference
    assert text(page, ".app-next").startswith(
        "A person from Brixton community team will get in touch by"
    )
    assert not page.select(".app-crisis-options")
    assert ask.contact_phone == "+447700900123"


def test_no_question_asks_for_a_diagnosis_a_gp_or_eligibility(client: Client) -> None:
    # when
    walk(client)
    pages = [
        client.get(path).content.decode().lower()
        for path in [
            "/ask/",
            "/ask/what-is-happening/",
            "/ask/what-would-help/",
            "/ask/how-to-reach-you/",
            "/ask/language-and-access/",
            "/ask/about-you/",
            "/ask/check/",
        ]
    ]
    # then
    for page in pages:
        for word in ["diagnos", "your gp", "gp surgery", "eligib", "nhs number"]:
            assert word not in page.replace("you do not need a referral or a diagnosis", "")


def test_the_equality_page_says_it_is_optional_and_why(client: Client) -> None:
    # when
    page = html(client.get("/ask/about-you/"))
    # then
    assert text(page, "h1") == "About you optional"
    assert "Every question on this page is optional" in text(page, ".nhsuk-inset-text")
    ethnic = [o["value"] for o in page.select("select#ethnicity option")]
    assert len(ethnic) == 21  # "choose", the 19 ONS 2021 groups, prefer not to say


def test_crisis_words_show_crisis_options_on_the_next_page_at_once(client: Client) -> None:
    # when
    client.post("/ask/what-is-happening/", {"text": CRISIS})
    next_page = html(client.get("/ask/what-would-help/"))
    # then
    assert "116 123" in text(next_page, ".app-crisis-options")
    one(next_page, "form textarea#what_would_help")  # the journey goes on


def test_crisis_words_on_a_later_page_also_bring_crisis_options(client: Client) -> None:
    # given
    client.post("/ask/what-is-happening/", {"text": "Money worries"})
    # when
    client.post("/ask/what-would-help/", {"what_would_help": "I want to kill myself"})
    page = html(client.get("/ask/how-to-reach-you/"))
    # then
    assert "85258" in text(page, ".app-crisis-options")


def test_an_urgent_ask_still_goes_through_with_crisis_options_at_the_top(client: Client) -> None:
    # when
    walk(client, words=CRISIS)
    response = send(client)
    page = html(client.get(response["Location"]))  # type: ignore[index]
    # then
    ask = Ask.objects.get()
    assert ask.is_urgent is True
    assert "Call 999" in text(page, ".app-crisis-options")
    assert text(page, ".app-reference") == ask.reference


def test_a_double_submit_creates_one_ask(client: Client) -> None:
    # given
    walk(client)
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    # when
    first = client.post("/ask/check/", {"idempotency_key": key})
    second = client.post("/ask/check/", {"idempotency_key": key})
    # then
    assert Ask.objects.count() == 1
    assert first["Location"] == second["Location"] == f"/ask/sent/{Ask.objects.get().pk}/"


def test_a_failure_keeps_what_they_typed_and_says_so(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    walk(client)

    def fail(**kwargs: object) -> None:
        raise DatabaseError("the database went away")

    monkeypatch.setattr("kith.asks.sending.ask_submit", fail)
    # when
    response = send(client)
    # then
    assert response.status_code == 503  # type: ignore[attr-defined]
    page = html(response)
    assert "Everything you wrote is kept" in text(page, ".nhsuk-error-summary")
    assert "I feel lonely since I moved here" in text(page, ".nhsuk-summary-list")
    assert IdempotencyKey.objects.count() == 0  # released: sending again works
    monkeypatch.undo()
    retry = client.post(
        "/ask/check/", {"idempotency_key": one(page, "input[name=idempotency_key]")["value"]}
    )
    assert retry.status_code == 302
    assert Ask.objects.count() == 1


def test_very_long_input_gets_a_clear_error_and_keeps_the_words(client: Client) -> None:
    # given
    words = "I cannot sleep. " * 400  # 6,400 characters
    # when
    response = client.post("/ask/what-is-happening/", {"text": words})
    # then
    assert response.status_code == 400
    page = html(response)
    assert text(page, ".nhsuk-error-message").endswith(
        "This must be 5,000 characters or fewer. You have written 6,399. "
        "Everything you wrote is kept below."
    )
    assert one(page, "textarea#text").get_text() == words
    assert text(page, "title").startswith("Error: ")


def test_contact_details_are_checked_and_other_answers_kept(client: Client) -> None:
    # when
    response = client.post(
        "/ask/how-to-reach-you/",
        {"contact_method": "email", "contact_email": "", "contact_times": "Mornings"},
    )
    # then
    page = html(response)
    assert text(page, ".nhsuk-error-message") == (
        "Error: Enter an email address, like name@example.com"
    )
    assert text(page, "textarea#contact_times") == "Mornings"


def test_the_honeypot_stops_a_bot_and_creates_nothing(client: Client) -> None:
    # given
    walk(client)
    # when
    response = send(client, website="https://spam.example.com")
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert Ask.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(client: Client) -> None:
    # given
    walk(client)
    # when
    honeypot = one(client.get("/ask/check/"), ".app-honeypot")
    # then
    assert honeypot.has_attr("hidden")
    assert honeypot["aria-hidden"] == "true"


def test_a_rate_limited_person_keeps_their_words_and_sees_crisis_options(
    client: Client, settings: object
) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "1/h"  # type: ignore[attr-defined]
    walk(client)
    send(client)
    walk(client, words="Second time: I am struggling with debt")
    # when
    response = send(client)
    # then
    assert response.status_code == 429  # type: ignore[attr-defined]
    page = html(response)
    assert "116 123" in text(page, ".app-crisis-options")
    assert "Second time: I am struggling with debt" in text(page, ".nhsuk-summary-list")
    assert Ask.objects.count() == 1
    assert "Second time" in text(html(client.get("/ask/check/")), ".nhsuk-summary-list")


def test_the_rate_limit_is_off_with_zero(client: Client, settings: object) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "0"  # type: ignore[attr-defined]
    # when
    for _ in range(3):
        walk(client)
        send(client)
    # then
    assert Ask.objects.count() == 3


def test_the_confirmation_page_is_only_for_the_browser_that_sent_it(client: Client) -> None:
    # given
    walk(client)
    location = send(client)["Location"]  # type: ignore[index]
    # when
    response = Client().get(location)
    # then
    assert response.status_code == 404


def test_change_links_return_to_check_answers(client: Client) -> None:
    # given
    walk(client)
    # when
    response = client.post("/ask/what-would-help/?return=check", {"what_would_help": "A walk"})
    # then
    assert response["Location"] == "/ask/check/"
    assert "A walk" in text(html(client.get("/ask/check/")), ".nhsuk-summary-list")


def test_sending_with_no_answers_starts_again_without_an_error(client: Client) -> None:
    # when
    response = client.post("/ask/check/", {"idempotency_key": "abc"})
    # then
    assert response["Location"] == "/ask/what-is-happening/"
    assert Ask.objects.count() == 0


def test_another_browser_replaying_a_sent_key_never_sees_that_ask(client: Client) -> None:
    # given
    walk(client)
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    sent = client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    ask = Ask.objects.get()
    other = Client()
    # when
    replayed = other.post("/ask/check/", {"idempotency_key": key, "website": ""})
    # then
    assert sent["Location"] == f"/ask/sent/{ask.pk}/"
    assert replayed.status_code == 302
    assert replayed["Location"] == "/ask/what-is-happening/"
    assert other.get(f"/ask/sent/{ask.pk}/").status_code == 404
    assert Ask.objects.count() == 1


def test_another_browser_sending_with_a_used_key_sends_its_own_ask(client: Client) -> None:
    # given
    walk(client, words="I feel lonely since I moved here")
    key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
    client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    first = Ask.objects.get()
    other = Client()
    walk(other, words="I cannot sleep and I am behind on rent")
    other.get("/ask/check/")
    # when
    response = other.post("/ask/check/", {"idempotency_key": key, "website": ""})
    # then
    second = Ask.objects.exclude(pk=first.pk).get()
    assert second.text == "I cannot sleep and I am behind on rent"
    assert response["Location"] == f"/ask/sent/{second.pk}/"
    page = html(other.get(response["Location"]))
    assert text(page, ".app-reference") == second.reference
    assert first.reference not in page.get_text()
    assert other.get(f"/ask/sent/{first.pk}/").status_code == 404
    assert Ask.objects.count() == 2


@pytest.mark.parametrize(
    "words",
    [
        "i've got a whole box of co-codamol next to me and i keep picking it up",  # means only
        "i want to join my mum, she died last year",  # euphemism
        "i want to kil my self",  # typos
        "i'm not sure i want to be alive",  # a negation that is not a denial
    ],
)
def test_danger_without_crisis_words_still_shows_crisis_options_at_once(
    client: Client, words: str
) -> None:
    # when someone writes danger in words the first screener missed
    client.post("/ask/what-is-happening/", {"text": words})
    next_page = html(client.get("/ask/what-would-help/"))
    # then the very next page shows the crisis options, and the journey goes on
    assert "116 123" in text(next_page, ".app-crisis-options")
    one(next_page, "form textarea#what_would_help")


def test_a_denial_brings_no_crisis_options(client: Client) -> None:
    # when someone writes that they have never had such thoughts
    client.post("/ask/what-is-happening/", {"text": "i don't have any thoughts of ending my life"})
    next_page = html(client.get("/ask/what-would-help/"))
    # then no crisis panel is shown
    assert not next_page.select(".app-crisis-options")
