"""A fixed-window rate limit on sending asks from one client address (kith.core.limits).

KITH_ASK_RATE_LIMIT is "<count>/<period>" with period s, m, h or d ("10/h"); "0" or "" turns it
off. It stops floods; it is not a security boundary, and a person who hits it still sees the
crisis options and keeps what they wrote. The address is `kith.core.client.client_address`, so
behind a trusted proxy each person has their own allowance.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kith.core.limits import limit_hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(value: str) -> tuple[int, int] | None:
    """'10/h' -> (10, 3600); '5/10m' -> (5, 600); '0' or '' -> None (off)."""
    if value.strip() in ("", "0"):
        return None
    match = _RATE.match(value)
    if not match:
        raise ImproperlyConfigured(
            f"KITH_ASK_RATE_LIMIT must look like 10/h or 0 to turn it off, not {value!r}"
        )
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    if count == 0:
        return None
    return count, multiple * PERIODS[unit]


def ask_rate_limit_hit(*, client: str) -> bool:
    """Count one ask from this client address; True when it is over the limit."""
    rate = parse_rate(str(getattr(settings, "KITH_ASK_RATE_LIMIT", "10/h")))
    if rate is None:
        return False
    limit, window = rate
    return limit_hit(group="asks:send", value=client, rate=f"{limit}/{window}s")
