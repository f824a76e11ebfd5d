from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

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
