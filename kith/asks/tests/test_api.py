from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from kith.asks.models import Ask, IdempotencyKey
from kith.asks.tests.factories import team_make
from kith.directory.models import Postcode
from kith.directory.search import index_services
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types

URL = "/api/v1/asks"
OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi-v1.json"


def post(client: Client, body: Mapping[str, object], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_an_ask_through_the_api_gets_a_reference_and_suggestions(client: Client) -> None:
    # given
    team_make(districts="SW9")
    Postcode.objects.create(code="SW9", latitude=51.4613, longitude=-0.1156, is_district=True)
    sal: Any = ServiceAtLocationFactory(
        service__name="Fictional Brixton lonely hearts walking group",
        service__description="A friendly walk for anyone feeling lonely.",
    )
    tag_support_types(sal.service, "peer-support")
    index_services()
    # when
    response = post(client, {"text": "I feel so lonely", "postcode": "SW9"})
    # then
    assert response.status_code == 201
    body = response.json()
    ask = Ask.objects.get()
    assert body["reference"] == ask.reference
    assert body["urgent"] is False
    assert body["crisis_support"] == []
    assert [s["id"] for s in body["suggestions"]] == [str(sal.service.pk)]
    assert body["suggestions"][0]["url"] == f"http://testserver/services/{sal.service.pk}/"
    assert ask.source == "api"


@pytest.mark.django_db
def test_an_urgent_ask_returns_crisis_support(client: Client) -> None:
    # when
    response = post(client, {"text": "I am going to kill myself tonight"})
    # then
    body = response.json()
    assert response.status_code == 201
    assert body["urgent"] is True
    assert [o["name"] for o in body["crisis_support"]] == ["999", "NHS 111", "Samaritans", "Shout"]
    assert body["crisis_support"][2]["contact"] == "tel:116123"
    assert Ask.objects.get().is_urgent is True


@pytest.mark.django_db
def test_the_same_key_and_body_replays_the_stored_response(client: Client) -> None:
    # given
    body = {"text": "Help with debt", "contact_method": "email", "contact_email": "a@example.com"}
    first = post(client, body, key="key-1")
    # when
    again = post(client, dict(reversed(list(body.items()))), key="key-1")
    # then
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Ask.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_answers_422(client: Client) -> None:
    # given
    post(client, {"text": "Help with debt"}, key="key-1")
    # when
    response = post(client, {"text": "Help with housing"}, key="key-1")
    # then
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "Idempotency-Key"
    assert Ask.objects.count() == 1


@pytest.mark.django_db
def test_a_key_in_flight_answers_409(client: Client) -> None:
    # given
    from kith.asks.idempotency import request_hash
    from kith.asks.schemas import AskIn

    body: dict[str, Any] = {"text": "Help with debt"}
    IdempotencyKey.objects.create(
        scope="api:asks", key="key-1", request_hash=request_hash(AskIn(**body).model_dump())
    )
    # when
    response = post(client, body, key="key-1")
    # then
    assert response.status_code == 409
    assert Ask.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_ask_releases_the_key_so_a_corrected_retry_works(client: Client) -> None:
    # when
    too_long = post(client, {"text": "a" * 5001}, key="key-1")
    fixed = post(client, {"text": "a" * 5000}, key="key-2")
    # then
    assert too_long.status_code == 400
    assert too_long.json()["error"]["field"] == "text"
    assert "5,000 characters or fewer" in too_long.json()["error"]["message"]
    assert IdempotencyKey.objects.filter(key="key-1").count() == 0
    assert fixed.status_code == 201


@pytest.mark.django_db
def test_bad_json_gets_a_clear_400(client: Client) -> None:
    # when
    missing = post(client, {"postcode": "SW9"})
    wrong = post(client, {"text": "hi", "ethnicity": "martian"})
    # then
    assert missing.status_code == 400
    assert missing.json()["error"]["field"] == "payload.text"
    assert wrong.status_code == 400
    assert Ask.objects.count() == 0


@pytest.mark.django_db
def test_a_rate_limited_client_gets_429_with_crisis_support(
    client: Client, settings: object
) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "1/h"  # type: ignore[attr-defined]
    post(client, {"text": "First"})
    # when
    response = post(client, {"text": "Second"}, key="key-2")
    # then
    assert response.status_code == 429
    assert len(response.json()["crisis_support"]) == 4
    assert Ask.objects.count() == 1
    assert not IdempotencyKey.objects.filter(key="key-2").exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_the_same_key_make_one_ask() -> None:
    # given
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    references: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            response = post(Client(), {"text": "Help with debt"}, key="same-key")
            statuses.append(response.status_code)
            references.append(response.json()["reference"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    # then the second waited for the first at the key's row, and replayed its answer
    assert Ask.objects.count() == 1
    assert statuses == [201, 201]
    assert references == [Ask.objects.get().reference] * 2


@pytest.mark.django_db
def test_the_committed_openapi_document_matches_the_live_one(client: Client) -> None:
    # when
    live = client.get("/api/v1/openapi.json").json()
    # then
    committed = json.loads(OPENAPI.read_text())
    assert committed == live, "Regenerate docs/openapi-v1.json (see its README note)"
    operation = live["paths"]["/api/v1/asks"]["post"]
    assert operation["operationId"] == "createAsk"
    assert sorted(operation["responses"]) == ["201", "400", "409", "415", "422", "429"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]


def test_the_schema_gives_each_answer_its_limits(client: Client) -> None:
    # when
    live = client.get("/api/v1/openapi.json").json()
    # then
    fields = live["components"]["schemas"]["AskIn"]["properties"]
    assert (fields["text"]["minLength"], fields["text"]["maxLength"]) == (1, 5000)
    assert "minLength" not in fields["what_would_help"]
    assert {name: fields[name]["maxLength"] for name in fields if "maxLength" in fields[name]} == {
        "text": 5000,
        "what_would_help": 2000,
        "what_matters": 2000,
        "contact_phone": 20,
        "contact_email": 254,
        "contact_times": 500,
        "language": 100,
        "access_needs": 1000,
        "postcode": 10,
    }
