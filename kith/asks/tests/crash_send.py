"""Send an ask and die part-way: run by test_idempotency_crash.py in a process of its own.

    python -m kith.asks.tests.crash_send <api|web> <after-ask-insert|before-response-store>

DATABASE_URL names the test database. The process sends one ask with a fixed key through the
API or the web journey and kills itself with SIGKILL (no clean-up, no rollback from Python: the
database sees the connection drop) at the point named:

- after-ask-insert: just after the ask's row is inserted;
- before-response-store: just before the key's stored response is written.

For the web journey it first prints the session cookie and the key, so the test can retry as
the same browser.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import django

API_KEY = "crash-key"


def _killer(point: str) -> Callable[..., Any]:
    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        statement = sql.lstrip().upper()
        if point == "before-response-store" and statement.startswith(
            'UPDATE "ASKS_IDEMPOTENCYKEY"'
        ):
            os.kill(os.getpid(), signal.SIGKILL)
        result = execute(sql, params, many, context)
        if point == "after-ask-insert" and statement.startswith('INSERT INTO "ASKS_ASK"'):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return wrapper


def main(journey: str, point: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.test")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from kith.core.testing import one

    client = Client()
    if journey == "api":
        with connection.execute_wrapper(_killer(point)):
            client.post(
                "/api/v1/asks",
                json.dumps({"text": "I cannot sleep and I am behind on rent"}),
                content_type="application/json",
                headers={"Idempotency-Key": API_KEY},
            )
    else:
        client.post("/ask/what-is-happening/", {"text": "I cannot sleep and I am behind on rent"})
        key = one(client.get("/ask/check/"), "input[name=idempotency_key]")["value"]
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        print(json.dumps({"cookie": cookie, "key": key}), flush=True)  # noqa: T201
        with connection.execute_wrapper(_killer(point)):
            client.post("/ask/check/", {"idempotency_key": key, "website": ""})
    sys.exit("the process was meant to die before the response")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
