"""A process killed while sending an ask leaves nothing a retry could turn into a second ask.

Each test runs kith/asks/tests/crash_send.py in a process of its own against this test's
database, lets it die by SIGKILL between saving the ask and storing the key's response, then
retries with the same key as the client would, later than a key left "in flight" would be
taken over (ABANDONED_AFTER).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from kith.asks.idempotency import ABANDONED_AFTER
from kith.asks.models import Ask, IdempotencyKey
from kith.asks.tests.crash_send import API_KEY

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
POINTS = ["after-ask-insert", "before-response-store"]


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the crashing process must share the test database")


def _crash(journey: str, point: str) -> dict[str, str]:
    """Run the sender until it kills itself; what it printed (the web journey's session)."""
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "kith.asks.tests.crash_send", journey, point],
        env={**os.environ, "DATABASE_URL": url},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


@pytest.fixture
def later() -> Iterator[None]:
    """The retry comes after a key left in flight would be taken over."""
    with time_machine.travel(timezone.now() + ABANDONED_AFTER * 2, tick=True):
        yield


@pytest.mark.usefixtures("postgresql")
@pytest.mark.parametrize("point", POINTS)
def test_an_api_retry_after_a_crash_makes_exactly_one_ask(point: str, request: Any) -> None:
    # given a process that died between saving the ask and storing the response
    _crash("api", point)
    # then nothing of it was kept
    assert Ask.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    # when the client retries with the same key, later
    request.getfixturevalue("later")
    body = {"text": "I cannot sleep and I am behind on rent"}
    retry = Client().post(
        "/api/v1/asks",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": API_KEY},
    )
    again = Client().post(
        "/api/v1/asks",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": API_KEY},
    )
    # then
    assert retry.status_code == 201
    assert again.status_code == 201
    assert again.json() == retry.json()
    assert Ask.objects.get().reference == retry.json()["reference"]


@pytest.mark.usefixtures("postgresql")
@pytest.mark.parametrize("point", POINTS)
def test_a_web_retry_after_a_crash_makes_exactly_one_ask(point: str, request: Any) -> None:
    # given a browser whose sending process died between saving the ask and storing the answer
    session = _crash("web", point)
    assert Ask.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    # when the same browser sends again with the same key (the check page still holds it)
    request.getfixturevalue("later")
    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session["cookie"]
    retry = browser.post("/ask/check/", {"idempotency_key": session["key"], "website": ""})
    again = browser.post("/ask/check/", {"idempotency_key": session["key"], "website": ""})
    # then
    ask = Ask.objects.get()
    assert ask.text == "I cannot sleep and I am behind on rent"
    assert retry["Location"] == again["Location"] == f"/ask/sent/{ask.pk}/"
