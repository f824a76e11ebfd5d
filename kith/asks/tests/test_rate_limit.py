from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from kith.asks.models import Ask
from kith.asks.rate_limit import ask_rate_limit_hit, parse_rate


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10/h", (10, 3600)), ("5/10m", (5, 600)), ("3/d", (3, 86400)), ("0", None), ("", None)],
)
def test_rates_are_read_from_the_environment_form(
    value: str, expected: tuple[int, int] | None
) -> None:
    # when / then
    assert parse_rate(value) == expected


def test_a_bad_rate_says_how_to_write_it() -> None:
    # when
    with pytest.raises(ImproperlyConfigured) as error:
        parse_rate("ten an hour")
    # then
    assert (
        str(error.value)
        == "KITH_ASK_RATE_LIMIT must look like 10/h or 0 to turn it off, not 'ten an hour'"
    )


def test_the_limit_counts_per_client(settings: object) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "2/h"  # type: ignore[attr-defined]
    # when
    hits = [ask_rate_limit_hit(client="a") for _ in range(3)]
    other = ask_rate_limit_hit(client="b")
    # then
    assert hits == [False, False, True]
    assert other is False


def _ask(client: Client, remote: str, forwarded: str) -> int:
    response = client.post(
        "/api/v1/asks",
        json.dumps({"text": "Help with debt"}),
        content_type="application/json",
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(
    client: Client, settings: Any
) -> None:
    # given one ask an hour, and everybody arriving through the load balancer
    settings.KITH_ASK_RATE_LIMIT = "1/h"
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # when
    first = _ask(client, "10.0.0.5", "203.0.113.1")
    second = _ask(client, "10.0.0.5", "203.0.113.2")
    first_again = _ask(client, "10.0.0.5", "198.51.100.99, 203.0.113.1")
    # then
    assert [first, second, first_again] == [201, 201, 429]
    assert Ask.objects.count() == 2


@pytest.mark.django_db
def test_a_client_forging_the_header_gets_no_more_allowance(client: Client, settings: Any) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "1/h"
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # when a client that is not our proxy names a new address each time
    statuses = [_ask(client, "198.51.100.7", f"203.0.113.{n}") for n in range(1, 4)]
    # then
    assert statuses == [201, 429, 429]
    assert Ask.objects.count() == 1
