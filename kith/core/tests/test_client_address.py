"""The client's address: X-Forwarded-For is believed only from the proxies we name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from kith.care.tests.factories import member_make, team_make
from kith.core.client import client_address

PROXY = "10.0.0.5"
PASSWORD = "a-long-test-password-1"  # noqa: S105 - the factories' fictional password


def _address(remote: str, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


def test_with_no_proxies_configured_the_header_is_ignored(settings: Any) -> None:
    # given
    settings.KITH_TRUSTED_PROXIES = []
    # when / then
    assert _address(PROXY, "203.0.113.9") == PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # the client wrote the first entries; our proxy appended the address it saw
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),
        # a chain of our own proxies is skipped, right to left
        ("203.0.113.9, 10.1.2.3, 10.0.0.9", "203.0.113.9"),
        ("203.0.113.9:54321", "203.0.113.9"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        # nothing forwarded, or every hop one of ours: the furthest address we know
        ("", PROXY),
        ("10.0.0.8", "10.0.0.8"),
        # a hop that is not an address stops the walk at our proxy
        ("203.0.113.9, not-an-address", PROXY),
    ],
)
def test_behind_a_trusted_proxy_the_first_untrusted_hop_from_the_right_is_the_client(
    settings: Any, forwarded: str, expected: str
) -> None:
    # given
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # when / then
    assert _address(PROXY, forwarded) == expected


def test_a_client_not_behind_a_trusted_proxy_cannot_name_another_address(settings: Any) -> None:
    # given
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # when
    forged = _address("198.51.100.7", "203.0.113.9, 10.0.0.5")
    # then
    assert forged == "198.51.100.7"


def test_proxies_may_be_single_addresses_and_ipv6_networks(settings: Any) -> None:
    # given
    settings.KITH_TRUSTED_PROXIES = ["192.0.2.7/32", "2001:db8:ffff::/48"]
    # when / then
    assert _address("192.0.2.7", "203.0.113.9") == "203.0.113.9"
    assert _address("2001:db8:ffff::1", "203.0.113.9") == "203.0.113.9"
    assert _address("192.0.2.8", "203.0.113.9") == "192.0.2.8"


def test_a_request_with_no_address_shares_one_unknown_address(settings: Any) -> None:
    # given
    settings.KITH_TRUSTED_PROXIES = []
    # when / then
    assert _address("") == "0.0.0.0"  # noqa: S104


# django-axes counts staff sign-in failures by the same address


@pytest.mark.django_db
def test_staff_lockout_keys_on_the_client_address_behind_the_proxy(settings: Any) -> None:
    # given two members of staff's devices behind one load balancer
    settings.KITH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    member_make(team=team_make(name="Brixton community team", districts="SW9", hours=24))
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    forged = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.2")

    def sign_in(client: Client, password: str) -> Any:
        form = {"username": "alex", "password": password, "next": "/team/"}
        return client.post("/staff/sign-in/", form)

    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False):
        # when the first device gets the password wrong five times
        wrong = [sign_in(first, "wrong-password").status_code for _ in range(5)]
        # then the first is paused, and the second (and a forger naming it) are not
        assert wrong == [400, 400, 400, 400, 429]
        assert sign_in(first, PASSWORD).status_code == 429
        assert sign_in(second, PASSWORD).status_code == 302
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.1"]
        assert sign_in(forged, "wrong-password").status_code == 400
        assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == [
            "198.51.100.7",
            "203.0.113.1",
        ]


def test_nothing_else_reads_the_address_from_the_request() -> None:
    # given every module of the app but this one and the tests
    kith = Path(__file__).resolve().parents[2]
    readers = sorted(
        str(path.relative_to(kith))
        for path in kith.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "client.py"
        and re.search(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", path.read_text())
        and "settings" not in path.parts
    )
    # then
    assert readers == []
