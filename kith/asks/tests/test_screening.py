"""Crisis screening: labelled statements, idioms, negation, hostile input."""

from __future__ import annotations

import csv
import time
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from kith.asks import screening
from kith.asks.screening import CATEGORIES, Screening, normalise, phrases, screen

DATA = Path(__file__).resolve().parent / "data"


def labelled(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


TUNING = labelled("screening-tuning.csv")
HELD_OUT = labelled("screening-heldout.csv")


def rates(rows: list[dict[str, str]]) -> tuple[float, float]:
    """Recall (urgent rows screened urgent) and false-positive rate (others screened urgent)."""
    urgent = [row for row in rows if row["is_urgent"] == "1"]
    calm = [row for row in rows if row["is_urgent"] == "0"]
    found = sum(screen(row["text"]).is_urgent for row in urgent)
    false_alarms = sum(screen(row["text"]).is_urgent for row in calm)
    return found / len(urgent), false_alarms / len(calm)


def test_the_labelled_sets_are_big_enough_and_well_formed() -> None:
    # given both labelled sets
    rows = TUNING + HELD_OUT
    # then there are at least 200, with at least 90 of each kind, 40 held out
    assert len(HELD_OUT) == 40
    assert len(rows) >= 200
    assert sum(row["is_urgent"] == "1" for row in rows) >= 90
    assert sum(row["is_urgent"] == "0" for row in rows) >= 90
    for row in rows:
        assert row["is_urgent"] in {"0", "1"}
        assert (row["category"] in CATEGORIES) == (row["is_urgent"] == "1"), row["text"]
    assert len({row["text"] for row in rows}) == len(rows)


@pytest.mark.parametrize("row", TUNING, ids=lambda row: row["text"][:60])
def test_every_tuning_statement_is_screened_as_labelled(row: dict[str, str]) -> None:
    # given a labelled statement
    # when it is screened
    result = screen(row["text"])
    # then urgency matches the label, and an urgent one carries its category
    assert result.is_urgent is (row["is_urgent"] == "1")
    if result.is_urgent:
        assert row["category"] in result.categories
    else:
        assert result.categories == ()
        assert result.matches == ()


def test_held_out_recall_and_false_positive_rate() -> None:
    # given the 40 held-out statements, never used while tuning
    # when they are screened
    recall, false_positive_rate = rates(HELD_OUT)
    # then recall is at least 0.9 and the false-positive rate at most 0.1 (measured: 0.95, 0.0)
    assert recall >= 0.9
    assert false_positive_rate <= 0.1
    assert (recall, false_positive_rate) == (0.95, 0.0)


def test_tuning_set_is_fully_right() -> None:
    assert rates(TUNING) == (1.0, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal",
        "I have never self-harmed",
        "no thoughts of ending my life",
        "I used to self-harm years ago but I'm fine now",
        "my phone is dying",
        "I'm dying to see the show",
        "I killed it in my exam",
        "this commute is killing me",
        "my feet are killing me",
        "I could murder a cup of tea",
        "dead tired",
        "bored to death",
        "I'm going to kill my brother if he eats my cake",
        "the plant died",
        "I'd die for a holiday",
        "Im not going to kill myself",
        "i dont want to die",
        "I would never hurt my kids",
        "",
        "   \n\t ",
    ],
)
def test_negation_idiom_and_distant_past_do_not_fire(text: str) -> None:
    assert screen(text) == Screening(is_urgent=False)


@pytest.mark.parametrize(
    ("text", "category", "match"),
    [
        ("I want to die", "suicidal-intent", "intent-want-die"),
        ("I'm not okay and I want to die", "suicidal-intent", "intent-want-die"),
        ("I can't stop thinking about killing myself", "suicidal-intent", "intent-kill-self"),
        ("my feet are killing me and I want to die", "suicidal-intent", "intent-want-die"),
        (
            "I used to self harm and I've started cutting again",
            "self-harm",
            "selfharm-cutting-again",
        ),
        ("i took an overdose last night", "suicide-plan-or-means", "means-overdose"),
        ("I'M GOING TO KILL MYSELF!!!", "suicidal-intent", "intent-kill-self"),
        ("i wanna dieeeee", "suicidal-intent", "intent-want-die"),
        ("he said hed kill me", "threat-from-someone", "threat-said"),
        ("my husband will kill me if he finds out", "threat-from-someone", "threat-will-hurt-me"),
        ("ive been saving up my tablets", "suicide-plan-or-means", "means-stockpile"),
    ],
)
def test_danger_fires_with_its_category_and_phrase(text: str, category: str, match: str) -> None:
    # when
    result = screen(text)
    # then
    assert result.is_urgent is True
    assert category in result.categories
    assert match in result.matches


