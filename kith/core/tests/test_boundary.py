"""The boundary every request crosses: hostile input is refused with a 400 before any view runs,
writes to the JSON API must be JSON, and every API error answers in the one JSON problem shape."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client

from kith.asks.models import Ask
from kith.core.testing import html, text
from kith.core.testing.staff import sign_in_staff
from kith.directory.services.curation import editor_add

pytestmark = pytest.mark.django_db

ASKS = "/api/v1/asks"
ASK_STRINGS = [
    "text",
    "what_would_help",
    "what_matters",
    "contact_method",
    "contact_phone",
    "contact_email",
    "contact_times",
    "language",
    "access_needs",
    "age_band",
    "sex",
    "gender_identity",
    "ethnicity",
    "postcode",
]
MULTIPART = (
    '--kith\r\nContent-Disposition: form-data; name="text"\r\n\r\nI feel lonely\r\n--kith--\r\n'
)
# As a client writes them in JSON: a NUL, and half of a surrogate pair with no other half.
HOSTILE = {"nul": "\\u0000", "lone surrogate": "\\ud800"}


def refused(field: str | None) -> dict[str, object]:
    where = field or "The request"
    body: dict[str, object] = {
        "code": "invalid_characters",
        "message": f"{where} contains a character that cannot be accepted (a null character "
        "or half of a surrogate pair). Remove it and try again.",
    }
    if field:
        body["field"] = field
    return {"error": body}


@pytest.mark.parametrize("character", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("field", ASK_STRINGS)
def test_a_hostile_character_in_any_string_of_an_ask_answers_400_in_the_problem_shape(
    client: Client, field: str, character: str
) -> None:
    # given
    body = '{"text": "I feel lonely", "%s": "a%sb"}' % (field, character)  # noqa: UP031
    # when
    response = client.post(ASKS, body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == refused(field)
    assert Ask.objects.count() == 0


def test_a_hostile_character_deep_in_a_json_body_names_where_it_is(client: Client) -> None:
    # given
    body = '{"text": "hi", "extra": [{"note": "ok"}, {"note": "a\\u0000"}]}'
    # when
    response = client.post(ASKS, body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert response.json() == refused("extra.1.note")
    assert Ask.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    ["/taxonomies", "/taxonomy_terms", "/organizations", "/services", "/service_at_locations"],
)
def test_a_nul_in_an_oruk_search_answers_400_in_the_problem_shape(
    client: Client, path: str
) -> None:
    # when
    response = client.get(
        f"/api/oruk{path}", {"search": "counselling\x00"}, HTTP_ORIGIN="https://example.com"
    )
    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == refused("search")


def test_a_nul_in_the_editors_listing_search_gets_a_clear_page_not_a_500(client: Client) -> None:
    # given
    editor = cast(User, editor_add(username="editor.ada", email="ada@example.com", password="x"))
    sign_in_staff(client, editor)
    # when
    response = client.get("/staff/directory/listings/", {"q": "tea\x00"})
    # then
    assert response.status_code == 400
    page = html(response)
    assert text(page, "h1") == "Sorry, we could not accept what you sent"
    assert text(page, ".nhsuk-error-summary") == (
        "There is a problem What you sent contains a hidden character that cannot be accepted, "
        "like a null character. Go back, type what you wrote again, and send it."
    )


def test_a_nul_in_a_form_body_gets_a_clear_page_not_a_500(client: Client) -> None:
    # when
    response = client.post("/staff/sign-in/", {"username": "ada\x00", "password": "x"})
    # then
    assert response.status_code == 400
    assert text(html(response), "h1") == "Sorry, we could not accept what you sent"
    assert AccessAttempt.objects.count() == 0


def test_a_staff_username_of_256_characters_gets_a_form_error(client: Client) -> None:
    # when
    response = client.post("/staff/sign-in/", {"username": "a" * 256, "password": "x"})
    # then
    assert response.status_code == 400
    page = html(response)
    assert text(page, ".nhsuk-error-summary__list") == "Enter a username of 150 characters or fewer"
    assert AccessAttempt.objects.count() == 0


def test_a_long_username_at_the_admin_sign_in_is_refused_not_a_500(client: Client) -> None:
    # when
    response = client.post("/admin/login/", {"username": "b" * 300, "password": "x"})
    # then
    assert response.status_code == 200
    assert [a.username for a in AccessAttempt.objects.all()] == ["b" * 255]


@pytest.mark.parametrize(
    "body", ['{"text": ', "not json at all", '{"text": "a"}}', "\xff\xfe"], ids=repr
)
def test_malformed_json_answers_400_in_the_problem_shape(client: Client, body: str) -> None:
    # when
    response = client.post(ASKS, body, content_type="application/json")
    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_json",
            "message": "The request body is not valid JSON. Check its quotes, commas and "
            "brackets, and send it again.",
        }
    }
    assert Ask.objects.count() == 0


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", '{"text": "I feel lonely"}'),
        ("text/plain;charset=UTF-8", '{"text": "I feel lonely"}'),
        ("application/x-www-form-urlencoded", "text=I+feel+lonely"),
        ("multipart/form-data; boundary=kith", MULTIPART),
    ],
)
def test_a_body_that_is_not_json_answers_415_so_other_sites_cannot_send_asks(
    client: Client, content_type: str, body: str
) -> None:
    # when
    response = client.post(
        ASKS, body, content_type=content_type, HTTP_ORIGIN="https://evil.example.com"
    )
    # then
    assert response.status_code == 415
    assert response.json() == {
        "error": {
            "code": "unsupported_media_type",
            "message": "Send the request body as JSON, with the header "
            "Content-Type: application/json.",
        }
    }
    assert "Access-Control-Allow-Origin" not in response
    assert Ask.objects.count() == 0


def test_json_with_a_charset_is_still_json(client: Client) -> None:
    # when
    response = client.post(
        ASKS, '{"text": "I feel lonely"}', content_type="application/json; charset=utf-8"
    )
    # then
    assert response.status_code == 201
    assert Ask.objects.count() == 1


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/oruk/nothing-here", "/api/x"])
def test_an_unknown_api_address_answers_404_in_the_problem_shape(client: Client, path: str) -> None:
    # when
    response = client.get(path)
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": {"code": "not_found", "message": "There is nothing at this address in the API."}
    }


def test_a_method_the_api_does_not_take_answers_405_in_the_problem_shape(client: Client) -> None:
    # when
    response = client.get(ASKS)
    # then
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": "This address does not take GET. It takes: POST.",
        }
    }


def test_an_unexpected_failure_in_the_api_answers_500_in_the_problem_shape(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given
    def fail(**kwargs: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr("kith.asks.sending.ask_submit", fail)
    client = Client(raise_request_exception=False)
    # when
    response = client.post(ASKS, json.dumps({"text": "hi"}), content_type="application/json")
    # then
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. Try again in a few minutes.",
        }
    }


@pytest.mark.parametrize("path", ["/services", "/taxonomies", "/organizations"])
def test_an_oruk_list_with_a_trailing_slash_answers_the_same_json(
    client: Client, path: str
) -> None:
    # when
    plain = client.get(f"/api/oruk{path}")
    slashed = client.get(f"/api/oruk{path}/")
    # then
    assert slashed.status_code == 200
    assert slashed["Content-Type"] == "application/json; charset=utf-8"
    assert cast(Any, slashed).json() == cast(Any, plain).json()


def test_an_html_page_still_answers_html_errors(client: Client) -> None:
    # when
    response = client.get("/no-such-page/")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
