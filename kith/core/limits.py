"""Limits on how often something may happen, counted by django-ratelimit in the shared cache.

Every web process must share the cache for a limit to hold (REDIS_URL in production). A count
runs in fixed windows of the rate's period. The value counted is keyed with SECRET_KEY
(HMAC-SHA256) before django-ratelimit hashes it into a cache key, so the cache never holds an
address or a contact in the clear, nor one that could be found by trying every address.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


def limit_hit(*, group: str, value: str, rate: str | None) -> bool:
    """Count one attempt by `value` (a client address, a contact) in `group`; True when it is
    over `rate` ("10/h", "5/10m"). A rate of None is no limit: nothing is counted."""
    if rate is None:
        return False
    keyed = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    usage = get_usage(
        # django-ratelimit reads only the key from the request; the value is given instead.
        HttpRequest(),
        group=group,
        key=lambda _group, _request: keyed,
        rate=rate,
        increment=True,
    )
    return bool(usage and usage["should_limit"])