def test_negation_does_not_reach_past_the_window_or_the_clause() -> None:
    # given a negation four words before, and one in an earlier clause
    far = screen("not that anyone asks but really i want to die")
    earlier = screen("I'm not sleeping. I want to die")
    # then both still fire
    assert far.matches == ("intent-want-die",)
    assert earlier.matches == ("intent-want-die",)


def test_negated_phrases_are_reported_separately() -> None:
    result = screen("I'm not suicidal")
    assert result.is_urgent is False
    assert result.negated == ("intent-suicidal",)


def test_danger_at_the_end_of_a_100000_character_message_is_found_quickly() -> None:
    # given a long rambling message about the rent with danger in its last words
    filler = "the rent went up again and my landlord will not fix the boiler, "
    danger = " and i want to end my life"
    text = (filler * (100_000 // len(filler) + 1))[: 100_000 - len(danger)] + danger
    assert len(text) == 100_000
    # when
    started = time.perf_counter()
    result = screen(text)
    elapsed = time.perf_counter() - started
    # then it is found, within a second even on a slow machine
    assert result.matches == ("intent-end-life",)
    assert elapsed < 1.0


def test_beyond_the_scan_budget_the_start_and_the_end_are_both_scanned() -> None:
    # given a message longer than the budget with danger at both extremes
    middle = "x " * screening.MAX_SCAN_CHARS
    start = screen("he threatened me with a knife. " + middle)
    end = screen(middle + " i want to die")
    # then both are found
    assert start.categories == ("threat-from-someone",)
    assert end.categories == ("suicidal-intent",)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02\x1b[31m\x7f",
        "😀🔥💀🙃" * 1000,
        "\ud800\udfff lone surrogates",
        "אני רוצה למות",
        "我想死",
        "أريد أن أموت",
        "a" * 100_000,
        "aaaa " * 20_000,
        "not " * 25_000,
        "kill " * 20_000,
        "Q" + "w9" * 50_000,
        "'" * 10_000,
        "\u202e\u200b\ufeff",
        "...!!!???,,,",
        "(" * 5_000 + ")" * 5_000,
    ],
)
def test_hostile_input_never_raises_and_never_errors(text: str) -> None:
    # when
    started = time.perf_counter()
    result = screen(text)
    # then a plain result comes back, quickly, without the error marker
    assert isinstance(result, Screening)
    assert "screening-error" not in result.matches
    assert time.perf_counter() - started < 1.0


def test_non_text_input_is_treated_as_text() -> None:
    assert screen(None) == Screening(is_urgent=False)  # type: ignore[arg-type]
    assert screen(12345) == Screening(is_urgent=False)  # type: ignore[arg-type]


def test_an_internal_failure_leans_towards_help(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a bug inside screening
    def broken(text: str) -> Screening:
        raise RuntimeError("bug")

    monkeypatch.setattr(screening, "_screen", broken)
    # when
    result = screen("anything")
    # then crisis options are shown rather than none, and nothing is raised
    assert result == Screening(is_urgent=True, matches=("screening-error",))


def test_matches_are_phrase_ids_never_the_persons_words() -> None:
    # given every labelled statement
    known = {phrase.id for phrase in phrases()}
    for row in TUNING + HELD_OUT:
        result = screen(row["text"])
        # then every match is a known phrase id and the text appears nowhere in the result
        assert set(result.matches) <= known
        assert set(result.negated) <= known
        assert set(result.categories) <= set(CATEGORIES)
        assert row["text"] not in repr(result)
        assert normalise(row["text"]).strip() not in result.matches


def test_screening_is_frozen() -> None:
    result = screen("I want to die")
    with pytest.raises(FrozenInstanceError):
        result.is_urgent = False  # type: ignore[misc]


def test_phrase_data_is_well_formed() -> None:
    # given the phrase set
    rows = phrases()
    # then ids are unique, every category is used, and every phrase has notes
    assert len({phrase.id for phrase in rows}) == len(rows)
    assert {phrase.category for phrase in rows} == set(CATEGORIES)
    assert all(phrase.notes for phrase in rows)


def test_normalisation_reads_text_speak_and_missing_apostrophes() -> None:
    assert normalise("Im   sooo DONE, u know?? cant go on") == (
        " i am so done . you know . can not go on "
    )
    assert normalise("He’ll kill me") == " he will kill me "
    assert normalise("ill kill him") == " i will kill him "
    assert normalise("I feel ill") == " i feel ill "
