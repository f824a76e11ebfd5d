"""References: made from an alphabet with no look-alikes, and read back however they are typed."""

from __future__ import annotations

import pytest

from kith.asks.services import (
    REFERENCE_ALPHABET,
    REFERENCE_TOO_SHORT,
    REFERENCE_UNUSED_CHARACTERS,
    reference_new,
    reference_normalise,
)
from kith.core.errors import ValidationFailed


def test_given_the_alphabet_when_read_then_it_has_neither_side_of_any_look_alike_pair() -> None:
    # given / when
    letters = set(REFERENCE_ALPHABET)
    # then: O/0 and I/1/L cannot be confused, because none of them is ever used (nor U, for V)
    assert letters.isdisjoint(set("O0I1LU"))
    assert len(letters) == 30


@pytest.mark.parametrize(
    "typing",
    [
        str.lower,
        lambda ref: ref.replace("-", ""),
        lambda ref: ref.replace("-", " "),
        lambda ref: ref[4:],  # without "KTH-"
        lambda ref: ref[4:].replace("-", "").lower(),
        lambda ref: f"  {ref.replace('-', ' - ')}  ",
        lambda ref: ref.replace("-", "\u2013"),  # en dashes
    ],
    ids=["lower case", "no hyphens", "spaces", "no prefix", "bare", "spaced out", "en dashes"],
)
def test_given_new_references_when_typed_another_way_then_each_reads_back_the_same(
    typing: object,
) -> None:
    # given
    references = [reference_new() for _ in range(200)]
    # when
    read = [reference_normalise(typing(ref)) for ref in references]  # type: ignore[operator]
    # then
    assert read == references


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your reference, like KTH-7Q4M-2X"),
        ("KTH-7Q4M-2", REFERENCE_TOO_SHORT),
        ("KTH7Q4M2XY", REFERENCE_TOO_SHORT),
        ("KTX-7Q4M-2X", REFERENCE_TOO_SHORT),
        ("KTH-7Q4M-2X!", REFERENCE_TOO_SHORT),
        ("KTH-7Q4M-20", REFERENCE_UNUSED_CHARACTERS),
        ("KTH-IQ4M-2X", REFERENCE_UNUSED_CHARACTERS),
        ("kth-7q4m-lu", REFERENCE_UNUSED_CHARACTERS),
    ],
)
def test_given_what_cannot_be_a_reference_when_read_then_it_says_what_to_check(
    typed: str, message: str
) -> None:
    # when
    with pytest.raises(ValidationFailed) as error:
        reference_normalise(typed)
    # then
    assert (error.value.field, error.value.message) == ("reference", message)
