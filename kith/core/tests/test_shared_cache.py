"""Rate limits must hold across web processes: with REDIS_URL they are kept in Redis.

Runs against the machine's Redis on 127.0.0.1:6379 (started before CI, like PostgreSQL).
"""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from kith.asks.rate_limit import ask_rate_limit_hit

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": f"kith-test-{uuid.uuid4().hex[:8]}",
    }
}


@override_settings(CACHES=REDIS, KITH_ASK_RATE_LIMIT="2/h")
def test_ask_rate_limit_counts_across_processes_sharing_redis() -> None:
    # given a client unique to this test (its count expires with the hour)
    client = uuid.uuid4().hex
    # when two attempts are counted, then the count is read through a second connection,
    # as another web process would
    assert ask_rate_limit_hit(client=client) is False
    assert ask_rate_limit_hit(client=client) is False
    caches["default"].close()
    # then the third attempt is over the limit
    assert ask_rate_limit_hit(client=client) is True


@pytest.mark.parametrize("rate", ["0", ""])
def test_rate_limit_can_be_turned_off(rate: str) -> None:
    with override_settings(KITH_ASK_RATE_LIMIT=rate):
        assert all(ask_rate_limit_hit(client="same") is False for _ in range(50))
